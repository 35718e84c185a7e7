// The generic REST storage every resource shares, after
// k8s.io/apiserver/pkg/registry/generic/registry/store.go: name generation,
// uid/resourceVersion/timestamps, per-kind strategies (defaulting, admission,
// validation), optimistic concurrency, status subresources, graceful deletion,
// finalizers, and watches with selector filtering.
// Leaves out: managedFields and server-side apply.

import {
  alreadyExists,
  badRequest,
  conflict,
  type FieldError,
  forbidden,
  gone,
  invalid,
  notFound,
  OPTIMISTIC_LOCK_MESSAGE,
  type Status,
} from "../../apimachinery/errors.ts";
import { type FieldSelector, parseFieldSelector, parseLabelSelector, type Selector } from "../../apimachinery/labels.ts";
import { type KList, type KObject, rfc3339, type WatchEvent } from "../../apimachinery/meta.ts";
import { CompactedError, type Etcd, type StoreEvent } from "../../storage/etcd.ts";
import type { Clock } from "../../utils/clock.ts";
import type { Rand } from "../../utils/rand.ts";
import type { DeleteOptions, ListOptions, WatchOptions, WriteOptions } from "../../client/interface.ts";
import { groupVersion, type ResourceInfo, storageKey, storagePrefix } from "../resources.ts";
import { deepCopy } from "../../apimachinery/deepcopy.ts";
import { semanticEqual } from "../../apimachinery/equality.ts";
import type { Interner } from "../../storage/intern.ts";

/** Who is asking, as the authenticator decided. */
export interface UserInfo {
  username: string;
  groups: string[];
}

export interface RequestContext {
  user: UserInfo;
  /** The User-Agent, kept for the audit log. */
  userAgent?: string;
}

/** What a strategy may consult: time, randomness and other objects. */
export interface StrategyEnv {
  clock: Clock;
  rand: Rand;
  /** Reads another object from storage (admission needs namespaces, service accounts…). */
  lookup(group: string, resource: string, namespace: string | undefined, name: string): KObject | undefined;
  /** Every stored object of a resource (allocators derive their state from these). */
  list(group: string, resource: string): KObject[];
}

/** Per-kind behaviour, after the RESTCreateStrategy/RESTUpdateStrategy family. */
export interface Strategy {
  /** Defaulting and admission on create (mutating). */
  prepareForCreate?(obj: KObject, env: StrategyEnv, ctx: RequestContext): void;
  /** Defaulting on update; `old` is the stored object. */
  prepareForUpdate?(obj: KObject, old: KObject, env: StrategyEnv): void;
  validate?(obj: KObject, env: StrategyEnv): FieldError[];
  validateUpdate?(obj: KObject, old: KObject, env: StrategyEnv): FieldError[];
  /** Values for field selectors beyond metadata.name and metadata.namespace. */
  fields?(obj: KObject): Record<string, string>;
  /** Kinds whose spec changes bump metadata.generation. */
  generation?: boolean;
  /** Seconds of graceful deletion, or 0/undefined to delete at once (pods). */
  gracePeriodSeconds?(obj: KObject, opts: DeleteOptions): number | undefined;
  /**
   * Finalizers kept outside metadata that hold a deleted object back, as a
   * namespace's spec.finalizers ["kubernetes"] do until its content is gone.
   */
  deletionBlockers?(obj: KObject): string[];
  /** Changes made when deletion starts (a namespace's phase becomes Terminating). */
  prepareForDelete?(obj: KObject): void;
}

/** Metadata is each version's own: stamp() writes its resourceVersion. */
const OWN = ["metadata"];

function clone<T>(v: T): T {
  return deepCopy(v);
}

function specOf(obj: KObject): string {
  const { metadata: _m, status: _s, ...rest } = obj;
  return JSON.stringify(rest);
}

/** One resource's storage: the only code that writes its keys in etcd. */
export class ResourceStore {
  constructor(
    readonly info: ResourceInfo,
    private readonly etcd: Etcd<KObject>,
    private readonly env: StrategyEnv,
    private readonly strategy: Strategy,
    /** Called after every committed write, for the audit log and namespace checks. */
    private readonly hooks: {
      /** Shares subtrees equal to ones already stored (src/storage/intern.ts). */
      interner?: Interner;
      namespaceExists(ns: string): "active" | "terminating" | "missing";
      /** The admission chain (src/apiserver/admission): mutating before defaulting, validating after validation. */
      admission?: {
        admit(a: { operation: "CREATE"; group: string; resource: string; namespace?: string; name: string; object: KObject; dryRun: boolean }): void;
        validate(a: { operation: "CREATE"; group: string; resource: string; namespace?: string; name: string; object: KObject; dryRun: boolean }): void;
      };
    },
  ) {}

