// `kubectl cordon|uncordon|drain NODE`, after k8s.io/kubectl/pkg/cmd/drain
// and pkg/drain (cordon.go, filters.go, drain.go): cordon patches
// spec.unschedulable; drain cordons, sorts the node's pods through upstream's
// filters (DaemonSet, mirror, local storage, unreplicated), evicts the rest
// through pods/NAME/eviction and polls each pod once a second until it is
// gone. Leaves out --disable-eviction, --pod-selector with set-based
// selectors, PodDisruptionBudget retries (429) and --chunk-size.

import { StatusError } from "../../apimachinery/errors.ts";
import type { RestClient } from "../../client/rest.ts";
import { RawError, UsageError } from "../errors.ts";
import { parseGoDuration } from "../flags.ts";
import type { CommandContext } from "../kubectl.ts";

interface Node {
  metadata: { name: string };
  spec?: { unschedulable?: boolean };
}

interface Pod {
  metadata: {
    name: string;
    namespace: string;
    uid?: string;
    annotations?: Record<string, string>;
    ownerReferences?: { kind: string; name: string; controller?: boolean }[];
  };
  spec?: { volumes?: { emptyDir?: unknown }[] };
  status?: { phase?: string };
}

const DAEMONSET_FATAL = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)";
const DAEMONSET_WARNING = "ignoring DaemonSet-managed Pods";
const LOCAL_STORAGE_FATAL = "Pods with local storage (use --delete-emptydir-data to override)";
const LOCAL_STORAGE_WARNING = "deleting Pods with local storage";
const UNMANAGED_FATAL = "Pods declare no controller (use --force to override)";
const UNMANAGED_WARNING = "deleting Pods that declare no controller";

type DeleteStatus = { delete: boolean; reason: "okay" | "skip" | "warning" | "error"; message?: string };
const okay: DeleteStatus = { delete: true, reason: "okay" };

function dryRunSuffix(ctx: CommandContext): string {
  const d = ctx.flags.string("dry-run", "none");
  return d === "client" || d === "unknown" ? " (dry run)" : d === "server" ? " (server dry run)" : "";
}

async function nodes(ctx: CommandContext, rest: RestClient, verb: string): Promise<Node[]> {
  const selector = ctx.flags.string("selector");
  if (ctx.args.length === 0 && !ctx.flags.changed("selector")) throw new UsageError(`USAGE: ${verb} NODE [flags]\nSee 'kubectl ${verb} -h' for help and examples`);
  if (ctx.args.length > 0 && selector) throw new UsageError(`error: cannot specify both a node name and a --selector option\nSee 'kubectl ${verb} -h' for help and examples`);
  if (ctx.args.length === 0) {
    const list = await rest.get<{ items?: Node[] }>("/api/v1/nodes", { labelSelector: selector });
    return list.items ?? [];
  }
  const out: Node[] = [];
  for (const name of ctx.args) out.push(await rest.get<Node>(`/api/v1/nodes/${encodeURIComponent(name)}`));
  return out;
}

/** RunCordonOrUncordon: one line per node. */
async function cordonAll(ctx: CommandContext, rest: RestClient, list: Node[], desired: boolean): Promise<void> {
  const word = desired ? "cordoned" : "uncordoned";
  const dry = ctx.flags.string("dry-run", "none");
  for (const node of list) {
    if (!!node.spec?.unschedulable === desired) {
      ctx.io.stdout.write(`node/${node.metadata.name} already ${word}\n`);
      continue;
    }
    if (dry !== "client" && dry !== "unknown") {
      try {
        await rest.json("PATCH", `/api/v1/nodes/${encodeURIComponent(node.metadata.name)}`, {
          body: { spec: { unschedulable: desired ? true : null } },
          contentType: "application/strategic-merge-patch+json",
          ...(dry === "server" ? { query: { dryRun: "All" } } : {}),
        });
      } catch (e) {
        ctx.io.stderr.write(`error: unable to ${desired ? "cordon" : "uncordon"} node ${JSON.stringify(node.metadata.name)}: ${(e as Error).message}\n`);
        continue;
      }
    }
    ctx.io.stdout.write(`node/${node.metadata.name} ${word}${dryRunSuffix(ctx)}\n`);
  }
}

