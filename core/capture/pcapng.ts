// Packets from several tcpdumps (classic pcap, one per interface, each in its own network
// namespace) merged into one pcapng stream: one Section Header, one Interface Description per
// source (named node:interface), Enhanced Packet Blocks in arrival order. Formats as the pcapng
// draft (draft-ietf-opsawg-pcapng) and pcap's file header define them; little-endian throughout.

const SHB = 0x0a0d0d0a;
const IDB = 0x00000001;
const EPB = 0x00000006;
const OPT_ENDOFOPT = 0;
const IF_NAME = 2;
const IF_TSRESOL = 9;

const pad4 = (n: number) => (4 - (n % 4)) % 4;

function block(type: number, body: Uint8Array): Uint8Array {
  const total = 12 + body.length + pad4(body.length);
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  v.setUint32(0, type, true);
  v.setUint32(4, total, true);
  out.set(body, 8);
  v.setUint32(total - 4, total, true);
  return out;
}

function option(code: number, value: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + value.length + pad4(value.length));
  const v = new DataView(out.buffer);
  v.setUint16(0, code, true);
  v.setUint16(2, value.length, true);
  out.set(value, 4);
  return out;
}

const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** The section header: byte-order magic, version 1.0, section length unknown (-1). */
export function sectionHeader(): Uint8Array {
  const body = new Uint8Array(16);
  const v = new DataView(body.buffer);
  v.setUint32(0, 0x1a2b3c4d, true);
  v.setUint16(4, 1, true);
  v.setUint16(6, 0, true);
  v.setBigInt64(8, -1n, true);
  return block(SHB, body);
}

/** An interface: its link type, snap length, name and timestamp resolution (10^-tsresol s). */
export function interfaceDescription(linktype: number, snaplen: number, name: string, tsresol: number): Uint8Array {
  const head = new Uint8Array(8);
  const v = new DataView(head.buffer);
  v.setUint16(0, linktype, true);
  v.setUint32(4, snaplen, true);
  const opts = [
    option(IF_NAME, new TextEncoder().encode(name)),
    option(IF_TSRESOL, new Uint8Array([tsresol])),
    option(OPT_ENDOFOPT, new Uint8Array()),
  ];
  return block(IDB, concat([head, ...opts]));
}

/** A packet of interface `id`, its timestamp in that interface's units. */
export function enhancedPacket(id: number, timestamp: bigint, data: Uint8Array, originalLength: number): Uint8Array {
  const head = new Uint8Array(20);
  const v = new DataView(head.buffer);
  v.setUint32(0, id, true);
  v.setUint32(4, Number(timestamp >> 32n), true);
  v.setUint32(8, Number(timestamp & 0xffffffffn), true);
  v.setUint32(12, data.length, true);
  v.setUint32(16, originalLength, true);
  return block(EPB, concat([head, data, new Uint8Array(pad4(data.length))]));
}

export interface PcapHeader {
  linktype: number;
  snaplen: number;
  /** 6 for microseconds, 9 for nanoseconds. */
  tsresol: number;
}

/**
 * Reads a classic pcap stream as it arrives: the file header once (`onHeader`), then each record
 * (`onPacket` with its timestamp in the header's units). Records may be split across chunks.
 */
export class PcapReader {
  private buffer: Uint8Array = new Uint8Array(0);
  private header?: PcapHeader & { little: boolean };

  constructor(
    private readonly onHeader: (h: PcapHeader) => void,
    private readonly onPacket: (timestamp: bigint, data: Uint8Array, originalLength: number) => void,
  ) {}

  push(chunk: Uint8Array): void {
    this.buffer = this.buffer.length ? concat([this.buffer, chunk]) : chunk;
    let at = 0;
    const v = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.byteLength);
    if (!this.header) {
      if (this.buffer.length < 24) return;
      const magicLe = v.getUint32(0, true);
      const little = magicLe === 0xa1b2c3d4 || magicLe === 0xa1b23c4d;
      const magic = little ? magicLe : v.getUint32(0, false);
      if (magic !== 0xa1b2c3d4 && magic !== 0xa1b23c4d) throw new Error("not a pcap stream");
      this.header = {
        little,
        tsresol: magic === 0xa1b23c4d ? 9 : 6,
        snaplen: v.getUint32(16, little),
        linktype: v.getUint32(20, little) & 0xffff,
      };
      this.onHeader(this.header);
      at = 24;
    }
    const { little, tsresol } = this.header;
    const scale = tsresol === 9 ? 1_000_000_000n : 1_000_000n;
    while (this.buffer.length - at >= 16) {
      const included = v.getUint32(at + 8, little);
      if (this.buffer.length - at - 16 < included) break;
      const seconds = BigInt(v.getUint32(at, little));
      const fraction = BigInt(v.getUint32(at + 4, little));
      const original = v.getUint32(at + 12, little);
      this.onPacket(seconds * scale + fraction, this.buffer.slice(at + 16, at + 16 + included), original);
      at += 16 + included;
    }
    this.buffer = this.buffer.slice(at);
  }
}
