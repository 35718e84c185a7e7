// kubectl explain's OpenAPI v3 renderer, after
// k8s.io/kubectl/pkg/explain/v2/templates/plaintext.tmpl and funcs.go
// (kubectl 1.32): the template's walk written out as functions, keeping its
// quirks (Go map order = sorted keys, empty maps are false, cycles stop).
// Leaves out the plaintext-openapiv2 output and custom templates.

import type { ClientBehaviour } from "../clientversion.ts";
import { wrapString } from "./wordwrap.ts";

export interface GVK {
  group?: string;
  version?: string;
  kind?: string;
}

export interface Schema {
  $ref?: string;
  type?: string;
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  allOf?: Schema[];
  enum?: unknown[];
  externalDocs?: { description?: string; url?: string };
  "x-kubernetes-group-version-kind"?: GVK[];
}

export interface OpenAPIDocument {
  paths?: Record<string, Record<string, { "x-kubernetes-group-version-kind"?: GVK }>>;
  components?: { schemas?: Record<string, Schema> };
}

/** The template's `throw`: kubectl prints the message as the error. */
export class ExplainError extends Error {}

/** Go templates treat nil, empty maps, slices and strings as false. */
function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === "" || v === 0) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v).length > 0;
  return true;
}

/** sort.Strings order, which ranging over a Go map gives. */
function sortedKeys(o: Record<string, unknown>): string[] {
  return Object.keys(o).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function indent(amount: number, s: string): string {
  const pad = " ".repeat(amount);
  return pad + s.split("\n").join(`\n${pad}`);
}

function mapAdditional(s: Schema): Schema | undefined {
  const ap = s.additionalProperties;
  return typeof ap === "object" && truthy(ap) ? ap : undefined;
}

type History = Record<string, number>;

class Renderer {
  constructor(
    private readonly doc: OpenAPIDocument,
    private readonly recursive: boolean,
    /** The template has the enum sections (kubectl ≥1.30). */
    private readonly enums: boolean,
  ) {}

  /** funcs.go resolveRef: only `#/...` fragments inside the document. */
  resolveRef(ref: string | undefined): Schema | undefined {
    if (!ref || !ref.startsWith("#")) return undefined;
    let cur: unknown = this.doc;
    for (const k of ref.slice(1).split("/")) {
      if (k === "") continue;
      const next = cur && typeof cur === "object" && !Array.isArray(cur) ? (cur as Record<string, unknown>)[decodeURIComponent(k)] : undefined;
      if (!next || typeof next !== "object" || Array.isArray(next)) return undefined;
      cur = next;
    }
    return cur as Schema;
  }

  private resolved(s: Schema): Schema {
    const r = this.resolveRef(s.$ref);
    return truthy(r) ? r! : s;
  }

  /** The "schema" template: the component whose GVK list holds gvk, walked along the field path. */
  schema(gvk: GVK, fieldPath: string[]): string {
    const schemas = this.doc.components?.schemas ?? {};
    for (const name of sortedKeys(schemas)) {
      const s = schemas[name]!;
      const gvks = s["x-kubernetes-group-version-kind"] ?? [];
      if (!gvks.some((g) => sameGVK(g, gvk))) continue;
      const out = this.output(s, {}, fieldPath);
      if (!out) throw new ExplainError(`error: field "${fieldPath[fieldPath.length - 1]}" does not exist`);
      return out;
    }
    return "";
  }

  private output(schema: Schema, history: History, fieldPath: string[]): string {
    const ref = schema.$ref ?? "";
    const next: History = { ...history, [ref]: 1 };
    const resolved = this.resolved(schema);
    if (fieldPath.length === 0) {
      let out = "DESCRIPTION:\n";
      out += `${indent(4, wrapString(this.description(resolved) || "<empty>", 76))}\n`;
      const docs = externalDocs(resolved);
      if (docs) out += `\n${docs}`;
      const fields = this.fieldList(resolved, 1, undefined);
      if (fields) out += `FIELDS:\n${fields}`;
      return out;
    }
    if (ref && history[ref]) return "";
    const first = fieldPath[0]!;
    const sub = resolved.properties?.[first];
    if (truthy(resolved.properties) && truthy(sub)) {
      let out = "";
      if (fieldPath.length === 1) out += `FIELD: ${first} <${this.typeGuess(sub!)}>\n${this.enums ? `${extractEnum(sub!, true, -1, 0)}\n` : ""}\n`;
      return out + this.output(sub!, {}, fieldPath.slice(1));
    }
    if (truthy(resolved.items)) return this.output(resolved.items!, next, fieldPath);
    const ap = mapAdditional(resolved);
    if (ap) return this.output(ap, next, fieldPath);
    for (const alt of resolved.allOf ?? []) {
      const out = this.output(alt, next, fieldPath);
      if (out) return out;
    }
    return "";
  }

  private fieldList(schema: Schema, level: number, history: History | undefined): string {
    const ref = schema.$ref ?? "";
    if (ref && history?.[ref]) return "";
    const next: History = { ...history, [ref]: 1 };
    const resolved = this.resolved(schema);
    let out = "";
    const props = resolved.properties ?? {};
    for (const k of sortedKeys(props)) {
      out += this.fieldDetail(k, resolved, level);
      if (this.recursive) out += this.fieldList(props[k]!, level + 1, next);
    }
    for (const alt of resolved.allOf ?? []) out += this.fieldList(alt, level, next);
    if (truthy(resolved.items)) out += this.fieldList(resolved.items!, level, next);
    const ap = mapAdditional(resolved);
    if (ap) out += this.fieldList(ap, level, next);
    return out;
  }

  private fieldDetail(name: string, parent: Schema, level: number): string {
    const amount = level * 2;
    const field = parent.properties?.[name] ?? {};
    let out = `${indent(amount, name)}\t<${this.typeGuess(field)}>`;
    if ((parent.required ?? []).includes(name)) out += " -required-";
    if (this.enums) out += extractEnum(field, false, 4, amount);
    out += "\n";
    if (!this.recursive) {
      out += `${indent(amount + 2, wrapString(field.description || "<no description>", 78 - amount))}\n`;
      const docs = field.externalDocs;
      if (truthy(docs)) {
        out += `\n${indent(amount + 2, "EXTERNAL DOCS:")}\n`;
        if (docs!.description) out += `${indent(amount + 4, wrapString(docs!.description, 76 - amount))}\n`;
        if (docs!.url) out += `${indent(amount + 4, `URL: ${docs!.url}`)}\n`;
      }
      out += "\n";
    }
    return out;
  }

  /** The "description" template: the schema's own text, then its allOf, items and map values'. */
  private description(schema: Schema): string {
    const s = this.resolved(schema);
    if (!truthy(s)) return "";
    let out = s.description ? `${s.description}\n` : "";
    for (const alt of s.allOf ?? []) out += this.description(alt);
    if (truthy(s.items)) out += this.description(s.items!);
    const ap = mapAdditional(s);
    if (ap) out += this.description(ap);
    return out;
  }

  /** The "typeGuess" template: `string`, `[]Container`, `map[string]string`, `Object`. */
  typeGuess(s: Schema): string {
    if (truthy(s.items)) return `[]${this.typeGuess(s.items!)}`;
    const ap = mapAdditional(s);
    if (ap) return `map[string]${this.typeGuess(ap)}`;
    if (truthy(s.allOf) && !truthy(s.properties) && s.allOf!.length === 1) return this.typeGuess(s.allOf![0]!);
    if (s.$ref) {
      const target = this.resolveRef(s.$ref);
      if (!truthy(target) || !target!.type || target!.type === "object") {
        const name = s.$ref.split("/").pop() ?? "";
        return name.split(".").pop() || "Object";
      }
      return target!.type;
    }
    return s.type === "object" ? "Object" : s.type || "Object";
  }
}

function sameGVK(a: GVK, b: GVK): boolean {
  const ka = sortedKeys(a as Record<string, unknown>);
  const kb = sortedKeys(b as Record<string, unknown>);
  return ka.join() === kb.join() && ka.every((k) => (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
}

function externalDocs(s: Schema): string {
  const docs = s.externalDocs;
  if (!truthy(docs)) return "";
  let out = "EXTERNAL DOCS:\n";
  if (docs!.description) out += `${indent(4, wrapString(docs!.description, 76))}\n`;
  if (docs!.url) out += `${indent(4, `URL: ${docs!.url}`)}\n`;
  return out;
}

/** The "extractEnum" template: `ENUM:` one per line in the long view, `enum: a, b, ....` in field lists. */
function extractEnum(s: Schema, longView: boolean, limit: number, indentAmount: number): string {
  const values = s.enum ?? [];
  if (values.length === 0) return "";
  const lim = limit || -1;
  let out = longView ? "ENUM:" : `\n${" ".repeat(indentAmount)}enum: `;
  for (let i = 0; i < values.length; i++) {
    if (lim > -1 && i >= lim) {
      out += ", ....";
      break;
    }
    if (i > 0 && !longView) out += ", ";
    else if (longView) out += "\n    ";
    const v = values[i];
    out += v === "" ? `""` : typeof v === "string" ? v : JSON.stringify(v);
  }
  return out;
}

/** Go's %v of the GVK map, for the not-found error. */
function formatGVK(g: GVK): string {
  const r = g as Record<string, unknown>;
  return `map[${sortedKeys(r).map((k) => `${k}:${String(r[k])}`).join(" ")}]`;
}

export interface GVR {
  group: string;
  version: string;
  resource: string;
}

/**
 * Renders `kubectl explain` for gvr within its group version's OpenAPI v3
 * document. write receives the header before the field walk runs, as the
 * template writes it, so a bad field path leaves KIND/VERSION printed and
 * throws ExplainError.
 */
export function renderPlaintext(doc: OpenAPIDocument, gvr: GVR, fieldPath: string[], recursive: boolean, write: (s: string) => void, client?: ClientBehaviour): void {
  const prefix = gvr.group ? `/apis/${gvr.group}` : "/api";
  const base = `${prefix}/${gvr.version}`;
  const searchPaths = [
    `${base}/${gvr.resource}`,
    `${base}/${gvr.resource}/{name}`,
    `${base}/namespaces/{namespace}/${gvr.resource}`,
    `${base}/namespaces/{namespace}/${gvr.resource}/{name}`,
  ];
  let gvk: GVK | undefined;
  for (const p of searchPaths) {
    const element = doc.paths?.[p];
    if (!truthy(element)) continue;
    for (const method of ["get", "post", "put", "patch", "delete"]) {
      const op = element![method];
      if (!truthy(op)) continue;
      // `with $gvk = ...` assigns before it tests, so a later operation without one clears it.
      gvk = op!["x-kubernetes-group-version-kind"];
      if (truthy(gvk)) break;
    }
  }
  if (!truthy(gvk)) throw new ExplainError(`error: GVR (${gvr.group}/${gvr.version}, Resource=${gvr.resource}) not found in OpenAPI schema`);
  let header = "";
  if (gvk!.group) header += `GROUP:      ${gvk!.group}\n`;
  header += `KIND:       ${gvk!.kind ?? ""}\nVERSION:    ${gvk!.version ?? ""}\n\n`;
  write(header);
  const body = new Renderer(doc, recursive, client?.has("explainEnums") ?? true).schema(gvk!, fieldPath);
  if (!body) throw new ExplainError(`error: GVK ${formatGVK(gvk!)} not found in OpenAPI schema`);
  write(`${body}\n`);
}
