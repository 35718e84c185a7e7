// The node lifecycle controller, after
// pkg/controller/nodelifecycle/node_lifecycle_controller.go: a node whose
// kubelet stops renewing its Lease (and posting status) for the grace period
// gets Ready/MemoryPressure/DiskPressure/PIDPressure=Unknown, the
// node.kubernetes.io/unreachable NoSchedule and NoExecute taints, a
// NodeNotReady event, and its pods marked Ready=False. Taints follow the Ready
// condition back when the kubelet returns; cordoned nodes get the
// unschedulable taint (TaintNodesByCondition).
// Unlike upstream's fixed node-monitor-period tick, each node has one timer for
// its lease expiry, aligned to the 5 s monitor grid: an idle healthy cluster
// costs one timer per node per grace period, and nothing without nodes.
// Leaves out: zone-based eviction rate limiting, pressure-condition taints.

import { objectKey, rfc3339 } from "../../apimachinery/meta.ts";
import { GVR } from "../../client/interface.ts";
import type { Timer } from "../../utils/clock.ts";
import { type Controller, type ControllerContext, newQueue, newRecorder } from "../context.ts";
import type { Condition, Lease, Node, Pod, Taint } from "../types.ts";

export const NODE_MONITOR_PERIOD_MS = 5_000;
const LEASE_NAMESPACE = "kube-node-lease";

export const UNREACHABLE = "node.kubernetes.io/unreachable";
export const NOT_READY = "node.kubernetes.io/not-ready";
export const UNSCHEDULABLE = "node.kubernetes.io/unschedulable";

/** node-monitor-grace-period: 50 s from v1.32 (kubernetes#126287), 40 s before. */
export function nodeMonitorGracePeriodMs(version: string): number {
  const minor = Number(/^v?\d+\.(\d+)/.exec(version)?.[1] ?? "32");
  return minor >= 32 ? 50_000 : 40_000;
}

const UNKNOWN_CONDITIONS = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"];

