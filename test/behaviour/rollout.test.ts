// Stories: changing a Deployment's image rolls it out one pod at a time
// (maxSurge 25% of 2 rounds up to 1, maxUnavailable 25% rounds down to 0), a
// rollback reuses the old ReplicaSet, and scaling up and down creates and
// deletes pods in the order upstream's ranking gives.

import { afterEach, describe, expect, it } from "vitest";
import type { Deployment, ReplicaSet } from "../../src/api/apps/v1.ts";
import { GVR } from "../../src/client/interface.ts";
import { type Lab, lab } from "./harness.ts";

let l: Lab | undefined;
afterEach(() => l?.cluster.stop());

/** `kubectl set image deployment/test-web httpd=IMAGE` sends this strategic merge patch. */
const setImage = (l: Lab, image: string) =>
  l.admin
    .resource<Deployment>(GVR.deployments)
    .patch("test-web", "default", "application/strategic-merge-patch+json", { spec: { template: { spec: { containers: [{ image, name: "httpd" }] } } } });

const replicaSets = async (l: Lab) =>
  (await l.admin.resource<ReplicaSet>(GVR.replicasets).list("default")).items.map(
    (rs) => `${rs.metadata.name} ${rs.spec.replicas} ${rs.metadata.annotations?.["deployment.kubernetes.io/revision"]}`,
  );

/** `kubectl scale deployment test-web --replicas=N` patches the scale subresource. */
const scale = (l: Lab, n: number) =>
  l.admin.resource(GVR.deployments).patch("test-web", "default", "application/merge-patch+json", { spec: { replicas: n } }, { subresource: "scale" });

describe("rolling update", () => {
  it("surges one pod at a time and rolls back onto the old ReplicaSet", async () => {
    l = await lab();
    await l.createDeployment("test-web", "httpd", 2);
    await l.advance(30_000);
    const [first] = (await l.admin.resource<ReplicaSet>(GVR.replicasets).list("default")).items;
    const oldRS = first!.metadata.name!;

    await setImage(l, "httpd:2.4");
    await l.advance(60_000);
    const rss = (await l.admin.resource<ReplicaSet>(GVR.replicasets).list("default")).items;
    expect(rss).toHaveLength(2);
    const newRS = rss.find((rs) => rs.metadata.name !== oldRS)!.metadata.name!;
    expect(newRS).toMatch(/^test-web-[4-9bcdf]{9,10}$/);
    expect(await l.events("default", "test-web", "Deployment")).toEqual([
      `ScalingReplicaSet: Scaled up replica set ${oldRS} from 0 to 2`,
      `ScalingReplicaSet: Scaled up replica set ${newRS} from 0 to 1`,
      `ScalingReplicaSet: Scaled down replica set ${oldRS} from 2 to 1`,
      `ScalingReplicaSet: Scaled up replica set ${newRS} from 1 to 2`,
      `ScalingReplicaSet: Scaled down replica set ${oldRS} from 1 to 0`,
    ]);
    expect((await replicaSets(l)).sort()).toEqual([`${newRS} 2 2`, `${oldRS} 0 1`].sort());
    const pods = await l.pods();
    expect(pods.map((p) => `${p.metadata.labels?.["pod-template-hash"]} ${p.spec.containers[0]!.image} ${p.status?.phase}`)).toEqual([
      `${newRS.slice(9)} httpd:2.4 Running`,
      `${newRS.slice(9)} httpd:2.4 Running`,
    ]);

    // Rollback: the template goes back to the first one; its ReplicaSet (same hash) takes revision 3.
    await setImage(l, "httpd");
    await l.advance(60_000);
    expect((await l.events("default", "test-web", "Deployment")).slice(5)).toEqual([
      `ScalingReplicaSet: Scaled up replica set ${oldRS} from 0 to 1`,
      `ScalingReplicaSet: Scaled down replica set ${newRS} from 2 to 1`,
      `ScalingReplicaSet: Scaled up replica set ${oldRS} from 1 to 2`,
      `ScalingReplicaSet: Scaled down replica set ${newRS} from 1 to 0`,
    ]);
    expect((await replicaSets(l)).sort()).toEqual([`${newRS} 0 2`, `${oldRS} 2 3`].sort());
    const d = await l.admin.resource<Deployment>(GVR.deployments).get("test-web", "default");
    expect(d.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("3");
    expect(d.status).toMatchObject({ replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 });
  });
});

describe("scaling", () => {
  it("scales 2→5→1, deleting the pods on the busiest node and the newest first", async () => {
    l = await lab();
    await l.createDeployment("test-web", "httpd", 2);
    await l.advance(30_000);
    const original = (await l.pods()).map((p) => p.metadata.name!);
    const [rs] = (await l.admin.resource<ReplicaSet>(GVR.replicasets).list("default")).items;
    const rsName = rs!.metadata.name!;

    await scale(l, 5);
    await l.advance(60_000);
    const five = await l.pods();
    expect(five.map((p) => p.status?.phase)).toEqual(Array(5).fill("Running"));
    const perNode = new Map<string, string[]>();
    for (const p of five) perNode.set(p.spec.nodeName!, [...(perNode.get(p.spec.nodeName!) ?? []), p.metadata.name!]);
    expect([...perNode.values()].map((v) => v.length).sort()).toEqual([2, 3]);
    const busy = [...perNode.entries()].find(([, v]) => v.length === 3)![0];
    const quiet = [...perNode.entries()].find(([, v]) => v.length === 2)![0];

    await scale(l, 1);
    await l.advance(60_000);
    const left = await l.pods();
    expect(left).toHaveLength(1);
    // Upstream's ranking: pods doubled up on a node go first; then the most recently ready.
    expect(left[0]!.spec.nodeName).toBe(quiet);
    expect(original).toContain(left[0]!.metadata.name);
    const deleted = five.map((p) => p.metadata.name!).filter((n) => n !== left[0]!.metadata.name);
    expect(await l.events("default", "test-web", "Deployment")).toEqual([
      `ScalingReplicaSet: Scaled up replica set ${rsName} from 0 to 2`,
      `ScalingReplicaSet: Scaled up replica set ${rsName} from 2 to 5`,
      `ScalingReplicaSet: Scaled down replica set ${rsName} from 5 to 1`,
    ]);
    const rsEvents = await l.events("default", rsName);
    expect(rsEvents.filter((e) => e.startsWith("SuccessfulCreate"))).toHaveLength(5);
    const deletes = rsEvents.filter((e) => e.startsWith("SuccessfulDelete"));
    expect(deletes.sort()).toEqual(deleted.map((n) => `SuccessfulDelete: Deleted pod: ${n}`).sort());
    for (const n of perNode.get(busy)!) expect(deleted).toContain(n);
    for (const n of deleted) expect(await l.events("default", n)).toContain("Killing: Stopping container httpd");
  });
});
