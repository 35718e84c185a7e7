// Generates schemas.json: the component schemas of the served kinds, named and
// shaped as kube-apiserver's OpenAPI v3 names them (io.k8s.api.apps.v1.Deployment…),
// from the models of the official JavaScript client (@kubernetes/client-node, a
// devDependency): their attributeTypeMap gives names and types, their .d.ts the
// descriptions and required fields. Run by hand when the served kinds change:
//   npx tsx src/apiserver/openapi/generate.ts [--descriptions <dir>]
// The client's .d.ts omit the descriptions of fields typed by another model
// (metadata, spec, template…); --descriptions fills them from an unpacked
// kubernetes-models package (`npm pack kubernetes-models@5.1.0`), whose
// declarations carry every field's upstream description.
// Leaves out: enums, defaults and validation keywords (the client models lose them);
// the client's models are for a newer minor than the server, so a few newer fields appear.

import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { GROUP_ORDER, RESOURCES } from "../resources.ts";
import type { Schema } from "./schemas.ts";

interface Attribute {
  name: string;
  baseName: string;
  type: string;
  format: string;
}
type Model = { attributeTypeMap?: Attribute[] };

const META = "io.k8s.apimachinery.pkg.apis.meta.v1";
const TIME = `${META}.Time`;
const MICRO_TIME = `${META}.MicroTime`;
// IntOrString and Quantity have no single type (oneOf), so kubectl explain prints their names.
const INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
const QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
const RAW_EXTENSION = "io.k8s.apimachinery.pkg.runtime.RawExtension";
const FIELDS_V1 = `${META}.FieldsV1`;

/** Client models that live in apimachinery's meta/v1, not in a k8s.io/api group. */
const META_MODELS = [
  "ObjectMeta", "ListMeta", "OwnerReference", "ManagedFieldsEntry", "LabelSelector", "LabelSelectorRequirement",
  "Condition", "Status", "StatusDetails", "StatusCause", "DeleteOptions", "Preconditions", "WatchEvent",
];

/**
 * Models whose package the reachability rule below would get wrong: the first
 * served kind to reach them is in another group than the one defining them.
 */
const PACKAGE_OVERRIDES: Record<string, string> = {
  V1TopologySelectorTerm: "io.k8s.api.core.v1",
  V1TopologySelectorLabelRequirement: "io.k8s.api.core.v1",
};

/** Fields the client types as string (or map of string) that are Quantities upstream. */
const QUANTITY_FIELDS = new Set([
  "V1ResourceRequirements.limits", "V1ResourceRequirements.requests", "V1VolumeResourceRequirements.limits",
  "V1VolumeResourceRequirements.requests", "V1EmptyDirVolumeSource.sizeLimit", "V1NodeStatus.capacity",
  "V1NodeStatus.allocatable", "V1ResourceQuotaSpec.hard", "V1ResourceQuotaStatus.hard", "V1ResourceQuotaStatus.used",
  "V1PodSpec.overhead", "V1LimitRangeItem.max", "V1LimitRangeItem.min", "V1LimitRangeItem._default",
  "V1LimitRangeItem.defaultRequest", "V1LimitRangeItem.maxLimitRequestRatio", "V1PersistentVolumeSpec.capacity",
  "V1PersistentVolumeClaimStatus.capacity", "V1PersistentVolumeClaimStatus.allocatedResources",
  "V1ContainerStatus.allocatedResources", "V1ResourceFieldSelector.divisor", "V1PodStatus.allocatedResources",
]);

/** Fields that are MicroTime (RFC 3339 with microseconds) rather than Time. */
const MICRO_TIME_FIELDS = new Set([
  "CoreV1Event.eventTime", "EventsV1Event.eventTime", "CoreV1EventSeries.lastObservedTime",
  "EventsV1EventSeries.lastObservedTime", "V1LeaseSpec.acquireTime", "V1LeaseSpec.renewTime",
]);

