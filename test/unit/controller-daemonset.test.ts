import { afterEach, describe, expect, it } from "vitest";
import { GVR } from "../../src/client/interface.ts";
import type { KObject } from "../../src/apimachinery/meta.ts";
import { startControllerManager } from "../../src/controller-manager.ts";
import { startScheduler } from "../../src/scheduler/scheduler.ts";
import { seededRand } from "../../src/utils/rand.ts";
import { CONTROL_PLANE_TAINT, harness, node } from "./controller-harness.ts";

const stops: (() => void)[] = [];
afterEach(() => {
  while (stops.length) stops.pop()!();
});

type P = KObject & { spec: { nodeName?: string; tolerations?: { key?: string; effect?: string }[] } };

describe("daemonset controller", () => {
  it("runs one pod per eligible node, bound by the scheduler, with DaemonSet tolerations", async () => {
    const h = await harness();
    for (const n of [node("master", { taints: [CONTROL_PLANE_TAINT] }), node("node01"), node("node02")]) await h.client.resource(GVR.nodes).create(n);
    const cm = startControllerManager({ client: h.client, clock: h.clock, activity: h.activity, version: "v1.32.4" });
    const s = startScheduler({ client: h.client, clock: h.clock, rand: seededRand(3), activity: h.activity });
    stops.push(() => cm.stop(), () => s.stop());
    const tmpl = (image: string) => ({ metadata: { labels: { app: "agent" } }, spec: { containers: [{ name: "agent", image }] } });
    await h.client.resource(GVR.daemonsets).create({ metadata: { name: "agent" }, spec: { selector: { matchLabels: { app: "agent" } }, template: tmpl("busybox:1") } }, "default");
    await h.settle();
    let pods = (await h.client.resource(GVR.pods).list("default")).items as P[];
    expect(pods.map((p) => p.spec.nodeName).sort()).toEqual(["node01", "node02"]);
    for (const p of pods) {
      expect(p.metadata.name).toMatch(/^agent-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(p.metadata.labels?.["controller-revision-hash"]).toMatch(/^[456789bcdf]{9,10}$/);
      expect(p.spec.tolerations).toEqual(expect.arrayContaining([expect.objectContaining({ key: "node.kubernetes.io/unreachable", effect: "NoExecute" })]));
    }
    const revs = (await h.client.resource(GVR.controllerrevisions).list("default")).items;
    expect(revs.map((r) => r.metadata.name)).toEqual([`agent-${pods[0]!.metadata.labels!["controller-revision-hash"]}`]);
    const events = (await h.events("default")).filter((e) => e.source === "daemonset-controller");
    expect(events.map((e) => e.message).sort()).toEqual(pods.map((p) => `Created pod: ${p.metadata.name}`).sort());
    const ds = await h.client.resource(GVR.daemonsets).get("agent", "default");
    expect(ds.status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberMisscheduled: 0, numberReady: 0, updatedNumberScheduled: 2, numberUnavailable: 2 });

    // A new node gets a pod; a tolerating template runs on the control plane too.
    await h.client.resource(GVR.nodes).create(node("node03"));
    await h.settle();
    pods = (await h.client.resource(GVR.pods).list("default")).items as P[];
    expect(pods.map((p) => p.spec.nodeName).sort()).toEqual(["node01", "node02", "node03"]);
  });
});
