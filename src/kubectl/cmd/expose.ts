// `kubectl expose TYPE NAME`, after k8s.io/kubectl/pkg/cmd/expose: a Service
// selecting what the object selects (a pod's labels, a workload's
// matchLabels), ports from --port or the pod template's container ports,
// `service/NAME exposed`; --overrides patches the generated Service
// (overrides.ts). Leaves out -f, --external-ip and --session-affinity.

import { pathFor } from "../discovery.ts";
import { UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";
import { parseOutputFormat, printGeneric } from "../printers/generic.ts";
import { resolveResourceArgs } from "../resource.ts";
import { applyOverrides, overrideOptions } from "./overrides.ts";

interface Exposable {
  metadata: { name: string; labels?: Record<string, string> };
  spec?: {
    selector?: Record<string, string> | { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
    template?: { spec?: { containers?: { ports?: { containerPort: number; protocol?: string }[] }[] } };
    containers?: { ports?: { containerPort: number; protocol?: string }[] }[];
    ports?: { port: number; protocol?: string }[];
  };
}

function parseLabels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(",")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    if (eq <= 0) throw new UsageError(`invalid label spec: ${part}`);
    out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

export async function run(ctx: CommandContext): Promise<number> {
  const { flags, io } = ctx;
  if (ctx.args.length === 0) {
    throw new UsageError("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
  }
  const rest = await ctx.factory.rest();
  const disco = await ctx.factory.discovery();
  const { namespace } = ctx.factory.namespace();
  const requests = await resolveResourceArgs(disco, ctx.args);
  const format = parseOutputFormat(flags.string("output"));
  const dryRun = flags.string("dry-run", "none");
  const overrides = await overrideOptions(ctx);
  for (const req of requests) {
    const r = req.resource;
    for (const name of req.names) {
      const obj = await rest.json<Exposable>("GET", pathFor(r, namespace, name));
      // The selector: polymorphichelpers.MapBasedSelectorForObject.
      let selector: Record<string, string>;
      if (r.kind === "Pod") selector = obj.metadata.labels ?? {};
      else if (r.kind === "Service" || r.kind === "ReplicationController") selector = (obj.spec?.selector as Record<string, string>) ?? {};
      else if (["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"].includes(r.kind)) {
        const sel = obj.spec?.selector as { matchLabels?: Record<string, string>; matchExpressions?: unknown[] } | undefined;
        if (sel?.matchExpressions?.length) throw new UsageError(`couldn't convert expressions - "${JSON.stringify(sel.matchExpressions)}" to map-based selector format`);
        selector = sel?.matchLabels ?? {};
      } else throw new UsageError(`cannot expose a ${r.kind}`);
      if (flags.string("selector")) selector = parseLabels(flags.string("selector"));
      // Ports: --port, else every container port of the pod (template).
      const containers = r.kind === "Pod" ? obj.spec?.containers : r.kind === "Service" ? undefined : obj.spec?.template?.spec?.containers;
      let ports: { port: number; protocol: string }[];
      if (flags.string("port")) ports = flags.string("port").split(",").map((p) => ({ port: Number(p), protocol: flags.string("protocol") || "TCP" }));
      else if (r.kind === "Service") ports = (obj.spec?.ports ?? []).map((p) => ({ port: p.port, protocol: flags.string("protocol") || p.protocol || "TCP" }));
      else ports = (containers ?? []).flatMap((c) => c.ports ?? []).map((p) => ({ port: p.containerPort, protocol: flags.string("protocol") || p.protocol || "TCP" }));
      if (ports.length === 0) throw new UsageError("couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples");
      const targetPort = flags.string("target-port");
      const svcName = flags.string("name") || name;
      const labels = flags.string("labels") ? parseLabels(flags.string("labels")) : obj.metadata.labels;
      const generated = {
        kind: "Service",
        apiVersion: "v1",
        metadata: { name: svcName, creationTimestamp: null, ...(labels && Object.keys(labels).length ? { labels } : {}) },
        spec: {
          ports: ports.map((p, i) => ({
            ...(ports.length > 1 ? { name: `port-${i + 1}` } : flags.string("port-name") ? { name: flags.string("port-name") } : {}),
            protocol: p.protocol,
            port: p.port,
            targetPort: targetPort ? (/^\d+$/.test(targetPort) ? Number(targetPort) : targetPort) : p.port,
          })),
          selector,
          ...(flags.string("type") ? { type: flags.string("type") } : {}),
          ...(flags.string("cluster-ip") ? { clusterIP: flags.string("cluster-ip") } : {}),
        },
        status: { loadBalancer: {} },
      };
      const service = applyOverrides(generated, overrides);
      const shown = (o: Record<string, unknown>) => `service/${String((o.metadata as { name?: unknown } | undefined)?.name ?? "")}`;
      if (dryRun === "client") {
        io.stdout.write(format.kind === "table" ? `${shown(service)} exposed (dry run)\n` : printGeneric(service, format, { typed: true }));
        continue;
      }
      const created = await rest.json<Record<string, unknown>>("POST", `/api/v1/namespaces/${encodeURIComponent(namespace)}/services`, {
        body: service,
        query: { fieldManager: "kubectl-expose", ...(dryRun === "server" ? { dryRun: "All" } : {}) },
      });
      io.stdout.write(format.kind === "table" ? `${shown(created)} exposed${dryRun === "server" ? " (server dry run)" : ""}\n` : printGeneric(created, format));
    }
  }
  return 0;
}
