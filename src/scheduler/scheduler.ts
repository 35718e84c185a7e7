// kube-scheduler, after pkg/scheduler: watches pods with no node that name
// default-scheduler (or nothing), runs the filter plugins on every node and
// the score plugins on those that pass, binds to the best (ties broken at
// random) and records Scheduled; a pod that fits nowhere gets FailedScheduling
// and PodScheduled=False, and waits for a node or pod change (or the 5-minute
// flush) to be tried again.
// Leaves out: preemption itself, volume binding, pod affinity, multiple profiles.

import type { Node, Pod, PodCondition } from "../api/core/v1.ts";
import { rfc3339 } from "../apimachinery/meta.ts";
import { objectKey } from "../apimachinery/meta.ts";
import { Informer } from "../client/informer.ts";
import { type Client, GVR } from "../client/interface.ts";
import { EventRecorder } from "../client/record.ts";
import { WorkQueue } from "../client/workqueue.ts";
import type { Activity } from "../utils/activity.ts";
import type { Clock, Timer } from "../utils/clock.ts";
import type { Rand } from "../utils/rand.ts";
import { occupies, SchedulerCache } from "./cache.ts";
import { fitErrorMessage } from "./framework/fit-error.ts";
import type { FilterPlugin, NodeInfo, ScorePlugin, Status } from "./framework/interface.ts";
import { nodeAffinity } from "./plugins/node-affinity.ts";
import { nodeName } from "./plugins/node-name.ts";
import { nodeResourcesFit } from "./plugins/node-resources-fit.ts";
import { nodeUnschedulable } from "./plugins/node-unschedulable.ts";
import { podTopologySpread } from "./plugins/pod-topology-spread.ts";
import { taintToleration } from "./plugins/taint-toleration.ts";

/** Filter plugins in the default profile's order: a node stops at the first that fails. */
const FILTERS: FilterPlugin[] = [nodeUnschedulable, nodeName, taintToleration, nodeAffinity, nodeResourcesFit];
/** Score plugins with their default weights. */
const SCORES: ScorePlugin[] = [taintToleration, nodeResourcesFit, podTopologySpread];

/** podMaxInUnschedulablePodsDuration: unschedulable pods are retried at least this often. */
const UNSCHEDULABLE_FLUSH_MS = 5 * 60 * 1000;
export const SCHEDULER_NAME = "default-scheduler";

export interface SchedulerOptions {
  client: Client;
  clock: Clock;
  rand: Rand;
  activity: Activity;
  /** The control-plane host, for the events' reportingInstance. */
  hostname?: string;
  log?: (msg: string) => void;
}

function responsible(pod: Pod): boolean {
  const name = pod.spec.schedulerName;
  return !pod.spec.nodeName && !pod.metadata.deletionTimestamp && (!name || name === SCHEDULER_NAME) && (pod.spec.schedulingGates ?? []).length === 0;
}

/**
 * numFeasibleNodesToFind: clusters of 100 nodes or more stop filtering once
 * an adaptive share of nodes (50% - nodes/125, at least 5% and 100 nodes) is
 * feasible, and only those are scored; the next cycle starts where this one
 * stopped, so every node gets its turn (percentageOfNodesToScore unset).
 */
export function numFeasibleNodesToFind(numAllNodes: number): number {
  if (numAllNodes < 100) return numAllNodes;
  const percentage = Math.max(5, 50 - Math.trunc(numAllNodes / 125));
  return Math.max(100, Math.trunc((numAllNodes * percentage) / 100));
}

