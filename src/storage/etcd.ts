// The cluster's key-value store, in etcd's role: one global revision counter,
// keys under /registry/<resource>/<namespace>/<name>, range reads by prefix,
// compare-and-swap on a key's mod revision, and watches from any retained
// revision. Leaves out: leases, transactions beyond CAS, persistence (a
// snapshot is taken by the storage layer when the lab saves a cluster).

export interface KeyValue<V = unknown> {
  key: string;
  value: V;
  createRevision: number;
  modRevision: number;
}

export interface StoreEvent<V = unknown> {
  type: "PUT" | "DELETE";
  kv: KeyValue<V>;
  /** The key's previous value: absent on a create. */
  prev?: KeyValue<V>;
}

export type StoreWatcher<V> = (ev: StoreEvent<V>) => void;

export class CompactedError extends Error {
  constructor(
    readonly requested: number,
    readonly oldest: number,
  ) {
    super(`required revision has been compacted`);
  }
}

/**
 * The keys of one resource ("/registry/pods/"): a range over a resource or a
 * namespace walks only these, in an order kept sorted between writes that add
 * or remove keys, so listing nodes does not scan 100,000 pods.
 */
interface Bucket<V> {
  prefix: string;
  kvs: Map<string, KeyValue<V>>;
  sorted?: string[];
}

/** "/registry/pods/default/web" → "/registry/pods/"; "" for shorter keys. */
function bucketOf(key: string): string {
  const a = key.indexOf("/", 1);
  if (a < 0) return "";
  const b = key.indexOf("/", a + 1);
  return b < 0 ? "" : key.slice(0, b + 1);
}

interface WatchEntry<V> {
  prefix: string;
  fn: StoreWatcher<V>;
}

/**
 * Narrows a watch to values whose index (a field, e.g. a pod's node name)
 * equals value: the watcher is called only when the new or previous value
 * has it. A thousand kubelets each watching their node's pods then cost one
 * lookup per write, not a thousand selector checks.
 */
export interface WatchRoute<V> {
  index: (v: V) => string | undefined;
  value: string;
}

export interface EtcdOptions {
  /**
   * How many past events are kept for watches that start in the past (5,000
   * to 10,000, trimmed in batches). A watch starts from its list's revision a
   * moment later, so this only has to cover a burst; each retained event holds
   * a superseded object version, which at 100,000 pods is real memory.
   */
  historyLimit?: number;
}

/**
 * Values are owned by the store once written: callers hand over an object and
 * must not mutate it afterwards, and must copy what they read before changing
 * it. That keeps reads allocation-free, which matters at 100,000 pods.
 */
export class Etcd<V = unknown> {
  private rev = 1;
  private readonly data = new Map<string, KeyValue<V>>();
  private readonly buckets = new Map<string, Bucket<V>>();
  private readonly history: StoreEvent<V>[] = [];
  private readonly historyLimit: number;
  /** Watchers by the key bucket of their prefix ("" for prefixes above a resource), so a write visits only its resource's watchers. */
  private readonly watchers = new Map<string, Set<WatchEntry<V>>>();
  /** Routed watchers: key bucket → index function → index value → watchers. */
  private readonly routed = new Map<string, Map<(v: V) => string | undefined, Map<string, Set<WatchEntry<V>>>>>();

  constructor(options: EtcdOptions = {}) {
    this.historyLimit = options.historyLimit ?? 5_000;
  }

  /** The revision of the latest write. */
  get revision(): number {
    return this.rev;
  }

  get size(): number {
    return this.data.size;
  }

  get(key: string): KeyValue<V> | undefined {
    return this.data.get(key);
  }

  /** Every key starting with prefix, in key order (as etcd's range returns them). */
  range(prefix: string): KeyValue<V>[] {
    const b = bucketOf(prefix);
    if (b !== "") {
      // One resource's keys: walk its sorted key list, not the whole store.
      const bucket = this.buckets.get(b);
      if (!bucket) return [];
      const out: KeyValue<V>[] = [];
      const whole = prefix === b;
      for (const k of this.sortedKeys(bucket)) if (whole || k.startsWith(prefix)) out.push(bucket.kvs.get(k)!);
      return out;
    }
    const out: KeyValue<V>[] = [];
    for (const [k, kv] of this.data) if (k.startsWith(prefix)) out.push(kv);
    out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return out;
  }

  /** Number of keys under prefix, without materialising them. */
  count(prefix: string): number {
    const b = bucketOf(prefix);
    if (b !== "") {
      const bucket = this.buckets.get(b);
      if (!bucket) return 0;
      if (prefix === bucket.prefix) return bucket.kvs.size;
      let n = 0;
      for (const k of bucket.kvs.keys()) if (k.startsWith(prefix)) n++;
      return n;
    }
    let n = 0;
    for (const k of this.data.keys()) if (k.startsWith(prefix)) n++;
    return n;
  }

  private sortedKeys(bucket: Bucket<V>): string[] {
    if (!bucket.sorted) bucket.sorted = [...bucket.kvs.keys()].sort();
    return bucket.sorted;
  }

  /** Creates key; returns undefined when it already exists. */
  create(key: string, value: (rev: number) => V): KeyValue<V> | undefined {
    if (this.data.has(key)) return undefined;
    const rev = this.rev + 1;
    const kv: KeyValue<V> = { key, value: value(rev), createRevision: rev, modRevision: rev };
    this.commit({ type: "PUT", kv });
    return kv;
  }

