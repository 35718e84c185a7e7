// The Node object a kubelet registers and the status it posts, after
// pkg/kubelet/kubelet_node_status.go and pkg/kubelet/nodestatus/setters.go:
// labels, capacity and allocatable, nodeInfo, addresses, daemon endpoints,
// the images on the node, and the four conditions the kubelet owns
// (MemoryPressure, DiskPressure, PIDPressure, Ready) with their real reasons.
// Leaves out: volumes, config status, eviction signals (never under pressure).

import type { Node, NodeCondition, NodeStatus } from "../api/core/v1.ts";
import { rfc3339 } from "../apimachinery/meta.ts";
import type { StoredImage } from "../cri/images.ts";

export interface NodeIdentity {
  name: string;
  ip: string;
  /** The kubelet's version, e.g. v1.32.4. */
  version: string;
  containerRuntimeVersion: string;
  /** Stable machine identifiers (drawn once per node from the cluster's seed). */
  machineID: string;
  systemUUID: string;
  bootID: string;
}

/** Capacity of a lab VM: 2 vCPU, ~4 GiB, a 20 GB disk. */
const CAPACITY = {
  cpu: "2",
  "ephemeral-storage": "20134592Ki",
  "hugepages-1Gi": "0",
  "hugepages-2Mi": "0",
  memory: "4025564Ki",
  pods: "110",
};

/** Capacity minus the kubelet's hard eviction thresholds (memory.available 100Mi, nodefs 10 %). */
const ALLOCATABLE = {
  cpu: "2",
  "ephemeral-storage": "18556039957",
  "hugepages-1Gi": "0",
  "hugepages-2Mi": "0",
  memory: "3923164Ki",
  pods: "110",
};

export function nodeLabels(name: string): Record<string, string> {
  return {
    "beta.kubernetes.io/arch": "amd64",
    "beta.kubernetes.io/os": "linux",
    "kubernetes.io/arch": "amd64",
    "kubernetes.io/hostname": name,
    "kubernetes.io/os": "linux",
  };
}

/** The Node the kubelet creates when it registers (initialNode in kubelet_node_status.go). */
export function initialNode(id: NodeIdentity, taints: NonNullable<Node["spec"]>["taints"] = []): Node {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: id.name,
      labels: nodeLabels(id.name),
      annotations: {
        "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///var/run/containerd/containerd.sock",
        "node.alpha.kubernetes.io/ttl": "0",
        "volumes.kubernetes.io/controller-managed-attach-detach": "true",
      },
    },
    spec: taints.length > 0 ? { taints } : {},
  };
}

export interface ConditionInputs {
  /** False while the container runtime does not answer. */
  runtimeUp: boolean;
}

/** The kubelet's conditions, keeping lastTransitionTime when a status did not change. */
export function nodeConditions(old: NodeCondition[] | undefined, inputs: ConditionInputs, now: number): NodeCondition[] {
  const ts = rfc3339(now);
  const want: Omit<NodeCondition, "lastHeartbeatTime" | "lastTransitionTime">[] = [
    { type: "MemoryPressure", status: "False", reason: "KubeletHasSufficientMemory", message: "kubelet has sufficient memory available" },
    { type: "DiskPressure", status: "False", reason: "KubeletHasNoDiskPressure", message: "kubelet has no disk pressure" },
    { type: "PIDPressure", status: "False", reason: "KubeletHasSufficientPID", message: "kubelet has sufficient PID available" },
    inputs.runtimeUp
      ? { type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" }
      : {
          type: "Ready",
          status: "False",
          reason: "KubeletNotReady",
          message: "container runtime is down, PLEG is not healthy: pleg was last seen active 3m0s ago; threshold is 3m0s",
        },
  ];
  return want.map((c) => {
    const prev = old?.find((o) => o.type === c.type);
    return { ...c, lastHeartbeatTime: ts, lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime : ts };
  });
}

/** The status fields besides conditions, as the setters fill them. */
export function nodeStatusFields(id: NodeIdentity, images: StoredImage[]): Omit<NodeStatus, "conditions"> {
  return {
    capacity: { ...CAPACITY },
    allocatable: { ...ALLOCATABLE },
    addresses: [
      { type: "InternalIP", address: id.ip },
      { type: "Hostname", address: id.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: id.machineID,
      systemUUID: id.systemUUID,
      bootID: id.bootID,
      kernelVersion: "5.15.0-151-generic",
      osImage: "Ubuntu 22.04.5 LTS",
      containerRuntimeVersion: id.containerRuntimeVersion,
      kubeletVersion: id.version,
      kubeProxyVersion: "",
      operatingSystem: "linux",
      architecture: "amd64",
    },
    // Largest first, as the kubelet sorts them (and caps the list at 50).
    images: [...images]
      .sort((a, b) => b.size - a.size)
      .slice(0, 50)
      .map((i) => ({ names: [...i.repoDigests, ...i.repoTags], sizeBytes: i.size })),
  };
}

/** The condition changes that produce node events ("Node node01 status is now: …"). */
export function conditionEvents(old: NodeCondition[] | undefined, next: NodeCondition[]): string[] {
  const out: string[] = [];
  const ready = next.find((c) => c.type === "Ready");
  const before = old?.find((c) => c.type === "Ready");
  if (ready && before && before.status !== ready.status) out.push(ready.status === "True" ? "NodeReady" : "NodeNotReady");
  return out;
}
