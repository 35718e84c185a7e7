// The shared machinery of `kubectl describe`, after k8s.io/kubectl/pkg/describe
// (describe.go): the PrefixWriter (two spaces per level) over Go's tabwriter
// (minwidth 0, tabwidth 8, padding 2), the multi-line label / annotation /
// taint / toleration printers, searchEvents and DescribeEvents, RFC1123Z times
// and Quantity arithmetic for node resources.
// Leaves out the describers of kinds this lab does not serve.

import type { RestClient } from "../../client/rest.ts";
import { humanDuration } from "../../apimachinery/duration.ts";
import { newDescribeTabWriter } from "../printers/tabwriter.ts";
import type { ClientBehaviour } from "../clientversion.ts";

export type Obj = Record<string, unknown>;
export interface Meta {
  name: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  ownerReferences?: { kind: string; name: string; uid: string; controller?: boolean }[];
}

/** What every describer receives. */
export interface DescribeContext {
  rest: RestClient;
  now: number;
  showEvents: boolean;
  /** The client release being emulated (see ../clientversion.ts); 1.32's when absent. */
  client?: ClientBehaviour;
}

export const LEVEL_0 = 0;
export const LEVEL_1 = 1;
export const LEVEL_2 = 2;
export const LEVEL_3 = 3;

/** describe.PrefixWriter plus the tabbedString buffer around it. */
export class PrefixWriter {
  private out = "";
  private readonly tw = newDescribeTabWriter((s) => (this.out += s));

  write(level: number, text: string): void {
    this.tw.write("  ".repeat(level) + escapeTerminal(text));
  }

  writeLine(text: string): void {
    this.tw.write(`${escapeTerminal(text)}\n`);
  }

  /** tabbedString's final Flush. */
  result(): string {
    this.tw.flush();
    return this.out;
  }

  /** DescribeEvents flushes the tab writer before the table (the events align on their own). */
  flush(): void {
    this.tw.flush();
  }
}

/** printers.WriteEscaped: terminal escape sequences are made visible. */
function escapeTerminal(s: string): string {
  return s.replace(/\x1b/g, "^[");
}

