// `kubectl annotate TYPE NAME KEY=VAL… KEY-…`, after k8s.io/kubectl/pkg/cmd/
// annotate: like label (a JSON merge patch of the in-memory change, refusing
// to change a value without --overwrite) but values are free text and every
// object reports `annotated`. Leaves out --list and --local.

import { createJSONMergePatch } from "../apply/strategicpatch.ts";
import { fetchInfos } from "../builder.ts";
import { dryRunSuffix, parseDryRun, resourcesAndPairs } from "../cmdutil.ts";
import { kindPrefix, pathFor } from "../discovery.ts";
import { UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";
import type { Obj } from "../manifest.ts";
import { parseOutputFormat, printGeneric } from "../printers/generic.ts";
import { goJSON } from "../printers/json.ts";

/** cmdutil.ParsePairs(args, "annotation", true) and validateAnnotations. */
function parseAnnotations(pairs: string[]): { set: Map<string, string>; remove: string[] } {
  const set = new Map<string, string>();
  const remove: string[] = [];
  const invalid: string[] = [];
  for (const p of pairs) {
    const eq = p.indexOf("=");
    if (eq >= 0) set.set(p.slice(0, eq), p.slice(eq + 1));
    else if (p.endsWith("-")) remove.push(p.slice(0, -1));
    else invalid.push(p);
  }
  if (invalid.length > 0) throw new UsageError(`invalid annotation format: ${invalid.join(", ")}`);
  const both = remove.filter((r) => set.has(r));
  if (both.length > 0) throw new UsageError(`can not both modify and remove the following annotation(s) in the same command: ${both.join(", ")}`);
  return { set, remove };
}

export async function run(ctx: CommandContext): Promise<number> {
  const { flags, io } = ctx;
  const { resources, pairs } = resourcesAndPairs(ctx.args, "annotation");
  const { set, remove } = parseAnnotations(pairs);
  if (resources.length < 1 && flags.strings("filename").length === 0) {
    throw new UsageError("one or more resources must be specified as <resource> <name> or <resource>/<name>");
  }
  if (set.size < 1 && remove.length < 1) throw new UsageError("at least one annotation update is required");
  const overwrite = flags.bool("overwrite");
  const dryRun = parseDryRun(flags.string("dry-run", "none"));
  const format = parseOutputFormat(flags.string("output"));
  const resourceVersion = flags.string("resource-version");
  const rest = await ctx.factory.rest();
  const verb = (await ctx.factory.clientBehaviour()).has("annotatedMessage") ? "annotated" : "annotate";
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
    const annotations = { ...((md.annotations ?? {}) as Record<string, string>) };
    if (!overwrite) {
      const taken = [...set]
        .filter(([k, v]) => k !== "kubernetes.io/change-cause" && k in annotations && annotations[k] !== v)
        .map(([k]) => `'${k}' already has a value (${annotations[k]})`);
      if (taken.length > 0) throw new UsageError(`--overwrite is false but found the following declared annotation(s): ${taken.join("; ")}`);
    }
    for (const [k, v] of set) annotations[k] = v;
    for (const r of remove) delete annotations[r];
    md.annotations = annotations;
    if (resourceVersion) md.resourceVersion = resourceVersion;
    const updated: Obj = { ...old, metadata: md };
    let result = updated;
    if (dryRun !== "client") {
      result = await rest.json<Obj>("PATCH", pathFor(info.resource, info.namespace, info.name), {
        body: goJSON(createJSONMergePatch(old, updated)),
        contentType: "application/merge-patch+json",
        query: { fieldManager: flags.string("field-manager", "kubectl-annotate"), ...(dryRun === "server" ? { dryRun: "All" } : {}) },
      });
    }
    if (format.kind === "table") io.stdout.write(`${kindPrefix(info.resource)}/${info.name} ${verb}${dryRunSuffix(dryRun)}\n`);
    else io.stdout.write(printGeneric(result, format));
  }
  return 0;
}
