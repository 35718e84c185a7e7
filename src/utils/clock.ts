// The one clock a cluster reads, after k8s.io/utils/clock.
// Every component takes a Clock instead of calling Date.now or setTimeout, so a
// lesson can run time faster or jump ahead, and tests step it deterministically.
// Leaves out: monotonic vs wall time (one timeline is enough for a lab).

export interface Timer {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the Unix epoch, on the cluster's timeline. */
  now(): number;
  /** Runs fn once, delayMs of cluster time from now. */
  setTimer(delayMs: number, fn: () => void): Timer;
}

interface Pending {
  due: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** A min-heap of timers ordered by due time, then by creation order. */
class TimerHeap {
  private items: Pending[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  push(due: number, fn: () => void): Pending {
    const p: Pending = { due, seq: this.seq++, fn, cancelled: false };
    this.items.push(p);
    this.up(this.items.length - 1);
    return p;
  }

  peek(): Pending | undefined {
    while (this.items.length > 0 && this.items[0]!.cancelled) this.pop();
    return this.items[0];
  }

  pop(): Pending | undefined {
    const top = this.items[0];
    const last = this.items.pop();
    if (this.items.length > 0 && last) {
      this.items[0] = last;
      this.down(0);
    }
    return top;
  }

  private less(a: Pending, b: Pending): boolean {
    return a.due < b.due || (a.due === b.due && a.seq < b.seq);
  }

  private up(i: number): void {
    const it = this.items;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(it[i]!, it[parent]!)) break;
      [it[i], it[parent]] = [it[parent]!, it[i]!];
      i = parent;
    }
  }

  private down(i: number): void {
    const it = this.items;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < it.length && this.less(it[l]!, it[m]!)) m = l;
      if (r < it.length && this.less(it[r]!, it[m]!)) m = r;
      if (m === i) return;
      [it[i], it[m]] = [it[m]!, it[i]!];
      i = m;
    }
  }
}

/**
 * A clock that moves only when told to. Tests call `advance`, which fires due
 * timers one at a time in order and lets the cluster settle in between, so a
 * chain of timers (pull image, then start container) plays out as in real time.
 */
export class FakeClock implements Clock {
  private current: number;
  private readonly timers = new TimerHeap();

  constructor(startMs = Date.UTC(2026, 10, 25, 9, 0, 0)) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimer(delayMs: number, fn: () => void): Timer {
    const p = this.timers.push(this.current + Math.max(0, delayMs), fn);
    return { cancel: () => void (p.cancelled = true) };
  }

  /** The due time of the next pending timer, if any. */
  nextDue(): number | undefined {
    return this.timers.peek()?.due;
  }

  /**
   * Moves time forward by ms. `settle` is awaited after each batch of timers
   * that fire at the same instant, so work they start can finish (and schedule
   * further timers) before time moves on.
   */
  async advance(ms: number, settle: () => Promise<void> = async () => {}): Promise<void> {
    const target = this.current + ms;
    await settle();
    for (;;) {
      const next = this.timers.peek();
      if (!next || next.due > target) break;
      this.current = Math.max(this.current, next.due);
      while (this.timers.peek() && this.timers.peek()!.due <= this.current) {
        const t = this.timers.pop()!;
        if (!t.cancelled) t.fn();
      }
      await settle();
    }
    this.current = target;
    await settle();
  }
}

/**
 * Wall-clock time, optionally sped up (a lesson sets `speed`) or jumped ahead
 * (the learner's "skip 5 minutes" control). Timers are kept in our own heap and
 * one host timeout is armed for the earliest, so changing speed or jumping
 * re-arms a single timeout instead of every timer.
 */
export class LabClock implements Clock {
  private baseReal: number;
  private baseLab: number;
  private factor: number;
  private readonly timers = new TimerHeap();
  private armed: ReturnType<typeof setTimeout> | undefined;

  constructor(options: { speed?: number; startMs?: number } = {}) {
    this.baseReal = Date.now();
    this.baseLab = options.startMs ?? this.baseReal;
    this.factor = options.speed ?? 1;
  }

  get speed(): number {
    return this.factor;
  }

  now(): number {
    return this.baseLab + (Date.now() - this.baseReal) * this.factor;
  }

  setTimer(delayMs: number, fn: () => void): Timer {
    const p = this.timers.push(this.now() + Math.max(0, delayMs), fn);
    this.arm();
    return { cancel: () => void (p.cancelled = true) };
  }

  setSpeed(speed: number): void {
    if (!(speed > 0)) throw new Error(`clock speed must be positive, got ${speed}`);
    this.rebase();
    this.factor = speed;
    this.arm();
  }

  /** Jumps the cluster's time forward, firing every timer that falls due. */
  jump(ms: number): void {
    this.rebase();
    this.baseLab += Math.max(0, ms);
    this.fireDue();
  }

  stop(): void {
    if (this.armed) clearTimeout(this.armed);
    this.armed = undefined;
    while (this.timers.pop()) {
      /* drop all */
    }
  }

  private rebase(): void {
    const now = this.now();
    this.baseReal = Date.now();
    this.baseLab = now;
  }

  private fireDue(): void {
    const now = this.now();
    while (this.timers.peek() && this.timers.peek()!.due <= now) {
      const t = this.timers.pop()!;
      if (!t.cancelled) t.fn();
    }
    this.arm();
  }

  private arm(): void {
    if (this.armed) clearTimeout(this.armed);
    this.armed = undefined;
    const next = this.timers.peek();
    if (!next) return;
    const wait = Math.max(0, (next.due - this.now()) / this.factor);
    // An idle cluster with no timers arms nothing: no CPU while nothing happens.
    this.armed = setTimeout(() => this.fireDue(), Math.min(wait, 2 ** 31 - 1));
    this.armed.unref?.();
  }
}

/**
 * The machine's own clock, for programs outside the cluster's timeline: a
 * standalone kubectl computing ages, request time-outs of an HTTPS client.
 * Stateless, so sharing one is safe.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(delayMs, fn) {
    const t = setTimeout(fn, delayMs);
    return { cancel: () => clearTimeout(t) };
  },
};
