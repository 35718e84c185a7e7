// The operations a Deployment sync is built from, after
// pkg/controller/deployment/sync.go: find or create the new ReplicaSet and
// keep revisions in order, scale ReplicaSets (with the ScalingReplicaSet
// event), proportional scaling when replicas change mid-rollout, history
// cleanup, and status. rolling.ts, recreate.ts and progress.ts use these.

import { isAlreadyExists } from "../../apimachinery/errors.ts";
import { selectorFromSpec } from "../../apimachinery/labels.ts";
import type { Client, ResourceClient } from "../../client/interface.ts";
import { GVR } from "../../client/interface.ts";
import type { EventRecorder } from "../../client/record.ts";
import type { Clock } from "../../utils/clock.ts";
import { canonicalJSON, computeHash, controllerRef, getControllerOf } from "../controller-utils.ts";
import type { Deployment, ReplicaSet } from "../types.ts";
import {
  DESIRED_REPLICAS_ANNOTATION,
  deploymentComplete,
  equalIgnoreHash,
  filterActive,
  findNewReplicaSet,
  FOUND_NEW_RS,
  getCondition,
  MAX_REPLICAS_ANNOTATION,
  maxRevision,
  maxSurge,
  maxUnavailable,
  MIN_AVAILABLE,
  MIN_UNAVAILABLE,
  NEW_RS_CREATED,
  newCondition,
  POD_TEMPLATE_HASH_LABEL,
  progressDeadlineSeconds,
  replicas,
  replicasAnnotationsNeedUpdate,
  REVISION_ANNOTATION,
  revisionOf,
  rsReplicas,
  setCondition,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  sortByCreation,
  sumAvailable,
  sumReady,
  sumSpec,
  sumStatus,
} from "./util.ts";

export interface DeploymentSyncDeps {
  client: Client;
  clock: Clock;
  recorder: EventRecorder;
}

/** One sync of one Deployment: `d` is updated as writes return newer copies. */
export class DeploymentSync {
  readonly rsClient: ResourceClient<ReplicaSet>;
  readonly dClient: ResourceClient<Deployment>;

  constructor(
    readonly deps: DeploymentSyncDeps,
    public d: Deployment,
    /** The ReplicaSets this Deployment controls, from the informer cache (copies). */
    public rsList: ReplicaSet[],
  ) {
    this.rsClient = deps.client.resource<ReplicaSet>(GVR.replicasets);
    this.dClient = deps.client.resource<Deployment>(GVR.deployments);
  }

  get now(): number {
    return this.deps.clock.now();
  }

  private replace(rs: ReplicaSet): void {
    this.rsList = this.rsList.map((x) => (x.metadata.uid === rs.metadata.uid ? rs : x));
    if (!this.rsList.some((x) => x.metadata.uid === rs.metadata.uid)) this.rsList.push(rs);
  }

  /** getAllReplicaSetsAndSyncRevision: the new RS (created if asked) and the old ones. */
  async getAll(createIfNotExisted: boolean): Promise<{ newRS?: ReplicaSet; oldRSs: ReplicaSet[] }> {
    const found = findNewReplicaSet(this.d, this.rsList);
    const oldRSs = this.rsList.filter((rs) => rs !== found);
    const newRS = await this.getNewReplicaSet(found, oldRSs, createIfNotExisted);
    return { newRS, oldRSs: this.rsList.filter((rs) => rs.metadata.uid !== newRS?.metadata.uid) };
  }

