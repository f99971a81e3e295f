import { LabError } from "../errors.ts";
import { pullScope } from "./blobs.ts";
import type { RegistryClient } from "./client.ts";

/** The `rel="next"` target of a Link header; tolerates Harbor's `" , "` separators and unescaped queries. */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/\s*,\s*(?=<)/)) {
    const m = /^<([^>]*)>\s*;.*rel="?next"?/.exec(part.trim());
    if (m) return m[1];
  }
  return undefined;
}

const PAGE = 100;
const MAX_PAGES = 10_000;

export interface RepositoryList {
  repositories: string[];
  /** Where the list came from: the registry API, or Harbor's REST API when the catalog is refused. */
  source: "catalog" | "harbor";
}

export async function listRepositories(client: RegistryClient): Promise<RepositoryList> {
  const repositories: string[] = [];
  let path: string | undefined = `/v2/_catalog?n=${PAGE}`;
  for (let page = 0; path && page < MAX_PAGES; page++) {
    const r = await client.request("GET", path, {
      scopes: ["registry:catalog:*"],
      accept: [200, 401, 403],
      what: "list repositories",
    });
    if (r.status !== 200) {
      await r.body?.cancel();
      // Harbor refuses the catalog to non-admins; its REST API lists what the account may see.
      return { repositories: await listHarborRepositories(client), source: "harbor" };
    }
    const body = (await r.json()) as { repositories?: string[] };
    const items = body.repositories ?? [];
    repositories.push(...items);
    const link = nextLink(r.headers.get("link"));
    // Without a Link, a full page may still have a successor: ask from the last name.
    path =
      link ??
      (items.length >= PAGE ? `/v2/_catalog?n=${PAGE}&last=${encodeURIComponent(items.at(-1) as string)}` : undefined);
  }
  return { repositories: [...new Set(repositories)], source: "catalog" };
}

async function listHarborRepositories(client: RegistryClient): Promise<string[]> {
  const out: string[] = [];
  let path: string | undefined = `/api/v2.0/repositories?page=1&page_size=${PAGE}`;
  for (let page = 0; path && page < MAX_PAGES; page++) {
    const r = await client.request("GET", path, {
      accept: [200, 401, 403, 404],
      what: "list repositories (Harbor API)",
      basic: true,
    });
    if (r.status !== 200) {
      await r.body?.cancel();
      throw new LabError("auth", `${client.registry} refuses to list its repositories to this account`, {
        hint: "The catalog needs admin rights (or a robot with catalog read); lab images tags REGISTRY/REPO still works",
      });
    }
    const items = (await r.json()) as { name: string }[];
    out.push(...items.map((i) => i.name));
    path =
      nextLink(r.headers.get("link")) ??
      (items.length >= PAGE ? `/api/v2.0/repositories?page=${page + 2}&page_size=${PAGE}` : undefined);
  }
  return out;
}

export async function listTags(client: RegistryClient, repo: string): Promise<string[]> {
  const tags: string[] = [];
  let path: string | undefined = `/v2/${repo}/tags/list?n=${PAGE}`;
  for (let page = 0; path && page < MAX_PAGES; page++) {
    const r = await client.request("GET", path, {
      scopes: [pullScope(repo)],
      accept: [200],
      what: `list tags of ${repo}`,
    });
    const body = (await r.json()) as { tags?: string[] | null };
    const items = body.tags ?? [];
    tags.push(...items);
    const link = nextLink(r.headers.get("link"));
    path =
      link ??
      (items.length >= PAGE
        ? `/v2/${repo}/tags/list?n=${PAGE}&last=${encodeURIComponent(items.at(-1) as string)}`
        : undefined);
  }
  return [...new Set(tags)];
}
