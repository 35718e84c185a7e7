// The client contract every component uses to reach the apiserver, after
// client-go's dynamic client. Controllers, the scheduler, kubelets, kubectl and
// lesson checks all hold one of these and nothing else, so that — as in a real
// cluster — components talk only through the apiserver. Two implementations:
// in-process (src/client/inprocess.ts) and HTTPS (src/client/rest.ts).

import type { Status } from "../apimachinery/errors.ts";
import type { KList, KObject, WatchEvent } from "../apimachinery/meta.ts";

export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** "0" means any cached state; a list RV means "changes after this" for watch. */
  resourceVersion?: string;
  limit?: number;
}

export interface WatchOptions extends ListOptions {
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
  sendInitialEvents?: boolean;
}

export interface DeleteOptions {
  propagationPolicy?: "Background" | "Foreground" | "Orphan";
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: string[];
}

export interface WriteOptions {
  dryRun?: string[];
  fieldManager?: string;
  fieldValidation?: "Strict" | "Warn" | "Ignore";
  /** "status", "scale", "binding", "eviction"… */
  subresource?: string;
}

export type PatchType = "application/merge-patch+json" | "application/strategic-merge-patch+json" | "application/json-patch+json";

export interface Watch {
  stop(): void;
}

export interface WatchHandlers<T> {
  onEvent(ev: WatchEvent<T>): void;
  /** Called once when the stream ends: timeout, server close, or error. */
  onClose?(err?: Error): void;
}

export interface ResourceClient<T extends KObject = KObject> {
  get(name: string, namespace?: string, subresource?: string): Promise<T>;
  list(namespace?: string, opts?: ListOptions): Promise<KList<T>>;
  create(obj: T, namespace?: string, opts?: WriteOptions): Promise<T>;
  /** PUT; a stale metadata.resourceVersion gives 409 Conflict. */
  update(obj: T, opts?: WriteOptions): Promise<T>;
  patch(name: string, namespace: string | undefined, type: PatchType, patch: unknown, opts?: WriteOptions): Promise<T>;
  delete(name: string, namespace?: string, opts?: DeleteOptions): Promise<T | Status>;
  deleteCollection(namespace: string | undefined, opts?: ListOptions & DeleteOptions): Promise<KList<T>>;
  watch(namespace: string | undefined, opts: WatchOptions, handlers: WatchHandlers<T>): Watch;
}

export interface Client {
  resource<T extends KObject = KObject>(gvr: GroupVersionResource): ResourceClient<T>;
}

/** The resources the control plane uses most, spelled once. */
export const GVR = {
  namespaces: { group: "", version: "v1", resource: "namespaces" },
  nodes: { group: "", version: "v1", resource: "nodes" },
  pods: { group: "", version: "v1", resource: "pods" },
  services: { group: "", version: "v1", resource: "services" },
  endpoints: { group: "", version: "v1", resource: "endpoints" },
  events: { group: "", version: "v1", resource: "events" },
  configmaps: { group: "", version: "v1", resource: "configmaps" },
  secrets: { group: "", version: "v1", resource: "secrets" },
  serviceaccounts: { group: "", version: "v1", resource: "serviceaccounts" },
  deployments: { group: "apps", version: "v1", resource: "deployments" },
  replicasets: { group: "apps", version: "v1", resource: "replicasets" },
  daemonsets: { group: "apps", version: "v1", resource: "daemonsets" },
  statefulsets: { group: "apps", version: "v1", resource: "statefulsets" },
  controllerrevisions: { group: "apps", version: "v1", resource: "controllerrevisions" },
  jobs: { group: "batch", version: "v1", resource: "jobs" },
  cronjobs: { group: "batch", version: "v1", resource: "cronjobs" },
  leases: { group: "coordination.k8s.io", version: "v1", resource: "leases" },
  endpointslices: { group: "discovery.k8s.io", version: "v1", resource: "endpointslices" },
} as const satisfies Record<string, GroupVersionResource>;
