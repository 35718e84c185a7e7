// The kubelet alone on one node (node01), with its containerd and flannel:
// pods are bound by hand (no scheduler), time is a FakeClock.

import { afterEach, describe, expect, it } from "vitest";
import type { Lease } from "../../src/api/coordination/v1.ts";
import type { Event, Node, Pod } from "../../src/api/core/v1.ts";
import { APIServer } from "../../src/apiserver/apiserver.ts";
import { inProcessClient } from "../../src/client/inprocess.ts";
import { type Client, GVR } from "../../src/client/interface.ts";
import { ContainerRuntime } from "../../src/cri/runtime.ts";
import { FlannelCNI } from "../../src/flannel/cni.ts";
import { Flanneld } from "../../src/flannel/flanneld.ts";
import { NodeIPAMController } from "../../src/flannel/nodeipam.ts";
import { Host } from "../../src/host/host.ts";
import { Kubelet } from "../../src/kubelet/kubelet.ts";
import { Activity } from "../../src/utils/activity.ts";
import { FakeClock } from "../../src/utils/clock.ts";
import { seededRand } from "../../src/utils/rand.ts";

interface Rig {
  api: APIServer;
  client: Client;
  clock: FakeClock;
  host: Host;
  runtime: ContainerRuntime;
  cni: FlannelCNI;
  kubelet: Kubelet;
  advance(ms: number): Promise<void>;
  stopAll(): void;
}

let rig: Rig | undefined;
afterEach(() => rig?.stopAll());

async function setup(staticPods: Pod[] = [], name = "node01", ip = "172.30.2.2", version = "v1.32.4"): Promise<Rig> {
  const clock = new FakeClock();
  const rand = seededRand(7);
  const activity = new Activity();
  const api = new APIServer({ clock, rand });
  const client = inProcessClient(api, { user: "admin" });
  for (const ns of ["default", "kube-node-lease", "kube-system"]) await client.resource(GVR.namespaces).create({ metadata: { name: ns } });
  // node01 joins second: master's /24 is taken first, as in the lab.
  await client.resource(GVR.nodes).create({ metadata: { name: "master" }, spec: { podCIDR: "10.244.0.0/24", podCIDRs: ["10.244.0.0/24"] } });
  const host = new Host(name, ip, clock);
  const runtime = new ContainerRuntime({ node: name, clock, rand });
  const ipam = new NodeIPAMController({ client, clock, activity });
  await ipam.start();
  const flanneld = new Flanneld({ host, client, clock, activity });
  const cni = new FlannelCNI(host, flanneld);
  const kubelet = new Kubelet({ host, client, clock, rand, activity, version, runtime, cni, staticPods, connections: api.kubelets });
  host.addUnit("kubelet.service", "kubelet: The Kubernetes Node Agent", kubelet);
  host.start("kubelet");
  flanneld.start();
  const settle = () => activity.settle();
  await clock.advance(0, settle);
  rig = {
    api,
    client,
    clock,
    host,
    runtime,
    cni,
    kubelet,
    advance: (ms) => clock.advance(ms, settle),
    stopAll: () => {
      host.stop("kubelet");
      flanneld.close();
      ipam.stop();
    },
  };
  return rig;
}

async function createPod(r: Rig, name: string, spec: Partial<Pod["spec"]> & { containers: Pod["spec"]["containers"] }): Promise<Pod> {
  return r.client.resource<Pod>(GVR.pods).create({ metadata: { name }, spec: { nodeName: r.host.name, ...spec } }, "default");
}

const getPod = (r: Rig, name: string) => r.client.resource<Pod>(GVR.pods).get(name, "default");

async function eventsFor(r: Rig, name: string): Promise<string[]> {
  const list = await r.client.resource<Event>(GVR.events).list("default", { fieldSelector: `involvedObject.name=${name}` });
  return list.items.map((e) => `${e.type} ${e.reason} ${e.message}`);
}

