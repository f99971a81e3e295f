import { afterAll, expect, test } from "bun:test";
import { createServer } from "node:http";
import { acceptKey, acceptWebSocket } from "./websocket.ts";

// RFC 6455 section 1.3's example key and answer.
test("the handshake answer is RFC 6455's", () => {
  expect(acceptKey("dGhlIHNhbXBsZSBub25jZQ==")).toBe("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
});

const server = createServer((_req, res) => res.end("plain"));
server.on("upgrade", (req, socket, head) => {
  const conn = acceptWebSocket(req, socket, head, {
    onMessage: (m) => conn?.send(typeof m === "string" ? `echo:${m}` : new Uint8Array([...m].reverse())),
    onClose: () => {},
  });
});
await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
const port = (server.address() as { port: number }).port;
afterAll(() => server.close());

test("text and binary messages both ways, one over 64 KiB (the 64-bit length), then close", async () => {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
  ws.binaryType = "arraybuffer";
  const got: unknown[] = [];
  const closed = new Promise((r) => ws.addEventListener("close", r));
  await new Promise((r) => ws.addEventListener("open", r));
  const next = () => new Promise((r) => ws.addEventListener("message", (e) => r(e.data), { once: true }));
  ws.send("hi");
  got.push(await next());
  ws.send(new Uint8Array([1, 2, 3]));
  got.push([...new Uint8Array((await next()) as ArrayBuffer)]);
  const big = "x".repeat(70_000);
  ws.send(big);
  got.push(((await next()) as string).length);
  ws.close();
  await closed;
  expect(got).toEqual(["echo:hi", [3, 2, 1], 70_005]);
});

/** A client frame as RFC 6455 wants it: masked. */
function clientFrame(fin: boolean, opcode: number, text: string): Buffer {
  const payload = Buffer.from(text);
  const mask = Buffer.from([1, 2, 3, 4]);
  const masked = Buffer.from(payload.map((b, i) => b ^ (mask[i % 4] as number)));
  return Buffer.concat([Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | payload.length]), mask, masked]);
}

test("a fragmented message is joined; a ping gets its pong; an unmasked frame closes with 1002", async () => {
  const { connect } = await import("node:net");
  const s = connect({ port, host: "127.0.0.1" });
  let got = Buffer.alloc(0);
  s.on("data", (d: Buffer) => {
    got = Buffer.concat([got, d]);
  });
  await new Promise((r) => s.once("connect", r));
  s.write(
    "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
  );
  s.write(Buffer.concat([clientFrame(false, 0x1, "ab"), clientFrame(true, 0x0, "cd"), clientFrame(true, 0x9, "p")]));
  s.write(Buffer.from([0x81, 0x01, 0x41]));
  await new Promise((r) => s.once("close", r));
  const text = got.toString("latin1");
  expect(text).toContain("101 Switching Protocols");
  expect(text).toContain("echo:abcd");
  // pong (0x8a) with the ping's payload, then close (0x88) with code 1002.
  expect(got.includes(Buffer.from([0x8a, 0x01, 0x70]))).toBe(true);
  expect(got.includes(Buffer.from([0x88]))).toBe(true);
  expect(got.subarray(got.lastIndexOf(0x88) + 2, got.lastIndexOf(0x88) + 4).readUInt16BE(0)).toBe(1002);
});
