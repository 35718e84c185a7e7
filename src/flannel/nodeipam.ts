// Pod CIDR allocation, after kube-controller-manager's nodeipam range
// allocator (--allocate-node-cidrs --cluster-cidr=10.244.0.0/16, which kubeadm
// sets from --pod-network-cidr): each node gets the lowest free /24, in the
// order nodes join, written to spec.podCIDR/podCIDRs. Flannel's kube subnet
// manager then reads it. It lives here rather than under src/controller/
// because that tree belongs to the controller-manager's owner; cluster.ts
// starts it beside the controller-manager, as kube-controller-manager would.
// A cluster CIDR wider than /16 (kubeadm --pod-network-cidr=10.0.0.0/8) holds
// more nodes. Leaves out: IPv6, node-cidr-mask-size other than 24, and
// CIDR-exhaustion events.

import type { KObject } from "../apimachinery/meta.ts";
import { Informer } from "../client/informer.ts";
import { type Client, GVR } from "../client/interface.ts";
import { WorkQueue } from "../client/workqueue.ts";
import type { Activity } from "../utils/activity.ts";
import type { Clock } from "../utils/clock.ts";

export const CLUSTER_CIDR = "10.244.0.0/16";

interface NodeSpec {
  spec?: { podCIDR?: string; podCIDRs?: string[] };
}

export interface NodeIPAMOptions {
  client: Client;
  clock: Clock;
  activity: Activity;
  clusterCIDR?: string;
}

export class NodeIPAMController {
  private readonly informer: Informer<KObject & NodeSpec>;
  private readonly queue: WorkQueue;
  /** The cluster CIDR's first address and how many /24 node CIDRs it holds. */
  private readonly base: number;
  private readonly size: number;
  /** CIDRs handed out but perhaps not yet visible in the cache. */
  private readonly assigned = new Map<string, string>();

  constructor(private readonly o: NodeIPAMOptions) {
    const [addr, bits] = (o.clusterCIDR ?? CLUSTER_CIDR).split("/");
    const prefixLen = Math.min(24, Number(bits));
    this.base = addr!.split(".").reduce((n, o) => n * 256 + Number(o), 0);
    this.size = 2 ** (24 - prefixLen);
    this.informer = new Informer(o.client, GVR.nodes);
    this.queue = new WorkQueue({ clock: o.clock, activity: o.activity, sync: (k) => this.sync(k) });
    this.informer.addEventHandler({
      add: (n) => this.queue.add(n.metadata.name!),
      update: (_o, n) => this.queue.add(n.metadata.name!),
      delete: (n) => this.assigned.delete(n.metadata.name!),
    });
  }

  async start(): Promise<void> {
    await this.informer.start();
  }

  stop(): void {
    this.informer.stop();
    this.queue.shutdown();
  }

  private async sync(name: string): Promise<void> {
    const node = this.informer.get(name);
    if (!node || node.spec?.podCIDR) return;
    const used = new Set<string>(this.assigned.values());
    for (const n of this.informer.list()) if (n.spec?.podCIDR) used.add(n.spec.podCIDR);
    let cidr = this.assigned.get(name);
    for (let i = 0; !cidr && i < this.size; i++) {
      const n = this.base + i * 256;
      const c = `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.0/24`;
      if (!used.has(c)) cidr = c;
    }
    if (!cidr) throw new Error(`failed to allocate cidr: CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range`);
    this.assigned.set(name, cidr);
    await this.o.client
      .resource(GVR.nodes)
      .patch(name, undefined, "application/strategic-merge-patch+json", { spec: { podCIDR: cidr, podCIDRs: [cidr] } });
  }
}
