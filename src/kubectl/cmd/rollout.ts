// `kubectl rollout status|history|undo|restart|pause|resume`, after
// k8s.io/kubectl/pkg/cmd/rollout and polymorphichelpers: status watches the
// object (informer-style) printing a line per event until done; history and
// undo read the deployment's ReplicaSets; restart stamps the pod template
// with kubectl.kubernetes.io/restartedAt; pause/resume flip spec.paused.
// All writes are strategic-merge patches of the difference, as
// set.CalculatePatch makes them. Leaves out -f/-l/--selector, -o for the
// write subcommands, and history/undo of DaemonSets and StatefulSets.

import { rfc3339 } from "../../apimachinery/meta.ts";
import type { RestClient } from "../../client/rest.ts";
import { type APIResource, kindPrefix, pathFor, qualifiedResource } from "../discovery.ts";
import { RawError, UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";
import { parseGoDuration } from "../flags.ts";
import { resolveResourceArgs } from "../resource.ts";
import { type Deployment, HistoryError, planControllerRevisionRollback, planRollback, viewControllerRevisionHistory, viewDeploymentHistory } from "../rollout/history.ts";
import { StatusError as RolloutStatusError, statusViewerFor, type Workload } from "../rollout/statusviewer.ts";
import { untilWithSync } from "../watchtools.ts";

interface Target {
  resource: APIResource;
  name: string;
}

async function targets(ctx: CommandContext, sub: string): Promise<Target[]> {
  if (ctx.args.length === 0) {
    void sub;
    throw new UsageError("required resource not specified");
  }
  const disco = await ctx.factory.discovery();
  const out: Target[] = [];
  for (const req of await resolveResourceArgs(disco, ctx.args)) {
    if (req.names.length === 0) throw new RawError(`error: resource(s) were provided, but no name was specified`);
    for (const name of req.names) out.push({ resource: req.resource, name });
  }
  return out;
}

async function getObject<T>(rest: RestClient, t: Target, namespace: string): Promise<T> {
  return rest.get<T>(pathFor(t.resource, namespace, t.name));
}

function printed(t: Target, operation: string): string {
  return `${kindPrefix(t.resource)}/${t.name} ${operation}\n`;
}

async function smp(ctx: CommandContext, rest: RestClient, t: Target, namespace: string, patch: unknown): Promise<void> {
  await rest.json("PATCH", pathFor(t.resource, namespace, t.name), {
    body: patch,
    contentType: "application/strategic-merge-patch+json",
    query: { fieldManager: ctx.flags.string("field-manager") || "kubectl-rollout" },
  });
}

async function status(ctx: CommandContext): Promise<number> {
  const list = await targets(ctx, "status");
  if (list.length !== 1) throw new UsageError("rollout status is only supported on individual resources and resource collections are not supported yet");
  const t = list[0]!;
  const rest = await ctx.factory.rest();
  const { namespace } = ctx.factory.namespace();
  await getObject(rest, t, namespace);
  const viewer = statusViewerFor(t.resource.kind);
  if (!viewer) throw new UsageError(`no status viewer has been implemented for ${t.resource.group ? `${t.resource.kind}.${t.resource.group}` : t.resource.kind}`);
  const revision = ctx.flags.int("revision");
  const watch = ctx.flags.changed("watch") ? ctx.flags.bool("watch") : true;
  const timeoutMs = ctx.flags.changed("timeout") ? (parseGoDuration(ctx.flags.string("timeout")) ?? 0) : 0;
  const outcome = await untilWithSync({
    rest,
    collection: pathFor(t.resource, namespace),
    name: t.name,
    clock: ctx.clock,
    timeoutMs,
    signal: ctx.io.signal,
    precondition: (obj) => {
      if (!obj) throw new RawError(`Error from server (NotFound): ${qualifiedResource(t.resource)} "${t.name}" not found`);
      return false;
    },
    condition: (ev) => {
      if (ev.type === "DELETED") throw new UsageError("object has been deleted");
      if (ev.type !== "ADDED" && ev.type !== "MODIFIED") throw new UsageError(`internal error: unexpected event ${ev.type}`);
      const s = viewer(ev.object as unknown as Workload, revision);
      ctx.io.stdout.write(s.text);
      return s.done || !watch;
    },
  });
  return outcome === "aborted" ? 130 : 0;
}

async function history(ctx: CommandContext): Promise<number> {
  const rest = await ctx.factory.rest();
  const { namespace } = ctx.factory.namespace();
  const revision = ctx.flags.int("revision");
  for (const t of await targets(ctx, "history")) {
    const obj = await getObject<Deployment>(rest, t, namespace);
    const kind = t.resource.kind;
    if (kind !== "Deployment" && kind !== "DaemonSet" && kind !== "StatefulSet") {
      throw new UsageError(`no history viewer has been implemented for ${JSON.stringify(t.resource.group ? `${kind}.${t.resource.group}` : kind)}`);
    }
    const client = await ctx.factory.clientBehaviour();
    const text = kind === "Deployment" ? await viewDeploymentHistory(rest, namespace, obj, revision, client) : await viewControllerRevisionHistory(rest, namespace, obj, revision, client);
    const head = revision > 0 ? `with revision #${revision}` : "";
    ctx.io.stdout.write(printed(t, `${head}\n${text}`));
  }
  return 0;
}

async function undo(ctx: CommandContext): Promise<number> {
  const rest = await ctx.factory.rest();
  const { namespace } = ctx.factory.namespace();
  const dryRun = ctx.flags.string("dry-run", "none");
  for (const t of await targets(ctx, "undo")) {
    const obj = await getObject<Deployment>(rest, t, namespace);
    const kind = t.resource.kind;
    if (kind !== "Deployment" && kind !== "DaemonSet" && kind !== "StatefulSet") {
      throw new UsageError(`no rollbacker has been implemented for ${JSON.stringify(t.resource.group ? `${kind}.${t.resource.group}` : kind)}`);
    }
    const plan =
      kind === "Deployment"
        ? await planRollback(rest, namespace, obj, ctx.flags.int("to-revision"), dryRun === "client", await ctx.factory.clientBehaviour())
        : await planControllerRevisionRollback(rest, namespace, obj, ctx.flags.int("to-revision"), dryRun === "client", await ctx.factory.clientBehaviour());
    if (plan.kind === "patch") {
      try {
        await rest.json("PATCH", pathFor(t.resource, namespace, t.name), {
          body: plan.patch,
          contentType: plan.patchType ?? "application/json-patch+json",
          ...(dryRun === "server" ? { query: { dryRun: "All" } } : {}),
        });
      } catch (e) {
        throw new UsageError(`failed restoring revision ${ctx.flags.int("to-revision")}: ${(e as Error).message}`);
      }
      ctx.io.stdout.write(printed(t, dryRun === "server" ? "rolled back (server dry run)" : "rolled back"));
    } else ctx.io.stdout.write(printed(t, plan.kind === "dry-run" ? `${plan.text} (dry run)` : plan.text));
  }
  return 0;
}

/** Runs one of the patch-making subcommands over every target, collecting errors as utilerrors.NewAggregate does. */
async function patchEach(ctx: CommandContext, sub: string, make: (t: Target, obj: Workload) => { patch?: unknown; error?: string; rawError?: string; none?: string }, done: string): Promise<number> {
  const rest = await ctx.factory.rest();
  const { namespace } = ctx.factory.namespace();
  const errors: string[] = [];
  for (const t of await targets(ctx, sub)) {
    const obj = await getObject<Workload>(rest, t, namespace);
    const r = make(t, obj);
    if (r.rawError) {
      errors.push(r.rawError);
      continue;
    }
    if (r.error) {
      errors.push(`error: ${qualifiedResource(t.resource)} ${JSON.stringify(t.name)} ${r.error}`);
      continue;
    }
    if (r.none) {
      ctx.io.stdout.write(printed(t, r.none));
      continue;
    }
    try {
      await smp(ctx, rest, t, namespace, r.patch);
    } catch (e) {
      errors.push(`failed to patch: ${(e as Error).message}`);
      continue;
    }
    ctx.io.stdout.write(printed(t, done));
  }
  if (errors.length > 0) throw new RawError(errors.join("\n"));
  return 0;
}

async function restart(ctx: CommandContext): Promise<number> {
  const at = rfc3339(ctx.now());
  return patchEach(
    ctx,
    "restart",
    (t, obj) => {
      const kind = t.resource.kind;
      if (kind !== "Deployment" && kind !== "DaemonSet" && kind !== "StatefulSet") return { error: "restarting is not supported" };
      if (kind === "Deployment" && (obj.spec as { paused?: boolean } | undefined)?.paused) return { error: "can't restart paused deployment (run rollout resume first)" };
      const current = (obj.spec as { template?: { metadata?: { annotations?: Record<string, string> } } } | undefined)?.template?.metadata?.annotations?.["kubectl.kubernetes.io/restartedAt"];
      if (current === at) {
        return { rawError: `failed to create patch for ${t.name}: if restart has already been triggered within the past second, please wait before attempting to trigger another` };
      }
      return { patch: { spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": at } } } } } };
    },
    "restarted",
  );
}

function pauseOrResume(ctx: CommandContext, pause: boolean): Promise<number> {
  const word = pause ? "paused" : "resumed";
  return patchEach(
    ctx,
    pause ? "pause" : "resume",
    (t, obj) => {
      if (t.resource.kind !== "Deployment") return { error: `${pause ? "pausing" : "resuming"} is not supported` };
      const paused = !!(obj.spec as { paused?: boolean } | undefined)?.paused;
      if (pause && paused) return { error: "is already paused" };
      if (!pause && !paused) return { error: "is not paused" };
      return { patch: { spec: { paused: pause ? true : null } } };
    },
    word,
  );
}

export async function run(ctx: CommandContext): Promise<number> {
  const sub = ctx.commandPath.split(" ")[2];
  try {
    switch (sub) {
      case "status":
        return await status(ctx);
      case "history":
        return await history(ctx);
      case "undo":
        return await undo(ctx);
      case "restart":
        return await restart(ctx);
      case "pause":
        return await pauseOrResume(ctx, true);
      case "resume":
        return await pauseOrResume(ctx, false);
      default:
        throw new UsageError(`unknown command "${sub ?? ""}"`);
    }
  } catch (e) {
    if (e instanceof HistoryError || e instanceof RolloutStatusError) throw new UsageError(e.message);
    throw e;
  }
}
