// What `kubeadm init` (v1.32) and `kubectl apply -f kube-flannel.yml` leave in
// the apiserver before any node runs a pod, after cmd/kubeadm/app/cmd/phases:
// namespaces, the built-in priority classes, the `kubernetes` Service with
// the control plane's endpoint, kubeadm's ConfigMaps, the kube-proxy and
// CoreDNS addons and flannel. Nodes register themselves (their kubelets);
// markControlPlane is kubeadm's mark-control-plane phase for the first one.
// Leaves out: certificates, bootstrap tokens and RBAC.

import type { Node } from "../api/core/v1.ts";
import { isAlreadyExists } from "../apimachinery/errors.ts";
import type { KObject } from "../apimachinery/meta.ts";
import { type Client, GVR, type GroupVersionResource } from "../client/interface.ts";
import { COREDNS_IMAGE, corednsObjects, FLANNEL_CNI_IMAGE, FLANNEL_IMAGE, flannelObjects, kubeProxyObjects, PAUSE_IMAGE } from "./addons.ts";
import { ETCD_VERSION } from "./manifests.ts";

export interface BootstrapOptions {
  client: Client;
  /** v1.32.4 */
  version: string;
  /** The control plane's InternalIP. */
  controlPlaneIP: string;
  podSubnet?: string;
  serviceSubnet?: string;
}

export const POD_SUBNET = "10.244.0.0/16";
export const SERVICE_SUBNET = "10.96.0.0/12";

const GVRS: Record<string, GroupVersionResource> = {
  Namespace: GVR.namespaces,
  Service: GVR.services,
  Endpoints: GVR.endpoints,
  EndpointSlice: GVR.endpointslices,
  ConfigMap: GVR.configmaps,
  ServiceAccount: GVR.serviceaccounts,
  DaemonSet: GVR.daemonsets,
  Deployment: GVR.deployments,
  PriorityClass: { group: "scheduling.k8s.io", version: "v1", resource: "priorityclasses" },
};

async function apply(client: Client, obj: KObject): Promise<void> {
  const gvr = GVRS[obj.kind ?? ""];
  if (!gvr) throw new Error(`kubeadm: no resource for kind ${obj.kind}`);
  try {
    await client.resource(gvr).create(obj, obj.metadata.namespace);
  } catch (e) {
    // Built-ins the apiserver made itself (priority classes, default namespace) are fine.
    if (!isAlreadyExists(e)) throw e;
  }
}

