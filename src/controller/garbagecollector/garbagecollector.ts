// The garbage collector, after pkg/controller/garbagecollector: keeps an
// owner → dependents index from ownerReferences across the watched kinds and
// deletes dependents whose owners are gone (background), deletes dependents
// first for owners with the foregroundDeletion finalizer, and strips
// ownerReferences for owners with the orphan finalizer, then drops the finalizer.
// Leaves out: discovery of every resource (a fixed list of kinds is watched)
// and the absent-owner cache.

import { isNotFound } from "../../apimachinery/errors.ts";
import type { KObject, OwnerReference } from "../../apimachinery/meta.ts";
import { objectKey } from "../../apimachinery/meta.ts";
import { GVR, type GroupVersionResource } from "../../client/interface.ts";
import type { Informer } from "../../client/informer.ts";
import { type Controller, type ControllerContext, newQueue } from "../context.ts";

/** The kinds whose ownerReferences are followed (and which can be owners). */
const WATCHED: { kind: string; gvr: GroupVersionResource }[] = [
  { kind: "Pod", gvr: GVR.pods },
  { kind: "ReplicaSet", gvr: GVR.replicasets },
  { kind: "Deployment", gvr: GVR.deployments },
  { kind: "DaemonSet", gvr: GVR.daemonsets },
  { kind: "StatefulSet", gvr: GVR.statefulsets },
  { kind: "ControllerRevision", gvr: GVR.controllerrevisions },
  { kind: "Job", gvr: GVR.jobs },
  { kind: "CronJob", gvr: GVR.cronjobs },
  { kind: "EndpointSlice", gvr: GVR.endpointslices },
  { kind: "Service", gvr: GVR.services },
  { kind: "Endpoints", gvr: GVR.endpoints },
  { kind: "ConfigMap", gvr: GVR.configmaps },
  { kind: "Secret", gvr: GVR.secrets },
  { kind: "ServiceAccount", gvr: GVR.serviceaccounts },
  { kind: "Lease", gvr: GVR.leases },
  { kind: "Node", gvr: GVR.nodes },
];

const FOREGROUND = "foregroundDeletion";
const ORPHAN = "orphan";

function groupOf(apiVersion: string): string {
  return apiVersion.includes("/") ? apiVersion.split("/")[0]! : "";
}

