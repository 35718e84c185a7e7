// Services, after pkg/registry/core/service/strategy.go, storage/alloc.go and
// SetDefaults_Service: type ClusterIP, sessionAffinity None, single-stack IPv4,
// internal/external traffic policy Cluster, port protocol TCP, targetPort =
// port; ClusterIP and NodePort allocation (a requested one is honoured or
// refused with upstream's message); validation with DNS-1035 names.
// Allocator state is derived from the other stored Services, so a deleted
// Service's IP and ports are free again at once.
// Leaves out: dual-stack, LoadBalancer provisioning, healthCheckNodePort.

import { type FieldError, invalid } from "../../../apimachinery/errors.ts";
import type { KObject } from "../../../apimachinery/meta.ts";
import {
  duplicate,
  forbiddenField,
  goInt,
  goRaw,
  goString,
  goStringSlice,
  invalidValue,
  isDNS1035Label,
  notSupported,
  required,
  validateLabels,
} from "../../../apimachinery/validation.ts";
import type { Service, ServicePort } from "../../../api/core/v1.ts";
import type { Strategy, StrategyEnv } from "../store.ts";
import { IPAllocationError, IPAllocator, parseIPv4 } from "./ipallocator.ts";
import { PortAllocationError, PortAllocator } from "./portallocator.ts";
import { validateMetaOf } from "./validation.ts";

const TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
const PROTOCOLS = ["SCTP", "TCP", "UDP"];

function needsClusterIP(svc: Service): boolean {
  return svc.spec.type !== "ExternalName";
}

function needsNodePorts(svc: Service): boolean {
  return svc.spec.type === "NodePort" || (svc.spec.type === "LoadBalancer" && svc.spec.allocateLoadBalancerNodePorts !== false);
}

export function defaultService(svc: Service): void {
  svc.spec ??= {};
  const s = svc.spec;
  s.type ??= "ClusterIP";
  s.sessionAffinity ??= "None";
  if (s.sessionAffinity === "ClientIP") {
    s.sessionAffinityConfig ??= {};
    s.sessionAffinityConfig.clientIP ??= {};
    s.sessionAffinityConfig.clientIP.timeoutSeconds ??= 10800;
  }
  for (const p of s.ports ?? []) {
    p.protocol ??= "TCP";
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === "") p.targetPort = p.port;
  }
  if (s.type !== "ExternalName") {
    s.internalTrafficPolicy ??= "Cluster";
    if (s.clusterIP && !s.clusterIPs) s.clusterIPs = [s.clusterIP];
    if (s.clusterIPs?.length && !s.clusterIP) s.clusterIP = s.clusterIPs[0];
  }
  if (s.type === "NodePort" || s.type === "LoadBalancer") s.externalTrafficPolicy ??= "Cluster";
  if (s.type === "LoadBalancer") s.allocateLoadBalancerNodePorts ??= true;
}

/** Cluster IPs and node ports held by every stored Service except `self`. */
function inUse(env: StrategyEnv, self: Service): { ips: Set<string>; ports: Set<number> } {
  const ips = new Set<string>();
  const ports = new Set<number>();
  for (const o of env.list("", "services") as Service[]) {
    if (o.metadata.namespace === self.metadata.namespace && o.metadata.name === self.metadata.name) continue;
    for (const ip of o.spec?.clusterIPs ?? []) if (ip !== "None") ips.add(ip);
    for (const p of o.spec?.ports ?? []) if (p.nodePort) ports.add(p.nodePort);
  }
  return { ips, ports };
}

function allocateClusterIP(svc: Service, env: StrategyEnv, ips: Set<string>): void {
  const s = svc.spec;
  s.ipFamilyPolicy ??= "SingleStack";
  s.ipFamilies ??= ["IPv4"];
  if (s.clusterIP === "None") {
    s.clusterIPs = ["None"];
    return;
  }
  const alloc = new IPAllocator();
  if (s.clusterIP) {
    if (parseIPv4(s.clusterIP) === undefined) return; // validation reports it
    try {
      alloc.allocate(s.clusterIP, ips);
    } catch (e) {
      if (!(e instanceof IPAllocationError)) throw e;
      throw invalid("Service", "", svc.metadata.name ?? "", [
        invalidValue("spec.clusterIPs", goRaw(goStringSlice(s.clusterIPs ?? [s.clusterIP])), `failed to allocate IP ${s.clusterIP}: ${e.message}`),
      ]);
    }
  } else {
    s.clusterIP = alloc.allocateNext(ips, env.rand);
  }
  s.clusterIPs = [s.clusterIP];
}

