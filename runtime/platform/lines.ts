import { spawn } from "node:child_process";

/** Cuts text that arrives in pieces into lines; flush() hands over an unterminated last one. */
export function lineSplitter(onLine: (line: string) => void): { push(chunk: string): void; flush(): void } {
  let buffer = "";
  return {
    push(chunk) {
      buffer += chunk;
      let newline = buffer.indexOf("\n");
      while (newline >= 0) {
        onLine(buffer.slice(0, newline));
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf("\n");
      }
    },
    flush() {
      if (buffer) onLine(buffer);
      buffer = "";
    },
  };
}

/**
 * Runs a long-lived program (ip monitor, tcpdump) and hands over its stdout as it comes; resolves
 * with its exit code and what it said on stderr. The signal ends it (SIGTERM). node:child_process
 * streams the same way under Bun and Deno.
 */
export function spawnStream(
  cmd: readonly string[],
  onData: (chunk: Uint8Array) => void,
  signal?: AbortSignal,
  onStderr?: (text: string) => void,
): Promise<{ code: number; stderr: string }> {
  const [program, ...args] = cmd;
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve({ code: -1, stderr: "" });
    const child = spawn(program as string, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => onData(new Uint8Array(chunk)));
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-4096);
      onStderr?.(chunk);
    });
    const kill = () => child.kill("SIGTERM");
    signal?.addEventListener("abort", kill, { once: true });
    child.on("error", (e) => resolve({ code: -1, stderr: e.message }));
    child.on("close", (code) => {
      signal?.removeEventListener("abort", kill);
      resolve({ code: code ?? -1, stderr });
    });
  });
}

/** spawnStream, its stdout cut into lines (a last unterminated one included); resolves with the code. */
export async function spawnLines(
  cmd: readonly string[],
  onLine: (line: string) => void,
  signal?: AbortSignal,
): Promise<number> {
  const lines = lineSplitter(onLine);
  const decoder = new TextDecoder();
  const { code } = await spawnStream(cmd, (chunk) => lines.push(decoder.decode(chunk, { stream: true })), signal);
  lines.flush();
  return code;
}
