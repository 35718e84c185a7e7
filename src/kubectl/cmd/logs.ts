// `kubectl logs`, after k8s.io/kubectl/pkg/cmd/logs and polymorphichelpers
// (logsforobject, attachablepodforobject): a pod, or TYPE/NAME of a workload
// (one of its pods, `Found N pods, using pod/X` on stderr), the default
// container (annotation or first, `Defaulted container …` when several),
// -c, -f, --tail, -p, --timestamps. Kinds without a pod selector fail as
// SelectorsForObject does ("selector for *v1.Node not implemented").
// Leaves out --all-containers, -l across pods, --since*.

import { StatusError } from "../../apimachinery/errors.ts";
import { type APIResource, pathFor } from "../discovery.ts";
import { RawError, UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";
import { formatLabels } from "../printers/table.ts";

type Rest = Awaited<ReturnType<CommandContext["factory"]["rest"]>>;

interface Pod {
  metadata: { name: string; namespace?: string; annotations?: Record<string, string>; creationTimestamp?: string; deletionTimestamp?: string };
  spec: { containers: { name: string }[]; initContainers?: { name: string }[]; ephemeralContainers?: { name: string }[]; nodeName?: string };
  status?: { phase?: string; conditions?: { type: string; status: string }[]; containerStatuses?: { ready?: boolean; restartCount?: number }[] };
}

/** podutils.ByLogging: the pod kubectl picks first for logs. */
function byLogging(a: Pod, b: Pod): number {
  const assigned = (p: Pod) => (p.spec.nodeName ? 1 : 0);
  if (assigned(a) !== assigned(b)) return assigned(b) - assigned(a);
  const rank: Record<string, number> = { Running: 0, Unknown: 1, Pending: 2 };
  const pa = rank[a.status?.phase ?? ""] ?? 3;
  const pb = rank[b.status?.phase ?? ""] ?? 3;
  if (pa !== pb) return pa - pb;
  const ready = (p: Pod) => (p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ? 1 : 0);
  if (ready(a) !== ready(b)) return ready(b) - ready(a);
  const restarts = (p: Pod) => Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
  const created = (p: Pod) => Date.parse(p.metadata.creationTimestamp ?? "") || 0;
  return created(a) - created(b);
}

export async function run(ctx: CommandContext): Promise<number> {
  const { flags, io } = ctx;
  if (ctx.args.length === 0 || ctx.args.length > 2) {
    throw new UsageError(
      "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples",
    );
  }
  const rest = await ctx.factory.rest();
  const { namespace } = ctx.factory.namespace();
  const target = ctx.args[0]!;
  let container = flags.string("container") || ctx.args[1] || "";
  let pod: Pod;
  if (target.includes("/")) {
    const disco = await ctx.factory.discovery();
    const [type, name] = [target.slice(0, target.indexOf("/")), target.slice(target.indexOf("/") + 1)];
    const r = await disco.resolve(type);
    if (r.kind === "Pod") pod = await getPod(ctx, rest, namespace, name);
    else {
      const obj = await getNamespaced<Selectable>(ctx, rest, pathFor(r, namespace, name), namespace);
      const labels = selectorsForObject(r, obj);
      const list = await rest.json<{ items?: Pod[] }>("GET", pathFor({ group: "", version: "v1", resource: "pods", namespaced: true }, namespace), {
        query: { labelSelector: formatLabels(labels), limit: 500 },
      });
      const pods = [...(list.items ?? [])].sort(byLogging);
      if (pods.length === 0) throw new UsageError(`timed out waiting for the condition`);
      pod = pods[0]!;
      if (pods.length > 1) io.stderr.write(`Found ${pods.length} pods, using pod/${pod.metadata.name}\n`);
    }
  } else pod = await getPod(ctx, rest, namespace, target);

  if (!container) {
    const def = pod.metadata.annotations?.["kubectl.kubernetes.io/default-container"];
    container = def ?? pod.spec.containers[0]?.name ?? "";
    if (!def && pod.spec.containers.length > 1) {
      const all = [...pod.spec.containers, ...(pod.spec.initContainers ?? []), ...(pod.spec.ephemeralContainers ?? [])].map((c) => c.name);
      io.stderr.write(`Defaulted container "${container}" out of: ${all.join(", ")}\n`);
    }
  }
  const query: Record<string, string | number | undefined> = {
    container,
    follow: flags.bool("follow") ? "true" : undefined,
    previous: flags.bool("previous") ? "true" : undefined,
    timestamps: flags.bool("timestamps") ? "true" : undefined,
    tailLines: flags.changed("tail") && flags.int("tail") >= 0 ? flags.int("tail") : undefined,
    limitBytes: flags.changed("limit-bytes") ? flags.int("limit-bytes") : undefined,
  };
  const path = pathFor({ group: "", version: "v1", resource: "pods", namespaced: true }, namespace, pod.metadata.name, "log");
  try {
    await rest.stream(path, query, (text) => io.stdout.write(text), io.signal);
  } catch (e) {
    if (io.signal.aborted) return 130;
    throw e;
  }
  return io.signal.aborted ? 130 : 0;
}

interface Selectable {
  metadata: { name: string };
  spec?: { selector?: { matchLabels?: Record<string, string> } | Record<string, string> };
}

/** The kinds SelectorsForObject knows (1.32 has no Node case), by group/kind. */
const LABEL_SELECTOR_KINDS = new Set(["apps/ReplicaSet", "apps/StatefulSet", "apps/DaemonSet", "apps/Deployment", "batch/Job", "extensions/ReplicaSet", "extensions/DaemonSet", "extensions/Deployment"]);

/** Go's %T of the typed object kubectl decodes: *<version package>.<Kind>; kinds outside the scheme stay unstructured. */
function goType(r: APIResource): string {
  const builtin = r.group === "" || !r.group.includes(".") || r.group.endsWith(".k8s.io");
  return builtin ? `*${r.version}.${r.kind}` : "*unstructured.Unstructured";
}

/** polymorphichelpers.SelectorsForObject: the labels that pick the object's pods (equality selectors are all the lab's workloads use). */
function selectorsForObject(r: APIResource, obj: Selectable): Record<string, string> {
  const fail = (why: string) => new RawError(`error: cannot get the logs from ${goType(r)}: ${why}`);
  if (r.group === "" && r.kind === "ReplicationController") return (obj.spec?.selector as Record<string, string> | undefined) ?? {};
  if (r.group === "" && r.kind === "Service") {
    const sel = obj.spec?.selector as Record<string, string> | undefined;
    if (!sel || Object.keys(sel).length === 0) throw fail(`invalid service '${obj.metadata.name}': Service is defined without a selector`);
    return sel;
  }
  if (LABEL_SELECTOR_KINDS.has(`${r.group}/${r.kind}`)) return (obj.spec?.selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels ?? {};
  throw fail(`selector for ${goType(r)} not implemented`);
}

async function getPod(ctx: CommandContext, rest: Rest, namespace: string, name: string): Promise<Pod> {
  return getNamespaced<Pod>(ctx, rest, pathFor({ group: "", version: "v1", resource: "pods", namespaced: true }, namespace, name), namespace);
}

/** The builder's GET: from 1.30 a NotFound, whatever the kind, names the namespace kubectl looked in. */
async function getNamespaced<T>(ctx: CommandContext, rest: Rest, path: string, namespace: string): Promise<T> {
  try {
    return await rest.json<T>("GET", path);
  } catch (e) {
    // kubectl ≤1.29 lets the server's NotFound through as "Error from server (NotFound): …".
    if (e instanceof StatusError && e.code === 404 && (await ctx.factory.clientBehaviour()).has("logsNamespacedNotFound")) {
      throw new RawError(`error: error from server (NotFound): ${e.message} in namespace "${namespace}"`);
    }
    throw e;
  }
}
