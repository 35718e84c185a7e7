// Quota usage evaluators, after pkg/quota/v1/evaluator/core (pods, services,
// PVCs) and apiserver/pkg/quota/v1/generic (object counts): what one object
// charges against a ResourceQuota. Shared by the quota controller (status.used)
// and quota admission in the apiserver, as upstream shares pkg/quota/v1.
// Leaves out: priority-class and cross-namespace-affinity scopes, hugepages.

import type { KObject } from "../../apimachinery/meta.ts";
import { addQuantity, parseQuantity, type Quantity, quantityOrZero } from "../../apimachinery/quantity.ts";

export type Usage = Map<string, Quantity>;

export interface GroupResource {
  group: string;
  resource: string;
}

export interface Evaluator {
  groupResource: GroupResource;
  /** The quota resource names (of those given) this kind can be charged for. */
  matchingResources(names: string[]): string[];
  /** What this object uses. */
  usage(obj: KObject): Usage;
  /** Admission-time requirements: an error text when the object may not be admitted under these resources. */
  constraints?(required: string[], obj: KObject): string | undefined;
  /** Whether the object falls under a quota scope (Terminating, BestEffort…). */
  matchesScope?(scope: string, obj: KObject): boolean;
}

function one(): Quantity {
  return { milli: 1000, format: "DecimalSI" };
}

/** count/<resource>[.<group>]: the object-count name every kind has. */
export function objectCountName(gr: GroupResource): string {
  return gr.group ? `count/${gr.resource}.${gr.group}` : `count/${gr.resource}`;
}

/** Core kinds that also answer to their bare legacy name ("configmaps" as well as "count/configmaps"). */
const LEGACY_COUNTS = new Set(["configmaps", "secrets", "persistentvolumeclaims", "replicationcontrollers", "resourcequotas", "services"]);

/** generic.NewObjectCountEvaluator: every object counts one. */
export function objectCountEvaluator(gr: GroupResource): Evaluator {
  const names = [objectCountName(gr)];
  if (!gr.group && LEGACY_COUNTS.has(gr.resource)) names.push(gr.resource);
  return {
    groupResource: gr,
    matchingResources: (input) => input.filter((n) => names.includes(n)),
    usage: () => new Map(names.map((n) => [n, one()])),
  };
}

interface Resources {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}
interface PodLike extends KObject {
  spec?: { containers?: { name: string; resources?: Resources }[]; initContainers?: { name: string; resources?: Resources }[]; activeDeadlineSeconds?: number; overhead?: Record<string, string> };
  status?: { phase?: string };
}

const POD_RESOURCES = ["count/pods", "pods", "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage"];
/** Quota on these makes every container state them (a historical mistake upstream keeps). */
const VALIDATION_SET = new Set(["cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory"]);

function add(into: Usage, name: string, q: Quantity): void {
  const cur = into.get(name);
  into.set(name, cur ? addQuantity(cur, q) : { ...q });
}

/** resourcehelper.PodRequests/PodLimits: containers summed, then the max with each init container, plus overhead. */
function podTotals(pod: PodLike, which: "requests" | "limits"): Map<string, Quantity> {
  const sum = new Map<string, Quantity>();
  for (const c of pod.spec?.containers ?? []) {
    for (const [k, v] of Object.entries(c.resources?.[which] ?? {})) add(sum, k, quantityOrZero(v));
  }
  for (const c of pod.spec?.initContainers ?? []) {
    for (const [k, v] of Object.entries(c.resources?.[which] ?? {})) {
      const q = quantityOrZero(v);
      const cur = sum.get(k);
      if (!cur || cur.milli < q.milli) sum.set(k, q);
    }
  }
  for (const [k, v] of Object.entries(pod.spec?.overhead ?? {})) if (sum.has(k)) add(sum, k, quantityOrZero(v));
  return sum;
}

/** podComputeUsageHelper: a request counts as both "cpu" and "requests.cpu". */
function computeUsage(requests: Map<string, Quantity>, limits: Map<string, Quantity>): Usage {
  const out: Usage = new Map([["pods", one()]]);
  for (const r of ["cpu", "memory", "ephemeral-storage"]) {
    const req = requests.get(r);
    if (req) {
      out.set(r, req);
      out.set(`requests.${r}`, req);
    }
    const lim = limits.get(r);
    if (lim) out.set(`limits.${r}`, lim);
  }
  return out;
}

function resourceMap(rl: Record<string, string> | undefined): Map<string, Quantity> {
  const m = new Map<string, Quantity>();
  for (const [k, v] of Object.entries(rl ?? {})) {
    const q = parseQuantity(v);
    if (q) m.set(k, q);
  }
  return m;
}

function isBestEffort(pod: PodLike): boolean {
  const all = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  return all.every((c) => ["cpu", "memory"].every((r) => c.resources?.requests?.[r] === undefined && c.resources?.limits?.[r] === undefined));
}

