// Server-side Tables (meta.k8s.io/v1 Table) and PartialObjectMetadata, after
// k8s.io/apiserver/pkg/endpoints/handlers/response.go and
// pkg/registry/rest/table.go: what the apiserver answers when the Accept header
// says `as=Table` or `as=PartialObjectMetadata[List]`. Columns and cells come
// from src/printers; resources without a printer get the DefaultTableConvertor
// (Name, Created At). Leaves out: meta.k8s.io/v1beta1 differences beyond apiVersion.

import type { KList, KObject, ObjectMeta } from "../apimachinery/meta.ts";
import { type ColumnDefinition, getPrinter, type TablePrinter } from "../printers/printers.ts";

/** How much of each object a Table row embeds (`?includeObject=`). */
export type IncludeObject = "None" | "Metadata" | "Object";

export interface TableRow {
  cells: unknown[];
  conditions?: { type: string; status: string; reason: string; message: string }[];
  object?: KObject;
}

export interface Table {
  kind: "Table";
  apiVersion: string;
  metadata: { resourceVersion?: string; continue?: string };
  columnDefinitions: ColumnDefinition[] | null;
  rows: TableRow[];
}

/** What the Accept header asks the response to be converted to. */
export type Conversion =
  | { as: "Table"; apiVersion: string }
  | { as: "PartialObjectMetadata" | "PartialObjectMetadataList"; apiVersion: string }
  | undefined;

/**
 * Reads the first Accept entry that names a meta.k8s.io conversion we serve.
 * Entries without `as=` (plain application/json) mean the object itself, so
 * a conversion only applies when it comes before them.
 */
export function conversionFromAccept(accept: string | undefined): Conversion {
  for (const part of (accept ?? "").split(",")) {
    const [media, ...paramList] = part.split(";").map((s) => s.trim());
    const params = new Map(paramList.map((p) => p.split("=") as [string, string]));
    const as = params.get("as");
    if (!as) {
      if (media === "application/json" || media === "*/*" || media === "application/vnd.kubernetes.protobuf") return undefined;
      continue;
    }
    if (params.get("g") !== "meta.k8s.io") continue;
    const v = params.get("v");
    if (v !== "v1" && v !== "v1beta1") continue;
    const apiVersion = `meta.k8s.io/${v}`;
    if (as === "Table") return { as, apiVersion };
    if (as === "PartialObjectMetadata" || as === "PartialObjectMetadataList") return { as, apiVersion };
  }
  return undefined;
}

const NAME_DESCRIPTION =
  "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
const CREATED_DESCRIPTION =
  "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

/** rest.DefaultTableConvertor: the name and the creation time as RFC 3339. */
const defaultConvertor: TablePrinter = {
  columns: [
    { name: "Name", type: "string", format: "name", description: NAME_DESCRIPTION, priority: 0 },
    { name: "Created At", type: "date", format: "", description: CREATED_DESCRIPTION, priority: 0 },
  ],
  cells: (obj) => [obj.metadata.name ?? "", obj.metadata.creationTimestamp ?? null],
};

export function printerFor(group: string, resource: string): TablePrinter {
  return getPrinter(group, resource) ?? defaultConvertor;
}

export function partialObjectMetadata(obj: KObject, apiVersion = "meta.k8s.io/v1"): KObject {
  return { kind: "PartialObjectMetadata", apiVersion, metadata: obj.metadata as ObjectMeta };
}

/** Pods that finished carry a row condition, as printPod adds it. */
function rowConditions(group: string, resource: string, obj: KObject): TableRow["conditions"] {
  if (group !== "" || resource !== "pods") return undefined;
  const phase = (obj.status as { phase?: string } | undefined)?.phase;
  if (phase === "Succeeded") return [{ type: "Completed", status: "True", reason: "Succeeded", message: "The pod has completed successfully." }];
  if (phase === "Failed") return [{ type: "Completed", status: "True", reason: "Failed", message: "The pod failed." }];
  return undefined;
}

export interface TableOptions {
  group: string;
  resource: string;
  nowMs: number;
  includeObject?: IncludeObject;
  apiVersion?: string;
  /** Watch events after the first carry no column definitions. */
  noHeaders?: boolean;
}

function row(printer: TablePrinter, obj: KObject, opts: TableOptions): TableRow {
  const conditions = rowConditions(opts.group, opts.resource, obj);
  const include = opts.includeObject ?? "Metadata";
  return {
    cells: printer.cells(obj, opts.nowMs),
    ...(conditions ? { conditions } : {}),
    ...(include === "Object" ? { object: obj } : include === "Metadata" ? { object: partialObjectMetadata(obj) } : {}),
  };
}

/** A Table for one object (a GET by name, or one watch event). */
export function objectTable(obj: KObject, opts: TableOptions): Table {
  const printer = printerFor(opts.group, opts.resource);
  return {
    kind: "Table",
    apiVersion: opts.apiVersion ?? "meta.k8s.io/v1",
    metadata: { resourceVersion: obj.metadata.resourceVersion },
    columnDefinitions: opts.noHeaders ? null : printer.columns,
    rows: [row(printer, obj, opts)],
  };
}

/** A Table for a list. */
export function listTable(list: KList, opts: TableOptions): Table {
  const printer = printerFor(opts.group, opts.resource);
  return {
    kind: "Table",
    apiVersion: opts.apiVersion ?? "meta.k8s.io/v1",
    metadata: { resourceVersion: list.metadata.resourceVersion },
    columnDefinitions: printer.columns,
    rows: list.items.map((o) => row(printer, o, opts)),
  };
}