export function startNodeLifecycleController(ctx: ControllerContext): Controller {
  const nodeInformer = ctx.informers.for<Node>(GVR.nodes);
  const leaseInformer = ctx.informers.for<Lease>(GVR.leases);
  const podInformer = ctx.informers.for<Pod>(GVR.pods);
  podInformer.addIndexer("nodelifecycle:node", (p) => (p.spec.nodeName ? [p.spec.nodeName] : []));
  const recorder = newRecorder(ctx, "node-controller");
  const nodeClient = ctx.client.resource<Node>(GVR.nodes);
  const podClient = ctx.client.resource<Pod>(GVR.pods);
  const grace = nodeMonitorGracePeriodMs(ctx.version);
  const start = ctx.clock.now();
  /** When we last saw the kubelet alive, on our clock (upstream's probeTimestamp). */
  const lastObserved = new Map<string, number>();
  const timers = new Map<string, Timer>();
  const queue = newQueue(ctx, "nodelifecycle", sync);

  const heartbeat = (n: Node) => n.status?.conditions?.find((c) => c.type === "Ready")?.lastHeartbeatTime;
  const observe = (name: string) => lastObserved.set(name, ctx.clock.now());

  nodeInformer.addEventHandler({
    add: (n) => {
      observe(n.metadata.name!);
      queue.add(objectKey(n));
    },
    update: (o, n) => {
      if (heartbeat(o) !== heartbeat(n)) observe(n.metadata.name!);
      queue.add(objectKey(n));
    },
    delete: (n) => {
      timers.get(n.metadata.name!)?.cancel();
      timers.delete(n.metadata.name!);
      lastObserved.delete(n.metadata.name!);
    },
  });
  leaseInformer.addEventHandler({
    add: (l) => {
      if (l.metadata.namespace === LEASE_NAMESPACE) observe(l.metadata.name!);
    },
    update: (o, l) => {
      if (l.metadata.namespace !== LEASE_NAMESPACE || o.spec?.renewTime === l.spec?.renewTime) return;
      observe(l.metadata.name!);
      // A renewal after the node was marked Unknown brings it back only when the
      // kubelet posts Ready; nothing to do here until then, the timer re-arms itself.
    },
  });

  /** Arms the node's one timer for the first monitor tick after its lease would expire. */
  function arm(name: string, observed: number): void {
    if (timers.has(name)) return;
    const expiry = observed + grace;
    const tick = start + (Math.floor((expiry - start) / NODE_MONITOR_PERIOD_MS) + 1) * NODE_MONITOR_PERIOD_MS;
    timers.set(
      name,
      ctx.clock.setTimer(tick - ctx.clock.now(), () => {
        timers.delete(name);
        queue.add(name);
      }),
    );
  }

  async function sync(name: string): Promise<void> {
    const cached = nodeInformer.get(name);
    if (!cached) return;
    let node = structuredClone(cached);
    const now = ctx.clock.now();
    const observed = lastObserved.get(name) ?? now;
    const ready = node.status?.conditions?.find((c) => c.type === "Ready");
    if (now - observed > grace) {
      if (ready?.status !== "Unknown") node = await markUnknown(node, now);
    } else {
      arm(name, observed);
    }
    await reconcileTaints(node, now);
  }

  async function markUnknown(node: Node, now: number): Promise<Node> {
    const ts = rfc3339(now);
    // Copies: the node is the informer's (the stored object), which nobody may change in place.
    const conds: Condition[] = (node.status?.conditions ?? []).map((c) => ({ ...c }));
    for (const type of UNKNOWN_CONDITIONS) {
      const cur = conds.find((c) => c.type === type);
      if (cur) {
        Object.assign(cur, { status: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status.", lastTransitionTime: ts });
      } else {
        conds.push({ type, status: "Unknown", lastHeartbeatTime: rfc3339(Date.parse(node.metadata.creationTimestamp ?? ts)), lastTransitionTime: ts, reason: "NodeStatusNeverUpdated", message: "Kubelet never posted node status." });
      }
    }
    const updated = await nodeClient.update({ ...node, status: { ...node.status, conditions: conds } }, { subresource: "status" });
    recorder.event(updated, "Normal", "NodeNotReady", `Node ${node.metadata.name} status is now: NodeNotReady`);
    await markPodsNotReady(node.metadata.name!, now);
    return updated;
  }

  /** MarkPodsNotReady: every pod on the node gets Ready=False and a NodeNotReady event. */
  async function markPodsNotReady(nodeName: string, now: number): Promise<void> {
    for (const pod of podInformer.byIndex("nodelifecycle:node", nodeName)) {
      if (pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") continue;
      const conds = structuredClone(pod.status?.conditions ?? []);
      const ready = conds.find((c) => c.type === "Ready");
      if (!ready || ready.status === "False") continue;
      ready.status = "False";
      ready.lastTransitionTime = rfc3339(now);
      await podClient.update({ ...pod, status: { ...pod.status, conditions: conds } }, { subresource: "status" }).then(
        () => recorder.event(pod, "Warning", "NodeNotReady", "Node is not ready"),
        () => undefined,
      );
    }
  }

  /** The taints the node's Ready condition and cordon call for; others are left alone. */
  async function reconcileTaints(node: Node, now: number): Promise<void> {
    const ready = node.status?.conditions?.find((c) => c.type === "Ready")?.status;
    const want: Taint[] = [];
    if (ready === "Unknown") want.push({ key: UNREACHABLE, effect: "NoSchedule" }, { key: UNREACHABLE, effect: "NoExecute" });
    if (ready === "False") want.push({ key: NOT_READY, effect: "NoSchedule" }, { key: NOT_READY, effect: "NoExecute" });
    if (node.spec?.unschedulable) want.push({ key: UNSCHEDULABLE, effect: "NoSchedule" });
    const ours = new Set([UNREACHABLE, NOT_READY, UNSCHEDULABLE]);
    const current = node.spec?.taints ?? [];
    const same = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect;
    const kept = current.filter((t) => !ours.has(t.key) || want.some((w) => same(w, t)));
    const added = want.filter((w) => !current.some((t) => same(t, w))).map((w) => ({ ...w, timeAdded: rfc3339(now) }));
    if (added.length === 0 && kept.length === current.length) return;
    const taints = [...kept, ...added];
    const latest = nodeInformer.get(node.metadata.name!) ?? node;
    await nodeClient.update({ ...latest, spec: { ...latest.spec, taints: taints.length ? taints : undefined } });
  }

  return {
    stop() {
      queue.shutdown();
      for (const t of timers.values()) t.cancel();
      timers.clear();
    },
  };
}
