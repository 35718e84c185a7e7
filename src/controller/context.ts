// What kube-controller-manager hands each controller at start, after
// cmd/kube-controller-manager/app.ControllerContext: the client, the shared
// informers, the clock, and a way to make event recorders and work queues.

import type { Client } from "../client/interface.ts";
import { EventRecorder } from "../client/record.ts";
import { WorkQueue } from "../client/workqueue.ts";
import type { Activity } from "../utils/activity.ts";
import type { Clock } from "../utils/clock.ts";
import type { Rand } from "../utils/rand.ts";
import type { SharedInformerFactory } from "./informers.ts";

export interface ControllerContext {
  client: Client;
  clock: Clock;
  rand: Rand;
  activity: Activity;
  informers: SharedInformerFactory;
  /** Kubernetes version of the control plane, e.g. "v1.32.4". */
  version: string;
  log: (msg: string) => void;
}

/** A running controller. */
export interface Controller {
  stop(): void;
}

export function newRecorder(ctx: ControllerContext, component: string): EventRecorder {
  return new EventRecorder({ client: ctx.client, clock: ctx.clock, activity: ctx.activity, component, log: ctx.log });
}

export function newQueue(ctx: ControllerContext, name: string, sync: (key: string) => Promise<void>, workers = 1): WorkQueue {
  return new WorkQueue({
    clock: ctx.clock,
    activity: ctx.activity,
    sync,
    workers,
    onError: (key, err) => ctx.log(`${name}: error syncing "${key}": ${err instanceof Error ? err.message : String(err)}`),
  });
}

/** "ns/name" → [ns, name]; "name" → [undefined, name]. */
export function splitKey(key: string): [string | undefined, string] {
  const i = key.indexOf("/");
  return i < 0 ? [undefined, key] : [key.slice(0, i), key.slice(i + 1)];
}
