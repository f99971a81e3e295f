import { describe, expect, test } from "bun:test";
import { type RecordedRequest, recordingPlatform } from "../../runtime/docker/testing.ts";
import { mountBlob, pushScope } from "./blobs.ts";
import { RegistryClient } from "./client.ts";
import { deleteImage } from "./delete.ts";
import { listRepositories, listTags } from "./list.ts";

// Harbor as its code answers (goharbor/harbor), for lab's registry client:
// - src/server/middleware/v2auth/auth.go: a refused /v2 request is 401 with
//   Docker-Distribution-Api-Version: registry/2.0, a Basic challenge when the request carried an
//   Authorization header (and always for /v2/_catalog), else a Bearer challenge at /service/token;
//   the body is lib/http SendError's {"errors":[{"code":"UNAUTHORIZED","message":…}]} with
//   "unauthorized to list catalog" or "unauthorized to access repository: <repo>, action: <action>".
// - src/core/service/token/token.go + creator.go: /service/token answers a caller it could not
//   authenticate 401 with an empty body when no scope is asked (docker login), and otherwise a token
//   whose access holds only what the account may do; the catalog only for system admins.
// - src/server/middleware/security/basic_auth.go + unauthorized.go: a wrong password on the REST
//   API is an anonymous caller (GET /api/v2.0/projects lists the public projects, 200).
// - oidc_cli_or_api.go: an OIDC CLI secret is taken on /v2, /service/token, GET /api/v2.0/projects,
//   GET …/projects/*/repositories and artifact lists, not on DELETE of one artifact.

const ROBOTS: Record<string, { password: string; projects: string[] }> = {
  "robot$proja+ci": { password: "secret-a", projects: ["proja"] },
  "robot$projb+ci": { password: "secret-b", projects: ["projb"] },
  "oidc-user": { password: "cli-secret", projects: ["proja"] },
};
const PUBLIC = ["library"];
const REPOS: Record<string, string[]> = {
  proja: ["proja/img", "proja/other"],
  projb: ["projb/img"],
  library: ["library/hello"],
};

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
const unauthorized = (req: RecordedRequest, message: string) =>
  json({ errors: [{ code: "UNAUTHORIZED", message }] }, 401, {
    "docker-distribution-api-version": "registry/2.0",
    "www-authenticate":
      req.headers.authorization || req.url.includes("/v2/_catalog")
        ? 'Basic realm="harbor"'
        : 'Bearer realm="https://harbor.test/service/token",service="harbor-registry"',
  });

/** The account a Basic header names, when its password is right; else anonymous (""). */
function basicUser(req: RecordedRequest): string {
  const h = req.headers.authorization ?? "";
  if (!h.startsWith("Basic ")) return "";
  const [user = "", password] = atob(h.slice(6)).split(":");
  return ROBOTS[user]?.password === password ? user : "";
}

/** What a token grants: repository → actions (the fake's tokens carry their access as JSON). */
function tokenAccess(req: RecordedRequest): Record<string, string[]> | undefined {
  const h = req.headers.authorization ?? "";
  return h.startsWith("Bearer ") ? JSON.parse(atob(h.slice(7))) : undefined;
}

function harbor(options: { oidc?: boolean } = {}) {
  return recordingPlatform((req) => {
    const url = new URL(req.url);
    const path = url.pathname;
    if (path === "/service/token") {
      const user = basicUser(req);
      const scopes = url.searchParams.getAll("scope");
      if (!user && !scopes.length) return new Response("", { status: 401 });
      const access: Record<string, string[]> = {};
      for (const s of scopes) {
        const [type, name = "", actions = ""] = s.split(":");
        if (type !== "repository") continue;
        const project = name.split("/")[0] as string;
        const mine = !!user && (ROBOTS[user]?.projects ?? []).includes(project);
        access[name] = actions.split(",").filter((a) => mine || (PUBLIC.includes(project) && a === "pull"));
      }
      const token = btoa(JSON.stringify(access));
      return json({ token, expires_in: 1800, issued_at: new Date().toISOString() });
    }
    if (path === "/v2/") return req.headers.authorization ? json({}) : unauthorized(req, "unauthorized");
    if (path === "/v2/_catalog") return unauthorized(req, "unauthorized to list catalog");
    if (path.startsWith("/v2/")) {
      const m = /^\/v2\/(.+)\/(blobs|manifests|tags)\//.exec(path);
      const repo = m?.[1] ?? "";
      const from = url.searchParams.get("from");
      const needs: [string, string][] = [
        [repo, req.method === "GET" || req.method === "HEAD" ? "pull" : req.method === "DELETE" ? "delete" : "push"],
      ];
      if (from) needs.push([from, "pull"]);
      const access = tokenAccess(req);
      const user = basicUser(req);
      for (const [name, action] of needs) {
        const project = name.split("/")[0] as string;
        const byToken = access?.[name]?.includes(action);
        const byBasic = !!user && (ROBOTS[user]?.projects ?? []).includes(project);
        if (!byToken && !byBasic)
          return unauthorized(req, `unauthorized to access repository: ${name}, action: ${action}`);
      }
      if (from) return new Response(null, { status: 201 });
      if (m?.[2] === "tags") return json({ name: repo, tags: ["1"] });
      if (req.method === "PUT") return new Response(null, { status: 201 });
      // Harbor answers a manifest delete by digest through /v2 with 405 for robots without delete.
      if (req.method === "DELETE") return json({ errors: [{ code: "UNSUPPORTED", message: "not supported" }] }, 405);
      return new Response(null, { status: 404 });
    }
    if (path.startsWith("/api/v2.0/")) {
      let user = basicUser(req);
      const artifactDelete = req.method === "DELETE" && /\/artifacts\/[^/]+$/.test(path);
      if (options.oidc && artifactDelete) user = ""; // a CLI secret is not taken there
      const visible = user ? [...new Set([...(ROBOTS[user]?.projects ?? []), ...PUBLIC])] : PUBLIC;
      if (path === "/api/v2.0/projects") return json(visible.map((name, i) => ({ project_id: i + 1, name })));
      const repos = /^\/api\/v2\.0\/projects\/([^/]+)\/repositories$/.exec(path);
      if (repos) return json((REPOS[repos[1] as string] ?? []).map((name) => ({ name })));
      if (artifactDelete)
        return user
          ? new Response(null, { status: 200 })
          : json({ errors: [{ code: "UNAUTHORIZED", message: "unauthorized" }] }, 401);
    }
    return new Response("not found", { status: 404 });
  });
}

