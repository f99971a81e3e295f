import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { recordingPlatform } from "../../runtime/docker/testing.ts";
import { lookupCredentials } from "./credentials.ts";

function platformWith(
  env: Record<string, string>,
  helper?: (argv: readonly string[], stdin: string) => { code: number; out: string },
) {
  const { platform } = recordingPlatform(() => new Response(""));
  const calls: { argv: readonly string[]; stdin: string }[] = [];
  return {
    calls,
    platform: {
      ...platform,
      env: (name: string) => env[name],
      run: async (argv: readonly string[], options?: { stdin?: string | Uint8Array }) => {
        const stdin = String(options?.stdin ?? "");
        calls.push({ argv, stdin });
        const r = helper?.(argv, stdin) ?? { code: 1, out: "" };
        return { code: r.code, stdout: new TextEncoder().encode(r.out), stderr: new Uint8Array() };
      },
    },
  };
}

describe("lookupCredentials", () => {
  const home = mkdtempSync(join(tmpdir(), "lab-creds-"));
  const write = (path: string, data: unknown) => {
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, JSON.stringify(data));
  };

  test("credsStore: asks the helper with the server on stdin, never in argv", async () => {
    write(join(home, "store/config.json"), { credsStore: "pass", auths: { "reg.test": {} } });
    const p = platformWith({ DOCKER_CONFIG: join(home, "store"), HOME: home }, (argv, stdin) =>
      argv[0] === "docker-credential-pass" && stdin === "reg.test"
        ? { code: 0, out: '{"ServerURL":"reg.test","Username":"u","Secret":"s3cret"}' }
        : { code: 1, out: "" },
    );
    expect(await lookupCredentials("reg.test", p.platform)).toEqual({ username: "u", password: "s3cret" });
    expect(p.calls[0]?.argv).toEqual(["docker-credential-pass", "get"]);
  });

  test("an identity token from a helper", async () => {
    write(join(home, "tok/config.json"), { credHelpers: { "reg.test": "x" } });
    const p = platformWith({ DOCKER_CONFIG: join(home, "tok"), HOME: home }, () => ({
      code: 0,
      out: '{"Username":"<token>","Secret":"refresh"}',
    }));
    expect(await lookupCredentials("reg.test", p.platform)).toEqual({
      username: "",
      password: "",
      identityToken: "refresh",
    });
  });

  test("containers auth.json when the docker config has nothing", async () => {
    write(join(home, "xdg/containers/auth.json"), { auths: { "reg.test": { auth: btoa("podman:pw") } } });
    const p = platformWith({ DOCKER_CONFIG: join(home, "none"), XDG_CONFIG_HOME: join(home, "xdg"), HOME: home });
    expect(await lookupCredentials("reg.test", p.platform)).toEqual({ username: "podman", password: "pw" });
  });

  test("Docker Hub's legacy key, and nothing configured", async () => {
    write(join(home, "hub/config.json"), { auths: { "https://index.docker.io/v1/": { auth: btoa("me:pw") } } });
    const p = platformWith({ DOCKER_CONFIG: join(home, "hub"), HOME: home });
    expect(await lookupCredentials("docker.io", p.platform)).toEqual({ username: "me", password: "pw" });
    expect(await lookupCredentials("other.test", p.platform)).toBeUndefined();
    rmSync(home, { recursive: true, force: true });
  });
});