  private gr() {
    return { group: this.info.group, resource: this.info.resource };
  }

  private key(namespace: string | undefined, name: string): string {
    return storageKey(this.info, this.info.namespaced ? namespace : undefined, name);
  }

  /** The value as stored: its resourceVersion set, and everything but metadata shared with equal stored subtrees. */
  private stamp(obj: KObject, rev: number, prev?: KObject): KObject {
    obj.metadata.resourceVersion = String(rev);
    return this.hooks.interner ? this.hooks.interner.internChildren(obj, OWN, prev) : obj;
  }

  private withType(obj: KObject): KObject {
    // Stored objects always carry apiVersion/kind, as the apiserver encodes them.
    if (obj.apiVersion !== groupVersion(this.info) || obj.kind !== this.info.kind) {
      const { apiVersion: _a, kind: _k, ...rest } = obj;
      return { apiVersion: groupVersion(this.info), kind: this.info.kind, ...rest } as KObject;
    }
    return obj;
  }

  get(namespace: string | undefined, name: string): KObject {
    const kv = this.etcd.get(this.key(namespace, name));
    if (!kv) throw notFound(this.gr(), name);
    return kv.value;
  }

  tryGet(namespace: string | undefined, name: string): KObject | undefined {
    return this.etcd.get(this.key(namespace, name))?.value;
  }

  private filter(opts: ListOptions | undefined): (o: KObject) => boolean {
    const ls: Selector = parseLabelSelector(opts?.labelSelector);
    const fs: FieldSelector = parseFieldSelector(opts?.fieldSelector);
    if (ls.empty && fs.empty) return () => true;
    return (o) => {
      if (!ls.matches(o.metadata.labels)) return false;
      if (fs.empty) return true;
      const fields: Record<string, string> = {
        "metadata.name": o.metadata.name ?? "",
        "metadata.namespace": o.metadata.namespace ?? "",
        ...this.strategy.fields?.(o),
      };
      return fs.matches(fields);
    };
  }

  /** One function per field, so etcd groups every watcher routed on it. */
  private readonly fieldIndexes = new Map<string, (o: KObject) => string | undefined>();

  private fieldIndex(field: string): (o: KObject) => string | undefined {
    let fn = this.fieldIndexes.get(field);
    if (!fn) {
      fn =
        field === "metadata.name"
          ? (o) => o.metadata.name ?? ""
          : field === "metadata.namespace"
            ? (o) => o.metadata.namespace ?? ""
            : (o) => this.strategy.fields?.(o)[field];
      this.fieldIndexes.set(field, fn);
    }
    return fn;
  }

  private checkFieldSelector(opts: ListOptions | undefined): void {
    const fs = parseFieldSelector(opts?.fieldSelector);
    if (fs.empty) return;
    // A probe object tells which fields this kind supports.
    const probe = { metadata: {} } as KObject;
    const known = new Set(["metadata.name", "metadata.namespace", ...Object.keys(this.strategy.fields?.(probe) ?? {})]);
    for (const t of fs.terms) {
      if (!known.has(t.key)) {
        throw badRequest(`field label not supported: ${t.key}`);
      }
    }
  }

  list(namespace: string | undefined, opts?: ListOptions): KList {
    this.checkFieldSelector(opts);
    const match = this.filter(opts);
    const prefix = storagePrefix(this.info, this.info.namespaced ? namespace : undefined);
    const items = this.etcd
      .range(prefix)
      .map((kv) => kv.value)
      .filter(match);
    return {
      apiVersion: groupVersion(this.info),
      kind: `${this.info.kind}List`,
      metadata: { resourceVersion: String(this.etcd.revision) },
      items,
    };
  }

