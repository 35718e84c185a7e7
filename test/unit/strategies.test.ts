import { beforeEach, describe, expect, it } from "vitest";
import { APIServer } from "../../src/apiserver/apiserver.ts";
import { inProcessClient } from "../../src/client/inprocess.ts";
import { type Client, GVR } from "../../src/client/interface.ts";
import type { KObject } from "../../src/apimachinery/meta.ts";
import type { Pod, Service } from "../../src/api/core/v1.ts";
import type { Deployment } from "../../src/api/apps/v1.ts";
import { FakeClock } from "../../src/utils/clock.ts";
import { seededRand } from "../../src/utils/rand.ts";

let c: Client;
beforeEach(async () => {
  const api = new APIServer({ clock: new FakeClock(), rand: seededRand(3) });
  c = inProcessClient(api, { user: "kubernetes-admin" });
  await c.resource(GVR.namespaces).create({ metadata: { name: "default" } });
});

const pod = (name: string, spec: Record<string, unknown> = {}): KObject => ({ metadata: { name }, spec: { containers: [{ name: "web", image: "nginx" }], ...spec } });
const deploy = (name: string, labels: Record<string, string> = { app: name }, selector: Record<string, string> = { app: name }): KObject => ({
  metadata: { name },
  spec: { selector: { matchLabels: selector }, template: { metadata: { labels }, spec: { containers: [{ name: "httpd", image: "httpd:2.4" }] } } },
});
const svc = (name: string, spec: Record<string, unknown> = {}): KObject => ({ metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec } });

