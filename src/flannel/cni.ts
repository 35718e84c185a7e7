// The CNI plugin chain the kubelet (through containerd) calls for each pod
// sandbox on a flannel node: flannel reads /run/flannel/subnet.env and
// delegates to the bridge plugin (cni0, a veth per pod) with host-local IPAM.
// The kubelet reaches the network only through this, as the real one does.
// Leaves out: hairpin mode, IP masquerade rules and portmap.

import type { Host } from "../host/host.ts";
import type { Flanneld } from "./flanneld.ts";
import { macFor } from "./flanneld.ts";
import { HostLocalIPAM } from "./ipam.ts";

export interface CNIResult {
  ip: string;
  /** The host-side veth interface name. */
  hostVeth: string;
}

export class FlannelCNI {
  private ipam: HostLocalIPAM | undefined;
  private readonly veths = new Map<string, string>();

  constructor(
    private readonly host: Host,
    private readonly flanneld: Flanneld,
  ) {}

  /** ADD: gives the sandbox an IP from the node's subnet. Throws the plugin's error text. */
  add(sandboxId: string): CNIResult {
    const env = this.flanneld.subnetEnv;
    if (!env) {
      throw new Error(
        `plugin type="flannel" failed (add): failed to load flannel 'subnet.env' file: open /run/flannel/subnet.env: no such file or directory. Check the flannel pod is running on this node.`,
      );
    }
    const subnet = `${env.subnet.split("/")[0]!.replace(/\.1$/, ".0")}/24`;
    if (!this.ipam || this.ipam.subnet !== subnet) this.ipam = new HostLocalIPAM(subnet);
    const ip = this.ipam.allocate(sandboxId);
    // The bridge appears with the first pod, as the bridge plugin creates it on demand.
    if (!this.host.interfaces().some((i) => i.name === "cni0")) {
      this.host.setInterface({ name: "cni0", cidr: `${this.ipam.gateway}/24`, mtu: env.mtu, mac: macFor(`${this.host.name}/cni0`), state: "UP", owner: "cni" });
    }
    const veth = `veth${sandboxId.slice(0, 8)}`;
    this.veths.set(sandboxId, veth);
    this.host.setInterface({ name: `${veth}@if2`, mtu: env.mtu, mac: macFor(`${this.host.name}/${veth}`), state: "UP", owner: "cni" });
    return { ip, hostVeth: veth };
  }

  /** DEL: releases the sandbox's IP and removes its veth. Idempotent, as CNI DEL must be. */
  del(sandboxId: string): void {
    this.ipam?.release(sandboxId);
    const veth = this.veths.get(sandboxId);
    if (veth) this.host.removeInterface(`${veth}@if2`);
    this.veths.delete(sandboxId);
  }

  /** The addresses in use, for `ip`-like tools and tests. */
  allocated(): Map<string, string> {
    return this.ipam?.allocated() ?? new Map();
  }
}
