import { describe, expect, it } from "vitest";
import { getPrinter } from "../../src/printers/printers.ts";
import type { KObject } from "../../src/apimachinery/meta.ts";

const NOW = Date.parse("2026-01-01T12:00:00Z");
const ago = (s: number) => new Date(NOW - s * 1000).toISOString().replace(".000Z", "Z");
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: "default", creationTimestamp: ago(300), ...extra });

function cells(group: string, resource: string, obj: unknown): unknown[] {
  const p = getPrinter(group, resource);
  if (!p) throw new Error(`no printer for ${group}/${resource}`);
  const c = p.cells(obj as KObject, NOW);
  expect(c.length).toBe(p.columns.length);
  return c;
}

describe("pod printer", () => {
  const running = {
    metadata: meta("web-1"),
    spec: { nodeName: "node01", containers: [{ name: "web", image: "nginx" }] },
    status: {
      phase: "Running",
      podIPs: [{ ip: "10.244.1.5" }],
      conditions: [{ type: "Ready", status: "True" }],
      containerStatuses: [{ name: "web", ready: true, restartCount: 0, image: "nginx", imageID: "", state: { running: { startedAt: ago(200) } } }],
    },
  };

  it("columns and descriptions match the apiserver", () => {
    const p = getPrinter("", "pods")!;
    expect(p.columns.map((c) => [c.name, c.type, c.priority])).toEqual([
      ["Name", "string", 0], ["Ready", "string", 0], ["Status", "string", 0], ["Restarts", "string", 0], ["Age", "string", 0],
      ["IP", "string", 1], ["Node", "string", 1], ["Nominated Node", "string", 1], ["Readiness Gates", "string", 1],
    ]);
    expect(p.columns[0].format).toBe("name");
    expect(p.columns[0].description).toMatch(/^Name must be unique within a namespace/);
    expect(p.columns[4].description).toContain("in UTC.\n\nPopulated by the system.");
  });

  it("running pod", () => {
    expect(cells("", "pods", running)).toEqual(["web-1", "1/1", "Running", "0", "5m", "10.244.1.5", "node01", "<none>", "<none>"]);
  });

  it("pending without statuses, ContainerCreating, Terminating", () => {
    expect(cells("", "pods", { metadata: meta("p"), spec: { containers: [{ name: "a" }] }, status: { phase: "Pending" } }).slice(1, 4)).toEqual(["0/1", "Pending", "0"]);
    const creating = { metadata: meta("p"), spec: { nodeName: "n", containers: [{ name: "a" }] }, status: { phase: "Pending", containerStatuses: [{ name: "a", ready: false, restartCount: 0, state: { waiting: { reason: "ContainerCreating" } } }] } };
    expect(cells("", "pods", creating)[2]).toBe("ContainerCreating");
    const term = { ...running, metadata: meta("p", { deletionTimestamp: ago(-30) }) };
    expect(cells("", "pods", term)[2]).toBe("Terminating");
    const lost = { ...running, metadata: meta("p", { deletionTimestamp: ago(-30) }), status: { ...running.status, reason: "NodeLost" } };
    expect(cells("", "pods", lost)[2]).toBe("Unknown");
  });

  it("CrashLoopBackOff with restarts (ago)", () => {
    const crash = {
      metadata: meta("p"),
      spec: { containers: [{ name: "a" }] },
      status: { phase: "Running", containerStatuses: [{ name: "a", ready: false, restartCount: 5, state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: { terminated: { exitCode: 1, reason: "Error", finishedAt: ago(65) } } }] },
    };
    expect(cells("", "pods", crash).slice(1, 4)).toEqual(["0/1", "CrashLoopBackOff", "5 (65s ago)"]);
  });

  it("Completed, ExitCode, Init states, readiness gates", () => {
    const done = { metadata: meta("p"), spec: { containers: [{ name: "a" }] }, status: { phase: "Succeeded", containerStatuses: [{ name: "a", ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: "Completed" } } }] } };
    expect(cells("", "pods", done)[2]).toBe("Completed");
    const code = { metadata: meta("p"), spec: { containers: [{ name: "a" }] }, status: { phase: "Failed", containerStatuses: [{ name: "a", ready: false, restartCount: 0, state: { terminated: { exitCode: 3 } } }] } };
    expect(cells("", "pods", code)[2]).toBe("ExitCode:3");
    const init = {
      metadata: meta("p"),
      spec: { initContainers: [{ name: "i1" }, { name: "i2" }], containers: [{ name: "a" }], readinessGates: [{ conditionType: "x" }] },
      status: {
        phase: "Pending",
        conditions: [{ type: "x", status: "True" }],
        initContainerStatuses: [
          { name: "i1", ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: "Completed" } } },
          { name: "i2", ready: false, restartCount: 0, state: { running: {} } },
        ],
        containerStatuses: [{ name: "a", ready: false, restartCount: 0, state: { waiting: { reason: "PodInitializing" } } }],
      },
    };
    const c = cells("", "pods", init);
    expect(c[2]).toBe("Init:1/2");
    expect(c[8]).toBe("1/1");
    const initErr = structuredClone(init);
    initErr.status.initContainerStatuses[1].state = { waiting: { reason: "ImagePullBackOff" } } as never;
    expect(cells("", "pods", initErr)[2]).toBe("Init:ImagePullBackOff");
  });

  it("sidecar init containers count towards READY", () => {
    const pod = {
      metadata: meta("p"),
      spec: { initContainers: [{ name: "side", restartPolicy: "Always" }], containers: [{ name: "a" }] },
      status: {
        phase: "Running",
        conditions: [{ type: "Initialized", status: "True" }],
        initContainerStatuses: [{ name: "side", ready: true, started: true, restartCount: 1, state: { running: {} } }],
        containerStatuses: [{ name: "a", ready: true, restartCount: 0, state: { running: {} } }],
      },
    };
    expect(cells("", "pods", pod).slice(1, 4)).toEqual(["2/2", "Running", "1"]);
  });
});

