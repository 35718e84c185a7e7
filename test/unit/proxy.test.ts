// kube-proxy's routing: Service VIPs and NodePorts to ready endpoints, as the
// node's iptables rules would send them.

import { describe, expect, it } from "vitest";
import type { Node, Service } from "../../src/api/core/v1.ts";
import type { EndpointSlice } from "../../src/api/discovery/v1.ts";
import { APIServer } from "../../src/apiserver/apiserver.ts";
import { inProcessClient } from "../../src/client/inprocess.ts";
import { GVR } from "../../src/client/interface.ts";
import { Host } from "../../src/host/host.ts";
import { startKubeProxy } from "../../src/proxy/server.ts";
import { Activity } from "../../src/utils/activity.ts";
import { FakeClock } from "../../src/utils/clock.ts";
import { seededRand } from "../../src/utils/rand.ts";

async function setup() {
  const clock = new FakeClock();
  const activity = new Activity();
  const api = new APIServer({ clock, rand: seededRand(1) });
  const c = inProcessClient(api, { user: "admin" });
  await c.resource(GVR.namespaces).create({ metadata: { name: "default" } });
  await c.resource<Node>(GVR.nodes).create({
    metadata: { name: "node01" },
    spec: { podCIDR: "10.244.1.0/24" },
    status: { addresses: [{ type: "InternalIP", address: "172.30.1.3" }] },
  } as Node);
  const host = new Host("node01", "172.30.1.3", clock);
  const proxy = startKubeProxy({ client: inProcessClient(api, { user: "system:kube-proxy" }), clock, activity, node: "node01", rand: seededRand(7), host });
  await proxy.synced;
  const settle = () => activity.settle();
  return { clock, c, proxy, host, settle };
}

function service(name: string, spec: Service["spec"]): Service {
  return { metadata: { name, namespace: "default" }, spec };
}

function slice(svc: string, eps: { ip: string; ready?: boolean; node?: string; terminating?: boolean; serving?: boolean }[], port = 80, portName?: string): EndpointSlice {
  return {
    metadata: { name: `${svc}-abcde`, namespace: "default", labels: { "kubernetes.io/service-name": svc } },
    addressType: "IPv4",
    ports: [{ name: portName ?? "", port, protocol: "TCP" }],
    endpoints: eps.map((e) => ({
      addresses: [e.ip],
      nodeName: e.node ?? "node01",
      conditions: { ready: e.ready ?? true, serving: e.serving ?? e.ready ?? true, terminating: e.terminating ?? false },
    })),
  };
}

