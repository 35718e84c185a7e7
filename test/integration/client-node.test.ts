// The official JavaScript client (@kubernetes/client-node) against the
// emulated cluster over HTTPS, with the generated CA and a bearer token:
// list, watch, create, patch (merge and strategic) and delete, as a program
// written against a real cluster would.

import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClusterRegistry, type RunningApiServer, startApiServerHttps } from "../../src/apiserver/server.ts";
import { createCA, DEFAULT_SERVING_HOSTS, issueServingCert } from "../../src/apiserver/tls.ts";
import { GVR } from "../../src/client/interface.ts";
import { writeKubeconfig } from "../../src/client/kubeconfig.ts";
import { type Cluster, createCluster } from "../../src/cluster.ts";
import { FakeClock } from "../../src/utils/clock.ts";

interface Seen {
  type: string;
  name: string;
  phase?: string;
  node?: string;
}

describe("@kubernetes/client-node against the HTTPS apiserver", () => {
  let server: RunningApiServer;
  let cluster: Cluster;
  let clock: FakeClock;
  let kc: k8s.KubeConfig;
  const token = "tok-client-node-0123456789abcdef";

  beforeAll(async () => {
    clock = new FakeClock();
    cluster = await createCluster({ clock, seed: 9 });
    await clock.advance(60_000, () => cluster.settle());
    const now = Date.now();
    const ca = createCA({ wallClockMs: now });
    const cert = issueServingCert(ca, DEFAULT_SERVING_HOSTS, { wallClockMs: now });
    const clusters = new ClusterRegistry();
    clusters.add("lab", cluster.api, token);
    server = await startApiServerHttps({ host: "127.0.0.1", port: 0, clusters, cert });
    kc = new k8s.KubeConfig();
    kc.loadFromString(writeKubeconfig({ server: `${server.url}/clusters/lab`, caPem: ca.certPem, token }));
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    cluster?.stop();
  });

  it("lists namespaces and the system pods", async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const namespaces = await core.listNamespace();
    expect(namespaces.items.map((n) => n.metadata?.name)).toEqual(expect.arrayContaining(["default", "kube-system", "kube-public", "kube-node-lease"]));
    const pods = await core.listNamespacedPod({ namespace: "kube-system" });
    const names = pods.items.map((p) => p.metadata?.name ?? "");
    expect(names).toEqual(expect.arrayContaining(["etcd-master", "kube-apiserver-master"]));
    // Dates come back parsed, as the client's serializer expects RFC 3339 timestamps.
    expect(pods.items[0]!.metadata?.creationTimestamp).toBeInstanceOf(Date);
    const missing = await core.readNamespacedPod({ name: "nosuch", namespace: "default" }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(k8s.ApiException);
    expect((missing as k8s.ApiException<string>).code).toBe(404);
    expect(JSON.parse((missing as k8s.ApiException<string>).body)).toMatchObject({ reason: "NotFound", message: 'pods "nosuch" not found' });
  });

  it("watches a pod being added, scheduled and deleted", async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const seen: Seen[] = [];
    let wake: (() => void) | undefined;
    const until = (pred: () => boolean) =>
      new Promise<void>((resolve) => {
        if (pred()) return resolve();
        wake = () => {
          if (pred()) resolve();
        };
      });
    const watch = new k8s.Watch(kc);
    const ended: unknown[] = [];
    const abort = await watch.watch(
      "/api/v1/namespaces/default/pods",
      {},
      (type: string, obj: k8s.V1Pod) => {
        seen.push({ type, name: obj.metadata?.name ?? "", phase: obj.status?.phase, node: obj.spec?.nodeName });
        wake?.();
      },
      (err: unknown) => ended.push(err),
    );

    await core.createNamespacedPod({
      namespace: "default",
      body: { metadata: { name: "watched", labels: { app: "watched" } }, spec: { containers: [{ name: "web", image: "httpd" }] } },
    });
    await until(() => seen.some((e) => e.type === "ADDED" && e.name === "watched"));
    await clock.advance(30_000, () => cluster.settle());
    await until(() => seen.some((e) => e.type === "MODIFIED" && e.name === "watched" && e.phase === "Running"));
    expect(seen.find((e) => e.type === "MODIFIED" && e.node)?.node).toMatch(/^node0[12]$/);

    await core.deleteNamespacedPod({ name: "watched", namespace: "default", gracePeriodSeconds: 0 });
    await clock.advance(5_000, () => cluster.settle());
    await until(() => seen.some((e) => e.type === "DELETED" && e.name === "watched"));
    expect(seen[0]).toMatchObject({ type: "ADDED", name: "watched" });
    expect(seen.at(-1)).toMatchObject({ type: "DELETED", name: "watched" });
    abort.abort();
  });

  it("creates, patches and deletes a deployment", async () => {
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const created = await apps.createNamespacedDeployment({
      namespace: "default",
      body: {
        metadata: { name: "web", labels: { app: "web" } },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: "web" } },
          template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "httpd:2.4" }] } },
        },
      },
    });
    expect(created.metadata?.uid).toBeTruthy();
    expect(created.spec?.strategy?.type).toBe("RollingUpdate");
    await clock.advance(30_000, () => cluster.settle());

    // Merge patch: replicas.
    const merged = await apps.patchNamespacedDeployment(
      { name: "web", namespace: "default", body: { spec: { replicas: 2 } } },
      k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch),
    );
    expect(merged.spec?.replicas).toBe(2);

    // Strategic merge patch: the container list merges by name, so the image changes and nothing else is lost.
    const strategic = await apps.patchNamespacedDeployment(
      { name: "web", namespace: "default", body: { spec: { template: { spec: { containers: [{ name: "web", image: "httpd:2.4.62" }] } } } } },
      k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.StrategicMergePatch),
    );
    expect(strategic.spec?.template.spec?.containers.map((c) => [c.name, c.image, c.imagePullPolicy])).toEqual([["web", "httpd:2.4.62", "IfNotPresent"]]);

    // JSON patch, the client's default content type.
    const json = await apps.patchNamespacedDeployment({ name: "web", namespace: "default", body: [{ op: "replace", path: "/spec/replicas", value: 3 }] });
    expect(json.spec?.replicas).toBe(3);

    await clock.advance(30_000, () => cluster.settle());
    const status = await apps.readNamespacedDeploymentStatus({ name: "web", namespace: "default" });
    expect(status.status?.replicas).toBe(3);

    await apps.deleteNamespacedDeployment({ name: "web", namespace: "default" });
    await clock.advance(30_000, () => cluster.settle());
    const left = await cluster.client("test").resource(GVR.deployments).list("default");
    expect(left.items.map((d) => d.metadata.name)).not.toContain("web");
    const pods = await cluster.client("test").resource(GVR.pods).list("default", { labelSelector: "app=web" });
    expect(pods.items.filter((p) => !p.metadata.deletionTimestamp)).toEqual([]);
  });
});
