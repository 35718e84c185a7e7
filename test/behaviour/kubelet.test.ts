// Stories: the kubelet is a service on the node. Restarting it leaves the
// pods alone; stopping it makes the node controller give up on the node after
// the grace period, evict its pods after 300 s, and starting it again brings
// the node back and finishes the evicted pods.

import { afterEach, describe, expect, it } from "vitest";
import type { Node, Pod } from "../../src/api/core/v1.ts";
import { GVR } from "../../src/client/interface.ts";
import { podCells } from "../../src/printers/pod.ts";
import { type Lab, condition, lab } from "./harness.ts";

let l: Lab | undefined;
afterEach(() => l?.cluster.stop());

async function webLab(): Promise<Lab> {
  l = await lab();
  await l.createDeployment("test-web", "httpd", 2);
  await l.advance(30_000);
  return l;
}

const summary = (pods: Pod[]) =>
  pods.map((p) => `${p.metadata.name} ${p.spec.nodeName} ${p.status?.podIP} ${p.status?.containerStatuses?.[0]?.restartCount} ${p.status?.containerStatuses?.[0]?.containerID}`).sort();
const unreachable = (n: Node) => (n.spec?.taints ?? []).filter((t) => t.key === "node.kubernetes.io/unreachable").map((t) => t.effect);

describe("systemctl restart kubelet", () => {
  it("keeps the pods running with the same IPs and restart counts, and the node Ready", async () => {
    const l = await webLab();
    const before = summary(await l.pods());
    const startEvents = (await l.events("default", "node01", "Node")).length;
    expect(await l.run("node01", ["systemctl", "restart", "kubelet"])).toEqual({ code: 0, out: "", err: "" });
    for (let t = 0; t < 60_000; t += 5_000) {
      await l.advance(5_000);
      expect(condition(await l.node("node01"), "Ready")?.status).toBe("True");
    }
    expect(summary(await l.pods())).toEqual(before);
    expect((await l.rows()).map((r) => r.split(" ").slice(1, 4).join(" "))).toEqual(["1/1 Running 0", "1/1 Running 0"]);
    // A new kubelet process records new Events (its correlator starts empty), so describe lists both starts.
    const events = await l.events("default", "node01", "Node");
    expect(events.slice(startEvents)).toEqual([
      "Starting: Starting kubelet.",
      "NodeHasSufficientMemory: Node node01 status is now: NodeHasSufficientMemory",
      "NodeHasNoDiskPressure: Node node01 status is now: NodeHasNoDiskPressure",
      "NodeHasSufficientPID: Node node01 status is now: NodeHasSufficientPID",
      "NodeAllocatableEnforced: Updated Node Allocatable limit across pods",
    ]);
    expect(events.filter((e) => e === "Starting: Starting kubelet.")).toHaveLength(2);
    expect(events).not.toContain("NodeNotReady: Node node01 status is now: NodeNotReady");
  });
});

