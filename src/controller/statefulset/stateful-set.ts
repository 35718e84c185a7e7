// The StatefulSet controller, after pkg/controller/statefulset
// (stateful_set_control.go, stateful_set_utils.go): pods with stable names
// <set>-0, <set>-1…, hostname and subdomain from serviceName, one PVC per
// volumeClaimTemplate and ordinal; OrderedReady creates the next ordinal only
// once the previous is Running and Ready and removes the highest first,
// Parallel does all at once; a ControllerRevision per template, and
// RollingUpdate replaces pods from the highest ordinal down to the partition.
// Leaves out: PVC retention policies (claims are kept), maxUnavailable,
// spec.ordinals.start, OnDelete history bookkeeping and revision cleanup.

import { isAlreadyExists, isNotFound } from "../../apimachinery/errors.ts";
import { objectKey } from "../../apimachinery/meta.ts";
import type { StatefulSet } from "../../api/apps/v1.ts";
import type { PersistentVolumeClaim } from "../../api/core/v1.ts";
import { GVR, type GroupVersionResource } from "../../client/interface.ts";
import { type Controller, type ControllerContext, newQueue, newRecorder } from "../context.ts";
import { canonicalJSON, computeHash, controllerRef, getControllerOf, isPodAvailable, isPodReady } from "../controller-utils.ts";
import type { ControllerRevision, Pod, PodTemplateSpec } from "../types.ts";

const PVCS: GroupVersionResource = { group: "", version: "v1", resource: "persistentvolumeclaims" };
export const POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
export const POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
const REVISION_LABEL = "controller-revision-hash";

/** getOrdinal: the number after the last dash, when the name is <set>-<n>. */
function ordinalOf(set: StatefulSet, pod: Pod): number {
  const name = pod.metadata.name ?? "";
  const prefix = `${set.metadata.name}-`;
  if (!name.startsWith(prefix)) return -1;
  const rest = name.slice(prefix.length);
  return /^\d+$/.test(rest) ? Number(rest) : -1;
}

function isRunningAndReady(pod: Pod): boolean {
  return pod.status?.phase === "Running" && isPodReady(pod);
}

function isTerminating(pod: Pod): boolean {
  return !!pod.metadata.deletionTimestamp;
}

function isFailed(pod: Pod): boolean {
  return pod.status?.phase === "Failed";
}

function matchLabels(set: StatefulSet): Record<string, string> {
  return { ...(set.spec.selector.matchLabels ?? {}) };
}

