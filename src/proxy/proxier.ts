// kube-proxy's rule table, after pkg/proxy/iptables/proxier.go: Services and
// EndpointSlices in, "where does a packet to VIP:port go" out. The verdicts
// are the ones the real KUBE-SERVICES / KUBE-NODEPORTS / KUBE-SVC-* chains
// give: DNAT to one endpoint (random, or sticky per client IP with
// sessionAffinity: ClientIP), REJECT when a Service has no endpoints, DROP when
// a Local traffic policy finds none on this node.
// Leaves out: real iptables text, masquerading, topology hints, UDP/SCTP
// semantics beyond matching the protocol, LoadBalancer ingress IPs.

import type { Service, ServicePort } from "../api/core/v1.ts";
import type { EndpointSlice } from "../api/discovery/v1.ts";
import type { Protocol, ServiceRoute as ProxyRoute, ServiceRules } from "../host/host.ts";
import type { Clock } from "../utils/clock.ts";
import type { Rand } from "../utils/rand.ts";

export type { Protocol, ServiceRoute as ProxyRoute } from "../host/host.ts";

export interface RouteOptions {
  /** Source address, for sessionAffinity: ClientIP. */
  clientIP?: string;
}

interface EndpointInfo {
  ip: string;
  port: number;
  nodeName?: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

/** One Service port: what kube-proxy calls a ServicePortName and its ServicePortInfo. */
interface ServicePortInfo {
  /** namespace/name:portName, as kube-proxy logs it. */
  key: string;
  service: string;
  portName: string;
  protocol: Protocol;
  port: number;
  clusterIPs: string[];
  externalIPs: string[];
  nodePort?: number;
  internalLocal: boolean;
  externalLocal: boolean;
  /** sessionAffinity: ClientIP stickiness, ms; undefined when None. */
  affinityMs?: number;
}

/** ServiceAffinity's default: 3 hours, as in the apiserver's defaulting. */
const DEFAULT_AFFINITY_SECONDS = 10_800;

export class Proxier implements ServiceRules {
  private readonly services = new Map<string, Service>();
  /** slice key (namespace/name) → slice */
  private readonly slices = new Map<string, EndpointSlice>();
  private dirty = true;
  private byVIP = new Map<string, ServicePortInfo>();
  private byNodePort = new Map<string, ServicePortInfo>();
  private endpoints = new Map<string, EndpointInfo[]>();
  /** service port key + client IP → chosen endpoint and when it was last used. */
  private readonly affinity = new Map<string, { ep: EndpointInfo; last: number }>();
  private nodeIPs = new Set<string>(["127.0.0.1"]);

  constructor(
    private readonly node: string,
    private readonly clock: Clock,
    private readonly rand: Rand,
  ) {}

  setService(svc: Service | undefined, key: string): void {
    if (svc) this.services.set(key, svc);
    else this.services.delete(key);
    this.dirty = true;
  }

  setEndpointSlice(slice: EndpointSlice | undefined, key: string): void {
    if (slice) this.slices.set(key, slice);
    else this.slices.delete(key);
    this.dirty = true;
  }

  /** The node's own addresses: NodePorts answer on these (and on 127.0.0.1, as iptables mode allows). */
  setNodeIPs(ips: string[]): void {
    this.nodeIPs = new Set(["127.0.0.1", ...ips]);
  }

  /**
   * The verdict for a packet to ip:port, or undefined when no Service rule
   * matches it (the packet is routed as usual).
   */
  route(ip: string, port: number, protocol: Protocol = "TCP", opts: RouteOptions = {}): ProxyRoute | undefined {
    this.sync();
    const vip = this.byVIP.get(`${ip}:${port}/${protocol}`);
    if (vip) return this.pick(vip, vip.internalLocal && !vip.externalIPs.includes(ip), opts);
    if (this.nodeIPs.has(ip)) {
      const np = this.byNodePort.get(`${port}/${protocol}`);
      if (np) return this.pick(np, np.externalLocal, opts);
    }
    return undefined;
  }

  /** ClusterIP:port of every Service port, for tests and debugging. */
  serviceCount(): number {
    this.sync();
    return this.byVIP.size;
  }

