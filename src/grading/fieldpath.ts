// Field paths for resource checks, a small jsonpath: `status.readyReplicas`,
// `spec.containers[0].image`, `metadata.labels["app.kubernetes.io/name"]`,
// `status.conditions[type=Ready].status` (also written jsonpath-style as
// `{.status.conditions[?(@.type=="Ready")].status}`). A filter picks the first
// match. Leaves out: wildcards, recursive descent, ranges.

export type Segment = { key: string } | { index: number } | { filter: { key: string; value: string } };

/** Parses a path; throws only for malformed paths (the schema reports them at load time). */
export function parseFieldPath(text: string): Segment[] {
  let s = text.trim();
  if (s.startsWith("{") && s.endsWith("}")) s = s.slice(1, -1);
  if (s.startsWith(".")) s = s.slice(1);
  const out: Segment[] = [];
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === ".") {
      i++;
      continue;
    }
    if (ch === "[") {
      const end = s.indexOf("]", i);
      if (end < 0) throw new Error(`unclosed [ in ${text}`);
      const inner = s.slice(i + 1, end).trim();
      i = end + 1;
      if (/^\d+$/.test(inner)) out.push({ index: Number(inner) });
      else if (/^["'].*["']$/.test(inner)) out.push({ key: inner.slice(1, -1) });
      else {
        // [type=Ready] or [?(@.type=="Ready")]
        const m = /^(?:\?\(@\.)?([\w.-]+)\s*==?\s*["']?([^"')]*)["']?\)?$/.exec(inner);
        if (!m) throw new Error(`bad selector [${inner}] in ${text}`);
        out.push({ filter: { key: m[1]!, value: m[2]! } });
      }
      continue;
    }
    let j = i;
    while (j < s.length && s[j] !== "." && s[j] !== "[") j++;
    out.push({ key: s.slice(i, j) });
    i = j;
  }
  return out;
}

/** The value at `path` in `obj`, or undefined when any step is missing. */
export function readField(obj: unknown, path: Segment[]): unknown {
  let cur: unknown = obj;
  for (const seg of path) {
    if (cur === null || cur === undefined) return undefined;
    if ("key" in seg) cur = typeof cur === "object" ? (cur as Record<string, unknown>)[seg.key] : undefined;
    else if ("index" in seg) cur = Array.isArray(cur) ? cur[seg.index] : undefined;
    else {
      if (!Array.isArray(cur)) return undefined;
      const { key, value } = seg.filter;
      cur = cur.find((el) => el && typeof el === "object" && String((el as Record<string, unknown>)[key]) === value);
    }
  }
  return cur;
}
