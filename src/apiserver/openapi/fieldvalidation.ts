// Server-side field validation (the fieldValidation query parameter), after
// k8s.io/apiserver's create/update/patch handlers and sigs.k8s.io/json's
// strict decoding: unknown fields are found by walking the body against the
// kind's schema. Strict rejects (400 for bodies, 422 for patches, with the
// upstream messages); Warn (the default) and Ignore drop the unknown fields, as
// decoding into a Go struct does, and Warn also returns them for Warning headers.
// Leaves out: duplicate fields (JSON.parse keeps the last one silently) and
// type mismatches (a real decoder fails on those whatever the directive).

import { StatusError } from "../../apimachinery/errors.ts";
import { resolveRef, type Schema, SCHEMAS, schemaNameForKind } from "./schemas.ts";

export type FieldValidation = "Strict" | "Warn" | "Ignore";

/** What the kind's Go struct would not take: `unknown field "spec.x"` errors, in document order. */
export function unknownFieldErrors(obj: unknown, group: string, version: string, kind: string): string[] {
  const schema = kindSchema({ group, version, kind });
  if (!schema) return [];
  const out: string[] = [];
  walk(obj, schema, "", { out, prune: false, patch: false });
  return out;
}

function kindSchema(t: CheckTarget): Schema | undefined {
  const name = schemaNameForKind(t.group, t.version, t.kind);
  return name ? SCHEMAS[name] : undefined;
}

interface Walk {
  out: string[];
  /** Delete unknown fields as they are found. */
  prune: boolean;
  /** A strategic merge or merge patch: $-keys are directives, not fields. */
  patch: boolean;
}

function walk(v: unknown, schema: Schema, path: string, w: Walk): void {
  if (v === null || typeof v !== "object") return;
  const s = resolveRef(schema);
  if (s["x-kubernetes-preserve-unknown-fields"]) return;
  if (Array.isArray(v)) {
    if (s.items) v.forEach((x, i) => walk(x, s.items!, `${path}[${i}]`, w));
    return;
  }
  const o = v as Record<string, unknown>;
  if (s.properties) {
    for (const [k, x] of Object.entries(o)) {
      if (w.patch && k.startsWith("$")) continue;
      const child = path ? `${path}.${k}` : k;
      const p = s.properties[k];
      if (p) {
        walk(x, p, child, w);
        continue;
      }
      w.out.push(`unknown field "${child}"`);
      if (w.prune) delete o[k];
    }
    return;
  }
  if (s.additionalProperties && typeof s.additionalProperties === "object") {
    for (const [k, x] of Object.entries(o)) walk(x, s.additionalProperties, path ? `${path}.${k}` : k, w);
  }
}

/** Whether a JSON pointer (RFC 6901) leads through a field the schema does not have. */
function pointerIsUnknown(schema: Schema, pointer: string): boolean {
  let s: Schema | undefined = schema;
  for (const raw of pointer.split("/").slice(1)) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    s = resolveRef(s);
    if (s["x-kubernetes-preserve-unknown-fields"]) return false;
    if (s.items) s = s.items;
    else if (s.properties) {
      if (!s.properties[seg]) return true;
      s = s.properties[seg];
    } else if (s.additionalProperties && typeof s.additionalProperties === "object") s = s.additionalProperties;
    else return false;
  }
  return false;
}

/** runtime.strictDecodingError's text. */
function strictDecodingError(errs: string[]): string {
  return `strict decoding error: ${errs.join(", ")}`;
}

/** A Warning header value per error, as the apiserver's warning recorder writes them (code 299, agent "-"). */
export function warningHeader(errs: string[]): string {
  return errs.map((e) => `299 - ${JSON.stringify(e)}`).join(", ");
}

export interface CheckTarget {
  group: string;
  version: string;
  kind: string;
}

/**
 * A POST or PUT body: Strict throws 400 `<Kind> in version "<v>" cannot be
 * handled as a <Kind>: strict decoding error: …` (kind and version as the body
 * names them); Warn returns the errors for Warning headers.
 */
