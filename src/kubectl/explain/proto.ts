// The OpenAPI v2 models kubectl explain walks for --output=plaintext-openapiv2,
// after k8s.io/kube-openapi/pkg/util/proto/document.go (definitions parsed
// into Kind, Array, Map, Primitive, Reference and Arbitrary) and
// k8s.io/kubectl/pkg/util/openapi (the x-kubernetes-group-version-kind index).
// Parsed from /openapi/v2's JSON form, which holds what the protobuf one does.
// Leaves out OneOf discriminators and the path of each schema.

export interface V2Schema {
  $ref?: string;
  description?: string;
  type?: string | string[];
  format?: string;
  items?: V2Schema | V2Schema[];
  additionalProperties?: V2Schema | boolean;
  properties?: Record<string, V2Schema>;
  required?: string[];
  [extension: `x-${string}`]: unknown;
}

export interface V2Document {
  definitions?: Record<string, V2Schema>;
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

interface Base {
  description: string;
}

export interface Kind extends Base {
  type: "kind";
  fields: Record<string, ProtoSchema>;
  required: string[];
}

export interface ArraySchema extends Base {
  type: "array";
  sub: ProtoSchema;
}

export interface MapSchema extends Base {
  type: "map";
  sub: ProtoSchema;
}

export interface Primitive extends Base {
  type: "primitive";
  primitive: string;
}

export interface Reference extends Base {
  type: "reference";
  reference: string;
}

/** A value of any shape: no type, no properties (and a map's values when it names no schema). */
export interface Arbitrary extends Base {
  type: "arbitrary";
}

export type ProtoSchema = Kind | ArraySchema | MapSchema | Primitive | Reference | Arbitrary;

/** proto's SchemaError text: where in the document a definition is malformed. */
function schemaError(path: string, msg: string): Error {
  return new Error(`SchemaError(${path}): ${msg}`);
}

function types(s: V2Schema): string[] {
  if (s.type === undefined) return [];
  return Array.isArray(s.type) ? s.type : [s.type];
}

/** proto.Models plus kubectl's GVK → model name index. */
export class Models {
  private readonly models = new Map<string, ProtoSchema>();
  private readonly resources = new Map<string, string>();

  constructor(doc: V2Document) {
    const defs = doc.definitions ?? {};
    const names = Object.keys(defs);
    for (const name of names) this.models.set(name, { type: "arbitrary", description: "" });
    for (const name of names) this.models.set(name, this.parse(defs[name]!, name));
    // ListModels is sorted; a later model claiming the same GVK wins.
    for (const name of [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
      const list = defs[name]!["x-kubernetes-group-version-kind"];
      if (!Array.isArray(list)) continue;
      for (const g of list as Record<string, unknown>[]) {
        const gvk = { group: String(g.group ?? ""), version: String(g.version ?? ""), kind: String(g.kind ?? "") };
        if (gvk.kind) this.resources.set(gvkKey(gvk), name);
      }
    }
  }

  lookupResource(gvk: GroupVersionKind): ProtoSchema | undefined {
    const name = this.resources.get(gvkKey(gvk));
    return name === undefined ? undefined : this.models.get(name);
  }

  subSchema(ref: Reference): ProtoSchema {
    return this.models.get(ref.reference)!;
  }

  /** document.go ParseSchema: a $ref wins, then the one type decides; properties without a type make a Kind. */
  private parse(s: V2Schema, path: string): ProtoSchema {
    const description = s.description ?? "";
    if (s.$ref) {
      if (s.properties && Object.keys(s.properties).length > 0) throw schemaError(path, "unallowed embedded type definition");
      if (types(s).length > 0) throw schemaError(path, "definition reference can't have a type");
      if (!s.$ref.startsWith("#/definitions/")) throw schemaError(path, `unallowed reference to non-definition ${JSON.stringify(s.$ref)}`);
      const reference = s.$ref.slice("#/definitions/".length);
      if (!this.models.has(reference)) throw schemaError(path, `unknown model in reference: ${JSON.stringify(reference)}`);
      return { type: "reference", description, reference };
    }
    const t = types(s);
    if (t.length === 0) return s.properties ? this.parseKind(s, path) : { type: "arbitrary", description };
    if (t.length > 1) throw schemaError(path, "definitions with multiple types aren't supported");
    if (t[0] === "object") {
      if (s.properties) return this.parseKind(s, path);
      const ap = s.additionalProperties;
      const sub: ProtoSchema = typeof ap === "object" ? this.parse(ap, path) : { type: "arbitrary", description };
      return { type: "map", description, sub };
    }
    if (t[0] === "array") {
      const items = s.items === undefined ? [] : Array.isArray(s.items) ? s.items : [s.items];
      if (items.length !== 1) throw schemaError(path, "array should have exactly one sub-item");
      return { type: "array", description, sub: this.parse(items[0]!, path) };
    }
    if (!["string", "number", "integer", "boolean"].includes(t[0]!)) throw schemaError(path, `Unknown primitive type: ${JSON.stringify(t[0])}`);
    return { type: "primitive", description, primitive: t[0]! };
  }

  private parseKind(s: V2Schema, path: string): Kind {
    const fields: Record<string, ProtoSchema> = {};
    for (const [name, v] of Object.entries(s.properties ?? {})) fields[name] = this.parse(v, `${path}.${name}`);
    return { type: "kind", description: s.description ?? "", fields, required: s.required ?? [] };
  }
}

function gvkKey(g: GroupVersionKind): string {
  return `${g.group}/${g.version}/${g.kind}`;
}

/** schema.GroupVersionKind's String(), which `%q` quotes in kubectl's errors. */
export function formatGVK(g: GroupVersionKind): string {
  return `${g.group}/${g.version}, Kind=${g.kind}`;
}
