import { existsSync, readFileSync } from "node:fs";
import { appendFile, mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { TunnelStatus } from "./tunnel.ts";

export interface SharedSocket {
  name: string;
  node: string;
  socketId: string;
  dnsname: string;
  ports: number[];
  type: string;
  cloudAuth: boolean;
  tunnelId: string;
  localPort: number;
  target: string;
  address: string;
  status: TunnelStatus;
  /** Who may connect, in words. */
  who?: string;
  /** A policy made for it (Border0), deleted with it. */
  policyId?: string;
}

export interface ShareState {
  lab: string;
  pid: number;
  startedAt: string;
  /** mysocket, border0 or ssh; absent in states written before providers (mysocket). */
  provider?: string;
  /** The arguments that rebuild the provider (lab down's cleanup of what a dead sharer left). */
  providerArgs?: string[];
  api: string;
  edge: string;
  ready: boolean;
  sockets: SharedSocket[];
  /** Warnings and notes for whoever started the share (a detached sharer cannot print them). */
  notes?: string[];
  error?: string;
  stoppedAt?: string;
  /** The shared console (lab share --console): its address, login name, and who is on which terminal. */
  console?: { url: string; user?: string; readOnly: boolean };
  consoleSessions?: { node: string; who: string; since: string; readOnly: boolean }[];
}

export const shareDir = (labDir: string) => join(labDir, "share");
export const statePath = (labDir: string) => join(shareDir(labDir), "status.json");
export const logPath = (labDir: string) => join(shareDir(labDir), "share.log");
export const socketLogPath = (labDir: string, name: string) => join(shareDir(labDir), `socket-${name}.log`);

export function readState(labDir: string): ShareState | undefined {
  const path = statePath(labDir);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, "utf8")) as ShareState;
  } catch {
    return undefined;
  }
}

export async function writeState(labDir: string, state: ShareState): Promise<void> {
  await mkdir(shareDir(labDir), { recursive: true });
  const tmp = `${statePath(labDir)}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`);
  await rename(tmp, statePath(labDir));
}

export async function appendLog(file: string, line: string): Promise<void> {
  await appendFile(file, `${new Date().toISOString()} ${line}\n`).catch(() => {});
}

export async function clearState(labDir: string): Promise<void> {
  await rm(statePath(labDir), { force: true });
}

export function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
