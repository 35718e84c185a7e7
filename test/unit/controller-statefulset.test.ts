import { afterEach, describe, expect, it } from "vitest";
import type { KObject } from "../../src/apimachinery/meta.ts";
import type { StatefulSet } from "../../src/api/apps/v1.ts";
import { GVR } from "../../src/client/interface.ts";
import type { Controller, ControllerContext } from "../../src/controller/context.ts";
import { SharedInformerFactory } from "../../src/controller/informers.ts";
import { startStatefulSetController } from "../../src/controller/statefulset/stateful-set.ts";
import { seededRand } from "../../src/utils/rand.ts";
import { type Harness, harness, makePodReady } from "./controller-harness.ts";

const PVCS = { group: "", version: "v1", resource: "persistentvolumeclaims" };

const stops: (() => void)[] = [];
afterEach(() => {
  while (stops.length) stops.pop()!();
});

function start(h: Harness, ...fns: ((ctx: ControllerContext) => Controller)[]): void {
  const informers = new SharedInformerFactory(h.client, h.activity);
  const ctx: ControllerContext = { client: h.client, clock: h.clock, rand: seededRand(7), activity: h.activity, informers, version: "v1.32.4", log: () => {} };
  const running = fns.map((f) => f(ctx));
  informers.start();
  stops.push(() => {
    for (const c of running) c.stop();
    informers.stop();
  });
}

function sts(name: string, spec: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name },
    spec: {
      serviceName: "nginx",
      replicas: 3,
      selector: { matchLabels: { app: "nginx" } },
      template: { metadata: { labels: { app: "nginx" } }, spec: { containers: [{ name: "nginx", image: "nginx:1.25" }] } },
      volumeClaimTemplates: [{ metadata: { name: "www" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } }],
      ...spec,
    },
  };
}

type P = KObject & { spec: { hostname?: string; subdomain?: string; volumes?: unknown[]; containers: { image: string }[] } };

async function podNames(h: Harness): Promise<string[]> {
  return (await h.client.resource(GVR.pods).list("default")).items.map((p) => p.metadata.name!).sort();
}

async function readyAll(h: Harness): Promise<void> {
  for (let i = 0; i < 10; i++) {
    const pods = (await h.client.resource(GVR.pods).list("default")).items.filter((p) => (p.status as { phase?: string }).phase !== "Running");
    if (pods.length === 0) return;
    for (const p of pods) await makePodReady(h.client, "default", p.metadata.name!);
    await h.settle();
  }
}

