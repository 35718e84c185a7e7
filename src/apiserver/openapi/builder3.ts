// The OpenAPI v3 document of one group-version, after k8s.io/kube-openapi's
// builder3 and the apiserver's endpoint installer: a path per collection and
// item (plus /status and /scale), operations tagged with their action and
// x-kubernetes-group-version-kind, and every schema those kinds reach.
// kubectl reads the PATCH operations' parameters to learn that the server
// takes fieldValidation, and the schemas for explain and apply.
// Leaves out: watch paths, proxy/exec/attach paths, component parameters.

import { RESOURCES, type ResourceInfo } from "../resources.ts";
import { refsOf, SCHEMA_REF_PREFIX, type Schema, SCHEMAS, schemaNameForKind } from "./schemas.ts";

export interface OpenAPIV3Document {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, Schema> };
}

interface GVK {
  group: string;
  version: string;
  kind: string;
}

const META = "io.k8s.apimachinery.pkg.apis.meta.v1";

/** "" → "Core", "rbac.authorization.k8s.io" → "RbacAuthorization": operation id and tag pieces. */
function groupWord(group: string): string {
  if (group === "") return "Core";
  return group
    .replace(/\.k8s\.io$/, "")
    .split(".")
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("");
}

function tagOf(group: string, version: string): string {
  const w = groupWord(group);
  return `${w.charAt(0).toLowerCase()}${w.slice(1)}_${version}`;
}

const ref = (name: string) => ({ $ref: `${SCHEMA_REF_PREFIX}${name}` });

function query(name: string, description: string, type = "string"): Record<string, unknown> {
  return { description, in: "query", name, schema: { type, uniqueItems: true } };
}

const DRY_RUN = query(
  "dryRun",
  "When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed",
);
const FIELD_MANAGER = query(
  "fieldManager",
  "fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.",
);
const FIELD_VALIDATION = query(
  "fieldValidation",
  "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. This is the default behavior prior to v1.23. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.",
);
const FORCE = query("force", "Force is going to \"force\" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.", "boolean");
const PRETTY = query("pretty", "If 'true', then the output is pretty printed. Defaults to 'false' unless the user agent indicates a browser or command-line HTTP tool (curl and wget).");
const LIST_PARAMS = [
  query("labelSelector", "A selector to restrict the list of returned objects by their labels. Defaults to everything."),
  query("fieldSelector", "A selector to restrict the list of returned objects by their fields. Defaults to everything."),
  query("limit", "limit is a maximum number of responses to return for a list call.", "integer"),
  query("resourceVersion", "resourceVersion sets a constraint on what resource versions a request may be served from."),
  query("timeoutSeconds", "Timeout for the list/watch call.", "integer"),
  query("watch", "Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.", "boolean"),
];

function pathParam(name: string, description: string): Record<string, unknown> {
  return { description, in: "path", name, required: true, schema: { type: "string", uniqueItems: true } };
}

function content(schemaName: string, types = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"]): Record<string, unknown> {
  return Object.fromEntries(types.map((t) => [t, { schema: ref(schemaName) }]));
}

function responses(schemaName: string, codes: string[]): Record<string, unknown> {
  const text: Record<string, string> = { "200": "OK", "201": "Created", "202": "Accepted" };
  return {
    ...Object.fromEntries(codes.map((c) => [c, { content: content(schemaName), description: text[c] }])),
    "401": { description: "Unauthorized" },
  };
}

interface OpSpec {
  action: string;
  idVerb: string;
  description: string;
  gvk: GVK;
  schema: string;
  namespaced: boolean;
  suffix?: string;
  params?: Record<string, unknown>[];
  body?: Record<string, unknown>;
  codes: string[];
  forAll?: boolean;
  group: string;
  version: string;
}

function operation(o: OpSpec): Record<string, unknown> {
  const id = `${o.idVerb}${groupWord(o.group)}${o.version.charAt(0).toUpperCase()}${o.version.slice(1)}${o.namespaced && !o.forAll ? "Namespaced" : ""}${o.suffix ?? ""}`;
  return {
    description: o.description,
    operationId: id,
    ...(o.params ? { parameters: o.params } : {}),
    ...(o.body ? { requestBody: o.body } : {}),
    responses: responses(o.schema, o.codes),
    tags: [tagOf(o.group, o.version)],
    "x-kubernetes-action": o.action,
    "x-kubernetes-group-version-kind": o.gvk,
  };
}

function patchBody(): Record<string, unknown> {
  return {
    content: content(`${META}.Patch`, [
      "application/apply-patch+yaml",
      "application/json-patch+json",
      "application/merge-patch+json",
      "application/strategic-merge-patch+json",
    ]),
    required: true,
  };
}

