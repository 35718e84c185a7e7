// `kubectl set image TYPE NAME CONTAINER=IMAGE…`, after k8s.io/kubectl/pkg/cmd/
// set/set_image.go: the images of the named containers (`*` for all) are
// changed in memory, the difference sent as a strategic merge patch with
// fieldManager=kubectl-set; `image updated`, nothing when nothing changed.
// Leaves out --local and -f.

import { createTwoWayMergePatch } from "../apply/strategicpatch.ts";
import { EMPTY_PATCH_META, OpenAPIV3Root } from "../apply/patchmeta.ts";
import { selectedInfos } from "../builder.ts";
import { dryRunSuffix, parseDryRun, resourcesAndPairs } from "../cmdutil.ts";
import { kindPrefix, pathFor } from "../discovery.ts";
import { RawError, UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";
import type { Obj } from "../manifest.ts";
import { containersOf, podSpecOf } from "../podspec.ts";
import { parseOutputFormat, printGeneric } from "../printers/generic.ts";
import { goJSON } from "../printers/json.ts";

export async function run(ctx: CommandContext): Promise<number> {
  const { flags, io } = ctx;
  const { resources, pairs } = resourcesAndPairs(ctx.args, "image");
  const images = new Map<string, string>();
  for (const p of pairs) {
    const eq = p.indexOf("=");
    if (eq < 0) throw new UsageError(`invalid image format: ${p}`);
    images.set(p.slice(0, eq), p.slice(eq + 1));
  }
  if (resources.length < 1 && flags.strings("filename").length === 0) {
    throw new UsageError("one or more resources must be specified as <resource> <name> or <resource>/<name>");
  }
  if (images.size < 1) throw new UsageError("at least one image update is required");
  const dryRun = parseDryRun(flags.string("dry-run", "none"));
  const format = parseOutputFormat(flags.string("output"));
  const rest = await ctx.factory.rest();
  const infos = await selectedInfos(ctx, rest, resources, { allNamespaces: false });
  const openapi = new OpenAPIV3Root(rest);
  const errors: string[] = [];
  for (const info of infos) {
    const updated = structuredClone(info.obj);
    const spec = podSpecOf(updated);
    if (!spec) {
      errors.push(`error: ${info.resource.resource}/${info.name} the object is not a pod or does not have a pod template`);
      continue;
    }
    const missing: string[] = [];
    for (const [name, image] of images) {
      let found = false;
      for (const c of [...containersOf(spec), ...(Array.isArray(spec.ephemeralContainers) ? (spec.ephemeralContainers as Obj[]) : [])]) {
        if (c.name === name || name === "*") {
          c.image = image;
          found = true;
        }
      }
      if (!found) missing.push(`unable to find container named ${JSON.stringify(name)}`);
    }
    if (missing.length > 0) {
      errors.push(missing.length === 1 ? `error: ${missing[0]}` : `error: [${missing.join(", ")}]`);
      continue;
    }
    const meta = (await openapi.patchMetaFor(info.resource.group, info.resource.version, info.resource.kind)) ?? EMPTY_PATCH_META;
    const patch = createTwoWayMergePatch(info.obj, updated, meta);
    if (Object.keys(patch).length === 0) continue;
    let result = updated;
    if (dryRun !== "client") {
      result = await rest.json<Obj>("PATCH", pathFor(info.resource, info.namespace, info.name), {
        body: goJSON(patch),
        contentType: "application/strategic-merge-patch+json",
        query: { fieldManager: flags.string("field-manager", "kubectl-set"), ...(dryRun === "server" ? { dryRun: "All" } : {}) },
      });
    }
    if (format.kind === "table") io.stdout.write(`${kindPrefix(info.resource)}/${info.name} image updated${dryRunSuffix(dryRun)}\n`);
    else io.stdout.write(printGeneric(result, format));
  }
  if (errors.length > 0) throw new RawError(errors.join("\n"));
  return 0;
}
