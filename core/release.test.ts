import { expect, test } from "bun:test";
import { latestRelease, newer } from "./release.ts";

test("versions compare by number, not by text", () => {
  expect(newer("0.10.0", "0.9.3")).toBe(true);
  expect(newer("1.0.0", "1.0.0")).toBe(false);
  expect(newer("v1.2.0", "1.10.0")).toBe(false);
});

test("the newest release is read from the redirect of releases/latest, as Containerlab reads its own", async () => {
  const seen: string[] = [];
  const fetch = (async (url: string, init?: RequestInit) => {
    seen.push(`${init?.method} ${url} ${init?.redirect}`);
    return new Response(null, { status: 302, headers: { location: "https://x/labctl/lab/releases/tag/v0.9.1" } });
  }) as unknown as typeof globalThis.fetch;
  expect(await latestRelease(fetch, { LAB_RELEASES_URL: "http://r/releases/" })).toBe("0.9.1");
  expect(seen).toEqual(["HEAD http://r/releases/latest manual"]);
  expect(await latestRelease(fetch, { CLAB_VERSION_CHECK: "disable" })).toBeUndefined();
});