/** Helper.GetPodsForDeletion: every pod on the node with the filter's verdict. */
async function podsForDeletion(ctx: CommandContext, rest: RestClient, node: string): Promise<{ pod: Pod; status: DeleteStatus }[]> {
  const list = await rest.get<{ items?: Pod[] }>("/api/v1/pods", {
    fieldSelector: `spec.nodeName=${node}`,
    ...(ctx.flags.string("pod-selector") ? { labelSelector: ctx.flags.string("pod-selector") } : {}),
  });
  const force = ctx.flags.bool("force");
  const finished = (p: Pod) => p.status?.phase === "Succeeded" || p.status?.phase === "Failed";
  const controllerOf = (p: Pod) => p.metadata.ownerReferences?.find((o) => o.controller);
  const filters: ((p: Pod) => Promise<DeleteStatus>)[] = [
    async (p) => {
      const ref = controllerOf(p);
      if (!ref || ref.kind !== "DaemonSet" || finished(p)) return okay;
      try {
        await rest.get(`/apis/apps/v1/namespaces/${encodeURIComponent(p.metadata.namespace)}/daemonsets/${encodeURIComponent(ref.name)}`);
      } catch (e) {
        if (e instanceof StatusError && e.code === 404 && force) return { delete: true, reason: "warning", message: e.message };
        return { delete: false, reason: "error", message: (e as Error).message };
      }
      if (!ctx.flags.bool("ignore-daemonsets")) return { delete: false, reason: "error", message: DAEMONSET_FATAL };
      return { delete: false, reason: "warning", message: DAEMONSET_WARNING };
    },
    async (p) => (p.metadata.annotations?.["kubernetes.io/config.mirror"] !== undefined ? { delete: false, reason: "skip" } : okay),
    async (p) => {
      if (!(p.spec?.volumes ?? []).some((v) => v.emptyDir !== undefined) || finished(p)) return okay;
      if (!ctx.flags.bool("delete-emptydir-data") && !ctx.flags.bool("delete-local-data")) return { delete: false, reason: "error", message: LOCAL_STORAGE_FATAL };
      return { delete: true, reason: "warning", message: LOCAL_STORAGE_WARNING };
    },
    async (p) => {
      if (finished(p) || controllerOf(p)) return okay;
      if (force) return { delete: true, reason: "warning", message: UNMANAGED_WARNING };
      return { delete: false, reason: "error", message: UNMANAGED_FATAL };
    },
  ];
  const out: { pod: Pod; status: DeleteStatus }[] = [];
  for (const pod of list.items ?? []) {
    let status = okay;
    for (const f of filters) {
      status = await f(pod);
      if (!status.delete) break;
    }
    out.push({ pod, status });
  }
  return out;
}

/** PodDeleteList.errors / Warnings: pods grouped by message (sorted: Go's map order is random). */
function grouped(items: { pod: Pod; status: DeleteStatus }[], reason: "error" | "warning"): string[] {
  const by = new Map<string, string[]>();
  for (const { pod, status } of items) {
    if (status.reason !== reason) continue;
    const msg = status.message || "unexpected error";
    by.set(msg, [...(by.get(msg) ?? []), `${pod.metadata.namespace}/${pod.metadata.name}`]);
  }
  return [...by.entries()].map(([msg, pods]) => `${reason === "error" ? "cannot delete " : ""}${msg}: ${pods.join(", ")}`).sort();
}

