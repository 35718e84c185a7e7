// Label and field selectors, after k8s.io/apimachinery/pkg/labels and
// pkg/fields: parse once, match many. Field selectors use the same term syntax
// but only =, == and != (and match values read from a per-kind field set).

import { badRequest } from "./errors.ts";

export type Requirement =
  | { op: "=" | "!="; key: string; value: string }
  | { op: "in" | "notin"; key: string; values: string[] }
  | { op: "exists" | "!"; key: string };

export interface Selector {
  requirements: Requirement[];
  matches(labels: Record<string, string> | undefined): boolean;
  empty: boolean;
  toString(): string;
}

function makeSelector(requirements: Requirement[], text: string): Selector {
  return {
    requirements,
    empty: requirements.length === 0,
    toString: () => text,
    matches(labels) {
      const l = labels ?? {};
      for (const r of requirements) {
        const has = Object.prototype.hasOwnProperty.call(l, r.key);
        const v = l[r.key];
        switch (r.op) {
          case "=":
            if (!has || v !== r.value) return false;
            break;
          case "!=":
            if (has && v === r.value) return false;
            break;
          case "in":
            if (!has || !r.values.includes(v!)) return false;
            break;
          case "notin":
            if (has && r.values.includes(v!)) return false;
            break;
          case "exists":
            if (!has) return false;
            break;
          case "!":
            if (has) return false;
            break;
        }
      }
      return true;
    },
  };
}

/** Splits on commas that are not inside parentheses. */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of s) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out.map((t) => t.trim()).filter((t) => t.length > 0);
}

/** Parses a label selector string as `-l` and `?labelSelector=` take it. */
export function parseLabelSelector(text: string | undefined): Selector {
  const s = (text ?? "").trim();
  if (!s) return makeSelector([], "");
  const reqs: Requirement[] = [];
  for (const term of splitTerms(s)) {
    let m: RegExpMatchArray | null;
    if ((m = term.match(/^([^\s!=()]+)\s+(in|notin)\s+\(([^)]*)\)$/))) {
      const values = m[3]!.split(",").map((v) => v.trim());
      reqs.push({ op: m[2] as "in" | "notin", key: m[1]!, values });
    } else if ((m = term.match(/^!\s*([^\s!=()]+)$/))) {
      reqs.push({ op: "!", key: m[1]! });
    } else if ((m = term.match(/^([^\s!=()]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/))) {
      reqs.push({ op: m[2] === "!=" ? "!=" : "=", key: m[1]!, value: m[3]! });
    } else if ((m = term.match(/^([^\s!=()]+)$/))) {
      reqs.push({ op: "exists", key: m[1]! });
    } else {
      throw badRequest(`unable to parse requirement: found '${term}', expected: identifier`);
    }
  }
  return makeSelector(reqs, s);
}

/** A selector from matchLabels/matchExpressions (metav1.LabelSelector). */
export interface LabelSelectorSpec {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: "In" | "NotIn" | "Exists" | "DoesNotExist"; values?: string[] }[];
}

export function selectorFromSpec(spec: LabelSelectorSpec | undefined): Selector {
  const reqs: Requirement[] = [];
  for (const [key, value] of Object.entries(spec?.matchLabels ?? {})) reqs.push({ op: "=", key, value });
  for (const e of spec?.matchExpressions ?? []) {
    if (e.operator === "In") reqs.push({ op: "in", key: e.key, values: e.values ?? [] });
    else if (e.operator === "NotIn") reqs.push({ op: "notin", key: e.key, values: e.values ?? [] });
    else if (e.operator === "Exists") reqs.push({ op: "exists", key: e.key });
    else reqs.push({ op: "!", key: e.key });
  }
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return makeSelector(reqs, formatRequirements(reqs));
}

/** As labels.Selector.String() prints: keys sorted, `k=v`, `k in (a,b)`. */
export function formatRequirements(reqs: Requirement[]): string {
  return reqs
    .map((r) => {
      switch (r.op) {
        case "=":
          return `${r.key}=${r.value}`;
        case "!=":
          return `${r.key}!=${r.value}`;
        case "in":
          return `${r.key} in (${[...r.values].sort().join(",")})`;
        case "notin":
          return `${r.key} notin (${[...r.values].sort().join(",")})`;
        case "exists":
          return r.key;
        case "!":
          return `!${r.key}`;
      }
    })
    .join(",");
}

export interface FieldSelector {
  terms: { key: string; op: "=" | "!="; value: string }[];
  empty: boolean;
  matches(fields: Record<string, string>): boolean;
}

/** Parses `?fieldSelector=`; unsupported keys are rejected by the caller, which knows the kind. */
export function parseFieldSelector(text: string | undefined): FieldSelector {
  const s = (text ?? "").trim();
  const terms: FieldSelector["terms"] = [];
  if (s) {
    for (const term of splitTerms(s)) {
      const m = term.match(/^([^=!]+?)\s*(==|=|!=)\s*(.*)$/);
      if (!m) throw badRequest(`invalid selector: '${s}'; can't understand '${term}'`);
      terms.push({ key: m[1]!.trim(), op: m[2] === "!=" ? "!=" : "=", value: m[3]!.trim() });
    }
  }
  return {
    terms,
    empty: terms.length === 0,
    matches(fields) {
      for (const t of terms) {
        const v = fields[t.key] ?? "";
        if (t.op === "=" ? v !== t.value : v === t.value) return false;
      }
      return true;
    },
  };
}
