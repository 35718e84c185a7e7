// The ResourceQuota controller, after pkg/controller/resourcequota/resource_quota_controller.go:
// writes status.hard (a copy of spec.hard) and status.used (what the objects
// in the namespace use now) for every quota. It recounts when a quota changes,
// when a counted object in its namespace comes, changes or goes (replenishment),
// and every five minutes (--resource-quota-sync-period) to undo charges admission
// made for creates that then failed.
// Leaves out: quota for kinds outside the table below (their count stays 0).

import type { KObject } from "../../apimachinery/meta.ts";
import { objectKey } from "../../apimachinery/meta.ts";
import { addQuantity, formatQuantity, type Quantity } from "../../apimachinery/quantity.ts";
import type { Informer } from "../../client/informer.ts";
import { GVR, type GroupVersionResource } from "../../client/interface.ts";
import { type Controller, type ControllerContext, newQueue } from "../context.ts";
import { canonicalJSON } from "../controller-utils.ts";
import { type Evaluator, evaluatorFor, quotaMatches, type ResourceQuota } from "./evaluator.ts";

const RESOURCEQUOTAS: GroupVersionResource = { group: "", version: "v1", resource: "resourcequotas" };
const PVCS: GroupVersionResource = { group: "", version: "v1", resource: "persistentvolumeclaims" };
const RCS: GroupVersionResource = { group: "", version: "v1", resource: "replicationcontrollers" };

/** The kinds quota counts here; upstream discovers every served resource. */
const COUNTED: GroupVersionResource[] = [
  GVR.pods,
  GVR.services,
  GVR.configmaps,
  GVR.secrets,
  PVCS,
  RCS,
  RESOURCEQUOTAS,
  GVR.deployments,
  GVR.replicasets,
  GVR.statefulsets,
  GVR.daemonsets,
  GVR.jobs,
  GVR.cronjobs,
];

/** --resource-quota-sync-period. */
const FULL_RESYNC_MS = 5 * 60 * 1000;

export function startResourceQuotaController(ctx: ControllerContext): Controller {
  const quotaInformer = ctx.informers.for<ResourceQuota>(RESOURCEQUOTAS);
  const quotaClient = ctx.client.resource<ResourceQuota>(RESOURCEQUOTAS);
  const counted = COUNTED.map((gvr) => ({ ev: evaluatorFor(gvr), informer: ctx.informers.for<KObject>(gvr) }));
  const queue = newQueue(ctx, "resourcequota", sync);

  const enqueueNamespace = (obj: KObject) => {
    for (const q of quotaInformer.list(obj.metadata.namespace)) queue.add(objectKey(q));
  };
  quotaInformer.addEventHandler({
    add: (q) => queue.add(objectKey(q)),
    update: (o, q) => {
      // Our own status writes come back here: only a spec change needs a recount.
      if (canonicalJSON(o.spec) !== canonicalJSON(q.spec) || canonicalJSON(q.spec?.hard) !== canonicalJSON(q.status?.hard)) queue.add(objectKey(q));
    },
  });
  for (const { ev, informer } of counted) {
    const usageText = (o: KObject) => canonicalJSON([...ev.usage(o)].map(([k, q]) => [k, q.milli]));
    informer.addEventHandler({
      add: enqueueNamespace,
      // Only a change in what the object uses (a pod finishing) needs a recount; a quota's own status write does not.
      update: (o, n) => {
        // Without a quota in the namespace there is nothing to recount (the usual case for a pod's status writes).
        if (quotaInformer.list(n.metadata.namespace).length === 0) return;
        if (usageText(o) !== usageText(n)) enqueueNamespace(n);
      },
      delete: enqueueNamespace,
    });
  }

  /** What every object of one kind in ns uses, masked to the quota's resources. */
  function usageOf(ev: Evaluator, informer: Informer<KObject>, quota: ResourceQuota, names: string[], into: Map<string, Quantity>): void {
    const matching = ev.matchingResources(names);
    if (matching.length === 0) return;
    for (const obj of informer.list(quota.metadata.namespace)) {
      if (!quotaMatches(ev, quota, names, obj)) continue;
      for (const [k, v] of ev.usage(obj)) {
        if (!matching.includes(k)) continue;
        const cur = into.get(k);
        into.set(k, cur ? addQuantity(cur, v) : v);
      }
    }
  }

  async function sync(key: string): Promise<void> {
    const quota = quotaInformer.get(key);
    if (!quota || quota.metadata.deletionTimestamp) return;
    const hard = quota.spec?.hard ?? {};
    const names = Object.keys(hard);
    const used = new Map<string, Quantity>();
    for (const { ev, informer } of counted) usageOf(ev, informer, quota, names, used);
    const usedOut: Record<string, string> = {};
    for (const n of names) usedOut[n] = used.has(n) ? formatQuantity(used.get(n)!) : "0";
    const status = { hard: { ...hard }, used: usedOut };
    if (canonicalJSON(status) !== canonicalJSON(quota.status ?? {})) {
      await quotaClient.update({ ...quota, status }, { subresource: "status" });
    }
    queue.addAfter(key, FULL_RESYNC_MS);
  }

  return { stop: () => queue.shutdown() };
}
