import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { LabError } from "../errors.ts";
import type { LabModel, NodeModel } from "../topology/model.ts";
import { writeCertificate } from "./files.ts";
import { type CertificatePem, createCa, describeCertificate, signCertificate } from "./x509.ts";

// Certificates for nodes with `certificate: issue: true` (and kinds that always serve TLS), as
// Containerlab issues them at deploy: a lab CA in <labDir>/.tls/ca/ (or the one named by
// settings.certificate-authority, or CLAB_CA_CERT_FILE / CLAB_CA_KEY_FILE), and per node
// <labDir>/.tls/<node>/<node>.pem|.key|.csr with its short and long names, FQDN, `sans` and
// management addresses. Existing files are reused, so a redeploy keeps what nodes trust.

export interface NodeTls {
  cert: string;
  key: string;
  /** The CA certificate (Containerlab's TLSAnchor). */
  anchor: string;
}

export const tlsDir = (lab: LabModel) => join(lab.labDir, ".tls");

async function readPair(cert: string, key: string): Promise<CertificatePem | undefined> {
  if (!existsSync(cert) || !existsSync(key)) return undefined;
  return { cert: await readFile(cert, "utf8"), key: await readFile(key, "utf8") };
}

/** The lab's CA: external, already in the lab dir, or made now. */
export async function labCa(lab: LabModel, env: Record<string, string | undefined>): Promise<CertificatePem> {
  const s = lab.certificateAuthority ?? {};
  const cert = env.CLAB_CA_CERT_FILE || s.cert;
  const key = env.CLAB_CA_KEY_FILE || s.key;
  if (cert && key) {
    const external = await readPair(cert, key);
    if (!external) throw new LabError("input", `the CA files ${cert} and ${key} cannot be read`);
    return external;
  }
  const dir = join(tlsDir(lab), "ca");
  const existing = await readPair(join(dir, "ca.pem"), join(dir, "ca.key"));
  if (existing && describeCertificate(existing.cert).notAfter > new Date()) return existing;
  const ca = await createCa(
    { commonName: `${lab.name} lab CA`, country: "US", organization: "containerlab" },
    { validityMs: s.validityMs, keySize: s.keySize },
  );
  await writeCertificate(dir, "ca", ca);
  return ca;
}

/** The names and addresses a node's certificate covers (Containerlab's, and the addresses it has). */
export function nodeHosts(node: NodeModel, addresses: string[] = []): string[] {
  return [
    ...new Set(
      [
        node.name,
        node.longName,
        node.fqdn,
        ...(node.certificate?.sans ?? []),
        node.mgmtIpv4,
        node.mgmtIpv6,
        ...addresses,
      ]
        .filter((h): h is string => !!h)
        .map((h) => h.replace(/\/\d+$/, "")),
    ),
  ];
}

const covers = (cert: string, hosts: string[]) => {
  const sans = describeCertificate(cert).sans.map((s) => s.toLowerCase());
  const norm = (h: string) => (h.includes(":") ? normalizeV6(h) : h.toLowerCase());
  return hosts.every(
    (h) => sans.includes(norm(h)) || sans.map((s) => (s.includes(":") ? normalizeV6(s) : s)).includes(norm(h)),
  );
};

/** IPv6 in node:crypto's spelling of SANs (full, upper case, no zero compression). */
function normalizeV6(address: string): string {
  const [head = "", tail = ""] = address.split("::");
  const a = head ? head.split(":") : [];
  const b = tail ? tail.split(":") : [];
  const zeros = address.includes("::") ? Array(8 - a.length - b.length).fill("0") : [];
  return [...a, ...zeros, ...b].map((p) => (p.replace(/^0+/, "") || "0").toUpperCase()).join(":");
}

/**
 * Issues (or reuses) the certificate of each node that wants one; `addresses` adds management
 * addresses known only once the container runs, re-signing with the same key when they are new.
 */
export async function issueNodeCertificate(
  lab: LabModel,
  node: NodeModel,
  ca: CertificatePem,
  addresses: string[] = [],
): Promise<NodeTls> {
  const dir = join(tlsDir(lab), node.name);
  const hosts = nodeHosts(node, addresses);
  const existing = await readPair(join(dir, `${node.name}.pem`), join(dir, `${node.name}.key`));
  if (existing && covers(existing.cert, hosts) && describeCertificate(existing.cert).notAfter > new Date())
    return { cert: existing.cert, key: existing.key, anchor: ca.cert };
  const issued = await signCertificate(
    ca,
    { commonName: node.fqdn, organization: "containerlab", country: "US" },
    hosts,
    {
      keySize: node.certificate?.keySize,
      validityMs: node.certificate?.validityMs,
      key: existing?.key,
    },
  );
  await writeCertificate(dir, node.name, issued);
  return { cert: issued.cert, key: issued.key, anchor: ca.cert };
}

/** Every certificate the nodes need before their containers are created. */
export async function issueCertificates(
  lab: LabModel,
  nodes: NodeModel[],
  env: Record<string, string | undefined>,
): Promise<{ ca?: CertificatePem; tls: Map<string, NodeTls> }> {
  const tls = new Map<string, NodeTls>();
  const wanting = nodes.filter((n) => n.certificate?.issue);
  if (!wanting.length) return { tls };
  const ca = await labCa(lab, env);
  for (const n of wanting) tls.set(n.name, await issueNodeCertificate(lab, n, ca));
  return { ca, tls };
}
