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
 * (the learner's "skip 1 min" control). Timers are kept in our own heap and
 * one host timer is armed for the earliest, so changing speed or jumping
 * re-arms a single timer instead of every timer.
 *
 * Jumps are stepped like FakeClock.advance: the clock holds still, fires due
 * timers in order and lets the cluster settle between batches, then runs in
 * real time again. A clock started in the past (`startMs`) uses the same
 * stepping to `catchUp` with the wall clock, which is how a lab cluster comes
 * up looking as if it was bootstrapped minutes ago.
 */
export class LabClock implements Clock {
  private readonly source: Clock;
  private baseReal: number;
  private baseLab: number;
  private factor: number;
  private readonly timers = new TimerHeap();
  private armed: Timer | undefined;
  /** While stepping, time stands still between batches; no host timer is armed. */
  private held = false;
  private stopped = false;
  /** Jumps run one after another: a second "skip" waits for the first. */
  private stepping: Promise<void> = Promise.resolve();

  /**
   * `source` is the wall clock the lab runs against (default: the machine's,
   * with timers that do not keep the process alive); tests pass a FakeClock.
   */
  constructor(options: { speed?: number; startMs?: number; source?: Clock } = {}) {
    this.source = options.source ?? hostClock;
    this.baseReal = this.source.now();
    this.baseLab = options.startMs ?? this.baseReal;
    this.factor = options.speed ?? 1;
  }

  get speed(): number {
    return this.factor;
  }

  now(): number {
    return this.held ? this.baseLab : this.baseLab + (this.source.now() - this.baseReal) * this.factor;
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

  /**
   * Jumps the cluster's time forward by ms, firing the timers that fall due
   * in order and awaiting `settle` after each batch, so a chain inside the
   * jump (pull the image, then start the container) plays out as it would in
   * real time. Real time that passes while stepping is added to the jump.
   */
  jump(ms: number, settle: () => Promise<void> = async () => {}): Promise<void> {
    return this.serially(() => {
      const fromLab = this.now();
      const fromReal = this.source.now();
      return this.step(() => fromLab + Math.max(0, ms) + (this.source.now() - fromReal) * this.factor, settle);
    });
  }

  /**
   * Steps a clock that started in the past (startMs) up to the wall clock,
   * as `jump` does, then lets it run in real time from there. Does nothing
   * if the clock is not behind.
   */
  catchUp(settle: () => Promise<void> = async () => {}): Promise<void> {
    return this.serially(() => this.step(() => Math.max(this.now(), this.source.now()), settle));
  }

  stop(): void {
    this.stopped = true;
    this.armed?.cancel();
    this.armed = undefined;
    while (this.timers.pop()) {
      /* drop all */
    }
  }

  private serially(fn: () => Promise<void>): Promise<void> {
    const run = this.stepping.then(fn);
    this.stepping = run.catch(() => {});
    return run;
  }

  /** FakeClock.advance on a held clock, to a target that may move while we step. */
  private async step(target: () => number, settle: () => Promise<void>): Promise<void> {
    this.rebase();
    this.held = true;
    this.armed?.cancel();
    this.armed = undefined;
    try {
      await settle();
      while (!this.stopped) {
        const next = this.timers.peek();
        if (!next || next.due > target()) break;
        this.baseLab = Math.max(this.baseLab, next.due);
        while (!this.stopped && this.timers.peek() && this.timers.peek()!.due <= this.baseLab) {
          const t = this.timers.pop()!;
          if (!t.cancelled) t.fn();
        }
        await settle();
      }
      this.baseLab = Math.max(this.baseLab, target());
    } finally {
      this.baseReal = this.source.now();
      this.held = false;
      if (!this.stopped) this.arm();
    }
  }

  private rebase(): void {
    const now = this.now();
    this.baseReal = this.source.now();
    this.baseLab = now;
  }

  private fireDue(): void {
    this.armed = undefined;
    if (this.held) return;
    const now = this.now();
    while (this.timers.peek() && this.timers.peek()!.due <= now) {
      const t = this.timers.pop()!;
      if (!t.cancelled) t.fn();
    }
    this.arm();
  }

  private arm(): void {
    this.armed?.cancel();
    this.armed = undefined;
    if (this.held || this.stopped) return;
    const next = this.timers.peek();
    if (!next) return;
    const wait = Math.max(0, (next.due - this.now()) / this.factor);
    // An idle cluster with no timers arms nothing: no CPU while nothing happens.
    this.armed = this.source.setTimer(Math.min(wait, 2 ** 31 - 1), () => this.fireDue());
  }
}

/** The machine's clock for LabClock: its timers do not keep the process alive. */
const hostClock: Clock = {
  now: () => Date.now(),
  setTimer(delayMs, fn) {
    const t = setTimeout(fn, delayMs);
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  },
};

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