export function startScheduler(options: SchedulerOptions): { stop(): void } {
  const { client, clock, rand, activity } = options;
  const log = options.log ?? (() => {});
  const pods = new Informer<Pod>(client, GVR.pods);
  const nodes = new Informer<Node>(client, GVR.nodes);
  const cache = new SchedulerCache();
  /** Where the next cycle's node walk starts (nextStartNodeIndex). */
  let nextStartNodeIndex = 0;
  const recorder = new EventRecorder({ client, clock, activity, component: SCHEDULER_NAME, host: options.hostname ?? "master", log });
  /** Pods that fit nowhere last time, with their 5-minute flush timer. */
  const unschedulablePods = new Map<string, Timer>();
  const queue = new WorkQueue({ clock, activity, sync: scheduleOne, onError: (k, e) => log(`Error scheduling pod ${k}: ${String(e)}`), baseDelayMs: 1000, maxDelayMs: 10_000 });

  const moveAllToActive = () => {
    for (const [key, t] of unschedulablePods) {
      t.cancel();
      queue.add(key);
    }
    unschedulablePods.clear();
  };

  pods.addEventHandler({
    add: (p) => cache.updatePod(undefined, p),
    update: (old, p) => cache.updatePod(old, p),
    delete: (p) => cache.updatePod(p, undefined),
  });
  nodes.addEventHandler({ add: (n) => cache.setNode(n), update: (_o, n) => cache.setNode(n), delete: (n) => cache.removeNode(n) });
  pods.addEventHandler({
    add: (p) => {
      if (responsible(p)) queue.add(objectKey(p));
    },
    update: (old, p) => {
      if (responsible(p)) {
        // Only a spec or label change can make an unschedulable pod fit.
        if (!unschedulablePods.has(objectKey(p)) || JSON.stringify(old.spec) !== JSON.stringify(p.spec) || JSON.stringify(old.metadata.labels) !== JSON.stringify(p.metadata.labels)) {
          queue.add(objectKey(p));
        }
      } else if (occupies(old) && !occupies(p)) moveAllToActive();
    },
    delete: (p) => {
      const key = objectKey(p);
      unschedulablePods.get(key)?.cancel();
      unschedulablePods.delete(key);
      // A pod leaving a node frees its resources.
      if (occupies(p)) moveAllToActive();
    },
  });
  nodes.addEventHandler({
    add: () => moveAllToActive(),
    update: (old, n) => {
      const relevant = (x: Node) => JSON.stringify([x.spec, x.metadata.labels, x.status?.allocatable]);
      if (relevant(old) !== relevant(n)) moveAllToActive();
    },
  });

  async function scheduleOne(key: string): Promise<void> {
    unschedulablePods.get(key)?.cancel();
    unschedulablePods.delete(key);
    const pod = pods.get(key);
    if (!pod || !responsible(pod)) return;
    const all = cache.list();
    const feasible: NodeInfo[] = [];
    const failed: Status[] = [];
    const want = numFeasibleNodesToFind(all.length);
    // PreFilter: plugins with nothing to check for this pod sit the cycle out.
    const filters = FILTERS.filter((f) => !f.skip?.(pod));
    let processed = 0;
    for (; processed < all.length && feasible.length < want; processed++) {
      const info = all[(nextStartNodeIndex + processed) % all.length]!;
      let status: Status | undefined;
      for (const f of filters) {
        const s = f.filter(pod, info);
        if (s.code !== "Success") {
          status = s;
          break;
        }
      }
      if (status) failed.push(status);
      else feasible.push(info);
    }
    if (all.length > 0) nextStartNodeIndex = (nextStartNodeIndex + processed) % all.length;
    if (feasible.length === 0) return failScheduling(pod, key, fitErrorMessage(all.length, failed));

    const totals = feasible.map(() => 0);
    for (const plugin of SCORES) {
      const scores = plugin.score(pod, feasible, all);
      scores.forEach((s, i) => (totals[i]! += s * plugin.weight));
    }
    // selectHost: the best score, ties broken by reservoir sampling.
    let best = 0;
    let ties = 1;
    for (let i = 1; i < feasible.length; i++) {
      if (totals[i]! > totals[best]!) {
        best = i;
        ties = 1;
      } else if (totals[i] === totals[best] && rand.int(++ties) === 0) best = i;
    }
    const target = feasible[best]!.node.metadata.name!;
    await client.resource(GVR.pods).create(
      { apiVersion: "v1", kind: "Binding", metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace }, target: { apiVersion: "v1", kind: "Node", name: target } },
      pod.metadata.namespace,
      { subresource: "binding" },
    );
    recorder.eventV1(pod, "Normal", "Scheduled", "Binding", `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${target}`);
  }

  async function failScheduling(pod: Pod, key: string, message: string): Promise<void> {
    recorder.event(pod, "Warning", "FailedScheduling", message);
    unschedulablePods.set(
      key,
      clock.setTimer(UNSCHEDULABLE_FLUSH_MS, () => {
        unschedulablePods.delete(key);
        queue.add(key);
      }),
    );
    const conds = [...(pod.status?.conditions ?? [])];
    const cur = conds.find((c) => c.type === "PodScheduled");
    if (cur?.status === "False" && cur.reason === "Unschedulable" && cur.message === message) return;
    const cond: PodCondition = {
      type: "PodScheduled",
      status: "False",
      lastProbeTime: null,
      lastTransitionTime: cur?.status === "False" ? cur.lastTransitionTime : rfc3339(clock.now()),
      reason: "Unschedulable",
      message,
    };
    const next = cur ? conds.map((c) => (c === cur ? cond : c)) : [...conds, cond];
    await client.resource<Pod>(GVR.pods).update({ ...pod, status: { phase: "Pending", ...pod.status, conditions: next } }, { subresource: "status" });
  }

  for (const inf of [nodes, pods]) {
    activity.begin();
    void inf.start().finally(() => activity.end());
  }
  return {
    stop() {
      queue.shutdown();
      for (const t of unschedulablePods.values()) t.cancel();
      unschedulablePods.clear();
      pods.stop();
      nodes.stop();
    },
  };
}
