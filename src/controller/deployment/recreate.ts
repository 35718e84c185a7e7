// The Recreate strategy, after pkg/controller/deployment/recreate.go: scale
// every old ReplicaSet to zero, wait until none of their pods is left
// running (terminating pods count), then create or scale up the new one.

import type { Pod, ReplicaSet } from "../types.ts";
import { syncRolloutStatus } from "./progress.ts";
import type { DeploymentSync } from "./sync.ts";
import { deploymentComplete, filterActive, replicas, sumStatus } from "./util.ts";

export async function rolloutRecreate(s: DeploymentSync, podsByRS: (rs: ReplicaSet) => Pod[]): Promise<number | undefined> {
  let { newRS, oldRSs } = await s.getAll(false);
  let scaledDown = false;
  for (const rs of filterActive(oldRSs)) if (await s.scaleReplicaSet(rs, 0)) scaledDown = true;
  const fresh = (rss: (ReplicaSet | undefined)[]) => rss.filter((x): x is ReplicaSet => !!x).map((x) => s.find(x.metadata.uid) ?? x);
  if (scaledDown) return syncRolloutStatus(s, fresh([...oldRSs, newRS]), newRS);
  if (oldPodsRunning(fresh(oldRSs), podsByRS)) return syncRolloutStatus(s, fresh([...oldRSs, newRS]), newRS);
  if (!newRS) ({ newRS, oldRSs } = await s.getAll(true));
  if (newRS) await s.scaleReplicaSet(newRS, replicas(s.d));
  if (deploymentComplete(s.d, s.d.status ?? {})) await s.cleanup(fresh(oldRSs));
  return syncRolloutStatus(s, fresh([...oldRSs, newRS]), s.find(newRS?.metadata.uid));
}

function oldPodsRunning(oldRSs: ReplicaSet[], podsByRS: (rs: ReplicaSet) => Pod[]): boolean {
  if (sumStatus(oldRSs) > 0) return true;
  for (const rs of oldRSs) {
    for (const pod of podsByRS(rs)) {
      const phase = pod.status?.phase;
      if (phase !== "Failed" && phase !== "Succeeded") return true;
    }
  }
  return false;
}