describe("workload printers", () => {
  const template = { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "httpd", image: "httpd" }, { name: "side", image: "busybox:1.36" }] } };
  it("deployment", () => {
    const d = { metadata: meta("web"), spec: { replicas: 3, selector: { matchLabels: { app: "web", tier: "a" } }, template }, status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } };
    expect(cells("apps", "deployments", d)).toEqual(["web", "2/3", 3, 2, "5m", "httpd,side", "httpd,busybox:1.36", "app=web,tier=a"]);
    expect(cells("apps", "deployments", { metadata: meta("x"), spec: { replicas: 1, selector: { matchLabels: { a: "b" } }, template } })[1]).toBe("0/1");
  });
  it("replicaset, daemonset, statefulset", () => {
    const rs = { metadata: meta("web-7c7cd49dbf"), spec: { replicas: 2, selector: { matchLabels: { app: "web", "pod-template-hash": "7c7cd49dbf" } }, template }, status: { replicas: 2 } };
    expect(cells("apps", "replicasets", rs)).toEqual(["web-7c7cd49dbf", 2, 2, 0, "5m", "httpd,side", "httpd,busybox:1.36", "app=web,pod-template-hash=7c7cd49dbf"]);
    const ds = {
      metadata: meta("kube-proxy"),
      spec: { selector: { matchLabels: { "k8s-app": "kube-proxy" } }, template: { spec: { nodeSelector: { "kubernetes.io/os": "linux" }, containers: [{ name: "kube-proxy", image: "registry.k8s.io/kube-proxy:v1.32.4" }] } } },
      status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 3, updatedNumberScheduled: 3, numberAvailable: 3, numberMisscheduled: 0 },
    };
    expect(cells("apps", "daemonsets", ds).slice(0, 8)).toEqual(["kube-proxy", 3, 3, 3, 3, 3, "kubernetes.io/os=linux", "5m"]);
    expect(cells("apps", "statefulsets", { metadata: meta("db"), spec: { replicas: 3, selector: {}, template }, status: { replicas: 1, readyReplicas: 1 } }).slice(0, 3)).toEqual(["db", "1/3", "5m"]);
  });
  it("controllerrevision names its controller kind.group/name", () => {
    const cr = { metadata: meta("kube-proxy-5d4f", { ownerReferences: [{ apiVersion: "apps/v1", kind: "DaemonSet", name: "kube-proxy", uid: "u", controller: true }] }), revision: 1 };
    expect(cells("apps", "controllerrevisions", cr)).toEqual(["kube-proxy-5d4f", "daemonset.apps/kube-proxy", 1, "5m"]);
  });
  it("job and cronjob", () => {
    const job = { metadata: meta("pi"), spec: { completions: 1, parallelism: 1, selector: { matchLabels: { "batch.kubernetes.io/controller-uid": "abc" } }, template }, status: { succeeded: 1, startTime: ago(290), completionTime: ago(250), conditions: [{ type: "Complete", status: "True" }] } };
    expect(cells("batch", "jobs", job).slice(0, 5)).toEqual(["pi", "Complete", "1/1", "40s", "5m"]);
    const cj = { metadata: meta("hello"), spec: { schedule: "*/1 * * * *", suspend: false, jobTemplate: { spec: { template } } }, status: {} };
    expect(cells("batch", "cronjobs", cj).slice(0, 7)).toEqual(["hello", "*/1 * * * *", "<none>", "False", 0, "<none>", "5m"]);
  });
});

