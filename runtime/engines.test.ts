import { describe, expect, test } from "bun:test";
import { chooseEngine, type SocketProbe } from "./engines.ts";
import { LabError } from "./errors.ts";

const DOCKER = "/var/run/docker.sock";
const ROOTFUL = "/run/podman/podman.sock";
const USER = "/run/user/1000/podman/podman.sock";

/** A host with these sockets; `alive` ones answer. */
const host = (sockets: string[], alive: string[] = sockets): SocketProbe => ({
  exists: (p) => sockets.includes(p),
  answers: async (p) => alive.includes(p),
});
const env = (vars: Record<string, string>) => (name: string) => vars[name];
const pick = async (vars: Record<string, string>, probe: SocketProbe) => {
  const { runtime, host } = await chooseEngine(env(vars), probe);
  return `${runtime.name} ${host}`;
};

describe("chooseEngine", () => {
  test.each([
    ["Docker's socket answers", {}, host([DOCKER, ROOTFUL]), `docker unix://${DOCKER}`],
    ["no Podman socket: Docker", {}, host([]), `docker unix://${DOCKER}`],
    [
      "Docker's socket is dead: Podman's rootful socket",
      {},
      host([DOCKER, ROOTFUL], [ROOTFUL]),
      `podman unix://${ROOTFUL}`,
    ],
    [
      "no Docker: the rootful Podman socket first",
      { XDG_RUNTIME_DIR: "/run/user/1000" },
      host([ROOTFUL, USER]),
      `podman unix://${ROOTFUL}`,
    ],
    [
      "no Docker, no rootful: the user's Podman socket",
      { XDG_RUNTIME_DIR: "/run/user/1000" },
      host([USER]),
      `podman unix://${USER}`,
    ],
    ["DOCKER_HOST means Docker", { DOCKER_HOST: "tcp://10.0.0.1:2375" }, host([ROOTFUL]), "docker tcp://10.0.0.1:2375"],
    [
      "CONTAINER_HOST means Podman",
      { CONTAINER_HOST: "unix:///tmp/p.sock" },
      host([DOCKER]),
      "podman unix:///tmp/p.sock",
    ],
    ["--runtime podman (LAB_RUNTIME)", { LAB_RUNTIME: "podman" }, host([DOCKER, ROOTFUL]), `podman unix://${ROOTFUL}`],
    [
      "CLAB_RUNTIME as Containerlab reads it",
      { CLAB_RUNTIME: "podman", XDG_RUNTIME_DIR: "/run/user/1000" },
      host([DOCKER, USER]),
      `podman unix://${USER}`,
    ],
    [
      "--runtime docker beats a dead Docker",
      { LAB_RUNTIME: "docker" },
      host([DOCKER, ROOTFUL], [ROOTFUL]),
      `docker unix://${DOCKER}`,
    ],
    [
      "--runtime podman with nothing there names the rootful socket",
      { LAB_RUNTIME: "podman" },
      host([]),
      `podman unix://${ROOTFUL}`,
    ],
  ])("%s", async (_what, vars, probe, expected) => {
    expect(await pick(vars, probe)).toBe(expected);
  });

  test("an unknown runtime is a usage error naming the ones there are", async () => {
    const error = await chooseEngine(env({ LAB_RUNTIME: "containerd" }), host([])).catch((e) => e);
    expect(error).toBeInstanceOf(LabError);
    expect((error as LabError).toLine()).toBe("runtime containerd is not one lab speaks to. Use docker or podman");
  });
});
