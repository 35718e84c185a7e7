// kubectl cordon/drain/uncordon, taint and wait on a whole emulated cluster:
// drain refuses DaemonSet pods without --ignore-daemonsets, then evicts the
// rest through pods/eviction, waits (on the cluster's clock) for the kubelet
// to finish them, and the Deployment's replacements land on the other node.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, createCluster } from "../../src/cluster.ts";
import { GVR } from "../../src/client/interface.ts";
import { inProcessTransport } from "../../src/client/transport.ts";
import { kubectlMain } from "../../src/kubectl/kubectl.ts";
import { FakeClock } from "../../src/utils/clock.ts";
import { captureIO } from "../../src/utils/command.ts";

let cluster: Cluster;
let clock: FakeClock;

function start(args: string[]) {
  const io = captureIO({ env: { HOME: "/nonexistent" } });
  const done = kubectlMain(args, io, { transport: inProcessTransport(cluster.api), now: () => clock.now(), clock });
  return { io, done };
}

async function kubectl(args: string[]) {
  const { io, done } = start(args);
  const code = await done;
  return { code, out: io.out(), err: io.err() };
}

async function podsOn(node: string): Promise<string[]> {
  const list = await cluster.client("test").resource(GVR.pods).list(undefined, { fieldSelector: `spec.nodeName=${node}` });
  return list.items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort();
}

beforeAll(async () => {
  clock = new FakeClock(Date.parse("2025-05-01T10:00:00Z"));
  cluster = await createCluster({ clock, seed: 5 });
  await clock.advance(60_000, () => cluster.settle());
  expect((await kubectl(["create", "deployment", "web", "--image=httpd", "--replicas=4"])).code).toBe(0);
  await clock.advance(120_000, () => cluster.settle());
}, 60_000);

afterAll(() => cluster?.stop());

describe("node maintenance", () => {
  it("drain without --ignore-daemonsets cordons, then refuses", async () => {
    const ds = (await podsOn("node01")).filter((p) => p.startsWith("kube-"));
    expect(ds.length).toBe(2);
    const r = await kubectl(["drain", "node01"]);
    expect(r.code).toBe(1);
    expect(r.out).toBe("node/node01 cordoned\n");
    const why = `cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): ${ds.join(", ")}`;
    expect(r.err).toBe(`error: unable to drain node "node01" due to error: ${why}, continuing command...\nThere are pending nodes to be drained:\n node01\n${why}\n`);
  });

  it("drain --ignore-daemonsets evicts the rest and waits for them", async () => {
    const web = (await podsOn("node01")).filter((p) => p.startsWith("default/"));
    expect(web.length).toBeGreaterThan(0);
    const ds = (await podsOn("node01")).filter((p) => p.startsWith("kube-"));
    const drain = start(["drain", "node01", "--ignore-daemonsets"]);
    for (let i = 0; i < 8; i++) await clock.advance(5_000, () => cluster.settle());
    expect(await drain.done).toBe(0);
    expect(drain.io.err()).toBe(`Warning: ignoring DaemonSet-managed Pods: ${ds.join(", ")}\n`);
    const lines = drain.io.out().trimEnd().split("\n");
    expect(lines[0]).toBe("node/node01 already cordoned");
    expect(lines.at(-1)).toBe("node/node01 drained");
    const names = web.map((p) => p.split("/")[1]!);
    expect(lines.filter((l) => l.startsWith("evicting pod ")).sort()).toEqual(web.map((p) => `evicting pod ${p}`));
    expect(lines.filter((l) => l.endsWith(" evicted")).sort()).toEqual(names.map((n) => `pod/${n} evicted`));
    await clock.advance(60_000, () => cluster.settle());
    expect((await podsOn("node01")).filter((p) => p.startsWith("default/"))).toEqual([]);
    expect((await podsOn("node02")).filter((p) => p.startsWith("default/")).length).toBe(4);
  }, 30_000);

  it("uncordon, and again", async () => {
    expect(await kubectl(["uncordon", "node01"])).toEqual({ code: 0, out: "node/node01 uncordoned\n", err: "" });
    expect(await kubectl(["uncordon", "node01"])).toEqual({ code: 0, out: "node/node01 already uncordoned\n", err: "" });
  });

  it("taint keeps new pods off a node; removing it lets them back", async () => {
    expect((await kubectl(["taint", "nodes", "node02", "maint=yes:NoSchedule"])).out).toBe("node/node02 tainted\n");
    expect((await kubectl(["run", "solo", "--image=httpd"])).code).toBe(0);
    await clock.advance(30_000, () => cluster.settle());
    expect((await podsOn("node01")).includes("default/solo")).toBe(true);
    expect((await kubectl(["taint", "nodes", "node02", "maint-"])).out).toBe("node/node02 untainted\n");
  });

  it("wait follows a pod to Ready and to deletion on the cluster's clock", async () => {
    expect((await kubectl(["run", "late", "--image=httpd"])).code).toBe(0);
    const ready = start(["wait", "--for=condition=Ready", "pod/late", "--timeout=2m"]);
    await clock.advance(60_000, () => cluster.settle());
    expect(await ready.done).toBe(0);
    expect(ready.io.out()).toBe("pod/late condition met\n");
    expect((await kubectl(["delete", "pod", "late", "--wait=false"])).code).toBe(0);
    const gone = start(["wait", "--for=delete", "pod/late"]);
    await clock.advance(40_000, () => cluster.settle());
    expect(await gone.done).toBe(0);
    expect(gone.io.out()).toBe("pod/late condition met\n");
    const never = start(["wait", "--for=jsonpath={.status.phase}=Failed", "pod/solo", "--timeout=10s"]);
    await clock.advance(11_000, () => cluster.settle());
    expect(await never.done).toBe(1);
    expect(never.io.err()).toBe("error: timed out waiting for the condition on pods/solo\n");
  }, 30_000);
});
