import { describe, expect, test } from "bun:test";
import { recordingPlatform } from "../../runtime/docker/testing.ts";
import { RegistryClient } from "./client.ts";
import { listRepositories, listTags, nextLink } from "./list.ts";

describe("nextLink", () => {
  test("reads rel=next, with Harbor's ' , ' separator and unescaped queries", () => {
    expect(nextLink('</v2/_catalog?last=b&n=2>; rel="next"')).toBe("/v2/_catalog?last=b&n=2");
    expect(
      nextLink(
        '</api/v2.0/repositories?page=1&page_size=2>; rel="prev" , </api/v2.0/repositories?page=3&page_size=2&q=name=~lab>; rel="next"',
      ),
    ).toBe("/api/v2.0/repositories?page=3&page_size=2&q=name=~lab");
    expect(nextLink(null)).toBeUndefined();
    expect(nextLink('</x>; rel="prev"')).toBeUndefined();
  });
});

const json = (body: unknown, headers: Record<string, string> = {}, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

describe("listRepositories", () => {
  test("paginates the catalog by Link and tags by last= when there is no Link", async () => {
    const names = Array.from({ length: 250 }, (_, i) => `r${String(i).padStart(3, "0")}`);
    const { platform } = recordingPlatform((req) => {
      const url = new URL(req.url);
      if (url.pathname === "/v2/") return json({});
      const n = Number(url.searchParams.get("n"));
      const last = url.searchParams.get("last");
      const start = last ? names.indexOf(last) + 1 : 0;
      const page = names.slice(start, start + n);
      if (url.pathname === "/v2/_catalog") {
        const more = start + n < names.length;
        return json(
          { repositories: page },
          more ? { link: `</v2/_catalog?n=${n}&last=${page.at(-1)}>; rel="next"` } : {},
        );
      }
      return json({ name: "x", tags: page });
    });
    const client = new RegistryClient({ registry: "reg.test", platform });
    expect((await listRepositories(client)).repositories).toEqual(names);
    expect(await listTags(client, "x")).toEqual(names);
  });
});
