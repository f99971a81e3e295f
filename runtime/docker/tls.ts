import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { LabError } from "../errors.ts";
import type { TlsOptions } from "../platform/types.ts";

/**
 * A TLS engine's files as the docker CLI finds them: ca.pem, cert.pem and key.pem in
 * DOCKER_CERT_PATH (default ~/.docker); with `verify` the server must present a certificate from ca.pem.
 */
export function tlsFromCertPath(dir: string, verify: boolean): TlsOptions {
  const read = (name: string) => {
    const file = join(dir, name);
    if (!existsSync(file))
      throw new LabError("usage", `${file} is missing`, {
        hint: "A TLS engine needs ca.pem, cert.pem and key.pem there (DOCKER_CERT_PATH)",
      });
    return readFileSync(file, "utf8");
  };
  return { ca: read("ca.pem"), cert: read("cert.pem"), key: read("key.pem"), insecure: !verify };
}

/** DOCKER_TLS_VERIFY / DOCKER_TLS for a tcp:// DOCKER_HOST, as docker reads them; undefined: plain HTTP. */
export function tlsFromEnv(env: (name: string) => string | undefined): TlsOptions | undefined {
  const verify = !!env("DOCKER_TLS_VERIFY");
  if (!verify && !env("DOCKER_TLS")) return undefined;
  return tlsFromCertPath(env("DOCKER_CERT_PATH") || join(env("HOME") ?? "/root", ".docker"), verify);
}
