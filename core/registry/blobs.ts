import { LabError } from "../errors.ts";
import type { RegistryClient } from "./client.ts";

/** Thrown when an upload cannot continue where it stopped: the blob must be sent again from its start. */
export class RestartBlob extends Error {
  override name = "RestartBlob";
}

export const pushScope = (repo: string) => `repository:${repo}:pull,push`;
export const pullScope = (repo: string) => `repository:${repo}:pull`;

export async function blobExists(
  client: RegistryClient,
  repo: string,
  digest: string,
  signal?: AbortSignal,
): Promise<number | undefined> {
  const r = await client.request("HEAD", `/v2/${repo}/blobs/${digest}`, {
    scopes: [pushScope(repo)],
    accept: [200, 404],
    what: `check blob ${digest.slice(0, 19)} in ${repo}`,
    signal,
  });
  await r.body?.cancel();
  return r.status === 200 ? Number(r.headers.get("content-length") ?? 0) : undefined;
}

/**
 * Cross-repository mount; true when the registry linked the blob without any upload. A refused
 * mount is no error: Harbor's token service grants an account only its own projects, so mounting
 * from another project answers 401 (403, or 404 for a blob the source lacks), and the blob is
 * uploaded instead, as skopeo does after "Mount failed".
 */
export async function mountBlob(
  client: RegistryClient,
  repo: string,
  digest: string,
  from: string,
  signal?: AbortSignal,
): Promise<boolean> {
  const r = await client.request(
    "POST",
    `/v2/${repo}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`,
    {
      scopes: [pushScope(repo), pullScope(from)],
      accept: [201, 202, 401, 403, 404],
      what: `mount ${digest.slice(0, 19)} from ${from}`,
      signal,
    },
  );
  await r.body?.cancel();
  if (r.status === 201) return true;
  if (r.status !== 202) return false;
  // 202: the registry opened an upload session instead; close it.
  const location = r.headers.get("location");
  if (location)
    await client
      .request("DELETE", location, {
        scopes: [pushScope(repo)],
        accept: [200, 202, 204, 404],
        what: "cancel upload",
        retry: false,
      })
      .catch(() => {});
  return false;
}

function withDigest(location: string, digest: string): string {
  const url = new URL(location, "http://placeholder/");
  url.searchParams.set("digest", digest);
  return /^https?:\/\//.test(location) ? url.toString() : `${url.pathname}${url.search}`;
}

function withoutState(location: string): string {
  const url = new URL(location, "http://placeholder/");
  url.searchParams.delete("_state");
  return /^https?:\/\//.test(location) ? url.toString() : `${url.pathname}${url.search}`;
}

/**
 * An upload session (POST, one streamed PATCH, PUT ?digest=). The PATCH always goes to the newest
 * Location; how a cut connection is recovered is described at stream().
 */
export class BlobUpload {
  private offset = 0;

  private constructor(
    private readonly client: RegistryClient,
    private readonly repo: string,
    private location: string,
    private readonly signal?: AbortSignal,
    private readonly onSent?: (bytes: number) => void,
  ) {}

  static async start(
    client: RegistryClient,
    repo: string,
    options: { signal?: AbortSignal; onSent?: (bytes: number) => void } = {},
  ): Promise<BlobUpload> {
    const r = await client.request("POST", `/v2/${repo}/blobs/uploads/`, {
      scopes: [pushScope(repo)],
      headers: { "content-length": "0" },
      accept: [202],
      what: `start upload to ${repo}`,
      signal: options.signal,
    });
    await r.body?.cancel();
    const location = r.headers.get("location");
    if (!location) throw new LabError("remote", `${client.registry} opened an upload without a Location`);
    return new BlobUpload(client, repo, location, options.signal, options.onSent);
  }

