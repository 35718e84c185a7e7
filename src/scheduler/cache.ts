// The scheduler cache, after pkg/scheduler/backend/cache: a NodeInfo per node
// whose aggregates (pod count, summed requests, non-zero requests, pods per
// controller) are kept up to date as pods are added, bound, finish or go, so
// a scheduling cycle reads counts instead of walking every pod on every node.
// Leaves out: assumed pods (binding here is synchronous with the watch) and
// image locality state.

import type { Node, Pod, Taint } from "../api/core/v1.ts";
import type { NodeInfo } from "./framework/interface.ts";
import { resourceValue } from "./framework/quantity.ts";
import { DEFAULT_MEMORY, DEFAULT_MILLI_CPU, podRequests } from "./plugins/node-resources-fit.ts";

/** Pods that still hold resources on their node (assigned, not finished). */
export function occupies(pod: Pod): boolean {
  return !!pod.spec.nodeName && pod.status?.phase !== "Succeeded" && pod.status?.phase !== "Failed";
}

/** namespace/uid of the pod's controller, for pods not being deleted (PodTopologySpread counts these). */
function ownerKey(pod: Pod): string | undefined {
  if (pod.metadata.deletionTimestamp) return undefined;
  // A UID names one object cluster-wide, so it needs no namespace beside it.
  return pod.metadata.ownerReferences?.find((r) => r.controller)?.uid;
}

/** Allocatable quantities as numbers: a cycle compares them on hundreds of nodes per pod. */
function parseAllocatable(node: Node): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(node.status?.allocatable ?? {})) out[k] = resourceValue(k, v);
  return out;
}

class CachedNodeInfo implements NodeInfo {
  podCount = 0;
  readonly requested: Record<string, number> = {};
  readonly nonZeroRequested: Record<string, number> = {};
  private readonly owners = new Map<string, number>();

  node: Node;
  allocatable: Record<string, number>;
  hardTaints: Taint[] = [];
  softTaints: Taint[] = [];

  constructor(node: Node) {
    this.node = node;
    this.allocatable = parseAllocatable(node);
    this.derive(node);
  }

  /** A new version of the node: what a cycle reads of it is worked out here, once, not per pod. */
  setNode(node: Node): void {
    const old = this.node;
    this.node = node;
    if (node.status?.allocatable !== old.status?.allocatable) this.allocatable = parseAllocatable(node);
    if (node.spec?.taints !== old.spec?.taints) this.derive(node);
  }

  private derive(node: Node): void {
    const taints = node.spec?.taints ?? [];
    this.hardTaints = taints.filter((t) => t.effect === "NoSchedule" || t.effect === "NoExecute");
    this.softTaints = taints.filter((t) => t.effect === "PreferNoSchedule");
  }

  controlledPods(_namespace: string, uid: string): number {
    return this.owners.get(uid) ?? 0;
  }

  /** Adds (sign 1) or removes (sign -1) one pod's share. */
  apply(pod: Pod, sign: 1 | -1): void {
    this.podCount += sign;
    const r = podRequests(pod);
    for (const [k, v] of Object.entries(r)) this.requested[k] = (this.requested[k] ?? 0) + sign * v;
    const nz = { ...r, cpu: r.cpu || DEFAULT_MILLI_CPU, memory: r.memory || DEFAULT_MEMORY };
    for (const [k, v] of Object.entries(nz)) this.nonZeroRequested[k] = (this.nonZeroRequested[k] ?? 0) + sign * v;
    const owner = ownerKey(pod);
    if (owner) {
      const n = (this.owners.get(owner) ?? 0) + sign;
      if (n === 0) this.owners.delete(owner);
      else this.owners.set(owner, n);
    }
  }
}

export class SchedulerCache {
  private readonly infos = new Map<string, CachedNodeInfo>();
  /** Pods counted on a node before its Node object arrived (or after it went). */
  private readonly orphans = new Map<string, CachedNodeInfo>();
  private sorted: CachedNodeInfo[] | undefined;

  /** Every node's info, sorted by node name (stable between node adds and deletes). */
  list(): NodeInfo[] {
    if (!this.sorted) this.sorted = [...this.infos.values()].sort((a, b) => (a.node.metadata.name! < b.node.metadata.name! ? -1 : 1));
    return this.sorted;
  }

  setNode(node: Node): void {
    const name = node.metadata.name!;
    const info = this.infos.get(name);
    if (info) {
      info.setNode(node);
      return;
    }
    // Pods may have been seen first; their counts carry over.
    const pending = this.orphans.get(name);
    this.orphans.delete(name);
    const created = pending ?? new CachedNodeInfo(node);
    created.setNode(node);
    this.infos.set(name, created);
    this.sorted = undefined;
  }

  removeNode(node: Node): void {
    const name = node.metadata.name!;
    const info = this.infos.get(name);
    if (!info) return;
    this.infos.delete(name);
    if (info.podCount > 0) this.orphans.set(name, info);
    this.sorted = undefined;
  }

  /** A pod changed from old to pod (either absent on add or delete). */
  updatePod(old: Pod | undefined, pod: Pod | undefined): void {
    if (old && occupies(old)) this.infoFor(old.spec.nodeName!).apply(old, -1);
    if (pod && occupies(pod)) this.infoFor(pod.spec.nodeName!).apply(pod, 1);
  }

  private infoFor(name: string): CachedNodeInfo {
    let info = this.infos.get(name) ?? this.orphans.get(name);
    if (!info) this.orphans.set(name, (info = new CachedNodeInfo({ metadata: { name } } as Node)));
    return info;
  }
}
