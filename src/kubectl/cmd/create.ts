// `kubectl create deployment|namespace`, after k8s.io/kubectl/pkg/cmd/create
// (create_deployment.go, create_namespace.go): the objects the generators
// build, POSTed with fieldManager=kubectl-create, and their messages.
// (Real 1.32 sends protobuf for these; the emulated one sends the same
// object as JSON.) The other generators are cmd/create<kind>.ts; create -f
// is createfile.ts.

import { StatusError } from "../../apimachinery/errors.ts";
import type { CommandContext } from "../kubectl.ts";
import { UsageError } from "../errors.ts";
import { printFormat, printGeneric } from "../printers/generic.ts";
import { nameFromArgs } from "./createsubcommand.ts";

/** The container name create deployment derives from an image reference. */
function containerName(image: string): string {
  let name = image.split("/").pop() ?? image;
  if (name.includes(":")) name = name.split(":")[0]!;
  if (name.includes("@")) name = name.split("@")[0]!;
  return name.replace(/_/g, "-");
}

export async function run(ctx: CommandContext): Promise<number> {
  const { flags } = ctx;
  const sub = ctx.commandPath.split(" ")[2];
  const name = nameFromArgs(ctx);
  const rest = await ctx.factory.rest();
  const { namespace } = ctx.factory.namespace();
  const dryRun = flags.string("dry-run", "none");
  const format = printFormat(flags, ctx.io.cwd);
  const query = { fieldManager: "kubectl-create", fieldValidation: "Strict", ...(dryRun === "server" ? { dryRun: "All" } : {}) };

  if (sub === "namespace") {
    const obj = { kind: "Namespace", apiVersion: "v1", metadata: { name, creationTimestamp: null }, spec: {}, status: {} };
    if (dryRun === "client") {
      ctx.io.stdout.write(format.kind === "table" ? `namespace/${name} created (dry run)\n` : printGeneric(obj, format, { typed: true }));
      return 0;
    }
    const created = await rest.json<Record<string, unknown>>("POST", "/api/v1/namespaces", { body: obj, query });
    ctx.io.stdout.write(format.kind === "table" ? `namespace/${name} created${dryRun === "server" ? " (server dry run)" : ""}\n` : printGeneric(created, format));
    return 0;
  }

  const images = flags.strings("image");
  const seen = new Map<string, number>();
  const containers = images.map((image) => {
    let cname = containerName(image);
    const n = seen.get(cname) ?? 0;
    seen.set(cname, n + 1);
    if (n > 0) cname = `${cname}-${n}`;
    return { name: cname, image, resources: {} } as Record<string, unknown>;
  });
  const port = flags.changed("port") ? flags.int("port") : -1;
  if (port >= 0 && containers.length > 0) containers[0]!.ports = [{ containerPort: port }];
  const labels = { app: name };
  const obj = {
    kind: "Deployment",
    apiVersion: "apps/v1",
    metadata: { name, creationTimestamp: null, labels },
    spec: {
      replicas: flags.changed("replicas") ? flags.int("replicas") : 1,
      selector: { matchLabels: labels },
      template: { metadata: { creationTimestamp: null, labels }, spec: { containers } },
      strategy: {},
    },
    status: {},
  };
  if (dryRun === "client") {
    ctx.io.stdout.write(format.kind === "table" ? `deployment.apps/${name} created (dry run)\n` : printGeneric(obj, format, { typed: true }));
    return 0;
  }
  let created: Record<string, unknown>;
  try {
    created = await rest.json<Record<string, unknown>>("POST", `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments`, { body: obj, query });
  } catch (e) {
    if (e instanceof StatusError) throw new UsageError(`failed to create deployment: ${e.status.message}`);
    throw e;
  }
  // kubectl decodes the answer into a typed Deployment, whose Status struct always prints (`status: {}`).
  const typed = { ...created, status: created.status ?? {} };
  ctx.io.stdout.write(format.kind === "table" ? `deployment.apps/${name} created${dryRun === "server" ? " (server dry run)" : ""}\n` : printGeneric(typed, format));
  return 0;
}
