// kube-proxy's main loop, after cmd/kube-proxy/app/server.go and
// pkg/proxy/config: informers on Services, EndpointSlices and this node's Node
// object feed the Proxier, which installs its rules in the node's kernel
// (Host.serviceRules). Leaves out: the healthz/metrics servers, conntrack
// cleanup, and the DaemonSet pod itself (the kubelet runs that; this is its logic).

import type { Node, Service } from "../api/core/v1.ts";
import type { EndpointSlice } from "../api/discovery/v1.ts";
import { type KObject, objectKey } from "../apimachinery/meta.ts";
import { Informer } from "../client/informer.ts";
import { type Client, GVR } from "../client/interface.ts";
import type { Host, Protocol } from "../host/host.ts";
import type { Activity } from "../utils/activity.ts";
import type { Clock } from "../utils/clock.ts";
import type { Rand } from "../utils/rand.ts";
import { type ProxyRoute, Proxier, type RouteOptions } from "./proxier.ts";

export interface KubeProxyOptions {
  client: Client;
  clock: Clock;
  activity: Activity;
  /** The node's name (kube-proxy's --hostname-override). */
  node: string;
  rand: Rand;
  /** When given, the rules are installed on this node for curl to use. */
  host?: Host;
}

export interface KubeProxy {
  stop(): void;
  /** The verdict for a packet to ip:port from this node; undefined when no Service matches. */
  route(ip: string, port: number, protocol?: Protocol, opts?: RouteOptions): ProxyRoute | undefined;
  /** Resolves once the first list of every watched resource has been applied. */
  synced: Promise<void>;
}

export function startKubeProxy(options: KubeProxyOptions): KubeProxy {
  const { client, clock, activity, node, rand, host } = options;
  const proxier = new Proxier(node, clock, rand);
  const services = new Informer<Service>(client, GVR.services);
  const slices = new Informer<EndpointSlice>(client, GVR.endpointslices);
  // kube-proxy watches only its own Node (for its IPs), like --hostname-override does.
  const nodes = new Informer<Node>(client, GVR.nodes, { fieldSelector: `metadata.name=${node}` });

  const feed = <T extends KObject>(inf: Informer<T>, apply: (obj: T | undefined, key: string) => void) =>
    inf.addEventHandler({
      add: (o) => apply(o, objectKey(o)),
      update: (_, o) => apply(o, objectKey(o)),
      delete: (o) => apply(undefined, objectKey(o)),
    });
  feed(services, (o, k) => proxier.setService(o, k));
  feed(slices, (o, k) => proxier.setEndpointSlice(o, k));
  feed(nodes, (o) => proxier.setNodeIPs((o?.status?.addresses ?? []).filter((a) => a.type === "InternalIP").map((a) => a.address)));

  activity.begin();
  const synced = Promise.all([services.start(), slices.start(), nodes.start()])
    .then(() => undefined)
    .finally(() => activity.end());
  synced.catch(() => {}); // callers that await synced see the error; nobody else must crash on it
  if (host) host.serviceRules = proxier;

  return {
    // The rules stay installed: stopping kube-proxy freezes them, as it leaves iptables as it was.
    stop() {
      services.stop();
      slices.stop();
      nodes.stop();
    },
    route: (ip, port, protocol, opts) => proxier.route(ip, port, protocol, opts),
    synced,
  };
}
