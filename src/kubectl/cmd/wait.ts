// `kubectl wait --for=condition=Ready|delete|jsonpath={…}=value TYPE/NAME`,
// after k8s.io/kubectl/pkg/cmd/wait (wait.go, condition.go, delete.go,
// json.go): each object is watched informer-style until the condition holds
// (`pod/x condition met`) or the timeout (default 30s) passes (`timed out
// waiting for the condition on pods/x`); --timeout=0 checks once.
// Leaves out --for=create, -f and --local.

import { StatusError } from "../../apimachinery/errors.ts";
import type { KObject, WatchEvent } from "../../apimachinery/meta.ts";
import { type APIResource, kindPrefix, pathFor, qualifiedResource } from "../discovery.ts";
import { RawError, UsageError } from "../errors.ts";
import { parseGoDuration } from "../flags.ts";
import type { ClientBehaviour } from "../clientversion.ts";
import type { CommandContext } from "../kubectl.ts";
import { JSONPath } from "../printers/jsonpath.ts";
import { resolveResourceArgs } from "../resource.ts";
import { untilWithSync, WaitTimeoutError } from "../watchtools.ts";

type Check = (obj: KObject) => boolean;

interface Condition {
  kind: "delete" | "check";
  check?: Check;
}

/** conditionFuncFor: the --for grammar. */
function conditionFor(spec: string, client: ClientBehaviour): Condition {
  const lower = spec.toLowerCase();
  if (lower === "delete") return { kind: "delete" };
  if (lower.startsWith("condition=")) {
    let name = spec.slice("condition=".length);
    let value = "true";
    const eq = name.indexOf("=");
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    return { kind: "check", check: (obj) => checkCondition(obj, name, value) };
  }
  if (lower.startsWith("jsonpath=")) {
    if (!client.has("waitJSONPathWithoutValue")) {
      // 1.27 splits the whole condition at every "=": "jsonpath", expression, value.
      const parts = spec.split("=");
      if (parts.length !== 3) throw new UsageError("jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3");
      if (parts[2] === "") throw new UsageError("jsonpath wait condition cannot be empty");
    }
    const input = spec.slice("jsonpath=".length);
    const close = input.lastIndexOf("}");
    if (!input.startsWith("{") || close < 0) throw new UsageError(`unrecognized condition: "${spec}"`);
    const expr = input.slice(0, close + 1);
    const rest = input.slice(close + 1);
    if (rest !== "" && !rest.startsWith("=")) throw new UsageError(`unrecognized condition: "${spec}"`);
    const want = rest === "" ? undefined : rest.slice(1);
    const parser = new JSONPath(expr);
    return { kind: "check", check: (obj) => checkJSONPath(parser, obj, want) };
  }
  throw new UsageError(`unrecognized condition: "${spec}"`);
}

interface WithConditions {
  metadata: { generation?: number };
  status?: { observedGeneration?: number; conditions?: { type?: string; status?: string; observedGeneration?: number }[] };
}

/** ConditionalWait.checkCondition: the named condition has the status (case-insensitive), for the current generation. */
function checkCondition(obj: KObject, name: string, value: string): boolean {
  const o = obj as unknown as WithConditions;
  for (const c of o.status?.conditions ?? []) {
    if (typeof c.type !== "string" || c.type.toLowerCase() !== name.toLowerCase() || typeof c.status !== "string") continue;
    const gen = o.metadata.generation;
    if (gen !== undefined) {
      const observed = c.observedGeneration ?? o.status?.observedGeneration;
      if (observed !== undefined && observed < gen) return false;
    }
    return c.status.toLowerCase() === value.toLowerCase();
  }
  return false;
}

/** JSONPathWait.isJSONPathConditionMet: one scalar result equal to the value (or any value when none is given). */
function checkJSONPath(parser: JSONPath, obj: KObject, want: string | undefined): boolean {
  let found: unknown[];
  try {
    found = parser.findValues(obj).flat();
  } catch {
    return false;
  }
  if (found.length === 0) return false;
  if (found.length > 1) throw new RawError("error: given jsonpath expression matches more than one value");
  const v = found[0];
  if (want === undefined) return true;
  if (typeof v === "object" && v !== null) throw new RawError("error: jsonpath leads to a nested object or list which is not supported");
  return String(v) === want;
}

interface Target {
  resource: APIResource;
  name: string;
  namespace: string;
}

