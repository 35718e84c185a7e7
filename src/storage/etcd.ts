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

interface WatchEntry<V> {
  prefix: string;
  fn: StoreWatcher<V>;
}

export interface EtcdOptions {
  /** How many past events are kept for watches that start in the past. */
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
  private readonly history: StoreEvent<V>[] = [];
  private readonly historyLimit: number;
  private readonly watchers = new Set<WatchEntry<V>>();

  constructor(options: EtcdOptions = {}) {
    this.historyLimit = options.historyLimit ?? 20_000;
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
    const out: KeyValue<V>[] = [];
    for (const [k, kv] of this.data) if (k.startsWith(prefix)) out.push(kv);
    out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return out;
  }

  /** Number of keys under prefix, without materialising them. */
  count(prefix: string): number {
    let n = 0;
    for (const k of this.data.keys()) if (k.startsWith(prefix)) n++;
    return n;
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
  watch(prefix: string, fn: StoreWatcher<V>, fromRevision?: number): () => void {
    if (fromRevision !== undefined && fromRevision < this.rev) {
      const oldest = this.history.length > 0 ? this.history[0]!.kv.modRevision : this.rev + 1;
      if (fromRevision + 1 < oldest) throw new CompactedError(fromRevision, oldest);
      for (const ev of this.history) {
        if (ev.kv.modRevision > fromRevision && ev.kv.key.startsWith(prefix)) fn(ev);
      }
    }
    const entry: WatchEntry<V> = { prefix, fn };
    this.watchers.add(entry);
    return () => void this.watchers.delete(entry);
  }

  /** Every key and value, for snapshots and `etcdctl get --prefix`. */
  *entries(): IterableIterator<KeyValue<V>> {
    yield* this.data.values();
  }

  private commit(ev: StoreEvent<V>): void {
    this.rev = ev.kv.modRevision;
    if (ev.type === "PUT") this.data.set(ev.kv.key, ev.kv);
    else this.data.delete(ev.kv.key);
    this.history.push(ev);
    // Trim in batches so a write costs O(1) amortised, not a shift per write.
    if (this.history.length > 2 * this.historyLimit) this.history.splice(0, this.history.length - this.historyLimit);
    for (const w of this.watchers) if (ev.kv.key.startsWith(w.prefix)) w.fn(ev);
  }
}