  private pick(sp: ServicePortInfo, localOnly: boolean, opts: RouteOptions): ProxyRoute {
    const all = this.endpoints.get(sp.key) ?? [];
    if (all.length === 0) return { verdict: "reject", service: sp.service };
    const eps = localOnly ? all.filter((e) => e.nodeName === this.node) : all;
    if (eps.length === 0) return { verdict: "drop", service: sp.service };
    const now = this.clock.now();
    const akey = opts.clientIP && sp.affinityMs !== undefined ? `${sp.key}|${opts.clientIP}` : undefined;
    if (akey) {
      const a = this.affinity.get(akey);
      if (a && now - a.last <= sp.affinityMs! && eps.some((e) => e.ip === a.ep.ip && e.port === a.ep.port)) {
        a.last = now;
        return { verdict: "forward", podIP: a.ep.ip, port: a.ep.port, service: sp.service };
      }
    }
    // iptables mode: a chain of `-m statistic --mode random --probability 1/n`
    // rules, which is a uniform random choice.
    const ep = eps[this.rand.int(eps.length)]!;
    if (akey) this.affinity.set(akey, { ep, last: now });
    return { verdict: "forward", podIP: ep.ip, port: ep.port, service: sp.service };
  }

  /** syncProxyRules: rebuilds the lookup tables when Services or slices changed. */
  private sync(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const byVIP = new Map<string, ServicePortInfo>();
    const byNodePort = new Map<string, ServicePortInfo>();
    const ports = new Map<string, ServicePortInfo>();
    for (const svc of this.services.values()) {
      for (const sp of servicePorts(svc)) {
        ports.set(sp.key, sp);
        for (const ip of [...sp.clusterIPs, ...sp.externalIPs]) byVIP.set(`${ip}:${sp.port}/${sp.protocol}`, sp);
        if (sp.nodePort) byNodePort.set(`${sp.nodePort}/${sp.protocol}`, sp);
      }
    }
    const endpoints = new Map<string, EndpointInfo[]>();
    for (const slice of this.slices.values()) {
      const svcName = slice.metadata.labels?.["kubernetes.io/service-name"];
      if (!svcName || slice.addressType !== "IPv4") continue;
      for (const p of slice.ports ?? []) {
        if (p.port === undefined) continue;
        const key = `${slice.metadata.namespace}/${svcName}:${p.name ?? ""}`;
        const sp = ports.get(key);
        if (!sp || (p.protocol ?? "TCP") !== sp.protocol) continue;
        let list = endpoints.get(key);
        if (!list) endpoints.set(key, (list = []));
        for (const ep of slice.endpoints ?? []) {
          const c = ep.conditions ?? {};
          // A nil ready condition means ready, as in discovery/v1.
          const ready = c.ready !== false;
          for (const ip of ep.addresses) {
            list.push({ ip, port: p.port, nodeName: ep.nodeName, ready, serving: c.serving ?? ready, terminating: c.terminating ?? false });
          }
        }
      }
    }
    // Ready endpoints carry traffic; when none are ready, serving-but-terminating
    // ones do (ProxyTerminatingEndpoints, GA in 1.28), so a rolling restart of a
    // single replica does not refuse connections.
    for (const [key, list] of endpoints) {
      const ready = list.filter((e) => e.ready);
      const chosen = ready.length > 0 ? ready : list.filter((e) => e.serving && e.terminating);
      const seen = new Set<string>();
      endpoints.set(
        key,
        chosen.filter((e) => {
          const id = `${e.ip}:${e.port}`;
          if (seen.has(id)) return false;
          seen.add(id);
          return true;
        }),
      );
    }
    this.byVIP = byVIP;
    this.byNodePort = byNodePort;
    this.endpoints = endpoints;
  }
}

function servicePorts(svc: Service): ServicePortInfo[] {
  const spec = svc.spec ?? {};
  if (spec.type === "ExternalName") return [];
  const clusterIPs = (spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])).filter((ip) => ip && ip !== "None");
  const service = `${svc.metadata.namespace}/${svc.metadata.name}`;
  const affinityMs =
    spec.sessionAffinity === "ClientIP" ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_SECONDS) * 1000 : undefined;
  const withNodePorts = spec.type === "NodePort" || spec.type === "LoadBalancer";
  return (spec.ports ?? []).map((p: ServicePort) => ({
    key: `${service}:${p.name ?? ""}`,
    service,
    portName: p.name ?? "",
    protocol: (p.protocol ?? "TCP") as Protocol,
    port: p.port,
    clusterIPs,
    externalIPs: spec.externalIPs ?? [],
    nodePort: withNodePorts ? p.nodePort : undefined,
    internalLocal: spec.internalTrafficPolicy === "Local",
    externalLocal: spec.externalTrafficPolicy === "Local",
    affinityMs,
  }));
}
