// The DaemonSet controller, after pkg/controller/daemon/daemon_controller.go:
// one pod per eligible node, pinned there with required node affinity on
// metadata.name (the default scheduler binds it, as upstream since v1.12),
// with the tolerations DaemonSet pods always get; a ControllerRevision per
// template whose hash labels the pods; RollingUpdate replaces old-hash pods
// at most maxUnavailable at a time; status counts.
// Leaves out: OnDelete history bookkeeping, maxSurge, revision cleanup.

import { isAlreadyExists, isNotFound } from "../../apimachinery/errors.ts";
import { selectorFromSpec } from "../../apimachinery/labels.ts";
import { objectKey } from "../../apimachinery/meta.ts";
import { GVR } from "../../client/interface.ts";
import { type Controller, type ControllerContext, newQueue, newRecorder, splitKey } from "../context.ts";
import { canonicalJSON, computeHash, controllerRef, getControllerOf, isPodActive, isPodAvailable, isPodReady, podFromTemplate } from "../controller-utils.ts";
import type { ControllerRevision, DaemonSet, Node, NodeSelectorRequirement, NodeSelectorTerm, Pod, Taint, Toleration } from "../types.ts";

export const CONTROLLER_REVISION_HASH = "controller-revision-hash";
const BY_CONTROLLER = "daemonset:controller";

/** AddOrUpdateDaemonPodTolerations: DaemonSet pods ride out node trouble. */
export function daemonTolerations(existing: Toleration[] | undefined, hostNetwork: boolean): Toleration[] {
  const out = [...(existing ?? [])];
  const add = (key: string, effect: Toleration["effect"]) => {
    if (!out.some((t) => t.key === key && t.effect === effect && t.operator === "Exists")) out.push({ key, operator: "Exists", effect });
  };
  add("node.kubernetes.io/not-ready", "NoExecute");
  add("node.kubernetes.io/unreachable", "NoExecute");
  add("node.kubernetes.io/disk-pressure", "NoSchedule");
  add("node.kubernetes.io/memory-pressure", "NoSchedule");
  add("node.kubernetes.io/pid-pressure", "NoSchedule");
  add("node.kubernetes.io/unschedulable", "NoSchedule");
  if (hostNetwork) add("node.kubernetes.io/network-unavailable", "NoSchedule");
  return out;
}

function tolerates(ts: Toleration[], taint: Taint): boolean {
  return ts.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.key && t.key !== taint.key) return false;
    if ((t.operator ?? "Equal") === "Exists") return true;
    return !!t.key && (t.value ?? "") === (taint.value ?? "");
  });
}

function matchReq(r: NodeSelectorRequirement, v: string | undefined): boolean {
  const vals = r.values ?? [];
  if (r.operator === "In") return v !== undefined && vals.includes(v);
  if (r.operator === "NotIn") return v === undefined || !vals.includes(v);
  if (r.operator === "Exists") return v !== undefined;
  if (r.operator === "DoesNotExist") return v === undefined;
  if (r.operator === "Gt") return v !== undefined && Number(v) > Number(vals[0]);
  return v !== undefined && Number(v) < Number(vals[0]);
}

/** nodeShouldRunDaemonPod: the template's selector and affinity match, and every NoSchedule/NoExecute taint is tolerated. */
export function shouldRun(ds: DaemonSet, node: Node): boolean {
  const spec = ds.spec.template.spec;
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const terms: NodeSelectorTerm[] | undefined = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms && !terms.some((t) => (t.matchExpressions ?? []).every((r) => matchReq(r, labels[r.key])) && (t.matchFields ?? []).every((r) => matchReq(r, node.metadata.name)))) return false;
  const tol = daemonTolerations(spec.tolerations, !!spec.hostNetwork);
  return (node.spec?.taints ?? []).every((t) => t.effect === "PreferNoSchedule" || tolerates(tol, t));
}

