// ip, curl, crictl and etcdctl on a node of a hand-built cluster: flannel's
// interfaces on each Host, pods in each node's containerd, kube-proxy's rules.

import { describe, expect, it } from "vitest";
import type { Service } from "../../src/api/core/v1.ts";
import type { EndpointSlice } from "../../src/api/discovery/v1.ts";
import { GVR } from "../../src/client/interface.ts";
import type { ContainerRuntime } from "../../src/cri/runtime.ts";
import { startKubeProxy } from "../../src/proxy/server.ts";
import { seededRand } from "../../src/utils/rand.ts";
import { toolCluster } from "./tools-harness.ts";

const SUBNETS: Record<string, string> = { master: "10.244.0", node01: "10.244.1", node02: "10.244.2" };

async function pull(t: ReturnType<typeof toolCluster>, rt: ContainerRuntime, image: string) {
  rt.pullImage(image, () => {});
  await t.clock.advance(20_000);
}

async function runPod(t: ReturnType<typeof toolCluster>, node: string, name: string, image: string, ip: string) {
  const rt = t.runtimes.get(node)!;
  if (!rt.images.get(image)) await pull(t, rt, image);
  const sb = rt.runPodSandbox({ uid: `uid-${name}`, name, namespace: "default" }, ip, false);
  const c = rt.createContainer(sb.id, { name: image.split(":")[0]!, image }, 0);
  rt.startContainer(c.id);
  const h = t.hosts.get(node)!;
  h.setInterface({ name: `veth${sb.id.slice(0, 8)}@if2`, mtu: 1450, mac: "aa:bb:cc:00:11:22", state: "UP", owner: "cni" });
  return { sb, c };
}

async function lab() {
  const t = toolCluster();
  for (const [name, h] of t.hosts) {
    const s = SUBNETS[name]!;
    h.setInterface({ name: "flannel.1", cidr: `${s}.0/32`, mtu: 1450, mac: "6e:2c:3e:8f:5a:11", state: "UNKNOWN", owner: "flannel" });
    h.setInterface({ name: "cni0", cidr: `${s}.1/24`, mtu: 1450, mac: "5a:3f:1c:22:9b:01", state: "UP", owner: "cni" });
    h.start("containerd");
    h.start("kubelet");
  }
  const admin = t.cluster.client("admin");
  await admin.resource(GVR.namespaces).create({ metadata: { name: "default" } });
  for (const [name, h] of t.hosts) {
    await admin.resource(GVR.nodes).create({ metadata: { name }, spec: { podCIDR: `${SUBNETS[name]}.0/24` }, status: { addresses: [{ type: "InternalIP", address: h.ip }] } });
    startKubeProxy({ client: t.cluster.client("system:kube-proxy"), clock: t.clock, activity: t.activity, node: name, rand: seededRand(3), host: h });
  }
  await t.settle();
  return { t, admin };
}

async function service(admin: ReturnType<ReturnType<typeof toolCluster>["cluster"]["client"]>, name: string, spec: Service["spec"], ips: { ip: string; node: string }[]) {
  await admin.resource<Service>(GVR.services).create({ metadata: { name, namespace: "default" }, spec }, "default");
  await admin.resource<EndpointSlice>(GVR.endpointslices).create(
    {
      metadata: { name: `${name}-x7k2p`, namespace: "default", labels: { "kubernetes.io/service-name": name } },
      addressType: "IPv4",
      ports: [{ name: "", port: 80, protocol: "TCP" }],
      endpoints: ips.map((e) => ({ addresses: [e.ip], nodeName: e.node, conditions: { ready: true, serving: true, terminating: false } })),
    },
    "default",
  );
}

