// `-o custom-columns=HEADER:.json.path,…`, after cli-runtime's
// printers/customcolumn.go: each column is a relaxed jsonpath, several values
// join with ",", no value prints <none>, values print as Go's fmt.Sprint
// (maps as map[k:v], lists as [a b]), all through the get tab writer.

import { JSONPath } from "./jsonpath.ts";
import { newGetTabWriter } from "./tabwriter.ts";
import { goFloatString } from "./yaml.ts";

export interface Column {
  header: string;
  path: string;
}

/** RelaxedJSONPathExpression: `.a.b`, `a.b`, `{a.b}` and `{.a.b}` all mean `{.a.b}`. */
export function relaxedJSONPath(expr: string): string {
  if (expr === "") return expr;
  const m = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/.exec(expr);
  if (!m) throw new Error("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'");
  return `{.${m[1] ?? m[2]}}`;
}

export function parseCustomColumns(spec: string): Column[] {
  if (spec === "") throw new Error("custom-columns format specified but no custom columns given");
  return spec.split(",").map((part) => {
    const colon = part.indexOf(":");
    if (colon < 0) throw new Error(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    return { header: part.slice(0, colon), path: relaxedJSONPath(part.slice(colon + 1)) };
  });
}

/** fmt.Sprint of a decoded JSON value. */
function goSprint(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (typeof v === "number") return goFloatString(v);
  if (Array.isArray(v)) return `[${v.map(goSprint).join(" ")}]`;
  if (typeof v === "object") {
    const keys = Object.keys(v).sort();
    return `map[${keys.map((k) => `${k}:${goSprint((v as Record<string, unknown>)[k])}`).join(" ")}]`;
  }
  return String(v);
}

export function printCustomColumns(obj: Record<string, unknown>, columns: Column[], noHeaders: boolean): string {
  let out = "";
  const tw = newGetTabWriter((s) => (out += s));
  const parsers = columns.map((c) => new JSONPath(c.path));
  if (!noHeaders) tw.write(`${columns.map((c) => c.header).join("\t")}\n`);
  const items = obj.kind === "List" ? ((obj.items as Record<string, unknown>[]) ?? []) : [obj];
  for (const item of items) {
    const cells = parsers.map((p) => {
      const values = p.findValues(item);
      if (values.length === 0 || values[0]!.length === 0) return "<none>";
      return values
        .flat()
        .map((v) => goSprint(v).replace(/\x1b/g, "^["))
        .join(",");
    });
    tw.write(`${cells.join("\t")}\n`);
  }
  tw.flush();
  return out;
}