/** time.RFC1123Z in UTC: `Wed, 25 Nov 2026 08:38:02 +0000`. */
export function rfc1123z(ts: string | undefined | null): string {
  const d = new Date(ts ?? 0);
  const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const p = (n: number) => String(n).padStart(2, "0");
  return `${days[d.getUTCDay()]}, ${p(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** translateTimestampSince. */
export function since(ts: string | undefined | null, now: number): string {
  if (!ts) return "<unknown>";
  return humanDuration(now - Date.parse(ts));
}

export function printLabelsMultiline(w: PrefixWriter, title: string, labels: Record<string, string> | undefined, initialIndent = "", innerIndent = "\t"): void {
  w.write(LEVEL_0, `${initialIndent}${title}:${innerIndent}`);
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) {
    w.writeLine("<none>");
    return;
  }
  keys.forEach((key, i) => {
    if (i !== 0) {
      w.write(LEVEL_0, initialIndent);
      w.write(LEVEL_0, innerIndent);
    }
    w.write(LEVEL_0, `${key}=${labels![key]}\n`);
  });
}

const MAX_ANNOTATION_LEN = 140;

export function printAnnotationsMultiline(w: PrefixWriter, title: string, annotations: Record<string, string> | undefined): void {
  w.write(LEVEL_0, `${title}:\t`);
  const keys = Object.keys(annotations ?? {})
    .filter((k) => k !== "kubectl.kubernetes.io/last-applied-configuration")
    .sort();
  if (keys.length === 0) {
    w.writeLine("<none>");
    return;
  }
  const indent = "\t";
  keys.forEach((key, i) => {
    if (i !== 0) w.write(LEVEL_0, indent);
    const value = annotations![key]!.replace(/\n$/, "");
    if (Buffer.byteLength(value) + Buffer.byteLength(key) + 2 > MAX_ANNOTATION_LEN || value.includes("\n")) {
      w.write(LEVEL_0, `${key}:\n`);
      for (const s of value.split("\n")) {
        const b = Buffer.from(s);
        const shown = b.length > MAX_ANNOTATION_LEN - 2 ? `${b.subarray(0, MAX_ANNOTATION_LEN - 2).toString()}...` : s;
        w.write(LEVEL_0, `${indent}  ${shown}\n`);
      }
    } else {
      w.write(LEVEL_0, `${key}: ${value}\n`);
    }
  });
}

export interface Taint {
  key: string;
  value?: string;
  effect?: string;
}

/** Taint.ToString. */
export function taintString(t: Taint): string {
  let s = t.key;
  if (t.value) s += `=${t.value}`;
  if (t.effect) s += `:${t.effect}`;
  return s;
}

export function printTaintsMultiline(w: PrefixWriter, title: string, taints: Taint[] | undefined): void {
  w.write(LEVEL_0, `${title}:\t`);
  if (!taints || taints.length === 0) {
    w.writeLine("<none>");
    return;
  }
  const key = (t: Taint) => `${t.effect ?? ""},${t.key}`;
  [...taints]
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
    .forEach((t, i) => {
      if (i !== 0) w.write(LEVEL_0, "\t");
      w.write(LEVEL_0, `${taintString(t)}\n`);
    });
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export function printTolerationsMultiline(w: PrefixWriter, title: string, tolerations: Toleration[] | undefined, initialIndent = ""): void {
  w.write(LEVEL_0, `${initialIndent}${title}:\t`);
  if (!tolerations || tolerations.length === 0) {
    w.writeLine("<none>");
    return;
  }
  // sort.Slice is not stable; equal keys keep their order here.
  [...tolerations]
    .sort((a, b) => ((a.key ?? "") < (b.key ?? "") ? -1 : (a.key ?? "") > (b.key ?? "") ? 1 : 0))
    .forEach((t, i) => {
      if (i !== 0) {
        w.write(LEVEL_0, initialIndent);
        w.write(LEVEL_0, "\t");
      }
      let s = t.key ?? "";
      if (t.value) s += `=${t.value}`;
      if (t.effect) s += `:${t.effect}`;
      if (t.operator === "Exists" && !t.value) s += t.key || t.effect ? " op=Exists" : "op=Exists";
      if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`;
      w.write(LEVEL_0, `${s}\n`);
    });
}

export interface KEvent {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count: number; lastObservedTime: string };
  source?: { component?: string; host?: string };
  reportingComponent?: string;
  reportingController?: string;
}

/** searchEvents: the events whose involvedObject is this object (kind left out for pods, as kubectl does). */
export async function searchEvents(
  ctx: DescribeContext,
  ref: { kind?: string; name: string; namespace?: string; uid?: string },
): Promise<KEvent[]> {
  const parts: string[] = [];
  if (ref.kind) parts.push(`involvedObject.kind=${ref.kind}`);
  parts.push(`involvedObject.name=${ref.name}`);
  parts.push(`involvedObject.namespace=${ref.namespace ?? ""}`);
  if (ref.uid) parts.push(`involvedObject.uid=${ref.uid}`);
  const path = ref.namespace ? `/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/events` : "/api/v1/events";
  try {
    const list = await ctx.rest.json<{ items?: KEvent[] }>("GET", path, { query: { fieldSelector: parts.join(","), limit: 500 } });
    return list.items ?? [];
  } catch {
    return [];
  }
}

const tsOf = (e: KEvent) => (e.lastTimestamp ? Date.parse(e.lastTimestamp) : Number.NEGATIVE_INFINITY);

