// The resource types this apiserver serves, in the order a kubeadm v1.32
// apiserver lists them in discovery. One table drives discovery, REST routing,
// storage keys and kubectl's short names, as the generic registry does in
// k8s.io/apiserver. Leaves out: CRDs and aggregated API servers.

export interface ResourceInfo {
  group: string; // "" for core
  version: string;
  /** Plural, lower case: the URL segment and storage prefix. */
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  /** Subresources served under /<resource>/<name>/<sub>. */
  subresources?: { name: string; kind: string; group?: string; version?: string; verbs: string[] }[];
  /** Not stored: served by a handler (bindings, reviews). */
  virtual?: boolean;
}

const RW = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
const STATUS = (kind: string) => ({ name: "status", kind, verbs: ["get", "patch", "update"] });
const SCALE = { name: "scale", kind: "Scale", group: "autoscaling", version: "v1", verbs: ["get", "patch", "update"] };

function r(group: string, version: string, resource: string, kind: string, rest: Partial<ResourceInfo> = {}): ResourceInfo {
  return {
    group,
    version,
    resource,
    singular: kind.toLowerCase(),
    kind,
    namespaced: true,
    verbs: RW,
    ...rest,
  };
}

export const RESOURCES: ResourceInfo[] = [
  // core/v1
  r("", "v1", "bindings", "Binding", { verbs: ["create"], virtual: true }),
  r("", "v1", "componentstatuses", "ComponentStatus", { namespaced: false, verbs: ["get", "list"], shortNames: ["cs"], virtual: true }),
  r("", "v1", "configmaps", "ConfigMap", { shortNames: ["cm"] }),
  r("", "v1", "endpoints", "Endpoints", { shortNames: ["ep"], singular: "endpoints" }),
  r("", "v1", "events", "Event", { shortNames: ["ev"] }),
  r("", "v1", "limitranges", "LimitRange", { shortNames: ["limits"] }),
  r("", "v1", "namespaces", "Namespace", {
    namespaced: false,
    verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
    shortNames: ["ns"],
    subresources: [{ name: "finalize", kind: "Namespace", verbs: ["update"] }, STATUS("Namespace")],
  }),
  r("", "v1", "nodes", "Node", { namespaced: false, shortNames: ["no"], subresources: [{ name: "proxy", kind: "NodeProxyOptions", verbs: ["create", "delete", "get", "patch", "update"] }, STATUS("Node")] }),
  r("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", { shortNames: ["pvc"], subresources: [STATUS("PersistentVolumeClaim")] }),
  r("", "v1", "persistentvolumes", "PersistentVolume", { namespaced: false, shortNames: ["pv"], subresources: [STATUS("PersistentVolume")] }),
  r("", "v1", "pods", "Pod", {
    shortNames: ["po"],
    categories: ["all"],
    subresources: [
      { name: "attach", kind: "PodAttachOptions", verbs: ["create", "get"] },
      { name: "binding", kind: "Binding", verbs: ["create"] },
      { name: "ephemeralcontainers", kind: "Pod", verbs: ["get", "patch", "update"] },
      { name: "eviction", kind: "Eviction", group: "policy", version: "v1", verbs: ["create"] },
      { name: "exec", kind: "PodExecOptions", verbs: ["create", "get"] },
      { name: "log", kind: "Pod", verbs: ["get"] },
      { name: "portforward", kind: "PodPortForwardOptions", verbs: ["create", "get"] },
      { name: "proxy", kind: "PodProxyOptions", verbs: ["create", "delete", "get", "patch", "update"] },
      { name: "resize", kind: "Pod", verbs: ["get", "patch", "update"] },
      STATUS("Pod"),
    ],
  }),
  r("", "v1", "podtemplates", "PodTemplate"),
  r("", "v1", "replicationcontrollers", "ReplicationController", { shortNames: ["rc"], categories: ["all"], subresources: [SCALE, STATUS("ReplicationController")] }),
  r("", "v1", "resourcequotas", "ResourceQuota", { shortNames: ["quota"], subresources: [STATUS("ResourceQuota")] }),
  r("", "v1", "secrets", "Secret"),
  r("", "v1", "serviceaccounts", "ServiceAccount", { shortNames: ["sa"], subresources: [{ name: "token", kind: "TokenRequest", group: "authentication.k8s.io", version: "v1", verbs: ["create"] }] }),
  r("", "v1", "services", "Service", { shortNames: ["svc"], categories: ["all"], subresources: [{ name: "proxy", kind: "ServiceProxyOptions", verbs: ["create", "delete", "get", "patch", "update"] }, STATUS("Service")] }),
  // apps/v1
  r("apps", "v1", "controllerrevisions", "ControllerRevision"),
  r("apps", "v1", "daemonsets", "DaemonSet", { shortNames: ["ds"], categories: ["all"], subresources: [STATUS("DaemonSet")] }),
  r("apps", "v1", "deployments", "Deployment", { shortNames: ["deploy"], categories: ["all"], subresources: [SCALE, STATUS("Deployment")] }),
  r("apps", "v1", "replicasets", "ReplicaSet", { shortNames: ["rs"], categories: ["all"], subresources: [SCALE, STATUS("ReplicaSet")] }),
  r("apps", "v1", "statefulsets", "StatefulSet", { shortNames: ["sts"], categories: ["all"], subresources: [SCALE, STATUS("StatefulSet")] }),
  // authentication, authorization: reviews computed per request (reviews.ts)
  r("authentication.k8s.io", "v1", "selfsubjectreviews", "SelfSubjectReview", { namespaced: false, verbs: ["create"], virtual: true }),
  r("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "SelfSubjectAccessReview", { namespaced: false, verbs: ["create"], virtual: true }),
  // autoscaling
  r("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", { shortNames: ["hpa"], categories: ["all"], subresources: [STATUS("HorizontalPodAutoscaler")] }),
  // batch
  r("batch", "v1", "cronjobs", "CronJob", { shortNames: ["cj"], categories: ["all"], subresources: [STATUS("CronJob")] }),
  r("batch", "v1", "jobs", "Job", { categories: ["all"], subresources: [STATUS("Job")] }),
  // coordination, discovery, events
  r("coordination.k8s.io", "v1", "leases", "Lease"),
  r("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice"),
  r("events.k8s.io", "v1", "events", "Event", { shortNames: ["ev"] }),
  // networking, policy
  r("networking.k8s.io", "v1", "ingresses", "Ingress", { shortNames: ["ing"], subresources: [STATUS("Ingress")] }),
  r("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", { shortNames: ["netpol"] }),
  r("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", { shortNames: ["pdb"], subresources: [STATUS("PodDisruptionBudget")] }),
  // rbac
  r("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", { namespaced: false }),
  r("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", { namespaced: false }),
  r("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding"),
  r("rbac.authorization.k8s.io", "v1", "roles", "Role"),
  // scheduling, storage
  r("scheduling.k8s.io", "v1", "priorityclasses", "PriorityClass", { namespaced: false, shortNames: ["pc"] }),
  r("storage.k8s.io", "v1", "storageclasses", "StorageClass", { namespaced: false, shortNames: ["sc"] }),
  // metrics-server's aggregated API (src/apiserver/metrics.ts); it sets no singular names.
  r("metrics.k8s.io", "v1beta1", "nodes", "NodeMetrics", { namespaced: false, verbs: ["get", "list"], singular: "", virtual: true }),
  r("metrics.k8s.io", "v1beta1", "pods", "PodMetrics", { verbs: ["get", "list"], singular: "", virtual: true }),
];

/** The groups in discovery order (core first, then as a v1.32 apiserver lists them). */
export const GROUP_ORDER = [
  "",
  "apps",
  "events.k8s.io",
  "authentication.k8s.io",
  "authorization.k8s.io",
  "autoscaling",
  "batch",
  "networking.k8s.io",
  "policy",
  "rbac.authorization.k8s.io",
  "storage.k8s.io",
  "scheduling.k8s.io",
  "coordination.k8s.io",
  "discovery.k8s.io",
  "metrics.k8s.io",
];

/** "apps/v1" or "v1" */
export function groupVersion(info: Pick<ResourceInfo, "group" | "version">): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}

