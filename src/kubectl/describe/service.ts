// `kubectl describe service` (v1.32 reads EndpointSlices for the Endpoints
// line) and `describe endpoints`, after describe.go's describeService,
// formatEndpointSlices and describeEndpoints (describe namespace: namespace.ts).

import { formatLabels } from "../printers/table.ts";
import {
  type DescribeContext,
  describeEvents,
  LEVEL_0,
  LEVEL_1,
  LEVEL_2,
  type Meta,
  PrefixWriter,
  printAnnotationsMultiline,
  printLabelsMultiline,
  searchEvents,
} from "./describe.ts";

interface ServicePort {
  name?: string;
  port: number;
  protocol?: string;
  targetPort?: number | string;
  nodePort?: number;
}

export interface Service {
  metadata: Meta;
  spec?: {
    type?: string;
    selector?: Record<string, string>;
    clusterIP?: string;
    clusterIPs?: string[];
    ipFamilies?: string[];
    ipFamilyPolicy?: string;
    externalIPs?: string[];
    loadBalancerIP?: string;
    externalName?: string;
    ports?: ServicePort[];
    sessionAffinity?: string;
    externalTrafficPolicy?: string;
    internalTrafficPolicy?: string;
    healthCheckNodePort?: number;
    loadBalancerSourceRanges?: string[];
    trafficDistribution?: string;
  };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string; ipMode?: string }[] } };
}

interface EndpointSlice {
  ports?: { name?: string; port?: number }[];
  endpoints?: { addresses: string[]; conditions?: { ready?: boolean } }[];
}

function formatEndpointSlices(slices: EndpointSlice[], portName: string): string {
  if (slices.length === 0) return "<none>";
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const s of slices) {
    if (!s.ports || s.ports.length === 0) {
      for (const ep of s.endpoints ?? []) {
        if (list.length === max) more = true;
        if (ep.conditions?.ready === false) continue;
        if (!more) list.push(ep.addresses[0]!);
        count++;
      }
      continue;
    }
    for (const p of s.ports) {
      if ((p.name ?? "") !== portName) continue;
      for (const ep of s.endpoints ?? []) {
        if (list.length === max) more = true;
        if (ep.conditions?.ready === false) continue;
        const addr = ep.addresses[0]!;
        if (!more) list.push(`${addr.includes(":") ? `[${addr}]` : addr}:${p.port ?? 0}`);
        count++;
      }
    }
  }
  const ret = list.join(",");
  return more ? `${ret} + ${count - max} more...` : ret;
}

