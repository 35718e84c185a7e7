// `kubectl describe deployment|replicaset|daemonset|statefulset`, after
// describe.go's describeDeployment (with deploymentutil's old/new ReplicaSet
// split), describeReplicaSet, describeDaemonSet and describeStatefulSet (pod
// phase counts of the pods each controls, a StatefulSet's claim templates).

import { formatLabels } from "../printers/table.ts";
import {
  controllerOf,
  type DescribeContext,
  describeEvents,
  formatLabelSelector,
  LEVEL_0,
  LEVEL_1,
  type Meta,
  PrefixWriter,
  printAnnotationsMultiline,
  printLabelsMultiline,
  rfc1123z,
  searchEvents,
  selectorString,
} from "./describe.ts";
import { describePodTemplate, type Pod, type PodSpec } from "./pod.ts";
import { type ClaimTemplate, describeVolumeClaimTemplates } from "./storage.ts";

type Selector = { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
type Template = { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: PodSpec };

interface Condition {
  type: string;
  status: string;
  reason?: string;
}

export interface Deployment {
  metadata: Meta;
  spec: {
    replicas?: number;
    selector: Selector;
    template: Template;
    minReadySeconds?: number;
    strategy?: { type?: string; rollingUpdate?: { maxUnavailable?: number | string; maxSurge?: number | string } };
  };
  status?: { replicas?: number; updatedReplicas?: number; availableReplicas?: number; unavailableReplicas?: number; conditions?: Condition[] };
}

export interface ReplicaSet {
  metadata: Meta;
  spec: { replicas?: number; selector: Selector; template: Template };
  status?: { replicas?: number; conditions?: Condition[] };
}

const labelQuery = (sel: Selector) => selectorString(sel);

/** Pod phase counts for the pods a controller owns (getPodStatusForController). */
async function podStatusFor(ctx: DescribeContext, namespace: string, sel: Selector, uid: string | undefined): Promise<[number, number, number, number]> {
  const list = await ctx.rest.json<{ items?: Pod[] }>("GET", `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`, {
    query: { labelSelector: labelQuery(sel), limit: 500 },
  });
  const counts: [number, number, number, number] = [0, 0, 0, 0];
  for (const p of list.items ?? []) {
    const ref = p.metadata.ownerReferences?.find((r) => r.controller);
    if (!ref || ref.uid !== uid) continue;
    const i = ["Running", "Pending", "Succeeded", "Failed"].indexOf(p.status?.phase ?? "");
    if (i >= 0) counts[i]!++;
  }
  return counts;
}

/** Templates equal apart from the pod-template-hash label (deploymentutil.EqualIgnoreHash). */
function equalIgnoreHash(a: Template, b: Template): boolean {
  const strip = (t: Template) => {
    const labels = { ...(t.metadata?.labels ?? {}) };
    delete labels["pod-template-hash"];
    return JSON.stringify(sortDeep({ ...t, metadata: { ...(t.metadata ?? {}), labels } }));
  };
  return strip(a) === strip(b);
}

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortDeep((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

const intOrString = (v: number | string | undefined) => (v === undefined ? "" : String(v));

export async function describeDeployment(ctx: DescribeContext, d: Deployment): Promise<string> {
  const m = d.metadata;
  const events = ctx.showEvents ? await searchEvents(ctx, { kind: "Deployment", name: m.name, namespace: m.namespace, uid: m.uid }) : undefined;
  let oldRSs: ReplicaSet[] = [];
  let newRSs: ReplicaSet[] = [];
  try {
    const list = await ctx.rest.json<{ items?: ReplicaSet[] }>("GET", `/apis/apps/v1/namespaces/${encodeURIComponent(m.namespace ?? "")}/replicasets`, {
      query: { labelSelector: labelQuery(d.spec.selector), limit: 500 },
    });
    const owned = (list.items ?? []).filter((rs) => rs.metadata.ownerReferences?.some((r) => r.controller && r.uid === m.uid));
    const byAge = [...owned].sort((a, b) => Date.parse(a.metadata.creationTimestamp ?? "") - Date.parse(b.metadata.creationTimestamp ?? "") || (a.metadata.name < b.metadata.name ? -1 : 1));
    const newRS = byAge.find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
    newRSs = newRS ? [newRS] : [];
    oldRSs = owned.filter((rs) => rs !== newRS);
  } catch {
    /* describe still prints the deployment */
  }
  const st = d.status ?? {};
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${m.name}\n`);
  w.write(LEVEL_0, `Namespace:\t${m.namespace ?? ""}\n`);
  w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(m.creationTimestamp)}\n`);
  printLabelsMultiline(w, "Labels", m.labels);
  printAnnotationsMultiline(w, "Annotations", m.annotations);
  w.write(LEVEL_0, `Selector:\t${selectorString(d.spec.selector)}\n`);
  w.write(
    LEVEL_0,
    `Replicas:\t${d.spec.replicas ?? 1} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.availableReplicas ?? 0} available | ${st.unavailableReplicas ?? 0} unavailable\n`,
  );
  w.write(LEVEL_0, `StrategyType:\t${d.spec.strategy?.type ?? ""}\n`);
  w.write(LEVEL_0, `MinReadySeconds:\t${d.spec.minReadySeconds ?? 0}\n`);
  const ru = d.spec.strategy?.rollingUpdate;
  if (ru) w.write(LEVEL_0, `RollingUpdateStrategy:\t${intOrString(ru.maxUnavailable)} max unavailable, ${intOrString(ru.maxSurge)} max surge\n`);
  describePodTemplate(d.spec.template, w, ctx.client);
  if (st.conditions?.length) {
    w.write(LEVEL_0, "Conditions:\n  Type\tStatus\tReason\n");
    w.write(LEVEL_1, "----\t------\t------\n");
    for (const c of st.conditions) w.write(LEVEL_1, `${c.type} \t${c.status}\t${c.reason ?? ""}\n`);
  }
  if (oldRSs.length > 0 || newRSs.length > 0) {
    const fmt = (rss: ReplicaSet[]) => rss.map((rs) => `${rs.metadata.name} (${rs.status?.replicas ?? 0}/${rs.spec.replicas ?? 1} replicas created)`).join(", ") || "<none>";
    w.write(LEVEL_0, `OldReplicaSets:\t${fmt(oldRSs)}\n`);
    w.write(LEVEL_0, `NewReplicaSet:\t${fmt(newRSs)}\n`);
  }
  if (events) describeEvents(events, w, ctx.now);
  return w.result();
}

export async function describeReplicaSet(ctx: DescribeContext, rs: ReplicaSet): Promise<string> {
  const m = rs.metadata;
  let podStatus = "";
  try {
    const [running, waiting, succeeded, failed] = await podStatusFor(ctx, m.namespace ?? "", rs.spec.selector, m.uid);
    podStatus = `${running} Running / ${waiting} Waiting / ${succeeded} Succeeded / ${failed} Failed`;
  } catch (e) {
    podStatus = `error in fetching pods: ${(e as Error).message}`;
  }
  const events = ctx.showEvents ? await searchEvents(ctx, { kind: "ReplicaSet", name: m.name, namespace: m.namespace, uid: m.uid }) : undefined;
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${m.name}\n`);
  w.write(LEVEL_0, `Namespace:\t${m.namespace ?? ""}\n`);
  w.write(LEVEL_0, `Selector:\t${formatLabelSelector(rs.spec.selector)}\n`);
  printLabelsMultiline(w, "Labels", m.labels);
  printAnnotationsMultiline(w, "Annotations", m.annotations);
  const ctrl = controllerOf(m);
  if (ctrl) w.write(LEVEL_0, `Controlled By:\t${ctrl}\n`);
  w.write(LEVEL_0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec.replicas ?? 1} desired\n`);
  w.write(LEVEL_0, "Pods Status:\t");
  w.write(LEVEL_0, `${podStatus}\n`);
  describePodTemplate(rs.spec.template, w, ctx.client);
  if (rs.status?.conditions?.length) {
    w.write(LEVEL_0, "Conditions:\n  Type\tStatus\tReason\n");
    w.write(LEVEL_1, "----\t------\t------\n");
    for (const c of rs.status.conditions) w.write(LEVEL_1, `${c.type} \t${c.status}\t${c.reason ?? ""}\n`);
  }
  if (events) describeEvents(events, w, ctx.now);
  return w.result();
}

export interface DaemonSet {
  metadata: Meta;
  spec: { selector: Selector; template: Template };
  status?: {
    desiredNumberScheduled?: number;
    currentNumberScheduled?: number;
    updatedNumberScheduled?: number;
    numberAvailable?: number;
    numberMisscheduled?: number;
  };
}

export async function describeDaemonSet(ctx: DescribeContext, ds: DaemonSet): Promise<string> {
  const m = ds.metadata;
  const [running, waiting, succeeded, failed] = await podStatusFor(ctx, m.namespace ?? "", ds.spec.selector, m.uid);
  const events = ctx.showEvents ? await searchEvents(ctx, { kind: "DaemonSet", name: m.name, namespace: m.namespace, uid: m.uid }) : undefined;
  const st = ds.status ?? {};
  const w = new PrefixWriter();
  // (v1.32 and older print no Namespace line for DaemonSets; 1.33 does.)
  w.write(LEVEL_0, `Name:\t${m.name}\n`);
  if (ctx.client?.has("daemonSetNamespace")) w.write(LEVEL_0, `Namespace:\t${m.namespace ?? ""}\n`);
  w.write(LEVEL_0, `Selector:\t${selectorString(ds.spec.selector)}\n`);
  w.write(LEVEL_0, `Node-Selector:\t${formatLabels(ds.spec.template.spec.nodeSelector)}\n`);
  printLabelsMultiline(w, "Labels", m.labels);
  printAnnotationsMultiline(w, "Annotations", m.annotations);
  w.write(LEVEL_0, `Desired Number of Nodes Scheduled: ${st.desiredNumberScheduled ?? 0}\n`);
  w.write(LEVEL_0, `Current Number of Nodes Scheduled: ${st.currentNumberScheduled ?? 0}\n`);
  w.write(LEVEL_0, `Number of Nodes Scheduled with Up-to-date Pods: ${st.updatedNumberScheduled ?? 0}\n`);
  w.write(LEVEL_0, `Number of Nodes Scheduled with Available Pods: ${st.numberAvailable ?? 0}\n`);
  w.write(LEVEL_0, `Number of Nodes Misscheduled: ${st.numberMisscheduled ?? 0}\n`);
  w.write(LEVEL_0, `Pods Status:\t${running} Running / ${waiting} Waiting / ${succeeded} Succeeded / ${failed} Failed\n`);
  describePodTemplate(ds.spec.template, w, ctx.client);
  if (events) describeEvents(events, w, ctx.now);
  return w.result();
}

export interface StatefulSet {
  metadata: Meta;
  spec: {
    replicas?: number;
    selector: Selector;
    template: Template;
    updateStrategy?: { type?: string; rollingUpdate?: { partition?: number; maxUnavailable?: number | string } };
    volumeClaimTemplates?: ClaimTemplate[];
  };
  status?: { replicas?: number };
}

export async function describeStatefulSet(ctx: DescribeContext, ss: StatefulSet): Promise<string> {
  const m = ss.metadata;
  const [running, waiting, succeeded, failed] = await podStatusFor(ctx, m.namespace ?? "", ss.spec.selector, m.uid);
  const events = ctx.showEvents ? await searchEvents(ctx, { kind: "StatefulSet", name: m.name, namespace: m.namespace, uid: m.uid }) : undefined;
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${m.name}\n`);
  w.write(LEVEL_0, `Namespace:\t${m.namespace ?? ""}\n`);
  w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(m.creationTimestamp)}\n`);
  w.write(LEVEL_0, `Selector:\t${selectorString(ss.spec.selector)}\n`);
  printLabelsMultiline(w, "Labels", m.labels);
  printAnnotationsMultiline(w, "Annotations", m.annotations);
  w.write(LEVEL_0, `Replicas:\t${ss.spec.replicas ?? 1} desired | ${ss.status?.replicas ?? 0} total\n`);
  w.write(LEVEL_0, `Update Strategy:\t${ss.spec.updateStrategy?.type ?? ""}\n`);
  const ru = ss.spec.updateStrategy?.rollingUpdate;
  // MaxUnavailable is printed only under a Partition, as upstream nests it.
  if (ru && ru.partition !== undefined && ru.partition !== null) {
    w.write(LEVEL_1, `Partition:\t${ru.partition}\n`);
    if (ru.maxUnavailable !== undefined && ru.maxUnavailable !== null) w.write(LEVEL_1, `MaxUnavailable:\t${ru.maxUnavailable}\n`);
  }
  w.write(LEVEL_0, `Pods Status:\t${running} Running / ${waiting} Waiting / ${succeeded} Succeeded / ${failed} Failed\n`);
  describePodTemplate(ss.spec.template, w, ctx.client);
  describeVolumeClaimTemplates(ss.spec.volumeClaimTemplates, w);
  if (events) describeEvents(events, w, ctx.now);
  return w.result();
}
