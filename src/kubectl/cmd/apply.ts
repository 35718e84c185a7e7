// `kubectl apply -f FILE|DIR|-`, client-side apply after k8s.io/kubectl/pkg/
// cmd/apply (apply.go, patcher.go): each object is created with the
// last-applied-configuration annotation when it does not exist, else patched
// with a three-way strategic merge patch (last applied, new, live) computed
// from the server's OpenAPI v3 patch metadata; `created`, `configured`,
// `unchanged`. Leaves out --server-side, --prune, -k, --force and conflict retries.

import { StatusError } from "../../apimachinery/errors.ts";
import { createApplyAnnotation, getModifiedConfiguration, getOriginalConfiguration, LAST_APPLIED } from "../apply/lastapplied.ts";
import { EMPTY_PATCH_META, OpenAPIV3Root } from "../apply/patchmeta.ts";
import { createThreeWayMergePatch } from "../apply/strategicpatch.ts";
import { buildInfos, type Info, infoString } from "../builder.ts";
import { kindPrefix, pathFor } from "../discovery.ts";
import { errorMessage, RawError, UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";
import { readManifests, type Obj } from "../manifest.ts";
import { parseOutputFormat, printGeneric } from "../printers/generic.ts";
import { goJSON } from "../printers/json.ts";
import { dryRunSuffix, parseDryRun, validationDirective, withSource } from "../cmdutil.ts";

export async function run(ctx: CommandContext): Promise<number> {
  const { flags, io } = ctx;
  if (flags.bool("server-side")) throw new UsageError("--server-side is not available in kubelab's kubectl");
  const filenames = flags.strings("filename");
  if (filenames.length === 0 && !flags.string("kustomize")) throw new UsageError("must specify one of -f and -k");
  if (flags.string("kustomize")) throw new UsageError("-k is not available in kubelab's kubectl");
  const dryRun = parseDryRun(flags.string("dry-run", "none"));
  const format = parseOutputFormat(flags.string("output"));
  const validation = validationDirective(flags.string("validate", "strict"));
  const objects = await readManifests({ filenames, recursive: flags.bool("recursive"), io, validate: validation !== "Ignore" });
  const rest = await ctx.factory.rest();
  const disco = await ctx.factory.discovery();
  const { namespace, explicit } = ctx.factory.namespace();
  const infos = await buildInfos(objects, { disco, namespace, explicitNamespace: explicit, validate: validation !== "Ignore" });
  const openapi = new OpenAPIV3Root(rest);
  const query = {
    fieldManager: flags.string("field-manager", "kubectl-client-side-apply"),
    fieldValidation: validation,
    ...(dryRun === "server" ? { dryRun: "All" } : {}),
  };
  const errors: string[] = [];
  const printed: Obj[] = [];
  const say = (info: Info, obj: Obj, op: string) => {
    if (format.kind === "table") io.stdout.write(`${kindPrefix(info.resource)}/${info.name} ${op}${dryRunSuffix(dryRun)}\n`);
    else printed.push(obj);
  };

  for (const info of infos) {
    if (!info.name) {
      errors.push(`error: error when retrieving current configuration of:\n${infoString(info)}\nfrom server for: "${info.source}": resource name may not be empty`);
      continue;
    }
    const modified = getModifiedConfiguration(info.obj, true);
    let live: Obj;
    try {
      live = await rest.json<Obj>("GET", pathFor(info.resource, info.namespace, info.name));
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 404)) {
        errors.push(errorMessage(withSource(`retrieving current configuration of:\n${infoString(info)}\nfrom server for:`, info.source, e)));
        continue;
      }
      const toCreate = createApplyAnnotation(info.obj);
      if (dryRun === "client") {
        say(info, toCreate, "created");
        continue;
      }
      try {
        const created = await rest.json<Obj>("POST", pathFor(info.resource, info.namespace), { body: toCreate, query });
        say(info, created, "created");
      } catch (err) {
        errors.push(errorMessage(withSource("creating", info.source, err)));
      }
      continue;
    }
    const annotations = ((live.metadata as Obj | undefined)?.annotations ?? {}) as Record<string, string>;
    if (!(LAST_APPLIED in annotations)) {
      io.stderr.write(
        `Warning: resource ${info.resource.resource}/${info.name} is missing the ${LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n`,
      );
    }
    const original = getOriginalConfiguration(live);
    const meta = await openapi.patchMetaFor(info.resource.group, info.resource.version, info.resource.kind);
    const patch = createThreeWayMergePatch(original ? (JSON.parse(original) as Obj) : {}, JSON.parse(modified) as Obj, live, meta ?? EMPTY_PATCH_META);
    const patchBytes = goJSON(patch);
    if (patchBytes === "{}") {
      say(info, live, "unchanged");
      continue;
    }
    if (dryRun === "client") {
      say(info, live, "configured");
      continue;
    }
    try {
      const patched = await rest.json<Obj>("PATCH", pathFor(info.resource, info.namespace, info.name), {
        body: patchBytes,
        query,
        contentType: meta ? "application/strategic-merge-patch+json" : "application/merge-patch+json",
      });
      say(info, patched, "configured");
    } catch (err) {
      errors.push(errorMessage(withSource(`applying patch:\n${patchBytes}\nto:\n${infoString(info)}\nfor:`, info.source, err)));
    }
  }
  if (printed.length > 0) {
    const out = printed.length === 1 ? printed[0]! : { apiVersion: "v1", kind: "List", items: printed, metadata: { resourceVersion: "" } };
    io.stdout.write(printGeneric(out, format));
  }
  if (errors.length > 0) throw new RawError(errors.join("\n"));
  return 0;
}
