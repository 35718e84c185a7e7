// kube-apiserver's core, transport-free: one ResourceStore per served
// resource over the shared etcd, per-kind strategies, subresources (scale,
// binding, status, eviction), patch handling and the audit log. The HTTPS
// front (src/apiserver/server.ts) and the in-process client both call this.
// Leaves out: authorization beyond "authenticated users may do anything".

import { badRequest, methodNotSupported, notFound, notFoundPath, type Status, StatusError } from "../apimachinery/errors.ts";
import type { KList, KObject, WatchEvent } from "../apimachinery/meta.ts";
import type { DeleteOptions, GroupVersionResource, ListOptions, PatchType, WatchOptions, WriteOptions } from "../client/interface.ts";
import { Interner } from "../storage/intern.ts";
import { Etcd } from "../storage/etcd.ts";
import type { Clock } from "../utils/clock.ts";
import type { Rand } from "../utils/rand.ts";
import { newAdmissionChain } from "./admission/admission.ts";
import { KubeletConnections } from "./kubelet-client.ts";
import { applyPatch } from "../apimachinery/patch.ts";
import { type RequestContext, ResourceStore, type Strategy, type StrategyEnv } from "./registry/store.ts";
import { findResource, RESOURCES, type ResourceInfo } from "./resources.ts";
import { strategyFor } from "./strategies.ts";
import { subresourceHandlers } from "./subresources.ts";

export interface AuditEntry {
  /** Cluster time of the request, ms. */
  time: number;
  user: string;
  userAgent?: string;
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  code: number;
}

export interface APIServerOptions {
  clock: Clock;
  rand: Rand;
  /** Version reported by /version, e.g. "v1.32.4". */
  version?: string;
  etcd?: Etcd<KObject>;
  /** How many audit entries to keep (oldest dropped first). */
  auditLimit?: number;
}

export class APIServer {
  readonly etcd: Etcd<KObject>;
  readonly clock: Clock;
  readonly rand: Rand;
  readonly version: string;
  /** Running kubelets, for pods/log: the apiserver → kubelet connection. */
  readonly kubelets = new KubeletConnections();
  private readonly stores = new Map<string, ResourceStore>();
  private readonly audit: AuditEntry[] = [];
  private readonly auditLimit: number;
  private readonly auditListeners = new Set<(e: AuditEntry) => void>();

  constructor(options: APIServerOptions) {
    this.clock = options.clock;
    this.rand = options.rand;
    this.version = options.version ?? "v1.32.4";
    this.etcd = options.etcd ?? new Etcd<KObject>();
    this.auditLimit = options.auditLimit ?? 5_000;
    const env: StrategyEnv = {
      clock: this.clock,
      rand: this.rand,
      lookup: (group, resource, namespace, name) => this.storeFor(group, resource).tryGet(namespace, name),
      list: (group, resource) => this.storeFor(group, resource).list(undefined).items,
    };
    // The admission chain; ResourceQuota charges quota status through the resourcequotas store.
    const admission = newAdmissionChain({
      ...env,
      updateQuotaStatus: (q: KObject) =>
        void this.storeFor("", "resourcequotas").update(q.metadata.namespace, q, { user: { username: "system:apiserver", groups: ["system:masters"] } }, { subresource: "status" }),
    });
    const hooks = {
      admission,
      interner: new Interner(),
      namespaceExists: (ns: string): "active" | "terminating" | "missing" => {
        const obj = this.storeFor("", "namespaces").tryGet(undefined, ns);
        if (!obj) return "missing";
        return obj.metadata.deletionTimestamp ? "terminating" : "active";
      },
    };
    for (const info of RESOURCES) {
      if (info.virtual) continue;
      const strategy: Strategy = strategyFor(info, this.version);
      this.stores.set(`${info.group}/${info.resource}`, new ResourceStore(info, this.etcd, env, strategy, hooks));
    }
  }

  /** The minor version number the server reports, e.g. 32. */
  get minor(): number {
    return Number(this.version.split(".")[1]);
  }

  storeFor(group: string, resource: string): ResourceStore {
    const s = this.stores.get(`${group}/${resource}`);
    if (!s) throw notFoundPath();
    return s;
  }

  info(gvr: GroupVersionResource): ResourceInfo {
    const info = findResource(gvr.group, gvr.resource);
    if (!info || info.version !== gvr.version) throw notFoundPath();
    return info;
  }

  private record(ctx: RequestContext, verb: string, gvr: GroupVersionResource, namespace: string | undefined, name: string | undefined, code: number, subresource?: string): void {
    const entry: AuditEntry = {
      time: this.clock.now(),
      user: ctx.user.username,
      userAgent: ctx.userAgent,
      verb,
      group: gvr.group,
      resource: gvr.resource,
      ...(subresource ? { subresource } : {}),
      ...(namespace ? { namespace } : {}),
      ...(name ? { name } : {}),
      code,
    };
    this.audit.push(entry);
    if (this.audit.length > 2 * this.auditLimit) this.audit.splice(0, this.audit.length - this.auditLimit);
    for (const l of this.auditListeners) l(entry);
  }

  /** Runs fn, recording the outcome in the audit log (writes only: reads would flood it). */
  private audited<T>(ctx: RequestContext, verb: string, gvr: GroupVersionResource, ns: string | undefined, name: string | undefined, sub: string | undefined, fn: () => T): T {
    try {
      const out = fn();
      this.record(ctx, verb, gvr, ns, name, verb === "create" ? 201 : 200, sub);
      return out;
    } catch (e) {
      if (e instanceof StatusError) this.record(ctx, verb, gvr, ns, name, e.code, sub);
      throw e;
    }
  }

  auditLog(): readonly AuditEntry[] {
    return this.audit;
  }

