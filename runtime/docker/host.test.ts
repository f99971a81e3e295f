import { describe, expect, test } from "bun:test";
import { LabError } from "../errors.ts";
import { parseDockerHost } from "./host.ts";

describe("parseDockerHost", () => {
  test("defaults to the standard unix socket", () => {
    expect(parseDockerHost(undefined)).toEqual({
      label: "the Docker Engine",
      hint: "Is dockerd running? Set DOCKER_HOST to use another.",
      kind: "unix",
      socketPath: "/var/run/docker.sock",
      display: "unix:///var/run/docker.sock",
      baseUrl: "http://docker",
    });
  });
  test("honours a unix:// path", () => {
    const host = parseDockerHost("unix:///run/user/1000/docker.sock");
    expect(host.kind === "unix" && host.socketPath).toBe("/run/user/1000/docker.sock");
  });
  test("maps tcp:// to http and adds the default port", () => {
    expect(parseDockerHost("tcp://10.0.0.5").baseUrl).toBe("http://10.0.0.5:2375");
    expect(parseDockerHost("tcp://127.0.0.1:2376").baseUrl).toBe("http://127.0.0.1:2376");
  });
  test("rejects unknown schemes and relative sockets with a usage error", () => {
    expect(() => parseDockerHost("ssh://me@box")).toThrow(LabError);
    expect(() => parseDockerHost("unix://docker.sock")).toThrow(/absolute socket path/);
  });
});