  private async getNewReplicaSet(existing: ReplicaSet | undefined, oldRSs: ReplicaSet[], create: boolean): Promise<ReplicaSet | undefined> {
    const newRevision = maxRevision(oldRSs) + 1;
    const d = this.d;
    if (existing) {
      const copy = structuredClone(existing);
      const changed = setNewReplicaSetAnnotations(d, copy, newRevision, true);
      const minReadyChanged = (copy.spec.minReadySeconds ?? 0) !== (d.spec.minReadySeconds ?? 0);
      let rs = existing;
      if (changed || minReadyChanged) {
        copy.spec.minReadySeconds = d.spec.minReadySeconds ?? 0;
        rs = await this.rsClient.update(copy);
        this.replace(rs);
      }
      const revisionChanged = await this.setDeploymentRevision(rs.metadata.annotations?.[REVISION_ANNOTATION] ?? "");
      if (progressDeadlineSeconds(d) !== undefined && !getCondition(this.d.status, "Progressing")) {
        const status = structuredClone(this.d.status ?? {});
        setCondition(status, newCondition(this.deps.clock, "Progressing", "True", FOUND_NEW_RS, `Found new replica set "${rs.metadata.name}"`));
        await this.updateStatus(status);
      } else void revisionChanged;
      return rs;
    }
    if (!create) return undefined;

    const collisionCount = d.status?.collisionCount;
    const hash = computeHash(d.spec.template, collisionCount);
    const template = structuredClone(d.spec.template);
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [POD_TEMPLATE_HASH_LABEL]: hash } };
    const selector = structuredClone(d.spec.selector);
    selector.matchLabels = { ...selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash };
    const rs: ReplicaSet = {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        labels: { ...template.metadata.labels },
        ownerReferences: [controllerRef(d)],
      },
      spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
    };
    const allRSs = [...oldRSs];
    const newReplicas = newRSNewReplicas(d, allRSs, undefined);
    rs.spec.replicas = newReplicas;
    setNewReplicaSetAnnotations(d, rs, newRevision, false);
    let created: ReplicaSet;
    let alreadyExists = false;
    try {
      created = await this.rsClient.create(rs, d.metadata.namespace);
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      const other = await this.rsClient.get(rs.metadata.name!, d.metadata.namespace);
      // Ours already (a stale cache): use it. Someone else's: bump collisionCount and retry.
      if (getControllerOf(other)?.uid === d.metadata.uid && equalIgnoreHash(other.spec.template, d.spec.template)) {
        created = other;
        alreadyExists = true;
      } else {
        const status = structuredClone(this.d.status ?? {});
        status.collisionCount = (status.collisionCount ?? 0) + 1;
        await this.updateStatus(status);
        throw new Error(`hash collision for ReplicaSet "${rs.metadata.name}"; retrying with collisionCount ${status.collisionCount}`);
      }
    }
    this.replace(created);
    if (!alreadyExists && newReplicas > 0) {
      this.deps.recorder.event(this.d, "Normal", "ScalingReplicaSet", `Scaled up replica set ${created.metadata.name} from 0 to ${newReplicas}`);
    }
    await this.setDeploymentRevision(String(newRevision));
    if (!alreadyExists && progressDeadlineSeconds(d) !== undefined) {
      const status = structuredClone(this.d.status ?? {});
      setCondition(status, newCondition(this.deps.clock, "Progressing", "True", NEW_RS_CREATED, `Created new replica set "${created.metadata.name}"`));
      await this.updateStatus(status);
    }
    return created;
  }

  /** The revision annotation lives in metadata, so it is a patch, not a status write. */
  private async setDeploymentRevision(revision: string): Promise<boolean> {
    if (!revision || this.d.metadata.annotations?.[REVISION_ANNOTATION] === revision) return false;
    this.d = await this.dClient.patch(this.d.metadata.name!, this.d.metadata.namespace!, "application/merge-patch+json", {
      metadata: { annotations: { [REVISION_ANNOTATION]: revision } },
    });
    return true;
  }

  async updateStatus(status: NonNullable<Deployment["status"]>): Promise<void> {
    if (canonicalJSON(status) === canonicalJSON(this.d.status ?? {})) return;
    this.d = await this.dClient.update({ ...this.d, status }, { subresource: "status" });
  }

  /** scaleReplicaSetAndRecordEvent: returns whether spec.replicas changed. */
  async scaleReplicaSet(rs: ReplicaSet, newScale: number): Promise<boolean> {
    const d = this.d;
    const sizeChanged = rsReplicas(rs) !== newScale;
    const annChanged = replicasAnnotationsNeedUpdate(rs, replicas(d), replicas(d) + maxSurge(d));
    if (!sizeChanged && !annChanged) return false;
    const copy = structuredClone(rs);
    const oldScale = rsReplicas(rs);
    copy.spec.replicas = newScale;
    setReplicasAnnotations(copy, replicas(d), replicas(d) + maxSurge(d));
    const updated = await this.rsClient.update(copy);
    this.replace(updated);
    if (sizeChanged) {
      const op = oldScale < newScale ? "up" : "down";
      this.deps.recorder.event(d, "Normal", "ScalingReplicaSet", `Scaled ${op} replica set ${rs.metadata.name} from ${oldScale} to ${newScale}`);
    }
    return sizeChanged;
  }

  find(uid: string | undefined): ReplicaSet | undefined {
    return this.rsList.find((rs) => rs.metadata.uid === uid);
  }

  /**
   * scale: a replicas change. With one active ReplicaSet, it takes the new size;
   * mid-rollout, the surplus or deficit is shared out in proportion to size.
   */
  async scale(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<void> {
    const d = this.d;
    const want = replicas(d);
    const active = filterActive([newRS, ...oldRSs]);
    let activeOrLatest: ReplicaSet | undefined;
    if (active.length === 0) activeOrLatest = newRS ?? sortByCreation(oldRSs).reverse()[0];
    else if (active.length === 1) activeOrLatest = active[0];
    if (activeOrLatest) {
      if (rsReplicas(activeOrLatest) !== want) await this.scaleReplicaSet(activeOrLatest, want);
      return;
    }
    if (newRS && isSaturated(d, newRS)) {
      for (const old of filterActive(oldRSs)) await this.scaleReplicaSet(old, 0);
      return;
    }
    if ((d.spec.strategy?.type ?? "RollingUpdate") !== "RollingUpdate") return;
    const all = filterActive([...oldRSs, newRS]);
    const allowed = want > 0 ? want + maxSurge(d) : 0;
    const toAdd = allowed - sumSpec(all);
    const bySize = [...all].sort((a, b) => {
      if (rsReplicas(a) !== rsReplicas(b)) return toAdd >= 0 ? rsReplicas(b) - rsReplicas(a) : rsReplicas(a) - rsReplicas(b);
      const ca = a.metadata.creationTimestamp ?? "";
      const cb = b.metadata.creationTimestamp ?? "";
      // Bigger first when adding, newer first on ties; smaller/older first when removing.
      return toAdd >= 0 ? (ca < cb ? 1 : -1) : ca < cb ? -1 : 1;
    });
    const sizes = new Map<string, number>();
    let added = 0;
    for (const rs of bySize) {
      let p = 0;
      if (toAdd !== 0) {
        p = proportion(d, rs, toAdd, added);
        added += p;
      }
      sizes.set(rs.metadata.uid!, rsReplicas(rs) + p);
    }
    if (bySize.length > 0 && toAdd !== 0) {
      const first = bySize[0]!.metadata.uid!;
      sizes.set(first, Math.max(0, sizes.get(first)! + toAdd - added));
    }
    for (const rs of bySize) await this.scaleReplicaSet(rs, sizes.get(rs.metadata.uid!)!);
  }

  /** cleanupDeployment: delete old, empty ReplicaSets beyond revisionHistoryLimit. */
  async cleanup(oldRSs: ReplicaSet[]): Promise<void> {
    const limit = this.d.spec.revisionHistoryLimit ?? 10;
    const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
    const diff = cleanable.length - limit;
    if (diff <= 0) return;
    const byRevision = [...cleanable].sort((a, b) => revisionOf(a) - revisionOf(b) || ((a.metadata.creationTimestamp ?? "") < (b.metadata.creationTimestamp ?? "") ? -1 : 1));
    for (const rs of byRevision.slice(0, diff)) {
      if ((rs.status?.replicas ?? 0) !== 0 || rsReplicas(rs) !== 0 || (rs.status?.observedGeneration ?? 0) < (rs.metadata.generation ?? 0)) continue;
      await this.rsClient.delete(rs.metadata.name!, rs.metadata.namespace).catch(() => undefined);
    }
  }

  /** calculateStatus: counts summed over ReplicaSets, plus the Available condition. */
  calculateStatus(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): NonNullable<Deployment["status"]> {
    const d = this.d;
    const available = sumAvailable(allRSs);
    const total = sumSpec(allRSs);
    const status: NonNullable<Deployment["status"]> = {
      observedGeneration: d.metadata.generation,
      replicas: sumStatus(allRSs),
      updatedReplicas: sumStatus([newRS]),
      readyReplicas: sumReady(allRSs),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, total - available),
      ...(d.status?.conditions ? { conditions: structuredClone(d.status.conditions) } : {}),
      ...(d.status?.collisionCount !== undefined ? { collisionCount: d.status.collisionCount } : {}),
    };
    // Zero counts are omitted on the wire (omitempty), as a real Deployment shows them.
    for (const k of ["replicas", "updatedReplicas", "readyReplicas", "availableReplicas", "unavailableReplicas"] as const) {
      if (!status[k]) delete status[k];
    }
    if (available >= replicas(d) - maxUnavailable(d)) {
      setCondition(status, newCondition(this.deps.clock, "Available", "True", MIN_AVAILABLE, "Deployment has minimum availability."));
    } else {
      setCondition(status, newCondition(this.deps.clock, "Available", "False", MIN_UNAVAILABLE, "Deployment does not have minimum availability."));
    }
    return status;
  }

  async syncDeploymentStatus(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): Promise<void> {
    await this.updateStatus(this.calculateStatus(allRSs, newRS));
  }
}

