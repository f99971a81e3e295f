// scripts/install.sh against a local HTTP server on 127.0.0.1 laid out like the release downloads.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sh, shAsync } from "../helpers/env.ts";

const binary = process.env.LAB_BIN ?? join(import.meta.dir, "../../dist/lab");
const installer = join(import.meta.dir, "../../scripts/install.sh");
const asset = "lab-linux-x64";
let root = "";
let server: ReturnType<typeof Bun.serve>;

function publish(dir: string, sums: string): void {
  mkdirSync(join(root, dir), { recursive: true });
  copyFileSync(binary, join(root, dir, asset));
  writeFileSync(join(root, dir, "SHA256SUMS"), sums);
}

beforeAll(() => {
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run make build first`);
  root = mkdtempSync(join(tmpdir(), "lab-install-"));
  const sum = createHash("sha256").update(readFileSync(binary)).digest("hex");
  publish("srv/latest/download", `${sum}  ${asset}\n`);
  publish("srv/download/v9.9.9", `${sum}  ${asset}\n`);
  publish("srv/download/v6.6.6", `${"0".repeat(64)}  ${asset}\n`);
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const file = join(root, "srv", decodeURIComponent(new URL(req.url).pathname));
      return existsSync(file) ? new Response(Bun.file(file)) : new Response("not found", { status: 404 });
    },
  });
});

afterAll(() => {
  server?.stop(true);
  if (root) rmSync(root, { recursive: true, force: true });
});

function install(dest: string, ...args: string[]) {
  return shAsync(`sh ${installer} ${args.join(" ")}`, {
    env: { LAB_INSTALL_BASE: `http://127.0.0.1:${server.port}`, LAB_INSTALL_DIR: join(root, dest) },
  });
}

describe("install.sh", () => {
  test("installs the latest binary, verified, and prints lab version", async () => {
    const r = await install("bin-latest");
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`installed ${asset} to ${join(root, "bin-latest")}/lab`);
    expect(r.stdout).toMatch(/^ {4}version: \d+\.\d+\.\d+$/m);
    expect(sh(`${join(root, "bin-latest/lab")} version -f json`).stdout).toContain('"runtime"');
  });

  test("--version picks a release", async () => {
    const r = await install("bin-pinned", "--version", "9.9.9");
    expect(r.code).toBe(0);
    expect(existsSync(join(root, "bin-pinned/lab"))).toBe(true);
  });

  test("a tampered checksum is refused in one line and installs nothing", async () => {
    const r = await install("bin-tampered", "--version", "6.6.6");
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("checksum mismatch for lab-linux-x64");
    expect(existsSync(join(root, "bin-tampered/lab"))).toBe(false);
  });

  test("a missing release is one clear line and installs nothing", async () => {
    const r = await install("bin-404", "--version", "0.0.1");
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toMatch(
      /^lab installer: no such release file: .*\/download\/v0\.0\.1\/lab-linux-x64 \(HTTP 404\)/,
    );
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(existsSync(join(root, "bin-404/lab"))).toBe(false);
  });
});
