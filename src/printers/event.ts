// The events Table, after printEvent in pkg/printers/internalversion/printers.go.
// Both core/v1 and events.k8s.io/v1 events print through it: the apiserver
// converts either to the internal Event first, as done here by toCoreEvent.

import type { KObject } from "../apimachinery/meta.ts";
import { age } from "../apimachinery/duration.ts";
import type { Event, EventSource, ObjectReference } from "../api/core/v1.ts";
import { DOC } from "./descriptions.ts";
import { col, NAME_COLUMN } from "./helpers.ts";
import type { TablePrinter } from "./printers.ts";

interface EventsV1Fields {
  regarding?: ObjectReference;
  note?: string;
  deprecatedSource?: EventSource;
  deprecatedFirstTimestamp?: string;
  deprecatedLastTimestamp?: string;
  deprecatedCount?: number;
}

/** An events.k8s.io/v1 Event seen as a core/v1 one (involvedObject, message, source…). */
function toCoreEvent(obj: KObject): Event {
  if ("involvedObject" in obj) return obj as Event;
  const e = obj as KObject & EventsV1Fields & Partial<Event>;
  return {
    ...e,
    involvedObject: e.regarding ?? {},
    message: e.note,
    source: e.deprecatedSource,
    firstTimestamp: e.deprecatedFirstTimestamp,
    lastTimestamp: e.deprecatedLastTimestamp,
    count: e.deprecatedCount,
  } as Event;
}

function formatEventSource(es: EventSource | undefined, reportingController: string | undefined, reportingInstance: string | undefined): string {
  const component = es?.component || reportingController || "";
  const instance = es?.host || reportingInstance || "";
  return instance ? `${component}, ${instance}` : component;
}

export const eventPrinter: TablePrinter = {
  columns: [
    col("Last Seen", "string", DOC.eventLastTimestamp),
    col("Type", "string", DOC.eventType),
    col("Reason", "string", DOC.eventReason),
    col("Object", "string", DOC.eventInvolvedObject),
    col("Subobject", "string", DOC.fieldPath, { wide: true }),
    col("Source", "string", DOC.eventSource, { wide: true }),
    col("Message", "string", DOC.eventMessage),
    col("First Seen", "string", DOC.eventFirstTimestamp, { wide: true }),
    col("Count", "string", DOC.eventCount, { wide: true }),
    { ...NAME_COLUMN, priority: 1 },
  ],
  cells(obj: KObject, nowMs: number) {
    const ev = toCoreEvent(obj);
    let firstTimestamp = age(ev.firstTimestamp, nowMs);
    if (!ev.firstTimestamp) firstTimestamp = age(ev.eventTime, nowMs);
    let lastTimestamp = age(ev.lastTimestamp, nowMs);
    if (!ev.lastTimestamp) lastTimestamp = firstTimestamp;
    let count = ev.count ?? 0;
    if (ev.series) {
      lastTimestamp = age(ev.series.lastObservedTime, nowMs);
      count = ev.series.count ?? 0;
    } else if (count === 0) {
      // Singleton events have no count in the new API.
      count = 1;
    }
    const io = ev.involvedObject ?? {};
    const kind = (io.kind ?? "").toLowerCase();
    const target = io.name ? `${kind}/${io.name}` : kind;
    return [
      lastTimestamp,
      ev.type ?? "",
      ev.reason ?? "",
      target,
      io.fieldPath ?? "",
      formatEventSource(ev.source, ev.reportingComponent ?? (ev as { reportingController?: string }).reportingController, ev.reportingInstance),
      (ev.message ?? "").trim(),
      firstTimestamp,
      count,
      ev.metadata.name,
    ];
  },
};
