// `kubectl label TYPE NAME KEY=VAL… KEY-…`, after k8s.io/kubectl/pkg/cmd/label:
// label values are checked first, each object is changed in memory (refusing
// to change a value without --overwrite) and sent as a JSON merge patch of
// the change; `labeled`, `not labeled` or `unlabeled` as updateDataChangeMsg
// decides. -l/--all/-A select objects. Leaves out --list and --local.

import { RawError, UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";
import { goJSON } from "../printers/json.ts";
import { runMetadataMap } from "./metadatamap.ts";

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
  return runMetadataMap(ctx, {
    field: "labels",
    pairType: "label",
    fieldManager: "kubectl-label",
    parse: parseLabels,
    check(labels, { set, remove }, { overwrite, dryRun, out }) {
      if (dryRun !== "client") for (const r of remove) if (!(r in labels)) out(`label ${JSON.stringify(r)} not found.\n`);
      if (overwrite) return;
      const errs = [...set].filter(([k, v]) => k in labels && labels[k] !== v).map(([k]) => `'${k}' already has a value (${labels[k]}), and --overwrite is false`);
      if (errs.length === 1) throw new UsageError(errs[0]!);
      if (errs.length > 1) throw new RawError(errs.join("\n"));
    },
    // updateDataChangeMsg; kubectl ≤1.20 says "labeled" for a removal too.
    async message(old, updated, { overwrite }) {
      const oldData = goJSON(old);
      const newData = goJSON(updated);
      if (oldData === newData) return "not labeled";
      return !overwrite && newData.length < oldData.length && (await ctx.factory.clientBehaviour()).has("unlabeledMessage") ? "unlabeled" : "labeled";
    },
  });
}
