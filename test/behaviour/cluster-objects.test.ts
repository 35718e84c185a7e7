// Stories: deleting a namespace takes everything in it along (it shows
// Terminating until its pods are gone), and a node that joins later gets the
// DaemonSets' pods (kube-proxy, kube-flannel-ds) without anyone asking.

import { afterEach, describe, expect, it } from "vitest";
import type { DaemonSet } from "../../src/api/apps/v1.ts";
import type { Namespace, Pod } from "../../src/api/core/v1.ts";
import { isNotFound } from "../../src/apimachinery/errors.ts";
import { GVR } from "../../src/client/interface.ts";
import { type Lab, condition, lab } from "./harness.ts";

let l: Lab | undefined;
afterEach(() => l?.cluster.stop());

describe("namespace deletion", () => {
  it("shows Terminating while the pods stop, then the namespace is gone", async () => {
    l = await lab();
    await l.admin.resource<Namespace>(GVR.namespaces).create({ metadata: { name: "shop" } });
    await l.createDeployment("web", "httpd", 2, "shop");
    await l.advance(30_000);
    expect((await l.pods("shop")).map((p) => p.status?.phase)).toEqual(["Running", "Running"]);

    await l.admin.resource(GVR.namespaces).delete("shop");
    await l.advance(200);
    const ns = await l.admin.resource<Namespace>(GVR.namespaces).get("shop");
    expect(ns.status?.phase).toBe("Terminating");
    expect((await l.rows("shop")).map((r) => r.split(" ")[2])).toEqual(["Terminating", "Terminating"]);
    // A new object cannot be created in a terminating namespace.
    await expect(l.admin.resource<Pod>(GVR.pods).create({ metadata: { name: "late" }, spec: { containers: [{ name: "c", image: "httpd" }] } }, "shop")).rejects.toThrow(
      'pods "late" is forbidden: unable to create new content in namespace shop because it is being terminated',
    );

    await l.advance(10_000);
    const gone = await l.admin.resource(GVR.namespaces).get("shop").catch((e: unknown) => e);
    expect(isNotFound(gone)).toBe(true);
    expect(await l.pods("shop")).toEqual([]);
    for (const rt of l.cluster.runtimes.values()) expect(rt.listContainers().filter((c) => c.pod.namespace === "shop" && c.state === "CONTAINER_RUNNING")).toEqual([]);
  });
});

describe("a node joins", () => {
  it("gets a kube-proxy and a kube-flannel-ds pod, and goes Ready", async () => {
    l = await lab();
    await l.cluster.addNode("node03");
    await l.advance(60_000);
    const node = await l.node("node03");
    expect(condition(node, "Ready")).toMatchObject({ status: "True", reason: "KubeletReady" });
    expect(node.spec?.podCIDR).toBe("10.244.3.0/24");
    const daemons = [...(await l.pods("kube-system")), ...(await l.pods("kube-flannel"))].filter((p) => p.spec.nodeName === "node03");
    expect(daemons.map((p) => `${p.metadata.name!.replace(/-[a-z0-9]{5}$/, "")} ${p.status?.phase} ${p.status?.podIP}`).sort()).toEqual([
      `kube-flannel-ds Running ${l.cluster.hosts.get("node03")!.ip}`,
      `kube-proxy Running ${l.cluster.hosts.get("node03")!.ip}`,
    ]);
    for (const [name, ns] of [["kube-proxy", "kube-system"], ["kube-flannel-ds", "kube-flannel"]] as const) {
      const ds = await l.admin.resource<DaemonSet>(GVR.daemonsets).get(name, ns);
      expect(ds.status).toMatchObject({ desiredNumberScheduled: 4, currentNumberScheduled: 4, numberReady: 4 });
      expect(await l.events(ns, name)).toContain(`SuccessfulCreate: Created pod: ${daemons.find((p) => p.metadata.name!.startsWith(name))!.metadata.name}`);
    }
    // A workload can now land there too, with an IP from the new node's /24.
    await l.createDeployment("test-web", "httpd", 3);
    await l.advance(30_000);
    const onNew = (await l.pods()).filter((p) => p.spec.nodeName === "node03");
    expect(onNew.map((p) => p.status?.podIP)).toEqual([expect.stringMatching(/^10\.244\.3\.\d+$/)]);
  });
});
