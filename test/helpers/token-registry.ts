import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Subprocess, spawn } from "bun";
import { sh, waitFor } from "./env.ts";
import { serveRegistry } from "./registry.ts";

export interface TokenRegistry {
  /** host:port of the registry. */
  address: string;
  tokenUrl: string;
  users: Record<string, string>;
  /** Scopes the token service was asked for, in order. */
  requests(): string[][];
  stop(): Promise<void>;
}

/**
 * The real Distribution registry with token auth, in front of a small token service that answers at a
 * Harbor-like `/service/token` realm and signs JWTs with a test key whose certificate the registry
 * trusts. Users get pull/push everywhere except repositories under `denied/`; only `admin` may list
 * the catalog.
 */
export async function startTokenRegistry(users: Record<string, string>): Promise<TokenRegistry> {
  const dir = mkdtempSync(join(tmpdir(), "lab-token-registry-"));
  const key = join(dir, "key.pem");
  const cert = join(dir, "cert.pem");
  const r = sh(
    `openssl req -x509 -newkey rsa:2048 -nodes -keyout ${key} -out ${cert} -days 2 -subj /CN=lab-test-token 2>&1`,
  );
  if (r.code !== 0) throw new Error(`openssl failed: ${r.stdout}`);
  const portFile = join(dir, "token.port");
  const logFile = join(dir, "token.log");
  writeFileSync(logFile, "");
  const tokenProc: Subprocess = spawn(
    [process.execPath, join(import.meta.dir, "token-server.ts"), portFile, key, cert, JSON.stringify(users), logFile],
    { stdout: "ignore", stderr: "inherit" },
  );
  await waitFor(() => existsSync(portFile) && readFileSync(portFile, "utf8") !== "", 10_000, "the token service");
  const tokenPort = Number(readFileSync(portFile, "utf8"));

  const tokenUrl = `http://127.0.0.1:${tokenPort}/service/token`;
  const { address, proc } = await serveRegistry(
    dir,
    `auth: { token: { realm: "${tokenUrl}", service: harbor-registry, issuer: lab-test-issuer, rootcertbundle: ${cert} } }`,
  ).catch((error) => {
    tokenProc.kill();
    throw error;
  });
  return {
    address,
    tokenUrl,
    users,
    requests: () =>
      readFileSync(logFile, "utf8")
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as string[]),
    async stop() {
      proc.kill();
      tokenProc.kill();
      await Promise.all([proc.exited, tokenProc.exited]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ProjectRegistry {
  address: string;
  accounts: Record<string, { password: string; projects: string[] }>;
  /** What the token service was asked: the caller it recognised and the scopes. */
  requests(): { user: string; scopes: string[] }[];
  stop(): Promise<void>;
}

/**
 * The real Distribution registry behind a token service that grants as Harbor's does: robot
 * accounts reach only their own projects (test/helpers/project-token-server.ts), tokens signed RS256
 * with a `kid` Distribution looks up in its rootcertbundle.
 */
export async function startProjectRegistry(
  accounts: Record<string, { password: string; projects: string[] }>,
): Promise<ProjectRegistry> {
  const dir = mkdtempSync(join(tmpdir(), "lab-project-registry-"));
  const key = join(dir, "key.pem");
  const cert = join(dir, "cert.pem");
  const r = sh(
    `openssl req -x509 -newkey rsa:2048 -nodes -keyout ${key} -out ${cert} -days 2 -subj /CN=lab-test-harbor 2>&1`,
  );
  if (r.code !== 0) throw new Error(`openssl failed: ${r.stdout}`);
  const portFile = join(dir, "token.port");
  const logFile = join(dir, "token.log");
  writeFileSync(logFile, "");
  const tokenProc: Subprocess = spawn(
    [
      process.execPath,
      join(import.meta.dir, "project-token-server.ts"),
      portFile,
      key,
      JSON.stringify(accounts),
      logFile,
    ],
    { stdout: "ignore", stderr: "inherit" },
  );
  await waitFor(() => existsSync(portFile) && readFileSync(portFile, "utf8") !== "", 10_000, "the token service");
  const tokenUrl = `http://127.0.0.1:${readFileSync(portFile, "utf8")}/service/token`;
  const { address, proc } = await serveRegistry(
    dir,
    `auth: { token: { realm: "${tokenUrl}", service: harbor-registry, issuer: lab-test-harbor, rootcertbundle: ${cert} } }`,
  ).catch((error) => {
    tokenProc.kill();
    throw error;
  });
  return {
    address,
    accounts,
    requests: () =>
      readFileSync(logFile, "utf8")
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l)),
    async stop() {
      proc.kill();
      tokenProc.kill();
      await Promise.all([proc.exited, tokenProc.exited]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
