import { afterEach, describe, expect, it } from "vitest";
import { GVR } from "../../src/client/interface.ts";
import type { KObject } from "../../src/apimachinery/meta.ts";
import { startControllerManager } from "../../src/controller-manager.ts";
import { harness, type Harness } from "./controller-harness.ts";

let stop: (() => void) | undefined;
afterEach(() => stop?.());

async function setup(): Promise<Harness> {
  const h = await harness();
  const cm = startControllerManager({ client: h.client, clock: h.clock, activity: h.activity, version: "v1.32.4" });
  stop = () => cm.stop();
  await h.settle();
  await h.client.resource(GVR.deployments).create(
    {
      metadata: { name: "web" },
      spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "httpd" }] } } },
    },
    "default",
  );
  await h.settle();
  return h;
}

const names = async (h: Harness, gvr: typeof GVR.pods | typeof GVR.replicasets | typeof GVR.deployments) =>
  (await h.client.resource(gvr).list("default")).items.map((o: KObject) => o.metadata.name);

describe("garbage collector", () => {
  it("background: deleting a Deployment removes its ReplicaSet and pods", async () => {
    const h = await setup();
    expect(await names(h, GVR.pods)).toHaveLength(2);
    await h.client.resource(GVR.deployments).delete("web", "default", { propagationPolicy: "Background" });
    await h.settle();
    expect(await names(h, GVR.replicasets)).toEqual([]);
    expect(await names(h, GVR.pods)).toEqual([]);
  });

  it("foreground: dependents go first, then the owner's finalizer", async () => {
    const h = await setup();
    await h.client.resource(GVR.deployments).delete("web", "default", { propagationPolicy: "Foreground" });
    await h.settle();
    expect(await names(h, GVR.deployments)).toEqual([]);
    expect(await names(h, GVR.replicasets)).toEqual([]);
    expect(await names(h, GVR.pods)).toEqual([]);
  });

  it("orphan: dependents lose their ownerReferences and stay", async () => {
    const h = await setup();
    const rs = (await h.client.resource(GVR.replicasets).list("default")).items[0]!;
    await h.client.resource(GVR.replicasets).delete(rs.metadata.name!, "default", { propagationPolicy: "Orphan" });
    await h.settle();
    const pods = (await h.client.resource(GVR.pods).list("default")).items;
    // The Deployment makes a new ReplicaSet with the same name… which adopts the orphans again.
    expect(pods.length).toBeGreaterThanOrEqual(2);
    const rs2 = (await h.client.resource(GVR.replicasets).list("default")).items[0]!;
    expect(rs2.metadata.uid).not.toBe(rs.metadata.uid);
    for (const p of pods) expect(p.metadata.ownerReferences?.[0]?.uid).toBe(rs2.metadata.uid);
    expect(pods).toHaveLength(2);
  });
});
