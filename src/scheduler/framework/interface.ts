// The scheduling framework's plugin contract, after
// pkg/scheduler/framework/interface.go: Filter plugins say whether a pod fits
// a node (with a reason and whether preemption could help); Score plugins
// rank the nodes that passed, each with a weight.
// Leaves out: PreFilter/PostFilter/Reserve/Permit/PreBind extension points.

import type { Node, Pod, Taint } from "../../api/core/v1.ts";

/**
 * A node with the aggregate of the pods assigned to it that still hold
 * resources, as the scheduler cache keeps it (src/scheduler/cache.ts).
 */
export interface NodeInfo {
  node: Node;
  podCount: number;
  /** Summed pod requests (computePodResourceRequest), cpu in millicores. */
  requested: Readonly<Record<string, number>>;
  /** The same with 100m CPU / 200Mi for pods that request none (scoring). */
  nonZeroRequested: Readonly<Record<string, number>>;
  /** The node's allocatable resources as numbers (cpu in millicores), parsed once per Node object. */
  readonly allocatable: Readonly<Record<string, number>>;
  /** The node's NoSchedule and NoExecute taints, and its PreferNoSchedule ones, picked once per Node object. */
  readonly hardTaints: readonly Taint[];
  readonly softTaints: readonly Taint[];
  /** Pods on the node, not being deleted, controlled by uid in namespace. */
  controlledPods(namespace: string, uid: string): number;
}

export type Code = "Success" | "Unschedulable" | "UnschedulableAndUnresolvable";

export interface Status {
  code: Code;
  /** Reasons as they appear in the FailedScheduling message, e.g. "node(s) were unschedulable". */
  reasons: string[];
}

export const SUCCESS: Status = { code: "Success", reasons: [] };

export function unschedulable(reason: string, unresolvable = true): Status {
  return { code: unresolvable ? "UnschedulableAndUnresolvable" : "Unschedulable", reasons: [reason] };
}

export interface FilterPlugin {
  name: string;
  /**
   * PreFilter's Skip: true when the plugin has nothing to check for this pod
   * (no node selector, no nodeName), so its Filter is not run on any node.
   */
  skip?(pod: Pod): boolean;
  filter(pod: Pod, nodeInfo: NodeInfo): Status;
}

export interface ScorePlugin {
  name: string;
  weight: number;
  /** Raw scores for every feasible node; normalize maps them to 0–100. */
  score(pod: Pod, nodes: NodeInfo[], all: NodeInfo[]): number[];
}
