// NodeName, after pkg/scheduler/framework/plugins/nodename: a pod that names
// its node fits only there.

import { type FilterPlugin, SUCCESS, unschedulable } from "../framework/interface.ts";

export const nodeName: FilterPlugin = {
  name: "NodeName",
  skip: (pod) => !pod.spec.nodeName,
  filter(pod, { node }) {
    if (!pod.spec.nodeName || pod.spec.nodeName === node.metadata.name) return SUCCESS;
    return unschedulable("node(s) didn't match the requested node name");
  },
};
