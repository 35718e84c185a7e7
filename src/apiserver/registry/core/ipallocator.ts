// The service ClusterIP allocator, after pkg/registry/core/service/ipallocator:
// 10.96.0.0/12 by default, a static band at the bottom (the first 256
// addresses, for requested IPs like 10.96.0.10) and dynamic allocation at
// random from the band above it. Its state is not kept: it is derived from the
// stored Services on every call, so deleting a Service frees its IP and
// snapshots need nothing extra.

import type { Rand } from "../../../utils/rand.ts";

export const SERVICE_CIDR = "10.96.0.0/12";

export function parseIPv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

/** calculateRangeOffset: the size of the static band. */
function rangeOffset(size: number, min: number, max: number, step: number): number {
  if (size < min) return 0;
  const offset = Math.floor(size / step);
  return Math.min(Math.max(offset, min), max);
}

export class IPAllocationError extends Error {}

export class IPAllocator {
  private readonly base: number;
  private readonly size: number;

  constructor(readonly cidr: string = SERVICE_CIDR) {
    const [ip, bits] = cidr.split("/");
    this.base = parseIPv4(ip)!;
    this.size = 2 ** (32 - Number(bits));
  }

  contains(ip: number): boolean {
    // Network and broadcast addresses are never handed out.
    return ip > this.base && ip < this.base + this.size - 1;
  }

  /** Checks a requested IP against the range and the IPs in use; the message is upstream's. */
  allocate(ip: string, used: Set<string>): void {
    const n = parseIPv4(ip);
    if (n === undefined || !this.contains(n)) {
      throw new IPAllocationError(`the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${this.cidr}`);
    }
    if (used.has(ip)) throw new IPAllocationError("provided IP is already allocated");
  }

  /** A free IP: random in the dynamic band, then anywhere. */
  allocateNext(used: Set<string>, rand: Rand): string {
    const max = this.size - 2; // usable addresses: base+1 … base+size-2
    const offset = rangeOffset(max, 16, 256, 16);
    const tryBand = (lo: number, hi: number): string | undefined => {
      const n = hi - lo;
      if (n <= 0) return undefined;
      const start = rand.int(n);
      for (let i = 0; i < n; i++) {
        const ip = formatIPv4(this.base + 1 + lo + ((start + i) % n));
        if (!used.has(ip)) return ip;
      }
      return undefined;
    };
    const ip = tryBand(offset, max) ?? tryBand(0, offset);
    if (!ip) throw new IPAllocationError("range is full");
    return ip;
  }
}
