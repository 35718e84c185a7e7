// Per-key exponential back-off, after client-go/util/flowcontrol.Backoff as the
// kubelet uses it for image pulls and container restarts: 10 s doubling to
// 5 min, forgotten after twice the maximum without an update.
// Leaves out: jitter (the kubelet uses none for these).

import type { Clock } from "../utils/clock.ts";

interface Entry {
  backoffMs: number;
  lastUpdate: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    readonly initialMs: number,
    readonly maxMs: number,
  ) {}

  private entry(key: string): Entry | undefined {
    const e = this.entries.get(key);
    // An entry idle for twice the cap is reset, as flowcontrol's GC does.
    if (e && this.clock.now() - e.lastUpdate > 2 * this.maxMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  /** Moves key to its next back-off period, measured from eventTime. */
  next(key: string, eventTime: number): void {
    const e = this.entry(key);
    if (!e) this.entries.set(key, { backoffMs: this.initialMs, lastUpdate: eventTime });
    else {
      e.backoffMs = Math.min(e.backoffMs * 2, this.maxMs);
      e.lastUpdate = eventTime;
    }
  }

  /** The current period for key, 0 when none. */
  get(key: string): number {
    return this.entry(key)?.backoffMs ?? 0;
  }

  /** ms left until eventTime + period, 0 when not in back-off. */
  remaining(key: string, eventTime: number): number {
    const e = this.entry(key);
    if (!e) return 0;
    return Math.max(0, eventTime + e.backoffMs - this.clock.now());
  }

  reset(key: string): void {
    this.entries.delete(key);
  }
}
