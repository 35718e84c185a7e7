import { afterEach, describe, expect, it } from "vitest";
import { GVR } from "../../src/client/interface.ts";
import type { KObject } from "../../src/apimachinery/meta.ts";
import { startControllerManager } from "../../src/controller-manager.ts";
import { harness, type Harness, makePodReady } from "./controller-harness.ts";

let stop: (() => void) | undefined;
afterEach(() => stop?.());

async function setup(): Promise<Harness> {
  const h = await harness();
  const cm = startControllerManager({ client: h.client, clock: h.clock, activity: h.activity, version: "v1.32.4" });
  stop = () => cm.stop();
  await h.client.resource(GVR.services).create(
    { metadata: { name: "web", labels: { app: "web" } }, spec: { selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }], clusterIP: "10.96.0.20" } },
    "default",
  );
  await h.client.resource(GVR.services).create({ metadata: { name: "kubernetes" }, spec: { ports: [{ name: "https", port: 443, targetPort: 6443 }] } }, "default");
  for (const [name, ip] of [["web-a", "10.244.1.2"], ["web-b", "10.244.2.2"]] as const) {
    await h.client.resource(GVR.pods).create(
      { metadata: { name, labels: { app: "web" } }, spec: { nodeName: name === "web-a" ? "node01" : "node02", containers: [{ name: "c", image: "httpd", ports: [{ name: "http", containerPort: 8080 }] }] } },
      "default",
    );
    await makePodReady(h.client, "default", name, ip, false);
  }
  await h.settle();
  return h;
}

type EP = KObject & { subsets?: { addresses?: { ip: string; nodeName?: string; targetRef: { name: string } }[]; notReadyAddresses?: { ip: string }[]; ports?: unknown[] }[] };
type Slice = KObject & { endpoints: { addresses: string[]; conditions: { ready: boolean } }[]; ports: unknown };

describe("endpoints and endpointslice controllers", () => {
  it("follow pod readiness", async () => {
    const h = await setup();
    let ep = (await h.client.resource(GVR.endpoints).get("web", "default")) as EP;
    expect(ep.metadata.labels).toEqual({ app: "web" });
    expect(ep.subsets).toEqual([
      { notReadyAddresses: [expect.objectContaining({ ip: "10.244.1.2", nodeName: "node01" }), expect.objectContaining({ ip: "10.244.2.2" })], ports: [{ name: "http", port: 8080, protocol: "TCP" }] },
    ]);
    await makePodReady(h.client, "default", "web-a", "10.244.1.2", true);
    await h.settle();
    ep = (await h.client.resource(GVR.endpoints).get("web", "default")) as EP;
    expect(ep.subsets?.[0]?.addresses).toEqual([{ ip: "10.244.1.2", nodeName: "node01", targetRef: expect.objectContaining({ kind: "Pod", name: "web-a", namespace: "default" }) }]);
    expect(ep.subsets?.[0]?.notReadyAddresses?.map((a) => a.ip)).toEqual(["10.244.2.2"]);

    const slices = (await h.client.resource(GVR.endpointslices).list("default")).items as Slice[];
    expect(slices).toHaveLength(1);
    const s = slices[0]!;
    expect(s.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(s.metadata.labels).toMatchObject({ "kubernetes.io/service-name": "web", "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io" });
    expect(s.metadata.ownerReferences?.[0]).toMatchObject({ kind: "Service", name: "web", controller: true });
    expect(s.endpoints.map((e) => [e.addresses[0], e.conditions.ready])).toEqual([
      ["10.244.1.2", true],
      ["10.244.2.2", false],
    ]);
    expect(s.ports).toEqual([{ name: "http", port: 8080, protocol: "TCP" }]);

    // The selector-less kubernetes service is not ours.
    await expect(h.client.resource(GVR.endpoints).get("kubernetes", "default")).rejects.toThrow(/not found/);

    // Deleting a pod removes it from both.
    await h.client.resource(GVR.pods).delete("web-a", "default", { gracePeriodSeconds: 0 });
    await h.client.resource(GVR.pods).delete("web-a", "default", { gracePeriodSeconds: 0 }).catch(() => undefined);
    await h.settle();
    ep = (await h.client.resource(GVR.endpoints).get("web", "default")) as EP;
    expect(ep.subsets?.[0]?.addresses).toBeUndefined();
    const s2 = ((await h.client.resource(GVR.endpointslices).list("default")).items as Slice[])[0]!;
    expect(s2.endpoints.map((e) => e.addresses[0])).toEqual(["10.244.2.2"]);

    // Deleting the Service removes its Endpoints, and (via the GC) its slices.
    await h.client.resource(GVR.services).delete("web", "default");
    await h.settle();
    await expect(h.client.resource(GVR.endpoints).get("web", "default")).rejects.toThrow(/not found/);
    expect((await h.client.resource(GVR.endpointslices).list("default")).items).toEqual([]);
  });
});
