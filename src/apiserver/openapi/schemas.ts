// The component schemas of the served kinds, as kube-apiserver publishes them
// in OpenAPI v3 (components.schemas, named io.k8s.api.<group>.<version>.<Kind>).
// Generated into schemas.json by generate.ts; read once per process, never
// changed afterwards. Leaves out: enums, defaults and value validations.

import { readFileSync } from "node:fs";

/** An OpenAPI v3 schema object (the subset the Kubernetes schemas use). */
export interface Schema {
  description?: string;
  type?: string;
  format?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  $ref?: string;
  "x-kubernetes-group-version-kind"?: { group: string; kind: string; version: string }[];
  "x-kubernetes-list-map-keys"?: string[];
  "x-kubernetes-list-type"?: string;
  "x-kubernetes-patch-merge-key"?: string;
  "x-kubernetes-patch-strategy"?: string;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
}

export const SCHEMA_REF_PREFIX = "#/components/schemas/";

/** Every schema by its upstream name. */
export const SCHEMAS: Readonly<Record<string, Schema>> = JSON.parse(
  readFileSync(new URL("./schemas.json", import.meta.url), "utf8"),
) as Record<string, Schema>;

/** The name of the schema a group/version/kind is served as. */
export function schemaNameForKind(group: string, version: string, kind: string): string | undefined {
  return KIND_INDEX.get(`${group}/${version}/${kind}`);
}

const KIND_INDEX: ReadonlyMap<string, string> = new Map(
  Object.entries(SCHEMAS).flatMap(([name, s]) => (s["x-kubernetes-group-version-kind"] ?? []).map((g) => [`${g.group}/${g.version}/${g.kind}`, name] as const)),
);

/** The schema a property points at: its $ref (direct or through allOf), resolved. */
export function resolveRef(s: Schema): Schema {
  const ref = s.$ref ?? s.allOf?.[0]?.$ref;
  if (!ref) return s;
  return SCHEMAS[ref.slice(SCHEMA_REF_PREFIX.length)] ?? {};
}

/** The names of the schemas s refers to, directly. */
export function refsOf(s: Schema, out: string[] = []): string[] {
  const ref = s.$ref;
  if (ref) out.push(ref.slice(SCHEMA_REF_PREFIX.length));
  for (const sub of s.allOf ?? []) refsOf(sub, out);
  if (s.items) refsOf(s.items, out);
  if (s.additionalProperties && typeof s.additionalProperties === "object") refsOf(s.additionalProperties, out);
  for (const p of Object.values(s.properties ?? {})) refsOf(p, out);
  return out;
}
