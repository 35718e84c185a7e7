// `kubectl taint nodes NODE key=value:Effect key2-`, after
// k8s.io/kubectl/pkg/cmd/taint (taint.go, utils.go): resources before taint
// arguments, ParseTaints' validation, the overwrite check, reorganizeTaints'
// merge, then a strategic-merge patch of spec.taints (a list without a merge
// key, so it is replaced whole). Prints `node/NAME tainted|untainted|modified`.
// Leaves out -o and the full label-name validation of keys and values.

import type { RestClient } from "../../client/rest.ts";
import { RawError, UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";

interface Taint {
  key: string;
  value?: string;
  effect?: string;
  timeAdded?: string;
}

interface Node {
  metadata: { name: string };
  spec?: { taints?: Taint[] };
}

const EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];
const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function taintString(t: Taint): string {
  if (!t.effect) return t.value ? `${t.key}=${t.value}` : t.key;
  return t.value ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`;
}

/** parseTaint: `key`, `key:Effect`, `key=value:Effect`. */
function parseTaint(spec: string): Taint {
  const parts = spec.split(":");
  let key: string;
  let value = "";
  let effect = "";
  if (parts.length === 1) key = parts[0]!;
  else if (parts.length === 2) {
    effect = parts[1]!;
    if (!EFFECTS.includes(effect)) throw new UsageError(`invalid taint effect: ${effect}, unsupported taint effect`);
    const kv = parts[0]!.split("=");
    if (kv.length > 2) throw new UsageError(`invalid taint spec: ${spec}`);
    key = kv[0]!;
    if (kv.length === 2) {
      value = kv[1]!;
      if (value.length > 63 || !LABEL_VALUE.test(value)) {
        throw new UsageError(
          `invalid taint spec: ${spec}, a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
        );
      }
    }
  } else throw new UsageError(`invalid taint spec: ${spec}`);
  if (!QUALIFIED_NAME.test(key)) {
    throw new UsageError(
      `invalid taint spec: ${spec}, name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    );
  }
  return { key, ...(value ? { value } : {}), ...(effect ? { effect } : {}) };
}

function parseTaints(specs: string[]): { add: Taint[]; remove: Taint[] } {
  const add: Taint[] = [];
  const remove: Taint[] = [];
  for (const spec of specs) {
    if (spec.endsWith("-")) {
      const t = parseTaint(spec.slice(0, -1));
      remove.push({ key: t.key, ...(t.effect ? { effect: t.effect } : {}) });
      continue;
    }
    const t = parseTaint(spec);
    if (!t.effect) throw new UsageError(`invalid taint spec: ${spec}`);
    if (add.some((x) => x.key === t.key && x.effect === t.effect)) {
      throw new UsageError(`duplicated taints with the same key and effect: {${t.key} ${t.value ?? ""} ${t.effect} <nil>}`);
    }
    add.push(t);
  }
  return { add, remove };
}

/** reorganizeTaints: the node's new taint list and the operation word. */
function reorganize(old: Taint[], add: Taint[], remove: Taint[], overwrite: boolean): { op: string; taints: Taint[]; errors: string[] } {
  const next = [...add];
  for (const o of old) if (!next.some((t) => t.key === o.key && t.effect === o.effect)) next.push(o);
  const added = old.length !== next.length;
  const errors: string[] = [];
  let removed = false;
  let out = next;
  for (const r of remove) {
    const before = out.length;
    out = out.filter((t) => !(t.key === r.key && (!r.effect || t.effect === r.effect)));
    removed = out.length !== before;
    if (!removed) errors.push(`taint ${JSON.stringify(taintString(r))} not found`);
  }
  const op = (added && removed) || overwrite ? "modified" : added ? "tainted" : "untainted";
  return { op, taints: out, errors };
}

async function targetNodes(ctx: CommandContext, rest: RestClient, names: string[]): Promise<Node[]> {
  const selector = ctx.flags.string("selector");
  if (selector || ctx.flags.bool("all")) {
    const list = await rest.get<{ items?: Node[] }>("/api/v1/nodes", selector ? { labelSelector: selector } : {});
    return list.items ?? [];
  }
  if (names.length === 0) throw new UsageError("resource(s) were provided, but no name was specified");
  const out: Node[] = [];
  for (const n of names) out.push(await rest.get<Node>(`/api/v1/nodes/${encodeURIComponent(n)}`));
  return out;
}

export async function run(ctx: CommandContext): Promise<number> {
  const resources: string[] = [];
  const taintArgs: string[] = [];
  for (const a of ctx.args) {
    const isTaint = a.includes("=") || a.includes(":") || a.endsWith("-");
    if (isTaint) taintArgs.push(a);
    else if (taintArgs.length > 0) throw new UsageError(`all resources must be specified before taint changes: ${a}`);
    else resources.push(a);
  }
  let parsed: { add: Taint[]; remove: Taint[] };
  try {
    parsed = parseTaints(taintArgs);
  } catch (e) {
    // Complete reports parse errors as usage errors (cmdutil.UsageErrorf).
    throw new UsageError(`${(e as Error).message}\nSee 'kubectl taint -h' for help and examples`);
  }
  const { add, remove } = parsed;
  if (ctx.flags.bool("all") && ctx.flags.string("selector")) throw new UsageError("setting 'all' parameter with a non empty selector is prohibited");
  if (resources.length < 1) throw new UsageError("one or more resources must be specified as <resource> <name>");
  if (taintArgs.length < 1) throw new UsageError("at least one taint update is required");
  const type = resources[0]!.toLowerCase();
  if (type !== "node" && type !== "nodes") throw new UsageError(`invalid resource type ${resources[0]}, only node types are supported`);
  const conflicts: string[] = [];
  for (const a of add) for (const r of remove) if (a.key === r.key && (!r.effect || a.effect === r.effect)) conflicts.push(`${r.key}=${r.effect ?? ""}`);
  if (conflicts.length > 0) throw new UsageError(`can not both modify and remove the following taint(s) in the same command: ${conflicts.join(", ")}`);

  const rest = await ctx.factory.rest();
  const overwrite = ctx.flags.bool("overwrite");
  const dry = ctx.flags.string("dry-run", "none");
  for (const node of await targetNodes(ctx, rest, resources.slice(1))) {
    const old = node.spec?.taints ?? [];
    if (!overwrite) {
      const exists = add.filter((t) => old.some((o) => o.key === t.key && o.effect === t.effect)).map((t) => t.key);
      if (exists.length > 0) throw new UsageError(`node ${node.metadata.name} already has ${exists.join(",")} taint(s) with same effect(s) and --overwrite is false`);
    }
    const { op, taints, errors } = reorganize(old, add, remove, overwrite);
    if (errors.length > 0) throw new RawError(errors.length === 1 ? `error: ${errors[0]}` : `[${errors.join(", ")}]`);
    if (dry !== "client" && dry !== "unknown") {
      await rest.json("PATCH", `/api/v1/nodes/${encodeURIComponent(node.metadata.name)}`, {
        body: { spec: { taints: taints.length > 0 ? taints : null } },
        contentType: "application/strategic-merge-patch+json",
        query: { fieldManager: ctx.flags.string("field-manager") || "kubectl-taint", ...(dry === "server" ? { dryRun: "All" } : {}) },
      });
    }
    const suffix = dry === "client" || dry === "unknown" ? " (dry run)" : dry === "server" ? " (server dry run)" : "";
    ctx.io.stdout.write(`node/${node.metadata.name} ${op}${suffix}\n`);
  }
  return 0;
}
