import { readNdjson } from "./streams.ts";
import type { EngineTransport } from "./transport.ts";
import type { EngineEvent, EngineInfo, EngineVersion } from "./types.ts";

export function systemApi(t: EngineTransport) {
  return {
    /** Resolves once the engine answers `/_ping`; returns the negotiated API version. */
    ping: () => t.apiVersion(),
    info: () => t.json<EngineInfo>("GET", "/info", { what: "engine info" }),
    version: () => t.json<EngineVersion>("GET", "/version", { what: "engine version" }),
    /**
     * Subscribes to the engine's event stream (`filters` as the API takes them); resolves once the
     * engine has answered, with a promise of the stream's end (or of `signal` aborting it). Events
     * from the moment of subscription on go to `onEvent`.
     */
    async events(
      filters: Record<string, string[]>,
      onEvent: (e: EngineEvent) => void,
      signal: AbortSignal,
    ): Promise<{ ended: Promise<void> }> {
      const response = await t.stream("GET", "/events", {
        query: { filters: JSON.stringify(filters) },
        signal,
        what: "follow engine events",
      });
      const body = response.body;
      const ended = (async () => {
        if (!body) return;
        try {
          await readNdjson(body, onEvent, "engine events");
        } catch (error) {
          if (!signal.aborted) throw error;
        }
      })();
      // Awaited by the caller later; until then a failure must not count as unhandled.
      ended.catch(() => {});
      return { ended };
    },
  };
}