export function startGarbageCollector(ctx: ControllerContext): Controller {
  const informers: Informer[] = WATCHED.map((w) => ctx.informers.for(w.gvr));
  /** uid → where the object lives: informer index and cache key. */
  const byUid = new Map<string, { i: number; key: string }>();
  /** owner uid → dependents, as "i|key". */
  const dependents = new Map<string, Set<string>>();
  const queue = newQueue(ctx, "garbagecollector", sync);

  const ref = (i: number, key: string) => `${i}|${key}`;
  const link = (obj: KObject, r: string, add: boolean) => {
    for (const o of obj.metadata.ownerReferences ?? []) {
      let set = dependents.get(o.uid);
      if (add) {
        if (!set) dependents.set(o.uid, (set = new Set()));
        set.add(r);
      } else {
        set?.delete(r);
        if (set?.size === 0) dependents.delete(o.uid);
      }
    }
  };
  const beingDeleted = (obj: KObject) =>
    !!obj.metadata.deletionTimestamp && (obj.metadata.finalizers ?? []).some((f) => f === FOREGROUND || f === ORPHAN);
  const enqueueOwnersInForeground = (obj: KObject) => {
    for (const o of obj.metadata.ownerReferences ?? []) {
      const at = byUid.get(o.uid);
      if (at) queue.add(`owner|${ref(at.i, at.key)}`);
    }
  };

  informers.forEach((inf, i) => {
    inf.addEventHandler({
      add(obj) {
        const key = objectKey(obj);
        byUid.set(obj.metadata.uid!, { i, key });
        link(obj, ref(i, key), true);
        // An object whose owner we have not seen may be an orphan already: verify.
        if ((obj.metadata.ownerReferences ?? []).some((o) => !byUid.has(o.uid))) queue.add(`attempt|${ref(i, key)}`);
        if (beingDeleted(obj)) queue.add(`owner|${ref(i, key)}`);
        // Dependents that arrived before their owner were queued: check them again.
        for (const d of dependents.get(obj.metadata.uid!) ?? []) queue.add(`attempt|${d}`);
      },
      update(old, obj) {
        // Only owner references, deletion and finalizers matter here; a status write keeps all three.
        const a = old.metadata;
        const b = obj.metadata;
        if (a.ownerReferences === b.ownerReferences && a.deletionTimestamp === b.deletionTimestamp && a.finalizers === b.finalizers) return;
        const key = objectKey(obj);
        link(old, ref(i, key), false);
        link(obj, ref(i, key), true);
        if (beingDeleted(obj)) queue.add(`owner|${ref(i, key)}`);
        // A dependent that changed (being deleted, refs changed) may unblock a foreground owner.
        enqueueOwnersInForeground(obj);
        enqueueOwnersInForeground(old);
      },
      delete(obj) {
        const key = objectKey(obj);
        const uid = obj.metadata.uid!;
        if (byUid.get(uid)?.key === key) byUid.delete(uid);
        link(obj, ref(i, key), false);
        for (const d of dependents.get(uid) ?? []) queue.add(`attempt|${d}`);
        enqueueOwnersInForeground(obj);
      },
    });
  });

  function lookup(r: string): { i: number; obj: KObject | undefined } {
    const bar = r.indexOf("|");
    const i = Number(r.slice(0, bar));
    return { i, obj: informers[i]!.get(r.slice(bar + 1)) };
  }

  /** The owner as the apiserver has it now, or undefined if it is gone (or replaced). */
  async function liveOwner(o: OwnerReference, ns: string | undefined): Promise<KObject | undefined | "unknown"> {
    const at = byUid.get(o.uid);
    if (at) {
      const cached = informers[at.i]!.get(at.key);
      if (cached && cached.metadata.uid === o.uid) return cached;
    }
    const w = WATCHED.find((x) => x.kind === o.kind && x.gvr.group === groupOf(o.apiVersion));
    if (!w) return "unknown";
    try {
      const live = await ctx.client.resource(w.gvr).get(o.name, ns);
      return live.metadata.uid === o.uid ? live : undefined;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async function attemptToDelete(i: number, item: KObject): Promise<void> {
    const refs = item.metadata.ownerReferences ?? [];
    if (refs.length === 0 || (item.metadata.deletionTimestamp && !beingDeleted(item))) return;
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const o of refs) {
      const owner = await liveOwner(o, item.metadata.namespace);
      if (owner === undefined) dangling.push(o);
      else if (owner !== "unknown" && o.blockOwnerDeletion && owner.metadata.deletionTimestamp && owner.metadata.finalizers?.includes(FOREGROUND)) waiting.push(o);
      else solid.push(o);
    }
    const client = ctx.client.resource(WATCHED[i]!.gvr);
    const { name, namespace, uid } = item.metadata;
    if (solid.length > 0) {
      if (dangling.length === 0 && waiting.length === 0) return;
      // Still owned by someone: drop the dead references, unblock waiting owners.
      const next = refs
        .filter((o) => !dangling.includes(o))
        .map((o) => (waiting.includes(o) ? { ...o, blockOwnerDeletion: false } : o));
      await client.patch(name!, namespace!, "application/merge-patch+json", { metadata: { ownerReferences: next, uid } });
      return;
    }
    if (item.metadata.deletionTimestamp) return;
    const hasDependents = (dependents.get(uid!)?.size ?? 0) > 0;
    let policy: "Background" | "Foreground" | "Orphan" = "Background";
    if (waiting.length > 0 && hasDependents) policy = "Foreground";
    else if (item.metadata.finalizers?.includes(ORPHAN)) policy = "Orphan";
    else if (item.metadata.finalizers?.includes(FOREGROUND)) policy = "Foreground";
    try {
      await client.delete(name!, namespace, { propagationPolicy: policy, preconditions: { uid } });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  async function removeFinalizer(i: number, owner: KObject, finalizer: string): Promise<void> {
    const client = ctx.client.resource(WATCHED[i]!.gvr);
    const live = await client.get(owner.metadata.name!, owner.metadata.namespace).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
    if (!live || live.metadata.uid !== owner.metadata.uid || !live.metadata.finalizers?.includes(finalizer)) return;
    live.metadata.finalizers = live.metadata.finalizers.filter((f) => f !== finalizer);
    await client.update(live);
  }

  async function processOwner(i: number, owner: KObject): Promise<void> {
    if (!owner.metadata.deletionTimestamp) return;
    const uid = owner.metadata.uid!;
    const deps = [...(dependents.get(uid) ?? [])].map(lookup).filter((d): d is { i: number; obj: KObject } => !!d.obj);
    if (owner.metadata.finalizers?.includes(ORPHAN)) {
      for (const d of deps) {
        const next = (d.obj.metadata.ownerReferences ?? []).filter((o) => o.uid !== uid);
        await ctx.client
          .resource(WATCHED[d.i]!.gvr)
          .patch(d.obj.metadata.name!, d.obj.metadata.namespace!, "application/merge-patch+json", { metadata: { ownerReferences: next.length ? next : null } })
          .catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
      }
      await removeFinalizer(i, owner, ORPHAN);
      return;
    }
    if (owner.metadata.finalizers?.includes(FOREGROUND)) {
      const blocking = deps.filter((d) => d.obj.metadata.ownerReferences?.some((o) => o.uid === uid && o.blockOwnerDeletion));
      if (blocking.length === 0) {
        await removeFinalizer(i, owner, FOREGROUND);
        return;
      }
      for (const d of blocking) if (!d.obj.metadata.deletionTimestamp) await attemptToDelete(d.i, d.obj);
    }
  }

  async function sync(key: string): Promise<void> {
    const [kind, r] = [key.slice(0, key.indexOf("|")), key.slice(key.indexOf("|") + 1)];
    const { i, obj } = lookup(r);
    if (!obj) return;
    if (kind === "attempt") await attemptToDelete(i, obj);
    else await processOwner(i, obj);
  }

  return { stop: () => queue.shutdown() };
}
