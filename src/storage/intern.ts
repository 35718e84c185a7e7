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
  internChildren<T extends object>(v: T, own: readonly string[]): T {
    const o = v as Record<string, unknown>;
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
      const r = this.object(x);
      if (r) o[k] = r.value;
    }
    return v;
  }

  /** The canonical instance of s, flat. */
  private string(s: string): string {
    const found = this.strings.get(flat(s));
    if (found !== undefined) return found;
    this.strings.add(s, s);
    return s;
  }

  /**
   * The canonical instance of x and its key; no key when x is its own (too
   * big, or holding a part that is, to be worth a lookup); undefined when x
   * holds something that is not JSON (it is then left alone).
   */
  private object(x: object): { value: object; key?: string } | undefined {
    // A frozen subtree (shared earlier, under a new parent after a patch) is keyed but not changed.
    const frozen = Object.isFrozen(x);
    let key: string | undefined;
    if (Array.isArray(x)) {
      key = "[";
      for (let i = 0; i < x.length; i++) {
        const part = this.part(x[i], x as unknown as Record<number, unknown>, i, frozen, key !== undefined);
        if (part === undefined) return undefined;
        if (key !== undefined) key = part === OWN ? undefined : `${key}${i === 0 ? "" : ","}${part}`;
        if (key !== undefined && key.length > MAX_KEY) key = undefined;
      }
      if (key !== undefined) key += "]";
    } else {
      const proto = Object.getPrototypeOf(x);
      if (proto !== Object.prototype && proto !== null) return undefined;
      const o = x as Record<string, unknown>;
      key = "{";
      let first = true;
      for (const k of Object.keys(o)) {
        const part = this.part(o[k], o, k, frozen, key !== undefined);
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
  private part(v: unknown, parent: Record<string | number, unknown>, at: string | number, parentFrozen: boolean, keyed: boolean): string | typeof OWN | undefined {
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
        if (!keyed && Object.isFrozen(v)) return OWN;
        const r = this.object(v);
        if (!r) return undefined;
        if (r.value !== v && !parentFrozen) parent[at] = r.value;
        return r.key ?? OWN;
      }
      default:
        return undefined;
    }
  }
}
