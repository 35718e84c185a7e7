// The Deployment controller, after pkg/controller/deployment/deployment_controller.go:
// watches Deployments, the ReplicaSets they own and (for Recreate) their pods,
// and on each key runs one sync: paused → scale only; replicas changed →
// proportional scale; otherwise a RollingUpdate or Recreate rollout step.
// Leaves out: adopting orphan ReplicaSets, the SelectingAll event.

import { objectKey } from "../../apimachinery/meta.ts";
import { GVR } from "../../client/interface.ts";
import { type Controller, type ControllerContext, newQueue, newRecorder } from "../context.ts";
import { getControllerOf } from "../controller-utils.ts";
import type { Deployment, Pod, ReplicaSet } from "../types.ts";
import { rolloutRecreate } from "./recreate.ts";
import { rolloutRolling } from "./rolling.ts";
import { DeploymentSync, ownedReplicaSets } from "./sync.ts";
import { DESIRED_REPLICAS_ANNOTATION, filterActive, getCondition, newCondition, PAUSED, progressDeadlineSeconds, replicas, RESUMED, setCondition } from "./util.ts";

export function startDeploymentController(ctx: ControllerContext): Controller {
  const dInformer = ctx.informers.for<Deployment>(GVR.deployments);
  const rsInformer = ctx.informers.for<ReplicaSet>(GVR.replicasets);
  const podInformer = ctx.informers.for<Pod>(GVR.pods);
  const recorder = newRecorder(ctx, "deployment-controller");
  const queue = newQueue(ctx, "deployment", sync);

  const ownerOf = (rs: ReplicaSet): Deployment | undefined => {
    const ref = getControllerOf(rs);
    if (ref?.kind !== "Deployment") return undefined;
    const d = dInformer.get(`${rs.metadata.namespace}/${ref.name}`);
    return d?.metadata.uid === ref.uid ? d : undefined;
  };
  const enqueueOwner = (rs: ReplicaSet) => {
    const d = ownerOf(rs);
    if (d) queue.add(objectKey(d));
  };

  dInformer.addEventHandler({
    add: (d) => queue.add(objectKey(d)),
    update: (_o, d) => queue.add(objectKey(d)),
    delete: (d) => queue.add(objectKey(d)),
  });
  rsInformer.addEventHandler({
    add: enqueueOwner,
    update: (old, rs) => {
      enqueueOwner(rs);
      if (getControllerOf(old)?.uid !== getControllerOf(rs)?.uid) enqueueOwner(old);
    },
    delete: enqueueOwner,
  });
  podInformer.addEventHandler({
    // Only Recreate waits for pods to be gone before it scales up.
    delete: (pod) => {
      const ref = getControllerOf(pod);
      if (ref?.kind !== "ReplicaSet") return;
      const rs = rsInformer.get(`${pod.metadata.namespace}/${ref.name}`);
      const d = rs && ownerOf(rs);
      if (d && d.spec.strategy?.type === "Recreate") queue.add(objectKey(d));
    },
  });

  const podsByRS = (rs: ReplicaSet): Pod[] => podInformer.list(rs.metadata.namespace).filter((p) => getControllerOf(p)?.uid === rs.metadata.uid);

  async function sync(key: string): Promise<void> {
    const cached = dInformer.get(key);
    if (!cached) return;
    if (Object.keys(cached.spec.selector?.matchLabels ?? {}).length === 0 && (cached.spec.selector?.matchExpressions ?? []).length === 0) return;
    const d = structuredClone(cached);
    const rsList = ownedReplicaSets(d, rsInformer.list(d.metadata.namespace)).map((rs) => structuredClone(rs));
    const s = new DeploymentSync({ client: ctx.client, clock: ctx.clock, recorder }, d, rsList);

    if (d.metadata.deletionTimestamp) {
      const { newRS, oldRSs } = await s.getAll(false);
      await s.syncDeploymentStatus([...oldRSs, newRS], newRS);
      return;
    }
    await checkPausedConditions(s);
    let requeue: number | undefined;
    if (s.d.spec.paused || isScalingEvent(s)) {
      const { newRS, oldRSs } = await s.getAll(false);
      await s.scale(newRS, oldRSs);
      const fresh = s.rsList;
      if (s.d.spec.paused) await s.cleanup(fresh.filter((rs) => rs.metadata.uid !== newRS?.metadata.uid));
      await s.syncDeploymentStatus(fresh, newRS && s.find(newRS.metadata.uid));
    } else if (s.d.spec.strategy?.type === "Recreate") {
      requeue = await rolloutRecreate(s, podsByRS);
    } else {
      requeue = await rolloutRolling(s);
    }
    if (requeue !== undefined) queue.addAfter(key, requeue);
  }

  return { stop: () => queue.shutdown() };
}

/** A replicas change (not a template change) shows as desired-replicas ≠ spec.replicas on an active ReplicaSet. */
function isScalingEvent(s: DeploymentSync): boolean {
  for (const rs of filterActive(s.rsList)) {
    const desired = rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION];
    if (desired !== undefined && Number(desired) !== replicas(s.d)) return true;
  }
  return false;
}

/** checkPausedConditions: Progressing=Unknown DeploymentPaused / DeploymentResumed. */
async function checkPausedConditions(s: DeploymentSync): Promise<void> {
  if (progressDeadlineSeconds(s.d) === undefined) return;
  const cond = getCondition(s.d.status, "Progressing");
  const pausedCond = cond?.reason === PAUSED;
  const status = structuredClone(s.d.status ?? {});
  if (s.d.spec.paused && !pausedCond) {
    setCondition(status, newCondition(s.deps.clock, "Progressing", "Unknown", PAUSED, "Deployment is paused"));
  } else if (!s.d.spec.paused && pausedCond) {
    setCondition(status, newCondition(s.deps.clock, "Progressing", "Unknown", RESUMED, "Deployment is resumed"));
  } else return;
  await s.updateStatus(status);
}
