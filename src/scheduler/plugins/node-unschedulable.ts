// NodeUnschedulable, after pkg/scheduler/framework/plugins/nodeunschedulable:
// a cordoned node (spec.unschedulable) takes only pods that tolerate the
// node.kubernetes.io/unschedulable:NoSchedule taint.

import { tolerates } from "../framework/toleration.ts";
import { type FilterPlugin, SUCCESS, unschedulable } from "../framework/interface.ts";

export const nodeUnschedulable: FilterPlugin = {
  name: "NodeUnschedulable",
  filter(pod, { node }) {
    if (!node.spec?.unschedulable) return SUCCESS;
    if (tolerates(pod.spec.tolerations, { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" })) return SUCCESS;
    return unschedulable("node(s) were unschedulable");
  },
};