function controlPlaneObjects(o: Required<BootstrapOptions>): KObject[] {
  const ns = (name: string): KObject => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
  const pc = (name: string, value: number): KObject => ({
    apiVersion: "scheduling.k8s.io/v1",
    kind: "PriorityClass",
    metadata: { name },
    value,
    description: "Used for system critical pods that must not be moved from their current node.",
    preemptionPolicy: "PreemptLowerPriority",
  });
  const ip = o.controlPlaneIP;
  const clusterConfiguration = [
    "apiServer: {}",
    "apiVersion: kubeadm.k8s.io/v1beta4",
    "caCertificateValidityPeriod: 87600h0m0s",
    "certificateValidityPeriod: 8760h0m0s",
    "certificatesDir: /etc/kubernetes/pki",
    "clusterName: kubernetes",
    "controllerManager: {}",
    "dns: {}",
    "encryptionAlgorithm: RSA-2048",
    "etcd:",
    "  local:",
    "    dataDir: /var/lib/etcd",
    "imageRepository: registry.k8s.io",
    "kind: ClusterConfiguration",
    `kubernetesVersion: ${o.version}`,
    "networking:",
    "  dnsDomain: cluster.local",
    `  podSubnet: ${o.podSubnet}`,
    `  serviceSubnet: ${o.serviceSubnet}`,
    "proxy: {}",
    "scheduler: {}",
    "",
  ].join("\n");
  return [
    ns("default"),
    ns("kube-node-lease"),
    ns("kube-public"),
    ns("kube-system"),
    pc("system-cluster-critical", 2000000000),
    pc("system-node-critical", 2000001000),
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "kubernetes", namespace: "default", labels: { component: "apiserver", provider: "kubernetes" } },
      spec: { clusterIP: "10.96.0.1", ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: 6443 }], sessionAffinity: "None", type: "ClusterIP" },
    },
    {
      apiVersion: "v1",
      kind: "Endpoints",
      metadata: { name: "kubernetes", namespace: "default", labels: { "endpointslice.kubernetes.io/skip-mirror": "true" } },
      subsets: [{ addresses: [{ ip }], ports: [{ name: "https", port: 6443, protocol: "TCP" }] }],
    },
    {
      apiVersion: "discovery.k8s.io/v1",
      kind: "EndpointSlice",
      metadata: { name: "kubernetes", namespace: "default", labels: { "kubernetes.io/service-name": "kubernetes" } },
      addressType: "IPv4",
      endpoints: [{ addresses: [ip], conditions: { ready: true } }],
      ports: [{ name: "https", port: 6443, protocol: "TCP" }],
    },
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "kubeadm-config", namespace: "kube-system" }, data: { ClusterConfiguration: clusterConfiguration } },
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "kubelet-config", namespace: "kube-system" },
      data: {
        kubelet: [
          "apiVersion: kubelet.config.k8s.io/v1beta1",
          "cgroupDriver: systemd",
          "clusterDNS:",
          "- 10.96.0.10",
          "clusterDomain: cluster.local",
          "containerRuntimeEndpoint: \"\"",
          "kind: KubeletConfiguration",
          "nodeStatusReportFrequency: 0s",
          "nodeStatusUpdateFrequency: 0s",
          "rotateCertificates: true",
          "staticPodPath: /etc/kubernetes/manifests",
          "",
        ].join("\n"),
      },
    },
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "cluster-info", namespace: "kube-public" },
      data: {
        kubeconfig: ["apiVersion: v1", "clusters:", "- cluster:", `    server: https://${ip}:6443`, '  name: ""', "contexts: null", "current-context: \"\"", "kind: Config", "preferences: {}", "users: null", ""].join("\n"),
      },
    },
  ];
}

/** Creates the cluster's bootstrap objects, in the order kubeadm and the flannel manifest do. */
export async function bootstrapCluster(options: BootstrapOptions): Promise<void> {
  const o: Required<BootstrapOptions> = { podSubnet: POD_SUBNET, serviceSubnet: SERVICE_SUBNET, ...options };
  const objects = [
    ...controlPlaneObjects(o),
    ...corednsObjects(),
    ...kubeProxyObjects(o.version, o.controlPlaneIP, o.podSubnet),
    ...flannelObjects(o.podSubnet),
  ];
  for (const obj of objects) await apply(o.client, obj);
}

/** kubeadm's mark-control-plane phase: the role label, the LB exclusion label and the NoSchedule taint. */
export async function markControlPlane(client: Client, node: string): Promise<void> {
  const nodes = client.resource<Node>(GVR.nodes);
  const current = await nodes.get(node);
  const taints = current.spec?.taints ?? [];
  const taint = { key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" as const };
  await nodes.patch(node, undefined, "application/merge-patch+json", {
    metadata: { labels: { "node-role.kubernetes.io/control-plane": "", "node.kubernetes.io/exclude-from-external-load-balancers": "" } },
    spec: { taints: taints.some((t) => t.key === taint.key) ? taints : [...taints, taint] },
  });
}

/**
 * Images already on a node when the lab starts: `kubeadm config images pull`
 * on the control plane, and what each node pulled when it joined.
 */
export function prepulledImages(version: string, controlPlane: boolean): string[] {
  const all = [`registry.k8s.io/kube-proxy:${version}`, PAUSE_IMAGE, FLANNEL_IMAGE, FLANNEL_CNI_IMAGE];
  if (!controlPlane) return all;
  return [
    ...all,
    `registry.k8s.io/kube-apiserver:${version}`,
    `registry.k8s.io/kube-controller-manager:${version}`,
    `registry.k8s.io/kube-scheduler:${version}`,
    `registry.k8s.io/etcd:${ETCD_VERSION}`,
    COREDNS_IMAGE,
  ];
}
