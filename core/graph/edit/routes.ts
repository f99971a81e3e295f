import type { IncomingMessage } from "node:http";
import { LabError } from "../../errors.ts";
import { originIsHost } from "../access.ts";
import type { Pins } from "../layout.ts";
import type { Exchange, RouteContext } from "../routes.ts";
import { editorKinds } from "./interfaces.ts";
import type { EditOp } from "./ops.ts";
import type { EditSession } from "./session.ts";

// The editor's routes (lab graph --edit): each change checked and applied to the session's
// document, the page redrawn from it; Save writes the file; Plan says what `lab up --dry-run`
// says; Apply runs `lab up`. Changes come only as same-origin JSON POSTs: a page of another site
// can neither send that content type without a preflight (never answered) nor forge Origin.

export interface EditHooks {
  session: EditSession;
  /** What `lab up --dry-run` prints for the saved file. */
  dryRun(): Promise<string>;
  /** `lab up` of the saved file: its summary. */
  up(): Promise<string>;
}

export interface EditRoute {
  method: "GET" | "POST";
  path: string;
  answer: (x: Exchange, c: RouteContext, edit: EditHooks, body: unknown) => Promise<unknown>;
}

const MAX_BODY = 256 * 1024;

export const EDIT_ROUTES: EditRoute[] = [
  {
    method: "GET",
    path: "/edit/state",
    answer: async (_x, _c, e) => ({
      editing: true,
      file: e.session.file,
      unsaved: e.session.unsaved,
      kinds: editorKinds(),
    }),
  },
  {
    method: "GET",
    path: "/edit/propose",
    answer: async (x, _c, e) => ({
      iface: e.session.propose(new URL(x.req.url ?? "/", "http://x").searchParams.get("node") ?? ""),
    }),
  },
  {
    method: "POST",
    path: "/edit/change",
    answer: async (_x, c, e, body) => {
      const { op, pins } = body as { op: EditOp; pins?: Record<string, { x: number; y: number }> };
      if (!op || typeof op !== "object" || typeof op.op !== "string") throw new LabError("usage", "no change given");
      const lab = e.session.apply(op);
      c.lab = lab;
      await c.graph.replace(lab, pinsOf(pins));
      return { unsaved: e.session.unsaved, graph: JSON.parse(c.graph.json) };
    },
  },
  { method: "POST", path: "/edit/save", answer: async (_x, _c, e) => e.session.save() },
  {
    method: "POST",
    path: "/edit/plan",
    answer: async (_x, _c, e) => {
      const saved = e.session.unsaved ? await e.session.save() : undefined;
      return { saved, text: await e.dryRun() };
    },
  },
  {
    method: "POST",
    path: "/edit/apply",
    answer: async (_x, c, e) => {
      if (c.readOnly) throw new LabError("usage", "read-only: this page cannot change the lab");
      if (e.session.unsaved) await e.session.save();
      const text = await e.up();
      c.graph.refresh();
      return { text };
    },
  },
];

function pinsOf(pins: Record<string, { x: number; y: number }> | undefined): Pins | undefined {
  if (!pins || typeof pins !== "object") return undefined;
  const out: Pins = new Map();
  for (const [id, p] of Object.entries(pins))
    if (Number.isFinite(p?.x) && Number.isFinite(p?.y)) out.set(id, { x: p.x, y: p.y });
  return out;
}

/** A change from the page itself: JSON, and Origin (when sent) naming this server. */
function sameOrigin(req: IncomingMessage): boolean {
  return (req.headers["content-type"] ?? "").startsWith("application/json") && originIsHost(req);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new LabError("usage", "request too large");
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    throw new LabError("usage", "the request is not JSON");
  }
}

/** Answers an editor request; false when the path is none of the editor's. */
export function editRoute(x: Exchange, c: RouteContext): boolean {
  const r = EDIT_ROUTES.find((r) => r.path === x.url && r.method === x.req.method);
  if (!c.edit && x.url === "/edit/state") {
    // Every page asks; a page not served with --edit learns it has no editor.
    x.send(200, "application/json", JSON.stringify({ editing: false }));
    return true;
  }
  if (!r || !c.edit) return false;
  const edit = c.edit;
  const json = (status: number, value: unknown) => x.send(status, "application/json", JSON.stringify(value));
  if (r.method === "POST" && !sameOrigin(x.req)) {
    json(403, { error: "changes come only from the page itself (same origin, JSON)" });
    return true;
  }
  (r.method === "POST" ? readJson(x.req) : Promise.resolve(undefined))
    .then((body) => r.answer(x, c, edit, body))
    .then((value) => json(200, value))
    .catch((e) => {
      const known = e instanceof LabError;
      json(known ? (e.code === "not-found" ? 404 : e.code === "conflict" ? 409 : 400) : 500, {
        error: (e as Error).message,
        ...(known && e.hint ? { hint: e.hint } : {}),
      });
    });
  return true;
}