/** Looks a resource up by group and plural name. */
export function findResource(group: string, resource: string): ResourceInfo | undefined {
  return RESOURCES.find((x) => x.group === group && x.resource === resource);
}

/** The resource serving a given apiVersion and kind. */
export function resourceForKind(apiVersion: string, kind: string): ResourceInfo | undefined {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  return RESOURCES.find((x) => x.group === group && x.version === version && x.kind === kind);
}

/**
 * The storage key of an object, as kube-apiserver lays out etcd:
 * /registry/<resource>/<namespace>/<name>. A few resources keep their
 * historical prefixes (deployments live under /registry/deployments).
 */
export function storageKey(info: ResourceInfo, namespace: string | undefined, name: string): string {
  return `${storagePrefix(info, namespace)}${name}`;
}

export function storagePrefix(info: ResourceInfo, namespace?: string): string {
  const base = STORAGE_NAMES[`${info.group}/${info.resource}`] ?? info.resource;
  if (!info.namespaced) return `/registry/${base}/`;
  return namespace ? `/registry/${base}/${namespace}/` : `/registry/${base}/`;
}

const STORAGE_NAMES: Record<string, string> = {
  "/nodes": "minions",
  "/services": "services/specs",
  "/endpoints": "services/endpoints",
  "coordination.k8s.io/leases": "leases",
  "discovery.k8s.io/endpointslices": "endpointslices",
  "events.k8s.io/events": "events",
  "rbac.authorization.k8s.io/clusterrolebindings": "clusterrolebindings",
  "rbac.authorization.k8s.io/clusterroles": "clusterroles",
  "rbac.authorization.k8s.io/rolebindings": "rolebindings",
  "rbac.authorization.k8s.io/roles": "roles",
  "scheduling.k8s.io/priorityclasses": "priorityclasses",
  "storage.k8s.io/storageclasses": "storageclasses",
  "policy/poddisruptionbudgets": "poddisruptionbudgets",
};
