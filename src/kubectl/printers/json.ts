// JSON as Go's encoding/json writes a decoded object (map[string]interface{}):
// keys sorted bytewise, `<`, `>`, `&`, U+2028 and U+2029 escaped as \u00XX,
// integers as int64. `kubectl -o json` is MarshalIndent with four spaces and
// a trailing newline; jsonpath prints maps and lists compactly.

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b)))))
      out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/** HTML-safe escapes Go applies inside strings (these characters only occur inside strings). */
function goEscapes(s: string): string {
  return s.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, "0")}`);
}

/** json.Marshal: compact (sorted=false keeps a typed struct's field order). */
export function goJSON(v: unknown, sorted = true): string {
  return goEscapes(JSON.stringify(sorted ? sortKeys(v ?? null) : (v ?? null)));
}

/**
 * json.MarshalIndent(v, "", "    ") plus the newline kubectl's JSON printer
 * adds. Decoded (unstructured) objects print with sorted keys; typed Go
 * structs (what kubectl builds itself, e.g. for --dry-run=client) print in
 * struct field order, which callers give as insertion order with sorted=false.
 */
export function goJSONIndent(v: unknown, sorted = true): string {
  return goEscapes(JSON.stringify(sorted ? sortKeys(v ?? null) : (v ?? null), null, 4)) + "\n";
}
