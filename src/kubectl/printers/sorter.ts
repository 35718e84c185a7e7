// --sort-by, after kubectl's get/sorter.go: a relaxed jsonpath evaluated on
// each Table row's full object (includeObject=Object) or each list item;
// strings compare with sortorder.NaturalLess (digit runs as numbers), numbers
// numerically; rows without the field sort first. Sorted with a port of Go's
// sort.Sort, which is not stable: equal keys land where Go puts them.

import { JSONPath } from "./jsonpath.ts";
import { relaxedJSONPath } from "./customcolumns.ts";
import { goSort } from "./gosort.ts";

const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";

/** github.com/fvbommel/sortorder NaturalLess, bytewise. */
export function naturalLess(s1: string, s2: string): boolean {
  const a = Buffer.from(s1).toString("latin1");
  const b = Buffer.from(s2).toString("latin1");
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const c1 = a[i]!;
    const c2 = b[j]!;
    const d1 = isDigit(c1);
    const d2 = isDigit(c2);
    if (d1 !== d2) return d1;
    if (!d1) {
      if (c1 !== c2) return c1 < c2;
      i++;
      j++;
      continue;
    }
    for (; i < a.length && a[i] === "0"; i++);
    for (; j < b.length && b[j] === "0"; j++);
    const nz1 = i;
    const nz2 = j;
    for (; i < a.length && isDigit(a[i]); i++);
    for (; j < b.length && isDigit(b[j]); j++);
    if (i - nz1 !== j - nz2) return i - nz1 < j - nz2;
    const n1 = a.slice(nz1, i);
    const n2 = b.slice(nz2, j);
    if (n1 !== n2) return n1 < n2;
    if (nz1 !== nz2) return nz1 < nz2;
  }
  return a.length < b.length;
}

/** resource.ParseQuantity, enough to tell whether a string is one and compare two. */
function quantityValue(s: string): number | undefined {
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/.exec(s);
  if (!m) return undefined;
  const n = Number(m[1]);
  const suf = m[2] ?? "";
  const bin: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
  const dec: Record<string, number> = { "": 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
  if (bin[suf] !== undefined) return n * bin[suf]!;
  if (dec[suf] !== undefined) return n * dec[suf]!;
  return n * 10 ** Number(suf.slice(1));
}

function isLess(x: unknown, y: unknown): boolean {
  if (typeof x === "string" && typeof y === "string") {
    // Strings that both parse as quantities ("100m", "2Gi", "10") compare by value.
    const qx = quantityValue(x);
    const qy = quantityValue(y);
    if (qx !== undefined && qy !== undefined) return qx < qy;
    return naturalLess(x, y);
  }
  if (typeof x === "number" && typeof y === "number") return x < y;
  if (typeof x === "boolean" && typeof y === "boolean") return !x && y;
  return false;
}

/** Sorts items by the field; throws kubectl's error when no item has it. */
export function sortByField<T>(items: T[], field: string, objectOf: (item: T) => unknown): T[] {
  const expr = relaxedJSONPath(field);
  let parser: JSONPath;
  try {
    parser = new JSONPath(expr);
  } catch (e) {
    throw new Error(`sorting error: ${(e as Error).message}`);
  }
  const keyed = items.map((item, index) => {
    const values = parser.findValues(objectOf(item));
    const first = values[0]?.[0];
    return { item, index, has: values.length > 0 && (values[0]?.length ?? 0) > 0, value: first };
  });
  if (items.length > 0 && !keyed.some((k) => k.has)) throw new Error(`couldn't find any field with path ${JSON.stringify(expr)} in the list of objects`);
  const less = (p: (typeof keyed)[number], q: (typeof keyed)[number]) => {
    if (!p.has) return true;
    if (!q.has) return false;
    return isLess(p.value, q.value);
  };
  const out = goSort(keyed, less);
  return out.map((k) => k.item);
}