  onAudit(fn: (e: AuditEntry) => void): () => void {
    this.auditListeners.add(fn);
    return () => void this.auditListeners.delete(fn);
  }

  get(ctx: RequestContext, gvr: GroupVersionResource, namespace: string | undefined, name: string, subresource?: string): KObject {
    const info = this.info(gvr);
    if (subresource) {
      const h = subresourceHandlers[subresource];
      if (!h?.get) throw notFoundPath();
      return h.get(this, ctx, info, namespace, name);
    }
    void ctx;
    return this.storeFor(info.group, info.resource).get(namespace, name);
  }

  list(ctx: RequestContext, gvr: GroupVersionResource, namespace: string | undefined, opts?: ListOptions): KList {
    void ctx;
    const info = this.info(gvr);
    return this.storeFor(info.group, info.resource).list(namespace, opts);
  }

  create(ctx: RequestContext, gvr: GroupVersionResource, namespace: string | undefined, obj: KObject, opts: WriteOptions = {}): KObject {
    const info = this.info(gvr);
    if (!info.verbs.includes("create")) throw methodNotSupported();
    return this.audited(ctx, "create", gvr, namespace, obj.metadata?.name, undefined, () =>
      this.storeFor(info.group, info.resource).create(namespace, obj, ctx, opts),
    );
  }

  /** Create on a subresource addressed by the parent's name (pods/NAME/binding, pods/NAME/eviction). */
  createSubresource(ctx: RequestContext, gvr: GroupVersionResource, namespace: string | undefined, name: string, subresource: string, obj: KObject): KObject | Status {
    const info = this.info(gvr);
    const h = subresourceHandlers[subresource];
    if (!h?.create) throw methodNotSupported();
    return this.audited(ctx, "create", gvr, namespace, name, subresource, () =>
      h.create!(this, ctx, info, namespace, { ...obj, metadata: { ...obj.metadata, name: obj.metadata?.name ?? name } }),
    );
  }

  update(ctx: RequestContext, gvr: GroupVersionResource, namespace: string | undefined, obj: KObject, opts: WriteOptions = {}): KObject {
    const info = this.info(gvr);
    const name = obj.metadata?.name ?? "";
    if (opts.subresource && opts.subresource !== "status" && opts.subresource !== "finalize") {
      const h = subresourceHandlers[opts.subresource];
      if (!h?.update) throw methodNotSupported();
      return this.audited(ctx, "update", gvr, namespace, name, opts.subresource, () => h.update!(this, ctx, info, namespace, name, obj));
    }
    return this.audited(ctx, "update", gvr, namespace, name, opts.subresource, () =>
      this.storeFor(info.group, info.resource).update(namespace, obj, ctx, opts),
    );
  }

  patch(ctx: RequestContext, gvr: GroupVersionResource, namespace: string | undefined, name: string, type: PatchType, patch: unknown, opts: WriteOptions = {}): KObject {
    const info = this.info(gvr);
    const sub = opts.subresource;
    return this.audited(ctx, "patch", gvr, namespace, name, sub, () => {
      if (sub && sub !== "status") {
        const h = subresourceHandlers[sub];
        if (!h?.get || !h.update) throw methodNotSupported();
        const current = h.get(this, ctx, info, namespace, name);
        const next = applyPatch(current, type, patch, info.kind);
        return h.update(this, ctx, info, namespace, name, next);
      }
      const store = this.storeFor(info.group, info.resource);
      const current = store.get(namespace, name);
      const next = applyPatch(current, type, patch, info.kind);
      if (typeof next !== "object" || next === null) throw badRequest("patch produced a non-object");
      // A patch that names a resourceVersion is a precondition; otherwise it applies to the latest.
      const rv = (patch as { metadata?: { resourceVersion?: string } })?.metadata?.resourceVersion;
      next.metadata = { ...next.metadata, resourceVersion: rv ?? current.metadata.resourceVersion };
      return store.update(namespace, next, ctx, opts);
    });
  }

  delete(ctx: RequestContext, gvr: GroupVersionResource, namespace: string | undefined, name: string, opts: DeleteOptions = {}): KObject | Status {
    const info = this.info(gvr);
    if (!info.verbs.includes("delete")) throw methodNotSupported();
    return this.audited(ctx, "delete", gvr, namespace, name, undefined, () =>
      this.storeFor(info.group, info.resource).delete(namespace, name, ctx, opts),
    );
  }

  deleteCollection(ctx: RequestContext, gvr: GroupVersionResource, namespace: string | undefined, opts: ListOptions & DeleteOptions = {}): KList {
    const info = this.info(gvr);
    if (!info.verbs.includes("deletecollection")) throw methodNotSupported();
    const store = this.storeFor(info.group, info.resource);
    const list = store.list(namespace, opts);
    const deleted: KObject[] = [];
    for (const item of list.items) {
      try {
        const out = this.delete(ctx, gvr, item.metadata.namespace, item.metadata.name!, opts);
        if ((out as KObject).metadata?.name) deleted.push(out as KObject);
      } catch (e) {
        if (!(e instanceof StatusError && e.code === 404)) throw e;
      }
    }
    return { ...list, items: deleted };
  }

  watch(ctx: RequestContext, gvr: GroupVersionResource, namespace: string | undefined, opts: WatchOptions, onEvent: (ev: WatchEvent<KObject>) => void): () => void {
    void ctx;
    const info = this.info(gvr);
    return this.storeFor(info.group, info.resource).watch(namespace, opts, onEvent);
  }

  /** For errors that name a missing parent object of a subresource. */
  notFound(info: ResourceInfo, name: string): StatusError {
    return notFound({ group: info.group, resource: info.resource }, name);
  }
}
