// `kubectl annotate TYPE NAME KEY=VAL… KEY-…`, after k8s.io/kubectl/pkg/cmd/
// annotate: like label (a JSON merge patch of the in-memory change, refusing
// to change a value without --overwrite) but values are free text and every
// object reports `annotated`. Leaves out --list and --local.

import { UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";
import { runMetadataMap } from "./metadatamap.ts";

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
  return runMetadataMap(ctx, {
    field: "annotations",
    pairType: "annotation",
    fieldManager: "kubectl-annotate",
    parse: parseAnnotations,
    check(annotations, { set }, { overwrite }) {
      if (overwrite) return;
      const taken = [...set]
        .filter(([k, v]) => k !== "kubernetes.io/change-cause" && k in annotations && annotations[k] !== v)
        .map(([k]) => `'${k}' already has a value (${annotations[k]})`);
      if (taken.length > 0) throw new UsageError(`--overwrite is false but found the following declared annotation(s): ${taken.join("; ")}`);
    },
    // 1.27 says "annotate".
    message: async () => ((await ctx.factory.clientBehaviour()).has("annotatedMessage") ? "annotated" : "annotate"),
  });
}
