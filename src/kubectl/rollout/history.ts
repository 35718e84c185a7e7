// Deployment history as kubectl reads it, after polymorphichelpers/history.go
// and rollback.go: the revisions are the deployment's ReplicaSets (by their
// deployment.kubernetes.io/revision annotation); `rollout history` lists them
// with their change-cause, `--revision=N` describes that template, and undo
// puts a revision's template back with a JSON patch.
// DaemonSets and StatefulSets keep theirs in ControllerRevisions; their undo
// strategic-merge-patches the revision's data back.

import type { RestClient } from "../../client/rest.ts";
import type { ClientBehaviour } from "../clientversion.ts";
import { PrefixWriter } from "../describe/describe.ts";
import { describePodTemplate, type PodSpec } from "../describe/pod.ts";
import { newDescribeTabWriter } from "../printers/tabwriter.ts";

const REVISION = "deployment.kubernetes.io/revision";
const CHANGE_CAUSE = "kubernetes.io/change-cause";
const HASH_LABEL = "pod-template-hash";

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> } & Record<string, unknown>;
  spec: PodSpec;
}

export interface Deployment {
  metadata: { name: string; namespace?: string; uid?: string; annotations?: Record<string, string> };
  spec: { selector?: { matchLabels?: Record<string, string> }; template: PodTemplate; paused?: boolean };
}

interface ReplicaSet {
  metadata: { name: string; annotations?: Record<string, string>; ownerReferences?: { uid: string; controller?: boolean }[] };
  spec: { template: PodTemplate };
}

export class HistoryError extends Error {}

/** describe.NewPrefixWriter straight onto a buffer (printTemplate does not align tabs). */
class RawPrefixWriter extends PrefixWriter {
  private text = "";
  override write(level: number, text: string): void {
    this.text += "  ".repeat(level) + text;
  }
  override writeLine(text: string): void {
    this.text += `${text}\n`;
  }
  override flush(): void {}
  override result(): string {
    return this.text;
  }
}

/** printTemplate: the pod template as `describe` prints it (for that client), without tab alignment. */
export function printTemplate(template: PodTemplate, client?: ClientBehaviour): string {
  const w = new RawPrefixWriter();
  describePodTemplate(template, w, client);
  return w.result();
}