  create(namespace: string | undefined, input: KObject, ctx: RequestContext, opts: WriteOptions = {}): KObject {
    const obj = this.withType(clone(input));
    const meta = (obj.metadata ??= {});
    if (this.info.namespaced) {
      if (meta.namespace && namespace && meta.namespace !== namespace) {
        throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
      }
      meta.namespace = namespace ?? meta.namespace;
      const state = this.hooks.namespaceExists(meta.namespace!);
      if (state === "missing") throw notFound({ group: "", resource: "namespaces" }, meta.namespace!);
      if (state === "terminating") {
        throw forbidden(this.gr(), meta.name ?? "", `unable to create new content in namespace ${meta.namespace} because it is being terminated`);
      }
    } else {
      delete meta.namespace;
    }
    if (!meta.name && meta.generateName) {
      meta.name = `${meta.generateName.slice(0, 58)}${this.env.rand.string(5)}`;
    }
    if (!meta.name) {
      throw invalid(this.info.kind, this.info.group, "", [
        { type: "FieldValueRequired", field: "metadata.name", message: "Required value: name or generateName is required" },
      ]);
    }
    meta.uid = randomUUIDFrom(this.env.rand);
    meta.creationTimestamp = rfc3339(this.env.clock.now());
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    if (this.strategy.generation) meta.generation = 1;
    else delete meta.generation;
    // Admission, as the create handler runs it: mutating plugins (LimitRanger) see the object
    // before the strategy's defaulting; validating ones (ResourceQuota) after validation.
    const attrs = { operation: "CREATE" as const, group: this.info.group, resource: this.info.resource, namespace: meta.namespace, name: meta.name, object: obj, dryRun: !!opts.dryRun?.includes("All") };
    this.hooks.admission?.admit(attrs);
    this.strategy.prepareForCreate?.(obj, this.env, ctx);
    const errs = this.strategy.validate?.(obj, this.env) ?? [];
    if (errs.length > 0) throw invalid(this.info.kind, this.info.group, meta.name, errs);
    this.hooks.admission?.validate(attrs);
    if (opts.dryRun?.includes("All")) {
      if (this.tryGet(meta.namespace, meta.name)) throw alreadyExists(this.gr(), meta.name);
      return obj;
    }
    const kv = this.etcd.create(this.key(meta.namespace, meta.name), (rev) => this.stamp(obj, rev));
    if (!kv) throw alreadyExists(this.gr(), meta.name);
    return kv.value;
  }

