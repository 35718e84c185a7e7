// `kubectl label TYPE NAME KEY=VAL… KEY-…`, after k8s.io/kubectl/pkg/cmd/label:
// label values are checked first, each object is changed in memory (refusing
// to change a value without --overwrite) and sent as a JSON merge patch of
// the change; `labeled`, `not labeled` or `unlabeled` as updateDataChangeMsg
// decides. -l/--all/-A select objects. Leaves out --list and --local.

import { createJSONMergePatch } from "../apply/strategicpatch.ts";
import { fetchInfos } from "../builder.ts";
import { dryRunSuffix, parseDryRun, resourcesAndPairs } from "../cmdutil.ts";
import { kindPrefix, pathFor } from "../discovery.ts";
import { RawError, UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";
import type { Obj } from "../manifest.ts";
import { parseOutputFormat, printGeneric } from "../printers/generic.ts";
import { goJSON } from "../printers/json.ts";

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** validation.IsValidLabelValue's messages. */
function labelValueErrors(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push("must be no more than 63 characters");
  if (!LABEL_VALUE.test(v)) {
    errs.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    );
  }
  return errs;
}

function parseLabels(pairs: string[]): { set: Map<string, string>; remove: string[] } {
  const set = new Map<string, string>();
  const remove: string[] = [];
  for (const p of pairs) {
    if (p.includes("=")) {
      const parts = p.split("=");
      if (parts.length !== 2) throw new UsageError(`invalid label spec: ${p}`);
      const errs = labelValueErrors(parts[1]!);
      if (errs.length > 0) throw new UsageError(`invalid label value: ${JSON.stringify(p)}: ${errs.join(";")}`);
      set.set(parts[0]!, parts[1]!);
    } else if (p.endsWith("-")) remove.push(p.slice(0, -1));
    else throw new UsageError(`unknown label spec: ${p}`);
  }
  if (remove.some((r) => set.has(r))) throw new UsageError("can not both modify and remove a label in the same command");
  return { set, remove };
}

export async function run(ctx: CommandContext): Promise<number> {
  const { flags, io } = ctx;
  const { resources, pairs } = resourcesAndPairs(ctx.args, "label");
  const { set, remove } = parseLabels(pairs);
  if (resources.length < 1 && flags.strings("filename").length === 0) {
    throw new UsageError("one or more resources must be specified as <resource> <name> or <resource>/<name>");
  }
  if (set.size < 1 && remove.length < 1) throw new UsageError("at least one label update is required");
  const overwrite = flags.bool("overwrite");
  const dryRun = parseDryRun(flags.string("dry-run", "none"));
  const format = parseOutputFormat(flags.string("output"));
  const resourceVersion = flags.string("resource-version");
  const rest = await ctx.factory.rest();
  const disco = await ctx.factory.discovery();
  const infos = await fetchInfos({
    rest,
    disco,
    args: resources,
    namespace: ctx.factory.namespace().namespace,
    selector: flags.string("selector"),
    all: flags.bool("all"),
    allNamespaces: flags.bool("all-namespaces"),
  });
  for (const info of infos) {
    const old = info.obj;
    const md = { ...((old.metadata ?? {}) as Obj) };
    const labels = { ...((md.labels ?? {}) as Record<string, string>) };
    if (dryRun !== "client") for (const r of remove) if (!(r in labels)) io.stdout.write(`label ${JSON.stringify(r)} not found.\n`);
    if (!overwrite) {
      const errs = [...set].filter(([k, v]) => k in labels && labels[k] !== v).map(([k]) => `'${k}' already has a value (${labels[k]}), and --overwrite is false`);
      if (errs.length === 1) throw new UsageError(errs[0]!);
      if (errs.length > 1) throw new RawError(errs.join("\n"));
    }
    for (const [k, v] of set) labels[k] = v;
    for (const r of remove) delete labels[r];
    md.labels = labels;
    if (resourceVersion) md.resourceVersion = resourceVersion;
    const updated: Obj = { ...old, metadata: md };
    const oldData = goJSON(old);
    const newData = goJSON(updated);
    let msg = "not labeled";
    // kubectl ≤1.20 says "labeled" for a removal too.
    if (oldData !== newData) msg = !overwrite && newData.length < oldData.length && (await ctx.factory.clientBehaviour()).has("unlabeledMessage") ? "unlabeled" : "labeled";
    let result = updated;
    if (dryRun !== "client") {
      const patch = createJSONMergePatch(old, updated);
      result = await rest.json<Obj>("PATCH", pathFor(info.resource, info.namespace, info.name), {
        body: goJSON(patch),
        contentType: "application/merge-patch+json",
        query: { fieldManager: flags.string("field-manager", "kubectl-label"), ...(dryRun === "server" ? { dryRun: "All" } : {}) },
      });
    }
    if (format.kind === "table") io.stdout.write(`${kindPrefix(info.resource)}/${info.name} ${msg}${dryRunSuffix(dryRun)}\n`);
    else io.stdout.write(printGeneric(result, format));
  }
  return 0;
}
