// /openapi/v3, after k8s.io/kube-openapi/pkg/handler3: an index of the
// group-versions, each with a serverRelativeURL carrying the document's hash,
// and one OpenAPI v3 JSON document per group-version. A request with the
// current hash is cacheable forever; a stale hash is redirected to the current
// one, as kube-openapi does. Leaves out: the protobuf encoding of v3 documents.

import { createHash } from "node:crypto";
import { buildGroupVersionDocument, servedGroupVersions } from "./builder3.ts";

export interface OpenAPIAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

interface Served {
  bytes: Buffer;
  hash: string;
}

/**
 * The documents, serialized once per process on first use. They depend only
 * on the resource table and the generated schemas, both constant, so this is
 * a memo of constant data, not shared mutable state.
 */
class Documents {
  private built: { docs: Map<string, Served>; index: Buffer } | undefined;

  get(): { docs: Map<string, Served>; index: Buffer } {
    if (this.built) return this.built;
    const docs = new Map<string, Served>();
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const gv of servedGroupVersions()) {
      const doc = buildGroupVersionDocument(gv.group, gv.version);
      if (!doc) continue;
      const bytes = Buffer.from(JSON.stringify(doc));
      const hash = createHash("sha512").update(bytes).digest("hex").toUpperCase();
      docs.set(gv.key, { bytes, hash });
      paths[gv.key] = { serverRelativeURL: `/openapi/v3/${gv.key}?hash=${hash}` };
    }
    this.built = { docs, index: Buffer.from(JSON.stringify({ paths })) };
    return this.built;
  }
}

const DOCUMENTS = new Documents();

const JSON_HEADERS = { "content-type": "application/json" };

/**
 * Answers GET /openapi/v3[/<api/v1|apis/<group>/<version>>]. `rest` is the
 * path after /openapi/v3 split into segments; undefined means "not ours" (404).
 */
export function serveOpenAPIV3(rest: string[], query: URLSearchParams, headers: Record<string, string | undefined>): OpenAPIAnswer | undefined {
  const { docs, index } = DOCUMENTS.get();
  if (rest.length === 0) {
    return { status: 200, headers: { ...JSON_HEADERS, "cache-control": "no-cache, private" }, body: index };
  }
  const key = rest.join("/");
  const served = docs.get(key);
  if (!served) return undefined;
  const etag = `"${served.hash}"`;
  const hash = query.get("hash");
  if (hash !== null && hash !== served.hash) {
    return { status: 301, headers: { location: `/openapi/v3/${key}?hash=${served.hash}`, "cache-control": "no-cache, private" }, body: Buffer.alloc(0) };
  }
  const cache = hash !== null ? "public, immutable" : "no-cache, private";
  if (headers["if-none-match"] === etag) return { status: 304, headers: { etag, "cache-control": cache }, body: Buffer.alloc(0) };
  return { status: 200, headers: { ...JSON_HEADERS, etag, "cache-control": cache }, body: served.bytes };
}