describe("pod defaulting and admission", () => {
  it("fills the defaults a real apiserver adds", async () => {
    const p = (await c.resource(GVR.pods).create(pod("web"), "default")) as Pod;
    const s = p.spec;
    expect(s).toMatchObject({
      restartPolicy: "Always",
      terminationGracePeriodSeconds: 30,
      dnsPolicy: "ClusterFirst",
      schedulerName: "default-scheduler",
      securityContext: {},
      serviceAccountName: "default",
      serviceAccount: "default",
      enableServiceLinks: true,
      priority: 0,
      preemptionPolicy: "PreemptLowerPriority",
    });
    expect(s.containers[0]).toMatchObject({ imagePullPolicy: "Always", terminationMessagePath: "/dev/termination-log", terminationMessagePolicy: "File", resources: {} });
    expect(s.tolerations).toEqual([
      { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
      { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
    ]);
    const vol = s.volumes![0];
    expect(vol.name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(vol.projected).toEqual({
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
        { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
        { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
      ],
    });
    expect(s.containers[0].volumeMounts).toEqual([{ name: vol.name, readOnly: true, mountPath: "/var/run/secrets/kubernetes.io/serviceaccount" }]);
    expect(p.status).toEqual({ phase: "Pending", qosClass: "BestEffort" });
  });

  it("image pull policy follows the tag; qos and system priority classes", async () => {
    const p = (await c.resource(GVR.pods).create(
      pod("p", {
        priorityClassName: "system-node-critical",
        containers: [
          { name: "a", image: "nginx:1.25", resources: { limits: { cpu: "1", memory: "1Gi" } } },
          { name: "b", image: "busybox:latest", resources: { limits: { cpu: "1", memory: "1Gi" } } },
          { name: "c", image: "registry.k8s.io/pause@sha256:abc", resources: { limits: { cpu: "1", memory: "1Gi" } } },
        ],
      }),
      "default",
    )) as Pod;
    expect(p.spec.containers.map((x) => x.imagePullPolicy)).toEqual(["IfNotPresent", "Always", "IfNotPresent"]);
    expect(p.spec.containers[0].resources).toEqual({ limits: { cpu: "1", memory: "1Gi" }, requests: { cpu: "1", memory: "1Gi" } });
    expect(p.status?.qosClass).toBe("Guaranteed");
    expect(p.spec.priority).toBe(2000001000);
  });

  it("refuses unknown priority classes and service accounts", async () => {
    await expect(c.resource(GVR.pods).create(pod("p", { priorityClassName: "gold" }), "default")).rejects.toThrow('pods "p" is forbidden: no PriorityClass with name gold was found');
    await expect(c.resource(GVR.pods).create(pod("p", { serviceAccountName: "robot" }), "default")).rejects.toThrow(
      'pods "p" is forbidden: error looking up service account default/robot: serviceaccount "robot" not found',
    );
  });

  it("validates names and containers with upstream messages", async () => {
    await expect(c.resource(GVR.pods).create(pod("Web"), "default")).rejects.toThrow(
      `Pod "Web" is invalid: metadata.name: Invalid value: "Web": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    );
    await expect(c.resource(GVR.pods).create({ metadata: { name: "p" }, spec: { containers: [] } }, "default")).rejects.toThrow('Pod "p" is invalid: spec.containers: Required value');
    await expect(c.resource(GVR.pods).create({ metadata: { name: "p" }, spec: { containers: [{ name: "a" }] } }, "default")).rejects.toThrow(
      'Pod "p" is invalid: spec.containers[0].image: Required value',
    );
    await expect(c.resource(GVR.pods).create(pod("p", { restartPolicy: "Sometimes" }), "default")).rejects.toThrow(
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "Never", "OnFailure"',
    );
  });

  it("pod spec is immutable except images", async () => {
    const p = (await c.resource(GVR.pods).create(pod("web"), "default")) as Pod;
    const img = structuredClone(p);
    img.spec.containers[0].image = "nginx:1.25";
    const updated = (await c.resource(GVR.pods).update(img)) as Pod;
    expect(updated.spec.containers[0].image).toBe("nginx:1.25");
    const bad = structuredClone(updated);
    bad.spec.restartPolicy = "Never";
    await expect(c.resource(GVR.pods).update(bad)).rejects.toThrow(
      'Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n  core.PodSpec{',
    );
  });
});

describe("workload defaulting and validation", () => {
  it("deployment defaults", async () => {
    const d = (await c.resource(GVR.deployments).create(deploy("web"), "default")) as Deployment;
    expect(d.spec).toMatchObject({
      replicas: 1,
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    });
    expect(d.spec.template.metadata?.creationTimestamp).toBeNull();
    expect(d.spec.template.spec).toMatchObject({ restartPolicy: "Always", dnsPolicy: "ClusterFirst", terminationGracePeriodSeconds: 30, schedulerName: "default-scheduler" });
    expect(d.spec.template.spec.containers[0].imagePullPolicy).toBe("IfNotPresent");
    expect(d.spec.template.spec.serviceAccountName).toBeUndefined();
    expect(d.metadata.generation).toBe(1);
  });

  it("selector must match template labels; replicas non-negative", async () => {
    await expect(c.resource(GVR.deployments).create(deploy("x", { app: "x" }, { app: "y" }), "default")).rejects.toThrow(
      'Deployment.apps "x" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`',
    );
    const neg = deploy("n");
    (neg.spec as { replicas: number }).replicas = -1;
    await expect(c.resource(GVR.deployments).create(neg, "default")).rejects.toThrow("spec.replicas: Invalid value: -1: must be greater than or equal to 0");
    const nosel = deploy("s");
    delete (nosel.spec as { selector?: unknown }).selector;
    await expect(c.resource(GVR.deployments).create(nosel, "default")).rejects.toThrow('Deployment.apps "s" is invalid: spec.selector: Required value');
  });

  it("deployment spec.selector is immutable", async () => {
    const d = (await c.resource(GVR.deployments).create(deploy("web"), "default")) as Deployment;
    const next = structuredClone(d);
    next.spec.selector = { matchLabels: { app: "web2" } };
    next.spec.template.metadata!.labels = { app: "web2" };
    await expect(c.resource(GVR.deployments).update(next)).rejects.toThrow(
      'Deployment.apps "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    );
  });

  it("daemonset, statefulset and job defaults", async () => {
    const ds = await c.resource(GVR.daemonsets).create(deploy("agent"), "default");
    expect(ds.spec).toMatchObject({ updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, revisionHistoryLimit: 10 });
    const sts = await c.resource(GVR.statefulsets).create(deploy("db"), "default");
    expect(sts.spec).toMatchObject({ replicas: 1, podManagementPolicy: "OrderedReady", updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } } });
    const job = await c.resource(GVR.jobs).create(
      { metadata: { name: "pi" }, spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "pi", image: "perl" }] } } } },
      "default",
    );
    const uid = job.metadata.uid!;
    expect(job.spec).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 6, selector: { matchLabels: { "batch.kubernetes.io/controller-uid": uid } } });
    expect((job.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels).toMatchObject({ "job-name": "pi", "controller-uid": uid });
  });
});

