// From manifest objects to what commands act on, after cli-runtime's
// resource.Builder with Unstructured, NamespaceParam(...).DefaultNamespace()
// and RequireNamespace, and resource.Info: the REST mapping of each object's
// apiVersion/kind (through discovery), its namespace and name, and the texts
// kubectl prints when an object cannot be mapped or its namespace conflicts.

import type { RestClient } from "../client/rest.ts";
import { type APIResource, type Discovery, pathFor } from "./discovery.ts";
import { UsageError } from "./errors.ts";
import { parseDryRun, validationDirective } from "./cmdutil.ts";
import type { CommandContext } from "./kubectl.ts";
import { type ManifestObject, type Obj, readManifests } from "./manifest.ts";
import { parseOutputFormat } from "./printers/generic.ts";
import { resolveResourceArgs } from "./resource.ts";

export interface Info {
  obj: Obj;
  source: string;
  resource: APIResource;
  /** "" for cluster-scoped objects. */
  namespace: string;
  name: string;
}

function groupVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? { group: "", version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** `Resource: "apps/v1, Resource=deployments", GroupVersionKind: "apps/v1, Kind=Deployment"\nName: "web", Namespace: "default"` (Info.String). */
export function infoString(info: Pick<Info, "resource" | "namespace" | "name">): string {
  const r = info.resource;
  return `Resource: "${r.group}/${r.version}, Resource=${r.resource}", GroupVersionKind: "${r.group}/${r.version}, Kind=${r.kind}"\nName: ${JSON.stringify(info.name)}, Namespace: ${JSON.stringify(info.namespace)}`;
}

/** The discovered resource serving apiVersion/kind (the RESTMapper's RESTMapping). */
export async function mappingFor(disco: Discovery, apiVersion: string, kind: string): Promise<APIResource | undefined> {
  const { group, version } = groupVersion(apiVersion);
  const all = await disco.all();
  return all.find((r) => r.group === group && r.version === version && r.kind === kind);
}

/**
 * Maps each object, checks what client-side validation checks before any
 * request (apiVersion and kind set), and fills in the namespace: the object's
 * own, which must agree with an explicit -n, else the command's.
 */
export async function buildInfos(
  objects: ManifestObject[],
  opts: { disco: Discovery; namespace: string; explicitNamespace: boolean; validate: boolean },
): Promise<Info[]> {
  const out: Info[] = [];
  for (const { obj, source } of objects) {
    const apiVersion = typeof obj.apiVersion === "string" ? obj.apiVersion : "";
    const kind = typeof obj.kind === "string" ? obj.kind : "";
    if (opts.validate && (!apiVersion || !kind)) {
      const what = !apiVersion ? "apiVersion not set" : "kind not set";
      throw new UsageError(`error validating "${source}": error validating data: ${what}; if you choose to ignore these errors, turn validation off with --validate=false`);
    }
    if (!apiVersion || !kind) {
      throw new UsageError(`unable to decode "${source}": Object '${!kind ? "Kind" : "apiVersion"}' is missing in '${JSON.stringify(obj)}'`);
    }
    const metadata = (typeof obj.metadata === "object" && obj.metadata !== null ? obj.metadata : {}) as Obj;
    const name = typeof metadata.name === "string" ? metadata.name : "";
    const resource = await mappingFor(opts.disco, apiVersion, kind);
    if (!resource) {
      const ns = typeof metadata.namespace === "string" ? metadata.namespace : "";
      throw new UsageError(
        `resource mapping not found for name: ${JSON.stringify(name)} namespace: ${JSON.stringify(ns)} from ${JSON.stringify(source)}: no matches for kind ${JSON.stringify(kind)} in version ${JSON.stringify(apiVersion)}\nensure CRDs are installed first`,
      );
    }
    let namespace = "";
    if (resource.namespaced) {
      const own = typeof metadata.namespace === "string" ? metadata.namespace : "";
      if (own && opts.explicitNamespace && own !== opts.namespace) {
        throw new UsageError(
          `the namespace from the provided object ${JSON.stringify(own)} does not match the namespace ${JSON.stringify(opts.namespace)}. You must pass '--namespace=${own}' to perform this operation.`,
        );
      }
      namespace = own || opts.namespace;
      obj.metadata = { ...metadata, namespace };
    }
    out.push({ obj, source, resource, namespace, name });
  }
  return out;
}

/**
 * The objects a command that changes objects in place selects (label,
 * annotate, set env, set image): TYPE NAME… or TYPE/NAME…, or TYPE with -l or
 * --all (across namespaces with -A where the command has it), in the
 * context's namespace.
 */
export async function selectedInfos(ctx: CommandContext, rest: RestClient, args: string[], o: { allNamespaces: boolean }): Promise<Info[]> {
  return fetchInfos({
    rest,
    disco: await ctx.factory.discovery(),
    args,
    namespace: ctx.factory.namespace().namespace,
    selector: ctx.flags.string("selector"),
    all: ctx.flags.bool("all"),
    allNamespaces: o.allNamespaces,
  });
}

/**
 * The live objects resource arguments name, as the builder's
 * ResourceTypeOrNameArgs + LabelSelectorParam + SelectAllParam visit them:
 * TYPE NAME… and TYPE/NAME… are fetched one by one, TYPE with -l or --all
 * is listed (across namespaces with -A).
 */
export async function fetchInfos(opts: {
  rest: RestClient;
  disco: Discovery;
  args: string[];
  namespace: string;
  selector: string;
  all: boolean;
  allNamespaces: boolean;
}): Promise<Info[]> {
  const requests = await resolveResourceArgs(opts.disco, opts.args);
  const byQuery = opts.selector !== "" || opts.all;
  const out: Info[] = [];
  for (const req of requests) {
    const r = req.resource;
    const ns = r.namespaced ? opts.namespace : "";
    if (req.names.length > 0) {
      if (opts.selector !== "") throw new UsageError("name cannot be provided when a selector is specified");
      for (const name of req.names) {
        const obj = await opts.rest.json<Obj>("GET", pathFor(r, ns, name));
        out.push({ obj, source: "", resource: r, namespace: ns, name });
      }
      continue;
    }
    if (!byQuery) throw new UsageError("resource(s) were provided, but no name was specified");
    const list = await opts.rest.json<{ items?: Obj[] }>("GET", pathFor(r, opts.allNamespaces ? undefined : ns), {
      query: { labelSelector: opts.selector || undefined, limit: 500 },
    });
    for (const item of list.items ?? []) {
      const md = (item.metadata ?? {}) as Obj;
      out.push({
        obj: { apiVersion: r.group ? `${r.group}/${r.version}` : r.version, kind: r.kind, ...item },
        source: "",
        resource: r,
        namespace: typeof md.namespace === "string" ? md.namespace : "",
        name: String(md.name ?? ""),
      });
    }
  }
  return out;
}

/**
 * What `create -f` and `replace -f` share before they write: the flags that
 * shape the write (dry run, output, validation, field manager), the files read
 * into objects mapped through discovery, and the query every write carries.
 */
export async function fileWrites(ctx: CommandContext, filenames: string[], defaultFieldManager: string) {
  const { flags, io } = ctx;
  const dryRun = parseDryRun(flags.string("dry-run", "none"));
  const format = parseOutputFormat(flags.string("output"));
  const validation = validationDirective(flags.string("validate", "strict"));
  const objects = await readManifests({ filenames, recursive: flags.bool("recursive"), io, validate: validation !== "Ignore" });
  const rest = await ctx.factory.rest();
  const disco = await ctx.factory.discovery();
  const { namespace, explicit } = ctx.factory.namespace();
  const infos = await buildInfos(objects, { disco, namespace, explicitNamespace: explicit, validate: validation !== "Ignore" });
  const query = { fieldManager: flags.string("field-manager", defaultFieldManager), fieldValidation: validation, ...(dryRun === "server" ? { dryRun: "All" } : {}) };
  return { dryRun, format, rest, infos, query };
}