/** NewRSNewReplicas: how big the new ReplicaSet may be right now. */
export function newRSNewReplicas(d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet | undefined): number {
  if ((d.spec.strategy?.type ?? "RollingUpdate") !== "RollingUpdate") return replicas(d);
  const current = sumSpec([...allRSs, newRS]);
  const maxTotal = replicas(d) + maxSurge(d);
  if (current >= maxTotal) return rsReplicas(newRS);
  const up = Math.min(maxTotal - current, replicas(d) - rsReplicas(newRS));
  return rsReplicas(newRS) + up;
}

/** IsSaturated: the new RS has every replica, available, at the current size. */
function isSaturated(d: Deployment, rs: ReplicaSet): boolean {
  const desired = Number(rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION] ?? "-1");
  return desired === replicas(d) && rsReplicas(rs) === replicas(d) && (rs.status?.availableReplicas ?? 0) === replicas(d);
}

/** GetProportion / getReplicaSetFraction, for proportional scaling. */
function proportion(d: Deployment, rs: ReplicaSet, toAdd: number, added: number): number {
  if (rsReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  let fraction: number;
  if (replicas(d) === 0) fraction = -rsReplicas(rs);
  else {
    const maxReplicas = replicas(d) + maxSurge(d);
    let before = Number(rs.metadata.annotations?.[MAX_REPLICAS_ANNOTATION] ?? "0");
    if (!before) before = d.status?.replicas ?? 0;
    fraction = before ? Math.round((rsReplicas(rs) * maxReplicas) / before) - rsReplicas(rs) : 0;
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/** The ReplicaSets a Deployment's selector covers and it controls. */
export function ownedReplicaSets(d: Deployment, all: ReplicaSet[]): ReplicaSet[] {
  const sel = selectorFromSpec(d.spec.selector);
  return all.filter((rs) => getControllerOf(rs)?.uid === d.metadata.uid && (sel.empty || sel.matches(rs.metadata.labels)));
}

export { deploymentComplete };
