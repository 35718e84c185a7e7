// describe.go's genericDescriber, for kinds without a dedicated describer:
// Name, Namespace, Labels, Annotations, then every other field of the object
// with "smart" labels (camelCase split into words), and its events.

import { goFloatString } from "../printers/yaml.ts";
import { type DescribeContext, describeEvents, type Meta, PrefixWriter, printAnnotationsMultiline, printLabelsMultiline, searchEvents } from "./describe.ts";

/** github.com/fatih/camelcase Split. */
function camelSplit(s: string): string[] {
  const cls = (c: string) => (/\p{Ll}/u.test(c) ? 1 : /\p{Lu}/u.test(c) ? 2 : /\p{Nd}/u.test(c) ? 3 : 4);
  const runs: string[][] = [];
  let last = 0;
  for (const c of s) {
    const k = cls(c);
    if (k === last) runs[runs.length - 1]!.push(c);
    else runs.push([c]);
    last = k;
  }
  // An upper-case run followed by a lower-case run gives its last letter to the lower run.
  for (let i = 0; i < runs.length - 1; i++) {
    if (cls(runs[i]![0]!) === 2 && cls(runs[i + 1]![0]!) === 1) {
      runs[i + 1]!.unshift(runs[i]!.pop()!);
    }
  }
  return runs.filter((r) => r.length > 0).map((r) => r.join(""));
}

function smartLabelFor(field: string): string {
  if ([...field].some((c) => !/\p{L}/u.test(c) && c !== "-")) return field;
  const acronyms = ["API", "URL", "UID", "OSB", "GUID"];
  return camelSplit(field)
    .filter((p) => p !== "_")
    .map((p) => (acronyms.includes(p.toUpperCase()) ? p.toUpperCase() : p[0]!.toUpperCase() + p.slice(1)))
    .join(" ");
}

function goValue(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (typeof v === "number") return goFloatString(v);
  return String(v);
}

function printContent(w: PrefixWriter, level: number, content: Record<string, unknown>, prefix: string, skip: string[]): void {
  for (const field of Object.keys(content).sort()) {
    const value = content[field];
    const expr = `${prefix}.${field}`;
    if (skip.includes(expr)) continue;
    if (Array.isArray(value)) {
      w.write(level, `${smartLabelFor(field)}:\n`);
      for (const child of value) {
        if (child && typeof child === "object" && !Array.isArray(child)) printContent(w, level + 1, child as Record<string, unknown>, expr, skip);
        else w.write(level + 1, `${goValue(child)}\n`);
      }
    } else if (value && typeof value === "object") {
      w.write(level, `${smartLabelFor(field)}:\n`);
      printContent(w, level + 1, value as Record<string, unknown>, expr, skip);
    } else {
      w.write(level, `${smartLabelFor(field)}:\t${goValue(value)}\n`);
    }
  }
}

export async function describeGeneric(ctx: DescribeContext, obj: Record<string, unknown> & { metadata: Meta; kind?: string }): Promise<string> {
  const m = obj.metadata;
  const events = ctx.showEvents ? await searchEvents(ctx, { kind: obj.kind, name: m.name, namespace: m.namespace, uid: m.uid }) : undefined;
  const w = new PrefixWriter();
  w.write(0, `Name:\t${m.name}\n`);
  w.write(0, `Namespace:\t${m.namespace ?? ""}\n`);
  printLabelsMultiline(w, "Labels", m.labels);
  printAnnotationsMultiline(w, "Annotations", m.annotations);
  printContent(w, 0, obj, "", [".metadata.managedFields", ".metadata.name", ".metadata.namespace", ".metadata.labels", ".metadata.annotations"]);
  if (events) describeEvents(events, w, ctx.now);
  return w.result();
}
