import { createHash } from "node:crypto";

// Docker's legacy `docker save` (20.10 and the classic image store) names each layer's directory by
// a v1 id and writes the directories in name order, not layer order; the diffID of a layer.tar is
// known only once it has been read. To name a layer by its digest before its bytes go by (a tar
// header comes first), the v1 id is computed back: it is the digest of the layer's v1 JSON with
// its chain ID, as image/v1 CreateID builds it. The layer whose id matches is the one in the file.

const sha = (text: string) => createHash("sha256").update(text).digest("hex");

/** The chain IDs of a layer stack: the first diffID, then sha256("<parent chain> <diffID>"). */
export function chainIDs(diffIDs: string[]): string[] {
  const out: string[] = [];
  for (const d of diffIDs) out.push(out.length ? `sha256:${sha(`${out[out.length - 1]} ${d}`)}` : d);
  return out;
}

/** encoding/json escapes these in strings; the digest is over Go's bytes. */
const goEscape = (s: string) =>
  s.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** CreateID: the v1 JSON without id, with layer_id and the parent digest, keys sorted, compact. */
function v1ID(json: Record<string, unknown>, chainID: string, withOs: boolean): string {
  const obj: Record<string, unknown> = { ...json };
  delete obj.id;
  // The exported JSON has os set after the id was made, except on the image's last layer.
  if (!withOs) delete obj.os;
  if (typeof obj.parent === "string") obj.parent = `sha256:${obj.parent}`;
  obj.layer_id = chainID;
  const body = `{${Object.keys(obj)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(obj[k])}`)
    .join(",")}}`;
  return sha(goEscape(body));
}

/** Which layer of the stack (index into diffIDs) a legacy layer directory holds; undefined: none. */
export function legacyLayerIndex(dirId: string, jsonText: string, chain: string[]): number | undefined {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(jsonText) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  for (let i = 0; i < chain.length; i++) {
    const last = i === chain.length - 1;
    if (v1ID(json, chain[i] as string, last) === dirId) return i;
    if (!last && v1ID(json, chain[i] as string, true) === dirId) return i;
  }
  return undefined;
}
