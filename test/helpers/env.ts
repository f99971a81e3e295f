import { spawnSync } from "node:child_process";
import { createServer } from "node:net";

/** A name no earlier run on this machine can have used. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Runs argv to completion without blocking the event loop (servers in this process keep answering). */
async function spawnCollect(
  argv: string[],
  options: { input?: string; env?: Record<string, string>; cwd?: string } = {},
) {
  const proc = Bun.spawn(argv, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdin: options.input === undefined ? "ignore" : new Blob([options.input]),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { code, stdout, stderr };
}

/** Like sh() but without blocking the event loop, for commands that talk to a server in this process. */
export function shAsync(cmd: string, options: { env?: Record<string, string> } = {}) {
  return spawnCollect(["bash", "-c", cmd], options);
}

export function sh(cmd: string, options: { input?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync("bash", ["-c", cmd], {
    input: options.input,
    env: { ...process.env, ...options.env },
    encoding: "utf8",
  });
  return { code: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

/** Polls `check` every 100 ms until it holds or `timeoutMs` passes. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      await Promise.resolve()
        .then(check)
        .catch(() => false)
    )
      return;
    await Bun.sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** The compiled binary when `make build` produced one for this run, else the source entry. */
export const LAB = process.env.LAB_BIN
  ? [process.env.LAB_BIN]
  : [process.execPath, `${import.meta.dir}/../../cli/main.ts`];

export function lab(args: string[], options: { input?: string; env?: Record<string, string>; cwd?: string } = {}) {
  const [bin, ...pre] = LAB;
  const r = spawnSync(bin as string, [...pre, ...args], {
    input: options.input,
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    encoding: "utf8",
    timeout: 300_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

/** lab without blocking the event loop, for tests whose servers run in this process. */
export function labAsync(args: string[], options: { input?: string; env?: Record<string, string>; cwd?: string } = {}) {
  return spawnCollect([...LAB, ...args], { ...options, env: { NO_COLOR: "1", ...options.env } });
}

/**
 * The lines of a child's output as they arrive (the array grows while the stream runs), for tests that
 * wait for a line instead of sleeping.
 */
export function collectLines(stream: ReadableStream<Uint8Array>): string[] {
  const lines: string[] = [];
  void (async () => {
    const decoder = new TextDecoder();
    let rest = "";
    for await (const chunk of stream) {
      rest += decoder.decode(chunk, { stream: true });
      const parts = rest.split("\n");
      rest = parts.pop() ?? "";
      lines.push(...parts.filter(Boolean));
    }
    if (rest) lines.push(rest);
  })();
  return lines;
}

/** lab as a long-running child (lab events, lab share): its stdout and stderr lines as they come. */
export function labStream(args: string[], env: Record<string, string> = {}) {
  const [bin, ...pre] = LAB;
  const proc = Bun.spawn([bin as string, ...pre, ...args], {
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, ...env },
  });
  return { proc, stdout: collectLines(proc.stdout), stderr: collectLines(proc.stderr) };
}
