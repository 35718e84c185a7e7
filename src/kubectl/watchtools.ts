// client-go's tools/watch UntilWithSync as kubectl's rollout status and wait
// use it: an informer on one object (list with a metadata.name field selector,
// then watch from the list's resourceVersion, re-watching when the server ends
// the stream), each event handed to a condition until it says done, with an
// optional timeout ("timed out waiting for the condition"); and UntilWithoutRetry
// as `kubectl get -w` uses it: one watch, no re-watch when the server ends it.
// Leaves out: the informer's resync period and relist on 410 Gone.

import type { KObject, WatchEvent } from "../apimachinery/meta.ts";
import type { RestClient } from "../client/rest.ts";
import type { Clock } from "../utils/clock.ts";

export class WaitTimeoutError extends Error {
  constructor() {
    super("timed out waiting for the condition");
  }
}

export interface UntilOptions {
  rest: RestClient;
  /** The collection URL the object lives in. */
  collection: string;
  name: string;
  clock: Clock;
  /** 0 or absent: wait for ever (until signal aborts). */
  timeoutMs?: number;
  signal: AbortSignal;
  /**
   * Called with the synced object (ADDED, or undefined when it does not exist)
   * and then with every event; returns true when done. Throwing ends the wait.
   */
  precondition?: (obj: KObject | undefined) => boolean;
  condition: (ev: WatchEvent<KObject>) => boolean;
}

/** Resolves when the condition is met; rejects with WaitTimeoutError, or with what the condition threw. */
export async function untilWithSync(opts: UntilOptions): Promise<"done" | "aborted"> {
  const abort = new AbortController();
  const onAbort = () => abort.abort();
  opts.signal.addEventListener("abort", onAbort);
  let timedOut = false;
  const timer = opts.timeoutMs && opts.timeoutMs > 0 ? opts.clock.setTimer(opts.timeoutMs, () => ((timedOut = true), abort.abort())) : undefined;
  const fieldSelector = `metadata.name=${opts.name}`;
  let done = false;
  let failure: unknown;
  const handle = (ev: WatchEvent<KObject>) => {
    if (done || failure !== undefined) return;
    try {
      if (opts.condition(ev)) {
        done = true;
        abort.abort();
      }
    } catch (e) {
      failure = e;
      abort.abort();
    }
  };
  try {
    const list = await opts.rest.get<{ metadata?: { resourceVersion?: string }; items?: KObject[] }>(opts.collection, { fieldSelector, limit: 500, resourceVersion: "0" });
    const item = list.items?.[0];
    if (opts.precondition?.(item)) return "done";
    if (item) handle({ type: "ADDED", object: item });
    let rv = list.metadata?.resourceVersion ?? "";
    while (!done && failure === undefined && !abort.signal.aborted) {
      await opts.rest
        .watch<KObject>(
          opts.collection,
          { fieldSelector, resourceVersion: rv, allowWatchBookmarks: "true", timeoutSeconds: 300 },
          (ev) => {
            const next = ev.object?.metadata?.resourceVersion;
            if (next) rv = next;
            if (ev.type === "BOOKMARK") return;
            handle(ev);
          },
          abort.signal,
        )
        .catch((e: unknown) => {
          if (!abort.signal.aborted) throw e;
        });
    }
    if (failure !== undefined) throw failure;
    if (done) return "done";
    if (timedOut) throw new WaitTimeoutError();
    return "aborted";
  } finally {
    timer?.cancel();
    opts.signal.removeEventListener("abort", onAbort);
  }
}

export interface UntilWithoutRetryOptions<T> {
  rest: RestClient;
  /** The collection URL watched. */
  collection: string;
  query: Record<string, string | number | undefined>;
  /** Ends the watch (^C). */
  signal: AbortSignal;
  /** The Accept header: kubectl asks for Table rows when it prints a table. */
  accept?: string;
  /** Called with every event but bookmarks; returns true when done. Throwing ends the watch with that error. */
  condition: (ev: WatchEvent<T>) => boolean;
}

/**
 * Resolves "done" when the condition is met, "closed" when the server ends
 * the stream and "aborted" on signal; rejects with what the condition threw or
 * the watch request's error.
 */
export async function untilWithoutRetry<T = KObject>(opts: UntilWithoutRetryOptions<T>): Promise<"done" | "closed" | "aborted"> {
  const abort = new AbortController();
  const onAbort = () => abort.abort();
  opts.signal.addEventListener("abort", onAbort);
  let done = false;
  let failure: unknown;
  try {
    await opts.rest
      .watch<T>(
        opts.collection,
        opts.query,
        (ev) => {
          if (done || failure !== undefined || ev.type === "BOOKMARK") return;
          try {
            if (opts.condition(ev)) {
              done = true;
              abort.abort();
            }
          } catch (e) {
            failure = e;
            abort.abort();
          }
        },
        abort.signal,
        opts.accept,
      )
      .catch((e: unknown) => {
        if (!abort.signal.aborted) throw e;
      });
    if (failure !== undefined) throw failure;
    if (done) return "done";
    return opts.signal.aborted ? "aborted" : "closed";
  } finally {
    opts.signal.removeEventListener("abort", onAbort);
  }
}
