// /openapi/v2, after k8s.io/kube-openapi/pkg/handler: the Swagger 2.0 document
// as JSON, or as gnostic's openapi.v2.Document protobuf when the Accept header
// asks for it (kubectl ≤1.26 reads only that; newer ones fall back to it).
// The definitions are the v3 component schemas rewritten in v2 form; vendor
// extensions travel as YAML text (JSON is YAML), as gnostic carries them.
// Leaves out: paths and parameters (kubectl's v2 readers use only definitions).

import { createHash } from "node:crypto";
import protobuf from "protobufjs";
import { type Schema, SCHEMA_REF_PREFIX, SCHEMAS } from "./schemas.ts";
import type { OpenAPIAnswer } from "./handler3.ts";

export const OPENAPI_V2_PROTOBUF = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

type V2Schema = Record<string, unknown>;

/** A v3 component schema in Swagger 2.0 form: #/definitions refs beside their description, oneOf as string. */
export function toV2(s: Schema): V2Schema {
  const out: V2Schema = {};
  const ref = s.$ref ?? (s.allOf?.length === 1 ? s.allOf[0]!.$ref : undefined);
  if (ref) out.$ref = `#/definitions/${ref.slice(SCHEMA_REF_PREFIX.length)}`;
  if (s.description !== undefined) out.description = s.description;
  if (s.oneOf) out.type = "string";
  if (s.type !== undefined) out.type = s.type;
  if (s.format !== undefined) out.format = s.format;
  if (s.items) out.items = toV2(s.items);
  if (s.additionalProperties !== undefined) out.additionalProperties = typeof s.additionalProperties === "boolean" ? s.additionalProperties : toV2(s.additionalProperties);
  if (s.properties) out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, toV2(v)]));
  if (s.required) out.required = s.required;
  for (const [k, v] of Object.entries(s)) if (k.startsWith("x-")) out[k] = v;
  return out;
}

/** The subset of gnostic's OpenAPIv2.proto the document uses, with its field numbers. */
function gnosticRoot(): protobuf.Root {
  const namedAny = { fields: { name: { type: "string", id: 1 }, value: { type: "Any", id: 2 } } };
  return protobuf.Root.fromJSON({
    nested: {
      openapi: {
        nested: {
          v2: {
            nested: {
              Document: { fields: { swagger: { type: "string", id: 1 }, info: { type: "Info", id: 2 }, definitions: { type: "Definitions", id: 9 } } },
              Info: { fields: { title: { type: "string", id: 1 }, version: { type: "string", id: 2 } } },
              Definitions: { fields: { additional_properties: { rule: "repeated", type: "NamedSchema", id: 1 } } },
              Properties: { fields: { additional_properties: { rule: "repeated", type: "NamedSchema", id: 1 } } },
              NamedSchema: { fields: { name: { type: "string", id: 1 }, value: { type: "Schema", id: 2 } } },
              NamedAny: namedAny,
              Any: { fields: { yaml: { type: "string", id: 2 } } },
              TypeItem: { fields: { value: { rule: "repeated", type: "string", id: 1 } } },
              ItemsItem: { fields: { schema: { rule: "repeated", type: "Schema", id: 1 } } },
              AdditionalPropertiesItem: { oneofs: { oneof: { oneof: ["schema", "boolean"] } }, fields: { schema: { type: "Schema", id: 1 }, boolean: { type: "bool", id: 2 } } },
              Schema: {
                fields: {
                  _ref: { type: "string", id: 1 },
                  format: { type: "string", id: 2 },
                  description: { type: "string", id: 4 },
                  required: { rule: "repeated", type: "string", id: 19 },
                  additional_properties: { type: "AdditionalPropertiesItem", id: 21 },
                  type: { type: "TypeItem", id: 22 },
                  items: { type: "ItemsItem", id: 23 },
                  properties: { type: "Properties", id: 25 },
                  vendor_extension: { rule: "repeated", type: "NamedAny", id: 31 },
                },
              },
            },
          },
        },
      },
    },
  });
}

/** A v2 schema as the gnostic message (plain object for protobufjs). */
function gnosticSchema(s: V2Schema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof s.$ref === "string") out._ref = s.$ref;
  if (typeof s.format === "string") out.format = s.format;
  if (typeof s.description === "string") out.description = s.description;
  if (Array.isArray(s.required)) out.required = s.required;
  if (s.additionalProperties !== undefined) {
    out.additional_properties = typeof s.additionalProperties === "boolean" ? { boolean: s.additionalProperties } : { schema: gnosticSchema(s.additionalProperties as V2Schema) };
  }
  if (typeof s.type === "string") out.type = { value: [s.type] };
  if (s.items) out.items = { schema: [gnosticSchema(s.items as V2Schema)] };
  if (s.properties) {
    out.properties = { additional_properties: Object.entries(s.properties as Record<string, V2Schema>).map(([name, v]) => ({ name, value: gnosticSchema(v) })) };
  }
  const ext = Object.entries(s).filter(([k]) => k.startsWith("x-"));
  if (ext.length > 0) out.vendor_extension = ext.map(([name, v]) => ({ name, value: { yaml: JSON.stringify(v) } }));
  return out;
}

interface Encoded {
  bytes: Buffer;
  etag: string;
}

interface Built {
  json: Encoded;
  proto: Encoded;
}

function encoded(bytes: Buffer): Encoded {
  return { bytes, etag: `"${createHash("sha512").update(bytes).digest("hex").toUpperCase()}"` };
}

/** The document, built once per process on first use from constant inputs (a memo, not shared state). */
class Document2 {
  private built: Built | undefined;

  get(): Built {
    if (this.built) return this.built;
    const definitions = Object.fromEntries(Object.keys(SCHEMAS).sort().map((name) => [name, toV2(SCHEMAS[name]!)]));
    const doc = { swagger: "2.0", info: { title: "Kubernetes", version: "unversioned" }, definitions };
    const json = Buffer.from(JSON.stringify(doc));
    const Document = gnosticRoot().lookupType("openapi.v2.Document");
    const message = Document.fromObject({
      swagger: doc.swagger,
      info: doc.info,
      definitions: { additional_properties: Object.entries(definitions).map(([name, s]) => ({ name, value: gnosticSchema(s) })) },
    });
    this.built = { json: encoded(json), proto: encoded(Buffer.from(Document.encode(message).finish())) };
    return this.built;
  }
}

const DOCUMENT = new Document2();

/** Answers GET /openapi/v2: protobuf when Accept names the gnostic type, else JSON. */
export function serveOpenAPIV2(headers: Record<string, string | undefined>): OpenAPIAnswer {
  const built = DOCUMENT.get();
  const wantsProto = (headers["accept"] ?? "").includes("application/com.github.proto-openapi.spec.v2");
  const { bytes, etag } = wantsProto ? built.proto : built.json;
  const common = { etag, vary: "Accept", "cache-control": "no-cache, private" };
  if (headers["if-none-match"] === etag) return { status: 304, headers: common, body: Buffer.alloc(0) };
  // The Accept value has an "@" that Go's mime parser rejects, so the answer names the type with a dot.
  return { status: 200, headers: { ...common, "content-type": wantsProto ? OPENAPI_V2_PROTOBUF : "application/json" }, body: bytes };
}