async function targets(ctx: CommandContext, forDelete: boolean): Promise<Target[]> {
  const rest = await ctx.factory.rest();
  const disco = await ctx.factory.discovery();
  const { namespace } = ctx.factory.namespace();
  const allNs = ctx.flags.bool("all-namespaces");
  const out: Target[] = [];
  if (ctx.args.length === 0) throw new UsageError("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
  for (const req of await resolveResourceArgs(disco, ctx.args)) {
    if (req.names.length > 0) {
      for (const name of req.names) {
        try {
          await rest.get(pathFor(req.resource, namespace, name));
        } catch (e) {
          if (forDelete && e instanceof StatusError && e.code === 404) continue;
          throw e;
        }
        out.push({ resource: req.resource, name, namespace });
      }
      continue;
    }
    const selector = ctx.flags.string("selector");
    if (!selector && !ctx.flags.bool("all") && !ctx.flags.string("field-selector")) {
      throw new UsageError(`resource(s) were provided, but no name was specified`);
    }
    const list = await rest.get<{ items?: KObject[] }>(pathFor(req.resource, allNs ? undefined : namespace), {
      ...(selector ? { labelSelector: selector } : {}),
      ...(ctx.flags.string("field-selector") ? { fieldSelector: ctx.flags.string("field-selector") } : {}),
    });
    for (const item of list.items ?? []) out.push({ resource: req.resource, name: item.metadata.name!, namespace: item.metadata.namespace ?? namespace });
  }
  return out;
}

export async function run(ctx: CommandContext): Promise<number> {
  const cond = conditionFor(ctx.flags.string("for"), await ctx.factory.clientBehaviour());
  const timeoutText = ctx.flags.changed("timeout") ? ctx.flags.string("timeout") : "30s";
  const timeoutMs = parseGoDuration(timeoutText) ?? 30_000;
  const rest = await ctx.factory.rest();
  const list = await targets(ctx, cond.kind === "delete");
  if (list.length === 0 && cond.kind !== "delete") throw new UsageError("no matching resources found");
  // One deadline for the whole command (ContextWithOptionalTimeout).
  const deadline = ctx.now() + timeoutMs;
  for (const t of list) {
    const timedOut = () => new RawError(`error: timed out waiting for the condition on ${t.resource.resource}/${t.name}`);
    const url = pathFor(t.resource, t.namespace, t.name);
    const collection = pathFor(t.resource, t.namespace);
    const left = deadline - ctx.now();
    if (cond.kind === "delete") {
      let current: KObject;
      try {
        current = await rest.get<KObject>(url);
      } catch (e) {
        if (e instanceof StatusError && e.code === 404) {
          ctx.io.stdout.write(`${kindPrefix(t.resource)}/${t.name} condition met\n`);
          continue;
        }
        throw e;
      }
      if (timeoutMs === 0 || left <= 0) throw timedOut();
      try {
        const outcome = await untilWithSync({
          rest, collection, name: t.name, clock: ctx.clock, timeoutMs: left, signal: ctx.io.signal,
          precondition: (obj) => !obj || obj.metadata.uid !== current.metadata.uid,
          condition: (ev: WatchEvent<KObject>) => ev.type === "DELETED",
        });
        if (outcome === "aborted") return 130;
      } catch (e) {
        if (e instanceof WaitTimeoutError) throw timedOut();
        throw e;
      }
      ctx.io.stdout.write(`${kindPrefix(t.resource)}/${t.name} condition met\n`);
      continue;
    }
    const check = cond.check!;
    if (timeoutMs === 0) {
      const obj = await rest.get<KObject>(url);
      if (!check(obj)) throw new RawError(`error: condition not met for ${t.resource.resource}/${t.name}`);
      ctx.io.stdout.write(`${kindPrefix(t.resource)}/${t.name} condition met\n`);
      continue;
    }
    if (left <= 0) throw timedOut();
    try {
      const outcome = await untilWithSync({
        rest, collection, name: t.name, clock: ctx.clock, timeoutMs: left, signal: ctx.io.signal,
        precondition: (obj) => {
          if (!obj) throw new RawError(`Error from server (NotFound): ${qualifiedResource(t.resource)} "${t.name}" not found`);
          return false;
        },
        condition: (ev) => ev.type !== "DELETED" && ev.type !== "ERROR" && check(ev.object),
      });
      if (outcome === "aborted") return 130;
    } catch (e) {
      if (e instanceof WaitTimeoutError) throw timedOut();
      throw e;
    }
    ctx.io.stdout.write(`${kindPrefix(t.resource)}/${t.name} condition met\n`);
  }
  return 0;
}
