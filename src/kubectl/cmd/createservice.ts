// `kubectl create service clusterip|nodeport|loadbalancer|externalname`,
// after k8s.io/kubectl/pkg/cmd/create/create_service.go: a Service selecting
// app=NAME with one TCP port per --tcp=port[:targetPort] (named after the
// pair), a headless --clusterip=None, --node-port on every port, or
// --external-name checked as a DNS subdomain. Leaves out nothing.

import { UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";
import type { Obj } from "../manifest.ts";
import { collectionPath, completeCreate, objectMeta, submit } from "./createsubcommand.ts";

const TYPES: Record<string, string> = { clusterip: "ClusterIP", nodeport: "NodePort", loadbalancer: "LoadBalancer", externalname: "ExternalName" };

/** utilnet.ParsePort(s, allowZero=true): strconv.ParseUint(s, 10, 16)'s errors. */
function parsePort(text: string): number {
  if (!/^[0-9]+$/.test(text)) throw new UsageError(`strconv.ParseUint: parsing ${JSON.stringify(text)}: invalid syntax`);
  const n = Number(text);
  if (n > 65535) throw new UsageError(`strconv.ParseUint: parsing ${JSON.stringify(text)}: value out of range`);
  return n;
}

/** validation.IsValidPortName's messages. */
function portNameErrors(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 15) errs.push("must be no more than 15 characters");
  if (!/^[-a-z0-9]+$/.test(name)) errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (!/[a-z]/.test(name)) errs.push("must contain at least one letter (a-z)");
  if (name.includes("--")) errs.push("must not contain consecutive hyphens");
  if (name.startsWith("-") || name.endsWith("-")) errs.push("must not begin or end with a hyphen");
  return errs;
}

/** strconv.Atoi: an optional sign and decimal digits within int64. */
function atoi(text: string): number | undefined {
  return /^[-+]?[0-9]+$/.test(text) ? Number(text) : undefined;
}

function parsePorts(spec: string): { port: number; targetPort: number | string } {
  const parts = spec.split(":");
  const port = parsePort(parts[0]!);
  if (parts.length === 1) return { port, targetPort: port };
  const target = parts[1]!;
  const num = atoi(target);
  if (num === undefined) {
    const errs = portNameErrors(target);
    if (errs.length > 0) throw new UsageError(errs.join(","));
    return { port, targetPort: target };
  }
  if (num < 1 || num > 65535) throw new UsageError("must be between 1 and 65535, inclusive");
  return { port, targetPort: num };
}

/** validation.IsDNS1123Subdomain, as a yes/no. */
function isDNS1123Subdomain(s: string): boolean {
  return s.length > 0 && s.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(s);
}

export async function run(ctx: CommandContext): Promise<number> {
  const { flags } = ctx;
  const type = TYPES[ctx.commandPath.split(" ").pop()!]!;
  const setup = completeCreate(ctx);
  const tcp = flags.strings("tcp");
  const clusterIP = type === "ClusterIP" ? flags.string("clusterip") : "";
  const externalName = type === "ExternalName" ? flags.string("external-name") : "";
  if (clusterIP === "None" && type !== "ClusterIP") throw new UsageError("ClusterIP=None can only be used with ClusterIP service type");
  if (clusterIP !== "None" && tcp.length === 0 && type !== "ExternalName") throw new UsageError("at least one tcp port specifier must be provided");
  if (type === "ExternalName" && !isDNS1123Subdomain(externalName)) throw new UsageError(`invalid service external name ${externalName}`);

  const nodePort = type === "NodePort" ? flags.int("node-port", 0) : 0;
  const ports = tcp.map((spec) => {
    const { port, targetPort } = parsePorts(spec);
    return { name: spec.replace(/:/g, "-"), protocol: "TCP", port, targetPort, ...(nodePort ? { nodePort } : {}) };
  });
  const app = { app: setup.name };
  const obj: Obj = {
    kind: "Service",
    apiVersion: "v1",
    metadata: objectMeta(setup, app),
    spec: {
      ...(ports.length > 0 ? { ports } : {}),
      selector: app,
      ...(clusterIP ? { clusterIP } : {}),
      type,
      ...(externalName ? { externalName } : {}),
    },
    status: { loadBalancer: {} },
  };
  return submit(ctx, setup, obj, {
    path: collectionPath("", "v1", "services", setup.namespace),
    prefix: "service",
    failure: (m) => `failed to create ${type} service: ${m}`,
  });
}
