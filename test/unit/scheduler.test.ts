import { afterEach, describe, expect, it } from "vitest";
import { GVR } from "../../src/client/interface.ts";
import type { KObject } from "../../src/apimachinery/meta.ts";
import { startControllerManager } from "../../src/controller-manager.ts";
import { startScheduler } from "../../src/scheduler/scheduler.ts";
import { fitErrorMessage } from "../../src/scheduler/framework/fit-error.ts";
import { seededRand } from "../../src/utils/rand.ts";
import { CONTROL_PLANE_TAINT, harness, type Harness, node } from "./controller-harness.ts";

const stops: (() => void)[] = [];
afterEach(() => {
  while (stops.length) stops.pop()!();
});

async function setup(nodes: KObject[], controllers = true): Promise<Harness> {
  const h = await harness();
  for (const n of nodes) await h.client.resource(GVR.nodes).create(n);
  // Without kubelets renewing leases, the node lifecycle controller would mark the nodes NotReady after 50 s.
  if (controllers) {
    const cm = startControllerManager({ client: h.client, clock: h.clock, activity: h.activity, version: "v1.32.4" });
    stops.push(() => cm.stop());
  }
  const sched = startScheduler({ client: h.client, clock: h.clock, rand: seededRand(7), activity: h.activity });
  stops.push(() => sched.stop());
  await h.settle();
  return h;
}

const podsOf = async (h: Harness) =>
  (await h.client.resource(GVR.pods).list("default")).items as (KObject & { spec: { nodeName?: string }; status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] } })[];

const deploy = (name: string, replicas: number, spec: Record<string, unknown> = {}): KObject => ({
  metadata: { name },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "c", image: "httpd" }], ...spec } } },
});

describe("scheduler", () => {
  it("spreads two replicas over node01 and node02 and never onto the tainted control plane", async () => {
    const h = await setup([node("master", { taints: [CONTROL_PLANE_TAINT], labels: { "node-role.kubernetes.io/control-plane": "" } }), node("node01"), node("node02")]);
    await h.client.resource(GVR.deployments).create(deploy("web", 2), "default");
    await h.settle();
    const pods = await podsOf(h);
    expect(pods.map((p) => p.spec.nodeName).sort()).toEqual(["node01", "node02"]);
    const scheduled = (await h.events("default")).filter((e) => e.reason === "Scheduled");
    expect(scheduled.map((e) => e.message).sort()).toEqual(pods.map((p) => `Successfully assigned default/${p.metadata.name} to ${p.spec.nodeName}`).sort());
    const raw = (await h.client.resource(GVR.events).list("default")).items.find((e) => (e as { reason?: string }).reason === "Scheduled")!;
    expect(raw).toMatchObject({ source: {}, firstTimestamp: null, lastTimestamp: null, reportingComponent: "default-scheduler", reportingInstance: "default-scheduler-master", action: "Binding" });
    expect((raw as unknown as { eventTime: string }).eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    for (const p of pods) expect(p.status?.conditions?.find((c) => c.type === "PodScheduled")?.status).toBe("True");

    // Four more: still balanced, still nothing on master.
    await h.client.resource(GVR.deployments).patch("web", "default", "application/merge-patch+json", { spec: { replicas: 6 } });
    await h.settle();
    const placed = (await podsOf(h)).map((p) => p.spec.nodeName);
    expect(placed.filter((n) => n === "node01")).toHaveLength(3);
    expect(placed.filter((n) => n === "node02")).toHaveLength(3);
  });

  it("places the replacement of a terminating pod on the node it leaves, not beside its sibling", async () => {
    const h = await setup([node("master", { taints: [CONTROL_PLANE_TAINT] }), node("node01"), node("node02")]);
    await h.client.resource(GVR.deployments).create(deploy("web", 2), "default");
    await h.settle();
    const [victim] = (await podsOf(h)).filter((p) => p.spec.nodeName === "node01");
    // A scheduled pod is deleted gracefully: it stays, Terminating, while its replacement is placed.
    await h.client.resource(GVR.pods).delete(victim!.metadata.name!, "default");
    await h.settle();
    const live = (await podsOf(h)).filter((p) => !p.metadata.deletionTimestamp);
    expect(live.map((p) => p.spec.nodeName).sort()).toEqual(["node01", "node02"]);
  });

  it("reports FailedScheduling with the upstream message and retries when a node frees up", async () => {
    const h = await setup([
      node("master", { taints: [CONTROL_PLANE_TAINT] }),
      node("node01", { unschedulable: true }),
      node("node02", { unschedulable: true }),
    ], false);
    await h.client.resource(GVR.pods).create({ metadata: { name: "x" }, spec: { containers: [{ name: "c", image: "httpd" }] } }, "default");
    await h.settle();
    const msg =
      "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
    const failed = (await h.events("default")).filter((e) => e.reason === "FailedScheduling");
    expect(failed).toEqual([{ reason: "FailedScheduling", type: "Warning", message: msg, involved: "Pod/x", count: 1, source: "default-scheduler" }]);
    const pod = (await podsOf(h))[0]!;
    expect(pod.spec.nodeName).toBeUndefined();
    expect(pod.status?.conditions?.find((c) => c.type === "PodScheduled")).toMatchObject({ status: "False", reason: "Unschedulable", message: msg });

    // The 5-minute flush retries it: same message, so the event's count goes up.
    await h.advance(5 * 60 * 1000);
    expect((await h.events("default")).find((e) => e.reason === "FailedScheduling")?.count).toBe(2);

    // Uncordon: the node update moves the pod back to the active queue.
    await h.client.resource(GVR.nodes).patch("node02", undefined, "application/merge-patch+json", { spec: { unschedulable: null } });
    await h.settle();
    expect((await podsOf(h))[0]!.spec.nodeName).toBe("node02");
  });

  it("counts requests against allocatable", async () => {
    const h = await setup([node("node01", { cpu: "1" })]);
    const big = { containers: [{ name: "c", image: "httpd", resources: { requests: { cpu: "600m" } } }] };
    await h.client.resource(GVR.pods).create({ metadata: { name: "a" }, spec: big }, "default");
    await h.client.resource(GVR.pods).create({ metadata: { name: "b" }, spec: big }, "default");
    await h.settle();
    const pods = await podsOf(h);
    expect(pods.find((p) => p.metadata.name === "a")!.spec.nodeName).toBe("node01");
    expect(pods.find((p) => p.metadata.name === "b")!.status?.conditions?.[0]?.message).toBe(
      "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
    );
    await h.client.resource(GVR.pods).delete("a", "default", { gracePeriodSeconds: 0 });
    await h.settle();
    // a was bound so it is terminating (grace), not gone: b still waits until it is.
    const a = (await podsOf(h)).find((p) => p.metadata.name === "a");
    if (a) await h.client.resource(GVR.pods).delete("a", "default", { gracePeriodSeconds: 0 });
    await h.settle();
    expect((await podsOf(h)).find((p) => p.metadata.name === "b")!.spec.nodeName).toBe("node01");
  });

  it("honours nodeSelector and formats reasons sorted by count then text", () => {
    expect(
      fitErrorMessage(3, [
        { code: "UnschedulableAndUnresolvable", reasons: ["node(s) didn't match Pod's node affinity/selector"] },
        { code: "UnschedulableAndUnresolvable", reasons: ["node(s) didn't match Pod's node affinity/selector"] },
        { code: "UnschedulableAndUnresolvable", reasons: ["node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"] },
      ]),
    ).toBe(
      "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
  });
});