describe("node printer", () => {
  const node = {
    metadata: { name: "master", creationTimestamp: ago(3600 * 26), labels: { "node-role.kubernetes.io/control-plane": "", "kubernetes.io/hostname": "master" } },
    spec: {},
    status: {
      conditions: [{ type: "Ready", status: "True" }],
      addresses: [{ type: "InternalIP", address: "192.168.56.10" }, { type: "Hostname", address: "master" }],
      nodeInfo: { kubeletVersion: "v1.32.4", osImage: "Ubuntu 22.04.4 LTS", kernelVersion: "5.15.0-105-generic", containerRuntimeVersion: "containerd://1.7.12" },
    },
  };
  it("ready control plane, wide columns", () => {
    expect(cells("", "nodes", node)).toEqual(["master", "Ready", "control-plane", "26h", "v1.32.4", "192.168.56.10", "<none>", "Ubuntu 22.04.4 LTS", "5.15.0-105-generic", "containerd://1.7.12"]);
  });
  it("NotReady,SchedulingDisabled and no roles", () => {
    const n = structuredClone(node) as typeof node & { spec: { unschedulable?: boolean } };
    n.metadata.labels = {} as never;
    n.status.conditions[0].status = "Unknown";
    n.spec.unschedulable = true;
    const c = cells("", "nodes", n);
    expect(c.slice(1, 3)).toEqual(["NotReady,SchedulingDisabled", "<none>"]);
    expect(cells("", "nodes", { metadata: { name: "x" }, status: {} })[1]).toBe("Unknown");
  });
});

describe("service networking printers", () => {
  it("ClusterIP and NodePort services", () => {
    const svc = { metadata: meta("kubernetes"), spec: { type: "ClusterIP", clusterIP: "10.96.0.1", clusterIPs: ["10.96.0.1"], ports: [{ port: 443, protocol: "TCP", targetPort: 6443 }] } };
    expect(cells("", "services", svc)).toEqual(["kubernetes", "ClusterIP", "10.96.0.1", "<none>", "443/TCP", "5m", "<none>"]);
    const np = { metadata: meta("web"), spec: { type: "NodePort", clusterIPs: ["10.96.12.7"], selector: { app: "web" }, ports: [{ port: 80, protocol: "TCP", nodePort: 31234 }, { port: 53, protocol: "UDP" }] } };
    expect(cells("", "services", np)).toEqual(["web", "NodePort", "10.96.12.7", "<none>", "80:31234/TCP,53/UDP", "5m", "app=web"]);
    const lb = { metadata: meta("lb"), spec: { type: "LoadBalancer", clusterIPs: ["10.96.1.1"], ports: [] }, status: { loadBalancer: {} } };
    expect(cells("", "services", lb).slice(3, 5)).toEqual(["<pending>", "<none>"]);
  });
  it("endpoints list caps at three", () => {
    const ep = { metadata: meta("web"), subsets: [{ addresses: [{ ip: "10.244.1.2" }, { ip: "10.244.2.2" }], ports: [{ port: 80 }, { port: 8080 }] }] };
    expect(cells("", "endpoints", ep)[1]).toBe("10.244.1.2:80,10.244.2.2:80,10.244.1.2:8080 + 1 more...");
    expect(cells("", "endpoints", { metadata: meta("x") })[1]).toBe("<none>");
  });
  it("endpointslice", () => {
    const eps = { metadata: meta("web-abcde"), addressType: "IPv4", ports: [{ port: 80, protocol: "TCP" }], endpoints: [{ addresses: ["10.244.1.2"] }] };
    expect(cells("discovery.k8s.io", "endpointslices", eps)).toEqual(["web-abcde", "IPv4", "80", "10.244.1.2", "5m"]);
    expect(cells("discovery.k8s.io", "endpointslices", { metadata: meta("x"), addressType: "IPv4", endpoints: [] }).slice(2, 4)).toEqual(["<unset>", "<unset>"]);
  });
});