/** Free-form fields: kept as upstream's opaque types. */
const ANY_FIELDS: Record<string, string> = {
  "V1ManagedFieldsEntry.fieldsV1": FIELDS_V1,
  "V1ControllerRevision.data": RAW_EXTENSION,
};

/**
 * The patch merge keys and strategies of k8s.io/api's struct tags
 * (patchStrategy/patchMergeKey, listType/listMapKey), which the client models drop.
 * kubectl's client-side apply reads them to build strategic merge patches.
 */
const LIST_META: Record<string, { key?: string; strategy?: string; type: "map" | "set" | "atomic"; mapKeys?: string[] }> = {
  "V1PodSpec.volumes": { key: "name", strategy: "merge,retainKeys", type: "map", mapKeys: ["name"] },
  "V1PodSpec.initContainers": { key: "name", strategy: "merge", type: "map", mapKeys: ["name"] },
  "V1PodSpec.containers": { key: "name", strategy: "merge", type: "map", mapKeys: ["name"] },
  "V1PodSpec.ephemeralContainers": { key: "name", strategy: "merge", type: "map", mapKeys: ["name"] },
  "V1PodSpec.imagePullSecrets": { key: "name", strategy: "merge", type: "map", mapKeys: ["name"] },
  "V1PodSpec.hostAliases": { key: "ip", strategy: "merge", type: "map", mapKeys: ["ip"] },
  "V1PodSpec.topologySpreadConstraints": { key: "topologyKey", strategy: "merge", type: "map", mapKeys: ["topologyKey", "whenUnsatisfiable"] },
  "V1PodSpec.resourceClaims": { key: "name", strategy: "merge,retainKeys", type: "map", mapKeys: ["name"] },
  "V1PodSpec.schedulingGates": { key: "name", strategy: "merge", type: "map", mapKeys: ["name"] },
  "V1PodSpec.tolerations": { type: "atomic" },
  "V1Container.ports": { key: "containerPort", strategy: "merge", type: "map", mapKeys: ["containerPort", "protocol"] },
  "V1Container.env": { key: "name", strategy: "merge", type: "map", mapKeys: ["name"] },
  "V1Container.volumeMounts": { key: "mountPath", strategy: "merge", type: "map", mapKeys: ["mountPath"] },
  "V1Container.volumeDevices": { key: "devicePath", strategy: "merge", type: "map", mapKeys: ["devicePath"] },
  "V1EphemeralContainer.ports": { key: "containerPort", strategy: "merge", type: "map", mapKeys: ["containerPort", "protocol"] },
  "V1EphemeralContainer.env": { key: "name", strategy: "merge", type: "map", mapKeys: ["name"] },
  "V1EphemeralContainer.volumeMounts": { key: "mountPath", strategy: "merge", type: "map", mapKeys: ["mountPath"] },
  "V1EphemeralContainer.volumeDevices": { key: "devicePath", strategy: "merge", type: "map", mapKeys: ["devicePath"] },
  "V1PodStatus.conditions": { key: "type", strategy: "merge", type: "map", mapKeys: ["type"] },
  "V1PodStatus.podIPs": { key: "ip", strategy: "merge", type: "map", mapKeys: ["ip"] },
  "V1PodStatus.hostIPs": { key: "ip", strategy: "merge", type: "atomic" },
  "V1ObjectMeta.finalizers": { strategy: "merge", type: "set" },
  "V1ObjectMeta.ownerReferences": { key: "uid", strategy: "merge", type: "map", mapKeys: ["uid"] },
  "V1ServiceSpec.ports": { key: "port", strategy: "merge", type: "map", mapKeys: ["port", "protocol"] },
  "V1ServiceStatus.conditions": { key: "type", strategy: "merge", type: "map", mapKeys: ["type"] },
  "V1NodeSpec.podCIDRs": { strategy: "merge", type: "set" },
  "V1NodeStatus.conditions": { key: "type", strategy: "merge", type: "map", mapKeys: ["type"] },
  "V1NodeStatus.addresses": { key: "type", strategy: "merge", type: "map", mapKeys: ["type"] },
  "V1NamespaceStatus.conditions": { key: "type", strategy: "merge", type: "map", mapKeys: ["type"] },
  "V1ReplicationControllerStatus.conditions": { key: "type", strategy: "merge", type: "map", mapKeys: ["type"] },
  "V1PersistentVolumeClaimStatus.conditions": { key: "type", strategy: "merge", type: "map", mapKeys: ["type"] },
  "V1DeploymentStatus.conditions": { key: "type", strategy: "merge", type: "map", mapKeys: ["type"] },
  "V1ReplicaSetStatus.conditions": { key: "type", strategy: "merge", type: "map", mapKeys: ["type"] },
  "V1DaemonSetStatus.conditions": { key: "type", strategy: "merge", type: "map", mapKeys: ["type"] },
  "V1StatefulSetStatus.conditions": { key: "type", strategy: "merge", type: "map", mapKeys: ["type"] },
  "V1JobStatus.conditions": { key: "type", strategy: "merge", type: "atomic" },
  "V1PodDisruptionBudgetStatus.conditions": { key: "type", strategy: "merge", type: "map", mapKeys: ["type"] },
  "V2HorizontalPodAutoscalerStatus.conditions": { key: "type", strategy: "merge", type: "map", mapKeys: ["type"] },
};