export function startDaemonSetController(ctx: ControllerContext): Controller {
  const dsInformer = ctx.informers.for<DaemonSet>(GVR.daemonsets);
  const podInformer = ctx.informers.for<Pod>(GVR.pods);
  const nodeInformer = ctx.informers.for<Node>(GVR.nodes);
  const revInformer = ctx.informers.for<ControllerRevision>(GVR.controllerrevisions);
  const recorder = newRecorder(ctx, "daemonset-controller");
  // Pods by their controller's UID: a sync reads its own pods, not every pod of kube-system.
  podInformer.addIndexer(BY_CONTROLLER, (p) => {
    const uid = getControllerOf(p)?.uid;
    return uid ? [uid] : [];
  });
  const podsOf = (ds: DaemonSet) => podInformer.byIndex(BY_CONTROLLER, ds.metadata.uid!).filter(isPodActive);
  /**
   * shouldRun per template and Node object. A DaemonSet is synced on every
   * change of its pods, and each sync asks about every node: at 1,000 nodes
   * that is the controller's whole cost. A node's status writes make a new
   * Node object, which is asked about afresh.
   */
  const eligibility = new WeakMap<object, WeakMap<Node, boolean>>();
  const runsOn = (ds: DaemonSet, node: Node): boolean => {
    const spec = ds.spec.template.spec;
    let byNode = eligibility.get(spec);
    if (!byNode) eligibility.set(spec, (byNode = new WeakMap()));
    let run = byNode.get(node);
    if (run === undefined) byNode.set(node, (run = shouldRun(ds, node)));
    return run;
  };
  const podClient = ctx.client.resource<Pod>(GVR.pods);
  const queue = newQueue(ctx, "daemonset", sync);

  const enqueueAll = () => {
    for (const ds of dsInformer.list()) queue.add(objectKey(ds));
  };
  const enqueueOwner = (pod: Pod) => {
    const ref = getControllerOf(pod);
    if (ref?.kind === "DaemonSet") queue.add(`${pod.metadata.namespace}/${ref.name}`);
  };
  dsInformer.addEventHandler({ add: (d) => queue.add(objectKey(d)), update: (_o, d) => queue.add(objectKey(d)), delete: (d) => queue.add(objectKey(d)) });
  podInformer.addEventHandler({
    add: enqueueOwner,
    // What a sync reads of a pod: where it runs, whether it is active and ready, its revision. Other status writes change nothing here.
    update: (o, p) => {
      if (
        nodeOf(o) !== nodeOf(p) ||
        isPodActive(o) !== isPodActive(p) ||
        isPodReady(o) !== isPodReady(p) ||
        o.metadata.deletionTimestamp !== p.metadata.deletionTimestamp ||
        o.metadata.labels?.[CONTROLLER_REVISION_HASH] !== p.metadata.labels?.[CONTROLLER_REVISION_HASH] ||
        getControllerOf(o)?.uid !== getControllerOf(p)?.uid
      ) {
        enqueueOwner(p);
        if (getControllerOf(o)?.uid !== getControllerOf(p)?.uid) enqueueOwner(o);
      }
    },
    delete: enqueueOwner,
  });
  // Bumped when a node comes, goes, or may have new labels or taints: the per-template node table below is rebuilt then.
  let nodesVersion = 0;
  nodeInformer.addEventHandler({
    add: () => {
      nodesVersion++;
      enqueueAll();
    },
    update: (o, n) => {
      // A node's status writes (every 10 s) keep its labels and spec objects.
      if (o.metadata.labels === n.metadata.labels && o.spec === n.spec) return;
      nodesVersion++;
      if (canonicalJSON([o.metadata.labels, o.spec?.taints]) !== canonicalJSON([n.metadata.labels, n.spec?.taints])) enqueueAll();
    },
    delete: () => {
      nodesVersion++;
      enqueueAll();
    },
  });
  /** Every node by name, with whether the template runs there; per template and nodesVersion. */
  const nodeTables = new WeakMap<object, { version: number; names: string[]; runs: boolean[]; all: Set<string>; eligible: Set<string> }>();
  const nodeTable = (ds: DaemonSet) => {
    const hit = nodeTables.get(ds.spec.template.spec);
    if (hit && hit.version === nodesVersion) return hit;
    const nodes = nodeInformer.list().sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
    const runs = nodes.map((n) => runsOn(ds, n));
    const names = nodes.map((n) => n.metadata.name!);
    const table = { version: nodesVersion, names, runs, all: new Set(names), eligible: new Set(names.filter((_, i) => runs[i])) };
    nodeTables.set(ds.spec.template.spec, table);
    return table;
  };

  // The template's hash by template object: the same for every sync until the template changes.
  const hashes = new WeakMap<object, { collisionCount: number | undefined; hash: string }>();
  const templateHash = (ds: DaemonSet): string => {
    const hit = hashes.get(ds.spec.template);
    if (hit && hit.collisionCount === ds.status?.collisionCount) return hit.hash;
    const hash = computeHash(ds.spec.template, ds.status?.collisionCount);
    hashes.set(ds.spec.template, { collisionCount: ds.status?.collisionCount, hash });
    return hash;
  };

  /** The ControllerRevision for the current template (created if missing); its hash labels the pods. */
  async function currentRevision(ds: DaemonSet): Promise<string> {
    const hash = templateHash(ds);
    const name = `${ds.metadata.name}-${hash}`;
    if (revInformer.get(`${ds.metadata.namespace}/${name}`)) return hash;
    const owned = revInformer.list(ds.metadata.namespace).filter((r) => getControllerOf(r)?.uid === ds.metadata.uid);
    const rev: ControllerRevision = {
      apiVersion: "apps/v1",
      kind: "ControllerRevision",
      metadata: { name, namespace: ds.metadata.namespace, labels: { ...selectorFromSpec(ds.spec.selector).requirements.reduce<Record<string, string>>((m, r) => (r.op === "=" ? { ...m, [r.key]: r.value } : m), {}), [CONTROLLER_REVISION_HASH]: hash }, ownerReferences: [controllerRef(ds)] },
      data: { spec: { template: { ...structuredClone(ds.spec.template), $patch: "replace" } } },
      revision: owned.reduce((m, r) => Math.max(m, r.revision), 0) + 1,
    };
    await ctx.client
      .resource<ControllerRevision>(GVR.controllerrevisions)
      .create(rev, ds.metadata.namespace)
      .catch((e) => (isAlreadyExists(e) ? undefined : Promise.reject(e)));
    return hash;
  }

  async function sync(key: string): Promise<void> {
    const [ns] = splitKey(key);
    const ds = dsInformer.get(key);
    if (!ds || ds.metadata.deletionTimestamp) return;
    const hash = await currentRevision(ds);
    const pods = podsOf(ds);
    const byNode = new Map<string, Pod[]>();
    for (const p of pods) {
      const n = nodeOf(p);
      if (!n) continue;
      const list = byNode.get(n);
      if (list) list.push(p);
      else byNode.set(n, [p]);
    }
    const { names, runs, all } = nodeTable(ds);
    const toCreate: string[] = [];
    const toDelete: Pod[] = [];
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const have = byNode.get(name) ?? [];
      if (runs[i]) {
        if (have.length === 0) toCreate.push(name);
        // Duplicates: keep the oldest.
        else toDelete.push(...have.sort((a, b) => ((a.metadata.creationTimestamp ?? "") < (b.metadata.creationTimestamp ?? "") ? -1 : 1)).slice(1));
      } else toDelete.push(...have);
    }
    for (const [n, ps] of byNode) if (!all.has(n)) toDelete.push(...ps);

    // RollingUpdate: replace old-hash pods, at most maxUnavailable not available at a time.
    if ((ds.spec.updateStrategy?.type ?? "RollingUpdate") === "RollingUpdate") {
      const maxUnavailable = Number(ds.spec.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1) || 1;
      const now = ctx.clock.now();
      let unavailable = toCreate.length + pods.filter((p) => !isPodAvailable(p, ds.spec.minReadySeconds ?? 0, now)).length;
      const old = pods.filter((p) => p.metadata.labels?.[CONTROLLER_REVISION_HASH] !== hash && !toDelete.includes(p));
      // Unavailable old pods cost nothing to replace; then available ones within the budget.
      for (const p of old.filter((x) => !isPodAvailable(x, ds.spec.minReadySeconds ?? 0, now))) toDelete.push(p);
      for (const p of old.filter((x) => isPodAvailable(x, ds.spec.minReadySeconds ?? 0, now))) {
        if (unavailable >= maxUnavailable) break;
        toDelete.push(p);
        unavailable++;
      }
    }

    for (const nodeName of toCreate) {
      const pod = podFromTemplate(ds.spec.template, ds, { [CONTROLLER_REVISION_HASH]: hash, "pod-template-generation": String(ds.metadata.generation ?? 1) });
      pod.spec.tolerations = daemonTolerations(pod.spec.tolerations, !!pod.spec.hostNetwork);
      pod.spec.affinity = { ...pod.spec.affinity, nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: [nodeName] }] }] } } };
      try {
        const created = await podClient.create(pod, ns);
        recorder.event(ds, "Normal", "SuccessfulCreate", `Created pod: ${created.metadata.name}`);
      } catch (e) {
        recorder.event(ds, "Warning", "FailedCreate", `Error creating: ${e instanceof Error ? e.message : String(e)}`);
        throw e;
      }
    }
    for (const pod of toDelete) {
      await podClient.delete(pod.metadata.name!, ns).then(
        () => recorder.event(ds, "Normal", "SuccessfulDelete", `Deleted pod: ${pod.metadata.name}`),
        (e) => (isNotFound(e) ? undefined : Promise.reject(e)),
      );
    }
    await updateStatus(key, hash);
  }

  /** The node a daemon pod is bound to, or pinned to by its affinity. */
  function nodeOf(p: Pod): string | undefined {
    if (p.spec.nodeName) return p.spec.nodeName;
    const terms = p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
    return terms[0]?.matchFields?.find((f) => f.key === "metadata.name")?.values?.[0];
  }

  async function updateStatus(key: string, hash: string): Promise<void> {
    const ds = dsInformer.get(key);
    if (!ds) return;
    const now = ctx.clock.now();
    const pods = podsOf(ds);
    const { eligible } = nodeTable(ds);
    const scheduled = new Set<string>();
    let misscheduled = 0;
    let ready = 0;
    let available = 0;
    let updated = 0;
    for (const p of pods) {
      const n = nodeOf(p);
      if (!n) continue;
      if (!eligible.has(n)) {
        misscheduled++;
        continue;
      }
      if (scheduled.has(n)) continue;
      scheduled.add(n);
      if (isPodReady(p)) ready++;
      if (isPodAvailable(p, ds.spec.minReadySeconds ?? 0, now)) available++;
      if (p.metadata.labels?.[CONTROLLER_REVISION_HASH] === hash) updated++;
    }
    const status: NonNullable<DaemonSet["status"]> = {
      currentNumberScheduled: scheduled.size,
      numberMisscheduled: misscheduled,
      desiredNumberScheduled: eligible.size,
      numberReady: ready,
      observedGeneration: ds.metadata.generation,
      ...(updated ? { updatedNumberScheduled: updated } : {}),
      ...(available ? { numberAvailable: available } : {}),
      ...(eligible.size - available > 0 ? { numberUnavailable: eligible.size - available } : {}),
      ...(ds.status?.collisionCount !== undefined ? { collisionCount: ds.status.collisionCount } : {}),
    };
    // Ready pods become available minReadySeconds later: look again then (upstream's enqueueDaemonSetAfter).
    const minReady = ds.spec.minReadySeconds ?? 0;
    if (minReady > 0 && ready > available) queue.addAfter(key, minReady * 1000);
    if (canonicalJSON(status) === canonicalJSON(ds.status ?? {})) return;
    await ctx.client.resource<DaemonSet>(GVR.daemonsets).update({ ...ds, status }, { subresource: "status" });
  }

  return { stop: () => queue.shutdown() };
}