export function startStatefulSetController(ctx: ControllerContext): Controller {
  const setInformer = ctx.informers.for<StatefulSet>(GVR.statefulsets);
  const podInformer = ctx.informers.for<Pod>(GVR.pods);
  const revInformer = ctx.informers.for<ControllerRevision>(GVR.controllerrevisions);
  const pvcInformer = ctx.informers.for<PersistentVolumeClaim>(PVCS);
  const recorder = newRecorder(ctx, "statefulset-controller");
  const setClient = ctx.client.resource<StatefulSet>(GVR.statefulsets);
  const podClient = ctx.client.resource<Pod>(GVR.pods);
  const pvcClient = ctx.client.resource<PersistentVolumeClaim>(PVCS);
  const revClient = ctx.client.resource<ControllerRevision>(GVR.controllerrevisions);
  const queue = newQueue(ctx, "statefulset", sync);

  const enqueueOwner = (pod: Pod) => {
    const ref = getControllerOf(pod);
    if (ref?.kind === "StatefulSet") queue.add(`${pod.metadata.namespace}/${ref.name}`);
  };
  setInformer.addEventHandler({ add: (s) => queue.add(objectKey(s)), update: (_o, s) => queue.add(objectKey(s)) });
  podInformer.addEventHandler({ add: enqueueOwner, update: (_o, p) => enqueueOwner(p), delete: enqueueOwner });

  /** The revision for the current template, created if missing. */
  async function updateRevisionFor(set: StatefulSet): Promise<ControllerRevision> {
    const template = set.spec.template as PodTemplateSpec;
    // getStatefulSetRevisions hashes with a collision count that is never nil (0 to start).
    const hash = computeHash(template, set.status?.collisionCount ?? 0);
    const name = `${set.metadata.name}-${hash}`;
    const existing = revInformer.get(`${set.metadata.namespace}/${name}`);
    if (existing) return existing;
    const owned = revInformer.list(set.metadata.namespace).filter((r) => getControllerOf(r)?.uid === set.metadata.uid);
    const rev: ControllerRevision = {
      apiVersion: "apps/v1",
      kind: "ControllerRevision",
      metadata: { name, namespace: set.metadata.namespace, labels: { ...matchLabels(set), [REVISION_LABEL]: hash }, ownerReferences: [controllerRef(set)] },
      data: { spec: { template: { ...structuredClone(template), $patch: "replace" } } },
      revision: owned.reduce((m, r) => Math.max(m, r.revision), 0) + 1,
    };
    try {
      return await revClient.create(rev, set.metadata.namespace);
    } catch (e) {
      if (isAlreadyExists(e)) return revInformer.get(`${set.metadata.namespace}/${name}`) ?? rev;
      throw e;
    }
  }

  /** The template a revision recorded. */
  function templateOf(rev: ControllerRevision | undefined, fallback: PodTemplateSpec): PodTemplateSpec {
    const t = (rev?.data as { spec?: { template?: PodTemplateSpec & { $patch?: string } } } | undefined)?.spec?.template;
    if (!t) return fallback;
    const { $patch: _p, ...rest } = t;
    return rest as PodTemplateSpec;
  }

  /** newVersionedStatefulSetPod: identity, storage and revision label. */
  function newPod(set: StatefulSet, ordinal: number, template: PodTemplateSpec, revision: string): Pod {
    const name = `${set.metadata.name}-${ordinal}`;
    const spec = structuredClone(template.spec);
    spec.hostname = name;
    if (set.spec.serviceName) spec.subdomain = set.spec.serviceName;
    const volumes = ((spec.volumes as { name: string }[] | undefined) ?? []).filter((v) => !(set.spec.volumeClaimTemplates ?? []).some((c) => c.metadata.name === v.name));
    for (const c of set.spec.volumeClaimTemplates ?? []) volumes.push({ name: c.metadata.name!, persistentVolumeClaim: { claimName: `${c.metadata.name}-${name}` } } as { name: string });
    if (volumes.length) spec.volumes = volumes;
    return {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name,
        namespace: set.metadata.namespace,
        labels: { ...template.metadata?.labels, [REVISION_LABEL]: revision, [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal) },
        ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
        ownerReferences: [controllerRef(set)],
      },
      spec,
    };
  }

  /** createPersistentVolumeClaims: the pod's claims that do not exist yet. */
  async function createClaims(set: StatefulSet, pod: Pod): Promise<void> {
    const ordinal = ordinalOf(set, pod);
    for (const tmpl of set.spec.volumeClaimTemplates ?? []) {
      const name = `${tmpl.metadata.name}-${set.metadata.name}-${ordinal}`;
      if (pvcInformer.get(`${set.metadata.namespace}/${name}`)) continue;
      const claim: PersistentVolumeClaim = {
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        metadata: { name, namespace: set.metadata.namespace, labels: { ...tmpl.metadata.labels, ...matchLabels(set) }, ...(tmpl.metadata.annotations ? { annotations: { ...tmpl.metadata.annotations } } : {}) },
        spec: structuredClone(tmpl.spec ?? {}),
      };
      try {
        await pvcClient.create(claim, set.metadata.namespace);
        recorder.event(set, "Normal", "SuccessfulCreate", `create Claim ${name} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} success`);
      } catch (e) {
        if (isAlreadyExists(e)) continue;
        recorder.event(set, "Warning", "FailedCreate", `create Claim ${name} for Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${e instanceof Error ? e.message : String(e)}`);
        throw e;
      }
    }
  }

  async function createPod(set: StatefulSet, pod: Pod): Promise<void> {
    await createClaims(set, pod);
    try {
      await podClient.create(pod, set.metadata.namespace);
      recorder.event(set, "Normal", "SuccessfulCreate", `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
    } catch (e) {
      if (isAlreadyExists(e)) return;
      recorder.event(set, "Warning", "FailedCreate", `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
  }

  async function deletePod(set: StatefulSet, pod: Pod): Promise<void> {
    try {
      await podClient.delete(pod.metadata.name!, pod.metadata.namespace);
      recorder.event(set, "Normal", "SuccessfulDelete", `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
    } catch (e) {
      if (isNotFound(e)) return;
      recorder.event(set, "Warning", "FailedDelete", `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
  }

  async function sync(key: string): Promise<void> {
    const set = setInformer.get(key);
    if (!set || set.metadata.deletionTimestamp) return;
    const updateRev = await updateRevisionFor(set);
    const currentName = set.status?.currentRevision ?? updateRev.metadata.name!;
    const currentRev = revInformer.get(`${set.metadata.namespace}/${currentName}`) ?? updateRev;
    const template = set.spec.template as PodTemplateSpec;
    const replicas = set.spec.replicas ?? 1;
    const partition = set.spec.updateStrategy?.type === "RollingUpdate" || set.spec.updateStrategy?.type === undefined ? (set.spec.updateStrategy?.rollingUpdate?.partition ?? 0) : replicas;
    const parallel = set.spec.podManagementPolicy === "Parallel";
    const pods = podInformer.list(set.metadata.namespace).filter((p) => getControllerOf(p)?.uid === set.metadata.uid && ordinalOf(set, p) >= 0);
    const byOrdinal = new Map(pods.map((p) => [ordinalOf(set, p), p]));

    /** The revision a pod at this ordinal should have: the update revision at or above the partition. */
    const revisionFor = (ordinal: number) => (ordinal >= partition || set.spec.updateStrategy?.type === "OnDelete" ? updateRev : currentRev);
    const podFor = (ordinal: number) => {
      const rev = set.spec.updateStrategy?.type === "OnDelete" ? updateRev : revisionFor(ordinal);
      return newPod(set, ordinal, rev === updateRev ? template : templateOf(rev, template), rev.metadata.name!);
    };

    // Replicas: create missing, replace failed; OrderedReady waits for each to be Running and Ready.
    let blocked = false;
    for (let i = 0; i < replicas && !blocked; i++) {
      const pod = byOrdinal.get(i);
      if (!pod) {
        const p = podFor(i);
        await createPod(set, p);
        if (!parallel) blocked = true;
        continue;
      }
      if (isFailed(pod) && !isTerminating(pod)) {
        await deletePod(set, pod);
        if (!parallel) blocked = true;
        continue;
      }
      if (!parallel && (isTerminating(pod) || !isRunningAndReady(pod))) blocked = true;
    }

    // Condemned ordinals: highest first; OrderedReady one at a time, once the rest is healthy.
    const condemned = pods.filter((p) => ordinalOf(set, p) >= replicas).sort((a, b) => ordinalOf(set, b) - ordinalOf(set, a));
    if (!blocked) {
      for (const pod of condemned) {
        if (isTerminating(pod)) {
          if (!parallel) break;
          continue;
        }
        await deletePod(set, pod);
        if (!parallel) {
          blocked = true;
          break;
        }
      }
    }

    // RollingUpdate: once every replica is healthy, replace the highest pod on an old revision.
    if (!blocked && condemned.length === 0 && set.spec.updateStrategy?.type !== "OnDelete") {
      const live = [...byOrdinal.entries()].filter(([o]) => o < replicas).sort(([a], [b]) => b - a);
      if (live.length === replicas && live.every(([, p]) => isRunningAndReady(p) && !isTerminating(p))) {
        const stale = live.find(([o, p]) => o >= partition && p.metadata.labels?.[REVISION_LABEL] !== updateRev.metadata.name);
        if (stale) await deletePod(set, stale[1]);
      }
    }

    await updateStatus(key, updateRev.metadata.name!, currentName);
  }

  async function updateStatus(key: string, updateName: string, currentName: string): Promise<void> {
    const set = setInformer.get(key);
    if (!set) return;
    const now = ctx.clock.now();
    const minReady = set.spec.minReadySeconds ?? 0;
    const pods = podInformer.list(set.metadata.namespace).filter((p) => getControllerOf(p)?.uid === set.metadata.uid && ordinalOf(set, p) >= 0);
    let ready = 0;
    let available = 0;
    let current = 0;
    let updated = 0;
    for (const p of pods) {
      if (isRunningAndReady(p)) {
        ready++;
        if (isPodAvailable(p, minReady, now)) available++;
      }
      if (isTerminating(p)) continue;
      if (p.metadata.labels?.[REVISION_LABEL] === currentName) current++;
      if (p.metadata.labels?.[REVISION_LABEL] === updateName) updated++;
    }
    const replicas = pods.length;
    let currentRevision = currentName;
    // completeRollingUpdate: everything is on the new revision and ready.
    if (updated === replicas && ready === replicas && replicas === (set.spec.replicas ?? 1)) {
      currentRevision = updateName;
      current = updated;
    }
    const status: NonNullable<StatefulSet["status"]> = {
      observedGeneration: set.metadata.generation,
      replicas,
      ...(ready ? { readyReplicas: ready } : {}),
      ...(current ? { currentReplicas: current } : {}),
      ...(updated ? { updatedReplicas: updated } : {}),
      currentRevision,
      updateRevision: updateName,
      collisionCount: set.status?.collisionCount ?? 0,
      availableReplicas: available,
    };
    if (canonicalJSON(status) !== canonicalJSON(set.status ?? {})) {
      await setClient.update({ ...set, status }, { subresource: "status" });
    }
    if (minReady > 0 && ready > available) queue.addAfter(key, minReady * 1000);
  }

  return { stop: () => queue.shutdown() };
}