/** The paths one resource contributes. */
function resourcePaths(info: ResourceInfo, out: Record<string, Record<string, unknown>>): void {
  const { group, version, kind } = info;
  const schema = schemaNameForKind(group, version, kind);
  if (!schema) return;
  const listSchema = schemaNameForKind(group, version, `${kind}List`);
  const gvk = { group, kind, version };
  const base = group === "" ? `/api/${version}` : `/apis/${group}/${version}`;
  const coll = info.namespaced ? `${base}/namespaces/{namespace}/${info.resource}` : `${base}/${info.resource}`;
  const item = `${coll}/{name}`;
  const common = { group, version, gvk, namespaced: info.namespaced };
  const can = (v: string) => info.verbs.includes(v);
  const nsParams = info.namespaced ? [pathParam("namespace", "object name and auth scope, such as for teams and projects")] : [];
  const itemParams = [pathParam("name", `name of the ${kind}`), ...nsParams, PRETTY];
  const bodyOf = (s: string) => ({ content: content(s, ["*/*"]), required: true });

  const collOps: Record<string, unknown> = {};
  if (can("list") && listSchema) collOps.get = operation({ ...common, action: "list", idVerb: "list", suffix: kind, description: `list or watch objects of kind ${kind}`, schema: listSchema, params: LIST_PARAMS, codes: ["200"] });
  if (can("create")) collOps.post = operation({ ...common, action: "post", idVerb: "create", suffix: kind, description: `create ${article(kind)} ${kind}`, schema, params: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION], body: bodyOf(schema), codes: ["200", "201", "202"] });
  if (can("deletecollection")) collOps.delete = operation({ ...common, action: "deletecollection", idVerb: "delete", suffix: `Collection${info.namespaced ? "Namespaced" : ""}${kind}`, namespaced: false, description: `delete collection of ${kind}`, schema: `${META}.Status`, params: LIST_PARAMS, codes: ["200"] });
  if (Object.keys(collOps).length > 0) out[coll] = { ...collOps, parameters: [...nsParams, PRETTY] };

  const itemOps: Record<string, unknown> = {};
  if (can("get")) itemOps.get = operation({ ...common, action: "get", idVerb: "read", suffix: kind, description: `read the specified ${kind}`, schema, codes: ["200"] });
  if (can("update")) itemOps.put = operation({ ...common, action: "put", idVerb: "replace", suffix: kind, description: `replace the specified ${kind}`, schema, params: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION], body: bodyOf(schema), codes: ["200", "201"] });
  if (can("patch")) itemOps.patch = operation({ ...common, action: "patch", idVerb: "patch", suffix: kind, description: `partially update the specified ${kind}`, schema, params: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE], body: patchBody(), codes: ["200", "201"] });
  if (can("delete")) itemOps.delete = operation({ ...common, action: "delete", idVerb: "delete", suffix: kind, description: `delete ${article(kind)} ${kind}`, schema, params: [DRY_RUN], codes: ["200", "202"] });
  if (Object.keys(itemOps).length > 0) out[item] = { ...itemOps, parameters: itemParams };

  if (info.namespaced && can("list") && listSchema) {
    out[`${base}/${info.resource}`] = {
      get: operation({ ...common, action: "list", idVerb: "list", suffix: `${kind}ForAllNamespaces`, forAll: true, description: `list or watch objects of kind ${kind}`, schema: listSchema, params: LIST_PARAMS, codes: ["200"] }),
    };
  }

  for (const sub of info.subresources ?? []) {
    if (sub.name !== "status" && sub.name !== "scale") continue;
    const subSchema = sub.name === "scale" ? schemaNameForKind("autoscaling", "v1", "Scale") : schema;
    if (!subSchema) continue;
    const subGvk = sub.name === "scale" ? { group: "autoscaling", kind: "Scale", version: "v1" } : gvk;
    const word = sub.name === "scale" ? "Scale" : "Status";
    const subCommon = { ...common, gvk: subGvk };
    out[`${item}/${sub.name}`] = {
      get: operation({ ...subCommon, action: "get", idVerb: "read", suffix: `${kind}${word}`, description: `read ${sub.name} of the specified ${kind}`, schema: subSchema, codes: ["200"] }),
      patch: operation({ ...subCommon, action: "patch", idVerb: "patch", suffix: `${kind}${word}`, description: `partially update ${sub.name} of the specified ${kind}`, schema: subSchema, params: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION, FORCE], body: patchBody(), codes: ["200", "201"] }),
      put: operation({ ...subCommon, action: "put", idVerb: "replace", suffix: `${kind}${word}`, description: `replace ${sub.name} of the specified ${kind}`, schema: subSchema, params: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION], body: bodyOf(subSchema), codes: ["200", "201"] }),
      parameters: itemParams,
    };
  }
}

function article(kind: string): string {
  return /^[AEIOU]/.test(kind) ? "an" : "a";
}

/** Every schema reachable from the given names, in sorted order (as upstream writes them). */
function closure(roots: string[]): Record<string, Schema> {
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (seen.has(name) || !SCHEMAS[name]) continue;
    seen.add(name);
    queue.push(...refsOf(SCHEMAS[name]!));
  }
  return Object.fromEntries([...seen].sort().map((n) => [n, SCHEMAS[n]!]));
}

/** The group-versions that have an OpenAPI v3 document, as index keys ("api/v1", "apis/apps/v1"). */
export function servedGroupVersions(): { group: string; version: string; key: string }[] {
  const seen = new Map<string, { group: string; version: string; key: string }>();
  for (const r of RESOURCES) {
    const key = r.group === "" ? `api/${r.version}` : `apis/${r.group}/${r.version}`;
    if (!seen.has(key)) seen.set(key, { group: r.group, version: r.version, key });
  }
  return [...seen.values()];
}

/** The OpenAPI v3 document of a group-version, or undefined if it is not served. */
export function buildGroupVersionDocument(group: string, version: string): OpenAPIV3Document | undefined {
  const infos = RESOURCES.filter((r) => r.group === group && r.version === version);
  if (infos.length === 0) return undefined;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const info of infos) resourcePaths(info, paths);
  const roots = new Set<string>();
  for (const p of Object.values(paths)) for (const op of Object.values(p)) collectRefs(op, roots);
  const sortedPaths = Object.fromEntries(Object.keys(paths).sort().map((k) => [k, paths[k]!]));
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: "unversioned" },
    paths: sortedPaths,
    components: { schemas: closure([...roots]) },
  };
}

function collectRefs(v: unknown, out: Set<string>): void {
  if (Array.isArray(v)) for (const x of v) collectRefs(x, out);
  else if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) {
      if (k === "$ref" && typeof x === "string") out.add(x.slice(SCHEMA_REF_PREFIX.length));
      else collectRefs(x, out);
    }
  }
}
