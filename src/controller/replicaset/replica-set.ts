// The ReplicaSet controller, after pkg/controller/replicaset/replica_set.go:
// keeps spec.replicas active pods that the ReplicaSet controls, creating them
// from the template in slow-start batches (1, 2, 4, …) and deleting the
// cheapest first, then writes status. Orphan pods that match are adopted.
// Leaves out: expectations (see controller-utils.ts) and ReplicationControllers.

import { selectorFromSpec } from "../../apimachinery/labels.ts";
import { objectKey } from "../../apimachinery/meta.ts";
import { isNotFound } from "../../apimachinery/errors.ts";
import { GVR } from "../../client/interface.ts";
import { type Controller, type ControllerContext, newQueue, newRecorder, splitKey } from "../context.ts";
import {
  canonicalJSON,
  controllerRef,
  getControllerOf,
  isPodActive,
  isPodAvailable,
  isPodReady,
  podFromTemplate,
  rankPodsForDeletion,
} from "../controller-utils.ts";
import type { Pod, ReplicaSet } from "../types.ts";

/** The most pods one sync creates or deletes (replicaset.BurstReplicas). */
const BURST_REPLICAS = 500;

/**
 * Runs fn count times in batches of 1, 2, 4, … and stops at the first batch
 * with a failure, so a quota or admission error costs one call, not hundreds
 * (controller.slowStartBatch). Returns how many succeeded.
 */
export async function slowStartBatch(count: number, fn: () => Promise<void>): Promise<{ ok: number; err?: unknown }> {
  let remaining = count;
  let ok = 0;
  for (let batch = Math.min(remaining, 1); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    ok += results.filter((r) => r.status === "fulfilled").length;
    if (failed) return { ok, err: failed.reason };
    remaining -= batch;
  }
  return { ok };
}

