import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { CertificatePem } from "./x509.ts";

/** <prefix>.pem, <prefix>.key (0600) and <prefix>.csr as Containerlab names them. */
export async function writeCertificate(dir: string, prefix: string, c: CertificatePem): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files = [join(dir, `${prefix}.pem`), join(dir, `${prefix}.key`)];
  await writeFile(files[0] as string, c.cert);
  await writeFile(files[1] as string, c.key, { mode: 0o600 });
  if (c.csr) {
    files.push(join(dir, `${prefix}.csr`));
    await writeFile(files[2] as string, c.csr);
  }
  return files;
}
