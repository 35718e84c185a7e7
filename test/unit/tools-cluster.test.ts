// The node tools on a full createCluster(): what a learner types on master,
// node01 and node02 after creating a Deployment and a Service.

import { describe, expect, it } from "vitest";
import { createCluster } from "../../src/cluster.ts";
import { GVR } from "../../src/client/interface.ts";
import { nodeTools } from "../../src/host/tools/tools.ts";
import { captureIO } from "../../src/utils/command.ts";
import { FakeClock } from "../../src/utils/clock.ts";

async function setup() {
  const clock = new FakeClock();
  const cluster = await createCluster({ clock, seed: 1 });
  const settle = () => cluster.settle();
  await clock.advance(60_000, settle);
  const run = async (node: string, line: string[]) => {
    const [name, ...argv] = line;
    const io = captureIO();
    const code = await nodeTools[name!]!(argv, io, { cluster, node });
    return { code, out: io.out(), err: io.err() };
  };
  return { clock, cluster, settle, run };
}

describe("node tools on a created cluster", () => {
  it("serves httpd through a NodePort Service from every node, and crictl shows its containers", async () => {
    const { clock, cluster, settle, run } = await setup();
    const admin = cluster.client("kubernetes-admin");
    const labels = { app: "test-web" };
    await admin.resource(GVR.deployments).create(
      {
        metadata: { name: "test-web", namespace: "default" },
        spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: "httpd", image: "httpd" }] } } },
      },
      "default",
    );
    await admin.resource(GVR.services).create(
      { metadata: { name: "test-web", namespace: "default" }, spec: { type: "NodePort", selector: labels, ports: [{ port: 80, targetPort: 80, nodePort: 30080 }] } },
      "default",
    );
    await clock.advance(60_000, settle);
    const svc = await admin.resource(GVR.services).get("test-web", "default");
    const clusterIP = (svc.spec as { clusterIP: string }).clusterIP;
    const itWorks = "<html><body><h1>It works!</h1></body></html>\n";
    expect(await run("master", ["curl", "-s", clusterIP])).toEqual({ code: 0, out: itWorks, err: "" });
    for (const node of ["master", "node01", "node02"]) expect((await run(node, ["curl", "-s", "node01:30080"])).out).toBe(itWorks);
    const pods = await admin.resource(GVR.pods).list("default");
    const ip = (pods.items[0]!.status as { podIP: string }).podIP;
    expect((await run("node02", ["curl", "-s", ip])).out).toBe(itWorks);
    const ps = await run("node01", ["crictl", "ps"]);
    // "About a minute ago" widens CREATED past tabwriter's 20-column minimum.
    expect(ps.out.split("\n")[0]).toBe(
      "CONTAINER           IMAGE               CREATED              STATE               NAME                ATTEMPT             POD ID              POD                         NAMESPACE",
    );
    expect(ps.out).toMatch(/Running +httpd +0 +[0-9a-f]{13} +test-web-[a-z0-9]+-[a-z0-9]{5} +default\n/);
    expect((await run("node01", ["ip", "a", "show", "cni0"])).out).toMatch(/inet 10\.244\.\d\.1\/24 brd 10\.244\.\d\.255 scope global cni0/);
  });

  it("restarts the kubelet with a new PID and lists the store's keys on master", async () => {
    const { clock, settle, run, cluster } = await setup();
    const before = cluster.hosts.get("node01")!.unit("kubelet")!.pid;
    expect(await run("node01", ["systemctl", "restart", "kubelet"])).toEqual({ code: 0, out: "", err: "" });
    await clock.advance(5000, settle);
    const status = await run("node01", ["systemctl", "status", "kubelet"]);
    expect(status.code).toBe(0);
    expect(status.out).toContain(`Main PID: ${cluster.hosts.get("node01")!.unit("kubelet")!.pid} (kubelet)`);
    expect(cluster.hosts.get("node01")!.unit("kubelet")!.pid).not.toBe(before);
    const keys = await run("master", [
      "etcdctl",
      "--endpoints=https://127.0.0.1:2379",
      "--cacert=/etc/kubernetes/pki/etcd/ca.crt",
      "--cert=/etc/kubernetes/pki/etcd/server.crt",
      "--key=/etc/kubernetes/pki/etcd/server.key",
      "get",
      "/registry/minions",
      "--prefix",
      "--keys-only",
    ]);
    expect(keys.out).toBe("/registry/minions/master\n\n/registry/minions/node01\n\n/registry/minions/node02\n\n");
  });
});
