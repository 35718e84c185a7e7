// The RollingUpdate strategy, after pkg/controller/deployment/rolling.go:
// scale the new ReplicaSet up within maxSurge, then old ones down while at
// least replicas−maxUnavailable pods stay available; unhealthy old pods go first.

import type { ReplicaSet } from "../types.ts";
import { syncRolloutStatus } from "./progress.ts";
import { newRSNewReplicas, type DeploymentSync } from "./sync.ts";
import { deploymentComplete, filterActive, maxUnavailable, replicas, rsReplicas, sortByCreation, sumAvailable, sumSpec } from "./util.ts";

export async function rolloutRolling(s: DeploymentSync): Promise<number | undefined> {
  const { newRS, oldRSs } = await s.getAll(true);
  const allRSs = [...oldRSs, newRS];
  if (await reconcileNewReplicaSet(s, allRSs, newRS)) return syncRolloutStatus(s, latest(s, allRSs), s.find(newRS?.metadata.uid));
  if (await reconcileOldReplicaSets(s, latest(s, allRSs), latest(s, filterActive(oldRSs)), s.find(newRS?.metadata.uid))) {
    return syncRolloutStatus(s, latest(s, allRSs), s.find(newRS?.metadata.uid));
  }
  if (deploymentComplete(s.d, s.d.status ?? {})) await s.cleanup(latest(s, oldRSs));
  return syncRolloutStatus(s, latest(s, allRSs), s.find(newRS?.metadata.uid));
}

/** The freshest copies after writes in this sync. */
function latest(s: DeploymentSync, rss: (ReplicaSet | undefined)[]): ReplicaSet[] {
  return rss.filter((x): x is ReplicaSet => !!x).map((x) => s.find(x.metadata.uid) ?? x);
}

async function reconcileNewReplicaSet(s: DeploymentSync, allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): Promise<boolean> {
  if (!newRS) return false;
  const want = replicas(s.d);
  if (rsReplicas(newRS) === want) return false;
  if (rsReplicas(newRS) > want) return s.scaleReplicaSet(newRS, want);
  const others = allRSs.filter((x): x is ReplicaSet => !!x && x.metadata.uid !== newRS.metadata.uid);
  return s.scaleReplicaSet(newRS, newRSNewReplicas(s.d, others, newRS));
}

async function reconcileOldReplicaSets(s: DeploymentSync, allRSs: ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet | undefined): Promise<boolean> {
  if (sumSpec(oldRSs) === 0) return false;
  const minAvailable = replicas(s.d) - maxUnavailable(s.d);
  const newUnavailable = rsReplicas(newRS) - (newRS?.status?.availableReplicas ?? 0);
  const maxScaledDown = sumSpec(allRSs) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  const cleaned = await cleanupUnhealthyReplicas(s, oldRSs, maxScaledDown);
  const scaled = await scaleDownOldReplicaSets(s, latest(s, [...oldRSs, newRS]), latest(s, oldRSs));
  return cleaned + scaled > 0;
}

/** Old ReplicaSets' pods that are not available are removed first: they serve nothing. */
async function cleanupUnhealthyReplicas(s: DeploymentSync, oldRSs: ReplicaSet[], maxCleanup: number): Promise<number> {
  let total = 0;
  for (const rs of sortByCreation(oldRSs)) {
    if (total >= maxCleanup) break;
    const n = rsReplicas(rs);
    const avail = rs.status?.availableReplicas ?? 0;
    if (n === 0 || n === avail) continue;
    const down = Math.min(maxCleanup - total, n - avail);
    await s.scaleReplicaSet(rs, n - down);
    total += down;
  }
  return total;
}

async function scaleDownOldReplicaSets(s: DeploymentSync, allRSs: ReplicaSet[], oldRSs: ReplicaSet[]): Promise<number> {
  const minAvailable = replicas(s.d) - maxUnavailable(s.d);
  const available = sumAvailable(allRSs);
  if (available <= minAvailable) return 0;
  const target = available - minAvailable;
  let total = 0;
  for (const rs of sortByCreation(oldRSs)) {
    if (total >= target) break;
    if (rsReplicas(rs) === 0) continue;
    const down = Math.min(rsReplicas(rs), target - total);
    await s.scaleReplicaSet(rs, rsReplicas(rs) - down);
    total += down;
  }
  return total;
}
