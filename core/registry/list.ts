import { LabError } from "../errors.ts";
import { pullScope } from "./blobs.ts";
import type { RegistryClient } from "./client.ts";
import { registryErrorText } from "./errors.ts";

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
  /**
   * Where the list came from: the registry's catalog, or Harbor's projects API (GET
   * /api/v2.0/projects, then /projects/{name}/repositories) when the catalog is refused, as Harbor
   * refuses it to every bearer token.
   */
  source: "catalog" | "harbor-projects";
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
      return { repositories: await listHarborProjects(client), source: "harbor-projects" };
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

/** GETs every page of a Harbor list (its Link header, else page numbers until a short page). */
async function harborPages<T>(client: RegistryClient, first: string, what: string): Promise<T[]> {
  const out: T[] = [];
  let path: string | undefined = first;
  for (let page = 1; path && page <= MAX_PAGES; page++) {
    const r = await client.request("GET", path, { accept: [200, 401, 403, 404], what, basic: true });
    if (r.status !== 200) {
      const text = await r.text();
      throw new LabError(
        "forbidden",
        `${client.registry} refuses to list its repositories to this account (${what}: HTTP ${r.status}${text ? `: ${registryErrorText(r.status, text)}` : ""})`,
        {
          hint: "The catalog needs admin rights, and Harbor's projects API a user or robot with project access; lab images tags REGISTRY/REPO still works",
        },
      );
    }
    const items = (await r.json()) as T[];
    out.push(...items);
    const sep = first.includes("?") ? "&" : "?";
    path =
      nextLink(r.headers.get("link")) ??
      (items.length >= PAGE ? `${first.replace(/[?&]page=\d+/, "")}${sep}page=${page + 1}` : undefined);
  }
  return out;
}

/**
 * Harbor's projects API, the way its UI lists repositories: the projects this account sees, then each
 * project's repositories. Harbor answers a wrong password here as it answers an anonymous caller (the
 * public projects), so the credentials are checked with the registry first.
 */
async function listHarborProjects(client: RegistryClient): Promise<string[]> {
  await client.verifyCredentials();
  const projects = await harborPages<{ name: string }>(
    client,
    `/api/v2.0/projects?page_size=${PAGE}`,
    "list projects (Harbor API)",
  );
  const out: string[] = [];
  for (const p of projects) {
    const repos = await harborPages<{ name: string }>(
      client,
      `/api/v2.0/projects/${encodeURIComponent(p.name)}/repositories?page_size=${PAGE}`,
      `list the repositories of project ${p.name} (Harbor API)`,
    );
    out.push(...repos.map((r) => r.name));
  }
  return [...new Set(out)];
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