export function checkBodyFields(directive: FieldValidation, obj: Record<string, unknown>, target: CheckTarget): string[] {
  const schema = kindSchema(target);
  if (!schema) return [];
  const errs: string[] = [];
  walk(obj, schema, "", { out: errs, prune: directive !== "Strict", patch: false });
  if (errs.length === 0 || directive === "Ignore") return [];
  if (directive === "Warn") return errs;
  const kind = typeof obj.kind === "string" && obj.kind ? obj.kind : target.kind;
  const apiVersion = typeof obj.apiVersion === "string" && obj.apiVersion ? obj.apiVersion : target.version;
  const version = apiVersion.includes("/") ? apiVersion.slice(apiVersion.indexOf("/") + 1) : apiVersion;
  throw new StatusError(400, "BadRequest", `${kind} in version "${version}" cannot be handled as a ${kind}: ${strictDecodingError(errs)}`);
}

/**
 * A PATCH: the patched object is checked. Strict throws what patch.go builds,
 * 422 with field "patch": for strategic merge patches the invalid value is the
 * patch map as Go prints it, for JSON and merge patches the patched object's JSON.
 * Otherwise the answer is the patch without what the decoder would drop (the
 * stored object has no unknown fields, so they can only come from the patch),
 * and the errors for Warning headers.
 */
export function checkPatchedFields(
  directive: FieldValidation,
  patched: unknown,
  patch: unknown,
  type: "json" | "merge" | "strategic",
  target: CheckTarget,
): { patch: unknown; warnings: string[] } {
  const schema = kindSchema(target);
  if (!schema) return { patch, warnings: [] };
  const errs = unknownFieldErrors(patched, target.group, target.version, target.kind);
  if (errs.length === 0) return { patch, warnings: [] };
  if (directive !== "Strict") return { patch: prunePatch(schema, patch, type), warnings: directive === "Warn" ? errs : [] };
  const value = type === "strategic" ? goValue(patch) : JSON.stringify(patched);
  const message = `Invalid value: ${JSON.stringify(value)}: ${strictDecodingError(errs)}`;
  throw new StatusError(422, "Invalid", ` "" is invalid: patch: ${message}`, {
    causes: [{ reason: "FieldValueInvalid", message, field: "patch" }],
  });
}

function prunePatch(schema: Schema, patch: unknown, type: "json" | "merge" | "strategic"): unknown {
  const copy = structuredClone(patch);
  if (type !== "json") {
    walk(copy, schema, "", { out: [], prune: true, patch: true });
    return copy;
  }
  // A JSON patch: drop the operations that write into a field the decoder would drop.
  if (!Array.isArray(copy)) return copy;
  return copy.filter((op) => {
    const o = op as { op?: string; path?: unknown };
    const writes = o.op === "add" || o.op === "replace" || o.op === "copy" || o.op === "move";
    return !(writes && typeof o.path === "string" && pointerIsUnknown(schema, o.path));
  });
}

/** A decoded JSON value as Go's fmt prints it with %v: map[k:v …] with sorted keys, [a b], <nil>. */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (Array.isArray(v)) return `[${v.map(goValue).join(" ")}]`;
  if (typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[${entries.map(([k, x]) => `${k}:${goValue(x)}`).join(" ")}]`;
  }
  if (typeof v === "number" && !Number.isInteger(v)) return goFloat(v);
  return String(v);
}

/** strconv.FormatFloat(f, 'g', -1, 64): shortest digits, exponent form when the exponent is < -4 or >= 6. */
function goFloat(f: number): string {
  const exp = Math.floor(Math.log10(Math.abs(f)));
  if (exp < -4 || exp >= 6) {
    const [m, e] = f.toExponential().split("e") as [string, string];
    const sign = e.startsWith("-") ? "-" : "+";
    const digits = e.replace(/^[+-]/, "").padStart(2, "0");
    return `${m}e${sign}${digits}`;
  }
  return String(f);
}
