import { describe, expect, test } from "bun:test";
import { LabError } from "../errors.ts";
import { demuxStream, readNdjson } from "./streams.ts";

function frame(type: number, text: string): Uint8Array {
  const payload = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + payload.length);
  out[0] = type;
  new DataView(out.buffer).setUint32(4, payload.length);
  out.set(payload, 8);
  return out;
}

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(c);
      controller.close();
    },
  });
}

const decode = (b: Uint8Array) => new TextDecoder().decode(b);

describe("demuxStream", () => {
  test("separates stdout and stderr frames", async () => {
    const all = new Uint8Array([...frame(1, "out1 "), ...frame(2, "err"), ...frame(1, "out2")]);
    const result = await demuxStream(streamOf([all]));
    expect(decode(result.stdout)).toBe("out1 out2");
    expect(decode(result.stderr)).toBe("err");
  });

  test("reassembles frames split at every byte", async () => {
    const all = new Uint8Array([...frame(1, "hello"), ...frame(2, "world")]);
    const chunks = [...all].map((b) => new Uint8Array([b]));
    const result = await demuxStream(streamOf(chunks));
    expect(decode(result.stdout)).toBe("hello");
    expect(decode(result.stderr)).toBe("world");
  });
});

describe("readNdjson", () => {
  test("emits each object across chunk boundaries", async () => {
    const text = '{"status":"a"}\n{"sta' + 'tus":"b"}\n{"status":"c"}';
    const enc = new TextEncoder();
    const events: string[] = [];
    await readNdjson<{ status?: string }>(
      streamOf([enc.encode(text.slice(0, 10)), enc.encode(text.slice(10))]),
      (e) => events.push(e.status ?? ""),
      "pull",
    );
    expect(events).toEqual(["a", "b", "c"]);
  });

  test("throws the in-band error", async () => {
    const body = streamOf([
      new TextEncoder().encode(
        '{"status":"Pulling"}\n{"errorDetail":{"message":"manifest unknown"},"error":"manifest unknown"}\n',
      ),
    ]);
    const run = readNdjson(body, () => {}, "pull x");
    await expect(run).rejects.toBeInstanceOf(LabError);
    await expect(
      readNdjson(streamOf([new TextEncoder().encode('{"error":"denied"}\n')]), () => {}, "pull x"),
    ).rejects.toThrow("pull x: denied");
  });
});
