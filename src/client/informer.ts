// A shared informer, after client-go/tools/cache: list, then watch from the
// list's resourceVersion, keeping a local cache keyed namespace/name and
// calling handlers on add, update and delete. On a closed or expired watch it
// lists again and reconciles the cache, so handlers see every change once.
// Leaves out: resync periods (level-triggered syncs re-read state anyway).

import { type KObject, objectKey, type WatchEvent } from "../apimachinery/meta.ts";
import type { Client, GroupVersionResource, ListOptions, Watch } from "./interface.ts";

export interface EventHandlers<T> {
  add?(obj: T): void;
  update?(oldObj: T, newObj: T): void;
  delete?(obj: T): void;
}

export interface InformerOptions extends Pick<ListOptions, "labelSelector" | "fieldSelector"> {
  namespace?: string;
}

export class Informer<T extends KObject = KObject> {
  private readonly cache = new Map<string, T>();
  /** Keys by namespace, so list(namespace) does not walk every object of every namespace. */
  private readonly byNamespace = new Map<string, Set<string>>();
  private readonly handlers: EventHandlers<T>[] = [];
  private watch: Watch | undefined;
  private synced = false;
  private stopped = false;
  /** Secondary indexes: name → (index value → keys). */
  private readonly indexers = new Map<string, { fn: (o: T) => string[]; index: Map<string, Set<string>> }>();

  constructor(
    private readonly client: Client,
    readonly gvr: GroupVersionResource,
    private readonly options: InformerOptions = {},
  ) {}

  addEventHandler(h: EventHandlers<T>): void {
    this.handlers.push(h);
    if (this.synced) for (const obj of this.cache.values()) h.add?.(obj);
  }

  /** Adds an index, e.g. pods by spec.nodeName; query with byIndex. */
  addIndexer(name: string, fn: (o: T) => string[]): void {
    const index = new Map<string, Set<string>>();
    this.indexers.set(name, { fn, index });
    for (const [k, o] of this.cache) for (const v of fn(o)) this.indexAdd(index, v, k);
  }

  byIndex(name: string, value: string): T[] {
    const ix = this.indexers.get(name);
    if (!ix) throw new Error(`no indexer ${name}`);
    const keys = ix.index.get(value);
    if (!keys) return [];
    const out: T[] = [];
    for (const k of keys) {
      const o = this.cache.get(k);
      if (o) out.push(o);
    }
    return out;
  }

  get hasSynced(): boolean {
    return this.synced;
  }

  /** The cached object; callers must copy before changing it. */
  get(key: string): T | undefined {
    return this.cache.get(key);
  }

  list(namespace?: string): T[] {
    if (namespace === undefined) return [...this.cache.values()];
    const out: T[] = [];
    for (const k of this.byNamespace.get(namespace) ?? []) out.push(this.cache.get(k)!);
    return out;
  }

  get size(): number {
    return this.cache.size;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.relist();
  }

  stop(): void {
    this.stopped = true;
    this.watch?.stop();
    this.watch = undefined;
  }

  private indexAdd(index: Map<string, Set<string>>, v: string, k: string): void {
    let s = index.get(v);
    if (!s) index.set(v, (s = new Set()));
    s.add(k);
  }

  private store(key: string, obj: T | undefined): T | undefined {
    const old = this.cache.get(key);
    for (const { fn, index } of this.indexers.values()) {
      const before = old ? fn(old) : [];
      const after = obj ? fn(obj) : [];
      // Most updates (a status write) keep the index values; the sets stay as they are.
      if (before.length === after.length && before.every((v, i) => v === after[i])) continue;
      for (const v of before) index.get(v)?.delete(key);
      for (const v of after) this.indexAdd(index, v, key);
    }
    // A key names its namespace, so it joins the namespace's set once and leaves on delete (list order stays insertion order).
    const ns = (obj ?? old)?.metadata.namespace;
    if (obj) {
      this.cache.set(key, obj);
      if (!old && ns !== undefined) this.indexAdd(this.byNamespace, ns, key);
    } else {
      this.cache.delete(key);
      if (old && ns !== undefined) this.byNamespace.get(ns)?.delete(key);
    }
    return old;
  }

  private async relist(): Promise<void> {
    if (this.stopped) return;
    const res = this.client.resource<T>(this.gvr);
    const list = await res.list(this.options.namespace, this.options);
    if (this.stopped) return;
    const seen = new Set<string>();
    for (const obj of list.items) {
      const key = objectKey(obj);
      seen.add(key);
      const old = this.store(key, obj);
      if (!old) for (const h of this.handlers) h.add?.(obj);
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) for (const h of this.handlers) h.update?.(old, obj);
    }
    for (const [key, obj] of [...this.cache]) {
      if (seen.has(key)) continue;
      this.store(key, undefined);
      for (const h of this.handlers) h.delete?.(obj);
    }
    this.synced = true;
    this.watch = res.watch(
      this.options.namespace,
      { ...this.options, resourceVersion: list.metadata.resourceVersion, allowWatchBookmarks: true },
      {
        onEvent: (ev) => this.apply(ev),
        onClose: () => {
          if (!this.stopped) void this.relist();
        },
      },
    );
  }

  private apply(ev: WatchEvent<T>): void {
    if (ev.type === "BOOKMARK" || ev.type === "ERROR") return;
    const obj = ev.object;
    const key = objectKey(obj);
    if (ev.type === "DELETED") {
      const old = this.store(key, undefined);
      for (const h of this.handlers) h.delete?.(old ?? obj);
      return;
    }
    const old = this.store(key, obj);
    if (old) for (const h of this.handlers) h.update?.(old, obj);
    else for (const h of this.handlers) h.add?.(obj);
  }
}
