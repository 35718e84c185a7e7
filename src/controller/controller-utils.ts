// Helpers every workload controller shares, after pkg/controller/controller_utils.go
// and pkg/api/v1/pod/util.go: pod readiness and availability, the controller
// owner reference, the pod-template hash, and the ranking that decides which
// pods a scale-down deletes first.
// Leaves out: ControllerExpectations (in-process watches deliver a write's
// event before the write returns, so caches never lag our own writes).

import type { KObject, OwnerReference } from "../apimachinery/meta.ts";
import { NAME_ALPHABET } from "../utils/rand.ts";
import type { Condition, Pod, PodTemplateSpec } from "./types.ts";

export function getCondition(conds: Condition[] | undefined, type: string): Condition | undefined {
  return conds?.find((c) => c.type === type);
}

/** Running or about to run: not finished, not being deleted. */
export function isPodActive(pod: Pod): boolean {
  return pod.status?.phase !== "Succeeded" && pod.status?.phase !== "Failed" && !pod.metadata.deletionTimestamp;
}

export function isPodReady(pod: Pod): boolean {
  return getCondition(pod.status?.conditions, "Ready")?.status === "True";
}

/** Ready for at least minReadySeconds (podutil.IsPodAvailable). */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  const c = getCondition(pod.status?.conditions, "Ready");
  if (c?.status !== "True") return false;
  if (minReadySeconds <= 0) return true;
  const since = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : now;
  return since + minReadySeconds * 1000 <= now;
}

export function getControllerOf(obj: KObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller);
}

export function controllerRef(owner: KObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion!,
    kind: owner.kind!,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** JSON with object keys sorted at every level: a stable input for hashing. */
export function canonicalJSON(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJSON).join(",")}]`;
  if (v && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJSON(x)}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

/** FNV-1a, 32 bits, over the UTF-8 bytes of s (hash/fnv.New32a). */
export function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(s)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** rand.SafeEncodeString: each character mapped into the name alphabet. */
export function safeEncodeString(s: string): string {
  let out = "";
  for (const ch of s) out += NAME_ALPHABET[ch.charCodeAt(0) % NAME_ALPHABET.length];
  return out;
}

/**
 * controller.ComputeHash: upstream hashes a Go deep-dump of the template; we
 * hash its canonical JSON, which gives a name of the same form
 * (9–10 characters from 4–9,b,c,d,f), stable across runs.
 */
export function computeHash(template: PodTemplateSpec, collisionCount?: number): string {
  let input = canonicalJSON(template);
  if (collisionCount !== undefined && collisionCount !== null) input += String(collisionCount);
  return safeEncodeString(String(fnv32a(input)));
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function readySince(pod: Pod): number {
  const t = getCondition(pod.status?.conditions, "Ready")?.lastTransitionTime;
  return t ? Date.parse(t) : 0;
}

function restarts(pod: Pod): number {
  const cs = (pod.status?.containerStatuses as { restartCount?: number }[] | undefined) ?? [];
  return cs.reduce((m, c) => Math.max(m, c.restartCount ?? 0), 0);
}

/**
 * Sorts pods so the ones to delete first come first (ActivePodsWithRanks):
 * unscheduled, then pending before running, not ready before ready, more
 * sibling pods on the same node, ready for less time, more restarts, newer.
 */
export function rankPodsForDeletion(pods: Pod[], related: Pod[]): Pod[] {
  const perNode = new Map<string, number>();
  for (const p of related) {
    if (p.spec.nodeName && isPodActive(p)) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
  }
  const rank = (p: Pod) => (p.spec.nodeName ? (perNode.get(p.spec.nodeName) ?? 0) : 0);
  return [...pods].sort((a, b) => {
    const an = a.spec.nodeName ? 1 : 0;
    const bn = b.spec.nodeName ? 1 : 0;
    if (an !== bn) return an - bn;
    const ap = PHASE_RANK[a.status?.phase ?? "Pending"] ?? 0;
    const bp = PHASE_RANK[b.status?.phase ?? "Pending"] ?? 0;
    if (ap !== bp) return ap - bp;
    const ar = isPodReady(a) ? 1 : 0;
    const br = isPodReady(b) ? 1 : 0;
    if (ar !== br) return ar - br;
    if (rank(a) !== rank(b)) return rank(b) - rank(a);
    if (ar && br && readySince(a) !== readySince(b)) return readySince(b) - readySince(a);
    if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
    const ac = Date.parse(a.metadata.creationTimestamp ?? "") || 0;
    const bc = Date.parse(b.metadata.creationTimestamp ?? "") || 0;
    if (ac !== bc) return bc - ac;
    // Same second: the later name in creation order is not known; fall back to name for determinism.
    return (b.metadata.name ?? "") < (a.metadata.name ?? "") ? -1 : 1;
  });
}

/** A copy of a template's labels plus extra ones. */
export function withLabels(labels: Record<string, string> | undefined, extra: Record<string, string>): Record<string, string> {
  return { ...(labels ?? {}), ...extra };
}

/** A pod for a workload, from its template (controller.GetPodFromTemplate). */
export function podFromTemplate(template: PodTemplateSpec, owner: KObject, extraLabels: Record<string, string> = {}): Pod {
  const tm = template.metadata ?? {};
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      generateName: `${owner.metadata.name}-`,
      namespace: owner.metadata.namespace,
      labels: withLabels(tm.labels, extraLabels),
      ...(tm.annotations ? { annotations: { ...tm.annotations } } : {}),
      ...(tm.finalizers ? { finalizers: [...tm.finalizers] } : {}),
      ownerReferences: [controllerRef(owner)],
    },
    spec: structuredClone(template.spec),
  };
}
