// NodeResourcesFit, after pkg/scheduler/framework/plugins/noderesources/fit.go
// and least_allocated.go: the pod's requests must fit in allocatable minus
// what pods already on the node request ("Insufficient cpu", "Too many pods";
// preemption could help, so these are resolvable). Scoring prefers the node
// with the most room, counting pods without requests as 100m CPU / 200Mi.

import type { Pod } from "../../api/core/v1.ts";
import { resourceValue } from "../framework/quantity.ts";
import { type FilterPlugin, type NodeInfo, type ScorePlugin, type Status, SUCCESS } from "../framework/interface.ts";

/**
 * Requests per pod object: a scheduling cycle asks for the same pod's on
 * every node it filters and scores (upstream keeps them in the cycle state).
 */
const requestsOf = new WeakMap<Pod, Record<string, number>>();

/** Requests summed over containers; the max with any init container (computePodResourceRequest). */
export function podRequests(pod: Pod): Record<string, number> {
  let sum = requestsOf.get(pod);
  if (!sum) requestsOf.set(pod, (sum = computePodRequests(pod)));
  return sum;
}

function computePodRequests(pod: Pod): Record<string, number> {
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
    const alloc = info.allocatable;
    const maxPods = alloc.pods ?? 110;
    const want = podRequests(pod);
    const used = info.requested;
    let reasons: string[] | undefined;
    if (info.podCount + 1 > maxPods) (reasons ??= []).push("Too many pods");
    for (const k in want) {
      const v = want[k]!;
      if (v === 0) continue;
      if (v > (alloc[k] ?? 0) - (used[k] ?? 0)) (reasons ??= []).push(`Insufficient ${k}`);
    }
    if (!reasons) return SUCCESS;
    const s: Status = { code: "Unschedulable", reasons };
    return s;
  },
  score(pod, nodes) {
    const want = podRequests(pod);
    const wantCpu = want.cpu || DEFAULT_MILLI_CPU;
    const wantMemory = want.memory || DEFAULT_MEMORY;
    const free = (cap: number, req: number) => (cap <= 0 || req > cap ? 0 : Math.floor(((cap - req) * 100) / cap));
    return nodes.map((info) => {
      const used = info.nonZeroRequested;
      const total = free(info.allocatable.cpu ?? 0, (used.cpu ?? 0) + wantCpu) + free(info.allocatable.memory ?? 0, (used.memory ?? 0) + wantMemory);
      return Math.floor(total / 2);
    });
  },
};
