// The seed's workflow: a node image that exists only in a private registry (htpasswd auth), pulled
// by lab up with credentials from ~/.docker/config.json: an auths entry, then a credHelpers helper.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ENGINES } from "../helpers/engines.ts";
import { lab, sh } from "../helpers/env.ts";
import { errorLines, freeSubnet, labDir, leftovers } from "../helpers/lab.ts";
import { seedImage, startRegistry, type TestRegistry } from "../helpers/registry.ts";

const t = labDir("e2e-reg");
const subnet = freeSubnet();
let registry: TestRegistry;
let image = "";
let file = "";

function dockerConfig(name: string, config: unknown): string {
  const dir = join(t.dir, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "config.json"), JSON.stringify(config));
  return dir;
}

beforeAll(async () => {
  registry = await startRegistry();
  image = `${registry.address}/${t.name}/node:1`;
  seedImage(registry, "lab-test/linux:1", `${t.name}/node:1`);
  file = t.write(
    "reg.clab.yml",
    `name: ${t.name}
mgmt: { network: ${t.name}, ipv4-subnet: ${subnet.v4} }
topology:
  nodes:
    n1: { image: ${image} }
`,
  );
});

afterAll(async () => {
  t.cleanup();
  sh(`docker rmi -f ${image}`);
  await registry?.stop();
});

const rmi = () => sh(`docker rmi -f ${image}`);
const basic = (user: string, pass: string) => Buffer.from(`${user}:${pass}`).toString("base64");

describe("lab up pulls private images with the docker config's credentials", () => {
  test("an auths entry, with progress", () => {
    rmi();
    const config = dockerConfig("auths", {
      auths: { [registry.address]: { auth: basic(registry.username, registry.password) } },
    });
    const r = lab(["up", "-t", file], { env: { DOCKER_CONFIG: config } });
    expect(r.stderr).toContain(`pulling ${image}`);
    expect(r.stderr).toMatch(new RegExp(`${image.replace(/[./]/g, "\\$&")}: (pulled|\\d)`));
    expect(r.code).toBe(0);
    expect(lab(["down", "--name", t.name]).code).toBe(0);
  });

  test("a credHelpers helper, asked through its stdin protocol", () => {
    rmi();
    const bin = join(t.dir, "bin");
    mkdirSync(bin);
    const log = join(t.dir, "helper.log");
    writeFileSync(
      join(bin, "docker-credential-labtest"),
      `#!/bin/sh\nread server\necho "$1 $server" >> ${log}\nprintf '{"ServerURL":"%s","Username":"${registry.username}","Secret":"${registry.password}"}' "$server"\n`,
    );
    chmodSync(join(bin, "docker-credential-labtest"), 0o755);
    const config = dockerConfig("helpers", { credHelpers: { [registry.address]: "labtest" } });
    const r = lab(["up", "-t", file], { env: { DOCKER_CONFIG: config, PATH: `${bin}:${process.env.PATH}` } });
    expect(r.code).toBe(0);
    expect(sh(`cat ${log}`).stdout.trim()).toBe(`get ${registry.address}`);
    expect(lab(["down", "--name", t.name]).code).toBe(0);
  });

  test("a wrong password is one clear line and nothing is left", () => {
    rmi();
    const config = dockerConfig("wrong", {
      auths: { [registry.address]: { auth: basic(registry.username, "wrong") } },
    });
    const r = lab(["up", "-t", file], { env: { DOCKER_CONFIG: config } });
    expect(r.code).toBe(8);
    const errors = errorLines(r.stderr).filter((l) => /ERROR|\[error\]/.test(l));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`cannot pull ${image}:`);
    expect(errors[0]).toContain(`Check the credentials for ${registry.address} in ~/.docker/config.json`);
    expect(r.stderr).not.toContain("wrong");
    expect(leftovers(t.name, { network: t.name })).toMatchObject({ containers: "", network: "" });
  });
});

describe("on Podman, through its Docker-compatible API", () => {
  test("an auths entry: Podman pulls with the credentials lab sends", () => {
    sh(`podman rmi -f ${image}`);
    const config = dockerConfig("podman-auths", {
      auths: { [registry.address]: { auth: basic(registry.username, registry.password) } },
    });
    const env = { DOCKER_CONFIG: config, ...ENGINES.podman.env };
    try {
      const r = lab(["up", "-t", file], { env });
      expect(r.stderr).toContain(`pulling ${image}`);
      expect(r.code).toBe(0);
      expect(sh(`podman ps -q --filter label=containerlab=${t.name}`).stdout.trim()).not.toBe("");
      expect(lab(["down", "--name", t.name], { env }).code).toBe(0);
      expect(leftovers(t.name, { network: t.name }, ENGINES.podman)).toMatchObject({ containers: "", network: "" });
    } finally {
      lab(["down", "--name", t.name], { env });
      sh(`podman rmi -f ${image}`);
    }
  });
});