/** Evicts each pod, then polls (1s) until each is gone: "evicting pod ns/x", "pod/x evicted". */
async function evictAll(ctx: CommandContext, rest: RestClient, pods: Pod[]): Promise<void> {
  const grace = ctx.flags.changed("grace-period") ? ctx.flags.int("grace-period") : -1;
  const server = ctx.flags.string("dry-run", "none") === "server";
  const timeoutMs = ctx.flags.changed("timeout") ? (parseGoDuration(ctx.flags.string("timeout")) ?? 0) : 0;
  const started = ctx.now();
  const pending: Pod[] = [];
  // Upstream evicts in one goroutine per pod; Go's scheduler runs the last one
  // started first (runnext) and then the rest in order, so that is the order
  // the lines usually come out in.
  const order = pods.length > 1 ? [pods[pods.length - 1]!, ...pods.slice(0, -1)] : pods;
  for (const pod of order) {
    ctx.io.stdout.write(`evicting pod ${pod.metadata.namespace}/${pod.metadata.name}${server ? " (server dry run)" : ""}\n`);
    const ns = encodeURIComponent(pod.metadata.namespace);
    try {
      await rest.json("POST", `/api/v1/namespaces/${ns}/pods/${encodeURIComponent(pod.metadata.name)}/eviction`, {
        body: {
          kind: "Eviction",
          apiVersion: "policy/v1",
          metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, creationTimestamp: null },
          deleteOptions: grace >= 0 ? { gracePeriodSeconds: grace } : {},
        },
        ...(server ? { query: { dryRun: "All" } } : {}),
      });
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) continue;
      throw new RawError(`error when evicting pods/${JSON.stringify(pod.metadata.name)} -n ${JSON.stringify(pod.metadata.namespace)}: ${(e as Error).message}`);
    }
    if (!server) pending.push(pod);
  }
  // waitForDelete: PollImmediate every second until every pod is gone (or replaced: a new UID).
  while (pending.length > 0) {
    for (const pod of [...pending]) {
      let gone = false;
      try {
        const now = await rest.get<Pod>(`/api/v1/namespaces/${encodeURIComponent(pod.metadata.namespace)}/pods/${encodeURIComponent(pod.metadata.name)}`);
        gone = now.metadata.uid !== pod.metadata.uid;
      } catch (e) {
        if (!(e instanceof StatusError && e.code === 404)) throw e;
        gone = true;
      }
      if (gone) {
        ctx.io.stdout.write(`pod/${pod.metadata.name} evicted\n`);
        pending.splice(pending.indexOf(pod), 1);
      }
    }
    if (pending.length === 0) break;
    if (timeoutMs > 0 && ctx.now() - started >= timeoutMs) {
      const p = pending[0]!;
      throw new RawError(`error when waiting for pod ${JSON.stringify(p.metadata.name)} in namespace ${JSON.stringify(p.metadata.namespace)} to terminate: global timeout reached: ${ctx.flags.string("timeout")}`);
    }
    if (ctx.io.signal.aborted) throw new RawError("");
    await new Promise<void>((resolve) => ctx.clock.setTimer(1000, resolve));
  }
}

async function drain(ctx: CommandContext, rest: RestClient, list: Node[]): Promise<number> {
  await cordonAll(ctx, rest, list, true);
  const dry = ctx.flags.string("dry-run", "none");
  const fatal: string[] = [];
  const remaining: string[] = [];
  for (const node of list) {
    const name = node.metadata.name;
    try {
      const items = await podsForDeletion(ctx, rest, name);
      const errs = grouped(items, "error");
      if (errs.length > 0) throw new RawError(errs.length === 1 ? errs[0]! : `[${errs.join(", ")}]`);
      const warnings = grouped(items, "warning");
      if (warnings.length > 0) ctx.io.stderr.write(`Warning: ${warnings.join("; ")}\n`);
      const pods = items.filter((x) => x.status.delete).map((x) => x.pod);
      if (dry === "client" || dry === "unknown") {
        for (const p of pods) ctx.io.stdout.write(`evicting pod ${p.metadata.namespace}/${p.metadata.name} (dry run)\n`);
      } else await evictAll(ctx, rest, pods);
      ctx.io.stdout.write(`node/${name} drained${dryRunSuffix(ctx)}\n`);
    } catch (e) {
      const msg = (e as Error).message;
      ctx.io.stderr.write(`error: unable to drain node ${JSON.stringify(name)} due to error: ${msg}, continuing command...\n`);
      fatal.push(msg);
      remaining.push(name);
    }
  }
  if (remaining.length > 0) {
    ctx.io.stderr.write(`There are pending nodes to be drained:\n${remaining.map((n) => ` ${n}\n`).join("")}`);
    // utilerrors.NewAggregate printed by checkErr's MultipleErrors: one error per line.
    throw new RawError(fatal.join("\n"));
  }
  return 0;
}

export async function run(ctx: CommandContext): Promise<number> {
  const verb = ctx.commandPath.split(" ")[1]!;
  const rest = await ctx.factory.rest();
  const list = await nodes(ctx, rest, verb);
  if (verb === "drain") return drain(ctx, rest, list);
  await cordonAll(ctx, rest, list, verb === "cordon");
  return 0;
}