/** Object fields with a patch strategy of their own. */
const OBJECT_STRATEGY: Record<string, string> = {
  "V1DeploymentSpec.strategy": "retainKeys",
};

/** Extra roots beyond the served kinds: subresource bodies and the API's own types. */
const EXTRA_ROOTS: { model: string; group: string; version: string; kind: string }[] = [
  { model: "V1Scale", group: "autoscaling", version: "v1", kind: "Scale" },
  { model: "V1Eviction", group: "policy", version: "v1", kind: "Eviction" },
  { model: "V1Status", group: "", version: "v1", kind: "Status" },
  { model: "V1DeleteOptions", group: "", version: "v1", kind: "DeleteOptions" },
  { model: "V1WatchEvent", group: "", version: "v1", kind: "WatchEvent" },
];

const require = createRequire(import.meta.url);
const modelsDir = join(dirname(require.resolve("@kubernetes/client-node")), "gen", "models");

function unescape(s: string): string {
  return s.replace(/\\(["'\\])/g, "$1").trim();
}

/** Class and property descriptions, and required properties, from a model's .d.ts. */
function docsOf(model: string): { description?: string; props: Map<string, { description?: string; required: boolean }> } {
  const text = readFileSync(join(modelsDir, `${model}.d.ts`), "utf8");
  const cls = /\/\*\*\n\* ([\s\S]*?)\n\*\/\nexport declare class/.exec(text);
  const props = new Map<string, { description?: string; required: boolean }>();
  const re = /(?:\/\*\*\n {4}\* ([\s\S]*?)\n {4}\*\/\n)? {4}'([^']+)'(\??): /g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    props.set(m[2]!, { ...(m[1] ? { description: unescape(m[1].replace(/\n {4}\* ?/g, "\n")) } : {}), required: m[3] !== "?" });
  }
  return { ...(cls ? { description: unescape(cls[1]!.replace(/\n\* ?/g, "\n")) } : {}), props };
}

/** Field descriptions by field name from a kubernetes-models declaration, if the package was given. */
function supplementalDocs(dir: string | undefined, schemaName: string): Map<string, string> {
  const out = new Map<string, string>();
  const m = /^io\.k8s\.api\.(\w+)\.(\w+)\.(\w+)$/.exec(schemaName);
  if (!dir || !m) return out;
  const [, pkg, version, name] = m as unknown as [string, string, string, string];
  const groupDir = pkg === "core" ? "" : readdirSync(dir).find((d) => d === pkg || d.startsWith(`${pkg}.`));
  if (groupDir === undefined) return out;
  const file = join(dir, groupDir, version, `${name}.d.ts`);
  if (!existsSync(file)) return out;
  const text = readFileSync(file, "utf8");
  const body = new RegExp(`export interface I${name} [^{]*\\{([\\s\\S]*?)\\n\\}`).exec(text)?.[1] ?? "";
  const re = /\/\*\*\n((?: {5}\*.*\n)+) {5}\*\/\n {4}"([^"]+)"/g;
  for (let d = re.exec(body); d; d = re.exec(body)) {
    out.set(d[2]!, d[1]!.split("\n").map((l) => l.replace(/^ {5}\* ?/, "")).join("\n").trim());
  }
  return out;
}