export function startReplicaSetController(ctx: ControllerContext): Controller {
  const rsInformer = ctx.informers.for<ReplicaSet>(GVR.replicasets);
  const podInformer = ctx.informers.for<Pod>(GVR.pods);
  const recorder = newRecorder(ctx, "replicaset-controller");
  const rsClient = ctx.client.resource<ReplicaSet>(GVR.replicasets);
  const podClient = ctx.client.resource<Pod>(GVR.pods);

  const queue = newQueue(ctx, "replicaset", sync);

  // What a sync reads about pods, kept up to date from pod events rather than
  // recounted over every pod in the namespace per sync: a Deployment of
  // 100,000 replicas is synced thousands of times while its pods start.
  // Pods by controlling ReplicaSet (namespace/uid), and orphans by namespace.
  const OWNED = "replicaset-controller/owner";
  const ORPHANS = "replicaset-controller/orphans";
  const ownerKey = (pod: Pod): string | undefined => {
    const ref = getControllerOf(pod);
    return ref?.kind === "ReplicaSet" ? `${pod.metadata.namespace}/${ref.uid}` : undefined;
  };
  podInformer.addIndexer(OWNED, (p) => {
    const k = ownerKey(p);
    return k ? [k] : [];
  });
  podInformer.addIndexer(ORPHANS, (p) => (getControllerOf(p) || p.metadata.deletionTimestamp || !isPodActive(p) ? [] : [p.metadata.namespace!]));
  /** Per owner: active pods, the ready ones, and active pods grouped by their labels (for fullyLabeledReplicas). */
  interface OwnedCounts {
    active: number;
    ready: number;
    labels: Map<string, { labels: Record<string, string> | undefined; n: number }>;
  }
  const counts = new Map<string, OwnedCounts>();
  // Label sets by object: a pod's versions share their labels object until the labels change.
  const labelKeys = new WeakMap<Record<string, string>, string>();
  const labelKey = (labels: Record<string, string> | undefined) => {
    if (!labels) return "{}";
    let k = labelKeys.get(labels);
    if (k === undefined) labelKeys.set(labels, (k = canonicalJSON(labels)));
    return k;
  };
  const count = (pod: Pod, sign: 1 | -1) => {
    const k = ownerKey(pod);
    if (!k || !isPodActive(pod)) return;
    let c = counts.get(k);
    if (!c) counts.set(k, (c = { active: 0, ready: 0, labels: new Map() }));
    c.active += sign;
    if (isPodReady(pod)) c.ready += sign;
    const lk = labelKey(pod.metadata.labels);
    const g = c.labels.get(lk) ?? { labels: pod.metadata.labels, n: 0 };
    g.n += sign;
    if (g.n === 0) c.labels.delete(lk);
    else c.labels.set(lk, g);
    if (c.active === 0) counts.delete(k);
  };
  podInformer.addEventHandler({
    add: (p) => count(p, 1),
    update: (old, p) => {
      count(old, -1);
      count(p, 1);
    },
    delete: (p) => count(p, -1),
  });
  const ownedPods = (rs: ReplicaSet): Pod[] => podInformer.byIndex(OWNED, `${rs.metadata.namespace}/${rs.metadata.uid}`);

  /** The ReplicaSets whose pods these are: the controller, or any selecting an orphan. */
  const enqueueForPod = (pod: Pod) => {
    const ref = getControllerOf(pod);
    if (ref) {
      if (ref.kind !== "ReplicaSet") return;
      const rs = rsInformer.get(`${pod.metadata.namespace}/${ref.name}`);
      if (rs && rs.metadata.uid === ref.uid) queue.add(objectKey(rs));
      return;
    }
    if (pod.metadata.deletionTimestamp) return;
    for (const rs of rsInformer.list(pod.metadata.namespace)) {
      if (selectorFromSpec(rs.spec.selector).matches(pod.metadata.labels)) queue.add(objectKey(rs));
    }
  };

  rsInformer.addEventHandler({
    add: (rs) => queue.add(objectKey(rs)),
    update: (_o, rs) => queue.add(objectKey(rs)),
    delete: (rs) => queue.add(objectKey(rs)),
  });
  podInformer.addEventHandler({
    add: enqueueForPod,
    update: (old, pod) => {
      enqueueForPod(pod);
      // A pod whose controller changed: the old owner lost a pod.
      if (getControllerOf(old)?.uid !== getControllerOf(pod)?.uid) enqueueForPod(old);
    },
    delete: enqueueForPod,
  });

  async function adoptOrphans(rs: ReplicaSet): Promise<void> {
    if (rs.metadata.deletionTimestamp) return;
    const sel = selectorFromSpec(rs.spec.selector);
    if (sel.empty) return;
    for (const pod of podInformer.byIndex(ORPHANS, rs.metadata.namespace!)) {
      if (!sel.matches(pod.metadata.labels)) continue;
      const refs = [...(pod.metadata.ownerReferences ?? []), controllerRef(rs)];
      await podClient.patch(pod.metadata.name!, pod.metadata.namespace!, "application/merge-patch+json", {
        metadata: { ownerReferences: refs, uid: pod.metadata.uid },
      });
    }
  }

  async function sync(key: string): Promise<void> {
    const [ns, name] = splitKey(key);
    const rs = rsInformer.get(key);
    if (!rs) return;
    await adoptOrphans(rs);
    let manageErr: unknown;
    if (!rs.metadata.deletionTimestamp) {
      const want = rs.spec.replicas ?? 1;
      const diff = (counts.get(`${ns}/${rs.metadata.uid}`)?.active ?? 0) - want;
      if (diff < 0) {
        const n = Math.min(-diff, BURST_REPLICAS);
        const res = await slowStartBatch(n, async () => {
          try {
            const pod = await podClient.create(podFromTemplate(rs.spec.template, rs), ns);
            recorder.event(rs, "Normal", "SuccessfulCreate", `Created pod: ${pod.metadata.name}`);
          } catch (e) {
            recorder.event(rs, "Warning", "FailedCreate", `Error creating: ${e instanceof Error ? e.message : String(e)}`);
            throw e;
          }
        });
        manageErr = res.err;
      } else if (diff > 0) {
        const active = ownedPods(rs).filter(isPodActive);
        const victims = rankPodsForDeletion(active, active).slice(0, Math.min(diff, BURST_REPLICAS));
        const results = await Promise.allSettled(
          victims.map(async (pod) => {
            try {
              await podClient.delete(pod.metadata.name!, ns);
              recorder.event(rs, "Normal", "SuccessfulDelete", `Deleted pod: ${pod.metadata.name}`);
            } catch (e) {
              if (isNotFound(e)) return;
              recorder.event(rs, "Warning", "FailedDelete", `Error deleting: ${e instanceof Error ? e.message : String(e)}`);
              throw e;
            }
          }),
        );
        manageErr = results.find((r): r is PromiseRejectedResult => r.status === "rejected")?.reason;
      }
    }
    await updateStatus(key, name);
    if (manageErr) throw manageErr;
  }

  async function updateStatus(key: string, name: string): Promise<void> {
    const rs = rsInformer.get(key);
    if (!rs) return;
    const now = ctx.clock.now();
    const minReady = rs.spec.minReadySeconds ?? 0;
    const c = counts.get(`${rs.metadata.namespace}/${rs.metadata.uid}`);
    const templateLabels = selectorFromSpec({ matchLabels: rs.spec.template.metadata?.labels ?? {} });
    let fullyLabeled = 0;
    for (const g of c?.labels.values() ?? []) if (templateLabels.matches(g.labels)) fullyLabeled += g.n;
    // Available is ready for minReadySeconds: only then does it need each pod's condition time.
    const available = minReady > 0 ? ownedPods(rs).filter((p) => isPodActive(p) && isPodAvailable(p, minReady, now)).length : (c?.ready ?? 0);
    const status: NonNullable<ReplicaSet["status"]> = {
      replicas: c?.active ?? 0,
      fullyLabeledReplicas: fullyLabeled,
      readyReplicas: c?.ready ?? 0,
      availableReplicas: available,
      observedGeneration: rs.metadata.generation,
      ...(rs.status?.conditions ? { conditions: rs.status.conditions } : {}),
    };
    // The apiserver omits zero counts; compare in the same shape.
    for (const k of ["fullyLabeledReplicas", "readyReplicas", "availableReplicas"] as const) if (!status[k]) delete status[k];
    if (canonicalJSON(status) !== canonicalJSON(rs.status ?? {})) {
      await rsClient.update({ ...rs, status }, { subresource: "status" });
    }
    // Pods ready but not yet available become available by the clock alone.
    if (minReady > 0 && (status.readyReplicas ?? 0) > (status.availableReplicas ?? 0)) queue.addAfter(key, minReady * 1000);
    void name;
  }

  return { stop: () => queue.shutdown() };
}
