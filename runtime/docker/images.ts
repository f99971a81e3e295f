import { LabError } from "../errors.ts";
import { orNullIfMissing } from "./errors.ts";
import { imagePath } from "./filters.ts";
import { readNdjson } from "./streams.ts";
import type { EngineTransport } from "./transport.ts";
import type { ImageInspect, ImageSummary, PullEvent, RegistryAuth } from "./types.ts";

/** `X-Registry-Auth` is base64url-encoded JSON (Docker Engine API, "Authentication"). */
export function encodeRegistryAuth(auth: RegistryAuth): string {
  const json = JSON.stringify(auth);
  const b64 = btoa(String.fromCharCode(...new TextEncoder().encode(json)));
  return b64.replace(/\+/g, "-").replace(/\//g, "_");
}

/** Splits `repo[:tag]` (a digest reference stays whole) into the pull query. */
export function splitImageTag(ref: string): { fromImage: string; tag?: string } {
  if (ref.includes("@")) return { fromImage: ref };
  const slash = ref.lastIndexOf("/");
  const colon = ref.lastIndexOf(":");
  if (colon > slash) return { fromImage: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { fromImage: ref, tag: "latest" };
}

export interface PullOptions {
  auth?: RegistryAuth;
  platform?: string;
  onEvent?: (event: PullEvent) => void;
  signal?: AbortSignal;
}

export function imagesApi(t: EngineTransport) {
  return {
    inspect: (name: string) =>
      t.json<ImageInspect>("GET", `/images/${imagePath(name)}/json`, { what: `inspect image ${name}` }),
    /** Like inspect, but `null` when the image is not in the engine. */
    async find(name: string): Promise<ImageInspect | null> {
      return orNullIfMissing(this.inspect(name));
    },
    list: (filters: Record<string, string[]> = {}) =>
      t.json<ImageSummary[]>("GET", "/images/json", {
        query: { filters: JSON.stringify(filters) },
        what: "list images",
      }),
    /** Pulls through the engine, streaming its NDJSON progress; an in-band error rejects. */
    async pull(ref: string, options: PullOptions = {}): Promise<void> {
      const what = `pull ${ref}`;
      const response = await t.stream("POST", "/images/create", {
        query: { ...splitImageTag(ref), platform: options.platform },
        headers: options.auth ? { "X-Registry-Auth": encodeRegistryAuth(options.auth) } : {},
        signal: options.signal,
        what,
      });
      if (response.body) await readNdjson<PullEvent>(response.body, options.onEvent ?? (() => {}), what);
    },
    /** The `docker save` tarball of `names`, as a stream: nothing is buffered or written to disk. */
    async export(names: string[], signal?: AbortSignal): Promise<ReadableStream<Uint8Array>> {
      const query = new URLSearchParams(names.map((n) => ["names", n]));
      const response = await t.stream("GET", `/images/get?${query}`, { signal, what: `export ${names.join(", ")}` });
      if (!response.body) throw new LabError("engine", `export ${names.join(", ")}: the engine sent no data`);
      return response.body;
    },
    /**
     * `docker load` of a tar stream (docker-archive, or an OCI layout with a manifest.json): the
     * references it loaded, from the engine's progress lines; an in-band error rejects.
     */
    async load(body: ReadableStream<Uint8Array>, signal?: AbortSignal): Promise<string[]> {
      const what = "load images";
      const response = await t.stream("POST", "/images/load", {
        query: { quiet: "1" },
        headers: { "content-type": "application/x-tar" },
        body,
        signal,
        what,
      });
      const loaded: string[] = [];
      if (response.body)
        await readNdjson<{ stream?: string }>(
          response.body,
          (e) => {
            const m = /Loaded image(?: ID)?: (\S+)/.exec(e.stream ?? "");
            if (m) loaded.push(m[1] as string);
          },
          what,
        );
      return loaded;
    },
    async remove(name: string, options: { force?: boolean } = {}): Promise<void> {
      await t.json("DELETE", `/images/${imagePath(name)}`, {
        query: { force: options.force ?? false },
        what: `remove image ${name}`,
      });
    },
  };
}
