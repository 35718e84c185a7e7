// What the `kubectl create <generator>` commands share, after
// k8s.io/kubectl/pkg/cmd/create (create.go NameFromCommandArgs and each
// generator's Complete/Run): one NAME, the namespace set on the object only
// when -n was given, the dry-run strategy and printer read before the object
// is built, then a POST with fieldManager=kubectl-create (skipped for
// --dry-run=client) and "<kind>/<name> created". Built objects keep Go's
// struct field order, which -o json shows. Leaves out nothing those share.

import { StatusError } from "../../apimachinery/errors.ts";
import { type DryRun, dryRunSuffix, parseDryRun, validationDirective } from "../cmdutil.ts";
import { UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";
import type { Obj } from "../manifest.ts";
import { type OutputFormat, OutputFormatError, printFormat, printGeneric } from "../printers/generic.ts";
import { goJSON } from "../printers/json.ts";

const CREATE_FORMATS = "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml";

export interface CreateSetup {
  name: string;
  namespace: string;
  /** -n was given: the built object names its namespace. */
  enforceNamespace: boolean;
  dryRun: DryRun;
  format: OutputFormat;
}

/** create.go NameFromCommandArgs: exactly one argument before any `--`. */
export function nameFromArgs(ctx: CommandContext): string {
  const n = ctx.flags.argsLenAtDash === -1 ? ctx.args.length : ctx.flags.argsLenAtDash;
  if (n !== 1) throw new UsageError(`exactly one NAME is required, got ${n}\nSee '${ctx.commandPath} -h' for help and examples`);
  return ctx.args[0]!;
}

/** A generator's Complete: name, namespace, dry-run strategy and printer, in that order. */
export function completeCreate(ctx: CommandContext): CreateSetup {
  const name = nameFromArgs(ctx);
  const { namespace, explicit } = ctx.factory.namespace();
  const dryRun = parseDryRun(ctx.flags.string("dry-run", "none"));
  let format: OutputFormat;
  const output = ctx.flags.string("output");
  const unmatched = new UsageError(`unable to match a printer suitable for the output format ${JSON.stringify(output)}, allowed formats are: ${CREATE_FORMATS}`);
  // PrintFlags("created") has no table printers: wide and custom-columns are not among its formats.
  if (output === "wide" || /^custom-columns(-file)?(=|$)/.test(output)) throw unmatched;
  try {
    format = printFormat(ctx.flags, ctx.io.cwd);
  } catch (e) {
    if (e instanceof OutputFormatError) throw unmatched;
    throw new UsageError((e as Error).message);
  }
  return { name, namespace, enforceNamespace: explicit, dryRun, format };
}

/** ObjectMeta in Go field order: name, namespace, creationTimestamp, then labels. */
export function objectMeta(setup: CreateSetup, labels?: Record<string, string>): Obj {
  return {
    name: setup.name,
    ...(setup.enforceNamespace ? { namespace: setup.namespace } : {}),
    creationTimestamp: null,
    ...(labels ? { labels } : {}),
  };
}

export interface SubmitOptions {
  /** The collection, e.g. `/api/v1/namespaces/default/configmaps`. */
  path: string;
  /** The name printer's `<kind>[.<group>]`, e.g. `configmap`, `role.rbac.authorization.k8s.io`. */
  prefix: string;
  /**
   * How the generator wraps a failed create, e.g. `failed to create configmap: <message>`;
   * absent when it returns the API error as is (create role and clusterrole: `Error from server (…)`).
   */
  failure?: (message: string) => string;
}

/** ObjectMeta's Go field order, for placing annotations among the fields a generator set. */
const META_ORDER = ["name", "generateName", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "labels", "annotations", "ownerReferences"];

/**
 * util.CreateOrUpdateAnnotation on a typed object: the last-applied
 * annotation is json.Marshal of the struct itself (field order kept; an empty
 * annotations map is omitted), unlike apply's unstructured encoding.
 */
function typedApplyAnnotation(obj: Obj): Obj {
  const meta = (obj.metadata ?? {}) as Obj;
  const config = `${goJSON(obj, false)}\n`;
  const withAnnotation: Obj = { ...meta, annotations: { ...((meta.annotations as Record<string, string> | undefined) ?? {}), "kubectl.kubernetes.io/last-applied-configuration": config } };
  const ordered = Object.fromEntries(Object.keys(withAnnotation).sort((a, b) => META_ORDER.indexOf(a) - META_ORDER.indexOf(b)).map((k) => [k, withAnnotation[k]]));
  return { ...obj, metadata: ordered };
}

/** A generator's Run after building obj: create it unless --dry-run=client, then print. */
export async function submit(ctx: CommandContext, setup: CreateSetup, built: Obj, opts: SubmitOptions): Promise<number> {
  const obj = ctx.flags.bool("save-config") ? typedApplyAnnotation(built) : built;
  let result = obj;
  let typed = true;
  if (setup.dryRun !== "client") {
    const rest = await ctx.factory.rest();
    const query = {
      fieldManager: ctx.flags.string("field-manager") || "kubectl-create",
      fieldValidation: validationDirective(ctx.flags.string("validate") || "strict"),
      ...(setup.dryRun === "server" ? { dryRun: "All" } : {}),
    };
    try {
      result = await rest.json<Obj>("POST", opts.path, { body: obj, query });
    } catch (e) {
      if (e instanceof StatusError && opts.failure) throw new UsageError(opts.failure(e.status.message ?? ""));
      throw e;
    }
    typed = false;
  }
  const out = setup.format.kind === "table" ? `${opts.prefix}/${setup.name} created${dryRunSuffix(setup.dryRun)}\n` : printGeneric(result, setup.format, { typed });
  ctx.io.stdout.write(out);
  return 0;
}

/** The namespaced collection path of a core (group "") or named group resource. */
export function collectionPath(group: string, version: string, resource: string, namespace?: string): string {
  const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
  return namespace === undefined ? `${base}/${resource}` : `${base}/namespaces/${encodeURIComponent(namespace)}/${resource}`;
}
