import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { LabError } from "../errors.ts";
import type { EngineHost } from "./host.ts";

// The engine's hijacked stream, as `docker exec -it` and `docker attach` use it: a POST with
// `Upgrade: tcp` that the engine answers `101 UPGRADED` (older ones: 200), after which the HTTP
// connection is a raw duplex byte stream to the process. fetch cannot hand such a connection over,
// so this speaks HTTP/1.1 on a socket of its own (node:net and node:tls, the same under Bun and
// Deno), to a unix socket (this host's engine, Podman's, a remote host's forwarded one) or TCP/TLS.

function open(host: EngineHost): Socket {
  if (host.kind === "unix") return netConnect({ path: host.socketPath });
  const url = new URL(host.baseUrl);
  const port = Number(url.port) || (url.protocol === "https:" ? 443 : 80);
  if (!host.tls) return netConnect({ host: url.hostname, port });
  return tlsConnect({
    host: url.hostname,
    port,
    ca: host.tls.ca,
    cert: host.tls.cert,
    key: host.tls.key,
    rejectUnauthorized: !host.tls.insecure,
  });
}

export interface Hijacked {
  /** The connection, now the process's stream: write to its stdin, read its output. */
  socket: Socket;
  /** Output that came in the same read as the engine's answer, before any "data" listener. */
  head: Uint8Array;
}

/**
 * POSTs `body` to `path` (API version included) asking for the upgrade, and resolves once the engine
 * has answered it. A refusal (an HTTP error with the engine's message), a closed connection or no
 * answer within `timeoutMs` is a LabError naming `what`.
 */
export function hijack(
  host: EngineHost,
  path: string,
  body: unknown,
  what: string,
  timeoutMs = 10_000,
): Promise<Hijacked> {
  return new Promise((resolve, reject) => {
    const socket = open(host);
    const payload = body === undefined ? "" : JSON.stringify(body);
    let head = Buffer.alloc(0);
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      reject(new LabError("engine", `${what}: ${message}`));
    };
    const timer = setTimeout(() => fail(`no answer within ${timeoutMs / 1000}s`), timeoutMs);
    const onError = (error: Error) => fail(error.message);
    const onClose = () => fail("the engine closed the connection");
    socket.once("error", onError);
    socket.once("close", onClose);
    socket.once(host.kind === "tcp" && host.tls ? "secureConnect" : "connect", () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: docker\r\nUpgrade: tcp\r\nConnection: Upgrade\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`,
      );
    });
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      const text = head.subarray(0, end).toString("latin1");
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1]);
      if (status !== 101 && status !== 200) {
        const message = head
          .subarray(end + 4)
          .toString("utf8")
          .trim();
        let detail = message;
        try {
          detail = (JSON.parse(message.slice(message.indexOf("{"))) as { message?: string }).message ?? message;
        } catch {}
        return fail(`HTTP ${status}${detail ? `: ${detail.slice(0, 300)}` : ""}`);
      }
      settled = true;
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("close", onClose);
      socket.off("error", onError);
      // The stream ends when the engine closes it: readers see "end"/"close" from here on.
      socket.pause();
      resolve({ socket, head: new Uint8Array(head.subarray(end + 4)) });
    };
    socket.on("data", onData);
  });
}

/** What the process writes, as a web stream: the bytes read with the answer, then the rest until it ends. */
export function outputStream(h: Hijacked): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (h.head.length) controller.enqueue(h.head);
      let done = false;
      const end = () => {
        if (done) return;
        done = true;
        controller.close();
      };
      h.socket.on("data", (chunk: Buffer) => {
        if (!done) controller.enqueue(new Uint8Array(chunk));
      });
      h.socket.once("end", end);
      h.socket.once("close", end);
      h.socket.on("error", end);
      h.socket.resume();
    },
    cancel() {
      h.socket.destroy();
    },
  });
}
