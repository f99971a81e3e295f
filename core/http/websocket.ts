import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";

// The server side of RFC 6455, enough for lab's page terminals: the handshake on node:http's
// "upgrade" event, text and binary messages (fragmented or not), ping/pong and close. Written here
// rather than taken from `ws`: the compiled binary and Deno each bring their own idea of that
// package, and the protocol subset a terminal needs is small and fully tested beside it.

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
/** Bigger messages close the connection (1009): a terminal sends keystrokes and sizes. */
const MAX_MESSAGE = 1 << 20;

export interface WebSocketConn {
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  readonly closed: boolean;
}

export interface WebSocketHandlers {
  onMessage(data: string | Uint8Array): void;
  onClose(): void;
}

/** The Sec-WebSocket-Accept answer to a client's key. */
export const acceptKey = (key: string) =>
  createHash("sha1")
    .update(key + GUID)
    .digest("base64");

function frame(opcode: number, payload: Uint8Array): Uint8Array {
  const n = payload.length;
  const head = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const out = new Uint8Array(head + n);
  out[0] = 0x80 | opcode;
  if (n < 126) out[1] = n;
  else if (n < 65536) {
    out[1] = 126;
    new DataView(out.buffer).setUint16(2, n);
  } else {
    out[1] = 127;
    new DataView(out.buffer).setBigUint64(2, BigInt(n));
  }
  out.set(payload, head);
  return out;
}

/**
 * Completes the handshake of an upgrade request, or answers 400 and returns undefined when it is no
 * WebSocket request. Messages and the end of the connection go to `handlers`.
 */
export function acceptWebSocket(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  handlers: WebSocketHandlers,
): WebSocketConn | undefined {
  const key = req.headers["sec-websocket-key"];
  if (
    String(req.headers.upgrade).toLowerCase() !== "websocket" ||
    typeof key !== "string" ||
    req.headers["sec-websocket-version"] !== "13"
  ) {
    socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n");
    return undefined;
  }
  socket.write(
    `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptKey(key)}\r\n\r\n`,
  );
  let closed = false;
  let buffer: Buffer = Buffer.from(head);
  let parts: Buffer[] = [];
  let partsOpcode = 0;
  const finish = () => {
    if (closed) return;
    closed = true;
    handlers.onClose();
  };
  const conn: WebSocketConn = {
    get closed() {
      return closed;
    },
    send(data) {
      if (closed) return;
      const binary = typeof data !== "string";
      socket.write(frame(binary ? 0x2 : 0x1, binary ? data : new TextEncoder().encode(data)));
    },
    close(code = 1000, reason = "") {
      if (closed) return;
      const r = new TextEncoder().encode(reason);
      const payload = new Uint8Array(2 + r.length);
      new DataView(payload.buffer).setUint16(0, code);
      payload.set(r, 2);
      socket.end(frame(0x8, payload));
      finish();
    },
  };
  const parse = () => {
    while (buffer.length >= 2) {
      const b0 = buffer[0] as number;
      const b1 = buffer[1] as number;
      const opcode = b0 & 0x0f;
      const fin = (b0 & 0x80) !== 0;
      if ((b1 & 0x80) === 0) return conn.close(1002, "unmasked frame");
      let len = b1 & 0x7f;
      let offset = 2;
      if (len === 126) {
        if (buffer.length < 4) return;
        len = buffer.readUInt16BE(2);
        offset = 4;
      } else if (len === 127) {
        if (buffer.length < 10) return;
        const big = buffer.readBigUInt64BE(2);
        if (big > BigInt(MAX_MESSAGE)) return conn.close(1009, "message too big");
        len = Number(big);
        offset = 10;
      }
      if (len > MAX_MESSAGE) return conn.close(1009, "message too big");
      if (buffer.length < offset + 4 + len) return;
      const mask = buffer.subarray(offset, offset + 4);
      const payload = Buffer.from(buffer.subarray(offset + 4, offset + 4 + len));
      for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] as number) ^ (mask[i % 4] as number);
      buffer = buffer.subarray(offset + 4 + len);
      if (opcode === 0x8) return conn.close(1000);
      if (opcode === 0x9) {
        socket.write(frame(0xa, payload));
        continue;
      }
      if (opcode === 0xa) continue;
      if (opcode !== 0x0) {
        partsOpcode = opcode;
        parts = [];
      }
      parts.push(payload);
      if (parts.reduce((n, p) => n + p.length, 0) > MAX_MESSAGE) return conn.close(1009, "message too big");
      if (!fin) continue;
      const whole = Buffer.concat(parts);
      parts = [];
      handlers.onMessage(partsOpcode === 0x1 ? whole.toString("utf8") : new Uint8Array(whole));
    }
  };
  socket.on("data", (chunk: Buffer) => {
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
    parse();
  });
  socket.on("close", finish);
  socket.on("error", finish);
  if (buffer.length) queueMicrotask(parse);
  return conn;
}