function allocateNodePorts(svc: Service, env: StrategyEnv, used: Set<number>, previous: ServicePort[] = []): void {
  const alloc = new PortAllocator();
  const errs: FieldError[] = [];
  const mine = new Set<number>();
  (svc.spec.ports ?? []).forEach((p, i) => {
    if (!p.nodePort) {
      // On update a port keeps the node port it had.
      const prev = previous.find((o) => o.port === p.port && (o.protocol ?? "TCP") === (p.protocol ?? "TCP") && o.nodePort);
      if (prev?.nodePort) p.nodePort = prev.nodePort;
    }
    if (p.nodePort) {
      // The same node port may serve TCP and UDP of one service.
      if (mine.has(p.nodePort)) return;
      try {
        alloc.allocate(p.nodePort, used);
      } catch (e) {
        if (!(e instanceof PortAllocationError)) throw e;
        errs.push(invalidValue(`spec.ports[${i}].nodePort`, goInt(p.nodePort), e.message));
      }
    } else {
      p.nodePort = alloc.allocateNext(new Set([...used, ...mine]), env.rand);
    }
    mine.add(p.nodePort);
  });
  if (errs.length > 0) throw invalid("Service", "", svc.metadata.name ?? "", errs);
}

function validateService(svc: Service): FieldError[] {
  const errs = validateMetaOf(svc, isDNS1035Label);
  const s = svc.spec ?? {};
  if (s.type !== undefined && !TYPES.includes(s.type)) errs.push(notSupported("spec.type", goString(s.type), TYPES));
  const ports = s.ports ?? [];
  if (s.type === "ExternalName") {
    if (!s.externalName) errs.push(required("spec.externalName"));
  } else if (ports.length === 0 && s.clusterIP !== "None") {
    errs.push(required("spec.ports"));
  }
  if (s.clusterIP && s.clusterIP !== "None" && parseIPv4(s.clusterIP) === undefined) {
    errs.push(invalidValue("spec.clusterIPs[0]", goString(s.clusterIP), "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
  }
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const f = `spec.ports[${i}]`;
    if (ports.length > 1 && !p.name) errs.push(required(`${f}.name`));
    if (p.name) {
      if (names.has(p.name)) errs.push(duplicate(`${f}.name`, goString(p.name)));
      names.add(p.name);
    }
    if (!(p.port >= 1 && p.port <= 65535)) errs.push(invalidValue(`${f}.port`, goInt(p.port ?? 0), "must be between 1 and 65535, inclusive"));
    if (p.protocol !== undefined && !PROTOCOLS.includes(p.protocol)) errs.push(notSupported(`${f}.protocol`, goString(p.protocol), PROTOCOLS));
    if (typeof p.targetPort === "number" && !(p.targetPort >= 1 && p.targetPort <= 65535)) {
      errs.push(invalidValue(`${f}.targetPort`, goInt(p.targetPort), "must be between 1 and 65535, inclusive"));
    }
    if (p.nodePort && s.type === "ClusterIP") errs.push(forbiddenField(`${f}.nodePort`, "may not be used when `type` is 'ClusterIP'"));
  });
  errs.push(...validateLabels(s.selector, "spec.selector"));
  return errs;
}

export const serviceStrategy: Strategy = {
  prepareForCreate(obj: KObject, env: StrategyEnv) {
    const svc = obj as Service;
    defaultService(svc);
    // Invalid specs are refused before anything is allocated.
    const errs = validateService(svc);
    if (errs.length > 0) throw invalid("Service", "", svc.metadata.name ?? "", errs);
    const used = inUse(env, svc);
    if (needsClusterIP(svc)) allocateClusterIP(svc, env, used.ips);
    if (needsNodePorts(svc)) allocateNodePorts(svc, env, used.ports);
    svc.status = { loadBalancer: {} };
  },
  prepareForUpdate(obj: KObject, old: KObject, env: StrategyEnv) {
    const svc = obj as Service;
    const prev = old as Service;
    defaultService(svc);
    const used = inUse(env, svc);
    if (needsClusterIP(svc)) {
      if (needsClusterIP(prev) && !svc.spec.clusterIP) {
        // A client that sends no clusterIP keeps the allocated one.
        svc.spec.clusterIP = prev.spec.clusterIP;
        svc.spec.clusterIPs = prev.spec.clusterIPs;
        svc.spec.ipFamilies ??= prev.spec.ipFamilies;
        svc.spec.ipFamilyPolicy ??= prev.spec.ipFamilyPolicy;
      } else if (!needsClusterIP(prev)) {
        allocateClusterIP(svc, env, used.ips);
      }
    } else {
      delete svc.spec.clusterIP;
      delete svc.spec.clusterIPs;
      delete svc.spec.ipFamilies;
      delete svc.spec.ipFamilyPolicy;
      delete svc.spec.internalTrafficPolicy;
    }
    if (needsNodePorts(svc)) allocateNodePorts(svc, env, used.ports, prev.spec.ports);
    else if (svc.spec.type === "ClusterIP") for (const p of svc.spec.ports ?? []) delete p.nodePort;
  },
  validate: (obj: KObject) => validateService(obj as Service),
  validateUpdate(obj: KObject, old: KObject) {
    const svc = obj as Service;
    const prev = old as Service;
    if (needsClusterIP(svc) && needsClusterIP(prev) && prev.spec.clusterIPs?.[0] && svc.spec.clusterIPs?.[0] !== prev.spec.clusterIPs[0]) {
      return [invalidValue("spec.clusterIPs[0]", goRaw(goStringSlice(svc.spec.clusterIPs)), "may not change once set")];
    }
    return [];
  },
};
