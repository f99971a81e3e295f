import { defineCommand } from "citty";
import { LabError } from "../../../core/errors.ts";
import { MysocketApi } from "../../../core/share/api.ts";
import { endpoints } from "../../../core/share/control.ts";
import { decodeToken, saveToken, tokenFile } from "../../../core/share/token.ts";
import { cliContext } from "../../context.ts";
import { logger } from "../../logger.ts";
import { promptSecret } from "../../render/prompt.ts";
import { globalArgs } from "../_shared.ts";

async function readStdin(): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Uint8Array);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

export default defineCommand({
  meta: { name: "mysocket", description: "Log in to mysocket and store the token (mode 0600)" },
  args: {
    email: { type: "string", description: "Account email", required: true },
    "password-stdin": { type: "boolean", description: "Read the password from stdin" },
    api: { type: "string", description: "mysocket API base URL" },
    ...globalArgs,
  },
  async run({ args }) {
    const { platform } = await cliContext();
    let password = args["password-stdin"] ? await readStdin() : platform.env("MYSOCKET_PASSWORD");
    if (password === undefined) {
      password = await promptSecret(`mysocket password for ${args.email}: `).catch(() => {
        throw new LabError("usage", "no password given", { hint: "Use --password-stdin or MYSOCKET_PASSWORD" });
      });
    }
    const api = endpoints(platform.env, args.api).api;
    const token = await MysocketApi.login(api, args.email, password);
    const file = tokenFile(platform.env);
    await saveToken(file, token);
    const info = decodeToken(token, file);
    const until = info.expiresAt ? `, valid until ${new Date(info.expiresAt).toISOString()}` : "";
    logger.success(`logged in to mysocket as ${args.email}; token stored in ${file}${until}`);
  },
});
