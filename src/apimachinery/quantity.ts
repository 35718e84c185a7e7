// resource.Quantity, after k8s.io/apimachinery/pkg/api/resource: parse,
// add, compare and print in the canonical form the apiserver writes
// ("1500m", "1536Mi", "2", "1k"). Values are held in milli-units, exact for
// anything a lab sets. Leaves out: nano precision and DecimalExponent output.

export type QuantityFormat = "DecimalSI" | "BinarySI";

export interface Quantity {
  /** The value × 1000, so "250m" is 250 and "1Gi" is 1073741824000. */
  milli: number;
  format: QuantityFormat;
}

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** Parses "500m", "1.5", "128Mi", "1e3", or a JSON number; undefined when malformed. */
export function parseQuantity(input: string | number | undefined | null): Quantity | undefined {
  if (input === undefined || input === null) return undefined;
  if (typeof input === "number") return Number.isFinite(input) ? { milli: Math.round(input * 1000), format: "DecimalSI" } : undefined;
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))([eE][+-]?\d+|[a-zA-Z]*)$/.exec(input.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const suf = m[2]!;
  if (BINARY[suf] !== undefined) return { milli: Math.round(n * BINARY[suf]! * 1000), format: "BinarySI" };
  if (/^[eE]/.test(suf)) return { milli: Math.round(n * 10 ** Number(suf.slice(1)) * 1000), format: "DecimalSI" };
  const mult = DECIMAL[suf];
  if (mult === undefined) return undefined;
  return { milli: Math.round(n * mult * 1000), format: "DecimalSI" };
}

/** A quantity or zero (for sums over optional fields). */
export function quantityOrZero(input: string | number | undefined | null): Quantity {
  return parseQuantity(input) ?? { milli: 0, format: "DecimalSI" };
}

/** Quantity.Add: the result keeps a's format, as Go's Add does. */
export function addQuantity(a: Quantity, b: Quantity): Quantity {
  return { milli: a.milli + b.milli, format: a.format };
}

export function subQuantity(a: Quantity, b: Quantity): Quantity {
  return { milli: a.milli - b.milli, format: a.format };
}

/** -1, 0 or 1, as Quantity.Cmp. */
export function compareQuantity(a: Quantity, b: Quantity): number {
  return Math.sign(a.milli - b.milli);
}

/**
 * Quantity.String(): the canonical form. Binary quantities print with the
 * largest power of 1024 that divides them, unless they are below 1024 or
 * fractional (then they print as decimal, as CanonicalizeBytes does);
 * decimal ones with the largest power of 1000 that keeps an integer mantissa.
 */
export function formatQuantity(q: Quantity): string {
  const milli = q.milli;
  if (milli === 0) return "0";
  if (milli % 1000 !== 0) return `${milli}m`;
  const v = milli / 1000;
  if (q.format === "BinarySI" && Math.abs(v) >= 1024) {
    for (const suf of ["Ei", "Pi", "Ti", "Gi", "Mi", "Ki"]) {
      const b = BINARY[suf]!;
      if (Math.abs(v) >= b && v % b === 0) return `${v / b}${suf}`;
    }
    return String(v);
  }
  for (const suf of ["E", "P", "T", "G", "M", "k"]) {
    const d = DECIMAL[suf]!;
    if (Math.abs(v) >= d && v % d === 0) return `${v / d}${suf}`;
  }
  return String(v);
}

/** Re-prints a quantity string canonically ("1024Mi" → "1Gi", "0.5" → "500m"); malformed input is returned as is. */
export function canonicalQuantity(s: string | number): string {
  const q = parseQuantity(s);
  return q ? formatQuantity(q) : String(s);
}
