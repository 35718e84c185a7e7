// ObjectMeta, TypeMeta and the generic object shape, after
// k8s.io/apimachinery/pkg/apis/meta/v1. Kind-specific types live under src/api/.
// Leaves out: managedFields bookkeeping (server-side apply is not emulated).

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string | null;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
}

export interface TypeMeta {
  apiVersion?: string;
  kind?: string;
}

/** Any Kubernetes object. Kind-specific interfaces extend this. */
export interface KObject extends TypeMeta {
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
}

export interface KList<T extends KObject = KObject> extends TypeMeta {
  metadata: ListMeta;
  items: T[];
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

export interface WatchEvent<T = KObject> {
  type: WatchEventType;
  object: T;
}

/** RFC 3339 with seconds precision and Z, as Kubernetes writes metav1.Time. */
export function rfc3339(ms: number): string {
  // "2026-11-25T09:00:00.000Z" → "2026-11-25T09:00:00Z" (years 0–9999, as Go's RFC3339 prints them).
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** RFC 3339 with microseconds, as Kubernetes writes metav1.MicroTime. */
export function rfc3339Micro(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-11-25T09:00:00.123Z
  return `${iso.slice(0, 23)}000Z`;
}

/** namespace/name, or name for cluster-scoped objects: the informer cache key. */
export function objectKey(obj: { metadata: ObjectMeta }): string {
  const { namespace, name } = obj.metadata;
  return namespace ? `${namespace}/${name}` : `${name}`;
}
