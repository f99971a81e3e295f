import type ssh2 from "ssh2";
import utils from "ssh2/lib/protocol/utils.js";

// ssh2's keepalive is always keepalive@openssh.com; Border0's edge and CLI use their own request
// name (keepalive@border0.com). This swaps the global request the client's protocol sends as its
// ping, built and sent with ssh2's own packet writer (so a rekey in progress queues it as usual);
// any reply, success or failure, counts as alive, as ssh2's keepalive counts it.

interface ProtocolLike {
  _packetRW: { write: { allocStart: number; alloc(n: number): Buffer; finalize(p: Buffer): Buffer } };
  ping?: () => void;
}

const GLOBAL_REQUEST = 80;
const { sendPacket } = utils as unknown as { sendPacket(proto: unknown, packet: Buffer): boolean };

export function sendKeepalive(client: ssh2.Client, request: string): void {
  const proto = (client as unknown as { _protocol?: ProtocolLike })._protocol;
  if (!proto?._packetRW) return;
  const name = Buffer.from(request);
  const payload = Buffer.alloc(1 + 4 + name.length + 1);
  payload[0] = GLOBAL_REQUEST;
  payload.writeUInt32BE(name.length, 1);
  name.copy(payload, 5);
  payload[5 + name.length] = 1; // want a reply
  proto.ping = function ping(this: ProtocolLike) {
    const packet = this._packetRW.write.alloc(payload.length);
    packet.set(payload, this._packetRW.write.allocStart);
    sendPacket(this, this._packetRW.write.finalize(packet));
  };
}
