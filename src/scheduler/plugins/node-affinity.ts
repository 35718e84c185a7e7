// NodeAffinity, after pkg/scheduler/framework/plugins/nodeaffinity: the pod's
// nodeSelector and required node affinity (matchExpressions on labels,
// matchFields on metadata.name) must match the node.
// Leaves out: preferred affinity scoring.

import type { Node, NodeSelectorRequirement, NodeSelectorTerm } from "../../api/core/v1.ts";
import { type FilterPlugin, SUCCESS, unschedulable } from "../framework/interface.ts";

function matchRequirement(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case "In":
      return value !== undefined && values.includes(value);
    case "NotIn":
      return value === undefined || !values.includes(value);
    case "Exists":
      return value !== undefined;
    case "DoesNotExist":
      return value === undefined;
    case "Gt":
      return value !== undefined && Number(value) > Number(values[0]);
    case "Lt":
      return value !== undefined && Number(value) < Number(values[0]);
  }
}

function matchTerm(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  // An empty term matches nothing.
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  return (
    exprs.every((r) => matchRequirement(r, Object.prototype.hasOwnProperty.call(labels, r.key) ? labels[r.key] : undefined)) &&
    fields.every((r) => matchRequirement(r, r.key === "metadata.name" ? node.metadata.name : undefined))
  );
}

export const nodeAffinity: FilterPlugin = {
  name: "NodeAffinity",
  skip: (pod) => !pod.spec.nodeSelector && !pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
  filter(pod, { node }) {
    const labels = node.metadata.labels ?? {};
    for (const [k, v] of Object.entries(pod.spec.nodeSelector ?? {})) {
      if (labels[k] !== v) return unschedulable("node(s) didn't match Pod's node affinity/selector");
    }
    const terms = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
    if (terms && !terms.some((t) => matchTerm(t, node))) return unschedulable("node(s) didn't match Pod's node affinity/selector");
    return SUCCESS;
  },
};
