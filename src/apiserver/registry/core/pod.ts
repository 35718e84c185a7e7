// Pods, after pkg/registry/core/pod/strategy.go: field selectors the
// scheduler, kubelet and `describe node` use, and graceful deletion (a pod
// stays Terminating until its kubelet confirms with grace period 0).

import type { KObject } from "../../../apimachinery/meta.ts";
import type { DeleteOptions } from "../../../client/interface.ts";
import type { Strategy } from "../store.ts";

interface PodFields {
  spec?: { nodeName?: string; restartPolicy?: string; schedulerName?: string; serviceAccountName?: string; hostNetwork?: boolean; terminationGracePeriodSeconds?: number };
  status?: { phase?: string; podIP?: string; nominatedNodeName?: string };
}

export const podStrategy: Strategy = {
  fields(obj: KObject) {
    const p = obj as KObject & PodFields;
    return {
      "spec.nodeName": p.spec?.nodeName ?? "",
      "spec.restartPolicy": p.spec?.restartPolicy ?? "",
      "spec.schedulerName": p.spec?.schedulerName ?? "",
      "spec.serviceAccountName": p.spec?.serviceAccountName ?? "",
      "spec.hostNetwork": String(p.spec?.hostNetwork ?? false),
      "status.phase": p.status?.phase ?? "",
      "status.podIP": p.status?.podIP ?? "",
      "status.nominatedNodeName": p.status?.nominatedNodeName ?? "",
    };
  },
  gracePeriodSeconds(obj: KObject, opts: DeleteOptions) {
    const p = obj as KObject & PodFields;
    // An unscheduled pod, or one that has finished, has nothing to stop.
    if (!p.spec?.nodeName) return 0;
    if (p.status?.phase === "Succeeded" || p.status?.phase === "Failed") return 0;
    return opts.gracePeriodSeconds ?? p.spec?.terminationGracePeriodSeconds ?? 30;
  },
};
