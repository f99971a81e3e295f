import type ssh2 from "ssh2";
import { lineSplitter } from "../platform/lines.ts";
import { shellQuote } from "../quote.ts";

/** Runs a command over an SSH connection and collects its output (stdin written, then closed). */
export function sshExec(
  client: ssh2.Client,
  command: string,
  stdin?: Uint8Array | string,
  signal?: AbortSignal,
): Promise<{ code: number; stdout: Buffer; stderr: Buffer }> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, stream) => {
      if (err) return reject(err);
      const out: Buffer[] = [];
      const errs: Buffer[] = [];
      const abort = () => stream.close();
      signal?.addEventListener("abort", abort, { once: true });
      stream.on("data", (d: Buffer) => out.push(d));
      stream.stderr.on("data", (d: Buffer) => errs.push(d));
      stream.on("close", (code: number | null) => {
        signal?.removeEventListener("abort", abort);
        resolve({ code: code ?? 255, stdout: Buffer.concat(out), stderr: Buffer.concat(errs) });
      });
      stream.end(stdin ?? undefined);
    });
  });
}

/**
 * A long-lived command that ends when its SSH channel's stdin does. Closing the channel leaves the
 * command running (sshd keeps the channel until it exits), and sshd delivers no signal to a root
 * session (no privilege-separated child), so a watcher in the remote shell kills it on stdin's EOF.
 */
export function untilStdinCloses(command: string): string {
  return `sh -c ${shellQuote(`exec 3<&0; ${command} </dev/null & p=$!; { read _ <&3; kill $p; } >/dev/null 2>&1 & wait $p`)}`;
}

/** Runs a long-lived command over SSH, handing over its stdout as it comes; the signal ends it. */
export function sshStream(
  client: ssh2.Client,
  command: string,
  onData: (chunk: Uint8Array) => void,
  signal?: AbortSignal,
  onStderr?: (text: string) => void,
): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve({ code: -1, stderr: "" });
    client.exec(untilStdinCloses(command), (err, stream) => {
      if (err) return resolve({ code: -1, stderr: err.message });
      let stderr = "";
      stream.on("data", (chunk: Buffer) => onData(new Uint8Array(chunk)));
      stream.stderr.setEncoding("utf8");
      stream.stderr.on("data", (chunk: string) => {
        stderr = (stderr + chunk).slice(-4096);
        onStderr?.(chunk);
      });
      const abort = () => stream.end();
      signal?.addEventListener("abort", abort, { once: true });
      stream.on("close", (code: number | null) => {
        signal?.removeEventListener("abort", abort);
        resolve({ code: code ?? -1, stderr });
      });
    });
  });
}

/** sshStream, its stdout cut into lines. */
export async function sshLines(
  client: ssh2.Client,
  command: string,
  onLine: (line: string) => void,
  signal?: AbortSignal,
): Promise<number> {
  const lines = lineSplitter(onLine);
  const decoder = new TextDecoder();
  const { code } = await sshStream(client, command, (c) => lines.push(decoder.decode(c, { stream: true })), signal);
  lines.flush();
  return code;
}
