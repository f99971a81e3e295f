import { readFile } from "node:fs/promises";
import { defineCommand } from "citty";
import { writeCertificate } from "../../../core/cert/files.ts";
import { createCa, type Subject, signCertificate } from "../../../core/cert/x509.ts";
import { LabError } from "../../../core/errors.ts";
import { logfmt } from "../../../core/logfmt.ts";
import { parseDuration } from "../../../core/topology/units.ts";
import { logger } from "../../logger.ts";
import { globalArgs } from "../_shared.ts";

// Containerlab's tools cert flags and defaults (cmd/options.go ToolsCert).
const subjectArgs = {
  cn: { type: "string", default: "containerlab.dev", description: "Common Name" },
  country: { type: "string", alias: "c", default: "Internet", description: "Country" },
  locality: { type: "string", alias: "l", default: "Server", description: "Locality" },
  organization: { type: "string", alias: "o", default: "Containerlab", description: "Organization" },
  ou: { type: "string", default: "Containerlab Tools", description: "Organization Unit" },
  expiry: { type: "string", alias: "e", default: "87600h", description: "Validity (Go duration)" },
  path: { type: "string", alias: "p", description: "Directory to write to (default: this one)" },
  "key-size": { type: "string", default: "2048", description: "RSA key size in bits" },
} as const;

function options(args: Record<string, unknown>) {
  const validityMs = parseDuration(String(args.expiry));
  if (!validityMs) throw new LabError("usage", `--expiry ${args.expiry} is not a duration`, { hint: "e.g. 8760h" });
  const keySize = Number(args["key-size"]);
  const subject: Subject = {
    commonName: String(args.cn),
    country: args.country as string,
    locality: args.locality as string,
    organization: args.organization as string,
    organizationUnit: args.ou as string,
  };
  return { validityMs, keySize, subject, dir: (args.path as string | undefined) || process.cwd() };
}

const caCreate = defineCommand({
  meta: { name: "create", description: "Create a CA certificate and key (<name>.pem, <name>.key)" },
  args: {
    ...subjectArgs,
    name: { type: "string", alias: "n", default: "ca", description: "File name prefix" },
    ...globalArgs,
  },
  async run({ args }) {
    const o = options(args);
    // Containerlab's line (cmd/tools_cert.go createCA), which scripts and its tests read.
    logger.info(
      `Certificate attributes: CN=${args.cn}, C=${args.country}, L=${args.locality}, O=${args.organization}, OU=${args.ou}, Validity period=${args.expiry}`,
    );
    const files = await writeCertificate(o.dir, args.name, await createCa(o.subject, o));
    logger.success(`CA certificate and key: ${files.join(", ")}`);
  },
});

const sign = defineCommand({
  meta: { name: "sign", description: "Create a certificate and key signed by a CA, with hosts/IPs as SANs" },
  args: {
    ...subjectArgs,
    hosts: { type: "string", description: "Comma-separated host names and IP addresses (SANs)" },
    "ca-cert": { type: "string", description: "The CA certificate (PEM)" },
    "ca-key": { type: "string", description: "The CA private key (PEM)" },
    name: { type: "string", alias: "n", default: "cert", description: "File name prefix" },
    ...globalArgs,
  },
  async run({ args }) {
    if (!args["ca-cert"] || !args["ca-key"])
      throw new LabError("usage", "lab tools cert sign needs --ca-cert and --ca-key", {
        hint: "Make a CA with lab tools cert ca create",
      });
    const read = (file: string) =>
      readFile(file, "utf8").catch(() => {
        throw new LabError("not-found", `cannot read ${file}`);
      });
    const o = options(args);
    const ca = { cert: await read(args["ca-cert"]), key: await read(args["ca-key"]) };
    const hosts = (args.hosts ?? "")
      .split(",")
      .map((h) => h.trim())
      .filter(Boolean);
    logger.info(
      logfmt("Creating and signing certificate", [
        ["Hosts", hosts],
        ["CN", args.cn],
        ["C", args.country],
        ["L", args.locality],
        ["O", args.organization],
        ["OU", args.ou],
      ]),
    );
    const files = await writeCertificate(o.dir, args.name, await signCertificate(ca, o.subject, hosts, o));
    logger.success(`certificate, key and CSR: ${files.join(", ")}`);
  },
});

export default defineCommand({
  meta: { name: "cert", description: "TLS certificates: a CA, and certificates it signs" },
  subCommands: {
    ca: defineCommand({
      meta: { name: "ca", description: "Certificate authority" },
      subCommands: { create: caCreate },
    }),
    sign,
  },
});
