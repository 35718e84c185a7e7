// `kubectl patch TYPE NAME -p PATCH [--type strategic|merge|json]`, after
// k8s.io/kubectl/pkg/cmd/patch: the patch text (YAML or JSON) is converted to
// JSON, the object fetched, the patch sent with fieldManager=kubectl-patch,
// and `patched` printed, or `patched (no change)` when the answer equals
// what was fetched. Leaves out --local, client-side dry run and -f.

import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { parse } from "yaml";
import { deepEqual } from "../apply/strategicpatch.ts";
import { fetchInfos } from "../builder.ts";
import { dryRunSuffix, parseDryRun } from "../cmdutil.ts";
import { kindPrefix, pathFor } from "../discovery.ts";
import { UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";
import type { Obj } from "../manifest.ts";
import { parseOutputFormat, printGeneric } from "../printers/generic.ts";
import { goJSON } from "../printers/json.ts";

const PATCH_TYPES: Record<string, string> = {
  json: "application/json-patch+json",
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
};

export async function run(ctx: CommandContext): Promise<number> {
  const { flags, io } = ctx;
  const type = flags.string("type", "strategic").toLowerCase() || "strategic";
  const contentType = PATCH_TYPES[type];
  if (!contentType) throw new UsageError(`--type must be one of [json merge strategic], not ${JSON.stringify(flags.string("type"))}`);
  let text = flags.string("patch");
  const file = flags.string("patch-file");
  if (text && file) throw new UsageError("--patch and --patch-file are mutually exclusive");
  if (file) text = readFileSync(isAbsolute(file) ? file : join(io.cwd, file), "utf8");
  if (!text) throw new UsageError("must specify --patch or --patch-file containing the contents of the patch");
  if (flags.bool("local")) throw new UsageError("--local is not available in kubelab's kubectl");
  const dryRun = parseDryRun(flags.string("dry-run", "none"));
  if (dryRun === "client") throw new UsageError("--dry-run=client is not available for patch in kubelab's kubectl");
  let body: string;
  try {
    body = goJSON(parse(text, { version: "1.1" }));
  } catch (e) {
    throw new UsageError(`unable to parse ${JSON.stringify(text)}: yaml: ${(e as Error).message.split("\n")[0]}`);
  }
  const format = parseOutputFormat(flags.string("output"));
  if (ctx.args.length === 0) throw new UsageError("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
  const rest = await ctx.factory.rest();
  const disco = await ctx.factory.discovery();
  const infos = await fetchInfos({ rest, disco, args: ctx.args, namespace: ctx.factory.namespace().namespace, selector: "", all: false, allNamespaces: false });
  for (const info of infos) {
    const sub = flags.string("subresource");
    const patched = await rest.json<Obj>("PATCH", pathFor(info.resource, info.namespace, info.name, sub || undefined), {
      body,
      contentType,
      query: { fieldManager: flags.string("field-manager", "kubectl-patch"), ...(dryRun === "server" ? { dryRun: "All" } : {}) },
    });
    const changed = !deepEqual(info.obj, patched);
    if (format.kind === "table") io.stdout.write(`${kindPrefix(info.resource)}/${info.name} ${changed ? "patched" : "patched (no change)"}${dryRunSuffix(dryRun)}\n`);
    else io.stdout.write(printGeneric(patched, format));
  }
  return 0;
}
