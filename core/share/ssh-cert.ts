// OpenSSH user-certificate authentication for ssh2. ssh2 sends one algorithm name both as the
// public-key algorithm and inside the signature; for a certificate the first must be the
// certificate type (ecdsa-sha2-nistp256-cert-v01@openssh.com) and the second the plain key type
// (ecdsa-sha2-nistp256), per OpenSSH's PROTOCOL.certkeys. This wraps ssh2's authPK for keys marked
// as certificates and builds the USERAUTH_REQUEST with ssh2's own packet writer.

import ssh2 from "ssh2";
import Protocol from "ssh2/lib/protocol/Protocol.js";
import utils from "ssh2/lib/protocol/utils.js";

const CERT = Symbol.for("lab.ssh-cert");

interface ParsedKey {
  type: string;
  getPublicSSH(): Buffer;
  sign(data: Buffer, algo?: string): Buffer | Error;
  [CERT]?: { blob: Buffer; type: string; plainType: string };
}

interface ProtocolLike {
  _kex: { sessionID: Buffer };
  _packetRW: { write: { allocStart: number; alloc(n: number): Buffer; finalize(p: Buffer): Buffer } };
  _authsQueue: string[];
  authPK(username: string, key: unknown, keyAlgo?: unknown, cbSign?: unknown): void;
}

const sshString = (v: string | Buffer) => {
  const b = typeof v === "string" ? Buffer.from(v) : v;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
};

const USERAUTH_REQUEST = 50;
const proto = (Protocol as unknown as { prototype: ProtocolLike }).prototype;
const original = proto.authPK;

proto.authPK = function (this: ProtocolLike, username: string, key: unknown, keyAlgo?: unknown, cbSign?: unknown) {
  const cert = (key as ParsedKey | undefined)?.[CERT];
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
    const w = this._packetRW.write;
    const packet = w.alloc(payload.length);
    packet.set(payload, w.allocStart);
    this._authsQueue.push("publickey");
    (utils as unknown as { sendPacket(p: ProtocolLike, b: Buffer): void }).sendPacket(this, w.finalize(packet));
  };
  if (!sign) return send(Buffer.concat([head, Buffer.from([0]), tail]));
  const toSign = Buffer.concat([sshString(this._kex.sessionID), head, Buffer.from([1]), tail]);
  sign(toSign, (raw) => {
    const signature = (utils as unknown as { convertSignature(s: Buffer, t: string): Buffer | false }).convertSignature(
      raw,
      cert.plainType,
    );
    if (!signature) throw new Error("cannot encode the certificate signature");
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

/**
 * A key ssh2 can authenticate with, presenting `certLine` (an authorized_keys-format OpenSSH
 * certificate for the key's public half) instead of the bare public key.
 */
export function certifiedKey(privateKeyPem: string, certLine: string): unknown {
  const key = (ssh2 as unknown as { utils: { parseKey(k: string): ParsedKey | Error } }).utils.parseKey(privateKeyPem);
  if (key instanceof Error) throw key;
  const [type, b64] = certLine.trim().split(/\s+/);
  if (!type?.endsWith("-cert-v01@openssh.com") || !b64) throw new Error("not an OpenSSH certificate");
  const blob = Buffer.from(b64, "base64");
  key[CERT] = { blob, type, plainType: type.replace("-cert-v01@openssh.com", "") };
  return key;
}

/** The authorized_keys line of a PEM key's public half (what signkey wants). */
export function publicKeyLine(privateKeyPem: string): string {
  const key = (ssh2 as unknown as { utils: { parseKey(k: string): ParsedKey | Error } }).utils.parseKey(privateKeyPem);
  if (key instanceof Error) throw key;
  return `${key.type} ${key.getPublicSSH().toString("base64")}`;
}
