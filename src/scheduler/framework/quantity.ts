// Parsing resource quantities ("500m", "2", "128Mi", "1G"), after
// k8s.io/apimachinery/pkg/api/resource, as far as the scheduler compares them:
// CPU in millicores, everything else in base units.

const SUFFIX: Record<string, number> = {
  "": 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The quantity's value in base units (cores, bytes, count); NaN if malformed. */
export function parseQuantity(q: string | number | undefined): number {
  if (q === undefined) return 0;
  if (typeof q === "number") return q;
  const m = /^([+-]?\d+(?:\.\d+)?)(?:[eE]([+-]?\d+))?([a-zA-Z]*)$/.exec(q.trim());
  if (!m) return Number.NaN;
  const mult = SUFFIX[m[3] ?? ""];
  if (mult === undefined) return Number.NaN;
  return Number(m[1]) * 10 ** Number(m[2] ?? 0) * mult;
}

/** Millicores for "cpu", base units for everything else. */
export function resourceValue(name: string, q: string | number | undefined): number {
  const v = parseQuantity(q);
  return name === "cpu" ? Math.round(v * 1000) : Math.round(v);
}