describe("systemctl stop kubelet", () => {
  it("goes NotReady after the grace period, evicts after 300 s, and recovers on start", async () => {
    const l = await webLab();
    const onNode01 = (await l.pods()).filter((p) => p.spec.nodeName === "node01");
    expect(onNode01).toHaveLength(1);
    const victim = onNode01[0]!.metadata.name!;
    const stoppedAt = l.clock.now();
    expect((await l.run("node01", ["systemctl", "stop", "kubelet"])).code).toBe(0);

    // Still Ready while the lease is within node-monitor-grace-period (50 s in 1.32).
    await l.advance(45_000);
    expect(condition(await l.node("node01"), "Ready")?.status).toBe("True");
    let notReadyAt = 0;
    for (let t = 45_000; t <= 70_000 && !notReadyAt; t += 1_000) {
      await l.advance(1_000);
      if (condition(await l.node("node01"), "Ready")?.status === "Unknown") notReadyAt = l.clock.now() - stoppedAt;
    }
    // The last renewal was up to 10 s before the stop; then ≤ 5 s to the next monitor tick.
    expect(notReadyAt).toBeGreaterThan(40_000);
    expect(notReadyAt).toBeLessThanOrEqual(56_000);
    const node = await l.node("node01");
    expect(condition(node, "Ready")).toMatchObject({ status: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status." });
    for (const t of ["MemoryPressure", "DiskPressure", "PIDPressure"]) expect(condition(node, t)?.status).toBe("Unknown");
    expect(unreachable(node).sort()).toEqual(["NoExecute", "NoSchedule"]);
    expect(await l.events("default", "node01", "Node")).toContain("NodeNotReady: Node node01 status is now: NodeNotReady");
    // MarkPodsNotReady sets only the pod's Ready condition: READY still counts the last reported container states.
    const marked = (await l.pods()).find((p) => p.metadata.name === victim)!;
    expect(condition(marked, "Ready")?.status).toBe("False");
    expect((await l.rows()).find((r) => r.startsWith(victim))).toBe(`${victim} 1/1 Running 0 node01`);
    expect(await l.events("default", victim)).toContain("NodeNotReady: Node is not ready");

    // 300 s of tolerationSeconds after the taint: marked for deletion, replaced on node02.
    const taintedAt = Date.parse(node.spec!.taints!.find((t) => t.effect === "NoExecute")!.timeAdded!);
    await l.advance(taintedAt + 299_000 - l.clock.now());
    expect((await l.pods()).find((p) => p.metadata.name === victim)?.metadata.deletionTimestamp).toBeUndefined();
    await l.advance(2_000);
    expect((await l.pods()).find((p) => p.metadata.name === victim)?.metadata.deletionTimestamp).toBeDefined();
    expect(await l.events("default", victim)).toContain(`TaintManagerEviction: Marking for deletion Pod default/${victim}`);
    await l.advance(30_000);
    const rows = await l.rows();
    expect(rows).toHaveLength(3);
    // Terminating forever: no kubelet confirms the deletion.
    await l.advance(10 * 60_000);
    expect((await l.rows()).find((r) => r.startsWith(victim))).toBe(`${victim} 1/1 Terminating 0 node01`);
    const replacement = (await l.pods()).filter((p) => p.metadata.name !== victim && !onNode01.includes(p));
    expect(replacement.map((p) => `${p.spec.nodeName} ${p.status?.phase}`)).toEqual(["node02 Running", "node02 Running"]);
    // Its container still runs in containerd the whole time.
    expect(l.cluster.runtimes.get("node01")!.listContainers().filter((c) => c.pod.name === victim && c.state === "CONTAINER_RUNNING")).toHaveLength(1);

    expect((await l.run("node01", ["systemctl", "start", "kubelet"])).code).toBe(0);
    await l.advance(15_000);
    const back = await l.node("node01");
    expect(condition(back, "Ready")).toMatchObject({ status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" });
    expect(unreachable(back)).toEqual([]);
    expect(await l.events("default", "node01", "Node")).toContain("NodeReady: Node node01 status is now: NodeReady");
    await l.advance(30_000);
    expect((await l.pods()).map((p) => p.metadata.name)).not.toContain(victim);
    expect(l.cluster.runtimes.get("node01")!.listContainers().filter((c) => c.pod.name === victim)).toEqual([]);
  });
});

describe("a pod starting on a node that has its image", () => {
  it("shows Pending, ContainerCreating, Running to `kubectl get pods -w`: a real kubelet's two status writes", async () => {
    const l = await webLab();
    const statuses: string[] = [];
    const watch = l.admin.resource<Pod>(GVR.pods).watch("default", { fieldSelector: "metadata.name=cached" }, {
      onEvent: (ev) => statuses.push(`${ev.type} ${String(podCells(ev.object, l!.clock.now())[2])} ${ev.object.spec.nodeName ?? "<none>"}`),
    });
    // As `kubectl apply` of a pod manifest naming the node and pull policy: httpd is on node01 since test-web started there.
    await l.admin.resource<Pod>(GVR.pods).create(
      { apiVersion: "v1", kind: "Pod", metadata: { name: "cached" }, spec: { nodeName: "node01", containers: [{ name: "web", image: "httpd", imagePullPolicy: "IfNotPresent" }] } },
      "default",
    );
    await l.advance(10_000);
    watch.stop();
    expect(statuses).toEqual(["ADDED Pending node01", "MODIFIED ContainerCreating node01", "MODIFIED Running node01"]);
    expect(await l.events("default", "cached")).toEqual([
      'Pulled: Container image "httpd" already present on machine',
      "Created: Created container web",
      "Started: Started container web",
    ]);
  });
});
