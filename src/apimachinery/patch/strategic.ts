// Strategic merge patch, after k8s.io/apimachinery/pkg/util/strategicpatch:
// like a JSON merge patch, except that lists the API marks with a patch merge
// key (containers by name, ports by containerPort…) merge item by item, and the
// directives $patch, $setElementOrder/<list>, $retainKeys and
// $deleteFromPrimitiveList/<list> are honoured. The merge keys come from the
// published struct tags (patchStrategy:"merge" patchMergeKey:"…").

import { deepCopy } from "../deepcopy.ts";

/** List field name → merge key, for the lists kubectl's patches touch. */
const MERGE_KEYS: Record<string, string> = {
  containers: "name",
  initContainers: "name",
  ephemeralContainers: "name",
  volumes: "name",
  volumeMounts: "mountPath",
  volumeDevices: "devicePath",
  env: "name",
  ports: "containerPort",
  imagePullSecrets: "name",
  hostAliases: "ip",
  tolerations: "key",
  conditions: "type",
  ownerReferences: "uid",
  topologySpreadConstraints: "topologyKey",
  resourceClaims: "name",
};

/** Lists of scalars merged as sets (patchStrategy:"merge" without a key). */
const MERGE_PRIMITIVES = new Set(["finalizers"]);

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function mergeList(field: string, current: unknown[], patch: unknown[], order: unknown[] | undefined): unknown[] {
  const key = MERGE_KEYS[field];
  if (!key) {
    if (MERGE_PRIMITIVES.has(field)) {
      const out = [...current];
      for (const v of patch) if (!out.includes(v)) out.push(v);
      return out;
    }
    return deepCopy(patch);
  }
  // Ports of a container merge by containerPort, of a Service by port.
  const containerPorts = [...current, ...patch].some((i) => isObj(i) && "containerPort" in i);
  const k = field === "ports" && !containerPorts ? "port" : key;
  const replace = patch.find((p) => isObj(p) && p.$patch === "replace");
  if (replace) return patch.filter((p) => !(isObj(p) && p.$patch === "replace")).map((p) => deepCopy(p));
  const out: unknown[] = current.map((c) => deepCopy(c));
  for (const p of patch) {
    if (!isObj(p)) continue;
    const idx = out.findIndex((c) => isObj(c) && c[k] === p[k]);
    if (p.$patch === "delete") {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) out[idx] = strategicMerge(out[idx], p);
    else out.push(strategicMerge({}, p));
  }
  if (order) {
    const pos = (item: unknown) => order.findIndex((o) => isObj(o) && isObj(item) && o[k] === item[k]);
    const listed = out.filter((i) => pos(i) >= 0).sort((a, b) => pos(a) - pos(b));
    const rest = out.filter((i) => pos(i) < 0);
    return [...listed, ...rest];
  }
  return out;
}

function strategicMerge(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return deepCopy(patch);
  if (patch.$patch === "replace") {
    const { $patch: _p, ...rest } = patch;
    return deepCopy(rest);
  }
  if (patch.$patch === "delete") return undefined;
  const out: Obj = isObj(target) ? { ...target } : {};
  const retain = Array.isArray(patch.$retainKeys) ? (patch.$retainKeys as string[]) : undefined;
  for (const [k, v] of Object.entries(patch)) {
    if (k === "$retainKeys" || k === "$patch" || k.startsWith("$setElementOrder/")) continue;
    if (k.startsWith("$deleteFromPrimitiveList/")) {
      const field = k.slice("$deleteFromPrimitiveList/".length);
      const list = Array.isArray(out[field]) ? (out[field] as unknown[]) : [];
      out[field] = list.filter((x) => !(v as unknown[]).includes(x));
      continue;
    }
    if (v === null) {
      delete out[k];
    } else if (Array.isArray(v)) {
      const order = patch[`$setElementOrder/${k}`] as unknown[] | undefined;
      out[k] = mergeList(k, Array.isArray(out[k]) ? (out[k] as unknown[]) : [], v, order);
    } else if (isObj(v)) {
      const merged = strategicMerge(out[k], v);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    } else {
      out[k] = v;
    }
  }
  // A $setElementOrder without a patch list only reorders.
  for (const [k, v] of Object.entries(patch)) {
    if (!k.startsWith("$setElementOrder/")) continue;
    const field = k.slice("$setElementOrder/".length);
    if (field in patch || !Array.isArray(out[field])) continue;
    out[field] = mergeList(field, out[field] as unknown[], [], v as unknown[]);
  }
  if (retain) for (const key of Object.keys(out)) if (!retain.includes(key)) delete out[key];
  return out;
}

export function strategicMergePatch(current: unknown, patch: unknown, kind: string): unknown {
  void kind;
  return strategicMerge(current, patch);
}