describe("services", () => {
  it("defaults and allocates a ClusterIP from 10.96.0.0/12", async () => {
    const s = (await c.resource(GVR.services).create(svc("web"), "default")) as Service;
    expect(s.spec).toMatchObject({
      type: "ClusterIP",
      sessionAffinity: "None",
      ipFamilies: ["IPv4"],
      ipFamilyPolicy: "SingleStack",
      internalTrafficPolicy: "Cluster",
      ports: [{ port: 80, protocol: "TCP", targetPort: 80 }],
    });
    const ip = s.spec.clusterIP!;
    expect(s.spec.clusterIPs).toEqual([ip]);
    const [a, b] = ip.split(".").map(Number);
    expect(a).toBe(10);
    expect(b >= 96 && b <= 111).toBe(true);
    expect(ip.startsWith("10.96.0.")).toBe(false); // the static band is left for requested IPs
  });

  it("honours a requested IP, refuses it twice, frees it on delete", async () => {
    const dns = (await c.resource(GVR.services).create(svc("kube-dns", { clusterIP: "10.96.0.10" }), "default")) as Service;
    expect(dns.spec.clusterIPs).toEqual(["10.96.0.10"]);
    await expect(c.resource(GVR.services).create(svc("other", { clusterIP: "10.96.0.10" }), "default")).rejects.toThrow(
      'Service "other" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated',
    );
    await expect(c.resource(GVR.services).create(svc("far", { clusterIP: "10.0.0.1" }), "default")).rejects.toThrow(
      "failed to allocate IP 10.0.0.1: the provided IP (10.0.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12",
    );
    await c.resource(GVR.services).delete("kube-dns", "default");
    const again = (await c.resource(GVR.services).create(svc("other", { clusterIP: "10.96.0.10" }), "default")) as Service;
    expect(again.spec.clusterIP).toBe("10.96.0.10");
  });

  it("allocates node ports in 30000-32767 and refuses duplicates", async () => {
    const np = (await c.resource(GVR.services).create(svc("web", { type: "NodePort" }), "default")) as Service;
    const port = np.spec.ports![0].nodePort!;
    expect(port >= 30000 && port <= 32767).toBe(true);
    expect(np.spec.externalTrafficPolicy).toBe("Cluster");
    await expect(c.resource(GVR.services).create(svc("web2", { type: "NodePort", ports: [{ port: 80, nodePort: port }] }), "default")).rejects.toThrow(
      `Service "web2" is invalid: spec.ports[0].nodePort: Invalid value: ${port}: provided port is already allocated`,
    );
    await expect(c.resource(GVR.services).create(svc("web3", { type: "NodePort", ports: [{ port: 80, nodePort: 80 }] }), "default")).rejects.toThrow(
      "spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767",
    );
    // An update that omits clusterIP and nodePort keeps them.
    const upd = structuredClone(np);
    delete upd.spec.clusterIP;
    delete upd.spec.clusterIPs;
    delete upd.spec.ports![0].nodePort;
    upd.spec.selector = { app: "other" };
    const after = (await c.resource(GVR.services).update(upd)) as Service;
    expect(after.spec.clusterIP).toBe(np.spec.clusterIP);
    expect(after.spec.ports![0].nodePort).toBe(port);
  });

  it("service names are DNS-1035 labels", async () => {
    await expect(c.resource(GVR.services).create(svc("1web"), "default")).rejects.toThrow(
      `Service "1web" is invalid: metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    );
  });
});

describe("namespaces, secrets, field selectors", () => {
  it("namespace defaults and DNS-1123 label names", async () => {
    const ns = await c.resource(GVR.namespaces).create({ metadata: { name: "dev" } });
    expect(ns.metadata.labels).toEqual({ "kubernetes.io/metadata.name": "dev" });
    expect(ns.spec).toEqual({ finalizers: ["kubernetes"] });
    expect(ns.status).toEqual({ phase: "Active" });
    await expect(c.resource(GVR.namespaces).create({ metadata: { name: "a.b" } })).rejects.toThrow(
      `Namespace "a.b" is invalid: metadata.name: Invalid value: "a.b": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    );
    expect((await c.resource(GVR.namespaces).list(undefined, { fieldSelector: "status.phase=Active" })).items.length).toBe(2);
  });

  it("secret type Opaque, stringData folded into data, type field selector", async () => {
    const s = await c.resource(GVR.secrets).create({ metadata: { name: "s" }, stringData: { user: "admin" } }, "default");
    expect(s).toMatchObject({ type: "Opaque", data: { user: "YWRtaW4=" } });
    expect(s.stringData).toBeUndefined();
    expect((await c.resource(GVR.secrets).list("default", { fieldSelector: "type=Opaque" })).items.map((x) => x.metadata.name)).toEqual(["s"]);
  });

  it("nodes select on spec.unschedulable; rbac names may hold colons", async () => {
    await c.resource(GVR.nodes).create({ metadata: { name: "node01" }, spec: { unschedulable: true } });
    expect((await c.resource(GVR.nodes).list(undefined, { fieldSelector: "spec.unschedulable=true" })).items.length).toBe(1);
    const cr = { group: "rbac.authorization.k8s.io", version: "v1", resource: "clusterroles" };
    await c.resource(cr).create({ metadata: { name: "system:node" }, rules: [] });
  });

  it("label values are validated", async () => {
    await expect(c.resource(GVR.configmaps).create({ metadata: { name: "cm", labels: { app: "bad value" } } }, "default")).rejects.toThrow(
      `ConfigMap "cm" is invalid: metadata.labels: Invalid value: "bad value": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    );
  });
});
