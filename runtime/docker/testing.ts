import { localHostFiles } from "../platform/host-files.ts";
import type { FetchFn, Platform } from "../platform/types.ts";

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * A platform whose unix fetch records requests and answers from `respond`, for testing how the
 * engine client builds requests and maps errors without an engine.
 */
export function recordingPlatform(
  respond: (req: RecordedRequest) => Response | Promise<Response>,
  stat: Platform["stat"] = async () => ({ kind: "socket", mode: 0o660, size: 0 }),
): { platform: Platform; requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const fetchFn: FetchFn = async (input, init) => {
    const request = new Request(input, init);
    const rec: RecordedRequest = {
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers.entries()),
      body: init?.body ? await request.text() : undefined,
    };
    requests.push(rec);
    return respond(rec);
  };
  const platform = {
    name: "bun",
    version: "test",
    uid: 0,
    unixFetch: () => fetchFn,
    tlsFetch: () => fetchFn,
    run: async () => ({ code: 0, stdout: new Uint8Array(), stderr: new Uint8Array() }),
    readText: async () => "",
    writeText: async () => {},
    stat,
    host: "local",
    ...localHostFiles,
    env: () => undefined,
    selfCommand: () => ["lab"],
    spawnDetached: () => 0,
    spawnLines: async () => 0,
    spawnStream: async () => ({ code: 0, stderr: "" }),
    txChecksumOff: async () => [],
  } satisfies Platform;
  return { platform, requests };
}

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

/** Answers `/_ping` with API 1.45 and routes everything else to `rest`. */
export function engineStub(rest: (req: RecordedRequest) => Response | Promise<Response>) {
  return (req: RecordedRequest) =>
    req.url.endsWith("/_ping") ? new Response("OK", { headers: { "api-version": "1.45" } }) : rest(req);
}
