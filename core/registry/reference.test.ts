import { describe, expect, test } from "bun:test";
import { canonicalImage } from "./local.ts";
import { parseRegistryReference } from "./reference.ts";

describe("parseRegistryReference", () => {
  test("docker:// is optional; the registry is required", () => {
    expect(parseRegistryReference("docker://127.0.0.1:5000/a/b:1")).toEqual({
      registry: "127.0.0.1:5000",
      repository: "a/b",
      tag: "1",
      digest: undefined,
    });
    expect(parseRegistryReference("localhost:5000/x").tag).toBe("latest");
    expect(parseRegistryReference("docker://alpine:3").repository).toBe("library/alpine");
    expect(() => parseRegistryReference("alpine:3")).toThrow("names no registry");
  });

  test("archive transports are pointed at save/load", () => {
    expect(() => parseRegistryReference("oci:/tmp/layout")).toThrow("not oci:");
    expect(() => parseRegistryReference("docker-archive:/tmp/x.tar")).toThrow("not docker-archive:");
  });
});

describe("canonicalImage", () => {
  test("names images as the engine lists them", () => {
    expect(canonicalImage("alpine")).toBe("alpine:latest");
    expect(canonicalImage("docker.io/library/alpine:3")).toBe("alpine:3");
    expect(canonicalImage("docker.io/nokia/srlinux")).toBe("nokia/srlinux:latest");
    expect(canonicalImage("127.0.0.1:5000/a")).toBe("127.0.0.1:5000/a:latest");
    expect(canonicalImage("a@sha256:00")).toBe("a@sha256:00");
  });
});
