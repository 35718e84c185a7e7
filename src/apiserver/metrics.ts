// metrics.k8s.io/v1beta1 as metrics-server serves it through the aggregator:
// NodeMetrics and PodMetrics (get and list, labelSelector), computed from
// each reachable kubelet's /stats/summary at request time. As metrics-server,
// a pod appears once every container has run for a full sample (two scrapes),
// and a node only while its kubelet answers.
// Leaves out: watch, fieldSelector, Tables (kubectl get nodemetrics prints
// the default columns) and the APIService object itself.

import { StatusError } from "../apimachinery/errors.ts";
import { parseLabelSelector } from "../apimachinery/labels.ts";
import type { KObject } from "../apimachinery/meta.ts";
import type { APIServer } from "./apiserver.ts";
import type { StatsSummary, UsageStats } from "./kubelet-client.ts";
import type { RequestContext } from "./registry/store.ts";

export const METRICS_GROUP = "metrics.k8s.io";
const API_VERSION = "metrics.k8s.io/v1beta1";
/** metrics-server's windows: the two node scrapes' distance, and the pod's CPU rate window. */
const NODE_WINDOW = "20.029s";
const POD_WINDOW = "10s";
const SAMPLE_MS = 15_000;

/** CPU as a Quantity with scale -9, printed canonically (2000000n → 2m). */
export function cpuQuantity(nanoCores: number): string {
  if (nanoCores === 0) return "0";
  for (const [d, suf] of [[1e9, ""], [1e6, "m"], [1e3, "u"]] as const) if (nanoCores % d === 0) return `${nanoCores / d}${suf}`;
  return `${nanoCores}n`;
}

/** Memory as a BinarySI Quantity, printed canonically (7340032 → 7Mi). */
export function memoryQuantity(bytes: number): string {
  if (bytes === 0) return "0";
  for (const [d, suf] of [[2 ** 40, "Ti"], [2 ** 30, "Gi"], [2 ** 20, "Mi"], [2 ** 10, "Ki"]] as const) if (bytes % d === 0) return `${bytes / d}${suf}`;
  return String(bytes);
}

function usage(u: UsageStats): { cpu: string; memory: string } {
  return { cpu: cpuQuantity(u.usageNanoCores), memory: memoryQuantity(u.workingSetBytes) };
}

async function summaries(api: APIServer): Promise<StatsSummary[]> {
  const out: StatsSummary[] = [];
  for (const node of api.kubelets.nodes()) {
    const s = await api.kubelets.get(node)?.statsSummary().catch(() => undefined);
    if (s) out.push(s);
  }
  return out;
}

function meta(name: string, namespace: string | undefined, labels: Record<string, string> | undefined, now: string): Record<string, unknown> {
  return { name, ...(namespace !== undefined ? { namespace } : {}), creationTimestamp: now, ...(labels && Object.keys(labels).length ? { labels } : {}) };
}

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

async function nodeMetrics(api: APIServer, ctx: RequestContext): Promise<KObject[]> {
  const now = rfc3339(api.clock.now());
  const nodes = new Map(api.list(ctx, { group: "", version: "v1", resource: "nodes" }, undefined, {}).items.map((n) => [n.metadata.name!, n]));
  const out: KObject[] = [];
  for (const s of await summaries(api)) {
    const node = nodes.get(s.node.nodeName);
    if (!node) continue;
    out.push({
      kind: "NodeMetrics",
      apiVersion: API_VERSION,
      metadata: meta(s.node.nodeName, undefined, node.metadata.labels, now),
      timestamp: s.node.time,
      window: NODE_WINDOW,
      usage: usage(s.node),
    } as unknown as KObject);
  }
  return out.sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
}

async function podMetrics(api: APIServer, ctx: RequestContext, namespace: string | undefined): Promise<KObject[]> {
  const now = rfc3339(api.clock.now());
  // By namespace/name, as metrics-server joins them: a static pod's containers carry its manifest's uid, not its mirror pod's.
  const pods = new Map(api.list(ctx, { group: "", version: "v1", resource: "pods" }, namespace, {}).items.map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p]));
  const out: KObject[] = [];
  for (const s of await summaries(api)) {
    for (const p of s.pods) {
      const pod = pods.get(`${p.podRef.namespace}/${p.podRef.name}`);
      if (!pod) continue;
      const spec = (pod as KObject & { spec?: { containers?: { name: string }[] } }).spec;
      // metrics-server needs two scrapes of every container before it reports the pod.
      const ready = (spec?.containers ?? []).every((c) => {
        const cs = p.containers.find((x) => x.name === c.name);
        return cs !== undefined && Date.parse(cs.time) - Date.parse(cs.startTime) >= SAMPLE_MS;
      });
      if (!ready) continue;
      const order = (spec?.containers ?? []).map((c) => c.name);
      const containers = [...p.containers]
        .sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name))
        .map((c) => ({ name: c.name, usage: usage(c) }));
      out.push({
        kind: "PodMetrics",
        apiVersion: API_VERSION,
        metadata: meta(p.podRef.name, p.podRef.namespace, pod.metadata.labels, now),
        timestamp: p.containers[0]?.time ?? now,
        window: POD_WINDOW,
        containers,
      } as unknown as KObject);
    }
  }
  return out.sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
}

/** GET /apis/metrics.k8s.io/v1beta1/[namespaces/NS/](nodes|pods)[/NAME]: the object or list to send. */
export async function serveMetrics(
  api: APIServer,
  ctx: RequestContext,
  resource: string,
  namespace: string | undefined,
  name: string | undefined,
  query: URLSearchParams,
): Promise<unknown> {
  const isNodes = resource === "nodes";
  let items = isNodes ? await nodeMetrics(api, ctx) : await podMetrics(api, ctx, namespace);
  if (name !== undefined) {
    const found = items.find((o) => o.metadata.name === name);
    if (!found) {
      const kind = isNodes ? "nodemetrics" : "podmetrics";
      throw new StatusError(404, "NotFound", `${kind}.${METRICS_GROUP} "${name}" not found`, { name, group: METRICS_GROUP, kind: resource });
    }
    return found;
  }
  const selector = parseLabelSelector(query.get("labelSelector") ?? undefined);
  if (!selector.empty) items = items.filter((o) => selector.matches(o.metadata.labels));
  return { kind: isNodes ? "NodeMetricsList" : "PodMetricsList", apiVersion: API_VERSION, metadata: {}, items };
}
