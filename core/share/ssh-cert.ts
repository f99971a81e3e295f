// OpenSSH user certificates for ssh2 sessions (Border0 and mysocket sign a key per session): the key
// parsed by ssh2's public parser and marked as the certificate's; presenting it is ssh2-adapter.ts's.

import ssh2 from "ssh2";
import { LabError } from "../errors.ts";
import { CERT, type CertMark, installCertAuth } from "./ssh2-adapter.ts";

interface ParsedKey {
  type: string;
  getPublicSSH(): Buffer;
  [CERT]?: CertMark;
}

const parseKey = (pem: string) =>
  (ssh2 as unknown as { utils: { parseKey(k: string): ParsedKey | Error } }).utils.parseKey(pem);

/**
 * A key ssh2 can authenticate with, presenting `certLine` (an authorized_keys-format OpenSSH
 * certificate for the key's public half) instead of the bare public key.
 */
export function certifiedKey(privateKeyPem: string, certLine: string): unknown {
  installCertAuth();
  const key = parseKey(privateKeyPem);
  if (key instanceof Error) throw key;
  const [type, b64] = certLine.trim().split(/\s+/);
  if (!type?.endsWith("-cert-v01@openssh.com") || !b64)
    throw new LabError("remote", "the certificate the service gave is not an OpenSSH certificate");
  key[CERT] = { blob: Buffer.from(b64, "base64"), type, plainType: type.replace("-cert-v01@openssh.com", "") };
  return key;
}

/** The authorized_keys line of a PEM key's public half (what signkey wants). */
export function publicKeyLine(privateKeyPem: string): string {
  const key = parseKey(privateKeyPem);
  if (key instanceof Error) throw key;
  return `${key.type} ${key.getPublicSSH().toString("base64")}`;
}