describe("event printer", () => {
  const ev = {
    metadata: meta("web.18a"),
    involvedObject: { kind: "Pod", name: "web-1", namespace: "default", fieldPath: "spec.containers{web}" },
    reason: "Pulled",
    message: "Successfully pulled image \"nginx\"\n",
    source: { component: "kubelet", host: "node01" },
    firstTimestamp: ago(120),
    lastTimestamp: ago(30),
    count: 2,
    type: "Normal",
  };
  it("core/v1 event with wide columns interleaved", () => {
    const p = getPrinter("", "events")!;
    expect(p.columns.map((c) => c.name)).toEqual(["Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message", "First Seen", "Count", "Name"]);
    expect(p.columns.map((c) => c.priority)).toEqual([0, 0, 0, 0, 1, 1, 0, 1, 1, 1]);
    expect(cells("", "events", ev)).toEqual(["30s", "Normal", "Pulled", "pod/web-1", "spec.containers{web}", "kubelet, node01", 'Successfully pulled image "nginx"', "2m", 2, "web.18a"]);
  });
  it("new-style event: eventTime, reportingController, count 1", () => {
    const e = { metadata: meta("x"), involvedObject: { kind: "Pod", name: "p" }, reason: "Scheduled", message: "ok", type: "Normal", eventTime: "2026-01-01T11:59:50.123456Z", reportingComponent: "default-scheduler", reportingInstance: "default-scheduler-master" };
    expect(cells("", "events", e)).toEqual(["9s", "Normal", "Scheduled", "pod/p", "", "default-scheduler, default-scheduler-master", "ok", "9s", 1, "x"]);
  });
});

describe("other printers", () => {
  it("namespace, configmap, secret, serviceaccount, lease", () => {
    expect(cells("", "namespaces", { metadata: meta("default"), status: { phase: "Active" } })).toEqual(["default", "Active", "5m"]);
    expect(cells("", "configmaps", { metadata: meta("kube-root-ca.crt"), data: { "ca.crt": "x" } })).toEqual(["kube-root-ca.crt", 1, "5m"]);
    expect(cells("", "secrets", { metadata: meta("s"), type: "Opaque", data: { a: "", b: "" } })).toEqual(["s", "Opaque", 2, "5m"]);
    expect(cells("", "serviceaccounts", { metadata: meta("default") })).toEqual(["default", 0, "5m"]);
    expect(cells("coordination.k8s.io", "leases", { metadata: meta("node01"), spec: { holderIdentity: "node01" } })).toEqual(["node01", "node01", "5m"]);
  });
  it("rbac bindings and the default table for roles", () => {
    const rb = { metadata: meta("rb"), roleRef: { kind: "ClusterRole", name: "view" }, subjects: [{ kind: "User", name: "jane" }, { kind: "ServiceAccount", name: "default", namespace: "dev" }] };
    expect(cells("rbac.authorization.k8s.io", "rolebindings", rb)).toEqual(["rb", "ClusterRole/view", "5m", "jane", "", "dev/default"]);
    const p = getPrinter("rbac.authorization.k8s.io", "roles")!;
    expect(p.columns.map((c) => c.name)).toEqual(["Name", "Created At"]);
    expect(p.cells({ metadata: { name: "r", creationTimestamp: "2026-01-01T11:55:00Z" } }, NOW)).toEqual(["r", "2026-01-01T11:55:00Z"]);
  });
  it("storageclass default marker, priorityclass, pvc", () => {
    const sc = { metadata: meta("local-path", { annotations: { "storageclass.kubernetes.io/is-default-class": "true" } }), provisioner: "rancher.io/local-path", volumeBindingMode: "WaitForFirstConsumer" };
    expect(cells("storage.k8s.io", "storageclasses", sc)).toEqual(["local-path (default)", "rancher.io/local-path", "Delete", "WaitForFirstConsumer", false, "5m"]);
    expect(cells("scheduling.k8s.io", "priorityclasses", { metadata: meta("system-node-critical"), value: 2000001000, preemptionPolicy: "PreemptLowerPriority" })).toEqual(["system-node-critical", 2000001000, false, "5m", "PreemptLowerPriority"]);
    const pvc = { metadata: meta("data"), spec: { volumeName: "pv1", storageClassName: "standard", volumeMode: "Filesystem" }, status: { phase: "Bound", accessModes: ["ReadWriteOnce"], capacity: { storage: "1Gi" } } };
    expect(cells("", "persistentvolumeclaims", pvc)).toEqual(["data", "Bound", "pv1", "1Gi", "RWO", "standard", "<unset>", "5m", "Filesystem"]);
  });
  it("no printer for unknown resources", () => {
    expect(getPrinter("example.com", "widgets")).toBeUndefined();
  });
});