describe("statefulset controller", () => {
  it("creates ordered pods with stable identity and claims, one at a time", async () => {
    const h = await harness();
    start(h, startStatefulSetController);
    await h.client.resource(GVR.statefulsets).create(sts("web"), "default");
    await h.settle();
    expect(await podNames(h)).toEqual(["web-0"]);
    const p0 = (await h.client.resource(GVR.pods).get("web-0", "default")) as P;
    const set = (await h.client.resource(GVR.statefulsets).get("web", "default")) as StatefulSet;
    const rev = set.status!.updateRevision!;
    expect(rev).toMatch(/^web-[456789bcdf]{9,10}$/);
    expect(p0.metadata.labels).toEqual({ app: "nginx", "controller-revision-hash": rev, "statefulset.kubernetes.io/pod-name": "web-0", "apps.kubernetes.io/pod-index": "0" });
    expect(p0.spec.hostname).toBe("web-0");
    expect(p0.spec.subdomain).toBe("nginx");
    expect(p0.spec.volumes).toEqual(expect.arrayContaining([{ name: "www", persistentVolumeClaim: { claimName: "www-web-0" } }]));
    const claim = await h.client.resource(PVCS).get("www-web-0", "default");
    expect(claim.metadata.labels).toEqual({ app: "nginx" });

    await makePodReady(h.client, "default", "web-0");
    await h.settle();
    expect(await podNames(h)).toEqual(["web-0", "web-1"]);
    await readyAll(h);
    expect(await podNames(h)).toEqual(["web-0", "web-1", "web-2"]);
    const done = (await h.client.resource(GVR.statefulsets).get("web", "default")) as StatefulSet;
    expect(done.status).toEqual({
      observedGeneration: 1,
      replicas: 3,
      readyReplicas: 3,
      currentReplicas: 3,
      updatedReplicas: 3,
      currentRevision: rev,
      updateRevision: rev,
      collisionCount: 0,
      availableReplicas: 3,
    });
    const events = (await h.events("default")).map((e) => `${e.reason} ${e.message}`);
    expect(events.slice(0, 2)).toEqual(["SuccessfulCreate create Claim www-web-0 Pod web-0 in StatefulSet web success", "SuccessfulCreate create Pod web-0 in StatefulSet web successful"]);

    // Scale down: the highest ordinal goes first.
    const s = (await h.client.resource(GVR.statefulsets).get("web", "default")) as StatefulSet;
    s.spec.replicas = 1;
    await h.client.resource(GVR.statefulsets).update(s);
    await h.settle();
    expect(await podNames(h)).toEqual(["web-0"]);
    const deletes = (await h.events("default")).filter((e) => e.reason === "SuccessfulDelete").map((e) => e.message);
    expect(deletes).toEqual(["delete Pod web-2 in StatefulSet web successful", "delete Pod web-1 in StatefulSet web successful"]);
    // Claims stay (retention Retain).
    expect((await h.client.resource(PVCS).list("default")).items.map((c) => c.metadata.name).sort()).toEqual(["www-web-0", "www-web-1", "www-web-2"]);
  });

  it("creates every pod at once with Parallel", async () => {
    const h = await harness();
    start(h, startStatefulSetController);
    await h.client.resource(GVR.statefulsets).create(sts("db", { podManagementPolicy: "Parallel", volumeClaimTemplates: [] }), "default");
    await h.settle();
    expect(await podNames(h)).toEqual(["db-0", "db-1", "db-2"]);
  });

  it("rolls out a new template from the highest ordinal down to the partition", async () => {
    const h = await harness();
    start(h, startStatefulSetController);
    await h.client.resource(GVR.statefulsets).create(sts("web", { volumeClaimTemplates: [], updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 1 } } }), "default");
    await h.settle();
    await readyAll(h);
    const s = (await h.client.resource(GVR.statefulsets).get("web", "default")) as StatefulSet;
    const oldRev = s.status!.currentRevision!;
    s.spec.template.spec.containers[0]!.image = "nginx:1.26";
    await h.client.resource(GVR.statefulsets).update(s);
    await h.settle();
    await readyAll(h);
    const images = async () =>
      Object.fromEntries(((await h.client.resource(GVR.pods).list("default")).items as P[]).map((p) => [p.metadata.name, p.spec.containers[0]!.image]));
    expect(await images()).toEqual({ "web-0": "nginx:1.25", "web-1": "nginx:1.26", "web-2": "nginx:1.26" });
    let st = ((await h.client.resource(GVR.statefulsets).get("web", "default")) as StatefulSet).status!;
    expect(st).toMatchObject({ currentRevision: oldRev, currentReplicas: 1, updatedReplicas: 2, readyReplicas: 3 });
    expect(st.updateRevision).not.toBe(oldRev);

    const s2 = (await h.client.resource(GVR.statefulsets).get("web", "default")) as StatefulSet;
    s2.spec.updateStrategy = { type: "RollingUpdate", rollingUpdate: { partition: 0 } };
    await h.client.resource(GVR.statefulsets).update(s2);
    await h.settle();
    await readyAll(h);
    expect(await images()).toEqual({ "web-0": "nginx:1.26", "web-1": "nginx:1.26", "web-2": "nginx:1.26" });
    st = ((await h.client.resource(GVR.statefulsets).get("web", "default")) as StatefulSet).status!;
    expect(st.currentRevision).toBe(st.updateRevision);
    expect(st.currentReplicas).toBe(3);
    expect((await h.client.resource(GVR.controllerrevisions).list("default")).items).toHaveLength(2);
  });
});
