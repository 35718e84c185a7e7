import { afterEach, describe, expect, it } from "vitest";
import { GVR } from "../../src/client/interface.ts";
import { type KObject, rfc3339 } from "../../src/apimachinery/meta.ts";
import { startControllerManager } from "../../src/controller-manager.ts";
import { evictionTime } from "../../src/controller/tainteviction/taint-eviction.ts";
import { harness, type Harness, makePodReady, node } from "./controller-harness.ts";

let stop: (() => void) | undefined;
afterEach(() => stop?.());

type N = KObject & { spec?: { taints?: { key: string; effect: string; timeAdded?: string }[] }; status: { conditions: { type: string; status: string; reason?: string; message?: string }[] } };

async function setup(version = "v1.32.4"): Promise<Harness> {
  const h = await harness();
  for (const name of ["node01", "node02"]) {
    await h.client.resource(GVR.nodes).create(node(name));
    await h.client.resource(GVR.leases).create(
      { metadata: { name }, spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: rfc3339(h.clock.now()) } },
      "kube-node-lease",
    );
  }
  const tolerate = (secs?: number) => [
    { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", ...(secs !== undefined ? { tolerationSeconds: secs } : {}) },
  ];
  const pods: [string, unknown[]][] = [
    ["web", tolerate(300)],
    ["ds", tolerate()],
    // The apiserver's DefaultTolerationSeconds would give a pod without tolerations 300 s; 0 s means at once.
    ["bare", tolerate(0)],
  ];
  for (const [name, tolerations] of pods) {
    await h.client.resource(GVR.pods).create({ metadata: { name }, spec: { nodeName: "node01", tolerations, containers: [{ name: "c", image: "httpd" }] } }, "default");
    await makePodReady(h.client, "default", name);
  }
  const cm = startControllerManager({ client: h.client, clock: h.clock, activity: h.activity, version });
  stop = () => cm.stop();
  await h.settle();
  return h;
}

/** node02's kubelet keeps renewing its lease every 10 s; node01's has stopped. */
async function runFor(h: Harness, seconds: number): Promise<void> {
  for (let t = 0; t < seconds; t += 10) {
    await h.advance(10_000);
    await h.client.resource(GVR.leases).patch("node02", "kube-node-lease", "application/merge-patch+json", { spec: { renewTime: rfc3339(h.clock.now()) } });
  }
}

const getNode = async (h: Harness, name: string) => (await h.client.resource(GVR.nodes).get(name)) as N;

describe("node lifecycle and taint eviction", () => {
  it("marks a silent node NotReady after the grace period, taints it, and evicts pods at 300 s", async () => {
    const h = await setup();
    await runFor(h, 50);
    expect((await getNode(h, "node01")).status.conditions.find((c) => c.type === "Ready")?.status).toBe("True");
    await h.advance(5_000);
    const n1 = await getNode(h, "node01");
    expect(n1.status.conditions.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ["Ready", "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status."],
      ["MemoryPressure", "Unknown", "NodeStatusNeverUpdated", "Kubelet never posted node status."],
      ["DiskPressure", "Unknown", "NodeStatusNeverUpdated", "Kubelet never posted node status."],
      ["PIDPressure", "Unknown", "NodeStatusNeverUpdated", "Kubelet never posted node status."],
    ]);
    expect(n1.spec?.taints?.map((t) => `${t.key}:${t.effect}`)).toEqual(["node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/unreachable:NoExecute"]);
    expect(n1.spec?.taints?.every((t) => t.timeAdded === rfc3339(h.clock.now()))).toBe(true);
    expect((await getNode(h, "node02")).status.conditions[0]?.status).toBe("True");

    const events = await h.events();
    expect(events).toContainEqual({ reason: "NodeNotReady", type: "Normal", message: "Node node01 status is now: NodeNotReady", involved: "Node/node01", count: 1, source: "node-controller" });
    expect(events).toContainEqual({ reason: "NodeNotReady", type: "Warning", message: "Node is not ready", involved: "Pod/web", count: 1, source: "node-controller" });
    const web = await h.client.resource(GVR.pods).get("web", "default");
    expect((web.status as { conditions: { type: string; status: string }[] }).conditions.find((c) => c.type === "Ready")?.status).toBe("False");
    // Tolerating for 0 s: evicted at once (Terminating, as no kubelet confirms).
    const bare = await h.client.resource(GVR.pods).get("bare", "default");
    expect(bare.metadata.deletionTimestamp).toBeDefined();
    expect(web.metadata.deletionTimestamp).toBeUndefined();

    await runFor(h, 290);
    expect((await h.client.resource(GVR.pods).get("web", "default")).metadata.deletionTimestamp).toBeUndefined();
    await h.advance(10_000);
    expect((await h.client.resource(GVR.pods).get("web", "default")).metadata.deletionTimestamp).toBeDefined();
    expect(await h.events()).toContainEqual({ reason: "TaintManagerEviction", type: "Normal", message: "Marking for deletion Pod default/web", involved: "Pod/web", count: 1, source: "taint-eviction-controller" });
    // Tolerating forever (as DaemonSet pods do): still there.
    expect((await h.client.resource(GVR.pods).get("ds", "default")).metadata.deletionTimestamp).toBeUndefined();

    // The kubelet comes back and posts Ready: the taints go.
    const back = await getNode(h, "node01");
    back.status.conditions[0] = { type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status", lastHeartbeatTime: rfc3339(h.clock.now()) } as N["status"]["conditions"][0];
    await h.client.resource(GVR.nodes).update(back, { subresource: "status" });
    await h.settle();
    expect((await getNode(h, "node01")).spec?.taints ?? []).toEqual([]);
  });

  it("evicts pods with no matching toleration at once", () => {
    const taint = { key: "node.kubernetes.io/unreachable", effect: "NoExecute" as const, timeAdded: "2026-11-25T09:00:00Z" };
    const pod = (tolerations: unknown[]) => ({ metadata: {}, spec: { containers: [], tolerations } }) as never;
    expect(evictionTime(pod([]), [taint], 5)).toBe(5);
    expect(evictionTime(pod([{ operator: "Exists" }]), [taint], 5)).toBeUndefined();
    expect(evictionTime(pod([{ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 60 }]), [taint], 5)).toBe(Date.parse(taint.timeAdded) + 60_000);
  });

  it("uses the 40 s grace period before v1.32", async () => {
    const h = await setup("v1.31.0");
    await runFor(h, 40);
    await h.advance(5_000);
    expect((await getNode(h, "node01")).status.conditions[0]?.status).toBe("Unknown");
  });

  it("taints a cordoned node unschedulable", async () => {
    const h = await setup();
    await h.client.resource(GVR.nodes).patch("node02", undefined, "application/merge-patch+json", { spec: { unschedulable: true } });
    await h.settle();
    expect((await getNode(h, "node02")).spec?.taints?.map((t) => `${t.key}:${t.effect}`)).toEqual(["node.kubernetes.io/unschedulable:NoSchedule"]);
  });
});
