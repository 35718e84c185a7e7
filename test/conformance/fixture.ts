// A small kubeadm-like cluster state for kubectl conformance runs, built by
// writing objects (with the statuses controllers and kubelets would post)
// through an in-process client, so the test does not depend on the control
// plane. Swap buildFixture for createCluster once that exists.
// Times: the FakeClock starts 30½ minutes before the wall clock and is moved
// to it at the end, so every age reads "30m" to both kubectls.

import { APIServer } from "../../src/apiserver/apiserver.ts";
import { inProcessClient } from "../../src/client/inprocess.ts";
import { type Client, GVR } from "../../src/client/interface.ts";
import type { KObject } from "../../src/apimachinery/meta.ts";
import { FakeClock } from "../../src/utils/clock.ts";
import { seededRand } from "../../src/utils/rand.ts";

export interface Fixture {
  api: APIServer;
  clock: FakeClock;
  client: Client;
}

const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");

async function withStatus(client: Client, gvr: (typeof GVR)[keyof typeof GVR], obj: KObject, status: unknown, ns?: string): Promise<KObject> {
  const created = await client.resource(gvr).create(obj, ns);
  return client.resource(gvr).update({ ...created, status } as KObject, { subresource: "status" });
}

function node(name: string, ip: string, controlPlane: boolean, t: string): KObject {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      labels: {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
        ...(controlPlane ? { "node-role.kubernetes.io/control-plane": "", "node.kubernetes.io/exclude-from-external-load-balancers": "" } : {}),
      },
      annotations: {
        "flannel.alpha.coreos.com/public-ip": ip,
        "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///var/run/containerd/containerd.sock",
        "node.alpha.kubernetes.io/ttl": "0",
        "volumes.kubernetes.io/controller-managed-attach-detach": "true",
      },
    },
    spec: {
      podCIDR: controlPlane ? "10.244.0.0/24" : "10.244.1.0/24",
      podCIDRs: [controlPlane ? "10.244.0.0/24" : "10.244.1.0/24"],
      ...(controlPlane ? { taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }] } : {}),
    },
    status: {},
  } as KObject;
}

