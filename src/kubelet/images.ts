// The kubelet's image manager, after pkg/kubelet/images/image_manager.go and
// puller.go: pulls go one at a time per node (serializeImagePulls, the
// default), so a second pod's pull reports time "including waiting"; failed
// pulls back off per pod and image. The events are written by the caller.
// Leaves out: pull secrets, parallel pulls and image garbage collection.

import type { PullResult } from "../cri/runtime.ts";
import type { Clock } from "../utils/clock.ts";

/** What the kubelet needs of the runtime's ImageService. */
export interface ImageService {
  pullImage(image: string, done: (r: PullResult) => void): void;
}

export type QueuedPullResult = PullResult & { waitedMs: number };

export class SerialImagePuller {
  private readonly queue: { image: string; requestedAt: number; done: (r: QueuedPullResult) => void }[] = [];
  private busy = false;

  constructor(
    private readonly images: ImageService,
    private readonly clock: Clock,
  ) {}

  pull(image: string, done: (r: QueuedPullResult) => void): void {
    this.queue.push({ image, requestedAt: this.clock.now(), done });
    this.pump();
  }

  private pump(): void {
    if (this.busy) return;
    const next = this.queue.shift();
    if (!next) return;
    this.busy = true;
    try {
      this.images.pullImage(next.image, (r) => {
        this.busy = false;
        next.done({ ...r, waitedMs: this.clock.now() - next.requestedAt });
        this.pump();
      });
    } catch (e) {
      this.busy = false;
      next.done({ ok: false, error: (e as Error).message, durationMs: 0, waitedMs: 0 });
      this.pump();
    }
  }
}

/** Go's time.Duration.String for a duration truncated to milliseconds: 524ms, 7.153s, 1m2.5s. */
export function goDuration(ms: number): string {
  ms = Math.max(0, Math.floor(ms));
  if (ms === 0) return "0s";
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  const sec = `${Number.isInteger(s) ? s : s.toFixed(3).replace(/0+$/, "")}s`;
  if (h > 0) return `${h}h${m}m${sec}`;
  if (m > 0) return `${m}m${sec}`;
  return sec;
}
