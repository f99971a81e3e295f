import { describe, expect, test } from "bun:test";
import { createDockerClient } from "./client.ts";
import { withDefaultCaps } from "./containers.ts";
import { jsonResponse, type RecordedRequest, recordingPlatform } from "./testing.ts";

// Behaviours that follow what answers the socket: Podman's /_ping carries Libpod-Api-Version.
const podmanStub = (rest: (req: RecordedRequest) => Response) => (req: RecordedRequest) =>
  req.url.endsWith("/_ping")
    ? new Response("OK", { headers: { "api-version": "1.41", "libpod-api-version": "4.3.1" } })
    : rest(req);

const net = { Name: "clab", Id: "e5bd217d357f5d5f225b9e5ee8fa11c0", Options: {} } as never;

describe("on Podman's Docker-compatible API", () => {
  test("unprivileged containers get the capabilities Docker grants and Podman does not", async () => {
    const { platform, requests } = recordingPlatform(podmanStub(() => jsonResponse({ Id: "abc", Warnings: [] }, 201)));
    const docker = createDockerClient(platform, "unix:///run/podman/podman.sock");
    await docker.containers.create("clab-x-a", {
      Image: "alpine",
      HostConfig: { CapAdd: ["NET_ADMIN", "cap_net_raw"] },
    });
    await docker.containers.create("clab-x-b", { Image: "alpine", HostConfig: { Privileged: true } });
    expect(JSON.parse(requests[1]?.body ?? "").HostConfig.CapAdd).toEqual([
      "NET_ADMIN",
      "cap_net_raw",
      "MKNOD",
      "AUDIT_WRITE",
    ]);
    expect(JSON.parse(requests[2]?.body ?? "").HostConfig).toEqual({ Privileged: true });
  });

  test("the network's bridge comes from Podman's own network API", async () => {
    const { platform, requests } = recordingPlatform(
      podmanStub(() => jsonResponse({ network_interface: "podman3", dns_enabled: true })),
    );
    const docker = createDockerClient(platform, "unix:///run/podman/podman.sock");
    expect(await docker.networks.bridge(net)).toBe("podman3");
    expect(await docker.networks.resolvesNames(net)).toBe(true);
    expect(new URL(requests[1]?.url ?? "").pathname).toBe(`/v4.0.0/libpod/networks/${(net as { Id: string }).Id}/json`);
  });

  test("on Docker nothing is added and the bridge is br-<id>", async () => {
    const { platform, requests } = recordingPlatform((req) =>
      req.url.endsWith("/_ping")
        ? new Response("OK", { headers: { "api-version": "1.45" } })
        : jsonResponse({ Id: "a" }, 201),
    );
    const docker = createDockerClient(platform, undefined);
    await docker.containers.create("clab-x-a", { Image: "alpine" });
    expect(JSON.parse(requests[1]?.body ?? "")).toEqual({ Image: "alpine" });
    expect(await docker.networks.bridge(net)).toBe("br-e5bd217d357f");
    expect(await docker.networks.resolvesNames(net)).toBe(true);
  });
});

describe("withDefaultCaps", () => {
  test("ALL already covers everything", () => {
    const spec = { Image: "x", HostConfig: { CapAdd: ["ALL"] } };
    expect(withDefaultCaps(spec, ["NET_RAW"])).toBe(spec);
  });
});
