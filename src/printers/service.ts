// Service-networking Tables, after printService, printEndpoints,
// printEndpointSlice and printIngress in pkg/printers/internalversion/printers.go.

import type { KObject } from "../apimachinery/meta.ts";
import type { Endpoints, Service } from "../api/core/v1.ts";
import type { EndpointSlice } from "../api/discovery/v1.ts";
import { DOC } from "./descriptions.ts";
import { AGE_COLUMN, ageOf, col, formatLabels, listWithMore, NAME_COLUMN } from "./helpers.ts";
import type { TablePrinter } from "./printers.ts";

const LOAD_BALANCER_WIDTH = 16;

function loadBalancerStatusString(ingress: { ip?: string; hostname?: string }[] | undefined, wide: boolean): string {
  const result = new Set<string>();
  for (const i of ingress ?? []) {
    if (i.ip) result.add(i.ip);
    else if (i.hostname) result.add(i.hostname);
  }
  let r = [...result].join(",");
  if (!wide && r.length > LOAD_BALANCER_WIDTH) r = `${r.slice(0, LOAD_BALANCER_WIDTH - 3)}...`;
  return r;
}

function serviceExternalIP(svc: Service, wide: boolean): string {
  const externalIPs = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type) {
    case "ClusterIP":
    case "NodePort":
      return externalIPs.length > 0 ? externalIPs.join(",") : "<none>";
    case "LoadBalancer": {
      const lbIps = loadBalancerStatusString(svc.status?.loadBalancer?.ingress, wide);
      if (externalIPs.length > 0) {
        const results = lbIps ? lbIps.split(",") : [];
        return [...results, ...externalIPs].join(",");
      }
      return lbIps || "<pending>";
    }
    case "ExternalName":
      return svc.spec.externalName ?? "";
  }
  return "<unknown>";
}

function portString(svc: Service): string {
  return (svc.spec?.ports ?? [])
    .map((p) => (p.nodePort && p.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol ?? ""}` : `${p.port}/${p.protocol ?? ""}`))
    .join(",");
}

export const servicePrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    col("Type", "string", DOC.svcType),
    col("Cluster-IP", "string", DOC.svcClusterIP),
    col("External-IP", "string", DOC.svcExternalIPs),
    col("Port(s)", "string", DOC.svcPorts),
    AGE_COLUMN,
    col("Selector", "string", DOC.svcSelector, { wide: true }),
  ],
  cells(obj: KObject, nowMs: number) {
    const svc = obj as Service;
    return [
      svc.metadata.name,
      svc.spec?.type ?? "",
      svc.spec?.clusterIPs?.[0] ?? "<none>",
      serviceExternalIP(svc, true),
      portString(svc) || "<none>",
      ageOf(svc, nowMs),
      formatLabels(svc.spec?.selector),
    ];
  },
};

/** formatEndpoints with all ports: `ip:port` over subsets, the first three then ` + N more...`. */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return "<none>";
  const max = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    if (!ss.ports || ss.ports.length === 0) {
      // Headless services may have no ports.
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(a.ip);
      }
      continue;
    }
    for (const port of ss.ports) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(a.ip.includes(":") ? `[${a.ip}]:${port.port}` : `${a.ip}:${port.port}`);
      }
    }
  }
  const ret = list.join(",");
  return more ? `${ret} + ${count - max} more...` : ret;
}

export const endpointsPrinter: TablePrinter = {
  columns: [NAME_COLUMN, col("Endpoints", "string", DOC.endpointsSubsets), AGE_COLUMN],
  cells(obj: KObject, nowMs: number) {
    return [obj.metadata.name, formatEndpoints(obj as Endpoints), ageOf(obj, nowMs)];
  },
};

function discoveryPorts(eps: EndpointSlice): string {
  const max = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const port of eps.ports ?? []) {
    if (list.length < max) list.push(port.port !== undefined && port.port !== null ? String(port.port) : (port.name ?? "*"));
    else if (list.length === max) more = true;
    count++;
  }
  return listWithMore(list, more, count, max, "<unset>");
}

function discoveryEndpoints(eps: EndpointSlice): string {
  const max = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const ep of eps.endpoints ?? []) {
    for (const address of ep.addresses ?? []) {
      if (list.length < max) list.push(address);
      else if (list.length === max) more = true;
      count++;
    }
  }
  return listWithMore(list, more, count, max, "<unset>");
}

export const endpointSlicePrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    col("AddressType", "string", DOC.epsAddressType),
    col("Ports", "string", DOC.epsPorts),
    col("Endpoints", "string", DOC.epsEndpoints),
    AGE_COLUMN,
  ],
  cells(obj: KObject, nowMs: number) {
    const eps = obj as EndpointSlice;
    return [eps.metadata.name, eps.addressType ?? "", discoveryPorts(eps), discoveryEndpoints(eps), ageOf(eps, nowMs)];
  },
};

interface IngressFields {
  spec?: { ingressClassName?: string; rules?: { host?: string }[]; tls?: unknown[] };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

function formatHosts(rules: { host?: string }[]): string {
  const max = 3;
  const list: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (list.length === max) more = true;
    if (!more && rule.host) list.push(rule.host);
  }
  if (list.length === 0) return "*";
  const ret = list.join(",");
  return more ? `${ret} + ${rules.length - max} more...` : ret;
}

export const ingressPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    col("Class", "string", "The name of the IngressClass resource that should be used for additional configuration"),
    col("Hosts", "string", "Hosts that incoming requests are matched against before the ingress rule"),
    col("Address", "string", "Address is a list containing ingress points for the load-balancer"),
    col("Ports", "string", "Ports of TLS configurations that open"),
    AGE_COLUMN,
  ],
  cells(obj: KObject, nowMs: number) {
    const ing = obj as KObject & IngressFields;
    return [
      ing.metadata.name,
      ing.spec?.ingressClassName ?? "<none>",
      formatHosts(ing.spec?.rules ?? []),
      loadBalancerStatusString(ing.status?.loadBalancer?.ingress, true),
      (ing.spec?.tls ?? []).length > 0 ? "80, 443" : "80",
      ageOf(ing, nowMs),
    ];
  },
};
