// Structural sharing of stored values, in the role etcd's byte encoding
// plays for memory: a real apiserver holds each object once, as bytes; here
// objects are held as JavaScript trees, and 100,000 pods of one template
// repeat the same containers' parts, volume sources, tolerations, labels,
// owner reference and — for pods started in the same second — the same
// conditions. Interning gives identical subtrees one frozen instance, so each
// pod keeps only what is its own (name, uid, IPs, container IDs).
//
// Strings are interned too, and stored flat: a name or an event message built
// by concatenation is a tree of V8 cons-string nodes (32 bytes each, and the
// pieces) until something flattens it, which at 500,000 events is real memory.
// Keys are unambiguous by length prefixes: a string part is "<length>:<text>.
//
// Frozen shared subtrees are safe because stored values are never changed in
// place (src/storage/etcd.ts); a component that tried now gets a TypeError
// instead of silently editing every pod that shares the subtree.
// Each table keeps two generations, so values seen again stay shared while
// unique ones (a container status with its container ID) age out.

import { flat } from "../utils/flat.ts";

/** Entries per generation: every template of a classroom cluster fits, and the table stays a few MB. */
const GENERATION_SIZE = 20_000;

/** A bounded map of canonical values by key, in two generations. */
class Generations<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();

  get(key: string): V | undefined {
    const v = this.young.get(key);
    if (v !== undefined) return v;
    const o = this.old.get(key);
    if (o !== undefined) this.add(key, o);
    return o;
  }

  add(key: string, v: V): void {
    this.young.set(key, v);
    if (this.young.size >= GENERATION_SIZE) {
      this.old = this.young;
      this.young = new Map();
    }
  }
}

/** The key of a subtree that is not shared. */
const OWN = Symbol("own");

/** Longest string looked up: values, reasons, images, timestamps and node names are shorter. */
const MAX_SHARED_STRING = 32;

/** Objects and arrays with more parts than this (a spec, a status) are taken as their own without keying them. */
const MAX_KEYED_PARTS = 10;

/** Longest key looked up: a container, a volume, a condition list fit; a whole spec or status does not. */
const MAX_KEY = 600;

export class Interner {
  private readonly objects = new Generations<object>();
  private readonly strings = new Generations<string>();

  /**
   * Interns v's property values in place: object values become shared frozen
   * instances of equal stored subtrees, strings flat shared copies. Values
   * under the keys in own keep their own (unfrozen) object, whose properties
   * are interned in turn — metadata, which every write stamps with a new
   * resourceVersion. Returns v.
   */
  internChildren<T extends object>(v: T, own: readonly string[], prev?: object): T {
    const o = v as Record<string, unknown>;
    const before = prev as Record<string, unknown> | undefined;
    for (const k of Object.keys(o)) {
      const x = o[k];
      if (typeof x === "string") {
        o[k] = this.string(x);
        continue;
      }
      // A frozen value is already shared (a status write keeps the old spec): nothing to do.
      if (typeof x !== "object" || x === null || Object.isFrozen(x)) continue;
      if (own.includes(k)) {
        this.internChildren(x, []);
        continue;
      }
      const was = before?.[k];
      if (unchanged(x, was)) {
        o[k] = was;
        continue;
      }
      const r = this.object(x, was);
      if (r) o[k] = r.value;
    }
    return v;
  }

  /** The canonical instance of s, flat. */
  private string(s: string): string {
    // Long strings are names, UIDs, IDs and messages of one object: flat is all they need.
    if (s.length > MAX_SHARED_STRING) return flat(s);
    const found = this.strings.get(flat(s));
    if (found !== undefined) return found;
    this.strings.add(s, s);
    return s;
  }

