// The Endpoints controller, after pkg/controller/endpoint/endpoints_controller.go:
// for every Service with a selector, an Endpoints object of the same name
// listing ready pods under addresses and the rest under notReadyAddresses,
// with the ports resolved per pod. Services without a selector (such as
// `kubernetes`, whose endpoints the apiserver writes) are left alone.
// Leaves out: the 1000-address truncation annotation.

import { isAlreadyExists, isNotFound } from "../../apimachinery/errors.ts";
import { objectKey, rfc3339 } from "../../apimachinery/meta.ts";
import { GVR } from "../../client/interface.ts";
import { type Controller, type ControllerContext, newQueue, splitKey } from "../context.ts";
import { canonicalJSON } from "../controller-utils.ts";
import type { EndpointAddress, EndpointPort, Endpoints, EndpointSubset, Pod, Service } from "../types.ts";
import { findPort, LAST_CHANGE_TRIGGER_TIME, podReady, podsForService, servicesForPod } from "../util/endpoint.ts";

export function startEndpointsController(ctx: ControllerContext): Controller {
  const svcInformer = ctx.informers.for<Service>(GVR.services);
  const podInformer = ctx.informers.for<Pod>(GVR.pods);
  const epInformer = ctx.informers.for<Endpoints>(GVR.endpoints);
  const epClient = ctx.client.resource<Endpoints>(GVR.endpoints);
  const queue = newQueue(ctx, "endpoint", sync);

  const enqueueForPod = (pod: Pod) => {
    for (const s of servicesForPod(pod, svcInformer.list(pod.metadata.namespace))) queue.add(objectKey(s));
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
  // Someone editing or deleting our Endpoints gets them put back.
  epInformer.addEventHandler({ update: (_o, e) => queue.add(objectKey(e)), delete: (e) => queue.add(objectKey(e)) });

  async function sync(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const svc = svcInformer.get(key);
    const existing = epInformer.get(key);
    if (!svc) {
      // The Service is gone: its Endpoints go too (unless the apiserver owns them).
      if (existing && name !== "kubernetes") await epClient.delete(name, ns).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
      return;
    }
    if (!svc.spec?.selector || Object.keys(svc.spec.selector).length === 0) return;

    const byPorts = new Map<string, EndpointSubset>();
    for (const pod of podsForService(svc, podInformer.list(ns))) {
      if (pod.metadata.deletionTimestamp && !svc.spec.publishNotReadyAddresses) continue;
      const ports: EndpointPort[] = [];
      for (const sp of svc.spec.ports ?? []) {
        const port = findPort(pod, sp);
        if (port === undefined) continue;
        ports.push({ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? "TCP", ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
      }
      if ((svc.spec.ports ?? []).length > 0 && ports.length === 0) continue;
      const addr: EndpointAddress = {
        ip: pod.status!.podIP!,
        ...(pod.spec.hostname && pod.spec.subdomain === svc.metadata.name ? { hostname: pod.spec.hostname } : {}),
        ...(pod.spec.nodeName ? { nodeName: pod.spec.nodeName } : {}),
        targetRef: { kind: "Pod", namespace: pod.metadata.namespace, name: pod.metadata.name!, uid: pod.metadata.uid },
      };
      // RepackSubsets: pods exposing the same ports share a subset.
      const k = canonicalJSON(ports);
      let subset = byPorts.get(k);
      if (!subset) byPorts.set(k, (subset = { ...(ports.length ? { ports } : {}) }));
      const ready = podReady(pod) || !!svc.spec.publishNotReadyAddresses;
      (ready ? (subset.addresses ??= []) : (subset.notReadyAddresses ??= [])).push(addr);
    }
    const subsets = [...byPorts.values()].map((s) => {
      const byIp = (a: EndpointAddress, b: EndpointAddress) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0);
      return { ...(s.addresses ? { addresses: s.addresses.sort(byIp) } : {}), ...(s.notReadyAddresses ? { notReadyAddresses: s.notReadyAddresses.sort(byIp) } : {}), ...(s.ports ? { ports: s.ports } : {}) };
    });
    const labels = { ...(svc.metadata.labels ?? {}), ...(svc.spec.clusterIP === "None" ? { "service.kubernetes.io/headless": "" } : {}) };
    if (existing && canonicalJSON(existing.subsets ?? []) === canonicalJSON(subsets) && canonicalJSON(existing.metadata.labels ?? {}) === canonicalJSON(labels)) return;
    const annotations = { ...(existing?.metadata.annotations ?? {}), [LAST_CHANGE_TRIGGER_TIME]: rfc3339(ctx.clock.now()) };
    const body: Endpoints = {
      apiVersion: "v1",
      kind: "Endpoints",
      metadata: { ...(existing?.metadata ?? {}), name, namespace: ns, labels, annotations },
      ...(subsets.length ? { subsets } : {}),
    };
    if (existing) await epClient.update(body);
    else await epClient.create(body, ns).catch((e) => (isAlreadyExists(e) ? Promise.reject(new Error("endpoints created concurrently; retrying")) : Promise.reject(e)));
  }

  return { stop: () => queue.shutdown() };
}
