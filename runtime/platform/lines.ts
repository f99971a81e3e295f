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
 * Runs a long-lived program (ip monitor) and hands over its stdout line by line as it comes;
 * resolves with its exit code. The signal kills it. node:child_process streams the same way
 * under Bun and Deno.
 */
export function spawnLines(
  cmd: readonly string[],
  onLine: (line: string) => void,
  signal?: AbortSignal,
): Promise<number> {
  const [program, ...args] = cmd;
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(-1);
    const child = spawn(program as string, args, { stdio: ["ignore", "pipe", "ignore"] });
    const lines = lineSplitter(onLine);
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => lines.push(chunk));
    const kill = () => child.kill("SIGTERM");
    signal?.addEventListener("abort", kill, { once: true });
    child.on("error", () => resolve(-1));
    child.on("close", (code) => {
      signal?.removeEventListener("abort", kill);
      lines.flush();
      resolve(code ?? -1);
    });
  });
}
