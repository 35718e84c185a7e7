// `kubectl set resources TYPE NAME [-c=GLOB] --limits=cpu=200m,memory=512Mi
// --requests=…`, after k8s.io/kubectl/pkg/cmd/set/set_resources.go: the
// requests/limits of the selected containers (all by default, path.Match
// wildcards) are set in memory and the difference sent as a strategic merge
// patch with fieldManager=kubectl-set. Leaves out --local and -f.

import { formatQuantity, parseQuantity } from "../../apimachinery/quantity.ts";
import { createTwoWayMergePatch } from "../apply/strategicpatch.ts";
import { EMPTY_PATCH_META, OpenAPIV3Root } from "../apply/patchmeta.ts";
import { fetchInfos } from "../builder.ts";
import { dryRunSuffix, parseDryRun } from "../cmdutil.ts";
import { kindPrefix, pathFor } from "../discovery.ts";
import { RawError, UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";
import type { Obj } from "../manifest.ts";
import { podSpecOf } from "../podspec.ts";
import { parseOutputFormat, printGeneric } from "../printers/generic.ts";
import { goJSON } from "../printers/json.ts";

/** populateResourceListV1: `cpu=100m,memory=256Mi` → canonical quantities (Quantity's JSON form). */
function resourceList(spec: string): Record<string, string> | undefined {
  if (spec === "") return undefined;
  const out: Record<string, string> = {};
  for (const statement of spec.split(",")) {
    const parts = statement.split("=");
    if (parts.length !== 2) throw new UsageError(`Invalid argument syntax ${statement}, expected <resource>=<value>`);
    const q = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/.test(parts[1]!) ? parseQuantity(parts[1]!) : undefined;
    if (!q) throw new UsageError("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    out[parts[0]!] = formatQuantity(q);
  }
  return out;
}

/** Go's path.Match for container names: `*`, `?` and `[…]` classes. */
function globMatch(pattern: string, name: string): boolean {
  let re = "";
  for (let k = 0; k < pattern.length; k++) {
    const c = pattern[k]!;
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = pattern.indexOf("]", k + 1);
      if (end < 0) return false;
      re += `[${pattern.slice(k + 1, end).replace(/^\^/, "^")}]`;
      k = end;
    } else re += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`).test(name);
}

export async function run(ctx: CommandContext): Promise<number> {
  const { flags, io } = ctx;
  if (flags.bool("local")) throw new UsageError("--local is not available in kubelab's kubectl");
  const dryRun = parseDryRun(flags.string("dry-run", "none"));
  const format = parseOutputFormat(flags.string("output"));
  const selector = flags.string("selector");
  const all = flags.bool("all");
  const limitsText = flags.string("limits");
  const requestsText = flags.string("requests");
  const containerSelector = flags.string("containers", "*");
  if (ctx.args.length === 0) {
    throw new UsageError(
      "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
    );
  }
  const rest = await ctx.factory.rest();
  const disco = await ctx.factory.discovery();
  const infos = await fetchInfos({ rest, disco, args: ctx.args, namespace: ctx.factory.namespace().namespace, selector, all, allNamespaces: false });
  if (all && selector) throw new UsageError("cannot set --all and --selector at the same time");
  if (!limitsText && !requestsText) throw new UsageError("you must specify an update to requests or limits (in the form of --requests/--limits)");
  const limits = resourceList(limitsText);
  const requests = resourceList(requestsText);

  const openapi = new OpenAPIV3Root(rest);
  const errors: string[] = [];
  for (const info of infos) {
    const updated = structuredClone(info.obj);
    const spec = podSpecOf(updated);
    if (!spec) {
      // The Go type of the object follows, as in "*v1.Service".
      errors.push(`error: ${info.resource.resource}/${info.name} the object is not a pod or does not have a pod template: *${info.resource.version}.${info.resource.kind}`);
      continue;
    }
    const list = (k: string) => (Array.isArray(spec[k]) ? (spec[k] as Obj[]) : []);
    // Regular containers first, then init containers, as selectContainers is called.
    const selected = [...list("containers"), ...list("initContainers")].filter((c) => globMatch(containerSelector, String(c.name ?? "")));
    if (selected.length === 0) {
      errors.push(`error: unable to find container named ${containerSelector}`);
      continue;
    }
    for (const c of selected) {
      const res = (typeof c.resources === "object" && c.resources !== null ? c.resources : {}) as Obj;
      if (limits) res.limits = { ...((res.limits as Obj | undefined) ?? {}), ...limits };
      if (requests) res.requests = { ...((res.requests as Obj | undefined) ?? {}), ...requests };
      c.resources = res;
    }
    const meta = (await openapi.patchMetaFor(info.resource.group, info.resource.version, info.resource.kind)) ?? EMPTY_PATCH_META;
    const patch = createTwoWayMergePatch(info.obj, updated, meta);
    if (Object.keys(patch).length === 0) continue;
    let result = updated;
    if (dryRun !== "client") {
      try {
        result = await rest.json<Obj>("PATCH", pathFor(info.resource, info.namespace, info.name), {
          body: goJSON(patch),
          contentType: "application/strategic-merge-patch+json",
          query: { fieldManager: flags.string("field-manager", "kubectl-set"), ...(dryRun === "server" ? { dryRun: "All" } : {}) },
        });
      } catch (e) {
        errors.push(`failed to patch resources update to pod template ${(e as Error).message}`);
        continue;
      }
    }
    if (format.kind === "table") io.stdout.write(`${kindPrefix(info.resource)}/${info.name} resource requirements updated${dryRunSuffix(dryRun)}\n`);
    else io.stdout.write(printGeneric(result, format));
  }
  if (errors.length === 1) throw new RawError(errors[0]!.startsWith("error: ") ? errors[0]! : `error: ${errors[0]}`);
  // checkErr prints several aggregated errors one per line, as they are (MultipleErrors).
  if (errors.length > 1) throw new RawError(errors.join("\n"));
  return 0;
}
