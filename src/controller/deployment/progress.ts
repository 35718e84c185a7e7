// Rollout status and the Progressing condition, after
// pkg/controller/deployment/progress.go: NewReplicaSetAvailable when done,
// ReplicaSetUpdated while pods move, ProgressDeadlineExceeded when stuck past
// progressDeadlineSeconds (found by a timer, not by polling).

import type { ReplicaSet } from "../types.ts";
import type { DeploymentSync } from "./sync.ts";
import {
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  getCondition,
  NEW_RS_AVAILABLE,
  newCondition,
  progressDeadlineSeconds,
  removeCondition,
  RS_UPDATED,
  setCondition,
  TIMED_OUT,
} from "./util.ts";

/**
 * syncRolloutStatus. Returns the delay after which the Deployment must be
 * looked at again to notice a missed deadline (requeueStuckDeployment), if any.
 */
export async function syncRolloutStatus(s: DeploymentSync, allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): Promise<number | undefined> {
  const status = s.calculateStatus(allRSs, newRS);
  const deadline = progressDeadlineSeconds(s.d);
  if (deadline === undefined) removeCondition(status, "Progressing");
  const current = getCondition(status, "Progressing");
  const complete = status.replicas === status.updatedReplicas && current?.reason === NEW_RS_AVAILABLE;
  const clock = s.deps.clock;
  if (deadline !== undefined && !complete) {
    const name = newRS?.metadata.name;
    if (deploymentComplete(s.d, status)) {
      if (newRS) setCondition(status, newCondition(clock, "Progressing", "True", NEW_RS_AVAILABLE, `ReplicaSet "${name}" has successfully progressed.`));
    } else if (deploymentProgressing(s.d, status)) {
      if (newRS) {
        const cond = newCondition(clock, "Progressing", "True", RS_UPDATED, `ReplicaSet "${name}" is progressing.`);
        // Progress refreshes lastUpdateTime (the deadline's start) even when the reason is unchanged.
        if (current?.status === "True") {
          cond.lastTransitionTime = current.lastTransitionTime;
          removeCondition(status, "Progressing");
        }
        setCondition(status, cond);
      }
    } else if (newRS && deploymentTimedOut(s.d, status, s.now)) {
      setCondition(status, newCondition(clock, "Progressing", "False", TIMED_OUT, `ReplicaSet "${name}" has timed out progressing.`));
    }
  }
  await s.updateStatus(status);
  // requeueStuckDeployment: come back when the deadline would pass.
  const cond = getCondition(status, "Progressing");
  if (deadline === undefined || !cond || cond.status !== "True" || cond.reason === NEW_RS_AVAILABLE || deploymentComplete(s.d, status)) return undefined;
  const due = Date.parse(cond.lastUpdateTime ?? "") + deadline * 1000 - s.now;
  return Math.max(due, 0) + 1000;
}
