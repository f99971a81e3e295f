import { expect, test } from "bun:test";
import { shellLine } from "../quote.ts";
import { untilStdinCloses } from "./ssh-exec.ts";

test("a long-lived command wrapped by untilStdinCloses ends when its stdin closes, and passes on its exit code", async () => {
  const { spawn } = await import("node:child_process");
  const run = (command: string, closeAfterMs?: number) =>
    new Promise<number | null>((resolve) => {
      // sshd runs the line with the user's shell: sh -c here.
      const child = spawn("sh", ["-c", untilStdinCloses(command)], { stdio: ["pipe", "ignore", "ignore"] });
      child.on("exit", (code) => resolve(code));
      if (closeAfterMs !== undefined) setTimeout(() => child.stdin.end(), closeAfterMs);
    });
  // Killed by the watcher (SIGTERM: 128 + 15), not run to its end.
  expect(await run(shellLine(["sleep", "30"]), 100)).toBe(143);
  // One that ends by itself does not wait for stdin.
  expect(await run(shellLine(["sh", "-c", "exit 3"]))).toBe(3);
});
