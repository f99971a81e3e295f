// The adapter contract, written once and run under both runtimes: platform.test.ts (bun test)
// and test/deno/platform.deno.ts (deno test). Only node:assert, which both provide.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDockerClient } from "../docker/client.ts";
import type { Platform } from "./types.ts";

export interface PlatformCase {
  name: string;
  fn(platform: Platform): Promise<void>;
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

export const platformCases: PlatformCase[] = [
  {
    name: "run passes stdin and collects stdout, stderr and the exit code",
    async fn(p) {
      const r = await p.run(["sh", "-c", "cat; echo oops >&2; exit 7"], { stdin: "secret\n" });
      assert.equal(text(r.stdout), "secret\n");
      assert.equal(text(r.stderr), "oops\n");
      assert.equal(r.code, 7);
    },
  },
  {
    name: "run adds env on top of the current environment",
    async fn(p) {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell expansion, not a template
      const r = await p.run(["sh", "-c", 'echo "$LAB_X:${PATH:+path}"'], { env: { LAB_X: "1" } });
      assert.equal(text(r.stdout), "1:path\n");
    },
  },
  {
    name: "writeText sets the mode, readText and stat read it back",
    async fn(p) {
      const dir = mkdtempSync(join(tmpdir(), "lab-platform-"));
      try {
        const file = join(dir, "token");
        await p.writeText(file, "t0k3n", { mode: 0o600 });
        assert.equal(await p.readText(file), "t0k3n");
        assert.deepEqual(await p.stat(file), { kind: "file", mode: 0o600, size: 5 });
        assert.equal((await p.stat(dir))?.kind, "directory");
        assert.equal(await p.stat(join(dir, "missing")), null);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  {
    name: "spawnLines hands over each line as it comes, and the signal stops the program",
    async fn(p) {
      const lines: string[] = [];
      assert.equal(await p.spawnLines(["sh", "-c", "echo one; echo two; printf three"], (l) => lines.push(l)), 0);
      assert.deepEqual(lines, ["one", "two", "three"]);
      const abort = new AbortController();
      const seen: string[] = [];
      const running = p.spawnLines(
        ["sh", "-c", "echo ready; exec sleep 30"],
        (l) => {
          seen.push(l);
          abort.abort();
        },
        abort.signal,
      );
      const started = Date.now();
      await running;
      assert.deepEqual(seen, ["ready"]);
      assert.ok(Date.now() - started < 5000);
    },
  },
  {
    name: "txChecksumOff turns TX checksum offload off inside a network namespace, through the FFI",
    async fn(p) {
      const ns = `labtx${process.pid}`;
      const sh = (cmd: string) => p.run(["sh", "-c", cmd]);
      await sh(`ip netns add ${ns} && ip -n ${ns} link add tx0 type veth peer name tx1`);
      try {
        const results = await p.txChecksumOff(`/run/netns/${ns}`, ["tx0", "missing0"]);
        assert.equal(results[0]?.error, undefined);
        assert.match(results[1]?.error ?? "", /errno 19/);
        const shown = text((await sh(`ip netns exec ${ns} ethtool -k tx0`)).stdout);
        assert.match(shown, /^tx-checksumming: off/m);
        // The peer, not asked for, keeps it; this process is back in its own namespace.
        assert.match(text((await sh(`ip netns exec ${ns} ethtool -k tx1`)).stdout), /^tx-checksumming: on/m);
        assert.notEqual((await sh("ip link show tx0")).code, 0);
      } finally {
        await sh(`ip netns del ${ns}`);
      }
    },
  },
  {
    name: "unixFetch talks HTTP to the Docker Engine socket",
    async fn(p) {
      assert.equal((await p.stat("/var/run/docker.sock"))?.kind, "socket");
      const response = await p.unixFetch("/var/run/docker.sock")("http://docker/_ping");
      assert.equal(response.status, 200);
      assert.match(response.headers.get("api-version") ?? "", /^1\.\d+$/);
      assert.equal(await response.text(), "OK");
    },
  },
  {
    name: "an attach to the engine types into a container's console (IOL's management update)",
    async fn(p) {
      const docker = createDockerClient(p, "unix:///var/run/docker.sock");
      const name = `lab-attach-${p.name}-${Date.now()}`;
      const started = await p.run([
        "docker",
        "run",
        "-d",
        "-t",
        "-i",
        "--name",
        name,
        "lab-test/linux:1",
        "sh",
        "-c",
        'read x; echo "got:$x" > /tmp/got; sleep 30',
      ]);
      assert.equal(started.code, 0, text(started.stderr));
      try {
        await docker.containers.writeStdin(name, new TextEncoder().encode("hello console\r"));
        let got = "";
        for (let i = 0; i < 50 && !got; i++) {
          const r = await p.run(["docker", "exec", name, "cat", "/tmp/got"]);
          got = r.code === 0 ? text(r.stdout) : "";
          if (!got) await new Promise((resolve) => setTimeout(resolve, 100));
        }
        assert.equal(got, "got:hello console\n");
      } finally {
        await p.run(["docker", "rm", "-f", name]);
      }
    },
  },
  {
    name: "env reads the process environment",
    async fn(p) {
      assert.equal(typeof p.env("PATH"), "string");
      assert.equal(p.env("LAB_SURELY_UNSET_VARIABLE"), undefined);
    },
  },
];