function packageOfGroup(group: string, version: string): string {
  return `io.k8s.api.${group === "" ? "core" : group.split(".")[0]}.${version}`;
}

/** "V1PodSpec" → "PodSpec"; "CoreV1Event" → "Event". */
function shortName(model: string): string {
  return model.replace(/^([A-Z][a-z]+)*?V\d+((alpha|beta)\d+)?(?=[A-Z])/, "");
}

async function main(): Promise<void> {
  const mod = (await import("@kubernetes/client-node")) as unknown as Record<string, Model>;
  const models = new Map<string, Attribute[]>();
  for (const [name, value] of Object.entries(mod)) if (value && Array.isArray(value.attributeTypeMap)) models.set(name, value.attributeTypeMap);

  // Roots: every served kind and its List, in discovery group order (core first).
  const roots: { model: string; group: string; version: string; kind: string }[] = [];
  const order = (g: string) => (GROUP_ORDER.indexOf(g) < 0 ? 99 : GROUP_ORDER.indexOf(g));
  const served = [...RESOURCES].sort((a, b) => order(a.group) - order(b.group));
  const modelFor = (group: string, version: string, kind: string): string | undefined => {
    const v = version.charAt(0).toUpperCase() + version.slice(1);
    const prefix = (group === "" ? "core" : group.split(".")[0]!).replace(/^./, (c) => c.toUpperCase());
    return [`${prefix}${v}${kind}`, `${v}${kind}`].find((m) => models.has(m));
  };
  for (const r of served) {
    for (const kind of [r.kind, `${r.kind}List`]) {
      const model = modelFor(r.group, r.version, kind);
      if (!model && r.virtual && kind.endsWith("List")) continue; // bindings have no list
      if (!model) throw new Error(`no client model for ${r.group}/${r.version} ${kind}`);
      roots.push({ model, group: r.group, version: r.version, kind });
    }
  }
  roots.push(...EXTRA_ROOTS);

  // Each model's upstream name: meta types by list, the rest by the first served kind that reaches them.
  const names = new Map<string, string>();
  const gvks = new Map<string, { group: string; version: string; kind: string }[]>();
  const refsOf = (type: string): string[] => [...type.matchAll(/[A-Za-z0-9]+/g)].map((m) => m[0]).filter((t) => models.has(t));
  for (const root of roots) {
    gvks.set(root.model, [...(gvks.get(root.model) ?? []), { group: root.group, kind: root.kind, version: root.version }]);
    const pkg = packageOfGroup(root.group, root.version);
    const queue = [root.model];
    while (queue.length > 0) {
      const m = queue.shift()!;
      if (names.has(m)) continue;
      const short = shortName(m);
      names.set(m, `${PACKAGE_OVERRIDES[m] ?? (META_MODELS.includes(short) && /^V1[A-Z]/.test(m) ? META : pkg)}.${short}`);
      for (const a of models.get(m)!) queue.push(...refsOf(a.type));
    }
  }

  const ref = (name: string): Schema => ({ allOf: [{ $ref: `#/components/schemas/${name}` }] });
  const unwrap = (s: Schema): Schema => s.allOf?.[0] ?? s;
  const typeSchema = (owner: string, a: Attribute, type: string): Schema => {
    const key = `${owner}.${a.name}`;
    if (ANY_FIELDS[key]) return ref(ANY_FIELDS[key]);
    let m = /^Array<(.*)>$/.exec(type);
    // Items and map values refer to their type directly; properties wrap the ref in allOf to carry a description.
    if (m) return { type: "array", items: unwrap(typeSchema(owner, a, m[1]!)) };
    m = /^\{ \[key: string\]: (.*); \}$/.exec(type);
    if (m) return { type: "object", additionalProperties: unwrap(typeSchema(owner, a, m[1]!)) };
    if (QUANTITY_FIELDS.has(key) && type === "string") return ref(QUANTITY);
    if (type === "Date") return ref(MICRO_TIME_FIELDS.has(key) ? MICRO_TIME : TIME);
    if (type === "IntOrString") return ref(INT_OR_STRING);
    if (type === "V1MicroTime") return ref(MICRO_TIME);
    if (type === "string") return a.format === "byte" ? { type: "string", format: "byte" } : { type: "string" };
    if (type === "boolean") return { type: "boolean" };
    if (type === "number") return a.format === "double" ? { type: "number", format: "double" } : { type: "integer", format: a.format || "int32" };
    if (type === "any") return { type: "object", "x-kubernetes-preserve-unknown-fields": true };
    if (models.has(type)) return ref(names.get(type)!);
    throw new Error(`unknown type ${type} at ${key}`);
  };

  const schemas: Record<string, Schema> = {
    [TIME]: { description: "Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.  Wrappers are provided for many of the factory methods that the time package offers.", format: "date-time", type: "string" },
    [MICRO_TIME]: { description: "MicroTime is version of Time with microsecond level precision.", format: "date-time", type: "string" },
    [INT_OR_STRING]: { description: "IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.", format: "int-or-string", oneOf: [{ type: "integer" }, { type: "string" }] },
    [QUANTITY]: { description: "Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors.", oneOf: [{ type: "string" }, { type: "number" }] },
    [RAW_EXTENSION]: { description: "RawExtension is used to hold extensions in external versions.", type: "object" },
    [`${META}.Patch`]: { description: "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.", type: "object" },
    [FIELDS_V1]: { description: "FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format.", type: "object" },
  };
  const flag = process.argv.indexOf("--descriptions");
  const descriptionsDir = flag > 0 ? process.argv[flag + 1] : undefined;
  for (const [model, name] of [...names].sort((a, b) => a[1].localeCompare(b[1]))) {
    const docs = docsOf(model);
    const more = supplementalDocs(descriptionsDir, name);
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    for (const a of [...models.get(model)!].sort((x, y) => x.baseName.localeCompare(y.baseName))) {
      const key = `${model}.${a.name}`;
      const doc = docs.props.get(a.name);
      let s = typeSchema(model, a, a.type);
      const description = more.get(a.baseName) ?? doc?.description;
      if (description) s = { ...s, description };
      const lm = LIST_META[key];
      if (lm) {
        if (lm.mapKeys) s["x-kubernetes-list-map-keys"] = lm.mapKeys;
        s["x-kubernetes-list-type"] = lm.type;
        if (lm.key) s["x-kubernetes-patch-merge-key"] = lm.key;
        if (lm.strategy) s["x-kubernetes-patch-strategy"] = lm.strategy;
      }
      if (OBJECT_STRATEGY[key]) s["x-kubernetes-patch-strategy"] = OBJECT_STRATEGY[key];
      properties[a.baseName] = s;
      if (doc?.required) required.push(a.baseName);
    }
    const gvk = gvks.get(model);
    schemas[name] = {
      ...(docs.description ? { description: docs.description } : {}),
      properties,
      ...(required.length > 0 ? { required } : {}),
      type: "object",
      ...(gvk ? { "x-kubernetes-group-version-kind": gvk } : {}),
    };
  }
  const out = new URL("./schemas.json", import.meta.url);
  writeFileSync(out, `${JSON.stringify(schemas)}\n`);
  console.log(`${Object.keys(schemas).length} schemas → ${out.pathname}`);
}

await main();