describe("ip", () => {
  it("shows lo, eth0, flannel.1, cni0 and a pod veth in iproute2's layout", async () => {
    const { t } = await lab();
    const { sb } = await runPod(t, "node01", "web-1", "httpd", "10.244.1.2");
    const r = await t.run("node01", ["ip", "addr"]);
    const veth = `veth${sb.id.slice(0, 8)}`;
    const lines = r.out.split("\n");
    expect(lines.slice(0, 12)).toEqual([
      "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000",
      "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00",
      "    inet 127.0.0.1/8 scope host lo",
      "       valid_lft forever preferred_lft forever",
      "    inet6 ::1/128 scope host ",
      "       valid_lft forever preferred_lft forever",
      expect.stringMatching(/^2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000$/),
      expect.stringMatching(/^    link\/ether 02(:[0-9a-f]{2}){5} brd ff:ff:ff:ff:ff:ff$/),
      "    inet 172.30.2.2/24 brd 172.30.2.255 scope global eth0",
      "       valid_lft forever preferred_lft forever",
      expect.stringMatching(/^    inet6 fe80::[0-9a-f:]+\/64 scope link $/),
      "       valid_lft forever preferred_lft forever",
    ]);
    expect(lines.slice(12)).toEqual([
      "3: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN group default ",
      "    link/ether 6e:2c:3e:8f:5a:11 brd ff:ff:ff:ff:ff:ff",
      "    inet 10.244.1.0/32 scope global flannel.1",
      "       valid_lft forever preferred_lft forever",
      "    inet6 fe80::6c2c:3eff:fe8f:5a11/64 scope link ",
      "       valid_lft forever preferred_lft forever",
      "4: cni0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP group default qlen 1000",
      "    link/ether 5a:3f:1c:22:9b:01 brd ff:ff:ff:ff:ff:ff",
      "    inet 10.244.1.1/24 brd 10.244.1.255 scope global cni0",
      "       valid_lft forever preferred_lft forever",
      "    inet6 fe80::583f:1cff:fe22:9b01/64 scope link ",
      "       valid_lft forever preferred_lft forever",
      `5: ${veth}@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue master cni0 state UP group default `,
      expect.stringMatching(/^    link\/ether aa:bb:cc:00:11:22 brd ff:ff:ff:ff:ff:ff link-netns cni-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      "    inet6 fe80::a8bb:ccff:fe00:1122/64 scope link ",
      "       valid_lft forever preferred_lft forever",
      "",
    ]);
    expect((await t.run("node01", ["ip", "-4", "a", "show", "flannel.1"])).out).toBe(
      "3: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN group default \n    inet 10.244.1.0/32 scope global flannel.1\n       valid_lft forever preferred_lft forever\n",
    );
    expect(await t.run("node01", ["ip", "a", "show", "docker0"])).toEqual({ code: 1, out: "", err: 'Device "docker0" does not exist.\n' });
  });

  it("routes the other nodes' pod subnets through flannel.1", async () => {
    const { t } = await lab();
    expect((await t.run("node01", ["ip", "route"])).out).toBe(
      [
        "default via 172.30.2.1 dev eth0 proto static ",
        "10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink ",
        "10.244.1.0/24 dev cni0 proto kernel scope link src 10.244.1.1 linkdown ",
        "10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink ",
        "172.30.2.0/24 dev eth0 proto kernel scope link src 172.30.2.2 ",
        "",
      ].join("\n"),
    );
  });
});

describe("curl", () => {
  it("reaches httpd by pod IP, through a ClusterIP and a NodePort on any node", async () => {
    const { t, admin } = await lab();
    await runPod(t, "node01", "web-1", "httpd", "10.244.1.2");
    await runPod(t, "node02", "web-2", "httpd", "10.244.2.2");
    await service(admin, "test-web", { type: "NodePort", clusterIP: "10.96.120.15", ports: [{ port: 80, nodePort: 30080, protocol: "TCP" }] }, [
      { ip: "10.244.1.2", node: "node01" },
      { ip: "10.244.2.2", node: "node02" },
    ]);
    await t.settle();
    const itWorks = "<html><body><h1>It works!</h1></body></html>\n";
    expect(await t.run("master", ["curl", "-s", "10.244.2.2"])).toEqual({ code: 0, out: itWorks, err: "" });
    expect(await t.run("master", ["curl", "-s", "http://10.96.120.15"])).toEqual({ code: 0, out: itWorks, err: "" });
    expect(await t.run("master", ["curl", "-s", "172.30.2.3:30080"])).toEqual({ code: 0, out: itWorks, err: "" });
    expect(await t.run("node01", ["curl", "-s", "node02:30080"])).toEqual({ code: 0, out: itWorks, err: "" });
    expect((await t.run("master", ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}\\n", "10.96.120.15/nope"])).out).toBe("404\n");
  });

  it("prints headers with -I and the progress meter when piped", async () => {
    const { t } = await lab();
    await runPod(t, "node01", "web-1", "nginx", "10.244.1.3");
    const head = await t.run("node01", ["curl", "-sI", "10.244.1.3"]);
    expect(head.out).toBe(
      "HTTP/1.1 200 OK\r\nServer: nginx/1.29.3\r\nDate: Wed, 25 Nov 2026 09:00:20 GMT\r\nContent-Type: text/html\r\nContent-Length: 615\r\nLast-Modified: Tue, 28 Oct 2025 12:05:10 GMT\r\nConnection: keep-alive\r\nETag: \"6900b176-267\"\r\nAccept-Ranges: bytes\r\n\r\n",
    );
    const piped = await t.run("node01", ["curl", "10.244.1.3"]);
    expect(piped.out).toContain("<h1>Welcome to nginx!</h1>");
    expect(piped.err).toBe(
      "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n" +
        "                                 Dload  Upload   Total   Spent    Left  Speed\n" +
        "100   615  100   615    0     0   600k      0 --:--:-- --:--:-- --:--:--  600k\n",
    );
  });

  it("fails like curl: refused, no endpoints, unknown names, unreachable and timed-out addresses", async () => {
    const { t, admin } = await lab();
    await runPod(t, "node01", "web-1", "httpd", "10.244.1.2");
    await service(admin, "empty", { clusterIP: "10.96.0.77", ports: [{ port: 80, protocol: "TCP" }] }, []);
    await t.settle();
    expect(await t.run("master", ["curl", "-s", "10.244.1.2:8080"])).toEqual({ code: 7, out: "", err: "" });
    expect(await t.run("master", ["curl", "10.244.1.2:8080"])).toMatchObject({
      code: 7,
      err: expect.stringMatching(/curl: \(7\) Failed to connect to 10\.244\.1\.2 port 8080 after 0 ms: Couldn't connect to server\n$/),
    });
    expect((await t.run("master", ["curl", "-sS", "10.96.0.77"])).err).toBe("curl: (7) Failed to connect to 10.96.0.77 port 80 after 0 ms: Couldn't connect to server\n");
    // A node resolves names with its own resolver: cluster DNS names are unknown there.
    expect(await t.run("node01", ["curl", "-sS", "test-web"])).toEqual({ code: 6, out: "", err: "curl: (6) Could not resolve host: test-web\n" });
    expect((await t.run("node01", ["curl", "-sS", "empty.default.svc.cluster.local"])).code).toBe(6);

    // No sandbox has 10.244.2.9: the bridge's ARP goes unanswered for about 3 s.
    const unreachable = t.run("master", ["curl", "-sS", "10.244.2.9"]);
    await t.clock.advance(4000, t.settle);
    expect(await unreachable).toEqual({ code: 7, out: "", err: "curl: (7) Failed to connect to 10.244.2.9 port 80 after 3071 ms: Couldn't connect to server\n" });
    const timeout = t.run("master", ["curl", "-sS", "--connect-timeout", "2", "10.96.99.99"]);
    await t.clock.advance(3000, t.settle);
    expect(await timeout).toEqual({ code: 28, out: "", err: "curl: (28) Failed to connect to 10.96.99.99 port 80 after 2001 ms: Timeout was reached\n" });
  });

  it("resolves service names through CoreDNS's search path inside a pod", async () => {
    const { t, admin } = await lab();
    await runPod(t, "node02", "web-2", "httpd", "10.244.2.2");
    await service(admin, "test-web", { clusterIP: "10.96.120.15", ports: [{ port: 80, protocol: "TCP" }] }, [{ ip: "10.244.2.2", node: "node02" }]);
    await t.settle();
    const pod = { namespace: "default", ip: "10.244.1.7" };
    for (const name of ["test-web", "test-web.default", "test-web.default.svc.cluster.local"]) {
      expect((await t.run("node01", ["curl", "-s", name], { pod })).out).toBe("<html><body><h1>It works!</h1></body></html>\n");
    }
  });

  it("talks to the apiserver on the control plane's 6443", async () => {
    const { t } = await lab();
    expect((await t.run("node01", ["curl", "-sk", "https://172.30.1.2:6443/healthz"])).out).toBe("ok");
    expect((await t.run("node01", ["curl", "-s", "http://172.30.1.2:6443/"])).out).toBe("Client sent an HTTP request to an HTTPS server.\n");
    expect((await t.run("node01", ["curl", "-sS", "https://172.30.1.2:6443/"])).code).toBe(60);
    expect((await t.run("node01", ["curl", "-sS", "172.30.2.3:6443"])).code).toBe(7);
  });
});

describe("crictl", () => {
  it("lists containers, pods and images in crictl 1.32's layout", async () => {
    const { t } = await lab();
    const { sb, c } = await runPod(t, "node01", "test-web-7c7cd49dbf-x2k9q", "httpd", "10.244.1.2");
    await t.clock.advance(125_000);
    const r = await t.run("node01", ["crictl", "ps"]);
    expect(r.out).toBe(
      "CONTAINER           IMAGE               CREATED             STATE               NAME                ATTEMPT             POD ID              POD                         NAMESPACE\n" +
        `${c.id.slice(0, 13)}       ${c.imageId.slice(7, 20)}       2 minutes ago       Running             httpd               0                   ${sb.id.slice(0, 13)}       test-web-7c7cd49dbf-x2k9q   default\n`,
    );
    expect((await t.run("node01", ["crictl", "pods"])).out).toBe(
      "POD ID              CREATED             STATE               NAME                        NAMESPACE           ATTEMPT             RUNTIME\n" +
        `${sb.id.slice(0, 13)}       2 minutes ago       Ready               test-web-7c7cd49dbf-x2k9q   default             0                   (default)\n`,
    );
    expect((await t.run("node01", ["crictl", "images"])).out).toBe(
      "IMAGE                     TAG                 IMAGE ID            SIZE\n" + `docker.io/library/httpd   latest              ${c.imageId.slice(7, 20)}       58.4MB\n`,
    );
    expect((await t.run("node02", ["crictl", "ps"])).out).toBe(
      "CONTAINER           IMAGE               CREATED             STATE               NAME                ATTEMPT             POD ID              POD                 NAMESPACE\n",
    );
  });

  it("fails as crictl does when containerd is down", async () => {
    const { t } = await lab();
    t.runtimes.get("node01")!.serving = false;
    const r = await t.run("node01", ["crictl", "ps"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('level=fatal msg="validate service connection: validate CRI v1 runtime API for endpoint \\"unix:///run/containerd/containerd.sock\\"');
  });
});

describe("etcdctl", () => {
  const certs = ["--endpoints=https://127.0.0.1:2379", "--cacert=/etc/kubernetes/pki/etcd/ca.crt", "--cert=/etc/kubernetes/pki/etcd/server.crt", "--key=/etc/kubernetes/pki/etcd/server.key"];

  it("lists keys under /registry on the control plane and prints values as JSON", async () => {
    const { t } = await lab();
    const keys = await t.run("master", ["etcdctl", ...certs, "get", "/registry", "--prefix", "--keys-only"]);
    expect(keys.code).toBe(0);
    expect(keys.out).toBe("/registry/minions/master\n\n/registry/minions/node01\n\n/registry/minions/node02\n\n/registry/namespaces/default\n\n");
    const one = await t.run("master", ["etcdctl", ...certs, "get", "/registry/namespaces/default"]);
    const [key, value] = one.out.split("\n");
    expect(key).toBe("/registry/namespaces/default");
    expect(JSON.parse(value!)).toMatchObject({ metadata: { name: "default" } });
  });

  it("times out without client certificates, and has no certificates on a worker", async () => {
    const { t } = await lab();
    const run = t.run("master", ["etcdctl", "get", "/registry", "--prefix", "--keys-only"]);
    await t.clock.advance(6000, t.settle);
    const r = await run;
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/"msg":"retrying of unary invoker failed".*\nError: context deadline exceeded\n$/);
    expect(await t.run("node01", ["etcdctl", ...certs, "get", "/registry", "--prefix"])).toEqual({
      code: 1,
      out: "",
      err: "Error: open /etc/kubernetes/pki/etcd/ca.crt: no such file or directory\n",
    });
  });
});
