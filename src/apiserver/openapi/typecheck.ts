// Type checking at decode, after the apiserver's JSON serializer
// (sigs.k8s.io/json's fork of encoding/json: UnmarshalTypeError with its error
// context) and runtime.DefaultUnstructuredConverter (what a strategic merge
// patch's result goes through). A real apiserver decodes every body into the
// kind's Go struct before anything else looks at it, so a value of the wrong
// JSON type (`replicas: two`) is refused whatever fieldValidation says: 400
// `<Kind> in version "<v>" cannot be handled as a <Kind>: json: cannot
// unmarshal string into Go struct field DeploymentSpec.spec.replicas of type
// int32` for bodies, 422 on field "patch" for patches. The Go types come from
// the kind's OpenAPI schema.
// Leaves out: named Go types the schema does not name (an enum such as
// v1.Protocol reads as string, v1.ResourceList as map[string]resource.Quantity),
// Time parsing, base64 checks of []byte fields, and the literal form of a
// number in a message (1.50 reads as 1.5).

import { StatusError } from "../../apimachinery/errors.ts";
import { jsonValueWord } from "../../apimachinery/gojson.ts";
import { parseQuantity } from "../../apimachinery/quantity.ts";
import type { CheckTarget } from "./fieldvalidation.ts";
import { goValue } from "./fieldvalidation.ts";
import { SCHEMA_REF_PREFIX, type Schema, SCHEMAS, schemaNameForKind } from "./schemas.ts";

const INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
const QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
const TIMES = new Set(["io.k8s.apimachinery.pkg.apis.meta.v1.Time", "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime"]);
/** Schemas whose Go type takes any JSON (runtime.RawExtension, FieldsV1…). */
const ANY = new Set(["io.k8s.apimachinery.pkg.runtime.RawExtension", "io.k8s.apimachinery.pkg.apis.meta.v1.Patch", "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1"]);

/** resource.ParseQuantity's ErrFormatWrong. */
const QUANTITY_FORMAT = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const QUANTITY_RE = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;

/** What a schema decodes into. */
type GoType =
  | { kind: "struct"; name: string; schema: Schema }
  | { kind: "slice"; name: string; elem: GoType }
  | { kind: "map"; name: string; elem: GoType }
  | { kind: "string" | "bool" | "int32" | "int64" | "float64" | "bytes"; name: string }
  | { kind: "intorstring" | "quantity" | "time" | "any"; name: string };

/** io.k8s.api.apps.v1.DeploymentSpec → v1.DeploymentSpec (Go's package.Type). */
function goName(schemaName: string): string {
  const parts = schemaName.split(".");
  return `${parts[parts.length - 2]}.${parts[parts.length - 1]}`;
}

function goTypeOf(s: Schema): GoType {
  const ref = s.$ref ?? s.allOf?.[0]?.$ref;
  if (ref) {
    const name = ref.slice(SCHEMA_REF_PREFIX.length);
    if (name === INT_OR_STRING) return { kind: "intorstring", name: "intstr.IntOrString" };
    if (name === QUANTITY) return { kind: "quantity", name: "resource.Quantity" };
    if (TIMES.has(name)) return { kind: "time", name: goName(name) };
    const target = SCHEMAS[name];
    if (!target || ANY.has(name) || target["x-kubernetes-preserve-unknown-fields"]) return { kind: "any", name: "interface {}" };
    return { kind: "struct", name: goName(name), schema: target };
  }
  if (s["x-kubernetes-preserve-unknown-fields"]) return { kind: "any", name: "interface {}" };
  switch (s.type) {
    case "string":
      return s.format === "byte" ? { kind: "bytes", name: "[]uint8" } : { kind: "string", name: "string" };
    case "boolean":
      return { kind: "bool", name: "bool" };
    case "integer":
      return s.format === "int32" ? { kind: "int32", name: "int32" } : { kind: "int64", name: "int64" };
    case "number":
      return { kind: "float64", name: "float64" };
    case "array": {
      const elem = s.items ? goTypeOf(s.items) : ({ kind: "any", name: "interface {}" } as GoType);
      return { kind: "slice", name: `[]${elem.name}`, elem };
    }
    case "object": {
      if (s.properties) return { kind: "struct", name: "struct", schema: s };
      if (s.additionalProperties && typeof s.additionalProperties === "object") {
        const elem = goTypeOf(s.additionalProperties);
        return { kind: "map", name: `map[string]${elem.name}`, elem };
      }
      return { kind: "any", name: "interface {}" };
    }
    default:
      return { kind: "any", name: "interface {}" };
  }
}

