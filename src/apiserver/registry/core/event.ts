// Events, after pkg/registry/core/event/strategy.go: the field selectors
// `kubectl describe` uses to find an object's events.

import type { KObject } from "../../../apimachinery/meta.ts";
import type { Strategy } from "../store.ts";

interface EventFields {
  involvedObject?: Record<string, string | undefined>;
  regarding?: Record<string, string | undefined>;
  reason?: string;
  type?: string;
  source?: { component?: string; host?: string };
  reportingComponent?: string;
  reportingController?: string;
}

export const eventStrategy: Strategy = {
  fields(obj: KObject) {
    const e = obj as KObject & EventFields;
    const io = e.involvedObject ?? e.regarding ?? {};
    return {
      "involvedObject.kind": io.kind ?? "",
      "involvedObject.namespace": io.namespace ?? "",
      "involvedObject.name": io.name ?? "",
      "involvedObject.uid": io.uid ?? "",
      "involvedObject.apiVersion": io.apiVersion ?? "",
      "involvedObject.resourceVersion": io.resourceVersion ?? "",
      "involvedObject.fieldPath": io.fieldPath ?? "",
      reason: e.reason ?? "",
      type: e.type ?? "",
      source: e.source?.component ?? "",
      reportingComponent: e.reportingComponent ?? e.reportingController ?? "",
    };
  },
};