const client = (platform: ReturnType<typeof harbor>["platform"], username: string, password: string) =>
  new RegistryClient({
    registry: "harbor.test",
    credentials: { username, password },
    platform,
    retry: { attempts: 1, baseMs: 1 },
  });

describe("a robot account on Harbor", () => {
  test("the catalog is refused (also with Basic on that path): listed through the projects API, saying so", async () => {
    const { platform, requests } = harbor();
    const robot = client(platform, "robot$proja+ci", "secret-a");
    const list = await listRepositories(robot);
    expect(list).toEqual({ source: "harbor-projects", repositories: ["proja/img", "proja/other", "library/hello"] });
    const catalog = requests.filter((r) => r.url.includes("/v2/_catalog"));
    expect(catalog.map((r) => r.headers.authorization?.split(" ")[0])).toEqual(["Bearer", "Basic"]);
    // Basic only where the registry asked for it: the next /v2 request carries a bearer token again.
    await listTags(robot, "proja/img");
    expect(requests.at(-1)?.headers.authorization).toStartWith("Bearer ");
  });

  test("a wrong password is wrong credentials, never the public list", async () => {
    const { platform } = harbor();
    await expect(listRepositories(client(platform, "robot$proja+ci", "nope"))).rejects.toMatchObject({
      code: "auth",
      message: "harbor.test rejected the credentials for robot$proja+ci",
    });
  });

  test("a mount from another project is refused quietly (false), and the run keeps its bearer tokens", async () => {
    const { platform, requests } = harbor();
    const robot = client(platform, "robot$projb+ci", "secret-b");
    expect(await mountBlob(robot, "projb/img", "sha256:abc", "proja/img")).toBe(false);
    expect(await mountBlob(robot, "projb/img", "sha256:abc", "projb/old")).toBe(true);
    expect(requests.at(-1)?.headers.authorization).toStartWith("Bearer ");
  });

  test("pushing into another project is a permission error in Harbor's words, not a credentials error", async () => {
    const { platform } = harbor();
    const robot = client(platform, "robot$projb+ci", "secret-b");
    const put = robot.request("PUT", "/v2/proja/other/manifests/1", {
      scopes: [pushScope("proja/other")],
      body: "{}",
      accept: [201],
      what: "push manifest proja/other:1",
    });
    await expect(put).rejects.toMatchObject({
      code: "forbidden",
      message:
        "robot$projb+ci may not push to proja/other: unauthorized to access repository: proja/other, action: push",
    });
  });

  test("delete: refused by /v2, done through the artifact API; an OIDC CLI secret is refused there in one line", async () => {
    const ok = harbor();
    const robot = client(ok.platform, "robot$proja+ci", "secret-a");
    const ref = { registry: "harbor.test", repository: "proja/img", tag: "1" };
    expect(await deleteImage(robot, ref, { digest: "sha256:abc" })).toMatchObject({ via: "harbor" });
    const oidc = harbor({ oidc: true });
    const user = client(oidc.platform, "oidc-user", "cli-secret");
    await expect(deleteImage(user, ref, { digest: "sha256:abc" })).rejects.toMatchObject({
      message: expect.stringContaining("harbor.test refused to delete harbor.test/proja/img:1"),
    });
    const apiDelete = oidc.requests.find((r) => r.method === "DELETE" && r.url.includes("/api/v2.0/"));
    // Harbor wants the repository name inside the project encoded twice.
    expect(apiDelete?.url).toContain("/api/v2.0/projects/proja/repositories/img/artifacts/sha256:abc");
  });
});