/** What `kubectl get pods` prints in STATUS, roughly: the waiting reason or the phase. */
function shownStatus(p: Pod): string {
  if (p.metadata.deletionTimestamp) return "Terminating";
  const cs = p.status?.containerStatuses?.[0];
  if (cs?.state?.waiting?.reason) return cs.state.waiting.reason;
  if (cs?.state?.terminated?.reason) return cs.state.terminated.reason;
  return p.status?.phase ?? "Pending";
}

describe("kubelet", () => {
  it("registers its node Ready, with the lab's capacity and a lease", async () => {
    const r = await setup();
    const node = await r.client.resource<Node>(GVR.nodes).get("node01");
    expect(node.metadata.labels).toMatchObject({ "kubernetes.io/hostname": "node01", "kubernetes.io/os": "linux", "beta.kubernetes.io/arch": "amd64" });
    expect(node.spec?.podCIDR).toBe("10.244.1.0/24");
    expect(node.status?.capacity).toMatchObject({ cpu: "2", pods: "110" });
    expect(node.status?.nodeInfo).toMatchObject({ kubeletVersion: "v1.32.4", containerRuntimeVersion: "containerd://1.7.28", osImage: "Ubuntu 22.04.5 LTS" });
    expect(node.status?.addresses).toEqual([
      { type: "InternalIP", address: "172.30.2.2" },
      { type: "Hostname", address: "node01" },
    ]);
    const conds = Object.fromEntries((node.status?.conditions ?? []).map((c) => [c.type, `${c.status} ${c.reason}`]));
    expect(conds).toMatchObject({
      Ready: "True KubeletReady",
      MemoryPressure: "False KubeletHasSufficientMemory",
      NetworkUnavailable: "False FlannelIsUp",
    });
    const lease = await r.client.resource<Lease>(GVR.leases).get("node01", "kube-node-lease");
    expect(lease.spec).toMatchObject({ holderIdentity: "node01", leaseDurationSeconds: 40 });
    const ev = await r.client.resource<Event>(GVR.events).list("default");
    expect(ev.items.map((e) => e.reason)).toEqual(expect.arrayContaining(["Starting", "NodeHasSufficientMemory", "NodeAllocatableEnforced"]));
    expect(r.host.interfaces().map((i) => i.name)).toContain("flannel.1");
  });

  it("runs a pod: ContainerCreating, pull, Created, Started, Running with an IP from the node's /24", async () => {
    const r = await setup();
    await createPod(r, "web", { containers: [{ name: "httpd", image: "httpd" }] });
    await r.advance(100);
    let p = await getPod(r, "web");
    expect(shownStatus(p)).toBe("ContainerCreating");
    expect(p.status?.conditions?.map((c) => c.type)).toEqual(["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]);
    await r.advance(3_000);
    expect(shownStatus(await getPod(r, "web"))).toBe("ContainerCreating"); // still pulling: httpd takes ~7 s
    await r.advance(10_000);
    p = await getPod(r, "web");
    expect(p.status?.phase).toBe("Running");
    expect(p.status?.podIP).toBe("10.244.1.2");
    expect(p.status?.hostIP).toBe("172.30.2.2");
    const cs = p.status!.containerStatuses![0]!;
    expect(cs).toMatchObject({ ready: true, started: true, restartCount: 0, image: "docker.io/library/httpd:latest" });
    expect(cs.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    expect(cs.imageID).toMatch(/^docker\.io\/library\/httpd@sha256:[0-9a-f]{64}$/);
    const ev = await eventsFor(r, "web");
    expect(ev[0]).toBe('Normal Pulling Pulling image "httpd"');
    expect(ev[1]).toMatch(/^Normal Pulled Successfully pulled image "httpd" in [67]\.\d+s \([67]\.\d+s including waiting\)\. Image size: 58383529 bytes\.$/);
    expect(ev.slice(2)).toEqual(["Normal Created Created container httpd", "Normal Started Started container httpd"]);
    // The container's log is httpd's, with the pod's IP.
    const c = r.runtime.listContainers()[0]!;
    expect(c.logs[0]!.text).toContain("using 10.244.1.2. Set the 'ServerName' directive globally");
  });

  it("writes the 1.33 kubelet's Created message, with a colon", async () => {
    const r = await setup([], "node01", "172.30.2.2", "v1.33.1");
    await createPod(r, "web", { containers: [{ name: "httpd", image: "httpd" }] });
    await r.advance(15_000);
    const ev = await eventsFor(r, "web");
    expect(ev.slice(2)).toEqual(["Normal Created Created container: httpd", "Normal Started Started container httpd"]);
  });

  it("finds an image already present for the second pod", async () => {
    const r = await setup();
    await createPod(r, "a", { containers: [{ name: "web", image: "nginx:1.27" }] });
    await r.advance(15_000);
    await createPod(r, "b", { containers: [{ name: "web", image: "nginx:1.27" }] });
    await r.advance(2_000);
    expect((await getPod(r, "b")).status?.phase).toBe("Running");
    expect((await getPod(r, "b")).status?.podIP).toBe("10.244.1.3");
    expect(await eventsFor(r, "b")).toEqual([
      'Normal Pulled Container image "nginx:1.27" already present on machine',
      "Normal Created Created container web",
      "Normal Started Started container web",
    ]);
  });

  it("reports ErrImagePull, then ImagePullBackOff, for an image that does not exist", async () => {
    const r = await setup();
    await createPod(r, "bad", { containers: [{ name: "nginx", image: "nginx:doesnotexist" }] });
    await r.advance(3_000);
    let p = await getPod(r, "bad");
    expect(shownStatus(p)).toBe("ErrImagePull");
    expect(p.status?.containerStatuses?.[0]?.state?.waiting?.message).toContain('failed to resolve reference "docker.io/library/nginx:doesnotexist"');
    await r.advance(2_000);
    p = await getPod(r, "bad");
    expect(shownStatus(p)).toBe("ImagePullBackOff");
    expect(p.status?.containerStatuses?.[0]?.state?.waiting?.message).toMatch(/^Back-off pulling image "nginx:doesnotexist": ErrImagePull: /);
    const ev = await eventsFor(r, "bad");
    expect(ev).toEqual([
      'Normal Pulling Pulling image "nginx:doesnotexist"',
      expect.stringMatching(/^Warning Failed Failed to pull image "nginx:doesnotexist": rpc error: code = NotFound desc = failed to pull and unpack image/),
      "Warning Failed Error: ErrImagePull",
      'Normal BackOff Back-off pulling image "nginx:doesnotexist"',
      "Warning Failed Error: ImagePullBackOff",
    ]);
    // After the 10 s back-off it tries again.
    await r.advance(10_000);
    const again = await r.client.resource<Event>(GVR.events).list("default", { fieldSelector: "involvedObject.name=bad,reason=Pulling" });
    expect(again.items[0]!.count).toBe(2);
  });

  it("restarts a container that exits, backing off 10 s, 20 s, 40 s", async () => {
    const r = await setup();
    await createPod(r, "bb", { containers: [{ name: "bb", image: "busybox:1.36" }] });
    const restarts: [number, number, string][] = [];
    const t0 = r.clock.now();
    let last = -1;
    for (let i = 0; i < 100; i++) {
      await r.advance(1_000);
      const p = await getPod(r, "bb");
      const cs = p.status?.containerStatuses?.[0];
      if (cs && cs.restartCount !== last) {
        last = cs.restartCount;
        restarts.push([Math.round((r.clock.now() - t0) / 1000), cs.restartCount, shownStatus(p)]);
      }
    }
    // Restart 1 at once, then a growing back-off between restarts.
    const times = restarts.map(([t]) => t);
    expect(restarts.map(([, n]) => n)).toEqual([0, 1, 2, 3, 4]);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(10);
    expect(times[2]! - times[1]!).toBeLessThanOrEqual(12);
    expect(times[3]! - times[2]!).toBeGreaterThanOrEqual(20);
    expect(times[3]! - times[2]!).toBeLessThanOrEqual(22);
    expect(times[4]! - times[3]!).toBeGreaterThanOrEqual(40);
    const p = await getPod(r, "bb");
    expect(shownStatus(p)).toBe("CrashLoopBackOff");
    expect(p.status?.containerStatuses?.[0]?.state?.waiting?.message).toMatch(/^back-off 1m20s restarting failed container=bb pod=bb_default\(/);
    expect(p.status?.containerStatuses?.[0]?.lastState?.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
    expect(p.status?.phase).toBe("Running");
  });

  it("deletes a pod: Killing, stops the container, releases the IP, confirms the deletion", async () => {
    const r = await setup();
    await createPod(r, "web", { containers: [{ name: "httpd", image: "httpd:2.4" }] });
    await r.advance(15_000);
    expect([...r.cni.allocated().keys()]).toEqual(["10.244.1.2"]);
    await r.client.resource(GVR.pods).delete("web", "default");
    await r.advance(100);
    expect(shownStatus(await getPod(r, "web"))).toBe("Terminating");
    await r.advance(1_500);
    await expect(getPod(r, "web")).rejects.toThrow('pods "web" not found');
    expect(await eventsFor(r, "web")).toContain("Normal Killing Stopping container httpd");
    expect(r.cni.allocated().size).toBe(0);
    expect(r.runtime.listContainers()).toEqual([]);
  });

  it("waits out the grace period for a shell that ignores SIGTERM", async () => {
    const r = await setup();
    await createPod(r, "sleeper", { containers: [{ name: "s", image: "busybox:1.36", command: ["sleep", "3600"] }] });
    await r.advance(5_000);
    expect((await getPod(r, "sleeper")).status?.phase).toBe("Running");
    await r.client.resource(GVR.pods).delete("sleeper", "default");
    await r.advance(29_000);
    expect(shownStatus(await getPod(r, "sleeper"))).toBe("Terminating");
    await r.advance(2_000);
    await expect(getPod(r, "sleeper")).rejects.toThrow("not found");
  });

  it("keeps containers running across a kubelet restart: same IP, no restarts", async () => {
    const r = await setup();
    await createPod(r, "web", { containers: [{ name: "httpd", image: "httpd:2.4" }] });
    await r.advance(15_000);
    const before = (await getPod(r, "web")).status!;
    r.host.restart("kubelet");
    await r.advance(20_000);
    const after = (await getPod(r, "web")).status!;
    expect(after.podIP).toBe(before.podIP);
    expect(after.containerStatuses![0]!.restartCount).toBe(0);
    expect(after.containerStatuses![0]!.containerID).toBe(before.containerStatuses![0]!.containerID);
    expect(after.startTime).toBe(before.startTime);
    // Each kubelet process has its own event correlator: the restart records new Events.
    const started = await r.client.resource<Event>(GVR.events).list("default", { fieldSelector: "reason=NodeHasSufficientMemory" });
    expect(started.items.map((e) => e.count)).toEqual([1, 1]);
    expect(r.host.journalFor("kubelet").map((e) => e.message)).toContain("Stopped kubelet: The Kubernetes Node Agent.");
  });

  it("stops: containers keep running, the lease stops, and deletions wait for the kubelet", async () => {
    const r = await setup();
    await createPod(r, "web", { containers: [{ name: "httpd", image: "httpd:2.4" }] });
    await r.advance(15_000);
    r.host.stop("kubelet");
    const renew = (await r.client.resource<Lease>(GVR.leases).get("node01", "kube-node-lease")).spec!.renewTime;
    expect(r.api.kubelets.get("node01")).toBeUndefined();
    await r.advance(60_000);
    expect((await r.client.resource<Lease>(GVR.leases).get("node01", "kube-node-lease")).spec!.renewTime).toBe(renew);
    expect(r.runtime.listContainers().map((c) => c.state)).toEqual(["CONTAINER_RUNNING"]);
    await r.client.resource(GVR.pods).delete("web", "default");
    await r.advance(60_000);
    expect(shownStatus(await getPod(r, "web"))).toBe("Terminating");
    r.host.start("kubelet");
    await r.advance(5_000);
    await expect(getPod(r, "web")).rejects.toThrow("not found");
    expect(r.runtime.listContainers()).toEqual([]);
    expect((await r.client.resource<Lease>(GVR.leases).get("node01", "kube-node-lease")).spec!.renewTime).not.toBe(renew);
  });

  it("runs init containers in order before the main container", async () => {
    const r = await setup();
    await createPod(r, "init", {
      initContainers: [{ name: "setup", image: "busybox:1.36", command: ["sh", "-c", "echo ready; sleep 2"] }],
      containers: [{ name: "web", image: "nginx:1.27" }],
    });
    await r.advance(3_000);
    const p = await getPod(r, "init");
    expect(p.status?.initContainerStatuses?.[0]?.state?.running).toBeDefined();
    expect(p.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe("PodInitializing");
    await r.advance(15_000);
    const done = await getPod(r, "init");
    expect(done.status?.phase).toBe("Running");
    expect(done.status?.initContainerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
  });

  it("serves container logs to the apiserver while running", async () => {
    const r = await setup();
    await createPod(r, "loop", { containers: [{ name: "c", image: "busybox:1.36", command: ["sh", "-c", "while true; do echo hello; sleep 5; done"] }] });
    await r.advance(12_000);
    let out = "";
    await r.api.kubelets.get("node01")!.containerLogs("default", "loop", { container: "c" }, { write: (s) => (out += s) }, new AbortController().signal);
    expect(out.split("\n").filter(Boolean).length).toBeGreaterThanOrEqual(2);
    expect(out.startsWith("hello\n")).toBe(true);
  });
});

describe("kubelet static pods", () => {
  it("runs manifests and publishes mirror pods on the control plane", async () => {
    const manifest: Pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "etcd", namespace: "kube-system", labels: { component: "etcd", tier: "control-plane" } },
      spec: { hostNetwork: true, priorityClassName: "system-node-critical", containers: [{ name: "etcd", image: "registry.k8s.io/etcd:3.5.16-0", command: ["etcd"] }] },
    };
    const r = await setup([manifest], "master", "172.30.1.2");
    await r.advance(20_000);
    const p = await r.client.resource<Pod>(GVR.pods).get("etcd-master", "kube-system");
    expect(p.metadata.annotations?.["kubernetes.io/config.source"]).toBe("file");
    expect(p.metadata.annotations?.["kubernetes.io/config.mirror"]).toMatch(/^[0-9a-f]{32}$/);
    expect(p.metadata.ownerReferences?.[0]).toMatchObject({ kind: "Node", name: "master" });
    expect(p.status?.phase).toBe("Running");
    expect(p.status?.podIP).toBe("172.30.1.2");
    // Deleting the mirror pod does not stop the static pod; the mirror comes back.
    const id = r.runtime.listContainers()[0]!.id;
    await r.client.resource(GVR.pods).delete("etcd-master", "kube-system");
    await r.advance(2_000);
    const back = await r.client.resource<Pod>(GVR.pods).get("etcd-master", "kube-system");
    expect(back.metadata.uid).not.toBe(p.metadata.uid);
    expect(r.runtime.listContainers()[0]!.id).toBe(id);
    expect(r.runtime.listContainers()[0]!.state).toBe("CONTAINER_RUNNING");
  });
});
