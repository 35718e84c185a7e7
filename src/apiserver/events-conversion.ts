// core/v1 Event ⇄ events.k8s.io/v1 Event, after pkg/apis/events/v1/conversion.go.
// Both APIs serve the same objects from /registry/events; storage keeps the
// core/v1 shape (what `kubectl get events` and `describe` read), and the
// events.k8s.io/v1 view renames fields on the way in and out.
// Leaves out: validation differences between the two APIs.

import type { KObject } from "../apimachinery/meta.ts";

type Obj = Record<string, unknown>;

/** core name → events.k8s.io name, for plain renamed fields. */
const RENAMES: [string, string][] = [
  ["involvedObject", "regarding"],
  ["message", "note"],
  ["reportingComponent", "reportingController"],
  ["firstTimestamp", "deprecatedFirstTimestamp"],
  ["lastTimestamp", "deprecatedLastTimestamp"],
  ["count", "deprecatedCount"],
  ["source", "deprecatedSource"],
];

function rename(obj: Obj, from: (p: [string, string]) => string, to: (p: [string, string]) => string): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(obj)) {
    const pair = RENAMES.find((p) => from(p) === k);
    out[pair ? to(pair) : k] = v;
  }
  return out;
}

/** The events.k8s.io/v1 view of a stored (core/v1) event. */
export function eventToEventsV1(obj: KObject): KObject {
  const out = rename(obj as Obj, (p) => p[0], (p) => p[1]);
  out.apiVersion = "events.k8s.io/v1";
  out.kind = "Event";
  return out as KObject;
}

/** The core/v1 (storage) form of an events.k8s.io/v1 event. */
export function eventsV1ToEvent(obj: KObject): KObject {
  const out = rename(obj as Obj, (p) => p[1], (p) => p[0]);
  out.apiVersion = "v1";
  out.kind = "Event";
  return out as KObject;
}