export async function describeService(ctx: DescribeContext, svc: Service): Promise<string> {
  const m = svc.metadata;
  let slices: EndpointSlice[] = [];
  try {
    const list = await ctx.rest.json<{ items?: EndpointSlice[] }>("GET", `/apis/discovery.k8s.io/v1/namespaces/${encodeURIComponent(m.namespace ?? "")}/endpointslices`, {
      query: { labelSelector: `kubernetes.io/service-name=${m.name}` },
    });
    slices = list.items ?? [];
  } catch {
    /* no slices: Endpoints <none> */
  }
  const events = ctx.showEvents ? await searchEvents(ctx, { kind: "Service", name: m.name, namespace: m.namespace, uid: m.uid }) : undefined;
  const sp = svc.spec ?? {};
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${m.name}\n`);
  w.write(LEVEL_0, `Namespace:\t${m.namespace ?? ""}\n`);
  printLabelsMultiline(w, "Labels", m.labels);
  printAnnotationsMultiline(w, "Annotations", m.annotations);
  w.write(LEVEL_0, `Selector:\t${formatLabels(sp.selector)}\n`);
  w.write(LEVEL_0, `Type:\t${sp.type ?? ""}\n`);
  if (sp.ipFamilyPolicy) w.write(LEVEL_0, `IP Family Policy:\t${sp.ipFamilyPolicy}\n`);
  w.write(LEVEL_0, `IP Families:\t${sp.ipFamilies?.length ? sp.ipFamilies.join(",") : "<none>"}\n`);
  w.write(LEVEL_0, `IP:\t${sp.clusterIP ?? ""}\n`);
  w.write(LEVEL_0, `IPs:\t${sp.clusterIPs?.length ? sp.clusterIPs.join(",") : "<none>"}\n`);
  if (sp.externalIPs?.length) w.write(LEVEL_0, `External IPs:\t${sp.externalIPs.join(",")}\n`);
  if (sp.loadBalancerIP) w.write(LEVEL_0, `Desired LoadBalancer IP:\t${sp.loadBalancerIP}\n`);
  if (sp.externalName) w.write(LEVEL_0, `External Name:\t${sp.externalName}\n`);
  const ingress = svc.status?.loadBalancer?.ingress ?? [];
  if (ingress.length > 0) {
    const text = ingress.map((i) => (i.ip ? `${i.ip}${i.ipMode ? ` (${i.ipMode})` : ""}` : (i.hostname ?? ""))).join(", ");
    w.write(LEVEL_0, `LoadBalancer Ingress:\t${text}\n`);
  }
  for (const p of sp.ports ?? []) {
    const name = p.name || "<unset>";
    const proto = p.protocol ?? "TCP";
    w.write(LEVEL_0, `Port:\t${name}\t${p.port}/${proto}\n`);
    w.write(LEVEL_0, `TargetPort:\t${p.targetPort ?? p.port}/${proto}\n`);
    if (p.nodePort) w.write(LEVEL_0, `NodePort:\t${name}\t${p.nodePort}/${proto}\n`);
    w.write(LEVEL_0, `Endpoints:\t${formatEndpointSlices(slices, p.name ?? "")}\n`);
  }
  w.write(LEVEL_0, `Session Affinity:\t${sp.sessionAffinity ?? ""}\n`);
  if (sp.externalTrafficPolicy) w.write(LEVEL_0, `External Traffic Policy:\t${sp.externalTrafficPolicy}\n`);
  if (sp.internalTrafficPolicy && (ctx.client?.has("serviceTrafficPolicy") ?? true)) w.write(LEVEL_0, `Internal Traffic Policy:\t${sp.internalTrafficPolicy}\n`);
  if (sp.healthCheckNodePort) w.write(LEVEL_0, `HealthCheck NodePort:\t${sp.healthCheckNodePort}\n`);
  if (sp.loadBalancerSourceRanges?.length) w.write(LEVEL_0, `LoadBalancer Source Ranges:\t${sp.loadBalancerSourceRanges.join(",")}\n`);
  if (sp.trafficDistribution) w.write(LEVEL_0, `Traffic Distribution:\t${sp.trafficDistribution}\n`);
  if (events) describeEvents(events, w, ctx.now);
  return w.result();
}

export interface Endpoints {
  metadata: Meta;
  subsets?: { addresses?: { ip: string }[]; notReadyAddresses?: { ip: string }[]; ports?: { name?: string; port: number; protocol?: string }[] }[];
}

export async function describeEndpoints(ctx: DescribeContext, ep: Endpoints): Promise<string> {
  const m = ep.metadata;
  const events = ctx.showEvents ? await searchEvents(ctx, { kind: "Endpoints", name: m.name, namespace: m.namespace, uid: m.uid }) : undefined;
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${m.name}\n`);
  w.write(LEVEL_0, `Namespace:\t${m.namespace ?? ""}\n`);
  printLabelsMultiline(w, "Labels", m.labels);
  printAnnotationsMultiline(w, "Annotations", m.annotations);
  w.write(LEVEL_0, "Subsets:\n");
  for (const subset of ep.subsets ?? []) {
    w.write(LEVEL_1, `Addresses:\t${(subset.addresses ?? []).map((a) => a.ip).join(",") || "<none>"}\n`);
    w.write(LEVEL_1, `NotReadyAddresses:\t${(subset.notReadyAddresses ?? []).map((a) => a.ip).join(",") || "<none>"}\n`);
    if (subset.ports?.length) {
      w.write(LEVEL_1, "Ports:\n");
      w.write(LEVEL_2, "Name\tPort\tProtocol\n");
      w.write(LEVEL_2, "----\t----\t--------\n");
      for (const p of subset.ports) w.write(LEVEL_2, `${p.name || "<unset>"}\t${p.port}\t${p.protocol ?? "TCP"}\n`);
    }
    w.write(LEVEL_0, "\n");
  }
  if (events) describeEvents(events, w, ctx.now);
  return w.result();
}
