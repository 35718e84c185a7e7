// A whole kubeadm v1.32 + flannel cluster in one process: the apiserver, the
// bootstrap objects kubeadm and the flannel manifest leave behind, the
// controller-manager (with node IPAM) and scheduler, and on every node a Host
// running containerd.service and kubelet.service, flanneld and kube-proxy.
// The one place that decides what runs where and in which order.
// Leaves out: HA control planes. Workers join later with addNode (kubeadm join).
//
// Time: the cluster is built "already installed" at the clock's current time.
// Control-plane and node images are pre-pulled (as `kubeadm config images
// pull` and the joins did), so with a FakeClock the system pods are Running
// and the nodes Ready within a minute of cluster time:
//   await clock.advance(60_000, () => cluster.settle())
// AGE columns then read a minute or two, like a lab cluster just provisioned.
// A lab that wants an older-looking cluster starts its LabClock in the past
// (startMs = now - age), creates the cluster, and lets the clock run (or
// jumps it): every age is measured on the cluster's own timeline.

import { APIServer } from "./apiserver/apiserver.ts";
import { inProcessClient } from "./client/inprocess.ts";
import type { Client } from "./client/interface.ts";
import { startControllerManager } from "./controller-manager.ts";
import { parseImageRef } from "./cri/images.ts";
import { ContainerRuntime } from "./cri/runtime.ts";
import { FlannelCNI } from "./flannel/cni.ts";
import { Flanneld, macFor } from "./flannel/flanneld.ts";
import { NodeIPAMController } from "./flannel/nodeipam.ts";
import { Host } from "./host/host.ts";
import type { ToolCluster } from "./host/tools/context.ts";
import { curl } from "./host/tools/curl.ts";
import { nslookup } from "./host/tools/nslookup.ts";
import type { PodCommand } from "./kubelet/server.ts";
import { bootstrapCluster, markControlPlane, POD_SUBNET, prepulledImages, SERVICE_SUBNET } from "./kubeadm/bootstrap.ts";
import { controlPlaneManifests } from "./kubeadm/manifests.ts";
import { Kubelet } from "./kubelet/kubelet.ts";
import { startKubeProxy } from "./proxy/server.ts";
import { startScheduler } from "./scheduler/scheduler.ts";
import { Activity } from "./utils/activity.ts";
import type { Clock } from "./utils/clock.ts";
import { seededRand } from "./utils/rand.ts";

export interface ClusterOptions {
  clock: Clock;
  seed?: number;
  /** The Kubernetes version every component reports, e.g. "v1.32.4". */
  version?: string;
  /** Node names; the first is the control plane. Default master, node01, node02. */
  nodes?: string[];
  /**
   * kubeadm init --pod-network-cidr (default 10.244.0.0/16, flannel's): each
   * node gets a /24 of it, so clusters of more than 256 nodes need a wider one.
   */
  podSubnet?: string;
  activity?: Activity;
}

export interface Cluster {
  id: string;
  api: APIServer;
  clock: Clock;
  activity: Activity;
  /** Each node's OS: units, journal, interfaces. */
  hosts: Map<string, Host>;
  /** Each node's containerd (crictl, and curl to pod IPs, read these). */
  runtimes: Map<string, ContainerRuntime>;
  kubelets: Map<string, Kubelet>;
  /** An in-process client acting as user. */
  client(user: string): Client;
  /**
   * `kubeadm join` of a new worker: a Host with containerd, kubelet, flanneld
   * and kube-proxy, addressed after the existing nodes. Resolves once the
   * kubelet has registered the Node (the DaemonSets then place their pods).
   */
  addNode(name: string): Promise<void>;
  /** Resolves when no component has work in flight. */
  settle(): Promise<void>;
  /** Stops every component and timer the cluster started. */
  stop(): void;
}

/**
 * Node addresses: the control plane on one subnet, workers on the next
 * (172.30.2.2–254, then 172.30.3.2… for clusters that big; never dialled).
 */
function nodeIP(index: number): string {
  if (index === 0) return "172.30.1.2";
  const w = index - 1;
  return `172.30.${2 + Math.floor(w / 253)}.${(w % 253) + 2}`;
}