function revisionOf(rs: ReplicaSet): number | undefined {
  const v = rs.metadata.annotations?.[REVISION];
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

/** The ReplicaSets the deployment controls (deploymentutil.GetAllReplicaSets). */
async function replicaSetsOf(rest: RestClient, namespace: string, d: Deployment): Promise<ReplicaSet[]> {
  const labels = d.spec.selector?.matchLabels ?? {};
  const selector = Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  const list = await rest.get<{ items?: ReplicaSet[] }>(`/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/replicasets`, { labelSelector: selector });
  return (list.items ?? []).filter((rs) => rs.metadata.ownerReferences?.some((o) => o.controller && o.uid === d.metadata.uid));
}

/** DeploymentHistoryViewer.ViewHistory. */
export async function viewDeploymentHistory(rest: RestClient, namespace: string, d: Deployment, revision: number, client?: ClientBehaviour): Promise<string> {
  const history = new Map<number, PodTemplate>();
  for (const rs of await replicaSetsOf(rest, namespace, d)) {
    const v = revisionOf(rs);
    if (v === undefined) continue;
    const template = structuredClone(rs.spec.template);
    const cause = rs.metadata.annotations?.[CHANGE_CAUSE];
    template.metadata ??= {};
    template.metadata.annotations ??= {};
    if (cause) template.metadata.annotations[CHANGE_CAUSE] = cause;
    history.set(v, template);
  }
  if (history.size === 0) return "No rollout history found.";
  if (revision > 0) {
    const t = history.get(revision);
    if (!t) throw new HistoryError("unable to find the specified revision");
    return printTemplate(t, client);
  }
  let out = "";
  const tw = newDescribeTabWriter((s) => (out += s));
  tw.write("REVISION\tCHANGE-CAUSE\n");
  for (const r of [...history.keys()].sort((a, b) => a - b)) tw.write(`${r}\t${history.get(r)!.metadata?.annotations?.[CHANGE_CAUSE] || "<none>"}\n`);
  tw.flush();
  return out;
}

const SKIP_ANNOTATIONS = new Set([
  "kubectl.kubernetes.io/last-applied-configuration",
  REVISION,
  "deployment.kubernetes.io/revision-history",
  "deployment.kubernetes.io/desired-replicas",
  "deployment.kubernetes.io/max-replicas",
  "deprecated.deployment.rollback.to",
]);

/** Deep equality of JSON values, key order ignored. */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function withoutHash(t: PodTemplate): PodTemplate {
  const c = structuredClone(t);
  if (c.metadata?.labels) delete c.metadata.labels[HASH_LABEL];
  return c;
}

export type RollbackResult =
  | { kind: "dry-run"; text: string }
  | { kind: "skipped"; text: string }
  | { kind: "patch"; patch: unknown; patchType?: "application/strategic-merge-patch+json" };

/**
 * DeploymentRollbacker.Rollback up to the PATCH: which revision to go back
 * to (the previous one, or --to-revision) and the JSON patch that restores it.
 */
export async function planRollback(rest: RestClient, namespace: string, d: Deployment, toRevision: number, dryRun: boolean, client?: ClientBehaviour): Promise<RollbackResult> {
  if (toRevision < 0) throw new HistoryError(`unable to find specified revision ${toRevision} in history`);
  let target: ReplicaSet | undefined;
  let latest: ReplicaSet | undefined;
  let latestRev = -1;
  let previous: ReplicaSet | undefined;
  let previousRev = -1;
  for (const rs of await replicaSetsOf(rest, namespace, d)) {
    const v = revisionOf(rs);
    if (v === undefined) continue;
    if (toRevision === 0) {
      if (latestRev < v) {
        previousRev = latestRev;
        previous = latest;
        latestRev = v;
        latest = rs;
      } else if (previousRev < v) {
        previousRev = v;
        previous = rs;
      }
    } else if (toRevision === v) {
      target = rs;
      break;
    }
  }
  if (toRevision > 0 && !target) throw new HistoryError(`unable to find specified revision ${toRevision} in history`);
  if (toRevision === 0) {
    if (!previous) throw new HistoryError(`no rollout history found for deployment "${d.metadata.name}"`);
    target = previous;
  }
  const rs = target!;
  if (dryRun) return { kind: "dry-run", text: printTemplate(rs.spec.template, client) };
  if (d.spec.paused) throw new HistoryError("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
  if (jsonEqual(withoutHash(rs.spec.template), withoutHash(d.spec.template))) {
    return { kind: "skipped", text: `skipped rollback (current template already matches revision ${toRevision})` };
  }
  const template = withoutHash(rs.spec.template);
  const annotations: Record<string, string> = {};
  for (const k of SKIP_ANNOTATIONS) {
    const v = d.metadata.annotations?.[k];
    if (v !== undefined) annotations[k] = v;
  }
  for (const [k, v] of Object.entries(rs.metadata.annotations ?? {})) if (!SKIP_ANNOTATIONS.has(k)) annotations[k] = v;
  return {
    kind: "patch",
    patch: [
      { op: "replace", path: "/spec/template", value: template },
      { op: "replace", path: "/metadata/annotations", value: annotations },
    ],
  };
}

interface ControllerRevision {
  metadata: { annotations?: Record<string, string>; ownerReferences?: { uid: string; controller?: boolean }[] };
  revision: number;
  data?: { spec?: { template?: PodTemplate } };
}

/** DaemonSetHistoryViewer / StatefulSetHistoryViewer.ViewHistory over the object's ControllerRevisions. */
export async function viewControllerRevisionHistory(
  rest: RestClient,
  namespace: string,
  obj: { metadata: { uid?: string }; spec?: { selector?: { matchLabels?: Record<string, string> } } },
  revision: number,
  client?: ClientBehaviour,
): Promise<string> {
  const selector = Object.entries(obj.spec?.selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  const history = await controllerRevisions(rest, namespace, obj);
  void selector;
  if (history.size === 0) return "No rollout history found.";
  if (revision > 0) {
    const cr = history.get(revision);
    if (!cr) throw new HistoryError(`unable to find the specified revision`);
    const template = cr.data?.spec?.template;
    if (!template) throw new HistoryError(`unable to find the specified revision`);
    return printTemplate(template, client);
  }
  let out = "";
  const tw = newDescribeTabWriter((s) => (out += s));
  tw.write("REVISION\tCHANGE-CAUSE\n");
  for (const r of [...history.keys()].sort((a, b) => a - b)) tw.write(`${r}\t${history.get(r)!.metadata.annotations?.[CHANGE_CAUSE] || "<none>"}\n`);
  tw.flush();
  return out;
}

type WithSelector = { metadata: { uid?: string }; spec?: { selector?: { matchLabels?: Record<string, string> }; template?: PodTemplate } };

/** The object's ControllerRevisions by revision number. */
async function controllerRevisions(rest: RestClient, namespace: string, obj: WithSelector): Promise<Map<number, ControllerRevision>> {
  const selector = Object.entries(obj.spec?.selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  const list = await rest.get<{ items?: ControllerRevision[] }>(`/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/controllerrevisions`, { labelSelector: selector });
  const history = new Map<number, ControllerRevision>();
  for (const cr of list.items ?? []) if (cr.metadata.ownerReferences?.some((o) => o.controller && o.uid === obj.metadata.uid)) history.set(cr.revision, cr);
  return history;
}

/** DaemonSetRollbacker / StatefulSetRollbacker.Rollback up to the PATCH (a strategic merge of the revision's data). */
export async function planControllerRevisionRollback(rest: RestClient, namespace: string, obj: WithSelector, toRevision: number, dryRun: boolean, client?: ClientBehaviour): Promise<RollbackResult> {
  if (toRevision < 0) throw new HistoryError(`unable to find specified revision ${toRevision} in history`);
  const history = await controllerRevisions(rest, namespace, obj);
  if (toRevision === 0 && history.size <= 1) throw new HistoryError("no last revision to roll back to");
  const revisions = [...history.keys()].sort((a, b) => a - b);
  const target = toRevision === 0 ? history.get(revisions[revisions.length - 2]!) : history.get(toRevision);
  if (!target) throw new HistoryError(`unable to find specified revision ${toRevision} in history`);
  const template = structuredClone(target.data?.spec?.template);
  if (template) delete (template as unknown as Record<string, unknown>)["$patch"];
  if (dryRun) return { kind: "dry-run", text: `will roll back to ${template ? printTemplate(template, client) : ""}` };
  if (jsonEqual(template, obj.spec?.template)) {
    return { kind: "skipped", text: `skipped rollback (current template already matches revision ${toRevision})` };
  }
  return { kind: "patch", patch: target.data, patchType: "application/strategic-merge-patch+json" };
}
