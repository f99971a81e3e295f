import { orNullIfMissing } from "./errors.ts";
import { labelFilters } from "./filters.ts";
import type { EngineTransport } from "./transport.ts";
import type { NetworkCreateSpec, NetworkInspect } from "./types.ts";

export function networksApi(t: EngineTransport) {
  return {
    /**
     * The Linux bridge behind a bridge network: Docker names it in an option or br-<id>; Podman's
     * netavark/CNI networks name it only in Podman's own API (network_interface, e.g. podman1).
     */
    async bridge(net: NetworkInspect): Promise<string> {
      const podman = await t.podman();
      if (net.Name === "bridge" && !podman) return "docker0";
      const named = net.Options?.["com.docker.network.bridge.name"];
      if (named) return named;
      if (podman) {
        const own = await t.json<{ network_interface?: string }>(
          "GET",
          `/v4.0.0/libpod/networks/${encodeURIComponent(net.Id)}/json`,
          {
            unversioned: true,
            what: `inspect network ${net.Name}`,
          },
        );
        if (own.network_interface) return own.network_interface;
      }
      return `br-${net.Id.slice(0, 12)}`;
    },
    /**
     * Whether nodes on this network find each other by name (and alias): Docker's user networks always
     * do, its default bridge does not; Podman's do when its DNS (aardvark-dns) serves the network.
     */
    async resolvesNames(net: NetworkInspect): Promise<boolean> {
      if (!(await t.podman())) return net.Name !== "bridge";
      const own = await t.json<{ dns_enabled?: boolean }>(
        "GET",
        `/v4.0.0/libpod/networks/${encodeURIComponent(net.Id)}/json`,
        {
          unversioned: true,
          what: `inspect network ${net.Name}`,
        },
      );
      return own.dns_enabled === true;
    },
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
