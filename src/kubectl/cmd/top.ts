// `kubectl top node|pod`, after k8s.io/kubectl/pkg/cmd/top (top_node.go,
// top_pod.go) and pkg/metricsutil/metrics_printer.go: ask discovery whether
// metrics.k8s.io/v1beta1 is served (`error: Metrics API not available` when
// not), read NodeMetrics/PodMetrics, and print CPU as MilliValue (rounded up)
// and memory in whole Mi, with node percentages of allocatable (or capacity
// with --show-capacity), --sort-by cpu|memory, -A, --containers, --sum.
// Leaves out: --field-selector on pods and protobuf.

import { RawError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";
import { goSort } from "../printers/gosort.ts";
import { newGetTabWriter } from "../printers/tabwriter.ts";

interface Usage {
  cpu?: string;
  memory?: string;
}
interface NodeMetrics {
  metadata: { name: string };
  usage: Usage;
}
interface PodMetrics {
  metadata: { name: string; namespace: string };
  containers: { name: string; usage: Usage }[];
}
interface Node {
  metadata: { name: string };
  status?: { allocatable?: Record<string, string>; capacity?: Record<string, string> };
}
interface Pod {
  metadata: { name: string; namespace: string; creationTimestamp?: string };
}

const METRICS = "/apis/metrics.k8s.io/v1beta1";
const SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18, Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/** A quantity as a BigInt of nanounits (exact for everything metrics-server writes). */
function nanos(q: string | undefined): bigint {
  const m = /^([0-9]+)(?:\.([0-9]+))?(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(q ?? "0");
  if (!m) return 0n;
  const frac = m[2] ?? "";
  let v = BigInt(m[1]! + frac) * 10n ** 9n;
  const suf = m[3] ?? "";
  const e = SUFFIX[suf]!;
  if (suf.endsWith("i")) v *= 2n ** BigInt(e);
  else if (e >= 0) v *= 10n ** BigInt(e);
  else v /= 10n ** BigInt(-e);
  return v / 10n ** BigInt(frac.length);
}

/** Quantity.MilliValue / Value: rounded up, as resource.Quantity scales. */
const ceilDiv = (a: bigint, b: bigint): bigint => (a >= 0n ? (a + b - 1n) / b : a / b);
const milli = (n: bigint): bigint => ceilDiv(n, 1_000_000n);
const value = (n: bigint): bigint => ceilDiv(n, 1_000_000_000n);

interface Line {
  cpu: bigint;
  mem: bigint;
}

function usageCells(u: Line, available?: Record<string, string>): string {
  let out = "";
  out += `${milli(u.cpu)}m\t`;
  if (available?.cpu !== undefined) out += `${percent(milli(u.cpu), milli(nanos(available.cpu)))}%\t`;
  out += `${value(u.mem) / 1048576n}Mi\t`;
  if (available?.memory !== undefined) out += `${percent(milli(u.mem), milli(nanos(available.memory)))}%\t`;
  return out;
}

/** int64(float64(used)/float64(available)*100), as the printer computes it. */
function percent(used: bigint, available: bigint): string {
  return String(Math.trunc((Number(used) / Number(available)) * 100));
}

function checkSortBy(sortBy: string): void {
  if (sortBy && sortBy !== "cpu" && sortBy !== "memory") throw new RawError("error: --sort-by accepts only cpu or memory");
}

export async function run(ctx: CommandContext): Promise<number> {
  const disco = await ctx.factory.discovery();
  const served = (await disco.all()).some((r) => r.group === "metrics.k8s.io" && r.version === "v1beta1");
  if (!served) throw new RawError("error: Metrics API not available");
  return ctx.commandPath.endsWith(" node") ? topNode(ctx) : topPod(ctx);
}

async function topNode(ctx: CommandContext): Promise<number> {
  const { flags, io } = ctx;
  const sortBy = flags.string("sort-by");
  checkSortBy(sortBy);
  const rest = await ctx.factory.rest();
  const name = ctx.args[0];
  const selector = flags.string("selector");
  const query = selector ? { labelSelector: selector } : undefined;
  let metrics: NodeMetrics[];
  let nodes: Node[];
  if (name) {
    metrics = [await rest.json<NodeMetrics>("GET", `${METRICS}/nodes/${name}`)];
    nodes = [await rest.json<Node>("GET", `/api/v1/nodes/${name}`)];
  } else {
    metrics = (await rest.json<{ items: NodeMetrics[] }>("GET", `${METRICS}/nodes`, { query })).items ?? [];
    if (metrics.length === 0) throw new RawError("error: metrics not available yet");
    nodes = (await rest.json<{ items: Node[] }>("GET", "/api/v1/nodes", { query })).items ?? [];
  }
  const available = new Map(nodes.map((n) => [n.metadata.name, (flags.bool("show-capacity") ? n.status?.capacity : n.status?.allocatable) ?? {}]));
  const lines = metrics.map((m) => ({ name: m.metadata.name, cpu: nanos(m.usage.cpu), mem: nanos(m.usage.memory) }));
  const sorted = goSort(lines, (a, b) => (sortBy === "cpu" ? milli(a.cpu) > milli(b.cpu) : sortBy === "memory" ? value(a.mem) > value(b.mem) : a.name < b.name));
  let text = "";
  const w = newGetTabWriter((s) => (text += s));
  if (!flags.bool("no-headers")) {
    const pct = (await ctx.factory.clientBehaviour()).has("topNodeParenthesisedPercent") ? "(%)" : "%";
    w.write(`NAME\tCPU(cores)\tCPU${pct}\tMEMORY(bytes)\tMEMORY${pct}\t\n`);
  }
  for (const l of sorted) {
    w.write(`${l.name}\t${usageCells(l, available.get(l.name) ?? {})}\n`);
    available.delete(l.name);
  }
  // Nodes whose metrics are missing (kubelet down), as printMissingMetricsNodeLine writes them.
  for (const n of available.keys()) w.write(`${n}\t<unknown>\t<unknown>\t<unknown>\t<unknown>\t\n`);
  w.flush();
  io.stdout.write(text);
  return 0;
}

async function topPod(ctx: CommandContext): Promise<number> {
  const { flags, io } = ctx;
  const sortBy = flags.string("sort-by");
  checkSortBy(sortBy);
  const rest = await ctx.factory.rest();
  const all = flags.bool("all-namespaces");
  const { namespace } = ctx.factory.namespace();
  const name = ctx.args[0];
  const selector = flags.string("selector");
  const query = selector ? { labelSelector: selector } : undefined;
  const base = all ? METRICS : `${METRICS}/namespaces/${namespace}`;
  let metrics: PodMetrics[];
  if (name) metrics = [await rest.json<PodMetrics>("GET", `${METRICS}/namespaces/${namespace}/pods/${name}`)];
  else metrics = (await rest.json<{ items: PodMetrics[] }>("GET", `${base}/pods`, { query })).items ?? [];
  if (metrics.length === 0) {
    await verifyEmptyMetrics(ctx, all, namespace, query);
    io.stderr.write(all ? "No resources found\n" : `No resources found in ${namespace} namespace.\n`);
    return 0;
  }
  const containers = flags.bool("containers");
  const lines = metrics.map((m) => {
    const cs = m.containers.map((c) => ({ name: c.name, cpu: nanos(c.usage.cpu), mem: nanos(c.usage.memory) }));
    return { m, cs, cpu: cs.reduce((s, c) => s + c.cpu, 0n), mem: cs.reduce((s, c) => s + c.mem, 0n) };
  });
  const byUsage = <T extends Line>(a: T, b: T) => (sortBy === "cpu" ? milli(a.cpu) > milli(b.cpu) : value(a.mem) > value(b.mem));
  const sorted = goSort(lines, (a, b) => {
    if (sortBy) return byUsage(a, b);
    if (all && a.m.metadata.namespace !== b.m.metadata.namespace) return a.m.metadata.namespace < b.m.metadata.namespace;
    return a.m.metadata.name < b.m.metadata.name;
  });
  let text = "";
  const w = newGetTabWriter((s) => (text += s));
  let width = 3;
  if (!flags.bool("no-headers")) {
    if (all) (w.write("NAMESPACE\t"), width++);
    if (containers) (w.write("POD\t"), width++);
    w.write("NAME\tCPU(cores)\tMEMORY(bytes)\t\n");
  }
  for (const l of sorted) {
    const ns = all ? `${l.m.metadata.namespace}\t` : "";
    if (!containers) {
      w.write(`${ns}${l.m.metadata.name}\t${usageCells(l)}\n`);
      continue;
    }
    const cs = sortBy ? goSort(l.cs, byUsage) : goSort(l.cs, (a, b) => a.name < b.name);
    for (const c of cs) w.write(`${ns}${l.m.metadata.name}\t${c.name}\t${usageCells(c)}\n`);
  }
  if (flags.bool("sum")) {
    const total = { cpu: lines.reduce((s, l) => s + l.cpu, 0n), mem: lines.reduce((s, l) => s + l.mem, 0n) };
    w.write(`${"\t".repeat(Math.max(0, width - 2))}________\t________\t\n`);
    w.write(`${"\t".repeat(Math.max(0, width - 3))}\t${usageCells(total)}\n`);
  }
  w.flush();
  io.stdout.write(text);
  return 0;
}

/** No metrics: a pod older than metrics-server's 2-minute creation delay means they are missing, not late. */
async function verifyEmptyMetrics(ctx: CommandContext, all: boolean, namespace: string, query: { labelSelector: string } | undefined): Promise<void> {
  const rest = await ctx.factory.rest();
  const path = all ? "/api/v1/pods" : `/api/v1/namespaces/${namespace}/pods`;
  const pods = (await rest.json<{ items: Pod[] }>("GET", path, { query })).items ?? [];
  if (pods.length === 0) return;
  for (const p of pods) {
    const ageMs = ctx.now() - (Date.parse(p.metadata.creationTimestamp ?? "") || ctx.now());
    if (ageMs > 120_000) throw new RawError(`error: Metrics not available for pod ${p.metadata.namespace}/${p.metadata.name}, age: ${goDuration(ageMs)}`);
  }
  throw new RawError("error: metrics not available yet");
}

/** time.Duration.String for whole milliseconds: 5m3.5s. */
function goDuration(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h ? `${h}h` : ""}${h || m ? `${m}m` : ""}${s}s`;
}
