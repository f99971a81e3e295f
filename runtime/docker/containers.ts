import { LabError } from "../errors.ts";
import { writeToStdin } from "./attach.ts";
import { orNullIfMissing } from "./errors.ts";
import { labelFilters } from "./filters.ts";
import { demuxStream } from "./streams.ts";
import type { EngineTransport } from "./transport.ts";
import type { ContainerCreateSpec, ContainerInspect, ContainerSummary } from "./types.ts";

export function containersApi(t: EngineTransport) {
  const path = (id: string) => `/containers/${encodeURIComponent(id)}`;
  return {
    // Capabilities Docker grants every container and Podman does not (NET_RAW: no ping) join every
    // unprivileged container on Podman, so a lab behaves the same on both.
    create: async (name: string, spec: ContainerCreateSpec) =>
      t.json<{ Id: string; Warnings: string[] }>("POST", "/containers/create", {
        query: { name },
        body: (await t.podman()) ? withDefaultCaps(spec, PODMAN_MISSING_CAPS) : spec,
        what: `create container ${name}`,
      }),
    async start(id: string): Promise<void> {
      await t.json("POST", `${path(id)}/start`, { what: `start container ${id}` });
    },
    async stop(id: string, timeoutSeconds = 10): Promise<void> {
      await t.json("POST", `${path(id)}/stop`, { query: { t: timeoutSeconds }, what: `stop container ${id}` });
    },
    inspect: (id: string) => t.json<ContainerInspect>("GET", `${path(id)}/json`, { what: `inspect container ${id}` }),
    /** Like inspect, but `null` when the container does not exist. */
    async find(id: string): Promise<ContainerInspect | null> {
      return orNullIfMissing(this.inspect(id));
    },
    /**
     * Part of the container's filesystem as the archive endpoint's tar stream (`docker cp` out, which
     * works before it starts); null when there is no such path.
     */
    async archive(id: string, file: string): Promise<ReadableStream<Uint8Array> | null> {
      try {
        const response = await t.stream("GET", `${path(id)}/archive`, {
          query: { path: file },
          what: `read ${file} of ${id}`,
        });
        return response.body;
      } catch (error) {
        if (error instanceof LabError && error.code === "not-found") return null;
        throw error;
      }
    },
    /**
     * Follows the container's log from its start, a line at a time (a TTY container's log is raw,
     * any other's multiplexed), until `signal` aborts or the container ends.
     */
    async followLog(id: string, onLine: (line: string) => void, signal: AbortSignal): Promise<void> {
      const tty = (await this.inspect(id)).Config?.Tty ?? false;
      const response = await t.stream("GET", `${path(id)}/logs`, {
        query: { follow: 1, stdout: 1, stderr: 1 },
        signal,
        what: `follow the log of ${id}`,
      });
      if (!response.body) return;
      const decoder = new TextDecoder();
      let rest = "";
      const take = (data: Uint8Array) => {
        rest += decoder.decode(data, { stream: true });
        const lines = rest.split(/\r?\n/);
        rest = lines.pop() ?? "";
        for (const line of lines) onLine(line);
      };
      try {
        if (tty) for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) take(chunk);
        else await demuxStream(response.body, (_, data) => take(data));
      } catch (error) {
        if (!signal.aborted) throw error;
      }
    },
    /** Types `data` into the container's console (an attach to its stdin), then detaches. */
    async writeStdin(id: string, data: Uint8Array): Promise<void> {
      await writeToStdin(t.host, await t.apiVersion(), id, data);
    },
    /** All containers (running or not) carrying the given labels; `true` means "label present". */
    list: (labels: Record<string, string | true> = {}, extra: Record<string, string[]> = {}) =>
      t.json<ContainerSummary[]>("GET", "/containers/json", {
        query: { all: 1, filters: labelFilters(labels, extra) },
        what: "list containers",
      }),
    /** Force-removes a container and its anonymous volumes; a container already gone is not an error. */
    async remove(id: string, options: { force?: boolean } = {}): Promise<void> {
      try {
        await t.json("DELETE", path(id), {
          query: { force: options.force ?? true, v: true },
          what: `remove container ${id}`,
        });
      } catch (error) {
        if (error instanceof LabError && error.code === "not-found") return;
        throw error;
      }
    },
  };
}

/** Docker's default capabilities that Podman 4 leaves out. */
export const PODMAN_MISSING_CAPS = ["NET_RAW", "MKNOD", "AUDIT_WRITE"];

export function withDefaultCaps(spec: ContainerCreateSpec, caps: readonly string[]): ContainerCreateSpec {
  const host = spec.HostConfig ?? {};
  if (!caps.length || host.Privileged) return spec;
  const have = new Set((host.CapAdd ?? []).map((c) => c.toUpperCase().replace(/^CAP_/, "")));
  if (have.has("ALL")) return spec;
  const missing = caps.filter((c) => !have.has(c));
  return missing.length ? { ...spec, HostConfig: { ...host, CapAdd: [...(host.CapAdd ?? []), ...missing] } } : spec;
}