/** The JSON value's kind as encoding/json names it in UnmarshalTypeError.Value. */
/** Where the decoder is: the innermost struct and the JSON field names from the root (no indices, no map keys). */
interface Context {
  struct: string;
  fields: string[];
}

function typeError(value: string, t: GoType, ctx: Context): string {
  if (ctx.struct || ctx.fields.length > 0) {
    return `json: cannot unmarshal ${value} into Go struct field ${ctx.struct}.${ctx.fields.join(".")} of type ${t.name}`;
  }
  return `json: cannot unmarshal ${value} into Go value of type ${t.name}`;
}

/** The first error decoding `v` into `t` would save, or undefined. */
function decodeError(v: unknown, t: GoType, ctx: Context): string | undefined {
  if (v === null || v === undefined || t.kind === "any") return undefined;
  switch (t.kind) {
    case "struct": {
      if (typeof v !== "object" || Array.isArray(v)) return typeError(jsonValueWord(v), t, ctx);
      const s = t.schema;
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        const p = s.properties?.[k];
        // Unknown fields are fieldvalidation.ts's business.
        if (!p) continue;
        const err = decodeError(x, goTypeOf(p), { struct: t.name.slice(t.name.indexOf(".") + 1), fields: [...ctx.fields, k] });
        if (err) return err;
      }
      return undefined;
    }
    case "map": {
      if (typeof v !== "object" || Array.isArray(v)) return typeError(jsonValueWord(v), t, ctx);
      for (const x of Object.values(v as Record<string, unknown>)) {
        const err = decodeError(x, t.elem, ctx);
        if (err) return err;
      }
      return undefined;
    }
    case "slice": {
      if (!Array.isArray(v)) return typeError(jsonValueWord(v), t, ctx);
      for (const x of v) {
        const err = decodeError(x, t.elem, ctx);
        if (err) return err;
      }
      return undefined;
    }
    case "string":
    case "bytes":
      return typeof v === "string" ? undefined : typeError(jsonValueWord(v), t, ctx);
    case "bool":
      return typeof v === "boolean" ? undefined : typeError(jsonValueWord(v), t, ctx);
    case "int32":
    case "int64":
    case "float64": {
      if (typeof v !== "number") return typeError(jsonValueWord(v), t, ctx);
      if (t.kind === "float64") return undefined;
      const limit = t.kind === "int32" ? 2 ** 31 : 2 ** 63;
      return Number.isInteger(v) && v >= -limit && v < limit ? undefined : typeError(`number ${v}`, t, ctx);
    }
    case "intorstring":
      // IntOrString.UnmarshalJSON hands a non-string to the standard decoder, whose error has no context.
      if (typeof v === "string") return undefined;
      if (typeof v === "number" && Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31) return undefined;
      return typeError(typeof v === "number" ? `number ${v}` : jsonValueWord(v), { kind: "int32", name: "int32" }, { struct: "", fields: [] });
    case "quantity":
      return quantityError(v);
    case "time":
      return typeof v === "string" ? undefined : typeError(jsonValueWord(v), { kind: "string", name: "string" }, { struct: "", fields: [] });
  }
}

/** Quantity.UnmarshalJSON: the JSON text, unquoted, through ParseQuantity. */
function quantityError(v: unknown): string | undefined {
  const text = typeof v === "string" ? v.trim() : typeof v === "number" ? String(v) : JSON.stringify(v);
  if (!QUANTITY_RE.test(text)) return QUANTITY_FORMAT;
  return parseQuantity(text) ? undefined : "unable to parse quantity's suffix";
}

