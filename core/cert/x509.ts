import { createPrivateKey, createPublicKey, randomBytes, X509Certificate } from "node:crypto";
import { isIP } from "node:net";
import { LabError } from "../errors.ts";

// Certificates as Containerlab's cert package makes them (a lab CA; node certificates for
// server and client auth with the node's names and addresses as SANs), built with @peculiar/x509
// over WebCrypto rather than hand-written ASN.1. Keys are written as Containerlab writes them
// (PKCS#1 "RSA PRIVATE KEY" PEM); node:crypto converts between that and WebCrypto's PKCS#8.

export interface Subject {
  commonName: string;
  country?: string;
  locality?: string;
  organization?: string;
  organizationUnit?: string;
}

export interface CertificatePem {
  cert: string;
  key: string;
  csr?: string;
}

const RSA = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256", publicExponent: new Uint8Array([1, 0, 1]) } as const;
export const DEFAULT_KEY_SIZE = 2048;
export const YEAR_MS = 365 * 24 * 3600 * 1000;

// tsyringe (inside @peculiar/x509) needs the reflect-metadata polyfill loaded first; both load only
// when a certificate is made.
let lib: Promise<typeof import("@peculiar/x509")> | undefined;
function x509() {
  lib ??= import("reflect-metadata").then(() => import("@peculiar/x509"));
  return lib;
}

/**
 * The subject as Go's pkix.Name writes it (ToRDNSequence), which Containerlab's certificates go
 * through: C, L, O, OU always, empty when unset (each is a one-element slice there), then CN when
 * it is not empty. openssl shows a lab CA as `C = US, L = , O = containerlab, OU = , CN = … lab CA`.
 */
function dn(s: Subject): { [key: string]: string[] }[] {
  return [
    { C: [s.country ?? ""] },
    { L: [s.locality ?? ""] },
    { O: [s.organization ?? ""] },
    { OU: [s.organizationUnit ?? ""] },
    ...(s.commonName ? [{ CN: [s.commonName] }] : []),
  ];
}

async function newKeys(keySize: number): Promise<CryptoKeyPair> {
  if (!Number.isInteger(keySize) || keySize < 1024 || keySize > 8192)
    throw new LabError("usage", `key size ${keySize} is not one lab makes (1024–8192 bits)`);
  return crypto.subtle.generateKey({ ...RSA, modulusLength: keySize }, true, [
    "sign",
    "verify",
  ]) as Promise<CryptoKeyPair>;
}

/** A PKCS#1 or PKCS#8 PEM private key as WebCrypto keys. */
async function importKeys(pem: string): Promise<CryptoKeyPair> {
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw new LabError("input", `cannot read the private key: ${(error as Error).message}`);
  }
  const pkcs8 = key.export({ type: "pkcs8", format: "der" });
  const spki = createPublicKey(key).export({ type: "spki", format: "der" });
  return {
    privateKey: await crypto.subtle.importKey("pkcs8", pkcs8, RSA, true, ["sign"]),
    publicKey: await crypto.subtle.importKey("spki", spki, RSA, true, ["verify"]),
  };
}

async function pkcs1Pem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await crypto.subtle.exportKey("pkcs8", key));
  return createPrivateKey({ key: der, format: "der", type: "pkcs8" }).export({
    type: "pkcs1",
    format: "pem",
  }) as string;
}

const serial = () => {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] as number) & 0x7f;
  return bytes.toString("hex");
};

export async function createCa(
  subject: Subject,
  options: { validityMs?: number; keySize?: number } = {},
): Promise<CertificatePem> {
  const x = await x509();
  const keys = await newKeys(options.keySize ?? DEFAULT_KEY_SIZE);
  const now = new Date();
  const cert = await x.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: dn(subject),
    notBefore: now,
    notAfter: new Date(now.getTime() + (options.validityMs ?? YEAR_MS)),
    signingAlgorithm: RSA,
    keys,
    extensions: [
      new x.BasicConstraintsExtension(true, undefined, true),
      new x.KeyUsagesExtension(
        x.KeyUsageFlags.keyCertSign | x.KeyUsageFlags.cRLSign | x.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString("pem"), key: await pkcs1Pem(keys.privateKey) };
}

/** Hosts split as Containerlab's parseHostsInput does: IP addresses and DNS names. */
export function splitHosts(hosts: string[]): { dns: string[]; ips: string[] } {
  const clean = [...new Set(hosts.map((h) => h.trim()).filter(Boolean))];
  return { dns: clean.filter((h) => !isIP(h)), ips: clean.filter((h) => isIP(h)) };
}

/**
 * A certificate for server and client auth, signed by the CA, with `hosts` as SANs. `key` reuses a
 * private key (re-issuing for new addresses keeps what a node already loaded valid).
 */
export async function signCertificate(
  ca: CertificatePem,
  subject: Subject,
  hosts: string[],
  options: { validityMs?: number; keySize?: number; key?: string } = {},
): Promise<CertificatePem> {
  const x = await x509();
  const caCert = new x.X509Certificate(ca.cert);
  const caKeys = await importKeys(ca.key);
  const keys = options.key ? await importKeys(options.key) : await newKeys(options.keySize ?? DEFAULT_KEY_SIZE);
  const { dns, ips } = splitHosts(hosts);
  const san = new x.SubjectAlternativeNameExtension([
    ...dns.map((value) => ({ type: "dns" as const, value })),
    ...ips.map((value) => ({ type: "ip" as const, value })),
  ]);
  const now = new Date();
  const cert = await x.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: dn(subject),
    issuer: caCert.subjectName,
    notBefore: now,
    notAfter: new Date(now.getTime() + (options.validityMs ?? YEAR_MS)),
    signingAlgorithm: RSA,
    publicKey: keys.publicKey,
    signingKey: caKeys.privateKey,
    extensions: [
      new x.BasicConstraintsExtension(false, undefined, true),
      new x.KeyUsagesExtension(x.KeyUsageFlags.digitalSignature | x.KeyUsageFlags.keyEncipherment, true),
      new x.ExtendedKeyUsageExtension([x.ExtendedKeyUsage.serverAuth, x.ExtendedKeyUsage.clientAuth]),
      san,
      await x.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const csr = await x.Pkcs10CertificateRequestGenerator.create({
    name: dn(subject),
    keys,
    signingAlgorithm: RSA,
    extensions: [san],
  });
  return {
    cert: cert.toString("pem"),
    key: options.key ?? (await pkcs1Pem(keys.privateKey)),
    csr: csr.toString("pem"),
  };
}

/** What a PEM certificate says: for checks (is it valid, does it cover these names). */
export function describeCertificate(pem: string): { subject: string; sans: string[]; notAfter: Date; ca: boolean } {
  const c = new X509Certificate(pem);
  const sans = (c.subjectAltName ?? "")
    .split(", ")
    .filter(Boolean)
    .map((s) => s.replace(/^(DNS|IP Address):/, ""));
  return { subject: c.subject, sans, notAfter: new Date(c.validTo), ca: c.ca };
}
