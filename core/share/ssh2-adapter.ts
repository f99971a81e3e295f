import type ssh2 from "ssh2";
import Protocol from "ssh2/lib/protocol/Protocol.js";
import utils from "ssh2/lib/protocol/utils.js";
import { LabError } from "../errors.ts";

// The one place lab reaches into ssh2's private parts, for two things its public API cannot do:
// - OpenSSH user-certificate authentication (Border0 and mysocket sign a key for the session). ssh2
//   sends one algorithm name both as the public-key algorithm and inside the signature; for a
//   certificate the first must be the certificate type and the second the plain key type (OpenSSH's
//   PROTOCOL.certkeys). lab wraps Protocol.prototype.authPK for keys marked as certificates and
//   builds the USERAUTH_REQUEST with ssh2's own packet writer.
// - A keepalive with another request name (Border0's keepalive@border0.com): ssh2's is always
//   keepalive@openssh.com and it has no public way to send a global request of another name.
// ssh2 is pinned (package.json, 1.17.0) because of these; missingSsh2Internals() says what an
// upgrade broke, checked before the first connection and by this file's test, loudly.

interface PacketWriter {
  allocStart: number;
  alloc(n: number): Buffer;
  finalize(p: Buffer): Buffer;
}

interface ProtocolLike {
  _kex: { sessionID: Buffer };
  _packetRW: { write: PacketWriter };
  _authsQueue: string[];
  authPK(username: string, key: unknown, keyAlgo?: unknown, cbSign?: unknown): void;
  ping?: () => void;
}

const internals = utils as unknown as {
  sendPacket?(proto: unknown, packet: Buffer): boolean;
  convertSignature?(signature: Buffer, keyType: string): Buffer | false;
};
const proto = (Protocol as unknown as { prototype: ProtocolLike }).prototype;

/** What of ssh2's internals lab relies on is not there (empty: all is). */
export function missingSsh2Internals(): string[] {
  const missing: string[] = [];
  if (typeof proto?.authPK !== "function") missing.push("Protocol.prototype.authPK");
  if (typeof internals.sendPacket !== "function") missing.push("protocol/utils.sendPacket");
  if (typeof internals.convertSignature !== "function") missing.push("protocol/utils.convertSignature");
  return missing;
}

function requireInternals(): void {
  const missing = missingSsh2Internals();
  if (missing.length)
    throw new LabError("internal", `the ssh2 library changed what lab uses of it (${missing.join(", ")})`, {
      hint: "Install lab's pinned ssh2 (1.17.0), or a lab release that supports this ssh2",
    });
}

const sshString = (v: string | Buffer) => {
  const b = typeof v === "string" ? Buffer.from(v) : v;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
};

function sendPayload(p: ProtocolLike, payload: Buffer): void {
  const w = p._packetRW.write;
  const packet = w.alloc(payload.length);
  packet.set(payload, w.allocStart);
  internals.sendPacket?.(p, w.finalize(packet));
}

/** Marks a parsed ssh2 key as a certificate's: authPK presents the certificate for it. */
export const CERT = Symbol.for("lab.ssh-cert");
export interface CertMark {
  blob: Buffer;
  type: string;
  plainType: string;
}

const USERAUTH_REQUEST = 50;
const GLOBAL_REQUEST = 80;
let installed = false;

/** Teaches ssh2's authPK certificate keys (once, before the first connection that needs it). */
export function installCertAuth(): void {
  if (installed) return;
  requireInternals();
  installed = true;
  const original = proto.authPK;
  proto.authPK = function (this: ProtocolLike, username: string, key: unknown, keyAlgo?: unknown, cbSign?: unknown) {
    const cert = (key as { [CERT]?: CertMark } | undefined)?.[CERT];
    if (!cert) return original.call(this, username, key, keyAlgo, cbSign);
    const sign = (typeof keyAlgo === "function" ? keyAlgo : cbSign) as
      | ((data: Buffer, done: (sig: Buffer) => void) => void)
      | undefined;
    const head = Buffer.concat([
      Buffer.from([USERAUTH_REQUEST]),
      sshString(username),
      sshString("ssh-connection"),
      sshString("publickey"),
    ]);
    const tail = Buffer.concat([sshString(cert.type), sshString(cert.blob)]);
    const send = (payload: Buffer) => {
      this._authsQueue.push("publickey");
      sendPayload(this, payload);
    };
    if (!sign) return send(Buffer.concat([head, Buffer.from([0]), tail]));
    const toSign = Buffer.concat([sshString(this._kex.sessionID), head, Buffer.from([1]), tail]);
    sign(toSign, (raw) => {
      const signature = internals.convertSignature?.(raw, cert.plainType);
      if (!signature) throw new LabError("internal", "cannot encode the certificate signature");
      send(
        Buffer.concat([
          head,
          Buffer.from([1]),
          tail,
          sshString(Buffer.concat([sshString(cert.plainType), sshString(signature)])),
        ]),
      );
    });
  };
}

/**
 * Makes the client's keepalive a global request named `request` (want-reply set; any reply counts
 * as alive, as ssh2's own keepalive counts it), built with ssh2's packet writer so that a rekey in
 * progress queues it as usual. Call once the client is connected.
 */
export function setKeepaliveRequest(client: ssh2.Client, request: string): void {
  requireInternals();
  const p = (client as unknown as { _protocol?: ProtocolLike })._protocol;
  if (!p?._packetRW) return;
  const name = Buffer.from(request);
  const payload = Buffer.alloc(1 + 4 + name.length + 1);
  payload[0] = GLOBAL_REQUEST;
  payload.writeUInt32BE(name.length, 1);
  name.copy(payload, 5);
  payload[5 + name.length] = 1;
  p.ping = function ping(this: ProtocolLike) {
    sendPayload(this, payload);
  };
}
