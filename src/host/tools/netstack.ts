// A node's network as its kernel sees it, for `ip` and `curl`: the interfaces
// (lo and eth0, plus flannel.1, cni0 and pod veths that flannel and the CNI
// plugin put on the Host), the routing table flannel implies, name
// resolution (/etc/hosts on a node; CoreDNS with a search path inside a pod),
// and what a TCP connect to ip:port meets: kube-proxy's rules first, then a
// listening socket on a node or in a pod sandbox, a RST, an unanswered ARP,
// or silence. Leaves out: IPv6 traffic, MTU, conntrack, NetworkPolicy.

import type { Pod, Service } from "../../api/core/v1.ts";
import type { ContainerRuntime } from "../../cri/runtime.ts";
import type { EndpointSlice } from "../../api/discovery/v1.ts";
import { GVR } from "../../client/interface.ts";
import type { Host } from "../host.ts";
import { hostOf, type NodeToolContext, runtimeOf } from "./context.ts";
import { containerListeners, hostListeners, type Listener } from "./servers.ts";

export interface Iface {
  index: number;
  name: string;
  flags: string[];
  mtu: number;
  qdisc: string;
  master?: string;
  state: "UP" | "DOWN" | "UNKNOWN";
  qlen?: number;
  mac: string;
  loopback: boolean;
  inet?: { cidr: string; brd?: string; scope: "host" | "global" };
  inet6: string;
  linkNetns?: string;
}

const POD_CIDR = "10.244.0.0/16";

export function ipToInt(ip: string): number {
  return ip.split(".").reduce((a, o) => a * 256 + Number(o), 0);
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
}

export function inCidr(ip: string, cidr: string): boolean {
  const [base, len] = cidr.split("/");
  const size = 2 ** (32 - Number(len));
  const start = Math.floor(ipToInt(base!) / size) * size;
  const v = ipToInt(ip);
  return v >= start && v < start + size;
}

function broadcast(cidr: string): string {
  const [base, len] = cidr.split("/");
  const size = 2 ** (32 - Number(len));
  return intToIp(Math.floor(ipToInt(base!) / size) * size + size - 1);
}

function network(cidr: string): string {
  const [base, len] = cidr.split("/");
  const size = 2 ** (32 - Number(len));
  return `${intToIp(Math.floor(ipToInt(base!) / size) * size)}/${len}`;
}

