// A seeded random source, after k8s.io/apimachinery/pkg/util/rand.
// Injected everywhere names or jitter are chosen, so a test run with the same
// seed gets the same pod names. Leaves out: cryptographic strength (tokens use
// node:crypto, not this).

/** Kubernetes' alphabet for generated names: no vowels, no 0, 1 or 3. */
export const NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

export interface Rand {
  /** A float in [0, 1). */
  float(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** n characters drawn from alphabet (default: Kubernetes' name alphabet). */
  string(n: number, alphabet?: string): string;
}

/** mulberry32: tiny, fast, and good enough for names and jitter. */
export function seededRand(seed: number): Rand {
  let state = seed >>> 0;
  const float = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(float() * n);
  return {
    float,
    int,
    string(n, alphabet = NAME_ALPHABET) {
      // One flat string: `s +=` per character would leave a chain of n
      // cons-strings (~32 bytes each) behind every stored name and ID.
      const codes = new Array<number>(n);
      for (let i = 0; i < n; i++) codes[i] = alphabet.charCodeAt(int(alphabet.length));
      return String.fromCharCode(...codes);
    },
  };
}
