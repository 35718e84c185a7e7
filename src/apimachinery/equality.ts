// Semantic equality of API objects, after apimachinery's pkg/api/equality:
// what the apiserver uses to skip a write that changes nothing. Objects are
// JSON-shaped; a key holding undefined counts as absent (it does not
// serialize), and key order does not matter (Go serializes struct fields in
// a fixed order and map keys sorted). Walks both values once, stopping at
// the first difference, instead of stringifying both.

export function semanticEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!semanticEqual(a[i], bb[i])) return false;
    return true;
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let na = 0;
  for (const k of Object.keys(ra)) {
    if (ra[k] === undefined) continue;
    na++;
    if (!semanticEqual(ra[k], rb[k])) return false;
  }
  let nb = 0;
  for (const k of Object.keys(rb)) if (rb[k] !== undefined) nb++;
  return na === nb;
}
