import { orNullIfMissing } from "./errors.ts";
import { labelFilters } from "./filters.ts";
import type { EngineTransport } from "./transport.ts";
import type { NetworkCreateSpec, NetworkInspect } from "./types.ts";

export function networksApi(t: EngineTransport) {
  return {
    async create(spec: NetworkCreateSpec): Promise<{ Id: string }> {
      return t.json("POST", "/networks/create", {
        body: { CheckDuplicate: true, ...spec },
        what: `create network ${spec.Name}`,
      });
    },
    inspect: (idOrName: string) =>
      t.json<NetworkInspect>("GET", `/networks/${encodeURIComponent(idOrName)}`, {
        what: `inspect network ${idOrName}`,
      }),
    /** Like inspect, but `null` when the network does not exist. */
    async find(idOrName: string): Promise<NetworkInspect | null> {
      return orNullIfMissing(this.inspect(idOrName));
    },
    list: (labels: Record<string, string | true> = {}) =>
      t.json<NetworkInspect[]>("GET", "/networks", { query: { filters: labelFilters(labels) }, what: "list networks" }),
    async remove(idOrName: string): Promise<void> {
      await t.json("DELETE", `/networks/${encodeURIComponent(idOrName)}`, { what: `remove network ${idOrName}` });
    },
  };
}
