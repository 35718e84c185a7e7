// The assembled cluster: after a minute of cluster time every system pod runs
// on the node it belongs on and every node is Ready, as on a fresh kubeadm lab.

import { afterEach, describe, expect, it } from "vitest";
import type { Node, Pod, Service } from "../../src/api/core/v1.ts";
import { GVR } from "../../src/client/interface.ts";
import { type Cluster, createCluster } from "../../src/cluster.ts";
import { FakeClock } from "../../src/utils/clock.ts";

let cluster: Cluster | undefined;
afterEach(() => cluster?.stop());

async function settled(): Promise<{ cluster: Cluster; clock: FakeClock }> {
  const clock = new FakeClock();
  cluster = await createCluster({ clock, seed: 42 });
  const c = cluster;
  await clock.advance(60_000, () => c.settle());
  return { cluster: c, clock };
}

describe("createCluster", () => {
  it("settles with every system pod Running on the right node and every node Ready", async () => {
    const { cluster } = await settled();
    const admin = cluster.client("kubernetes-admin");
    const nodes = (await admin.resource<Node>(GVR.nodes).list()).items;
    expect(nodes.map((n) => n.metadata.name)).toEqual(["master", "node01", "node02"]);
    for (const n of nodes) expect(n.status?.conditions?.find((c) => c.type === "Ready")?.status).toBe("True");
    expect(nodes.map((n) => n.spec?.podCIDR)).toEqual(["10.244.0.0/24", "10.244.1.0/24", "10.244.2.0/24"]);
    const master = nodes[0]!;
    expect(master.metadata.labels?.["node-role.kubernetes.io/control-plane"]).toBe("");
    expect(master.spec?.taints).toEqual([{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }]);

    const pods = [
      ...(await admin.resource<Pod>(GVR.pods).list("kube-system")).items,
      ...(await admin.resource<Pod>(GVR.pods).list("kube-flannel")).items,
    ];
    const summary = pods.map((p) => `${p.metadata.name!.replace(/-[a-z0-9]{5}$/, "").replace(/-[a-z0-9]{8,10}$/, "")} ${p.spec.nodeName} ${p.status?.phase}`).sort();
    expect(summary).toEqual(
      [
        "coredns master Running",
        "coredns master Running",
        "etcd-master master Running",
        "kube-apiserver-master master Running",
        "kube-controller-manager-master master Running",
        "kube-flannel-ds master Running",
        "kube-flannel-ds node01 Running",
        "kube-flannel-ds node02 Running",
        "kube-proxy master Running",
        "kube-proxy node01 Running",
        "kube-proxy node02 Running",
        "kube-scheduler-master master Running",
      ].sort(),
    );
    for (const p of pods) {
      expect(p.status?.containerStatuses?.every((c) => c.ready)).toBe(true);
      if (p.metadata.name!.startsWith("coredns")) expect(p.status?.podIP).toMatch(/^10\.244\.0\.\d+$/);
      else expect(p.status?.podIP).toBe(p.status?.hostIP);
    }
    const dns = await admin.resource<Service>(GVR.services).get("kube-dns", "kube-system");
    expect(dns.spec?.clusterIP).toBe("10.96.0.10");
    expect(cluster.hosts.get("node01")!.interfaces().map((i) => i.name)).toEqual(["lo", "eth0", "flannel.1"]);
  });

  it("runs a user's pod on a worker with an IP from that worker's /24", async () => {
    const { cluster, clock } = await settled();
    const admin = cluster.client("kubernetes-admin");
    await admin.resource<Pod>(GVR.pods).create({ metadata: { name: "web" }, spec: { containers: [{ name: "httpd", image: "httpd" }] } }, "default");
    await clock.advance(15_000, () => cluster.settle());
    const p = await admin.resource<Pod>(GVR.pods).get("web", "default");
    expect(p.status?.phase).toBe("Running");
    const subnet = p.spec.nodeName === "node01" ? "10.244.1" : "10.244.2";
    expect(p.status?.podIP).toBe(`${subnet}.2`);
  });

  it("goes NotReady when a kubelet stops, keeps its containers, and comes back Ready", async () => {
    const { cluster, clock } = await settled();
    const admin = cluster.client("kubernetes-admin");
    const ready = async () => (await admin.resource<Node>(GVR.nodes).get("node01")).status?.conditions?.find((c) => c.type === "Ready");
    const running = cluster.runtimes.get("node01")!.listContainers().filter((c) => c.state === "CONTAINER_RUNNING").length;
    cluster.hosts.get("node01")!.stop("kubelet");
    await clock.advance(70_000, () => cluster.settle());
    expect(await ready()).toMatchObject({ status: "Unknown", reason: "NodeStatusUnknown" });
    expect(cluster.runtimes.get("node01")!.listContainers().filter((c) => c.state === "CONTAINER_RUNNING").length).toBe(running);
    cluster.hosts.get("node01")!.start("kubelet");
    await clock.advance(15_000, () => cluster.settle());
    expect(await ready()).toMatchObject({ status: "True", reason: "KubeletReady" });
    const events = await admin.resource(GVR.events).list("default", { fieldSelector: "involvedObject.name=node01" });
    expect(events.items.map((e) => e.reason as string)).toEqual(expect.arrayContaining(["NodeNotReady", "NodeReady", "Starting"]));
  });
});