function nodeStatus(ip: string, name: string, t: string, version: string): unknown {
  const cond = (type: string, status: string, reason: string, message: string) => ({ type, status, lastHeartbeatTime: t, lastTransitionTime: t, reason, message });
  return {
    capacity: { cpu: "2", "ephemeral-storage": "20134592Ki", "hugepages-2Mi": "0", memory: "4005036Ki", pods: "110" },
    allocatable: { cpu: "2", "ephemeral-storage": "18556039957", "hugepages-2Mi": "0", memory: "3902636Ki", pods: "110" },
    conditions: [
      cond("NetworkUnavailable", "False", "FlannelIsUp", "Flannel is running on this node"),
      cond("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
      cond("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
      cond("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
      cond("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
    ],
    addresses: [
      { type: "InternalIP", address: ip },
      { type: "Hostname", address: name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: "0e4a5c1b2d3f4a5b6c7d8e9f0a1b2c3d",
      systemUUID: "0e4a5c1b-2d3f-4a5b-6c7d-8e9f0a1b2c3d",
      bootID: "5f2d1c0b-9a8e-4d7c-b6a5-f4e3d2c1b0a9",
      kernelVersion: "5.15.0-125-generic",
      osImage: "Ubuntu 22.04.5 LTS",
      containerRuntimeVersion: "containerd://1.7.24",
      kubeletVersion: version,
      kubeProxyVersion: version,
      operatingSystem: "linux",
      architecture: "amd64",
    },
  };
}

export async function buildFixture(wallNow: number, version = "v1.32.4"): Promise<Fixture> {
  const start = wallNow - 30 * 60_000 - 30_000;
  const clock = new FakeClock(start);
  const api = new APIServer({ clock, rand: seededRand(7), version });
  const client = inProcessClient(api, { user: "kubernetes-admin", groups: ["system:masters"] });
  const t = iso(start);
  for (const ns of ["default", "kube-system", "kube-public", "kube-node-lease", "kube-flannel"]) {
    await withStatus(client, GVR.namespaces, { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } } as KObject, { phase: "Active" });
  }
  const nodes = [
    { name: "master", ip: "172.30.1.2", cp: true },
    { name: "node01", ip: "172.30.2.2", cp: false },
  ];
  for (const n of nodes) await withStatus(client, GVR.nodes, node(n.name, n.ip, n.cp, t), nodeStatus(n.ip, n.name, t, version));

  await client.resource(GVR.services).create(
    { apiVersion: "v1", kind: "Service", metadata: { name: "kubernetes", labels: { component: "apiserver", provider: "kubernetes" } }, spec: { type: "ClusterIP", clusterIP: "10.96.0.1", clusterIPs: ["10.96.0.1"], ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: 6443 }] } } as KObject,
    "default",
  );
  await client.resource(GVR.services).create(
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "kube-dns", labels: { "k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS" } },
      spec: {
        selector: { "k8s-app": "kube-dns" },
        clusterIP: "10.96.0.10",
        clusterIPs: ["10.96.0.10"],
        ports: [
          { name: "dns", port: 53, protocol: "UDP", targetPort: 53 },
          { name: "dns-tcp", port: 53, protocol: "TCP", targetPort: 53 },
          { name: "metrics", port: 9153, protocol: "TCP", targetPort: 9153 },
        ],
      },
    } as KObject,
    "kube-system",
  );

  // deployment test-web, 2 replicas of httpd, all available.
  const labels = { app: "test-web" };
  const template = { metadata: { labels }, spec: { containers: [{ name: "httpd", image: "httpd" }] } };
  const dep = await withStatus(
    client,
    GVR.deployments,
    { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "test-web", labels, annotations: { "deployment.kubernetes.io/revision": "1" } }, spec: { replicas: 2, selector: { matchLabels: labels }, template } } as KObject,
    {
      observedGeneration: 1,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      conditions: [
        { type: "Available", status: "True", lastUpdateTime: t, lastTransitionTime: t, reason: "MinimumReplicasAvailable", message: "Deployment has minimum availability." },
        { type: "Progressing", status: "True", lastUpdateTime: t, lastTransitionTime: t, reason: "NewReplicaSetAvailable", message: 'ReplicaSet "test-web-7c7cd49dbf" has successfully progressed.' },
      ],
    },
    "default",
  );
  const hash = "7c7cd49dbf";
  const rsLabels = { ...labels, "pod-template-hash": hash };
  const rs = await withStatus(
    client,
    GVR.replicasets,
    {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: {
        name: `test-web-${hash}`,
        labels: rsLabels,
        annotations: { "deployment.kubernetes.io/desired-replicas": "2", "deployment.kubernetes.io/max-replicas": "3", "deployment.kubernetes.io/revision": "1" },
        ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: "test-web", uid: dep.metadata.uid!, controller: true, blockOwnerDeletion: true }],
      },
      spec: { replicas: 2, selector: { matchLabels: rsLabels }, template: { metadata: { labels: rsLabels }, spec: template.spec } },
    } as KObject,
    { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 },
    "default",
  );
  const podNames = [`test-web-${hash}-x2k9q`, `test-web-${hash}-z8h4m`];
  for (const [i, name] of podNames.entries()) {
    const ip = `10.244.1.${i + 2}`;
    await withStatus(
      client,
      GVR.pods,
      {
        apiVersion: "v1",
        kind: "Pod",
        metadata: {
          name,
          labels: rsLabels,
          ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: rs.metadata.name!, uid: rs.metadata.uid!, controller: true, blockOwnerDeletion: true }],
        },
        spec: { nodeName: "node01", containers: [{ name: "httpd", image: "httpd" }] },
      } as KObject,
      {
        phase: "Running",
        conditions: [
          { type: "PodReadyToStartContainers", status: "True", lastProbeTime: null, lastTransitionTime: t },
          { type: "Initialized", status: "True", lastProbeTime: null, lastTransitionTime: t },
          { type: "Ready", status: "True", lastProbeTime: null, lastTransitionTime: t },
          { type: "ContainersReady", status: "True", lastProbeTime: null, lastTransitionTime: t },
          { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: t },
        ],
        hostIP: "172.30.2.2",
        hostIPs: [{ ip: "172.30.2.2" }],
        podIP: ip,
        podIPs: [{ ip }],
        startTime: t,
        qosClass: "BestEffort",
        containerStatuses: [
          {
            name: "httpd",
            state: { running: { startedAt: t } },
            lastState: {},
            ready: true,
            restartCount: 0,
            image: "docker.io/library/httpd:latest",
            imageID: "docker.io/library/httpd@sha256:f4c5ae5bb1ca4bd48f1c5e8a2d4a2b1e6e7c1d3e0e3f4a5b6c7d8e9f0a1b2c3d",
            containerID: `containerd://${"ab12cd34".repeat(8)}`.slice(0, 77),
            started: true,
          },
        ],
      },
      "default",
    );
  }
  // Events for the deployment and its pods, as the controllers would have recorded them.
  let seq = 0;
  const ev = async (obj: { kind: string; name: string; uid: string; apiVersion: string }, reason: string, message: string, component: string, host?: string, fieldPath?: string) => {
    await client.resource(GVR.events).create(
      {
        apiVersion: "v1",
        kind: "Event",
        metadata: { name: `${obj.name}.${(0x17f0b2c3d4e5f0 + ++seq * 4099).toString(16)}` },
        involvedObject: { kind: obj.kind, namespace: "default", name: obj.name, uid: obj.uid, apiVersion: obj.apiVersion, ...(fieldPath ? { fieldPath } : {}) },
        reason,
        message,
        source: { component, ...(host ? { host } : {}) },
        firstTimestamp: t,
        lastTimestamp: t,
        count: 1,
        type: "Normal",
        reportingComponent: component,
        reportingInstance: host ?? "",
      } as unknown as KObject,
      "default",
    );
  };
  await ev({ kind: "Deployment", name: "test-web", uid: dep.metadata.uid!, apiVersion: "apps/v1" }, "ScalingReplicaSet", `Scaled up replica set test-web-${hash} from 0 to 2`, "deployment-controller");
  const pods = (await client.resource(GVR.pods).list("default")).items;
  for (const p of pods) {
    const ref = { kind: "Pod", name: p.metadata.name!, uid: p.metadata.uid!, apiVersion: "v1" };
    await ev(ref, "Pulling", 'Pulling image "httpd"', "kubelet", "node01", "spec.containers{httpd}");
    await ev(ref, "Started", "Started container httpd", "kubelet", "node01", "spec.containers{httpd}");
  }
  await clock.advance(30 * 60_000 + 30_000);
  return { api, clock, client };
}