describe("kube-proxy", () => {
  it("forwards a ClusterIP:port to a ready endpoint, balancing between replicas", async () => {
    const { c, proxy, host, settle } = await setup();
    await c.resource<Service>(GVR.services).create(service("web", { clusterIP: "10.96.0.50", ports: [{ port: 8080, targetPort: 80, protocol: "TCP" }] }));
    await c.resource<EndpointSlice>(GVR.endpointslices).create(slice("web", [{ ip: "10.244.1.5" }, { ip: "10.244.2.7", node: "node02" }, { ip: "10.244.2.8", ready: false }]));
    await settle();
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const r = proxy.route("10.96.0.50", 8080);
      expect(r?.verdict).toBe("forward");
      if (r?.verdict === "forward") seen.add(`${r.podIP}:${r.port}`);
    }
    expect([...seen].sort()).toEqual(["10.244.1.5:80", "10.244.2.7:80"]);
    // Installed on the node for curl; other ports and protocols are not Service traffic.
    expect(host.serviceRules?.route("10.96.0.50", 8080)?.verdict).toBe("forward");
    expect(proxy.route("10.96.0.50", 80)).toBeUndefined();
    expect(proxy.route("10.96.0.50", 8080, "UDP")).toBeUndefined();
  });

  it("rejects when a Service has no ready endpoints and falls back to serving terminating ones", async () => {
    const { c, proxy, settle } = await setup();
    await c.resource<Service>(GVR.services).create(service("web", { clusterIP: "10.96.0.50", ports: [{ port: 80 }] }));
    await settle();
    expect(proxy.route("10.96.0.50", 80)).toEqual({ verdict: "reject", service: "default/web" });
    await c.resource<EndpointSlice>(GVR.endpointslices).create(slice("web", [{ ip: "10.244.1.5", ready: false, serving: true, terminating: true }]));
    await settle();
    expect(proxy.route("10.96.0.50", 80)).toEqual({ verdict: "forward", podIP: "10.244.1.5", port: 80, service: "default/web" });
    await c.resource(GVR.endpointslices).delete("web-abcde", "default");
    await settle();
    expect(proxy.route("10.96.0.50", 80)?.verdict).toBe("reject");
  });

  it("answers NodePorts on the node's own IPs and localhost only", async () => {
    const { c, proxy, settle } = await setup();
    await c.resource<Service>(GVR.services).create(
      service("web", { type: "NodePort", clusterIP: "10.96.0.51", ports: [{ name: "http", port: 80, nodePort: 30080 }] }),
    );
    await c.resource<EndpointSlice>(GVR.endpointslices).create(slice("web", [{ ip: "10.244.1.5" }], 80, "http"));
    await settle();
    expect(proxy.route("172.30.1.3", 30080)).toMatchObject({ verdict: "forward", podIP: "10.244.1.5", port: 80 });
    expect(proxy.route("127.0.0.1", 30080)).toMatchObject({ verdict: "forward" });
    expect(proxy.route("172.30.1.4", 30080)).toBeUndefined();
  });

  it("keeps a client on one endpoint with sessionAffinity: ClientIP until the timeout", async () => {
    const { c, proxy, clock, settle } = await setup();
    await c.resource<Service>(GVR.services).create(
      service("web", { clusterIP: "10.96.0.52", sessionAffinity: "ClientIP", sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } }, ports: [{ port: 80 }] }),
    );
    await c.resource<EndpointSlice>(GVR.endpointslices).create(slice("web", [1, 2, 3, 4, 5].map((i) => ({ ip: `10.244.1.${i}` }))));
    await settle();
    const first = proxy.route("10.96.0.52", 80, "TCP", { clientIP: "172.30.1.3" });
    for (let i = 0; i < 10; i++) expect(proxy.route("10.96.0.52", 80, "TCP", { clientIP: "172.30.1.3" })).toEqual(first);
    await clock.advance(61_000, settle);
    const after = new Set<string>();
    for (let i = 0; i < 10; i++) {
      await clock.advance(61_000, settle);
      const r = proxy.route("10.96.0.52", 80, "TCP", { clientIP: "172.30.1.3" });
      if (r?.verdict === "forward") after.add(r.podIP);
    }
    expect(after.size).toBeGreaterThan(1);
  });

  it("drops traffic under a Local policy when no endpoint is on this node", async () => {
    const { c, proxy, settle } = await setup();
    await c.resource<Service>(GVR.services).create(
      service("web", { type: "NodePort", clusterIP: "10.96.0.53", externalTrafficPolicy: "Local", ports: [{ port: 80, nodePort: 30081 }] }),
    );
    await c.resource<EndpointSlice>(GVR.endpointslices).create(slice("web", [{ ip: "10.244.2.5", node: "node02" }]));
    await settle();
    expect(proxy.route("172.30.1.3", 30081)).toEqual({ verdict: "drop", service: "default/web" });
    // ClusterIP traffic is not affected by externalTrafficPolicy.
    expect(proxy.route("10.96.0.53", 80)).toMatchObject({ verdict: "forward", podIP: "10.244.2.5" });
  });

  it("leaves its rules in place when stopped, frozen as they were", async () => {
    const { c, proxy, host, settle } = await setup();
    await c.resource<Service>(GVR.services).create(service("web", { clusterIP: "10.96.0.54", ports: [{ port: 80 }] }));
    await c.resource<EndpointSlice>(GVR.endpointslices).create(slice("web", [{ ip: "10.244.1.5" }]));
    await settle();
    proxy.stop();
    await c.resource(GVR.endpointslices).delete("web-abcde", "default");
    await settle();
    expect(host.serviceRules?.route("10.96.0.54", 80)).toMatchObject({ verdict: "forward", podIP: "10.244.1.5" });
  });
});
