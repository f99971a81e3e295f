import { describe, expect, test } from "bun:test";
import { LabError } from "../errors.ts";
import { createDockerClient } from "./client.ts";
import { encodeRegistryAuth, splitImageTag } from "./images.ts";
import { engineStub, jsonResponse, recordingPlatform } from "./testing.ts";
import { negotiateApiVersion } from "./transport.ts";

describe("API version negotiation", () => {
  test("uses the engine's version, capped at ours", () => {
    expect(negotiateApiVersion("1.43")).toBe("1.43");
    expect(negotiateApiVersion("1.99")).toBe("1.51");
    expect(negotiateApiVersion(null)).toBe("1.41");
  });
  test("refuses an engine older than 20.10", () => {
    expect(() => negotiateApiVersion("1.39")).toThrow(/needs 1.41 or newer/);
  });
  test("prefixes every call with the version from /_ping, asked once", async () => {
    const { platform, requests } = recordingPlatform(engineStub(() => jsonResponse([])));
    const docker = createDockerClient(platform, "unix:///var/run/docker.sock");
    await docker.containers.list({ containerlab: "lab1" });
    await docker.networks.list({ containerlab: true });
    const urls = requests.map((r) => new URL(r.url));
    expect(urls.map((u) => u.pathname)).toEqual(["/_ping", "/v1.45/containers/json", "/v1.45/networks"]);
    expect(urls[1]?.searchParams.get("all")).toBe("1");
    expect(urls[1]?.searchParams.get("filters")).toBe('{"label":["containerlab=lab1"]}');
    expect(urls[2]?.searchParams.get("filters")).toBe('{"label":["containerlab"]}');
  });
});

describe("request building", () => {
  test("container create sends the name as a query and the spec as JSON", async () => {
    const { platform, requests } = recordingPlatform(engineStub(() => jsonResponse({ Id: "abc", Warnings: [] }, 201)));
    const docker = createDockerClient(platform, undefined);
    await docker.containers.create("clab-x-n1", { Image: "alpine", Labels: { containerlab: "x" } });
    const req = requests[1];
    expect(req?.method).toBe("POST");
    expect(req?.url).toBe("http://docker/v1.45/containers/create?name=clab-x-n1");
    expect(req?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(req?.body ?? "")).toEqual({ Image: "alpine", Labels: { containerlab: "x" } });
  });

  test("pull splits the tag and sends X-Registry-Auth", async () => {
    const { platform, requests } = recordingPlatform(engineStub(() => new Response('{"status":"done"}\n')));
    const docker = createDockerClient(platform, undefined);
    await docker.images.pull("registry:5000/lib/sros:24.7", { auth: { username: "u", password: "p" } });
    const req = requests[1];
    expect(req?.url).toBe("http://docker/v1.45/images/create?fromImage=registry:5000%2Flib%2Fsros&tag=24.7");
    const decoded = JSON.parse(atob(String(req?.headers["x-registry-auth"]).replace(/-/g, "+").replace(/_/g, "/")));
    expect(decoded).toEqual({ username: "u", password: "p" });
  });

  test("export asks for every name", async () => {
    const { platform, requests } = recordingPlatform(engineStub(() => new Response("tar")));
    const docker = createDockerClient(platform, undefined);
    const stream = await docker.images.export(["a:1", "b:2"]);
    expect(await new Response(stream).text()).toBe("tar");
    expect(requests[1]?.url).toBe("http://docker/v1.45/images/get?names=a%3A1&names=b%3A2");
  });

  test("image paths keep registry ports and tags readable", async () => {
    const { platform, requests } = recordingPlatform(engineStub(() => jsonResponse({ Id: "sha256:1" })));
    await createDockerClient(platform, undefined).images.inspect("reg:5000/a/b:1");
    expect(requests[1]?.url).toBe("http://docker/v1.45/images/reg:5000/a/b:1/json");
  });

  test("splitImageTag and encodeRegistryAuth", () => {
    expect(splitImageTag("alpine")).toEqual({ fromImage: "alpine", tag: "latest" });
    expect(splitImageTag("reg:5000/a")).toEqual({ fromImage: "reg:5000/a", tag: "latest" });
    expect(splitImageTag("a@sha256:00")).toEqual({ fromImage: "a@sha256:00" });
    expect(encodeRegistryAuth({ username: "??>" })).not.toMatch(/[+/]/);
  });
});

