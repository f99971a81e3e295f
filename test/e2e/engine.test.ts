// The Docker Engine client against the real engine: every resource the later commands use.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { LabError } from "../../core/errors.ts";
import { createDockerClient } from "../../runtime/docker/index.ts";
import { getPlatform } from "../../runtime/platform/index.ts";
import { uniqueName } from "../helpers/env.ts";
import { seedImage, startRegistry, type TestRegistry } from "../helpers/registry.ts";

const platform = await getPlatform();
const docker = createDockerClient(platform);
const run = uniqueName("lab-engine");
const labels = { "lab-test": run };
const created = { containers: [] as string[], networks: [] as string[], images: [] as string[] };

afterAll(async () => {
  for (const c of created.containers) await docker.containers.remove(c).catch(() => {});
  for (const n of created.networks) await docker.networks.remove(n).catch(() => {});
  for (const i of created.images) await docker.images.remove(i, { force: true }).catch(() => {});
});

describe("system", () => {
  test("ping negotiates a version and info/version answer", async () => {
    expect(await docker.system.ping()).toMatch(/^1\.\d+$/);
    const version = await docker.system.version();
    expect(version.ApiVersion).toMatch(/^1\.\d+$/);
    expect((await docker.system.info()).NCPU).toBeGreaterThan(0);
  });
});

describe("networks", () => {
  test("create, inspect, list by label, remove", async () => {
    const name = `${run}-net`;
    const { Id } = await docker.networks.create({
      Name: name,
      Driver: "bridge",
      EnableIPv6: true,
      IPAM: { Config: [{ Subnet: "172.31.254.0/24" }, { Subnet: "3fff:172:31:254::/64" }] },
      Labels: labels,
    });
    created.networks.push(Id);
    const net = await docker.networks.inspect(name);
    expect(net.Id).toBe(Id);
    expect(net.IPAM.Config?.map((c) => c.Subnet)).toEqual(["172.31.254.0/24", "3fff:172:31:254::/64"]);
    expect((await docker.networks.list(labels)).map((n) => n.Name)).toEqual([name]);
    await docker.networks.remove(Id);
    expect(await docker.networks.find(name)).toBeNull();
  });
});

describe("containers and exec", () => {
  let id = "";
  beforeAll(async () => {
    ({ Id: id } = await docker.containers.create(`${run}-c1`, {
      Image: "lab-test/linux:1",
      Labels: labels,
      Tty: false,
    }));
    created.containers.push(id);
    await docker.containers.start(id);
  });

  test("inspect and list by label", async () => {
    const info = await docker.containers.inspect(id);
    expect(info.State.Running).toBe(true);
    expect(info.Name).toBe(`/${run}-c1`);
    const listed = await docker.containers.list(labels);
    expect(listed.map((c) => c.Id)).toEqual([id]);
  });

  test("exec demultiplexes stdout and stderr and reports the exit code", async () => {
    const r = await docker.exec.run(id, ["sh", "-c", "echo out; echo err >&2; exit 3"]);
    expect(new TextDecoder().decode(r.stdout)).toBe("out\n");
    expect(new TextDecoder().decode(r.stderr)).toBe("err\n");
    expect(r.exitCode).toBe(3);
  });

  test("exec carries large output intact", async () => {
    const r = await docker.exec.run(id, ["sh", "-c", "head -c 300000 /dev/zero | tr '\\0' x"]);
    expect(r.stdout.length).toBe(300000);
    expect(r.exitCode).toBe(0);
  });

  test("remove is idempotent and inspect of a removed container is not-found", async () => {
    await docker.containers.remove(id);
    await docker.containers.remove(id);
    const error = await docker.containers.inspect(id).catch((e) => e);
    expect(error).toBeInstanceOf(LabError);
    expect(error.code).toBe("not-found");
    expect(error.message).toMatch(/^no such container/);
  });
});

describe("images", () => {
  test("inspect a local image and not-found for a missing one", async () => {
    const img = await docker.images.inspect("lab-test/linux:1");
    expect(img.RootFS.Layers?.length).toBeGreaterThan(0);
    const error = await docker.images.inspect(`${run}/missing:1`).catch((e) => e);
    expect(error.code).toBe("not-found");
    expect(error.message).toBe(`no such image: ${run}/missing:1`);
  });

  test("export streams the docker save tarball", async () => {
    const stream = await docker.images.export(["lab-test/linux:1"]);
    let bytes = 0;
    let first: Uint8Array | undefined;
    for await (const chunk of stream) {
      first ??= chunk;
      bytes += chunk.length;
    }
    expect(bytes).toBeGreaterThan(500_000);
    // A tar stream: the first header's magic at offset 257.
    expect(new TextDecoder().decode(first?.slice(257, 262))).toBe("ustar");
  });

  describe("pull with X-Registry-Auth from a real registry", () => {
    let registry: TestRegistry;
    beforeAll(async () => {
      registry = await startRegistry();
      seedImage(registry, "lab-test/linux:1", `${run}/linux:1`);
    });
    afterAll(() => registry?.stop());

    test("pulls with credentials and reports progress", async () => {
      const ref = `${registry.address}/${run}/linux:1`;
      created.images.push(ref);
      const statuses: string[] = [];
      await docker.images.pull(ref, {
        auth: { username: registry.username, password: registry.password, serveraddress: registry.address },
        onEvent: (e) => e.status && statuses.push(e.status),
      });
      expect(statuses.some((s) => /Downloaded newer image|Image is up to date/.test(s))).toBe(true);
      expect((await docker.images.inspect(ref)).Id).toMatch(/^sha256:/);
    });

    test("a wrong password is one clear error", async () => {
      const ref = `${registry.address}/${run}/linux:1`;
      const error = await docker.images
        .pull(ref, { auth: { username: registry.username, password: "wrong", serveraddress: registry.address } })
        .catch((e) => e);
      expect(error).toBeInstanceOf(LabError);
      expect(error.toLine()).toMatch(/unauthorized|authentication required|no basic auth/i);
      expect(error.toLine()).not.toContain("\n");
    });
  });
});
