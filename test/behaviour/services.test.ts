// Story: a Service in front of test-web. curl from a node reaches both pods
// through the ClusterIP and a NodePort (each pod's access log shows its share);
// when node01's kubelet stops and its pod goes NotReady, the endpoints drop it
// and every request lands on the other pod.

import { afterEach, describe, expect, it } from "vitest";
import type { Endpoints, Service } from "../../src/api/core/v1.ts";
import { GVR } from "../../src/client/interface.ts";
import { type Lab, lab } from "./harness.ts";

let l: Lab | undefined;
afterEach(() => l?.cluster.stop());

const ACCESS = /^\S+ - - \[\d\d\/Nov\/2026:\d\d:\d\d:\d\d \+0000\] "GET \/ HTTP\/1\.1" 200 45$/;

describe("service routing", () => {
  it("balances curl over both pods, and drops a NotReady pod from the endpoints", async () => {
    l = await lab();
    await l.createDeployment("test-web", "httpd", 2);
    await l.advance(30_000);
    // kubectl expose deployment test-web --port=80; kubectl expose deployment test-web --type=NodePort --port=80 --name=test-web-np
    expect((await l.kubectl(["expose", "deployment", "test-web", "--port=80"])).out).toBe("service/test-web exposed\n");
    expect((await l.kubectl(["expose", "deployment", "test-web", "--type=NodePort", "--port=80", "--name=test-web-np"])).out).toBe("service/test-web-np exposed\n");
    await l.advance(2_000);
    const svc = await l.admin.resource<Service>(GVR.services).get("test-web", "default");
    const np = (await l.admin.resource<Service>(GVR.services).get("test-web-np", "default")).spec.ports![0]!.nodePort!;
    const pods = await l.pods();
    const byNode = Object.fromEntries(pods.map((p) => [p.spec.nodeName!, p]));
    const ep = await l.admin.resource<Endpoints>(GVR.endpoints).get("test-web", "default");
    expect(ep.subsets?.[0]?.addresses?.map((a) => a.ip).sort()).toEqual(pods.map((p) => p.status!.podIP!).sort());

    const accessLines = async (pod: string) => {
      const r = await l!.kubectl(["logs", pod]);
      return r.out.split("\n").filter((line) => ACCESS.test(line));
    };
    for (let i = 0; i < 20; i++) expect((await l.run("master", ["curl", "-s", svc.spec.clusterIP!])).out).toBe("<html><body><h1>It works!</h1></body></html>\n");
    for (let i = 0; i < 10; i++) expect((await l.run("node01", ["curl", "-s", `node02:${np}`])).code).toBe(0);
    const a = await accessLines(byNode.node01!.metadata.name!);
    const b = await accessLines(byNode.node02!.metadata.name!);
    expect(a.length + b.length).toBe(30);
    expect(a.length).toBeGreaterThanOrEqual(5);
    expect(b.length).toBeGreaterThanOrEqual(5);
    // From master the requests cross the overlay: httpd sees master's flannel.1 address.
    expect(a[0]).toMatch(/^10\.244\.0\.0 - - /);

    // node01's kubelet stops: after the grace period its pod is Ready=False and leaves the endpoints.
    await l.run("node01", ["systemctl", "stop", "kubelet"]);
    await l.advance(60_000);
    const after = await l.admin.resource<Endpoints>(GVR.endpoints).get("test-web", "default");
    expect(after.subsets?.[0]?.addresses?.map((x) => x.ip)).toEqual([byNode.node02!.status!.podIP]);
    expect(after.subsets?.[0]?.notReadyAddresses?.map((x) => x.ip)).toEqual([byNode.node01!.status!.podIP]);
    for (let i = 0; i < 10; i++) expect((await l.run("master", ["curl", "-s", svc.spec.clusterIP!])).code).toBe(0);
    for (let i = 0; i < 5; i++) expect((await l.run("node02", ["curl", "-s", `localhost:${np}`])).code).toBe(0);
    expect(await accessLines(byNode.node02!.metadata.name!)).toHaveLength(b.length + 15);
    // The node01 pod's container still runs, but gets nothing (and kubectl logs cannot reach a stopped kubelet).
    const logs01 = l.cluster.runtimes.get("node01")!.listContainers().find((c) => c.pod.name === byNode.node01!.metadata.name)!.logs;
    expect(logs01.filter((x) => ACCESS.test(x.text))).toHaveLength(a.length);
  });
});
