// Where an object keeps its pod spec, after k8s.io/kubectl/pkg/polymorphichelpers
// (updatepodspec.go): a Pod's spec, a workload's spec.template.spec, a
// CronJob's spec.jobTemplate.spec.template.spec.

import type { Obj } from "./manifest.ts";

const TEMPLATE_KINDS = new Set(["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "ReplicationController"]);

/** The object's pod spec (a live reference into obj), or undefined when it has none. */
export function podSpecOf(obj: Obj): Obj | undefined {
  const kind = String(obj.kind ?? "");
  const at = (o: unknown, ...path: string[]): Obj | undefined => {
    let cur = o as Obj | undefined;
    for (const p of path) {
      if (typeof cur !== "object" || cur === null) return undefined;
      if (typeof cur[p] !== "object" || cur[p] === null) cur[p] = {};
      cur = cur[p] as Obj;
    }
    return cur;
  };
  if (kind === "Pod") return at(obj, "spec");
  if (TEMPLATE_KINDS.has(kind)) return at(obj, "spec", "template", "spec");
  if (kind === "CronJob") return at(obj, "spec", "jobTemplate", "spec", "template", "spec");
  return undefined;
}

/** The containers of a pod spec, init containers first (the order kubectl visits them). */
export function containersOf(spec: Obj, includeInit = true): Obj[] {
  const list = (k: string) => (Array.isArray(spec[k]) ? (spec[k] as Obj[]) : []);
  return includeInit ? [...list("initContainers"), ...list("containers")] : list("containers");
}
