// A rate-limited work queue of keys, after client-go/util/workqueue: a key
// queued many times while waiting is processed once; a key being processed is
// not handed to a second worker; failures are retried with back-off on the
// cluster clock. Event handlers only add keys; the sync re-reads state.

import type { Activity } from "../utils/activity.ts";
import type { Clock, Timer } from "../utils/clock.ts";

export interface WorkQueueOptions {
  clock: Clock;
  activity: Activity;
  /** The sync: must be idempotent. A throw requeues the key with back-off. */
  sync: (key: string) => Promise<void>;
  /** Reports sync errors (controllers log them to their journal). */
  onError?: (key: string, err: unknown) => void;
  /** Workers processing keys concurrently. */
  workers?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export class WorkQueue {
  private readonly queue: string[] = [];
  private head = 0;
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly delayed = new Map<string, Timer>();
  private running = 0;
  private shutDown = false;

  constructor(private readonly o: WorkQueueOptions) {}

  get length(): number {
    return this.queue.length - this.head;
  }

  add(key: string): void {
    if (this.shutDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.queue.push(key);
    this.o.activity.begin();
    this.pump();
  }

  /** Adds key after delayMs of cluster time (a timer, not a poll). */
  addAfter(key: string, delayMs: number): void {
    if (this.shutDown) return;
    if (delayMs <= 0) return this.add(key);
    this.delayed.get(key)?.cancel();
    this.delayed.set(
      key,
      this.o.clock.setTimer(delayMs, () => {
        this.delayed.delete(key);
        this.add(key);
      }),
    );
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  shutdown(): void {
    this.shutDown = true;
    for (const t of this.delayed.values()) t.cancel();
    this.delayed.clear();
  }

  private pump(): void {
    const workers = this.o.workers ?? 1;
    while (this.running < workers && this.head < this.queue.length) {
      const key = this.queue[this.head++]!;
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      this.dirty.delete(key);
      this.processing.add(key);
      this.running++;
      void this.process(key);
    }
  }

  private async process(key: string): Promise<void> {
    try {
      if (!this.shutDown) await this.o.sync(key);
      this.failures.delete(key);
    } catch (err) {
      this.o.onError?.(key, err);
      const n = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, n);
      const base = this.o.baseDelayMs ?? 5;
      const max = this.o.maxDelayMs ?? 1000_000;
      this.addAfter(key, Math.min(max, base * 2 ** (n - 1)));
    } finally {
      this.processing.delete(key);
      this.running--;
      // A key re-added while it was processing goes back on the queue now.
      if (this.dirty.has(key) && !this.shutDown) {
        this.queue.push(key);
        this.o.activity.begin();
      }
      this.o.activity.end();
      this.pump();
    }
  }
}