  /**
   * Sends a whole blob as one streamed PATCH (chunked transfer, no copies, backpressure all the way
   * to the image export). The last WINDOW bytes stay referenced: if the connection drops and the
   * registry reports a committed offset inside that window, the rest is streamed from there;
   * otherwise the blob must restart.
   */
  async stream(source: AsyncIterable<Uint8Array>): Promise<void> {
    const WINDOW = 4 << 20;
    const iterator = source[Symbol.asyncIterator]();
    const window: Uint8Array[] = [];
    let windowStart = this.offset;
    let windowBytes = 0;
    let produced = this.offset;
    let pending: Uint8Array[] = [];
    const remember = (chunk: Uint8Array) => {
      window.push(chunk);
      windowBytes += chunk.length;
      produced += chunk.length;
      while (windowBytes - (window[0]?.length ?? 0) >= WINDOW) {
        const dropped = window.shift() as Uint8Array;
        windowBytes -= dropped.length;
        windowStart += dropped.length;
      }
    };
    for (let attempt = 0; attempt < 5; attempt++) {
      let sentHere = 0;
      const body = new ReadableStream<Uint8Array>({
        pull: async (controller) => {
          const next = pending.shift();
          if (next) {
            controller.enqueue(next);
            return;
          }
          const { done, value } = await iterator.next();
          if (done) return controller.close();
          remember(value);
          sentHere += value.length;
          this.onSent?.(value.length);
          controller.enqueue(value);
        },
      });
      try {
        const r = await this.client.request("PATCH", this.location, {
          scopes: [pushScope(this.repo)],
          headers: { "content-type": "application/octet-stream" },
          body,
          accept: [202],
          what: `upload to ${this.repo}`,
          signal: this.signal,
          retry: false,
        });
        await r.body?.cancel();
        this.location = r.headers.get("location") ?? this.location;
        this.offset = produced;
        return;
      } catch (error) {
        if (this.signal?.aborted || (error instanceof LabError && error.code !== "remote")) throw error;
        const committed = await this.committedOffset();
        if (committed === undefined || committed < windowStart || committed > produced) {
          throw new RestartBlob(`upload session lost at byte ${produced - sentHere}: ${(error as Error).message}`);
        }
        // Resend what the registry does not have from the window, then carry on with the source.
        pending = [];
        let at = windowStart;
        for (const chunk of window) {
          const end = at + chunk.length;
          if (end > committed) pending.push(at >= committed ? chunk : chunk.subarray(committed - at));
          at = end;
        }
        await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
      }
    }
    throw new RestartBlob(`upload to ${this.repo} kept failing`);
  }

  /**
   * How much of the session the registry holds, or undefined when the session is gone. The newest
   * Location is asked first (still valid when the cut came before any byte landed); then the URL
   * without `_state`, which registries that keep state server-side accept. Distribution signs the
   * offset into `_state` and drops a session whose offset no longer matches, so after a partial
   * write there the blob restarts.
   */
  private async committedOffset(): Promise<number | undefined> {
    for (const location of [this.location, withoutState(this.location)]) {
      try {
        const r = await this.client.request("GET", location, {
          scopes: [pushScope(this.repo)],
          accept: [204],
          what: "upload status",
          signal: this.signal,
          retry: false,
        });
        await r.body?.cancel();
        const range = /^(?:bytes=)?0-(\d+)$/.exec(r.headers.get("range") ?? "");
        this.location = r.headers.get("location") ?? this.location;
        return range ? Number(range[1]) + 1 : 0;
      } catch {
        // try the next form
      }
    }
    return undefined;
  }

  /** Commits the blob under `digest`. */
  async finish(digest: string): Promise<void> {
    const r = await this.client.request("PUT", withDigest(this.location, digest), {
      scopes: [pushScope(this.repo)],
      headers: { "content-length": "0" },
      accept: [201],
      what: `commit blob ${digest.slice(0, 19)} to ${this.repo}`,
      signal: this.signal,
    });
    await r.body?.cancel();
  }

  async cancel(): Promise<void> {
    await this.client
      .request("DELETE", this.location, {
        scopes: [pushScope(this.repo)],
        accept: [200, 202, 204, 404],
        what: "cancel upload",
        retry: false,
      })
      .catch(() => {});
  }
}

/** Uploads bytes already in memory (config, manifests, small blobs). */
export async function uploadBytes(
  client: RegistryClient,
  repo: string,
  data: Uint8Array,
  digest: string,
  signal?: AbortSignal,
): Promise<void> {
  const upload = await BlobUpload.start(client, repo, { signal });
  if (data.length) {
    await upload.stream(
      (async function* () {
        yield data;
      })(),
    );
  }
  await upload.finish(digest);
}