  /**
   * The canonical instance of x and its key; no key when x is its own (too
   * big, or holding a part that is, to be worth a lookup); undefined when x
   * holds something that is not JSON (it is then left alone). prev is what
   * stood at the same place in the version before, whose unchanged parts are
   * taken as they are.
   */
  private object(x: object, prev?: unknown): { value: object; key?: string } | undefined {
    const before = typeof prev === "object" && prev !== null && Array.isArray(prev) === Array.isArray(x) ? (prev as Record<string | number, unknown>) : undefined;
    // A frozen subtree (shared earlier, under a new parent after a patch) is keyed but not changed.
    const frozen = Object.isFrozen(x);
    let key: string | undefined;
    if (Array.isArray(x)) {
      key = x.length > MAX_KEYED_PARTS ? undefined : "[";
      for (let i = 0; i < x.length; i++) {
        const part = this.part(x[i], x as unknown as Record<number, unknown>, i, frozen, key !== undefined, before?.[i]);
        if (part === undefined) return undefined;
        if (key !== undefined) key = part === OWN ? undefined : `${key}${i === 0 ? "" : ","}${part}`;
        if (key !== undefined && key.length > MAX_KEY) key = undefined;
      }
      if (key !== undefined) key += "]";
    } else {
      const proto = Object.getPrototypeOf(x);
      if (proto !== Object.prototype && proto !== null) return undefined;
      const o = x as Record<string, unknown>;
      const keys = Object.keys(o);
      key = keys.length > MAX_KEYED_PARTS ? undefined : "{";
      let first = true;
      for (const k of keys) {
        const part = this.part(o[k], o, k, frozen, key !== undefined, before?.[k]);
        if (part === undefined) return undefined;
        if (key !== undefined) key = part === OWN ? undefined : `${key}${first ? "" : ","}${k.length}:${k}${part}`;
        if (key !== undefined && key.length > MAX_KEY) key = undefined;
        first = false;
      }
      if (key !== undefined) key += "}";
    }
    // Big subtrees (a pod's whole spec or status) are one pod's own: hashing them would cost more than it saves.
    if (key === undefined || key.length > MAX_KEY) {
      Object.freeze(x);
      return { value: x };
    }
    const found = this.objects.get(flat(key));
    if (found) return { value: found, key };
    Object.freeze(x);
    this.objects.add(key, x);
    return { value: x, key };
  }

  /**
   * The key of one child value (OWN when it is not shared), replacing it by
   * its canonical instance in its parent. A frozen child whose parent is
   * past keying (too big already) is left as it is, unvisited.
   */
  private part(v: unknown, parent: Record<string | number, unknown>, at: string | number, parentFrozen: boolean, keyed: boolean, prev?: unknown): string | typeof OWN | undefined {
    switch (typeof v) {
      case "string": {
        // Strings compare by value, so the canonical one is always written back.
        const c = this.string(v);
        if (!parentFrozen) parent[at] = c;
        return `"${c.length}:${c}`;
      }
      case "number":
        return `#${v}`;
      case "boolean":
        return v ? "t" : "f";
      case "undefined":
        return "u";
      case "object": {
        if (v === null) return "n";
        if (unchanged(v, prev)) {
          if (!parentFrozen) parent[at] = prev;
          v = prev as object;
        }
        if (!keyed && Object.isFrozen(v)) return OWN;
        const r = this.object(v as object, prev);
        if (!r) return undefined;
        if (r.value !== v && !parentFrozen) parent[at] = r.value;
        return r.key ?? OWN;
      }
      default:
        return undefined;
    }
  }
}

/**
 * x equals prev, a stored (frozen) subtree of the version before, to the
 * letter: same keys in the same order, so the stored JSON reads the same.
 * Checking costs no allocation beyond key lists, where keying a subtree
 * builds its whole key: a status write that changes one condition keeps the
 * rest of the old status by this check.
 */
function unchanged(x: unknown, prev: unknown): prev is object {
  return typeof prev === "object" && prev !== null && Object.isFrozen(prev) && x !== prev && identical(x, prev);
}

function identical(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!identical(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b) || Object.getPrototypeOf(a) !== Object.prototype || Object.getPrototypeOf(b) !== Object.prototype) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i]!;
    if (k !== kb[i] || !identical((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}
