// The NodePort allocator, after pkg/registry/core/service/portallocator:
// 30000-32767, a static band at the bottom (30000-30085) for requested ports
// and random dynamic allocation above it. Like the IP allocator it derives
// what is in use from the stored Services.

import type { Rand } from "../../../utils/rand.ts";

export class PortAllocationError extends Error {}

export class PortAllocator {
  constructor(
    readonly base = 30000,
    readonly size = 2768,
  ) {}

  get rangeString(): string {
    return `${this.base}-${this.base + this.size - 1}`;
  }

  allocate(port: number, used: Set<number>): void {
    if (port < this.base || port >= this.base + this.size) {
      throw new PortAllocationError(`provided port is not in the valid range. The range of valid ports is ${this.rangeString}`);
    }
    if (used.has(port)) throw new PortAllocationError("provided port is already allocated");
  }

  allocateNext(used: Set<number>, rand: Rand): number {
    const offset = Math.min(Math.max(Math.floor(this.size / 32), 16), 128);
    const tryBand = (lo: number, hi: number): number | undefined => {
      const n = hi - lo;
      const start = rand.int(n);
      for (let i = 0; i < n; i++) {
        const p = this.base + lo + ((start + i) % n);
        if (!used.has(p)) return p;
      }
      return undefined;
    };
    const p = tryBand(offset, this.size) ?? tryBand(0, offset);
    if (p === undefined) throw new PortAllocationError("range is full");
    return p;
  }
}
