// What `kubectl label` and `kubectl annotate` share (their Complete/RunLabel
// and RunAnnotate): the resources and KEY=VAL/KEY- pairs, the objects they
// select (-l, --all, -A, -f), each object's map changed in memory and sent
// as a JSON merge patch of the change, then `TYPE/NAME <message>` or the
// object in -o's format. Each command brings its parsing, its --overwrite
// check and its message.

import { createJSONMergePatch } from "../apply/strategicpatch.ts";
import { selectedInfos } from "../builder.ts";
import { type DryRun, dryRunSuffix, parseDryRun, resourcesAndPairs } from "../cmdutil.ts";
import { kindPrefix, pathFor } from "../discovery.ts";
import { UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";
import type { Obj } from "../manifest.ts";
import { parseOutputFormat, printGeneric } from "../printers/generic.ts";
import { goJSON } from "../printers/json.ts";

export interface MapChange {
  set: Map<string, string>;
  remove: string[];
}

export interface MetadataMapCommand {
  /** "labels" or "annotations". */
  field: "labels" | "annotations";
  /** "label" or "annotation", as the messages name a pair. */
  pairType: string;
  /** The default --field-manager. */
  fieldManager: string;
  parse(pairs: string[]): MapChange;
  /** Refuses the change of one object's map (before it is applied), e.g. a value changed without --overwrite. */
  check(current: Record<string, string>, change: MapChange, o: { overwrite: boolean; dryRun: DryRun; out: (s: string) => void }): void;
  /** What `TYPE/NAME …` says of one object. */
  message(old: Obj, updated: Obj, o: { overwrite: boolean }): Promise<string>;
}

export async function runMetadataMap(ctx: CommandContext, cmd: MetadataMapCommand): Promise<number> {
  const { flags, io } = ctx;
  const { resources, pairs } = resourcesAndPairs(ctx.args, cmd.pairType);
  const change = cmd.parse(pairs);
  if (resources.length < 1 && flags.strings("filename").length === 0) {
    throw new UsageError("one or more resources must be specified as <resource> <name> or <resource>/<name>");
  }
  if (change.set.size < 1 && change.remove.length < 1) throw new UsageError(`at least one ${cmd.pairType} update is required`);
  const overwrite = flags.bool("overwrite");
  const dryRun = parseDryRun(flags.string("dry-run", "none"));
  const format = parseOutputFormat(flags.string("output"));
  const resourceVersion = flags.string("resource-version");
  const rest = await ctx.factory.rest();
  const infos = await selectedInfos(ctx, rest, resources, { allNamespaces: flags.bool("all-namespaces") });
  for (const info of infos) {
    const old = info.obj;
    const md = { ...((old.metadata ?? {}) as Obj) };
    const map = { ...((md[cmd.field] ?? {}) as Record<string, string>) };
    cmd.check(map, change, { overwrite, dryRun, out: (s) => io.stdout.write(s) });
    for (const [k, v] of change.set) map[k] = v;
    for (const r of change.remove) delete map[r];
    md[cmd.field] = map;
    if (resourceVersion) md.resourceVersion = resourceVersion;
    const updated: Obj = { ...old, metadata: md };
    const msg = await cmd.message(old, updated, { overwrite });
    let result = updated;
    if (dryRun !== "client") {
      result = await rest.json<Obj>("PATCH", pathFor(info.resource, info.namespace, info.name), {
        body: goJSON(createJSONMergePatch(old, updated)),
        contentType: "application/merge-patch+json",
        query: { fieldManager: flags.string("field-manager", cmd.fieldManager), ...(dryRun === "server" ? { dryRun: "All" } : {}) },
      });
    }
    if (format.kind === "table") io.stdout.write(`${kindPrefix(info.resource)}/${info.name} ${msg}${dryRunSuffix(dryRun)}\n`);
    else io.stdout.write(printGeneric(result, format));
  }
  return 0;
}