/** A stable locally administered MAC from a name. */
function macFrom(seed: string): string {
  let h = 0x811c9dc5;
  const out = ["02"];
  for (let i = 0; i < 5; i++) {
    for (const ch of `${seed}#${i}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    out.push((h & 0xff).toString(16).padStart(2, "0"));
  }
  return out.join(":");
}

/** The EUI-64 link-local address the kernel derives from a MAC: fe80::42:acff:fe1e:102/64. */
export function linkLocal(mac: string): string {
  const b = mac.split(":").map((x) => parseInt(x, 16));
  b[0] = b[0]! ^ 0x02;
  const eui = [b[0]!, b[1]!, b[2]!, 0xff, 0xfe, b[3]!, b[4]!, b[5]!];
  const groups = [0xfe80, 0, 0, 0];
  for (let i = 0; i < 8; i += 2) groups.push(eui[i]! * 256 + eui[i + 1]!);
  // RFC 5952: compress the longest run of zero groups (the run after fe80 is always there).
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [bestStart, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  const text = bestLen >= 2 ? `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLen).join(":")}` : hex.join(":");
  return `${text}/64`;
}

/** The netns name the CNI plugin gives a sandbox: cni-<uuid>, derived from the veth's name. */
function netnsFor(seed: string): string {
  let hex = "";
  let h = 0x811c9dc5;
  for (let i = 0; hex.length < 32; i++) {
    for (const ch of `${seed}/${i}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    hex += h.toString(16).padStart(8, "0");
  }
  return `cni-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** eth0's prefix: the lab's node network is a /24. */
const NODE_PREFIX = 24;

export function nodeInterfaces(host: Host): Iface[] {
  const ifs: Iface[] = [
    {
      index: 1,
      name: "lo",
      flags: ["LOOPBACK", "UP", "LOWER_UP"],
      mtu: 65536,
      qdisc: "noqueue",
      state: "UNKNOWN",
      qlen: 1000,
      mac: "00:00:00:00:00:00",
      loopback: true,
      inet: { cidr: "127.0.0.1/8", scope: "host" },
      inet6: "::1/128",
    },
  ];
  const eth0 = host.interfaces().find((i) => i.name === "eth0");
  const ethMac = eth0?.mac ?? macFrom(`${host.name}/eth0`);
  const ethCidr = eth0?.cidr ?? `${host.ip}/${NODE_PREFIX}`;
  ifs.push({
    index: 2,
    name: "eth0",
    flags: ["BROADCAST", "MULTICAST", "UP", "LOWER_UP"],
    mtu: eth0?.mtu ?? 1500,
    qdisc: "fq_codel",
    state: "UP",
    qlen: 1000,
    mac: ethMac,
    loopback: false,
    inet: { cidr: ethCidr, brd: broadcast(ethCidr), scope: "global" },
    inet6: linkLocal(ethMac),
  });
  const rest = host.interfaces().filter((i) => i.name !== "lo" && i.name !== "eth0");
  const hasVeth = rest.some((i) => i.name.startsWith("veth"));
  for (const i of rest) {
    const veth = i.name.startsWith("veth");
    const bridge = i.name === "cni0";
    // A bridge with no ports has no carrier, as cni0 after its last pod left.
    const carrier = !bridge || hasVeth;
    ifs.push({
      index: ifs.length + 1,
      name: i.name,
      flags: carrier ? ["BROADCAST", "MULTICAST", "UP", "LOWER_UP"] : ["NO-CARRIER", "BROADCAST", "MULTICAST", "UP"],
      mtu: i.mtu,
      qdisc: "noqueue",
      master: veth ? "cni0" : undefined,
      state: carrier ? i.state : "DOWN",
      qlen: bridge ? 1000 : undefined,
      mac: i.mac,
      loopback: false,
      inet: i.cidr ? { cidr: i.cidr, brd: i.cidr.endsWith("/32") ? undefined : broadcast(i.cidr), scope: "global" } : undefined,
      inet6: linkLocal(i.mac),
      linkNetns: veth ? netnsFor(`${host.name}/${i.name}`) : undefined,
    });
  }
  return ifs;
}

/** `ip route` lines (iproute2 prints a trailing space after each attribute). */
export function nodeRoutes(ctx: NodeToolContext, host: Host): string[] {
  const ifs = nodeInterfaces(host);
  const eth0 = ifs.find((i) => i.name === "eth0")!;
  const ethNet = network(eth0.inet!.cidr);
  const gw = intToIp(ipToInt(ethNet.split("/")[0]!) + 1);
  const routes: { dest: string; text: string }[] = [];
  const cni0 = ifs.find((i) => i.name === "cni0");
  if (cni0?.inet) {
    routes.push({
      dest: network(cni0.inet.cidr),
      text: `${network(cni0.inet.cidr)} dev cni0 proto kernel scope link src ${cni0.inet.cidr.split("/")[0]} ${cni0.state === "DOWN" ? "linkdown " : ""}`,
    });
  }
  if (ifs.some((i) => i.name === "flannel.1")) {
    for (const [name, other] of ctx.cluster.hosts) {
      if (name === host.name) continue;
      const f = other.interfaces().find((i) => i.name === "flannel.1");
      if (!f?.cidr) continue;
      const base = f.cidr.split("/")[0]!;
      routes.push({ dest: `${base}/24`, text: `${base}/24 via ${base} dev flannel.1 onlink ` });
    }
  }
  routes.push({ dest: ethNet, text: `${ethNet} dev eth0 proto kernel scope link src ${eth0.inet!.cidr.split("/")[0]} ` });
  routes.sort((a, b) => ipToInt(a.dest.split("/")[0]!) - ipToInt(b.dest.split("/")[0]!));
  return [`default via ${gw} dev eth0 proto static `, ...routes.map((r) => r.text)];
}

// ---- name resolution ----

/**
 * Resolves a host name as the process would: a node uses /etc/hosts (the lab
 * lists the nodes) and its upstream resolver, which knows nothing of
 * cluster.local; a pod asks CoreDNS, trying its resolv.conf search path
 * (<ns>.svc.cluster.local svc.cluster.local cluster.local) first since ndots:5.
 */
export async function resolveName(ctx: NodeToolContext, name: string): Promise<string | undefined> {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return name;
  if (name === "localhost" || name === "ip6-localhost") return "127.0.0.1";
  const host = ctx.cluster.hosts.get(name);
  if (host) return host.ip;
  if (!ctx.pod) return undefined;
  const fq = name.replace(/\.$/, "");
  const candidates =
    fq.split(".").length - 1 < 5 && !name.endsWith(".")
      ? [`${fq}.${ctx.pod.namespace}.svc.cluster.local`, `${fq}.svc.cluster.local`, `${fq}.cluster.local`, fq]
      : [fq];
  const client = ctx.cluster.client("system:serviceaccount:kube-system:coredns");
  for (const c of candidates) {
    const m = c.match(/^([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local$/);
    if (!m) continue;
    const svc = await client
      .resource<Service>(GVR.services)
      .get(m[1]!, m[2]!)
      .catch(() => undefined);
    if (!svc) continue;
    if (svc.spec.clusterIP && svc.spec.clusterIP !== "None") return svc.spec.clusterIP;
    // Headless: CoreDNS answers with the ready endpoints' addresses.
    const slices = await client.resource<EndpointSlice>(GVR.endpointslices).list(m[2]!, { labelSelector: `kubernetes.io/service-name=${m[1]}` });
    const ip = slices.items.flatMap((s) => s.endpoints.filter((e) => e.conditions?.ready !== false).flatMap((e) => e.addresses))[0];
    if (ip) return ip;
  }
  return undefined;
}

// ---- connecting ----

export type ConnectResult =
  | {
      kind: "open";
      listener: Listener;
      ip: string;
      port: number;
      /** The container that answers (for its access log), and the source address it sees. */
      server?: { runtime: ContainerRuntime; containerId: string; peerIP: string };
    }
  /** RST or ICMP port unreachable: fails at once. */
  | { kind: "refused" }
  /** No ARP answer on the pod's bridge: EHOSTUNREACH after about 3 s. */
  | { kind: "unreachable" }
  /** Nothing answers at all: the kernel gives up after its SYN retries. */
  | { kind: "timeout" };

/** The node that owns ip on its eth0, if any. */
function nodeByIP(ctx: NodeToolContext, ip: string): Host | undefined {
  for (const h of ctx.cluster.hosts.values()) if (h.ip === ip) return h;
  return undefined;
}

function hostSocket(ctx: NodeToolContext, host: Host, port: number): Listener | undefined {
  const first = [...ctx.cluster.hosts.keys()][0];
  return hostListeners({
    controlPlane: host.name === first,
    kubeletRunning: host.unit("kubelet")?.state === "active",
    version: ctx.cluster.api.version,
  }).get(port);
}

/** The listener in the pod sandbox that owns ip, from the nodes' container runtimes (or the API when none are exposed). */
async function podSocket(ctx: NodeToolContext, ip: string, port: number): Promise<ConnectResult | undefined> {
  if (ctx.cluster.runtimes) {
    for (const node of ctx.cluster.hosts.keys()) {
      const rt = runtimeOf(ctx, node);
      if (!rt) continue;
      const sb = rt.listPodSandbox().find((s) => s.ip === ip && !s.hostNetwork && s.state === "SANDBOX_READY");
      if (!sb) continue;
      for (const c of rt.listContainers({ sandboxId: sb.id })) {
        if (c.state !== "CONTAINER_RUNNING") continue;
        const l = containerListeners(c.image.replace(/:[^:/]*$/, "")).get(port);
        if (l) return { kind: "open", listener: l, ip, port, server: { runtime: rt, containerId: c.id, peerIP: peerIP(ctx, node) } };
      }
      return { kind: "refused" };
    }
    return undefined;
  }
  const pods = await ctx.cluster.client("system:admin").resource<Pod>(GVR.pods).list(undefined);
  const pod = pods.items.find((p) => p.status?.podIP === ip && !p.spec?.hostNetwork && p.status?.phase === "Running");
  if (!pod) return undefined;
  for (const cs of pod.status?.containerStatuses ?? []) {
    if (!cs.state?.running) continue;
    const l = containerListeners(cs.image.replace(/:[^:/]*$/, "").replace(/^(?![^/]*[.:])/, "docker.io/")).get(port);
    if (l) return { kind: "open", listener: l, ip, port };
  }
  return { kind: "refused" };
}

/**
 * The source address a pod on podNode sees for a connection from here: a pod's
 * own IP; from a node, kube-proxy masquerades to the address of the way out —
 * cni0 for a pod on this node, flannel.1 for one across the overlay.
 */
function peerIP(ctx: NodeToolContext, podNode: string): string {
  if (ctx.pod) return ctx.pod.ip;
  const here = hostOf(ctx);
  const via = here.interfaces().find((i) => i.name === (podNode === here.name ? "cni0" : "flannel.1"));
  return via?.cidr?.split("/")[0] ?? here.ip;
}

/** A TCP connect from this node (or pod) to ip:port, through kube-proxy's rules on this node. */
export async function connect(ctx: NodeToolContext, ip: string, port: number): Promise<ConnectResult> {
  const here = hostOf(ctx);
  const clientIP = ctx.pod?.ip ?? here.ip;
  const loopback = ip.startsWith("127.");
  const local = loopback || ip === here.ip || nodeInterfaces(here).some((i) => i.inet?.cidr.split("/")[0] === ip);
  // The target node's KUBE-NODEPORTS (dst-type LOCAL), or this node's KUBE-SERVICES for a VIP.
  const owner = local ? here : (nodeByIP(ctx, ip) ?? here);
  const verdict = owner.serviceRules?.route(loopback ? "127.0.0.1" : ip, port, "TCP", { clientIP });
  if (verdict?.verdict === "reject") return { kind: "refused" };
  if (verdict?.verdict === "drop") return { kind: "timeout" };
  const [dip, dport] = verdict?.verdict === "forward" ? [verdict.podIP, verdict.port] : [ip, port];

  if (verdict?.verdict !== "forward" && (loopback || local)) {
    const l = hostSocket(ctx, here, port);
    return l ? { kind: "open", listener: l, ip: dip, port: dport } : { kind: "refused" };
  }
  const node = nodeByIP(ctx, dip);
  if (node) {
    const l = hostSocket(ctx, node, dport);
    return l ? { kind: "open", listener: l, ip: dip, port: dport } : { kind: "refused" };
  }
  if (inCidr(dip, POD_CIDR)) {
    const r = await podSocket(ctx, dip, dport);
    if (r) return r;
    // The address is in some node's pod subnet but no sandbox has it: the bridge's ARP goes unanswered.
    for (const h of ctx.cluster.hosts.values()) {
      const cni0 = h.interfaces().find((i) => i.name === "cni0");
      if (cni0?.cidr && inCidr(dip, cni0.cidr)) return { kind: "unreachable" };
    }
  }
  return { kind: "timeout" };
}
