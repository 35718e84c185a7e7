// `kubectl explain RESOURCE[.field.path]`, after k8s.io/kubectl/pkg/cmd/explain
// and pkg/explain (SplitAndParseResourceRequest[WithMatchingPrefix]): resolve
// the resource through discovery, fetch its group version's OpenAPI v3
// document and render it with the plaintext template, or, for
// --output=plaintext-openapiv2, print the /openapi/v2 model of its kind.
// Leaves out the fallback to v2 when a server serves no /openapi/v3 (ours
// always does), and reads /openapi/v2 as JSON where kubectl asks for protobuf.

import { ExplainError, type GVR, type OpenAPIDocument, renderPlaintext } from "../explain/plaintext.ts";
import { printModelDescription } from "../explain/modelprinter.ts";
import { formatGVK, type GroupVersionKind, Models, type V2Document } from "../explain/proto.ts";
import { NoResourceTypeError, type APIResource } from "../discovery.ts";
import { RawError, UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";

const SUGGEST = `Use "kubectl api-resources" for a complete list of supported resources.`;

export async function run(ctx: CommandContext): Promise<number> {
  const { flags, args } = ctx;
  if (args.length === 0) throw new UsageError(`You must specify the type of resource to explain. ${SUGGEST}\n`);
  if (args.length > 1) throw new UsageError("We accept only this format: explain RESOURCE\n");
  const apiVersion = flags.string("api-version");

  const disco = await ctx.factory.discovery();
  // splitDotNotation ignores a trailing period.
  const parts = args[0]!.replace(/\.$/, "").split(".");
  let target: APIResource;
  let fieldPath: string[];
  try {
    if (apiVersion) {
      target = await disco.resolve(parts[0]!);
      fieldPath = parts.slice(1);
    } else ({ target, fieldPath } = await withMatchingPrefix(ctx, args[0]!));
  } catch (e) {
    // The mapper's error reaches the user without checkErr's "error: " prefix.
    if (e instanceof NoResourceTypeError) throw new RawError(e.message);
    throw e;
  }
  const gvr: GVR = { group: target.group, version: target.version, resource: target.resource };
  const output = flags.string("output") || "plaintext";
  if (output === "plaintext-openapiv2") return renderOpenAPIV2(ctx, target, fieldPath, apiVersion);
  if (apiVersion) Object.assign(gvr, parseGroupVersion(apiVersion));

  const rest = await ctx.factory.rest();
  const index = await rest.get<{ paths?: Record<string, { serverRelativeURL?: string }> }>("/openapi/v3");
  const key = gvr.group ? `apis/${gvr.group}/${gvr.version}` : `api/${gvr.version}`;
  const entry = index.paths?.[key];
  if (!entry?.serverRelativeURL) throw new Error(`couldn't find resource for "${gvr.group}/${gvr.version}, Resource=${gvr.resource}"`);
  const doc = await rest.get<OpenAPIDocument>(entry.serverRelativeURL);
  // The generator knows only its plaintext template.
  if (output !== "plaintext") throw new UsageError(`unrecognized format: ${output}`);
  try {
    renderPlaintext(doc, gvr, fieldPath, flags.bool("recursive"), (s) => ctx.io.stdout.write(s), await ctx.factory.clientBehaviour());
  } catch (e) {
    if (e instanceof ExplainError) throw new RawError(e.message);
    throw e;
  }
  return 0;
}

/** schema.ParseGroupVersion: "v1" is the core group, "apps/v1" a named one, more slashes an error. */
function parseGroupVersion(apiVersion: string): { group: string; version: string } {
  const gv = apiVersion.split("/");
  if (gv.length > 2) throw new UsageError(`unexpected GroupVersion string: ${apiVersion}`);
  return gv.length === 2 ? { group: gv[0]!, version: gv[1]! } : { group: "", version: gv[0]! };
}

/**
 * renderOpenAPIV2: the kind the mapper gives (its group and version replaced
 * by --api-version's), looked up among the /openapi/v2 models by their
 * x-kubernetes-group-version-kind.
 */
async function renderOpenAPIV2(ctx: CommandContext, target: APIResource, fieldPath: string[], apiVersion: string): Promise<number> {
  let gvk: GroupVersionKind = { group: target.group, version: target.version, kind: target.kind };
  if (apiVersion) gvk = { ...parseGroupVersion(apiVersion), kind: target.kind };
  const rest = await ctx.factory.rest();
  const models = new Models(await rest.get<V2Document>("/openapi/v2"));
  const schema = models.lookupResource(gvk);
  if (!schema) throw new Error(`couldn't find resource for ${JSON.stringify(formatGVK(gvk))}`);
  // A missing field throws before anything prints; checkErr adds "error: ".
  printModelDescription({ models, schema, gvk, fieldsPath: fieldPath, recursive: ctx.flags.bool("recursive"), write: (s) => ctx.io.stdout.write(s) });
  return 0;
}

/**
 * SplitAndParseResourceRequestWithMatchingPrefix: the first part names the
 * resource; the first of its group/resources (`deployments.apps`, `pods`)
 * that the whole argument starts with picks the group, else the mapper's
 * first choice. Only the plural matches: `deployment.apps.spec` looks for a
 * field "apps", and no version is taken: `deployments.v1.apps` looks for "v1".
 */
async function withMatchingPrefix(ctx: CommandContext, arg: string): Promise<{ target: APIResource; fieldPath: string[] }> {
  const disco = await ctx.factory.discovery();
  const inResource = arg.endsWith(".") ? arg.slice(0, -1) : arg;
  const dotParts = inResource.split(".");
  const first = await disco.resolve(dotParts[0]!);
  const all = await disco.all();
  // ResourcesFor: the mapper's choice first, then the other groups' preferred versions.
  const gvrs = [first, ...all.filter((r) => r.resource === first.resource && r.preferred && r !== first)];
  for (const r of gvrs) {
    const groupResource = r.group ? `${r.resource}.${r.group}` : r.resource;
    if (inResource.startsWith(groupResource)) {
      const suffix = inResource.slice(groupResource.length);
      return { target: r, fieldPath: suffix.length > 0 ? suffix.split(".").slice(1) : [] };
    }
  }
  return { target: first, fieldPath: dotParts.slice(1) };
}
