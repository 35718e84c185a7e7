// An event recorder, after client-go/tools/record (core/v1 Events) and
// client-go/tools/events (events.k8s.io, used by the scheduler). Identical
// events (object, type, reason, message, source) seen again within 10 minutes
// bump count and lastTimestamp instead of creating a new Event, as the
// EventCorrelator's logger does. Writes are fire-and-forget, counted in Activity.
// Leaves out: the similar-event aggregator ("(combined from similar events)")
// and the spam filter's token bucket.

import { isNotFound } from "../apimachinery/errors.ts";
import { type KObject, rfc3339, rfc3339Micro } from "../apimachinery/meta.ts";
import type { Activity } from "../utils/activity.ts";
import type { Clock } from "../utils/clock.ts";
import { GVR, type Client } from "./interface.ts";

export type EventType = "Normal" | "Warning";

export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface CoreEvent extends KObject {
  involvedObject: ObjectReference;
  reason: string;
  message: string;
  source: { component?: string; host?: string };
  firstTimestamp: string | null;
  lastTimestamp: string | null;
  count?: number;
  type: EventType;
  eventTime: string | null;
  action?: string;
  reportingComponent: string;
  reportingInstance: string;
}

export interface EventRecorderOptions {
  client: Client;
  clock: Clock;
  activity: Activity;
  /** source.component, e.g. "deployment-controller". */
  component: string;
  /** source.host, e.g. the kubelet's node name. */
  host?: string;
  log?: (msg: string) => void;
}

/** How long an identical event keeps being counted into the same Event object. */
const AGGREGATE_WINDOW_MS = 10 * 60 * 1000;
/** The correlator's LRU size in client-go. */
const CACHE_SIZE = 4096;

interface Seen {
  name: string;
  namespace: string;
  count: number;
  last: number;
  /** Writes for one event key go out in order: create before the count bumps. */
  chain: Promise<void>;
}

export function referenceFor(obj: KObject, fieldPath?: string): ObjectReference {
  return {
    kind: obj.kind,
    namespace: obj.metadata.namespace,
    name: obj.metadata.name,
    uid: obj.metadata.uid,
    apiVersion: obj.apiVersion,
    resourceVersion: obj.metadata.resourceVersion,
    ...(fieldPath ? { fieldPath } : {}),
  };
}

export class EventRecorder {
  private readonly seen = new Map<string, Seen>();
  /** Nanoseconds added to now so two events in the same millisecond get distinct names. */
  private seq = 0;
  private lastMs = 0;

  constructor(private readonly o: EventRecorderOptions) {}

  /** The Event's name suffix: UnixNano as 16 hex digits. */
  private unixNanoHex(ms: number): string {
    if (ms !== this.lastMs) {
      this.lastMs = ms;
      this.seq = 0;
    }
    const nanos = BigInt(ms) * 1_000_000n + BigInt(this.seq++) * 1000n + BigInt(this.o.component.length % 997);
    return nanos.toString(16);
  }

  private write(fn: () => Promise<unknown>, prev: Promise<void> = Promise.resolve()): Promise<void> {
    this.o.activity.begin();
    return prev
      .then(fn)
      .then(
        () => undefined,
        (err: unknown) => this.o.log?.(`Server rejected event (will not retry!): ${String(err)}`),
      )
      .finally(() => this.o.activity.end());
  }

  /** Records a core/v1 Event about obj, as record.EventRecorder.Event does. */
  event(obj: KObject, type: EventType, reason: string, message: string, fieldPath?: string): void {
    const ref = referenceFor(obj, fieldPath);
    const namespace = ref.namespace || "default";
    const now = this.o.clock.now();
    const source = { component: this.o.component, ...(this.o.host ? { host: this.o.host } : {}) };
    // The correlator's key (getEventKey): the fields joined by a byte none of them holds.
    const key = [ref.kind, ref.namespace, ref.name, ref.uid, ref.apiVersion, ref.fieldPath, type, reason, message, source.component, source.host].join("\u0000");
    const hit = this.seen.get(key);
    if (hit && now - hit.last < AGGREGATE_WINDOW_MS) {
      hit.count++;
      hit.last = now;
      const count = hit.count;
      this.seen.delete(key);
      this.seen.set(key, hit);
      hit.chain = this.write(async () => {
        try {
          await this.o.client
            .resource<CoreEvent>(GVR.events)
            .patch(hit.name, hit.namespace, "application/strategic-merge-patch+json", { count, lastTimestamp: rfc3339(now) });
        } catch (e) {
          // Expired (event TTL) or deleted: start a fresh Event, as the recorder does.
          if (!isNotFound(e)) throw e;
          const fresh = this.coreEvent(ref, namespace, type, reason, message, source, now);
          hit.name = fresh.metadata.name!;
          hit.count = 1;
          await this.o.client.resource<CoreEvent>(GVR.events).create(fresh, namespace);
        }
      }, hit.chain);
      return;
    }
    const ev = this.coreEvent(ref, namespace, type, reason, message, source, now);
    const entry: Seen = { name: ev.metadata.name!, namespace, count: 1, last: now, chain: Promise.resolve() };
    this.seen.delete(key);
    this.seen.set(key, entry);
    if (this.seen.size > CACHE_SIZE) this.seen.delete(this.seen.keys().next().value!);
    entry.chain = this.write(() => this.o.client.resource<CoreEvent>(GVR.events).create(ev, namespace));
  }

  private coreEvent(
    ref: ObjectReference,
    namespace: string,
    type: EventType,
    reason: string,
    message: string,
    source: CoreEvent["source"],
    now: number,
  ): CoreEvent {
    const ts = rfc3339(now);
    return {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: `${ref.name}.${this.unixNanoHex(now)}`, namespace },
      involvedObject: ref,
      reason,
      message,
      source,
      firstTimestamp: ts,
      lastTimestamp: ts,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: this.o.component,
      reportingInstance: this.o.host ?? "",
    };
  }

  /**
   * Records an event the events.k8s.io/v1 way (client-go/tools/events), as the
   * scheduler does. It is stored as the core/v1 view of such an event reads:
   * empty source, null first/lastTimestamp, eventTime, action, no count.
   */
  eventV1(obj: KObject, type: EventType, reason: string, action: string, note: string): void {
    const ref = referenceFor(obj);
    const namespace = ref.namespace || "default";
    const now = this.o.clock.now();
    const ev: CoreEvent = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: `${ref.name}.${this.unixNanoHex(now)}`, namespace },
      involvedObject: ref,
      reason,
      message: note,
      source: {},
      firstTimestamp: null,
      lastTimestamp: null,
      type,
      eventTime: rfc3339Micro(now),
      action,
      reportingComponent: this.o.component,
      reportingInstance: this.o.host ? `${this.o.component}-${this.o.host}` : this.o.component,
    };
    void this.write(() => this.o.client.resource<CoreEvent>(GVR.events).create(ev, namespace));
  }
}
