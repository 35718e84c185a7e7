// A Client that calls the apiserver in the same process: what the control
// plane's components use, like kube-controller-manager talking to a local
// apiserver, minus the HTTP encoding. Results are copies, so a caller may
// change what it reads without touching the store.

import type { KList, KObject } from "../apimachinery/meta.ts";
import type { APIServer } from "../apiserver/apiserver.ts";
import type { RequestContext } from "../apiserver/registry/store.ts";
import type { Client, GroupVersionResource, ResourceClient, Watch } from "./interface.ts";
import { deepCopy } from "../apimachinery/deepcopy.ts";

export interface InProcessOptions {
  /** The identity requests are made as, e.g. system:kube-scheduler. */
  user: string;
  groups?: string[];
  userAgent?: string;
}

export function inProcessClient(api: APIServer, options: InProcessOptions): Client {
  const ctx: RequestContext = {
    user: { username: options.user, groups: options.groups ?? ["system:authenticated"] },
    userAgent: options.userAgent ?? options.user,
  };
  const copy = <T>(v: T): T => deepCopy(v);
  // Components call resource() on every request: one client per resource, not a fresh set of closures each time.
  const clients = new Map<string, ResourceClient<KObject>>();
  return {
    resource<T extends KObject = KObject>(gvr: GroupVersionResource): ResourceClient<T> {
      const id = `${gvr.group}/${gvr.version}/${gvr.resource}`;
      let rc = clients.get(id);
      if (!rc) clients.set(id, (rc = resourceClient(gvr)));
      return rc as unknown as ResourceClient<T>;
    },
  };

  function resourceClient<T extends KObject>(gvr: GroupVersionResource): ResourceClient<T> {
    // Each call resolves on a later microtask, as a network call would:
    // callers must not rely on a write being visible synchronously.
    const run = async <R>(fn: () => R): Promise<R> => {
      await undefined;
      return copy(fn());
    };
    return {
      get: (name, ns, sub) => run(() => api.get(ctx, gvr, ns, name, sub) as T),
      list: (ns, opts) => run(() => api.list(ctx, gvr, ns, opts) as KList<T>),
      create: (obj, ns, opts) =>
        run(() =>
          opts?.subresource
            ? (api.createSubresource(ctx, gvr, ns ?? obj.metadata.namespace, obj.metadata.name!, opts.subresource, obj) as T)
            : (api.create(ctx, gvr, ns ?? obj.metadata.namespace, obj, opts) as T),
        ),
      update: (obj, opts) => run(() => api.update(ctx, gvr, obj.metadata.namespace, obj, opts) as T),
      patch: (name, ns, type, patch, opts) => run(() => api.patch(ctx, gvr, ns, name, type, patch, opts) as T),
      delete: (name, ns, opts) => run(() => api.delete(ctx, gvr, ns, name, opts) as T),
      deleteCollection: (ns, opts) => run(() => api.deleteCollection(ctx, gvr, ns, opts) as KList<T>),
      watch(ns, opts, handlers): Watch {
        let stopped = false;
        let cancel: (() => void) | undefined;
        let timer: { cancel(): void } | undefined;
        const stop = (err?: Error) => {
          if (stopped) return;
          stopped = true;
          cancel?.();
          timer?.cancel();
          handlers.onClose?.(err);
        };
        try {
          // Objects in events are the stored ones: handlers must copy before changing them.
          cancel = api.watch(ctx, gvr, ns, opts, (ev) => {
            if (!stopped) handlers.onEvent(ev as never);
          });
        } catch (e) {
          queueMicrotask(() => stop(e as Error));
          return { stop: () => stop() };
        }
        if (opts.timeoutSeconds) timer = api.clock.setTimer(opts.timeoutSeconds * 1000, () => stop());
        return { stop: () => stop() };
      },
    };
  }
}