  /**
   * Replaces key if its mod revision still equals expectedRev (when given).
   * Returns undefined if the key is missing, or "conflict" on a stale revision.
   */
  update(key: string, value: (rev: number) => V, expectedRev?: number): KeyValue<V> | undefined | "conflict" {
    const prev = this.data.get(key);
    if (!prev) return undefined;
    if (expectedRev !== undefined && prev.modRevision !== expectedRev) return "conflict";
    const rev = this.rev + 1;
    const kv: KeyValue<V> = { key, value: value(rev), createRevision: prev.createRevision, modRevision: rev };
    this.commit({ type: "PUT", kv, prev });
    return kv;
  }

  /** Deletes key if present (and if its mod revision equals expectedRev, when given). */
  delete(key: string, expectedRev?: number): KeyValue<V> | undefined | "conflict" {
    const prev = this.data.get(key);
    if (!prev) return undefined;
    if (expectedRev !== undefined && prev.modRevision !== expectedRev) return "conflict";
    const rev = this.rev + 1;
    const kv: KeyValue<V> = { key, value: prev.value, createRevision: prev.createRevision, modRevision: rev };
    this.commit({ type: "DELETE", kv, prev });
    return prev;
  }

  /**
   * Watches keys under prefix. With fromRevision, first replays retained
   * events with a revision greater than it; throws CompactedError when those
   * are no longer retained.
   */
  watch(prefix: string, fn: StoreWatcher<V>, fromRevision?: number, route?: WatchRoute<V>): () => void {
    const routed = (ev: StoreEvent<V>) =>
      !route || route.index(ev.kv.value) === route.value || (ev.prev !== undefined && route.index(ev.prev.value) === route.value);
    if (fromRevision !== undefined && fromRevision < this.rev) {
      const oldest = this.history.length > 0 ? this.history[0]!.kv.modRevision : this.rev + 1;
      if (fromRevision + 1 < oldest) throw new CompactedError(fromRevision, oldest);
      for (const ev of this.history) {
        if (ev.kv.modRevision > fromRevision && ev.kv.key.startsWith(prefix) && routed(ev)) fn(ev);
      }
    }
    const entry: WatchEntry<V> = { prefix, fn };
    if (!route) {
      const b = bucketOf(prefix);
      let set = this.watchers.get(b);
      if (!set) this.watchers.set(b, (set = new Set()));
      set.add(entry);
      const entries = set;
      return () => void entries.delete(entry);
    }
    const b = bucketOf(prefix);
    if (b === "") throw new Error(`a routed watch needs a resource prefix, got ${prefix}`);
    let byIndex = this.routed.get(b);
    if (!byIndex) this.routed.set(b, (byIndex = new Map()));
    let byValue = byIndex.get(route.index);
    if (!byValue) byIndex.set(route.index, (byValue = new Map()));
    let set = byValue.get(route.value);
    if (!set) byValue.set(route.value, (set = new Set()));
    set.add(entry);
    const entries = set;
    return () => {
      entries.delete(entry);
      if (entries.size === 0 && byValue.get(route.value) === entries) byValue.delete(route.value);
    };
  }

  /** Every key and value, for snapshots and `etcdctl get --prefix`. */
  *entries(): IterableIterator<KeyValue<V>> {
    yield* this.data.values();
  }

  private index(ev: StoreEvent<V>): void {
    const b = bucketOf(ev.kv.key);
    if (b === "") return;
    let bucket = this.buckets.get(b);
    if (!bucket) this.buckets.set(b, (bucket = { prefix: b, kvs: new Map() }));
    if (ev.type === "PUT") {
      // A new key changes the order; an update of an existing key does not.
      if (!ev.prev) bucket.sorted = undefined;
      bucket.kvs.set(ev.kv.key, ev.kv);
    } else {
      bucket.sorted = undefined;
      bucket.kvs.delete(ev.kv.key);
    }
  }

  private commit(ev: StoreEvent<V>): void {
    this.rev = ev.kv.modRevision;
    if (ev.type === "PUT") this.data.set(ev.kv.key, ev.kv);
    else this.data.delete(ev.kv.key);
    this.index(ev);
    this.history.push(ev);
    // Trim in batches so a write costs O(1) amortised, not a shift per write.
    if (this.history.length > 2 * this.historyLimit) this.history.splice(0, this.history.length - this.historyLimit);
    const bucket = bucketOf(ev.kv.key);
    const wide = this.watchers.get("");
    if (wide) for (const w of wide) if (ev.kv.key.startsWith(w.prefix)) w.fn(ev);
    const mine = bucket === "" ? undefined : this.watchers.get(bucket);
    if (mine) for (const w of mine) if (ev.kv.key.startsWith(w.prefix)) w.fn(ev);
    const groups = this.routed.get(bucket);
    if (groups) for (const [index, byValue] of groups) {
      const now = index(ev.kv.value);
      const before = ev.prev ? index(ev.prev.value) : undefined;
      this.notify(byValue, now, ev);
      if (before !== now) this.notify(byValue, before, ev);
    }
  }

  private notify(byValue: Map<string, Set<WatchEntry<V>>>, value: string | undefined, ev: StoreEvent<V>): void {
    if (value === undefined) return;
    const set = byValue.get(value);
    if (set) for (const w of set) if (ev.kv.key.startsWith(w.prefix)) w.fn(ev);
  }
}
