// Consoles: keystroke-to-echo latency through the page's terminal (a WebSocket to lab's server, the
// engine's hijacked exec behind it), median of 50 keystrokes on loopback (target ≤ 15 ms), beside
// the same through a hijacked exec without the page (the floor: the engine's own path); and the
// server's resident memory with 10 terminals open, over its memory with none (target ≤ 60 MB).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDockerClient } from "../../runtime/docker/client.ts";
import { getPlatform } from "../../runtime/platform/index.ts";
import { freePort } from "../../test/helpers/env.ts";
import { startGraph } from "../../test/helpers/graph-page.ts";

const LAB = process.env.LAB_BIN ?? "dist/lab";
const KEYS = 50;
const dir = mkdtempSync(join(tmpdir(), "lab-bench-console-"));
const name = `bench-console-${process.pid}`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;

const nodes = Array.from({ length: 10 }, (_, i) => `n${i + 1}`);
const file = join(dir, "console.clab.yml");
writeFileSync(
  file,
  `name: ${name}\nmgmt: { network: ${name}, ipv4-subnet: 172.30.249.0/24 }\ntopology:\n  defaults: { image: lab-test/linux:1 }\n  nodes:\n${nodes.map((n) => `    ${n}: {}`).join("\n")}\n`,
);
const run = (args: string[]) => Bun.spawnSync([LAB, ...args], { stdout: "ignore", stderr: "pipe" });
if (run(["up", "-t", file]).exitCode !== 0) throw new Error("cannot deploy the bench lab");

/** A terminal: its output so far, and keystrokes timed to their echo. */
function session(write: (data: string) => void) {
  let text = "";
  return {
    feed: (s: string) => {
      text += s;
    },
    async ready() {
      const deadline = Date.now() + 10_000;
      while (!text.includes("# ") && Date.now() < deadline) await Bun.sleep(10);
    },
    /** One key, timed until the terminal shows it back. */
    async key(ch: string): Promise<number> {
      const before = text.length;
      const t0 = performance.now();
      write(ch);
      const deadline = Date.now() + 5_000;
      while (!text.slice(before).includes(ch) && Date.now() < deadline) await Bun.sleep(0);
      return performance.now() - t0;
    },
  };
}

const port = await freePort();
const server = await startGraph([LAB], file, port);
try {
  const open = async (node: string) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/terminal/${node}/ws`);
    ws.binaryType = "arraybuffer";
    const s = session((d) => ws.send(JSON.stringify({ type: "input", data: d })));
    ws.onmessage = (e) => s.feed(typeof e.data === "string" ? "" : new TextDecoder().decode(e.data as ArrayBuffer));
    await new Promise((r) => ws.addEventListener("open", r));
    await s.ready();
    return { ws, s };
  };

  // The floor: the same keystrokes over a hijacked exec, no page and no WebSocket.
  const docker = createDockerClient(await getPlatform());
  const direct = await docker.exec.interactive(`clab-${name}-n2`, ["sh"], { size: { rows: 24, cols: 80 } });
  const ds = session((d) => direct.socket.write(d));
  direct.socket.on("data", (b: Buffer) => ds.feed(b.toString()));
  direct.socket.on("error", () => {});
  direct.socket.resume();
  await ds.ready();
  const floor: number[] = [];
  for (let i = 0; i < KEYS; i++) floor.push(await ds.key(String.fromCharCode(97 + (i % 26))));
  direct.socket.destroy();

  const idle = rssMb(server.proc.pid);
  const first = await open("n1");
  const page: number[] = [];
  for (let i = 0; i < KEYS; i++) page.push(await first.s.key(String.fromCharCode(97 + (i % 26))));
  const rest = await Promise.all(nodes.slice(1).map(open));
  await Bun.sleep(500);
  const extra = rssMb(server.proc.pid) - idle;
  for (const t of [first, ...rest]) t.ws.close();

  const [p, f] = [median(page), median(floor)];
  console.log(
    `console keystroke to echo through the page: ${p.toFixed(1)} ms (hijacked exec alone: ${f.toFixed(1)} ms, ${(p / f).toFixed(2)}×)   target ≤ 15 ms: ${p <= 15 ? "met" : "NOT met"}`,
  );
  console.log(
    `console server with 10 terminals open: +${extra.toFixed(0)} MB resident (idle ${idle.toFixed(0)} MB)   target ≤ 60 MB: ${extra <= 60 ? "met" : "NOT met"}`,
  );
} finally {
  await server.stop();
  run(["down", "-t", file, "--cleanup"]);
  rmSync(dir, { recursive: true, force: true });
}
