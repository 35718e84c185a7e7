// Patch metadata from the server's OpenAPI v3 documents, after
// k8s.io/apimachinery/pkg/util/strategicpatch (meta.go: PatchMetaFromOpenAPIV3)
// and kubectl's openapi3 root: for a field of an object, its schema and its
// x-kubernetes-patch-strategy / x-kubernetes-patch-merge-key. kubectl apply and
// edit fetch /openapi/v3 and the group-version document of the kind they patch.
// Leaves out the v2 fallback and the compiled-in Go struct tags.

import type { RestClient } from "../../client/rest.ts";

export interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  allOf?: SchemaNode[];
  $ref?: string;
  "x-kubernetes-group-version-kind"?: { group: string; version: string; kind: string }[];
  "x-kubernetes-patch-merge-key"?: string;
  "x-kubernetes-patch-strategy"?: string;
}

export interface PatchMeta {
  /** e.g. ["merge"], ["retainKeys"], ["merge", "retainKeys"]. */
  strategies: string[];
  mergeKey: string;
}

/** What the patch computation asks about one level of an object. */
export interface LookupPatchMeta {
  forStruct(key: string): { schema: LookupPatchMeta; meta: PatchMeta };
  forSlice(key: string): { schema: LookupPatchMeta; meta: PatchMeta };
}

const NO_META: PatchMeta = { strategies: [], mergeKey: "" };

/** A schema that knows nothing: every list is replaced, every map merged (JSON-merge-like). */
export const EMPTY_PATCH_META: LookupPatchMeta = {
  forStruct: () => ({ schema: EMPTY_PATCH_META, meta: NO_META }),
  forSlice: () => ({ schema: EMPTY_PATCH_META, meta: NO_META }),
};

const REF_PREFIX = "#/components/schemas/";

class OpenAPIPatchMeta implements LookupPatchMeta {
  constructor(
    private readonly schemas: Record<string, SchemaNode>,
    private readonly node: SchemaNode,
  ) {}

  private resolve(s: SchemaNode | undefined): SchemaNode {
    let cur = s ?? {};
    for (let hops = 0; hops < 8; hops++) {
      const ref = cur.$ref ?? cur.allOf?.[0]?.$ref;
      if (!ref) return cur;
      cur = this.schemas[ref.slice(REF_PREFIX.length)] ?? {};
    }
    return cur;
  }

  private field(key: string): { prop: SchemaNode | undefined; sub: SchemaNode } {
    const node = this.resolve(this.node);
    const prop = node.properties?.[key];
    if (prop) return { prop, sub: this.resolve(prop) };
    // A map (labels, data, limits): every key has the value schema.
    if (typeof node.additionalProperties === "object") return { prop: undefined, sub: this.resolve(node.additionalProperties) };
    return { prop: undefined, sub: {} };
  }

  private meta(prop: SchemaNode | undefined): PatchMeta {
    if (!prop) return NO_META;
    const strategy = prop["x-kubernetes-patch-strategy"];
    return { strategies: strategy ? strategy.split(",") : [], mergeKey: prop["x-kubernetes-patch-merge-key"] ?? "" };
  }

  forStruct(key: string): { schema: LookupPatchMeta; meta: PatchMeta } {
    const { prop, sub } = this.field(key);
    return { schema: new OpenAPIPatchMeta(this.schemas, sub), meta: this.meta(prop) };
  }

  forSlice(key: string): { schema: LookupPatchMeta; meta: PatchMeta } {
    const { prop, sub } = this.field(key);
    return { schema: new OpenAPIPatchMeta(this.schemas, this.resolve(sub.items)), meta: this.meta(prop) };
  }
}

interface Document {
  components?: { schemas?: Record<string, SchemaNode> };
}

/** kubectl's openapi3 root: the index once, each group-version document once, per process. */
export class OpenAPIV3Root {
  private index: Record<string, { serverRelativeURL: string }> | undefined;
  private readonly docs = new Map<string, Document>();

  constructor(private readonly rest: RestClient) {}

  private async document(group: string, version: string): Promise<Document | undefined> {
    const key = group ? `apis/${group}/${version}` : `api/${version}`;
    const cached = this.docs.get(key);
    if (cached) return cached;
    if (!this.index) {
      const idx = await this.rest.json<{ paths?: Record<string, { serverRelativeURL: string }> }>("GET", "/openapi/v3", { query: { timeout: "32s" } });
      this.index = idx.paths ?? {};
    }
    const entry = this.index[key];
    if (!entry) return undefined;
    const [path, query] = entry.serverRelativeURL.split("?");
    const params = Object.fromEntries(new URLSearchParams(query ?? ""));
    const doc = await this.rest.json<Document>("GET", path!, { query: { ...params, timeout: "32s" } });
    this.docs.set(key, doc);
    return doc;
  }

  /** The patch metadata of a kind, or undefined when the server does not describe it. */
  async patchMetaFor(group: string, version: string, kind: string): Promise<LookupPatchMeta | undefined> {
    const doc = await this.document(group, version);
    const schemas = doc?.components?.schemas;
    if (!schemas) return undefined;
    for (const s of Object.values(schemas)) {
      if ((s["x-kubernetes-group-version-kind"] ?? []).some((g) => g.group === group && g.version === version && g.kind === kind)) {
        return new OpenAPIPatchMeta(schemas, s);
      }
    }
    return undefined;
  }
}
