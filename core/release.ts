import type { FetchFn } from "../runtime/platform/types.ts";
import { buildInfo } from "./build-info.ts";

// Where lab's releases live (the installer's source too); LAB_RELEASES_URL points elsewhere (a
// mirror, a test's server).
export const REPOSITORY = "https://github.com/labctl/lab";
export const releasesUrl = (env: Record<string, string | undefined>) =>
  (env.LAB_RELEASES_URL ?? `${REPOSITORY}/releases`).replace(/\/$/, "");

/** The release notes of a version, as Containerlab links them from `version`. */
export const releaseNotes = (version: string) => `${REPOSITORY}/releases/tag/v${version}`;

/** The `version -j` object, with Containerlab's keys (cmd/version.go). */
export const versionJson = () => ({
  version: buildInfo.version,
  commit: buildInfo.commit,
  date: buildInfo.date ?? "unknown",
  repository: REPOSITORY,
  releaseNotes: releaseNotes(buildInfo.version),
});

const parts = (v: string) =>
  v
    .replace(/^v/, "")
    .split(/[.-]/)
    .map((p) => Number.parseInt(p, 10) || 0);

/** Whether version a is newer than b (numeric parts compared in order). */
export function newer(a: string, b: string): boolean {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
  }
  return false;
}

/**
 * The newest release, read as Containerlab reads its own: a HEAD of releases/latest, whose redirect
 * names the tag (…/releases/tag/v1.2.3). Undefined when that cannot be had (offline, disabled with
 * CLAB_VERSION_CHECK=disable or LAB_VERSION_CHECK=disable, an answer without a tag).
 */
export async function latestRelease(
  fetch: FetchFn,
  env: Record<string, string | undefined>,
  timeoutMs = 5000,
): Promise<string | undefined> {
  if (/disable/i.test(env.CLAB_VERSION_CHECK ?? "") || /disable/i.test(env.LAB_VERSION_CHECK ?? "")) return undefined;
  try {
    const r = await fetch(`${releasesUrl(env)}/latest`, {
      method: "HEAD",
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    const tag = /\/tag\/v?([^/]+)$/.exec(r.headers.get("location") ?? "")?.[1];
    return tag;
  } catch {
    return undefined;
  }
}
