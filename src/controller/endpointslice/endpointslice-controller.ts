// The EndpointSlice controller, after pkg/controller/endpointslice: for every
// Service with a selector, an IPv4 EndpointSlice `<svc>-<5 random>` owned by
// the Service and labelled kubernetes.io/service-name and
// endpointslice.kubernetes.io/managed-by, listing each pod with its
// ready/serving/terminating conditions.
// Leaves out: splitting at 100 endpoints, topology hints, IPv6, mirroring.

import { isNotFound } from "../../apimachinery/errors.ts";
import { objectKey, rfc3339 } from "../../apimachinery/meta.ts";
import { GVR } from "../../client/interface.ts";
import { type Controller, type ControllerContext, newQueue, splitKey } from "../context.ts";
import { canonicalJSON, controllerRef, getControllerOf } from "../controller-utils.ts";
import type { EndpointPort, EndpointSlice, Pod, Service } from "../types.ts";
import { findPort, LAST_CHANGE_TRIGGER_TIME, podReady, podsForService, servicesForPod } from "../util/endpoint.ts";

export const SERVICE_NAME_LABEL = "kubernetes.io/service-name";
export const MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
export const CONTROLLER_NAME = "endpointslice-controller.k8s.io";

export function startEndpointSliceController(ctx: ControllerContext): Controller {
  const svcInformer = ctx.informers.for<Service>(GVR.services);
  const podInformer = ctx.informers.for<Pod>(GVR.pods);
  const sliceInformer = ctx.informers.for<EndpointSlice>(GVR.endpointslices);
  const sliceClient = ctx.client.resource<EndpointSlice>(GVR.endpointslices);
  const queue = newQueue(ctx, "endpointslice", sync);

  const enqueueForPod = (pod: Pod) => {
    for (const s of servicesForPod(pod, svcInformer.list(pod.metadata.namespace))) queue.add(objectKey(s));
  };
  const enqueueForSlice = (s: EndpointSlice) => {
    const svc = s.metadata.labels?.[SERVICE_NAME_LABEL];
    if (svc && s.metadata.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME) queue.add(`${s.metadata.namespace}/${svc}`);
  };
  svcInformer.addEventHandler({ add: (s) => queue.add(objectKey(s)), update: (_o, s) => queue.add(objectKey(s)), delete: (s) => queue.add(objectKey(s)) });
  podInformer.addEventHandler({
    add: enqueueForPod,
    update: (o, p) => {
      enqueueForPod(p);
      enqueueForPod(o);
    },
    delete: enqueueForPod,
  });
  sliceInformer.addEventHandler({ update: (_o, s) => enqueueForSlice(s), delete: enqueueForSlice });

  async function sync(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const svc = svcInformer.get(key);
    const mine = sliceInformer
      .list(ns)
      .filter((s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === name && s.metadata.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME);
    // A deleted Service's slices are garbage-collected through their ownerReference.
    if (!svc || !svc.spec?.selector || Object.keys(svc.spec.selector).length === 0) return;
    const owned = mine.filter((s) => getControllerOf(s)?.uid === svc.metadata.uid);

    const ports: EndpointPort[] = (svc.spec.ports ?? []).map((sp) => ({ name: sp.name ?? "", port: 0, protocol: sp.protocol ?? "TCP", ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) }));
    const endpoints: EndpointSlice["endpoints"] = [];
    for (const pod of podsForService(svc, podInformer.list(ns))) {
      const resolved = (svc.spec.ports ?? []).map((sp) => findPort(pod, sp));
      if (resolved.some((p) => p === undefined)) continue;
      resolved.forEach((p, i) => {
        if (ports[i]!.port === 0) ports[i]!.port = p!;
      });
      const ready = podReady(pod);
      const terminating = !!pod.metadata.deletionTimestamp;
      endpoints.push({
        addresses: [pod.status!.podIP!],
        conditions: { ready: ready && !terminating, serving: ready, terminating },
        ...(pod.spec.hostname && pod.spec.subdomain === svc.metadata.name ? { hostname: pod.spec.hostname } : {}),
        ...(pod.spec.nodeName ? { nodeName: pod.spec.nodeName } : {}),
        targetRef: { kind: "Pod", namespace: ns, name: pod.metadata.name!, uid: pod.metadata.uid },
      });
    }
    // With no endpoints the placeholder slice has no ports, as upstream's does.
    const slicePorts = endpoints.length ? ports.filter((p) => p.port !== 0) : null;
    const labels = {
      ...(svc.metadata.labels ?? {}),
      [SERVICE_NAME_LABEL]: name,
      [MANAGED_BY_LABEL]: CONTROLLER_NAME,
      ...(svc.spec.clusterIP === "None" ? { "service.kubernetes.io/headless": "" } : {}),
    };
    const [keep, ...extra] = owned;
    for (const s of extra) await sliceClient.delete(s.metadata.name!, ns).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
    if (keep && canonicalJSON([keep.endpoints, keep.ports ?? null, keep.metadata.labels]) === canonicalJSON([endpoints, slicePorts, labels])) return;
    const body: EndpointSlice = {
      apiVersion: "discovery.k8s.io/v1",
      kind: "EndpointSlice",
      metadata: {
        ...(keep?.metadata ?? { generateName: `${name}-`, namespace: ns, ownerReferences: [controllerRef(svc)] }),
        labels,
        annotations: { ...(keep?.metadata.annotations ?? {}), [LAST_CHANGE_TRIGGER_TIME]: rfc3339(ctx.clock.now()) },
      },
      addressType: "IPv4",
      endpoints,
      ports: slicePorts,
    };
    if (keep) await sliceClient.update(body);
    else await sliceClient.create(body, ns);
  }

  return { stop: () => queue.shutdown() };
}
