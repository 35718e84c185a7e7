// The namespace controller, after pkg/controller/namespace: a namespace being
// deleted (deletionTimestamp, spec.finalizers ["kubernetes"]) shows phase
// Terminating while everything in it is deleted; once nothing is left the
// "kubernetes" finalizer is removed through namespaces/<name>/finalize.
// A namespace the apiserver removed outright has its content cleaned too.
// Leaves out: the NamespaceDeletion* status conditions, discovery of resources
// (a fixed list of namespaced kinds is cleaned).

import { isNotFound, StatusError } from "../../apimachinery/errors.ts";
import type { KObject } from "../../apimachinery/meta.ts";
import { GVR, type GroupVersionResource } from "../../client/interface.ts";
import { type Controller, type ControllerContext, newQueue } from "../context.ts";
import type { Namespace } from "../types.ts";

/** Namespaced resources, deleted in this order (workloads before their pods and plumbing). */
const NAMESPACED: GroupVersionResource[] = [
  GVR.deployments,
  GVR.daemonsets,
  GVR.statefulsets,
  GVR.replicasets,
  GVR.cronjobs,
  GVR.jobs,
  GVR.pods,
  GVR.services,
  GVR.endpoints,
  GVR.endpointslices,
  GVR.configmaps,
  GVR.secrets,
  GVR.serviceaccounts,
  GVR.controllerrevisions,
  GVR.leases,
  { group: "", version: "v1", resource: "replicationcontrollers" },
  { group: "", version: "v1", resource: "persistentvolumeclaims" },
  { group: "", version: "v1", resource: "podtemplates" },
  { group: "", version: "v1", resource: "limitranges" },
  { group: "", version: "v1", resource: "resourcequotas" },
  { group: "networking.k8s.io", version: "v1", resource: "ingresses" },
  { group: "networking.k8s.io", version: "v1", resource: "networkpolicies" },
  { group: "policy", version: "v1", resource: "poddisruptionbudgets" },
  { group: "autoscaling", version: "v2", resource: "horizontalpodautoscalers" },
  { group: "rbac.authorization.k8s.io", version: "v1", resource: "rolebindings" },
  { group: "rbac.authorization.k8s.io", version: "v1", resource: "roles" },
  GVR.events,
];

/** How long to wait before looking again while pods finish terminating. */
const RECHECK_MS = 5_000;

export function startNamespaceController(ctx: ControllerContext): Controller {
  const nsInformer = ctx.informers.for<Namespace>(GVR.namespaces);
  const nsClient = ctx.client.resource<Namespace>(GVR.namespaces);
  /** Namespaces that vanished without going through Terminating: clean up once. */
  const vanished = new Set<string>();
  const queue = newQueue(ctx, "namespace", sync);

  nsInformer.addEventHandler({
    add: (ns) => {
      if (ns.metadata.deletionTimestamp) queue.add(ns.metadata.name!);
    },
    update: (_o, ns) => {
      if (ns.metadata.deletionTimestamp) queue.add(ns.metadata.name!);
    },
    delete: (ns) => {
      vanished.add(ns.metadata.name!);
      queue.add(ns.metadata.name!);
    },
  });

  /** Deletes everything in the namespace; returns how many objects remain. */
  async function deleteAllContent(ns: string): Promise<number> {
    let remaining = 0;
    for (const gvr of NAMESPACED) {
      const client = ctx.client.resource(gvr);
      let items: KObject[];
      try {
        items = (await client.list(ns)).items;
      } catch (e) {
        // A resource this apiserver does not serve has nothing to delete.
        if (e instanceof StatusError && (e.code === 404 || e.code === 405)) continue;
        throw e;
      }
      for (const item of items) {
        remaining++;
        if (item.metadata.deletionTimestamp) continue;
        await client.delete(item.metadata.name!, ns, { propagationPolicy: "Background" }).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
      }
      if (items.length > 0) {
        const left = (await client.list(ns)).items.length;
        remaining += left - items.length;
      }
    }
    return remaining;
  }

  async function sync(name: string): Promise<void> {
    const ns = nsInformer.get(name);
    if (!ns) {
      if (vanished.delete(name)) await deleteAllContent(name);
      return;
    }
    vanished.delete(name);
    if (!ns.metadata.deletionTimestamp) return;
    if (ns.status?.phase !== "Terminating") {
      await nsClient.update({ ...structuredClone(ns), status: { ...ns.status, phase: "Terminating" } }, { subresource: "status" });
    }
    const remaining = await deleteAllContent(name);
    if (remaining > 0) {
      // Pods go through graceful termination: their deletions also requeue us via the recheck.
      queue.addAfter(name, RECHECK_MS);
      return;
    }
    const latest = await nsClient.get(name).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
    if (!latest || !(latest.spec?.finalizers ?? []).includes("kubernetes")) return;
    await nsClient.update({ ...latest, spec: { ...latest.spec, finalizers: latest.spec!.finalizers!.filter((f) => f !== "kubernetes") } }, { subresource: "finalize" });
  }

  return { stop: () => queue.shutdown() };
}
