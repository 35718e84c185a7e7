// The taint eviction controller, after pkg/controller/tainteviction: pods on a
// node with a NoExecute taint they do not tolerate are deleted at once; pods
// that tolerate it for tolerationSeconds are deleted that long after the
// taint's timeAdded (a clock timer per pod); tolerating it without a limit
// (as DaemonSet pods do for unreachable) means staying.

import { isNotFound } from "../../apimachinery/errors.ts";
import { objectKey } from "../../apimachinery/meta.ts";
import { GVR } from "../../client/interface.ts";
import { type Controller, type ControllerContext, newQueue, newRecorder, splitKey } from "../context.ts";
import type { Node, Pod, Taint, Toleration } from "../types.ts";

function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if ((t.operator ?? "Equal") === "Exists") return true;
  if (!t.key) return false;
  return (t.value ?? "") === (taint.value ?? "");
}

/**
 * When the pod must go: now (an untolerated taint), at a time (the earliest
 * taint time + tolerationSeconds), or never.
 */
export function evictionTime(pod: Pod, taints: Taint[], now: number): number | undefined {
  let due: number | undefined;
  for (const taint of taints) {
    if (taint.effect !== "NoExecute") continue;
    const matching = (pod.spec.tolerations ?? []).filter((t) => tolerates(t as Toleration, taint));
    if (matching.length === 0) return now;
    if (matching.some((t) => t.tolerationSeconds === undefined || t.tolerationSeconds === null)) continue;
    const secs = Math.max(0, Math.min(...matching.map((t) => t.tolerationSeconds!)));
    const added = taint.timeAdded ? Date.parse(taint.timeAdded) : now;
    const at = added + secs * 1000;
    due = due === undefined ? at : Math.min(due, at);
  }
  return due;
}

export function startTaintEvictionController(ctx: ControllerContext): Controller {
  const nodeInformer = ctx.informers.for<Node>(GVR.nodes);
  const podInformer = ctx.informers.for<Pod>(GVR.pods);
  podInformer.addIndexer("tainteviction:node", (p) => (p.spec.nodeName ? [p.spec.nodeName] : []));
  const minor = Number(/^v?\d+\.(\d+)/.exec(ctx.version)?.[1] ?? "32");
  // The taint manager became its own controller in v1.29.
  const recorder = newRecorder(ctx, minor >= 29 ? "taint-eviction-controller" : "taint-controller");
  const queue = newQueue(ctx, "tainteviction", sync);

  const noExecute = (n: Node | undefined) => JSON.stringify((n?.spec?.taints ?? []).filter((t) => t.effect === "NoExecute").map((t) => [t.key, t.value, t.timeAdded]));
  nodeInformer.addEventHandler({
    add: (n) => {
      if ((n.spec?.taints ?? []).some((t) => t.effect === "NoExecute")) for (const p of podInformer.byIndex("tainteviction:node", n.metadata.name!)) queue.add(objectKey(p));
    },
    update: (o, n) => {
      if (noExecute(o) !== noExecute(n)) for (const p of podInformer.byIndex("tainteviction:node", n.metadata.name!)) queue.add(objectKey(p));
    },
  });
  podInformer.addEventHandler({
    add: (p) => {
      if (p.spec.nodeName) queue.add(objectKey(p));
    },
    update: (o, p) => {
      // A status write keeps the spec object: nothing to re-check.
      if (p.spec.nodeName && o.spec !== p.spec && (o.spec.nodeName !== p.spec.nodeName || JSON.stringify(o.spec.tolerations) !== JSON.stringify(p.spec.tolerations))) queue.add(objectKey(p));
    },
  });

  async function sync(key: string): Promise<void> {
    const pod = podInformer.get(key);
    if (!pod?.spec.nodeName || pod.metadata.deletionTimestamp) return;
    const node = nodeInformer.get(pod.spec.nodeName);
    if (!node) return;
    const now = ctx.clock.now();
    const due = evictionTime(pod, node.spec?.taints ?? [], now);
    if (due === undefined) return;
    if (due > now) {
      queue.addAfter(key, due - now);
      return;
    }
    const [ns, name] = splitKey(key);
    recorder.event(pod, "Normal", "TaintManagerEviction", `Marking for deletion Pod ${ns}/${name}`);
    await ctx.client
      .resource(GVR.pods)
      .delete(name, ns, { preconditions: { uid: pod.metadata.uid } })
      .catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
  }

  return { stop: () => queue.shutdown() };
}