export async function createCluster(options: ClusterOptions): Promise<Cluster> {
  const { clock } = options;
  const seed = options.seed ?? 1;
  const version = options.version ?? "v1.32.4";
  const names = options.nodes ?? ["master", "node01", "node02"];
  const podSubnet = options.podSubnet ?? POD_SUBNET;
  const activity = options.activity ?? new Activity();
  // One seeded stream per component, so adding a pod in one place does not reshuffle names elsewhere.
  const stream = (n: number) => seededRand((seed * 7919 + n) >>> 0);
  const api = new APIServer({ clock, rand: stream(1), version });
  const client = (user: string, groups?: string[]) => inProcessClient(api, { user, groups: groups ?? ["system:authenticated"] });
  const controlPlane = names[0]!;
  const stops: (() => void)[] = [];

  await bootstrapCluster({ client: client("kubernetes-admin", ["kubeadm:cluster-admins", "system:authenticated"]), version, controlPlaneIP: nodeIP(0), podSubnet });

  // The control plane's processes (static pods on master, run here as in-process components).
  const cm = startControllerManager({ client: client("system:kube-controller-manager"), clock, rand: stream(2), activity, version });
  stops.push(() => cm.stop());
  // kube-controller-manager's nodeipam (--allocate-node-cidrs): see src/flannel/nodeipam.ts for why it lives there.
  const ipam = new NodeIPAMController({ client: client("system:kube-controller-manager"), clock, activity, clusterCIDR: podSubnet });
  await ipam.start();
  stops.push(() => ipam.stop());
  const sched = startScheduler({ client: client("system:kube-scheduler"), clock, rand: stream(3), activity, hostname: controlPlane });
  stops.push(() => sched.stop());

  const hosts = new Map<string, Host>();
  const runtimes = new Map<string, ContainerRuntime>();
  const kubelets = new Map<string, Kubelet>();
  // What curl and nslookup inside a pod (kubectl exec) reach: the same network the node tools see.
  const toolCluster: ToolCluster = { hosts, api, clock, client: (user) => client(user), runtimes };
  const podCommands = (node: string): Record<string, PodCommand> => ({
    curl: (argv, io, pod) => curl(argv.slice(1), io, { cluster: toolCluster, node, pod }),
    nslookup: (argv, io, pod) => nslookup(argv.slice(1), io, { cluster: toolCluster, node, pod }),
  });
  /** Installs a node's OS and daemons (not yet started); i is its index, which fixes its IP and seeds. */
  const installNode = (name: string, i: number) => {
    const ip = nodeIP(i);
    const host = new Host(name, ip, clock);
    host.setInterface({ name: "lo", cidr: "127.0.0.1/8", mtu: 65536, mac: "00:00:00:00:00:00", state: "UNKNOWN", owner: "system" });
    host.setInterface({ name: "eth0", cidr: `${ip}/24`, mtu: 1500, mac: macFor(`${name}/eth0`), state: "UP", owner: "system" });
    const runtime = new ContainerRuntime({ node: name, clock, rand: stream(10 + i) });
    for (const image of prepulledImages(version, i === 0)) runtime.images.add(parseImageRef(image), clock.now());
    host.addUnit("containerd.service", "containerd container runtime", {
      start: () => void (runtime.serving = true),
      stop: () => void (runtime.serving = false),
    });
    const nodeClient = client(`system:node:${name}`, ["system:nodes", "system:authenticated"]);
    const flanneld = new Flanneld({ host, client: nodeClient, clock, activity, runtime });
    stops.push(() => flanneld.close());
    const kubelet = new Kubelet({
      host,
      client: nodeClient,
      clock,
      rand: stream(20 + i),
      activity,
      version,
      runtime,
      cni: new FlannelCNI(host, flanneld),
      staticPods: i === 0 ? controlPlaneManifests({ advertiseAddress: ip, version, podSubnet, serviceSubnet: SERVICE_SUBNET }) : [],
      connections: api.kubelets,
      podCommands: podCommands(name),
    });
    host.addUnit("kubelet.service", "kubelet: The Kubernetes Node Agent", kubelet);
    stops.push(() => kubelet.stop());
    // kube-proxy's logic runs per node from the start; its DaemonSet pod is what `kubectl get pods` shows.
    const proxy = startKubeProxy({ client: client("system:kube-proxy"), clock, activity, node: name, rand: stream(40 + i), host });
    stops.push(() => proxy.stop());
    hosts.set(name, host);
    runtimes.set(name, runtime);
    kubelets.set(name, kubelet);
  };
  for (const [i, name] of names.entries()) installNode(name, i);

  // kubeadm init: the control plane's kubelet first, then its node is marked; then the workers join.
  const boot = (name: string) => {
    const h = hosts.get(name)!;
    h.start("containerd");
    h.start("kubelet");
  };
  boot(controlPlane);
  await activity.settle();
  await markControlPlane(client("kubernetes-admin"), controlPlane);
  for (const name of names.slice(1)) boot(name);
  await activity.settle();

  return {
    id: stream(99).string(8, "0123456789abcdef"),
    api,
    clock,
    activity,
    hosts,
    runtimes,
    kubelets,
    client: (user) => client(user),
    addNode: async (name) => {
      if (hosts.has(name)) throw new Error(`node ${name} already exists`);
      installNode(name, hosts.size);
      boot(name);
      await activity.settle();
    },
    settle: () => activity.settle(),
    stop: () => {
      for (const s of stops.reverse()) s();
    },
  };
}
