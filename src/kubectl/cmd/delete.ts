// `kubectl delete`, after k8s.io/kubectl/pkg/cmd/delete: by TYPE NAME…,
// TYPE/NAME, -l, --all; `pod "x" deleted` printed first, then (unless
// --wait=false) a watch until each object is gone, as kubectl's wait does.
// --force/--grace-period/--now set DeleteOptions.gracePeriodSeconds.
// -f FILE|DIR|- deletes the objects the files name (errors say which file).
// Leaves out -k, --cascade=foreground|orphan messages and --interactive.

import { StatusError } from "../../apimachinery/errors.ts";
import type { RestClient } from "../../client/rest.ts";
import { type APIResource, pathFor, qualifiedResource } from "../discovery.ts";
import { UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";
import { errorMessage } from "../errors.ts";
import { resolveResourceArgs } from "../resource.ts";
import { buildInfos } from "../builder.ts";
import { withSource } from "../cmdutil.ts";
import { readManifests } from "../manifest.ts";

interface Deleted {
  resource: APIResource;
  namespace: string | undefined;
  name: string;
  uid?: string;
}

export async function run(ctx: CommandContext): Promise<number> {
  const { flags, io } = ctx;
  const filenames = flags.strings("filename");
  if (ctx.args.length === 0 && filenames.length === 0) {
    throw new UsageError(
      "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
    );
  }
  let grace = flags.changed("grace-period") ? flags.int("grace-period") : -1;
  const force = flags.bool("force");
  if (flags.bool("now")) {
    if (grace !== -1) throw new UsageError("--now and --grace-period cannot be specified together");
    grace = 1;
  }
  if (grace === 0 && !force) grace = 1;
  if (force && grace < 0) grace = 0;
  if (force) io.stderr.write(`${(await ctx.factory.clientBehaviour()).has("forceDeleteWarningCapitalised") ? "Warning" : "warning"}: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n`);

  const rest = await ctx.factory.rest();
  const disco = await ctx.factory.discovery();
  const { namespace } = ctx.factory.namespace();
  const allNamespaces = flags.bool("all-namespaces");
  let requests: { resource: APIResource; names: string[]; namespace?: string; source?: string }[];
  if (filenames.length > 0) {
    if (ctx.args.length > 0) throw new UsageError(`Unexpected args: [${ctx.args.join(" ")}]\nSee 'kubectl delete -h' for help and examples`);
    const objects = await readManifests({ filenames, recursive: flags.bool("recursive"), io });
    const infos = await buildInfos(objects, { disco, namespace, explicitNamespace: ctx.factory.namespace().explicit, validate: false });
    requests = infos.map((i) => ({ resource: i.resource, names: [i.name], namespace: i.namespace, source: i.source }));
  } else requests = await resolveResourceArgs(disco, ctx.args);
  const selector = flags.string("selector");
  const fieldSelector = flags.string("field-selector");
  const byQuery = flags.bool("all") || selector !== "" || fieldSelector !== "";
  const body: Record<string, unknown> = { propagationPolicy: "Background" };
  if (grace >= 0) body.gracePeriodSeconds = grace;

  const deleted: Deleted[] = [];
  const errors: string[] = [];
  let found = 0;
  for (const req of requests) {
    const r = req.resource;
    const ns = r.namespaced ? (req.namespace ?? namespace) : undefined;
    let targets: { name: string; namespace: string | undefined }[];
    if (req.names.length > 0) {
      if (byQuery && flags.bool("all")) throw new UsageError("name cannot be provided when a selector is specified");
      targets = req.names.map((name) => ({ name, namespace: ns }));
    } else {
      if (!byQuery) throw new UsageError("resource(s) were provided, but no name was specified");
      const list = await rest.json<{ items?: { metadata: { name: string; namespace?: string } }[] }>("GET", pathFor(r, allNamespaces ? undefined : ns), {
        query: { labelSelector: selector || undefined, fieldSelector: fieldSelector || undefined, limit: 500 },
      });
      targets = (list.items ?? []).map((i) => ({ name: i.metadata.name, namespace: i.metadata.namespace }));
    }
    for (const t of targets) {
      let answer: { metadata?: { uid?: string }; details?: { uid?: string } };
      try {
        answer = await rest.json("DELETE", pathFor(r, t.namespace, t.name), { body });
      } catch (e) {
        if (e instanceof StatusError && e.code === 404 && flags.bool("ignore-not-found")) continue;
        if (e instanceof StatusError) {
          errors.push(errorMessage(req.source ? withSource("deleting", req.source, e) : e));
          continue;
        }
        throw e;
      }
      found++;
      const what = `${qualifiedResource({ resource: r.kind.toLowerCase(), group: r.group })} "${t.name}"`;
      io.stdout.write(`${what} ${force ? "force deleted" : "deleted"}\n`);
      const uid = answer.metadata?.uid ?? answer.details?.uid;
      deleted.push({ resource: r, namespace: t.namespace, name: t.name, ...(uid ? { uid } : {}) });
    }
  }
  if (found === 0 && byQuery && errors.length === 0) io.stdout.write("No resources found\n");
  if (flags.bool("wait", true) && !force) {
    for (const d of deleted) {
      const gone = await waitForDeletion(rest, d, io.signal);
      if (!gone) return 130;
    }
  }
  if (errors.length > 0) {
    io.stderr.write(errors.join("\n") + "\n");
    return 1;
  }
  return 0;
}

/** Watches the object until it is deleted (or replaced by one with another uid). False if interrupted. */
async function waitForDeletion(rest: RestClient, d: Deleted, signal: AbortSignal): Promise<boolean> {
  const path = pathFor(d.resource, d.namespace);
  while (!signal.aborted) {
    let current: { metadata?: { uid?: string; resourceVersion?: string } };
    try {
      current = await rest.json("GET", pathFor(d.resource, d.namespace, d.name));
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return true;
      throw e;
    }
    if (d.uid && current.metadata?.uid !== d.uid) return true;
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal.addEventListener("abort", onAbort, { once: true });
    let done = false;
    try {
      await rest.watch<{ metadata?: { uid?: string } }>(
        path,
        { fieldSelector: `metadata.name=${d.name}`, resourceVersion: current.metadata?.resourceVersion, allowWatchBookmarks: "true", timeoutSeconds: 300 },
        (ev) => {
          if (ev.type === "DELETED" && (!d.uid || ev.object.metadata?.uid === d.uid)) {
            done = true;
            stop.abort();
          }
        },
        stop.signal,
      );
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
    if (done) return true;
  }
  return false;
}