describe("error mapping", () => {
  const client = (status: number, body: unknown) =>
    createDockerClient(recordingPlatform(engineStub(() => jsonResponse(body, status))).platform, undefined);

  test("404 is not-found with the engine's message", async () => {
    const error = await client(404, { message: "No such image: x:latest" })
      .images.inspect("x")
      .catch((e) => e);
    expect(error).toBeInstanceOf(LabError);
    expect(error.code).toBe("not-found");
    expect(error.message).toBe("no such image: x:latest");
    expect(error.exitCode).toBe(5);
  });

  test("409 is a conflict, 500 an engine error naming the call", async () => {
    const conflict = await client(409, { message: "Conflict. The container name is in use" })
      .containers.create("n", { Image: "i" })
      .catch((e) => e);
    expect(conflict.code).toBe("conflict");
    const failure = await client(500, { message: "driver failed" })
      .networks.inspect("clab")
      .catch((e) => e);
    expect(failure.code).toBe("engine");
    expect(failure.message).toBe("the Docker Engine refused inspect network clab: driver failed");
  });

  test("find() turns not-found into null", async () => {
    expect(await client(404, { message: "no such container" }).containers.find("x")).toBeNull();
  });

  test("a missing socket says so in one line with a hint", async () => {
    const { platform } = recordingPlatform(
      () => Promise.reject(new TypeError("fetch failed")),
      async () => null,
    );
    const error = await createDockerClient(platform, undefined)
      .system.ping()
      .catch((e) => e);
    expect(error.toLine()).toBe(
      "cannot reach the Docker Engine at unix:///var/run/docker.sock: no such socket. Is dockerd running? Set DOCKER_HOST to use another.",
    );
    expect(error.exitCode).toBe(4);
  });

  test("permission denied and stale sockets are told apart", async () => {
    const denied = recordingPlatform(() =>
      Promise.reject(Object.assign(new Error("connect EACCES"), { code: "EACCES" })),
    );
    const e1 = await createDockerClient(denied.platform, undefined)
      .system.ping()
      .catch((e) => e);
    expect(e1.toLine()).toContain("permission denied. Run lab as root or add your user to the docker group.");
    const stale = recordingPlatform(() => Promise.reject(new Error("ECONNREFUSED")));
    const e2 = await createDockerClient(stale.platform, undefined)
      .system.ping()
      .catch((e) => e);
    expect(e2.message).toContain("connection refused");
  });

  test("a failed /_ping is retried on the next call", async () => {
    let up = false;
    const { platform } = recordingPlatform(
      engineStub(() => jsonResponse({ Version: "28" })),
      async () => null,
    );
    const flaky = {
      ...platform,
      unixFetch: () => (i: string | URL | Request, init?: RequestInit) =>
        up ? platform.unixFetch("")(i, init) : Promise.reject(new Error("down")),
    };
    const docker = createDockerClient(flaky, undefined);
    await expect(docker.system.version()).rejects.toBeInstanceOf(LabError);
    up = true;
    expect((await docker.system.version()).Version).toBe("28");
  });
});

describe("engine message cleanup", () => {
  test("a message the engine repeats is said once", async () => {
    const { platform } = recordingPlatform(
      engineStub(() => jsonResponse({ message: "No such image: a/b:1: No such image: a/b:1" }, 404)),
    );
    const error = await createDockerClient(platform, undefined)
      .images.inspect("a/b:1")
      .catch((e) => e);
    expect(error.message).toBe("no such image: a/b:1");
  });
});