  /**
   * PUT. With subresource "status" only status changes are kept; otherwise
   * status changes are dropped for kinds that have a status subresource,
   * except for "binding": pods/binding (src/apiserver/subresources.ts) sets
   * spec.nodeName and the PodScheduled condition in one write, as upstream's
   * GuaranteedUpdate does.
   */
  update(namespace: string | undefined, input: KObject, ctx: RequestContext, opts: WriteOptions = {}): KObject {
    // A status write keeps only the caller's status: copying the rest (a pod's whole spec) would be thrown away.
    // pods/binding comes from the apiserver itself (src/apiserver/subresources.ts), built around the stored pod's own parts.
    const shared = opts.subresource === "binding";
    const obj = this.withType(
      opts.subresource === "status" ? { ...input, metadata: { ...input.metadata }, status: clone(input.status) } : shared ? { ...input, metadata: { ...input.metadata } } : clone(input),
    );
    const name = obj.metadata?.name ?? "";
    const key = this.key(namespace, name);
    const current = this.etcd.get(key);
    if (!current) throw notFound(this.gr(), name);
    const old = current.value;
    const rv = obj.metadata.resourceVersion;
    if (rv && rv !== old.metadata.resourceVersion) throw conflict(this.gr(), name, OPTIMISTIC_LOCK_MESSAGE);
    const hasStatus = this.info.subresources?.some((s) => s.name === "status");
    let next: KObject;
    if (opts.subresource === "status") {
      // Stored objects are never changed in place, so the new version shares
      // everything but status and metadata (which stamp() writes) with the old.
      next = { ...old, metadata: { ...old.metadata }, status: obj.status };
    } else if (shared) {
      // As upstream's BindingREST: a storage update of nodeName and the PodScheduled condition, without the strategy.
      next = { ...old, metadata: { ...old.metadata }, spec: obj.spec, status: obj.status };
    } else if (opts.subresource === "finalize") {
      // namespaces/<name>/finalize changes spec.finalizers and nothing else.
      const spec = (obj.spec ?? {}) as { finalizers?: string[] };
      next = clone(old);
      next.spec = { ...(next.spec as object), finalizers: spec.finalizers ?? [] };
    } else {
      next = obj;
      if (hasStatus && "status" in old) next.status = clone(old.status);
      else if (hasStatus) delete next.status;
      // Immutable metadata is carried over, as the apiserver does.
      next.metadata.uid = old.metadata.uid;
      next.metadata.creationTimestamp = old.metadata.creationTimestamp;
      next.metadata.namespace = old.metadata.namespace;
      if (old.metadata.deletionTimestamp) {
        next.metadata.deletionTimestamp = old.metadata.deletionTimestamp;
        next.metadata.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
      }
      if (this.strategy.generation) {
        next.metadata.generation = old.metadata.generation ?? 1;
        if (specOf(next) !== specOf({ ...old, metadata: next.metadata })) next.metadata.generation += 1;
      }
      this.strategy.prepareForUpdate?.(next, old, this.env);
      const errs = [...(this.strategy.validate?.(next, this.env) ?? []), ...(this.strategy.validateUpdate?.(next, old, this.env) ?? [])];
      if (errs.length > 0) throw invalid(this.info.kind, this.info.group, name, errs);
    }
    void ctx;
    if (opts.dryRun?.includes("All")) return next;
    // Nothing changed: the apiserver does not write (and resourceVersion stays).
    if (semanticEqual({ ...next, metadata: { ...next.metadata, resourceVersion: undefined } }, { ...old, metadata: { ...old.metadata, resourceVersion: undefined } })) {
      return old;
    }
    // An object being deleted whose last finalizer is removed goes away now; a pod only once
    // its grace period is over (deletionGracePeriodSeconds 0, as ShouldDeleteDuringUpdate checks).
    if (
      next.metadata.deletionTimestamp &&
      (next.metadata.finalizers ?? []).length === 0 &&
      (this.strategy.deletionBlockers?.(next) ?? []).length === 0 &&
      (!this.strategy.gracePeriodSeconds || old.metadata.deletionGracePeriodSeconds === 0)
    ) {
      this.etcd.delete(key);
      return next;
    }
    const kv = this.etcd.update(key, (rev) => this.stamp(next, rev, old), current.modRevision);
    if (kv === "conflict" || kv === undefined) throw conflict(this.gr(), name, OPTIMISTIC_LOCK_MESSAGE);
    return kv.value;
  }

  /**
   * DELETE. Pods with a grace period get a deletionTimestamp and stay until
   * their kubelet confirms (a second delete with grace 0); objects with
   * finalizers stay until the finalizers are removed.
   */
  delete(namespace: string | undefined, name: string, ctx: RequestContext, opts: DeleteOptions = {}): KObject | Status {
    void ctx;
    const key = this.key(namespace, name);
    const current = this.etcd.get(key);
    if (!current) throw notFound(this.gr(), name);
    const old = current.value;
    if (opts.preconditions?.uid && opts.preconditions.uid !== old.metadata.uid) {
      throw conflict(this.gr(), name, `Precondition failed: UID in precondition: ${opts.preconditions.uid}, UID in object meta: ${old.metadata.uid}`);
    }
    if (opts.preconditions?.resourceVersion && opts.preconditions.resourceVersion !== old.metadata.resourceVersion) {
      throw conflict(this.gr(), name, OPTIMISTIC_LOCK_MESSAGE);
    }
    if (opts.dryRun?.includes("All")) return old;
    const finalizers = [...(old.metadata.finalizers ?? [])];
    const policy = opts.propagationPolicy;
    if (policy === "Foreground" && !finalizers.includes("foregroundDeletion")) finalizers.push("foregroundDeletion");
    if (policy === "Orphan" && !finalizers.includes("orphan")) finalizers.push("orphan");
    const grace = this.strategy.gracePeriodSeconds?.(old, opts);
    const blockers = this.strategy.deletionBlockers?.(old) ?? [];
    const now = this.env.clock.now();
    if (finalizers.length > 0 || blockers.length > 0 || (grace !== undefined && grace > 0)) {
      if (old.metadata.deletionTimestamp) {
        // Already terminating: a shorter grace period may shorten it; nothing else changes.
        const oldGrace = old.metadata.deletionGracePeriodSeconds ?? 0;
        if (grace === undefined || grace >= oldGrace) return old;
      }
      const next = clone(old);
      next.metadata.finalizers = finalizers.length > 0 ? finalizers : undefined;
      if (!next.metadata.finalizers) delete next.metadata.finalizers;
      next.metadata.deletionTimestamp = rfc3339(now + (grace ?? 0) * 1000);
      next.metadata.deletionGracePeriodSeconds = grace ?? 0;
      this.strategy.prepareForDelete?.(next);
      if (this.strategy.generation) next.metadata.generation = (next.metadata.generation ?? 1) + 1;
      const kv = this.etcd.update(key, (rev) => this.stamp(next, rev, old), current.modRevision);
      if (kv === "conflict" || kv === undefined) throw conflict(this.gr(), name, OPTIMISTIC_LOCK_MESSAGE);
      return kv.value;
    }
    const res = this.etcd.delete(key, current.modRevision);
    if (res === "conflict" || res === undefined) throw conflict(this.gr(), name, OPTIMISTIC_LOCK_MESSAGE);
    return old;
  }

