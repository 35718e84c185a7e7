// PodTopologySpread's default constraint, after
// pkg/scheduler/framework/plugins/podtopologyspread (system defaults): spread
// a workload's replicas across nodes — a node with fewer pods of the same
// controller scores higher.
// Leaves out: explicit topologySpreadConstraints and the zone constraint
// (lab nodes have no zones).

import type { Pod } from "../../api/core/v1.ts";
import type { ScorePlugin } from "../framework/interface.ts";

function controllerUid(pod: Pod): string | undefined {
  return pod.metadata.ownerReferences?.find((r) => r.controller)?.uid;
}

export const podTopologySpread: ScorePlugin = {
  name: "PodTopologySpread",
  weight: 2,
  score(pod, nodes) {
    const owner = controllerUid(pod);
    if (!owner) return nodes.map(() => 100);
    // Terminating pods do not count (upstream countPodsMatchSelector, kubernetes#87621):
    // a pod replacing a deleted one goes where the deleted one was.
    const counts = nodes.map((info) => info.controlledPods(pod.metadata.namespace!, owner));
    const max = Math.max(...counts);
    const min = Math.min(...counts);
    if (max === min) return nodes.map(() => 100);
    return counts.map((c) => Math.floor((100 * (max - c)) / (max - min)));
  },
};
