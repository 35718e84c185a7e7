// The host-local IPAM plugin flannel's CNI config delegates to: hands out pod
// IPs from the node's /24, starting at .2 (.1 is the cni0 bridge), remembering
// the last one reserved so a released address is not reused at once — as
// host-local's lastReservedIP does. Leaves out: IPv6 and on-disk state.

export class HostLocalIPAM {
  private readonly used = new Map<string, string>();
  private last = 1;

  /** subnet is the node's pod CIDR, e.g. 10.244.1.0/24. */
  constructor(readonly subnet: string) {}

  private get base(): string {
    return this.subnet.split("/")[0]!.split(".").slice(0, 3).join(".");
  }

  /** The bridge's own address: 10.244.N.1. */
  get gateway(): string {
    return `${this.base}.1`;
  }

  /** Reserves an IP for owner (a sandbox). Same owner, same IP. */
  allocate(owner: string): string {
    for (const [ip, o] of this.used) if (o === owner) return ip;
    for (let i = 0; i < 253; i++) {
      const n = ((this.last - 1 + i) % 253) + 2; // round-robin over .2 … .254
      const ip = `${this.base}.${n}`;
      if (!this.used.has(ip)) {
        this.used.set(ip, owner);
        this.last = n;
        return ip;
      }
    }
    throw new Error(`failed to allocate for range 0: no IP addresses available in range set: ${this.base}.1-${this.base}.254`);
  }

  release(owner: string): void {
    for (const [ip, o] of this.used) if (o === owner) this.used.delete(ip);
  }

  /** Re-reserves an address found in use (after a restart, from the runtime's sandboxes). */
  reserve(ip: string, owner: string): void {
    this.used.set(ip, owner);
  }

  allocated(): Map<string, string> {
    return new Map(this.used);
  }
}
