import { afterEach, describe, expect, it } from "vitest";
import { GVR } from "../../src/client/interface.ts";
import type { KObject } from "../../src/apimachinery/meta.ts";
import { startControllerManager } from "../../src/controller-manager.ts";
import { harness, type Harness, makePodReady } from "./controller-harness.ts";

function deployment(name: string, replicas: number, image = "httpd", extra: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: image.split(":")[0], image }] } },
      ...extra,
    },
  };
}

let stop: (() => void) | undefined;
afterEach(() => stop?.());

async function setup(): Promise<Harness> {
  const h = await harness();
  const cm = startControllerManager({ client: h.client, clock: h.clock, activity: h.activity, version: "v1.32.4" });
  stop = () => cm.stop();
  await h.settle();
  return h;
}

const pods = async (h: Harness) => (await h.client.resource(GVR.pods).list("default")).items.filter((p) => !p.metadata.deletionTimestamp);
const rss = async (h: Harness) => (await h.client.resource(GVR.replicasets).list("default")).items as (KObject & { spec: { replicas: number } })[];

async function readyAll(h: Harness): Promise<void> {
  for (const p of await pods(h)) {
    const ready = (p.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions?.some((c) => c.type === "Ready" && c.status === "True");
    if (!ready) await makePodReady(h.client, "default", p.metadata.name!);
  }
  await h.settle();
}

describe("deployment controller", () => {
  it("creates a ReplicaSet and two pods with upstream names, labels, owners and events", async () => {
    const h = await setup();
    await h.client.resource(GVR.deployments).create(deployment("test-web", 2), "default");
    await h.settle();
    const [rs] = await rss(h);
    expect(rs).toBeDefined();
    const hash = rs!.metadata.labels!["pod-template-hash"]!;
    expect(hash).toMatch(/^[456789bcdf]{9,10}$/);
    expect(rs!.metadata.name).toBe(`test-web-${hash}`);
    expect(rs!.metadata.annotations).toEqual({
      "deployment.kubernetes.io/desired-replicas": "2",
      "deployment.kubernetes.io/max-replicas": "3",
      "deployment.kubernetes.io/revision": "1",
    });
    expect(rs!.metadata.ownerReferences).toEqual([
      expect.objectContaining({ apiVersion: "apps/v1", kind: "Deployment", name: "test-web", controller: true, blockOwnerDeletion: true }),
    ]);
    expect((rs!.spec as unknown as { selector: unknown }).selector).toEqual({ matchLabels: { app: "test-web", "pod-template-hash": hash } });
    const ps = await pods(h);
    expect(ps).toHaveLength(2);
    for (const p of ps) {
      expect(p.metadata.name).toMatch(new RegExp(`^test-web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(p.metadata.labels).toEqual({ app: "test-web", "pod-template-hash": hash });
      expect(p.metadata.ownerReferences?.[0]).toMatchObject({ kind: "ReplicaSet", name: rs!.metadata.name, uid: rs!.metadata.uid, controller: true });
    }
    const d = await h.client.resource(GVR.deployments).get("test-web", "default");
    expect(d.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("1");
    const evs = await h.events("default");
    expect(evs).toEqual(
      expect.arrayContaining([
        { reason: "ScalingReplicaSet", message: `Scaled up replica set test-web-${hash} from 0 to 2`, type: "Normal", involved: "Deployment/test-web", count: 1, source: "deployment-controller" },
        { reason: "SuccessfulCreate", message: `Created pod: ${ps[0]!.metadata.name}`, type: "Normal", involved: `ReplicaSet/test-web-${hash}`, count: 1, source: "replicaset-controller" },
      ]),
    );
    // Not ready yet: the Deployment is progressing but not available.
    expect((d.status as { conditions: { type: string; reason: string }[] }).conditions.map((c) => `${c.type}/${c.reason}`)).toEqual([
      "Available/MinimumReplicasUnavailable",
      "Progressing/ReplicaSetUpdated",
    ]);

    await readyAll(h);
    const done = await h.client.resource(GVR.deployments).get("test-web", "default");
    expect(done.status).toMatchObject({ replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 });
    expect((done.status as { conditions: { type: string; reason: string; message: string }[] }).conditions.map((c) => [c.type, c.reason, c.message])).toEqual([
      ["Available", "MinimumReplicasAvailable", "Deployment has minimum availability."],
      ["Progressing", "NewReplicaSetAvailable", `ReplicaSet "test-web-${hash}" has successfully progressed.`],
    ]);
    const rsDone = (await rss(h))[0]!;
    expect(rsDone.status).toMatchObject({ replicas: 2, readyReplicas: 2, availableReplicas: 2, fullyLabeledReplicas: 2, observedGeneration: 1 });
  });

  it("scales up and down, deleting the newest pod, and replaces a deleted pod", async () => {
    const h = await setup();
    await h.client.resource(GVR.deployments).create(deployment("web", 2), "default");
    await h.settle();
    await readyAll(h);
    const rsName = (await rss(h))[0]!.metadata.name!;
    await h.client.resource(GVR.deployments).patch("web", "default", "application/merge-patch+json", { spec: { replicas: 3 } });
    await h.settle();
    expect(await pods(h)).toHaveLength(3);
    const before = (await pods(h)).map((p) => p.metadata.name);
    await readyAll(h);
    await h.client.resource(GVR.deployments).patch("web", "default", "application/merge-patch+json", { spec: { replicas: 1 } });
    await h.settle();
    expect(await pods(h)).toHaveLength(1);
    const msgs = (await h.events("default")).map((e) => e.message);
    expect(msgs).toContain(`Scaled up replica set ${rsName} from 2 to 3`);
    expect(msgs).toContain(`Scaled down replica set ${rsName} from 3 to 1`);
    expect(msgs.filter((m) => m.startsWith("Deleted pod: "))).toHaveLength(2);
    const left = (await pods(h))[0]!.metadata.name;
    expect(before).toContain(left);

    await h.client.resource(GVR.pods).delete(left!, "default");
    await h.settle();
    const now = await pods(h);
    expect(now).toHaveLength(1);
    expect(now[0]!.metadata.name).not.toBe(left);
  });

  it("rolls out a new template with the upstream event sequence and keeps history", async () => {
    const h = await setup();
    await h.client.resource(GVR.deployments).create(deployment("web", 2, "nginx:1.24"), "default");
    await h.settle();
    await readyAll(h);
    const oldRS = (await rss(h))[0]!.metadata.name!;
    await h.client.resource(GVR.deployments).patch("web", "default", "application/strategic-merge-patch+json", {
      spec: { template: { spec: { containers: [{ name: "nginx", image: "nginx:1.25" }] } } },
    });
    for (let i = 0; i < 6; i++) await readyAll(h);
    const all = await rss(h);
    expect(all).toHaveLength(2);
    const newRS = all.find((r) => r.metadata.name !== oldRS)!;
    expect(newRS.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("2");
    expect(all.find((r) => r.metadata.name === oldRS)!.spec.replicas).toBe(0);
    expect(newRS.spec.replicas).toBe(2);
    const scaling = (await h.events("default")).filter((e) => e.reason === "ScalingReplicaSet").map((e) => e.message);
    expect(scaling).toEqual([
      `Scaled up replica set ${oldRS} from 0 to 2`,
      `Scaled up replica set ${newRS.metadata.name} from 0 to 1`,
      `Scaled down replica set ${oldRS} from 2 to 1`,
      `Scaled up replica set ${newRS.metadata.name} from 1 to 2`,
      `Scaled down replica set ${oldRS} from 1 to 0`,
    ]);
    const d = await h.client.resource(GVR.deployments).get("web", "default");
    expect(d.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("2");
    expect(d.status).toMatchObject({ replicas: 2, updatedReplicas: 2, availableReplicas: 2 });

    // Rollback: the old template again reuses the old ReplicaSet as revision 3.
    await h.client.resource(GVR.deployments).patch("web", "default", "application/strategic-merge-patch+json", {
      spec: { template: { spec: { containers: [{ name: "nginx", image: "nginx:1.24" }] } } },
    });
    for (let i = 0; i < 6; i++) await readyAll(h);
    const back = (await rss(h)).find((r) => r.metadata.name === oldRS)!;
    expect(back.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("3");
    expect(back.metadata.annotations?.["deployment.kubernetes.io/revision-history"]).toBe("1");
    expect(back.spec.replicas).toBe(2);
  });

  it("Recreate scales the old ReplicaSet to zero before creating the new one", async () => {
    const h = await setup();
    await h.client.resource(GVR.deployments).create(deployment("db", 1, "postgres:15", { strategy: { type: "Recreate" } }), "default");
    await h.settle();
    await readyAll(h);
    await h.client.resource(GVR.deployments).patch("db", "default", "application/strategic-merge-patch+json", {
      spec: { template: { spec: { containers: [{ name: "postgres", image: "postgres:16" }] } } },
    });
    await h.settle();
    await readyAll(h);
    const scaling = (await h.events("default")).filter((e) => e.reason === "ScalingReplicaSet").map((e) => e.message.replace(/db-\w+/, "db-X"));
    expect(scaling).toEqual(["Scaled up replica set db-X from 0 to 1", "Scaled down replica set db-X from 1 to 0", "Scaled up replica set db-X from 0 to 1"]);
  });

  it("paused: template changes wait; replicas still apply", async () => {
    const h = await setup();
    await h.client.resource(GVR.deployments).create(deployment("web", 1, "nginx:1.24", { paused: true }), "default");
    await h.settle();
    expect(await rss(h)).toHaveLength(0);
    const d = await h.client.resource(GVR.deployments).get("web", "default");
    expect((d.status as { conditions: { reason: string; message: string }[] }).conditions[0]).toMatchObject({ reason: "DeploymentPaused", message: "Deployment is paused" });
    await h.client.resource(GVR.deployments).patch("web", "default", "application/merge-patch+json", { spec: { paused: null } });
    await h.settle();
    expect(await rss(h)).toHaveLength(1);
  });
});
