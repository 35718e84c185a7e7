// `kubectl get`, after k8s.io/kubectl/pkg/cmd/get/get.go: resource arguments
// (TYPE, TYPE NAME…, TYPE/NAME…, TYPE1,TYPE2, categories like `all`), server-
// side Tables printed through the shared tab writer (a blank line between
// kinds, `No resources found…` on stderr when nothing printed), the generic
// printers (-o yaml|json|name|jsonpath=…|go-template=…) over a List of all
// items, and -w (rows for a table; each event's object through the generic
// printer otherwise, --watch-only and --output-watch-events as get.go's
// watch()). Leaves out -f/-k, and -w with custom-columns.

import { StatusError } from "../../apimachinery/errors.ts";
import { TABLE_ACCEPT, type RestClient } from "../../client/rest.ts";
import { type APIResource, kindPrefix, pathFor } from "../discovery.ts";
import { RawError, UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";
import { errorMessage } from "../errors.ts";
import { printGeneric, printFormat, type OutputFormat } from "../printers/generic.ts";
import { goJSON } from "../printers/json.ts";
import { toYAML } from "../printers/yaml.ts";
import { untilWithoutRetry } from "../watchtools.ts";
import { TemplateExecutionFailed } from "../printers/gotemplate.ts";
import { HumanTablePrinter, type Table } from "../printers/table.ts";
import { newGetTabWriter } from "../printers/tabwriter.ts";
import { resolveResourceArgs, type ResourceRequest } from "../resource.ts";
import { sortByField } from "../printers/sorter.ts";

type KObj = { apiVersion?: string; kind?: string; metadata?: Record<string, unknown> } & Record<string, unknown>;

export async function run(ctx: CommandContext): Promise<number> {
  const { io, flags } = ctx;
  const err = (s: string) => io.stderr.write(s);
  if (ctx.args.length === 0) {
    err(
      'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\n' +
        "error: Required resource not specified.\n" +
        'Use "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\n' +
        "See 'kubectl get -h' for help and examples\n",
    );
    return 1;
  }
  const allNamespaces = flags.bool("all-namespaces");
  const { namespace } = ctx.factory.namespace();
  const rest = await ctx.factory.rest();
  const disco = await ctx.factory.discovery();
  const requests = await resolveResourceArgs(disco, ctx.args);
  const format = printFormat(flags, io.cwd);
  if (allNamespaces && requests.some((r) => r.names.length > 0)) throw new UsageError("a resource cannot be retrieved by name across all namespaces");

  const sortBy = flags.string("sort-by");
  const query = (named: boolean) => ({
    ...(named ? {} : { labelSelector: flags.string("selector") || undefined, fieldSelector: flags.string("field-selector") || undefined, limit: 500 }),
  });
  // --sort-by needs the whole object in every Table row.
  const tableQuery = (named: boolean) => ({ ...query(named), ...(sortBy ? { includeObject: "Object" } : {}) });
  const nsFor = (r: APIResource) => (r.namespaced && !allNamespaces ? namespace : undefined);

  if (format.kind !== "table" && format.kind !== "custom-columns" && (flags.bool("watch") || flags.bool("watch-only"))) {
    return watchGeneric(ctx, rest, requests, format, nsFor, query);
  }
  if (format.kind !== "table") {
    return getGeneric(ctx, rest, requests, format, nsFor, query);
  }

  const out = (s: string) => io.stdout.write(s);
  let written = 0;
  let separatorReady = false;
  const sink = (s: string) => {
    if (s.length === 0) return;
    if (separatorReady) {
      out("\n");
      written++;
      separatorReady = false;
    }
    written += s.length;
    out(s);
  };
  const tw = newGetTabWriter(sink);
  const errors: string[] = [];
  let last: APIResource | undefined;
  let printer: HumanTablePrinter | undefined;
  const multipleKinds = new Set(requests.map((r) => `${r.resource.group}/${r.resource.kind}`)).size > 1;
  const wide = format.wide;
  let lastTable: { table: Table; req: ResourceRequest } | undefined;

  for (const req of requests) {
    const r = req.resource;
    const targets: (string | undefined)[] = req.names.length > 0 ? req.names : [undefined];
    for (const name of targets) {
      let table: Table;
      try {
        table = await rest.json<Table>("GET", pathFor(r, nsFor(r), name), { accept: TABLE_ACCEPT, query: tableQuery(name !== undefined) });
      } catch (e) {
        if (e instanceof StatusError && e.code === 404 && flags.bool("ignore-not-found")) continue;
        if (e instanceof StatusError) {
          errors.push(errorMessage(e));
          continue;
        }
        throw e;
      }
      if (sortBy && table.rows && table.rows.length > 1) {
        try {
          table = { ...table, rows: sortByField(table.rows, sortBy, (row) => row.object) };
        } catch {
          // kubectl 1.32 drops a table it cannot sort without reporting why.
          continue;
        }
      }
      if (!printer || last !== r) {
        tw.flush();
        tw.setRememberedWidths([]);
        if (last && !flags.bool("no-headers") && written > 0) separatorReady = true;
        printer = new HumanTablePrinter({
          noHeaders: flags.bool("no-headers"),
          wide,
          withNamespace: allNamespaces && r.namespaced,
          ...(multipleKinds || flags.bool("show-kind") ? { kindPrefix: kindPrefix(r) } : {}),
          showLabels: flags.bool("show-labels"),
          columnLabels: flags.strings("label-columns"),
        });
        last = r;
      }
      if (!flags.bool("watch-only")) printer.print(table, tw);
      lastTable = { table, req };
    }
  }
  tw.flush();

  if (flags.bool("watch") || flags.bool("watch-only")) {
    if (errors.length > 0) {
      err(errors.join("\n") + "\n");
      return 1;
    }
    if (requests.length !== 1) throw new UsageError("you may only specify a single resource type");
    if (!lastTable || !printer) return 0;
    return watch(ctx, rest, lastTable.req, lastTable.table, printer, tw, nsFor(lastTable.req.resource));
  }

  if (written === 0 && !flags.bool("ignore-not-found") && errors.length === 0) {
    const allNamespaced = !allNamespaces && requests.every((r) => r.resource.namespaced);
    err(allNamespaced ? `No resources found in ${namespace} namespace.\n` : "No resources found\n");
  }
  if (errors.length > 0) {
    err([...new Set(errors)].join("\n") + "\n");
    return 1;
  }
  return 0;
}

/** -w: the list's table is printed; then one row per watch event, widths only widening. */
async function watch(
  ctx: CommandContext,
  rest: RestClient,
  req: ResourceRequest,
  table: Table,
  printer: HumanTablePrinter,
  tw: ReturnType<typeof newGetTabWriter>,
  namespace: string | undefined,
): Promise<number> {
  const r = req.resource;
  const name = req.names[0];
  const query: Record<string, string | number | undefined> = name
    ? { fieldSelector: `metadata.name=${name}`, resourceVersion: "0" }
    : {
        labelSelector: ctx.flags.string("selector") || undefined,
        fieldSelector: ctx.flags.string("field-selector") || undefined,
        resourceVersion: table.metadata?.resourceVersion,
      };
  let first = !!name;
  try {
    await rest.watch<Table>(
      pathFor(r, namespace),
      query,
      (ev) => {
        if (ev.type === "ERROR" || ev.type === "BOOKMARK") return;
        // A single object's watch starts with a synthetic ADDED for what was just printed.
        if (first && ev.type === "ADDED") {
          first = false;
          return;
        }
        first = false;
        printer.print(ev.object, tw);
        tw.flush();
      },
      ctx.io.signal,
      TABLE_ACCEPT,
    );
  } catch (e) {
    if (ctx.io.signal.aborted) return 130;
    throw e;
  }
  return ctx.io.signal.aborted ? 130 : 0;
}

/**
 * -w with a generic printer (get.go's watch()): the listed objects one by one
 * (a single named object is fetched and watched from resourceVersion 0, whose
 * first, synthetic event is not printed), then each event's object; with
 * --output-watch-events every object is wrapped as {type, object}; with
 * --watch-only the listed objects are not printed.
 */
async function watchGeneric(
  ctx: CommandContext,
  rest: RestClient,
  requests: ResourceRequest[],
  format: OutputFormat,
  nsFor: (r: APIResource) => string | undefined,
  query: (named: boolean) => Record<string, string | number | undefined>,
): Promise<number> {
  const { flags, io } = ctx;
  if (requests.length !== 1) throw new UsageError("you may only specify a single resource type");
  const req = requests[0]!;
  const r = req.resource;
  const name = req.names[0];
  const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
  let objects: KObj[];
  let watchQuery: Record<string, string | number | undefined>;
  if (name !== undefined) {
    objects = [await rest.json<KObj>("GET", pathFor(r, nsFor(r), name))];
    watchQuery = { fieldSelector: `metadata.name=${name}`, resourceVersion: "0" };
  } else {
    const list = await rest.json<{ metadata?: { resourceVersion?: string }; items?: KObj[] }>("GET", pathFor(r, nsFor(r)), { query: query(false) });
    objects = (list.items ?? []).map((item) => ({ apiVersion, kind: r.kind, ...item }));
    const { limit: _limit, ...selectors } = query(false);
    void _limit;
    watchQuery = { ...selectors, resourceVersion: list.metadata?.resourceVersion };
  }

  const events = flags.bool("output-watch-events");
  const showManaged = flags.bool("show-managed-fields");
  // get.go prints through the same tab writer as tables (a tab in a template's output aligns), flushed after the listed objects and after each event.
  const tw = newGetTabWriter((text) => io.stdout.write(text));
  let printed = 0;
  const print = (type: string, o: KObj) => {
    // OmitManagedFieldsPrinter strips an object, not the WatchEvent that wraps one.
    const obj = events || showManaged || !o.metadata || !("managedFields" in o.metadata) ? o : { ...o, metadata: Object.fromEntries(Object.entries(o.metadata).filter(([k]) => k !== "managedFields")) };
    let text: string;
    if (format.kind === "yaml") {
      // One YAML printer for the whole watch: documents after its first are preceded by ---.
      text = (printed > 0 ? "---\n" : "") + toYAML(events ? { object: obj, type } : obj);
    } else if (format.kind === "json" && events) {
      // The JSON printer marshals a metav1.WatchEvent compactly, on one line, in its struct's field order.
      text = `{"type":${goJSON(type)},"object":${goJSON(obj)}}\n`;
    } else if (format.kind === "name") {
      // The name printer names the object inside a WatchEvent.
      text = printGeneric(obj, format);
    } else {
      text = printGeneric(events ? { type, object: obj } : obj, format);
    }
    printed++;
    tw.write(text);
  };

  try {
    if (!flags.bool("watch-only")) for (const o of objects) print("ADDED", o);
    tw.flush();
    // A watch from resourceVersion 0 (one named object) starts with a synthetic event for what was just printed.
    let skip = name !== undefined;
    const ended = await untilWithoutRetry<KObj>({
      rest,
      collection: pathFor(r, nsFor(r)),
      query: watchQuery,
      signal: io.signal,
      condition: (ev) => {
        if (ev.type === "ERROR") return false;
        if (skip) skip = false;
        else print(ev.type, ev.object);
        tw.flush();
        return false;
      },
    });
    return ended === "aborted" ? 130 : 0;
  } catch (e) {
    if (io.signal.aborted) return 130;
    if (e instanceof TemplateExecutionFailed) {
      // A template that fails on an object ends the watch after its debugging block, without an error line (kubectl 1.32).
      tw.write(e.output);
      tw.flush();
      return 0;
    }
    if (e instanceof StatusError) throw e;
    throw new RawError(`error: ${(e as Error).message}`);
  }
}

async function getGeneric(
  ctx: CommandContext,
  rest: RestClient,
  requests: ResourceRequest[],
  format: OutputFormat,
  nsFor: (r: APIResource) => string | undefined,
  query: (named: boolean) => Record<string, string | number | undefined>,
): Promise<number> {
  const items: KObj[] = [];
  const errors: string[] = [];
  // A single TYPE NAME (or TYPE/NAME) prints the object itself; anything else is a List.
  const singleItemImplied = requests.length === 1 && requests[0]!.names.length === 1;
  for (const req of requests) {
    const r = req.resource;
    const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
    if (req.names.length > 0) {
      for (const name of req.names) {
        try {
          items.push(await rest.json<KObj>("GET", pathFor(r, nsFor(r), name)));
        } catch (e) {
          if (e instanceof StatusError && e.code === 404 && ctx.flags.bool("ignore-not-found")) continue;
          if (e instanceof StatusError && !singleItemImplied) {
            errors.push(errorMessage(e));
            continue;
          }
          throw e;
        }
      }
    } else {
      const list = await rest.json<{ items?: KObj[] }>("GET", pathFor(r, nsFor(r)), { query: query(false) });
      for (const item of list.items ?? []) items.push({ apiVersion, kind: r.kind, ...item });
    }
  }
  const showManaged = ctx.flags.bool("show-managed-fields");
  const strip = (o: KObj): KObj => {
    if (showManaged || !o.metadata || !("managedFields" in o.metadata)) return o;
    const { managedFields: _drop, ...meta } = o.metadata;
    void _drop;
    return { ...o, metadata: meta };
  };
  const sortBy = ctx.flags.string("sort-by");
  const sorted = sortBy ? sortByField(items, sortBy, (i) => i) : items;
  const obj: KObj =
    singleItemImplied && sorted.length === 1
      ? strip(sorted[0]!)
      : // kubectl ≤1.20's List still had ListMeta.selfLink, printed empty.
        { apiVersion: "v1", items: sorted.map(strip), kind: "List", metadata: (await ctx.factory.clientBehaviour()).has("listWithoutSelfLink") ? { resourceVersion: "" } : { resourceVersion: "", selfLink: "" } };
  try {
    ctx.io.stdout.write(printGeneric(obj, format, { noHeaders: ctx.flags.bool("no-headers") }));
  } catch (e) {
    // A go-template that fails part way has already written its output and kubectl's debugging block.
    if (e instanceof TemplateExecutionFailed) ctx.io.stdout.write(e.output);
    throw new RawError(`error: ${(e as Error).message}`);
  }
  if (errors.length > 0) {
    ctx.io.stderr.write(errors.join("\n") + "\n");
    return 1;
  }
  return 0;
}
