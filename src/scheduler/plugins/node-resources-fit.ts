// NodeResourcesFit, after pkg/scheduler/framework/plugins/noderesources/fit.go
// and least_allocated.go: the pod's requests must fit in allocatable minus
// what pods already on the node request ("Insufficient cpu", "Too many pods";
// preemption could help, so these are resolvable). Scoring prefers the node
// with the most room, counting pods without requests as 100m CPU / 200Mi.

import type { Pod } from "../../api/core/v1.ts";
import { resourceValue } from "../framework/quantity.ts";
import { type FilterPlugin, type NodeInfo, type ScorePlugin, type Status, SUCCESS } from "../framework/interface.ts";

/** Requests summed over containers; the max with any init container (computePodResourceRequest). */
export function podRequests(pod: Pod): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const c of pod.spec.containers ?? []) {
    for (const [k, v] of Object.entries(c.resources?.requests ?? {})) sum[k] = (sum[k] ?? 0) + resourceValue(k, v);
  }
  for (const c of pod.spec.initContainers ?? []) {
    for (const [k, v] of Object.entries(c.resources?.requests ?? {})) sum[k] = Math.max(sum[k] ?? 0, resourceValue(k, v));
  }
  for (const [k, v] of Object.entries(pod.spec.overhead ?? {})) sum[k] = (sum[k] ?? 0) + resourceValue(k, v);
  return sum;
}

export const DEFAULT_MILLI_CPU = 100;
export const DEFAULT_MEMORY = 200 * 1024 * 1024;

export const nodeResourcesFit: FilterPlugin & ScorePlugin = {
  name: "NodeResourcesFit",
  weight: 1,
  filter(pod, info) {
    const alloc = info.node.status?.allocatable ?? {};
    const reasons: string[] = [];
    const maxPods = alloc.pods !== undefined ? resourceValue("pods", alloc.pods) : 110;
    if (info.podCount + 1 > maxPods) reasons.push("Too many pods");
    const want = podRequests(pod);
    const used = info.requested;
    for (const [k, v] of Object.entries(want)) {
      if (v === 0) continue;
      const have = alloc[k] !== undefined ? resourceValue(k, alloc[k]) : 0;
      if (v > have - (used[k] ?? 0)) reasons.push(`Insufficient ${k}`);
    }
    if (reasons.length === 0) return SUCCESS;
    const s: Status = { code: "Unschedulable", reasons };
    return s;
  },
  score(pod, nodes) {
    const want = podRequests(pod);
    return nodes.map((info) => {
      const alloc = info.node.status?.allocatable ?? {};
      const used = info.nonZeroRequested;
      let total = 0;
      for (const r of ["cpu", "memory"]) {
        const cap = resourceValue(r, alloc[r]);
        const req = (used[r] ?? 0) + (want[r] || (r === "cpu" ? DEFAULT_MILLI_CPU : DEFAULT_MEMORY));
        total += cap <= 0 || req > cap ? 0 : Math.floor(((cap - req) * 100) / cap);
      }
      return Math.floor(total / 2);
    });
  },
};