  /**
   * Watches this resource. `resourceVersion` absent or "0" starts with ADDED
   * events for current matches; a later RV replays what changed after it.
   * Objects that stop matching the selectors are sent as DELETED, and objects
   * that start matching as ADDED, as the apiserver's cacher does.
   */
  watch(namespace: string | undefined, opts: WatchOptions, onEvent: (ev: WatchEvent<KObject>) => void): () => void {
    this.checkFieldSelector(opts);
    const match = this.filter(opts);
    const prefix = storagePrefix(this.info, this.info.namespaced ? namespace : undefined);
    const rv = opts.resourceVersion;
    // A selector requiring field=value (a kubelet's spec.nodeName) is routed by
    // etcd, so this watcher only hears about objects that have or had the value.
    const eq = parseFieldSelector(opts.fieldSelector).terms.find((t) => t.op === "=");
    const route = eq ? { index: this.fieldIndex(eq.key), value: eq.value } : undefined;
    const handle = (ev: StoreEvent<KObject>) => {
      const now = ev.type === "PUT" && match(ev.kv.value);
      const before = ev.prev ? match(ev.prev.value) : false;
      if (ev.type === "DELETE") {
        if (before) onEvent({ type: "DELETED", object: this.stamp(clone(ev.prev!.value), ev.kv.modRevision) });
        return;
      }
      if (now && before) onEvent({ type: "MODIFIED", object: ev.kv.value });
      else if (now) onEvent({ type: "ADDED", object: ev.kv.value });
      else if (before) onEvent({ type: "DELETED", object: ev.kv.value });
    };
    if (!rv || rv === "0") {
      for (const kv of this.etcd.range(prefix)) if (match(kv.value)) onEvent({ type: "ADDED", object: kv.value });
      if (opts.sendInitialEvents && opts.allowWatchBookmarks) {
        onEvent({
          type: "BOOKMARK",
          object: {
            apiVersion: groupVersion(this.info),
            kind: this.info.kind,
            metadata: { resourceVersion: String(this.etcd.revision), annotations: { "k8s.io/initial-events-end": "true" } },
          },
        });
      }
      return this.etcd.watch(prefix, handle, undefined, route);
    }
    const from = Number(rv);
    if (!Number.isInteger(from) || from < 0) throw badRequest(`invalid resource version: ${rv}`);
    try {
      return this.etcd.watch(prefix, handle, Math.min(from, this.etcd.revision), route);
    } catch (e) {
      if (e instanceof CompactedError) throw gone(`too old resource version: ${from} (${e.oldest - 1})`);
      throw e;
    }
  }
}

/** A version-4 UUID drawn from the seeded source, so tests see stable uids. */
function randomUUIDFrom(rand: Rand): string {
  const hex = "0123456789abcdef";
  const d: number[] = [];
  for (let i = 0; i < 32; i++) d.push(hex.charCodeAt(rand.int(16)));
  const dash = 45;
  // 8-4-4-4-12 with the version nibble 4 and the variant from 89ab, built as one flat string (every object holds one).
  const codes = [...d.slice(0, 8), dash, ...d.slice(8, 12), dash, 52, ...d.slice(13, 16), dash, "89ab".charCodeAt(rand.int(4)), ...d.slice(17, 20), dash, ...d.slice(20, 32)];
  return String.fromCharCode(...codes);
}

