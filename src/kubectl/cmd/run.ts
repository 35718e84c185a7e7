// `kubectl run NAME --image=IMAGE`, after k8s.io/kubectl/pkg/cmd/run (v1.32):
// a Pod labelled run=NAME, `pod/NAME created`. With the lab's legacy switch
// (KUBELAB_KUBECTL_LEGACY_RUN=1) it behaves as kubectl ≤1.17 did: the default
// generator makes a Deployment (with --replicas) and prints the deprecation
// warning. --overrides patches the generated object before it is printed or
// sent (overrides.ts). Leaves out --attach/-i/-t/--rm (no attach) and --expose.

import type { CommandContext } from "../kubectl.ts";
import { UsageError } from "../errors.ts";
import { parseOutputFormat, printGeneric } from "../printers/generic.ts";
import { applyOverrides, overrideOptions } from "./overrides.ts";

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
  const { flags } = ctx;
  const name = ctx.args[0];
  if (!name) throw new UsageError("NAME is required for run");
  const image = flags.string("image");
  const restart = flags.string("restart", "Always");
  if (!["Always", "OnFailure", "Never"].includes(restart)) throw new UsageError(`invalid restart policy: ${restart}`);
  const labels = flags.string("labels") ? parseLabels(flags.string("labels")) : { run: name };
  // Fields in corev1.Container order, so JSON of the built object reads as kubectl's.
  const container: Record<string, unknown> = { name, image };
  const extra = ctx.args.slice(1);
  if (extra.length > 0) container[flags.bool("command") ? "command" : "args"] = extra;
  if (flags.string("port")) container.ports = [{ containerPort: Number(flags.string("port")) }];
  const env = flags.strings("env").map((e) => {
    const eq = e.indexOf("=");
    return eq < 0 ? { name: e } : { name: e.slice(0, eq), value: e.slice(eq + 1) };
  });
  if (env.length > 0) container.env = env;
  container.resources = {};
  if (flags.string("image-pull-policy")) container.imagePullPolicy = flags.string("image-pull-policy");
  const annotations: Record<string, string> = {};
  for (const a of flags.strings("annotations")) {
    const eq = a.indexOf("=");
    annotations[a.slice(0, eq)] = a.slice(eq + 1);
  }
  const { namespace } = ctx.factory.namespace();
  const rest = await ctx.factory.rest();
  const dryRun = flags.string("dry-run", "none");
  const format = parseOutputFormat(flags.string("output"));

  // kubectl ≤1.17: restart=Always used the deployment/apps.v1 generator.
  const legacyDeployment = ctx.legacyRun && (flags.string("generator") === "deployment/apps.v1" || (!flags.string("generator") && restart === "Always"));
  let obj: Record<string, unknown>;
  let path: string;
  let shown: string;
  if (legacyDeployment) {
    ctx.io.stderr.write(
      "kubectl run --generator=deployment/apps.v1 is DEPRECATED and will be removed in a future version. Use kubectl run --generator=run-pod/v1 or kubectl create instead.\n",
    );
    obj = {
      kind: "Deployment",
      apiVersion: "apps/v1",
      metadata: { name, creationTimestamp: null, labels },
      spec: {
        replicas: flags.changed("replicas") ? flags.int("replicas") : 1,
        selector: { matchLabels: labels },
        template: { metadata: { creationTimestamp: null, labels }, spec: { containers: [container] } },
        strategy: {},
      },
      status: {},
    };
    path = `/apis/apps/v1/namespaces/${namespace}/deployments`;
    shown = "deployment.apps";
  } else {
    obj = {
      kind: "Pod",
      apiVersion: "v1",
      metadata: { name, creationTimestamp: null, labels, ...(Object.keys(annotations).length ? { annotations } : {}) },
      spec: { containers: [container], restartPolicy: restart, dnsPolicy: "ClusterFirst" },
      status: {},
    };
    path = `/api/v1/namespaces/${namespace}/pods`;
    shown = "pod";
  }
  // As upstream: the REST mapping comes from the generated kind, then the overrides apply.
  obj = applyOverrides(obj, await overrideOptions(ctx));
  const shownName = (o: Record<string, unknown>) => `${shown}/${String((o.metadata as { name?: unknown } | undefined)?.name ?? "")}`;
  if (dryRun === "client") {
    ctx.io.stdout.write(format.kind === "table" ? `${shownName(obj)} created (dry run)\n` : printGeneric(obj, format, { typed: true }));
    return 0;
  }
  const created = await rest.json<Record<string, unknown>>("POST", path, {
    body: obj,
    query: { fieldManager: "kubectl-run", ...(dryRun === "server" ? { dryRun: "All" } : {}) },
  });
  ctx.io.stdout.write(format.kind === "table" ? `${shownName(created)} created${dryRun === "server" ? " (server dry run)" : ""}\n` : printGeneric(created, format));
  return 0;
}
