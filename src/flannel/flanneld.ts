// flanneld on one node in kube-subnet-manager mode (the kube-flannel
// container of the kube-flannel-ds DaemonSet): once the node has a pod CIDR
// it writes /run/flannel/subnet.env, brings up the VXLAN device flannel.1,
// annotates the Node with its backend data and sets the NetworkUnavailable
// condition to False (FlannelIsUp). It runs while the kube-flannel container
// runs on the node's containerd; the subnet file outlives it, as on disk.
// Leaves out: routes, iptables masquerading and the VXLAN data path.

import type { KObject } from "../apimachinery/meta.ts";
import { rfc3339 } from "../apimachinery/meta.ts";
import { Informer } from "../client/informer.ts";
import { type Client, GVR } from "../client/interface.ts";
import type { Host } from "../host/host.ts";
import type { Activity } from "../utils/activity.ts";
import type { Clock } from "../utils/clock.ts";
import { CLUSTER_CIDR } from "./nodeipam.ts";

/** The contents of /run/flannel/subnet.env. */
export interface SubnetEnv {
  network: string; // FLANNEL_NETWORK=10.244.0.0/16
  subnet: string; // FLANNEL_SUBNET=10.244.1.1/24
  mtu: number; // FLANNEL_MTU=1450
  ipmasq: boolean;
}

/** What flanneld needs of the node's container runtime: to know whether its own container runs. */
export interface ContainerWatch {
  onEvent(fn: (ev: { type: "started" | "exited"; container: { name: string } }) => void): () => void;
  listContainers(): { name: string; state: string }[];
}

export interface FlanneldOptions {
  host: Host;
  client: Client;
  clock: Clock;
  activity: Activity;
  /** When given, flanneld runs exactly while a kube-flannel container runs here. */
  runtime?: ContainerWatch;
}

interface NodeFields {
  spec?: { podCIDR?: string };
  status?: { conditions?: { type: string; status: string }[] };
}

/** A MAC address derived from a name, so each node's devices keep theirs. */
export function macFor(seed: string): string {
  let h = 2166136261;
  const bytes: string[] = ["02"];
  for (let i = 0; i < 5; i++) {
    for (const ch of `${seed}/${i}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    bytes.push((h & 0xff).toString(16).padStart(2, "0"));
  }
  return bytes.join(":");
}

export class Flanneld {
  /** null until flanneld has run once on this node. */
  subnetEnv: SubnetEnv | null = null;
  private informer: Informer<KObject & NodeFields> | undefined;
  private running = false;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly o: FlanneldOptions) {
    const rt = o.runtime;
    if (rt) {
      // Follow the kube-flannel container's life, as the process inside it.
      this.unsubscribe = rt.onEvent((ev) => {
        if (ev.container.name !== "kube-flannel") return;
        if (ev.type === "started") this.start();
        else if (!rt.listContainers().some((c) => c.name === "kube-flannel" && c.state === "CONTAINER_RUNNING")) this.stop();
      });
    }
  }

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const name = this.o.host.name;
    this.informer = new Informer(this.o.client, GVR.nodes, { fieldSelector: `metadata.name=${name}` });
    this.informer.addEventHandler({ add: (n) => this.onNode(n), update: (_o, n) => this.onNode(n) });
    this.o.activity.begin();
    void this.informer.start().finally(() => this.o.activity.end());
  }

  stop(): void {
    this.running = false;
    this.informer?.stop();
    this.informer = undefined;
  }

  /** Stops following the runtime (cluster teardown). */
  close(): void {
    this.stop();
    this.unsubscribe?.();
  }

  private onNode(node: KObject & NodeFields): void {
    const cidr = node.spec?.podCIDR;
    if (!cidr || !this.running) return;
    const base = cidr.split("/")[0]!;
    const gw = base.replace(/\.0$/, ".1");
    const first = !this.subnetEnv;
    this.subnetEnv = { network: CLUSTER_CIDR, subnet: `${gw}/24`, mtu: 1450, ipmasq: true };
    const host = this.o.host;
    if (!host.interfaces().some((i) => i.name === "flannel.1")) {
      host.setInterface({ name: "flannel.1", cidr: `${base}/32`, mtu: 1450, mac: macFor(`${host.name}/flannel.1`), state: "UNKNOWN", owner: "flannel" });
    }
    const up = node.status?.conditions?.find((c) => c.type === "NetworkUnavailable");
    if (up?.status === "False" && !first) return;
    if (first) host.log("flanneld.service", "flanneld[1]", `Wrote subnet file to /run/flannel/subnet.env (FLANNEL_SUBNET=${gw}/24)`);
    const now = rfc3339(this.o.clock.now());
    const patch = {
      metadata: {
        annotations: {
          "flannel.alpha.coreos.com/backend-data": JSON.stringify({ VNI: 1, VtepMAC: macFor(`${host.name}/flannel.1`) }),
          "flannel.alpha.coreos.com/backend-type": "vxlan",
          "flannel.alpha.coreos.com/kube-subnet-manager": "true",
          "flannel.alpha.coreos.com/public-ip": host.ip,
        },
      },
    };
    const status = {
      status: {
        conditions: [
          { type: "NetworkUnavailable", status: "False", reason: "FlannelIsUp", message: "Flannel is running on this node", lastHeartbeatTime: now, lastTransitionTime: now },
        ],
      },
    };
    const nodes = this.o.client.resource(GVR.nodes);
    this.o.activity.begin();
    void nodes
      .patch(host.name, undefined, "application/strategic-merge-patch+json", patch)
      .then(() => (up?.status === "False" ? undefined : nodes.patch(host.name, undefined, "application/strategic-merge-patch+json", status, { subresource: "status" })))
      .catch(() => undefined)
      .finally(() => this.o.activity.end());
  }
}
