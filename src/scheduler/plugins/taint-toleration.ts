// TaintToleration, after pkg/scheduler/framework/plugins/tainttoleration:
// the first NoSchedule or NoExecute taint the pod does not tolerate keeps it
// off the node (the control plane's node-role.kubernetes.io/control-plane taint).
// Scoring (fewer intolerable PreferNoSchedule taints) is included.

import { tolerates } from "../framework/toleration.ts";
import { type FilterPlugin, type ScorePlugin, SUCCESS, unschedulable } from "../framework/interface.ts";

export const taintToleration: FilterPlugin & ScorePlugin = {
  name: "TaintToleration",
  weight: 3,
  filter(pod, { hardTaints }) {
    for (const taint of hardTaints) {
      if (!tolerates(pod.spec.tolerations, taint)) return unschedulable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ""}}`);
    }
    return SUCCESS;
  },
  score(pod, nodes) {
    const counts = nodes.map(({ softTaints }) => (softTaints.length === 0 ? 0 : softTaints.filter((t) => !tolerates(pod.spec.tolerations, t)).length));
    const max = Math.max(0, ...counts);
    // Reverse-normalized: no intolerable taints scores 100.
    return counts.map((c) => (max === 0 ? 100 : Math.floor((100 * (max - c)) / max)));
  },
};
