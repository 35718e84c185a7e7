// What the Endpoints and EndpointSlice controllers share, after
// pkg/controller/util/endpoint: which pods belong in a Service's endpoints,
// and which container port a service port's targetPort names.

import { selectorFromSpec } from "../../apimachinery/labels.ts";
import { isPodReady } from "../controller-utils.ts";
import type { Pod, Service, ServicePort } from "../types.ts";

/** Pods with an IP that are not finished (ShouldPodBeInEndpoints); terminating ones are up to the caller. */
export function podsForService(svc: Service, pods: Pod[]): Pod[] {
  const sel = selectorFromSpec({ matchLabels: svc.spec?.selector ?? {} });
  return pods
    .filter((p) => sel.matches(p.metadata.labels))
    .filter((p) => !!p.status?.podIP && p.status.phase !== "Succeeded" && p.status.phase !== "Failed")
    .sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
}

/** FindPort: a numeric targetPort is used as is; a name is looked up in the pod's containers. */
export function findPort(pod: Pod, port: ServicePort): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === "number") return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const c of pod.spec.containers ?? []) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? "TCP") === (port.protocol ?? "TCP")) return p.containerPort;
  }
  return undefined;
}

export function podReady(pod: Pod): boolean {
  return isPodReady(pod);
}

/** Services in the pod's namespace whose selector matches its labels. */
export function servicesForPod(pod: Pod, services: Service[]): Service[] {
  return services.filter((s) => s.spec?.selector && Object.keys(s.spec.selector).length > 0 && selectorFromSpec({ matchLabels: s.spec.selector }).matches(pod.metadata.labels));
}

export const LAST_CHANGE_TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time";
