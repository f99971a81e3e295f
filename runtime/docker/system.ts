import type { EngineTransport } from "./transport.ts";
import type { EngineInfo, EngineVersion } from "./types.ts";

export function systemApi(t: EngineTransport) {
  return {
    /** Resolves once the engine answers `/_ping`; returns the negotiated API version. */
    ping: () => t.apiVersion(),
    info: () => t.json<EngineInfo>("GET", "/info", { what: "engine info" }),
    version: () => t.json<EngineVersion>("GET", "/version", { what: "engine version" }),
  };
}
