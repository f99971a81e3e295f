import { expect, test } from "bun:test";
import { enhancedPacket, interfaceDescription, PcapReader, sectionHeader } from "./pcapng.ts";

// Checked against the pcapng draft's block layouts and pcap's file header (libpcap's pcap-savefile).
test("a pcap stream split anywhere gives its header and records", () => {
  const header = new Uint8Array(24);
  const hv = new DataView(header.buffer);
  hv.setUint32(0, 0xa1b2c3d4, true);
  hv.setUint16(4, 2, true);
  hv.setUint16(6, 4, true);
  hv.setUint32(16, 262144, true);
  hv.setUint32(20, 1, true);
  const rec = new Uint8Array(16 + 3);
  const rv = new DataView(rec.buffer);
  rv.setUint32(0, 10, true);
  rv.setUint32(4, 5, true);
  rv.setUint32(8, 3, true);
  rv.setUint32(12, 60, true);
  rec.set([1, 2, 3], 16);
  const all = new Uint8Array([...header, ...rec, ...rec]);
  const got: unknown[] = [];
  const reader = new PcapReader(
    (h) => got.push(h),
    (ts, data, len) => got.push([ts, [...data], len]),
  );
  for (const piece of [all.slice(0, 7), all.slice(7, 30), all.slice(30)]) reader.push(piece);
  expect(got).toEqual([
    { linktype: 1, snaplen: 262144, tsresol: 6, little: true },
    [10_000_005n, [1, 2, 3], 60],
    [10_000_005n, [1, 2, 3], 60],
  ]);
});

test("blocks: lengths repeated at both ends, padded to 32 bits, the byte-order magic", () => {
  const shb = sectionHeader();
  const v = new DataView(shb.buffer);
  expect(v.getUint32(0, true)).toBe(0x0a0d0d0a);
  expect(v.getUint32(8, true)).toBe(0x1a2b3c4d);
  expect(v.getUint32(4, true)).toBe(shb.length);
  const idb = interfaceDescription(1, 262144, "r1:eth1", 6);
  expect(idb.length % 4).toBe(0);
  expect(new DataView(idb.buffer).getUint32(idb.length - 4, true)).toBe(idb.length);
  const epb = enhancedPacket(1, 0x1_0000_0002n, new Uint8Array([9, 9, 9]), 3);
  const e = new DataView(epb.buffer);
  expect([e.getUint32(0, true), e.getUint32(8, true), e.getUint32(12, true), e.getUint32(16, true)]).toEqual([
    6, 1, 1, 2,
  ]);
  expect(epb.length).toBe(12 + 20 + 4);
});