export const podEvaluator: Evaluator = {
  groupResource: { group: "", resource: "pods" },
  matchingResources: (input) => input.filter((n) => POD_RESOURCES.includes(n) || n.startsWith("requests.hugepages-")),
  usage(obj) {
    const pod = obj as PodLike;
    const out: Usage = new Map([["count/pods", one()]]);
    // Finished pods are charged only for their existence (QuotaV1Pod).
    if (pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") return out;
    for (const [k, v] of computeUsage(podTotals(pod, "requests"), podTotals(pod, "limits"))) out.set(k, v);
    return out;
  },
  constraints(required, obj) {
    const pod = obj as PodLike;
    const req = required.filter((r) => VALIDATION_SET.has(r));
    const missing = new Map<string, Set<string>>();
    for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
      const has = computeUsage(resourceMap(c.resources?.requests), resourceMap(c.resources?.limits));
      for (const r of req) {
        if (has.has(r)) continue;
        if (!missing.has(r)) missing.set(r, new Set());
        missing.get(r)!.add(c.name);
      }
    }
    if (missing.size === 0) return undefined;
    const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(",")}`);
    return `must specify ${parts.join("; ")}`;
  },
  matchesScope(scope, obj) {
    const pod = obj as PodLike;
    const terminating = pod.spec?.activeDeadlineSeconds !== undefined && pod.spec.activeDeadlineSeconds >= 0;
    if (scope === "Terminating") return terminating;
    if (scope === "NotTerminating") return !terminating;
    if (scope === "BestEffort") return isBestEffort(pod);
    if (scope === "NotBestEffort") return !isBestEffort(pod);
    return false;
  },
};

interface ServiceLike extends KObject {
  spec?: { type?: string; ports?: { nodePort?: number }[] };
}

export const serviceEvaluator: Evaluator = {
  groupResource: { group: "", resource: "services" },
  matchingResources: (input) => input.filter((n) => ["count/services", "services", "services.nodeports", "services.loadbalancers"].includes(n)),
  usage(obj) {
    const svc = obj as ServiceLike;
    const out: Usage = new Map([["count/services", one()], ["services", one()]]);
    const type = svc.spec?.type ?? "ClusterIP";
    const ports = svc.spec?.ports?.length ?? 0;
    if (type === "NodePort" || type === "LoadBalancer") out.set("services.nodeports", { milli: ports * 1000, format: "DecimalSI" });
    if (type === "LoadBalancer") out.set("services.loadbalancers", one());
    return out;
  },
};

interface PVCLike extends KObject {
  spec?: { storageClassName?: string; resources?: Resources };
}

export const pvcEvaluator: Evaluator = {
  groupResource: { group: "", resource: "persistentvolumeclaims" },
  matchingResources: (input) =>
    input.filter((n) => ["count/persistentvolumeclaims", "persistentvolumeclaims", "requests.storage"].includes(n) || n.includes(".storageclass.storage.k8s.io/")),
  usage(obj) {
    const pvc = obj as PVCLike;
    const out: Usage = new Map([["count/persistentvolumeclaims", one()], ["persistentvolumeclaims", one()]]);
    const storage = parseQuantity(pvc.spec?.resources?.requests?.storage);
    if (storage) out.set("requests.storage", storage);
    const cls = pvc.spec?.storageClassName;
    if (cls) {
      out.set(`${cls}.storageclass.storage.k8s.io/persistentvolumeclaims`, one());
      if (storage) out.set(`${cls}.storageclass.storage.k8s.io/requests.storage`, storage);
    }
    return out;
  },
};

/** The evaluator for a resource: the specific ones, else an object counter. */
export function evaluatorFor(gr: GroupResource): Evaluator {
  if (!gr.group && gr.resource === "pods") return podEvaluator;
  if (!gr.group && gr.resource === "services") return serviceEvaluator;
  if (!gr.group && gr.resource === "persistentvolumeclaims") return pvcEvaluator;
  return objectCountEvaluator(gr);
}

/** The quota's scopes (spec.scopes and scopeSelector Exists terms). */
export function quotaScopes(quota: ResourceQuota): string[] {
  const out = [...(quota.spec?.scopes ?? [])];
  for (const e of quota.spec?.scopeSelector?.matchExpressions ?? []) if (e.operator === "Exists" || e.operator === undefined) out.push(e.scopeName);
  return out;
}

/**
 * generic.Matches: the quota constrains something this kind uses, and the
 * object is in every scope. `hard` is status.hard for admission (a quota the
 * controller has not seen yet constrains nothing) and spec.hard for the controller.
 */
export function quotaMatches(ev: Evaluator, quota: ResourceQuota, hard: string[], obj: KObject): boolean {
  if (ev.matchingResources(hard).length === 0) return false;
  return quotaScopes(quota).every((s) => ev.matchesScope?.(s, obj) ?? false);
}

export interface ResourceQuota extends KObject {
  spec?: { hard?: Record<string, string>; scopes?: string[]; scopeSelector?: { matchExpressions?: { scopeName: string; operator?: string; values?: string[] }[] } };
  status?: { hard?: Record<string, string>; used?: Record<string, string> };
}

/** The resources (group, resource) a quota name can refer to: count/deployments.apps → apps/deployments. */
export function groupResourceOfCountName(name: string): GroupResource | undefined {
  if (!name.startsWith("count/")) return undefined;
  const rest = name.slice("count/".length);
  const dot = rest.indexOf(".");
  return dot < 0 ? { group: "", resource: rest } : { group: rest.slice(dot + 1), resource: rest.slice(0, dot) };
}

/** ResourceList printing for errors: sorted name=value pairs (quota.prettyPrint). */
export function prettyPrint(list: Map<string, Quantity>, format: (q: Quantity) => string): string {
  return [...list.keys()]
    .sort()
    .map((k) => `${k}=${format(list.get(k)!)}`)
    .join(",");
}