export function describeEvents(events: KEvent[], w: PrefixWriter, now: number): void {
  if (events.length === 0) {
    w.write(LEVEL_0, "Events:\t<none>\n");
    return;
  }
  w.flush();
  // event.SortableEvents by lastTimestamp; Go's sort is an insertion sort (stable) for ≤12 items.
  const sorted = events.map((e, i) => ({ e, i })).sort((a, b) => tsOf(a.e) - tsOf(b.e) || a.i - b.i).map((x) => x.e);
  w.write(LEVEL_0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
  w.write(LEVEL_1, "----\t------\t----\t----\t-------\n");
  for (const e of sorted) {
    const first = e.eventTime ? since(e.eventTime, now) : since(e.firstTimestamp, now);
    let interval: string;
    if (e.series) interval = `${since(e.series.lastObservedTime, now)} (x${e.series.count} over ${first})`;
    else if ((e.count ?? 0) > 1) interval = `${since(e.lastTimestamp, now)} (x${e.count} over ${first})`;
    else interval = first;
    const source = e.source?.component || e.reportingController || e.reportingComponent || "";
    w.write(LEVEL_1, `${e.type ?? ""}\t${e.reason ?? ""}\t${interval}\t${source}\t${(e.message ?? "").trim()}\n`);
  }
}

/** The controller owner as `Kind/name`, or "". */
export function controllerOf(meta: Meta): string {
  const ref = meta.ownerReferences?.find((r) => r.controller);
  return ref ? `${ref.kind}/${ref.name}` : "";
}

/** metav1.FormatLabelSelector for matchLabels / matchExpressions. */
export function formatLabelSelector(sel: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | undefined): string {
  if (!sel) return "<none>";
  const parts: string[] = [];
  for (const k of Object.keys(sel.matchLabels ?? {}).sort()) parts.push(`${k}=${sel.matchLabels![k]}`);
  for (const e of sel.matchExpressions ?? []) {
    const op = e.operator.toLowerCase();
    if (op === "exists") parts.push(e.key);
    else if (op === "doesnotexist") parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${op === "notin" ? "notin" : "in"} (${(e.values ?? []).join(",")})`);
  }
  if (parts.length === 0) return "<none>";
  return parts.join(",");
}

/** LabelSelectorAsSelector(...).String(): requirements sorted by key. */
export function selectorString(sel: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | undefined): string {
  if (!sel) return "";
  const reqs: { key: string; text: string }[] = [];
  for (const k of Object.keys(sel.matchLabels ?? {})) reqs.push({ key: k, text: `${k}=${sel.matchLabels![k]}` });
  for (const e of sel.matchExpressions ?? []) {
    const op = e.operator.toLowerCase();
    const vals = [...(e.values ?? [])].sort().join(",");
    const text = op === "exists" ? e.key : op === "doesnotexist" ? `!${e.key}` : `${e.key} ${op === "notin" ? "notin" : "in"} (${vals})`;
    reqs.push({ key: e.key, text });
  }
  return reqs
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => r.text)
    .join(",");
}

// ---------------------------------------------------------------------------
// resource.Quantity, enough for requests, limits and node capacity.

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

export interface Quantity {
  /** Value in milli-units (exact for the sizes a lab uses). */
  milli: number;
  format: "BinarySI" | "DecimalSI";
}

export function parseQuantity(s: string | undefined): Quantity {
  if (!s) return { milli: 0, format: "DecimalSI" };
  const m = /^([+-]?\d*\.?\d+)([a-zA-Z]*)$/.exec(s.trim());
  if (!m) return { milli: 0, format: "DecimalSI" };
  const n = Number(m[1]);
  const suf = m[2]!;
  if (BINARY[suf] !== undefined) return { milli: Math.round(n * BINARY[suf]! * 1000), format: "BinarySI" };
  if (/^[eE]/.test(suf)) return { milli: Math.round(n * 10 ** Number(suf.slice(1)) * 1000), format: "DecimalSI" };
  return { milli: Math.round(n * (DECIMAL[suf] ?? 1) * 1000), format: "DecimalSI" };
}

/** Quantity.String(): the canonical form (largest exact suffix). */
export function formatQuantity(q: Quantity): string {
  if (q.milli === 0) return "0";
  if (q.milli % 1000 !== 0) return `${q.milli}m`;
  const v = q.milli / 1000;
  if (q.format === "BinarySI") {
    for (const suf of ["Ei", "Pi", "Ti", "Gi", "Mi", "Ki"]) {
      if (v % BINARY[suf]! === 0 && Math.abs(v) >= BINARY[suf]!) return `${v / BINARY[suf]!}${suf}`;
    }
    return String(v);
  }
  for (const suf of ["E", "P", "T", "G", "M", "k"]) {
    if (v % DECIMAL[suf]! === 0 && Math.abs(v) >= DECIMAL[suf]!) return `${v / DECIMAL[suf]!}${suf}`;
  }
  return String(v);
}