function kindType(target: CheckTarget): GoType | undefined {
  const name = schemaNameForKind(target.group, target.version, target.kind);
  const schema = name ? SCHEMAS[name] : undefined;
  return name && schema ? { kind: "struct", name: goName(name), schema } : undefined;
}

/**
 * A POST or PUT body: throws the 400 transformDecodeError builds (kind and
 * version as the body names them) when a value has the wrong JSON type.
 */
export function checkBodyTypes(obj: Record<string, unknown>, target: CheckTarget): void {
  const t = kindType(target);
  if (!t) return;
  const err = decodeError(obj, t, { struct: "", fields: [] });
  if (!err) return;
  const kind = typeof obj.kind === "string" && obj.kind ? obj.kind : target.kind;
  const apiVersion = typeof obj.apiVersion === "string" && obj.apiVersion ? obj.apiVersion : target.version;
  const version = apiVersion.includes("/") ? apiVersion.slice(apiVersion.indexOf("/") + 1) : apiVersion;
  throw new StatusError(400, "BadRequest", `${kind} in version "${version}" cannot be handled as a ${target.kind}: ${err}`);
}

/** What the unstructured converter says for a value of the wrong kind (a strategic merge patch's result). */
function convertError(v: unknown, t: GoType): string | undefined {
  if (v === null || v === undefined || t.kind === "any") return undefined;
  const word = typeof v === "string" ? "string" : typeof v === "boolean" ? "bool" : typeof v === "number" ? (Number.isInteger(v) ? "int64" : "float64") : Array.isArray(v) ? "slice" : "map";
  switch (t.kind) {
    case "struct": {
      if (word !== "map") return `cannot restore struct from: ${word}`;
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        const p = t.schema.properties?.[k];
        const err = p ? convertError(x, goTypeOf(p)) : undefined;
        if (err) return err;
      }
      return undefined;
    }
    case "map":
      if (word !== "map") return `cannot restore map from ${word}`;
      return Object.values(v as Record<string, unknown>).map((x) => convertError(x, t.elem)).find((e) => e !== undefined);
    case "slice":
      if (word !== "slice") return `cannot restore slice from ${word}`;
      return (v as unknown[]).map((x) => convertError(x, t.elem)).find((e) => e !== undefined);
    case "bytes":
      return word === "string" ? undefined : `cannot restore slice from ${word}`;
    case "string":
    case "bool":
      return word === t.kind ? undefined : `unrecognized type: ${t.kind}`;
    case "int32":
    case "int64":
      return word === "int64" ? undefined : `unrecognized type: ${t.kind}`;
    case "float64":
      return word === "int64" || word === "float64" ? undefined : `unrecognized type: ${t.kind}`;
    // The custom types go through their UnmarshalJSON, as a body does.
    case "intorstring":
    case "quantity":
    case "time":
      return decodeError(v, t, { struct: "", fields: [] });
  }
}

/**
 * A PATCH's result, as patch.go decodes it: a JSON or merge patch's JSON goes
 * through the serializer, a strategic merge patch's map through the
 * unstructured converter. Throws 422 on field "patch" (the patched JSON, or
 * the patch map as Go's %+v prints it); type errors come before unknown fields.
 */
export function checkPatchedTypes(patched: unknown, patch: unknown, type: "json" | "merge" | "strategic", target: CheckTarget): void {
  const t = kindType(target);
  if (!t) return;
  const err = type === "strategic" ? convertError(patched, t) : decodeError(patched, t, { struct: "", fields: [] });
  if (!err) return;
  const value = type === "strategic" ? goValue(patch) : JSON.stringify(patched);
  const message = `Invalid value: ${JSON.stringify(value)}: ${err}`;
  throw new StatusError(422, "Invalid", ` "" is invalid: patch: ${message}`, { causes: [{ reason: "FieldValueInvalid", message, field: "patch" }] });
}
