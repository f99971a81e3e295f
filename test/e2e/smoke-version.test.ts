// Containerlab's `version` contract (tests/01-smoke/01-basic-flow.robot "Verify containerlab
// version", "Verify containerlab version check"; cmd/version.go for -s, -j and upgrade), with lab's
// releases served from loopback: tests never reach the internet.
import { afterAll, describe, expect, test } from "bun:test";
import { freePort, labAsync } from "../helpers/env.ts";

const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch(req) {
    const path = new URL(req.url).pathname;
    if (path === "/releases/latest")
      return new Response(null, {
        status: 302,
        headers: { location: `http://127.0.0.1/labctl/lab/releases/tag/v99.1.0` },
      });
    if (path === "/releases/latest/download/install.sh") return new Response('#!/bin/sh\necho "installer ran: $0"\n');
    return new Response("not found", { status: 404 });
  },
});
const releases = `http://127.0.0.1:${server.port}/releases`;
afterAll(() => server.stop(true));

describe("lab version, as Containerlab's", () => {
  test("-s prints the number alone; -j Containerlab's keys", async () => {
    const short = await labAsync(["version", "-s"]);
    expect(short.code).toBe(0);
    expect(short.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const json = JSON.parse((await labAsync(["version", "-j"])).stdout);
    expect(Object.keys(json)).toEqual(["version", "commit", "date", "repository", "releaseNotes"]);
    expect(json.version).toBe(short.stdout.trim());
  });

  test("version check: a newer release is named", async () => {
    const r = await labAsync(["version", "check"], { env: { LAB_RELEASES_URL: releases } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("A newer lab version (99.1.0) is available!");
  });

  test("version check offline: one line, exit 0 (Containerlab's words)", async () => {
    const closed = await freePort();
    const r = await labAsync(["version", "check"], {
      env: { LAB_RELEASES_URL: `http://127.0.0.1:${closed}/releases` },
    });
    expect(r.code).toBe(0);
    expect(r.stderr.trim()).toBe("INFO Failed fetching latest version information");
  });

  test("version upgrade runs the release's installer", async () => {
    const r = await labAsync(["version", "upgrade"], { env: { LAB_RELEASES_URL: releases } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("installer ran:");
  });
});
