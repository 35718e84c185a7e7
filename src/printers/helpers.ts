// Shared cell formatting for the server-side printers, after the helpers at
// the bottom of pkg/printers/internalversion/printers.go and metav1/labels
// formatting: column building, container layout, selector and label strings.

import type { KObject } from "../apimachinery/meta.ts";
import { age } from "../apimachinery/duration.ts";
import { type LabelSelectorSpec, selectorFromSpec } from "../apimachinery/labels.ts";
import type { Container } from "../api/core/v1.ts";
import { DOC } from "./descriptions.ts";
import type { ColumnDefinition } from "./printers.ts";

/** A column definition; `wide` marks priority 1 (`-o wide` only). */
export function col(name: string, type: string, description: string, opts: { wide?: boolean; format?: string } = {}): ColumnDefinition {
  return { name, type, format: opts.format ?? "", description, priority: opts.wide ? 1 : 0 };
}

export const NAME_COLUMN = col("Name", "string", DOC.objectMetaName, { format: "name" });
export const AGE_COLUMN = col("Age", "string", DOC.creationTimestamp);
export const CONTAINERS_COLUMN = col("Containers", "string", "Names of each container in the template.", { wide: true });
export const IMAGES_COLUMN = col("Images", "string", "Images referenced by each container in the template.", { wide: true });

/** translateTimestampSince: the AGE cell. */
export function ageOf(obj: KObject, nowMs: number): string {
  return age(obj.metadata.creationTimestamp, nowMs);
}

/** layoutContainerCells: names and images, comma-joined. */
export function containerCells(containers: Container[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name).join(","), list.map((c) => c.image ?? "").join(",")];
}

/** labels.FormatLabels: sorted `k=v` pairs, or `<none>`. */
export function formatLabels(map: Record<string, string> | undefined): string {
  const keys = Object.keys(map ?? {}).sort();
  if (keys.length === 0) return "<none>";
  return keys.map((k) => `${k}=${map![k]}`).join(",");
}

/** metav1.FormatLabelSelector: the selector string, or `<none>` when it selects by nothing. */
export function formatLabelSelector(spec: LabelSelectorSpec | undefined): string {
  const s = selectorString(spec);
  return s === "" ? "<none>" : s;
}

/** LabelSelectorAsSelector(...).String(): requirements sorted by key. */
export function selectorString(spec: LabelSelectorSpec | undefined): string {
  if (!spec) return "";
  return selectorFromSpec(spec).toString();
}

/** "True"/"False", or `<unset>` for a nil pointer (printBoolPtr). */
export function boolPtr(v: boolean | undefined): string {
  if (v === undefined || v === null) return "<unset>";
  return v ? "True" : "False";
}

/** Milliseconds of an RFC 3339 time, or undefined when absent (a zero metav1.Time). */
export function timeOf(t: string | null | undefined): number | undefined {
  if (!t) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A list capped at three items with ` + N more...`, as the endpoint columns print. */
export function listWithMore(list: string[], more: boolean, count: number, max: number, empty: string): string {
  const ret = list.join(",");
  if (more) return `${ret} + ${count - max} more...`;
  return ret === "" ? empty : ret;
}
