// The human-readable printer for server-side Tables, after cli-runtime's
// printers/tableprinter.go (HumanReadablePrinter.PrintObj, decorateTable,
// printTable): priority>0 columns only with -o wide, NAMESPACE from each row's
// object, `kind.group/` name prefixes when several kinds print, LABELS and -L
// columns, headers only when the columns change and never for empty tables.

import type { TabWriter } from "./tabwriter.ts";
import { goFloatString } from "./yaml.ts";

export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description?: string;
  priority: number;
}

export interface TableRow {
  cells: unknown[];
  object?: { metadata?: { name?: string; namespace?: string; labels?: Record<string, string> } };
}

export interface Table {
  kind: "Table";
  apiVersion?: string;
  metadata?: { resourceVersion?: string };
  columnDefinitions: ColumnDefinition[] | null;
  rows: TableRow[] | null;
}

export interface TablePrintOptions {
  noHeaders: boolean;
  wide: boolean;
  withNamespace: boolean;
  /** `deployment.apps` when names get a kind prefix; undefined otherwise. */
  kindPrefix?: string;
  showLabels: boolean;
  columnLabels: string[];
}

/** labels.FormatLabels: sorted k=v pairs, `<none>` when empty. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return "<none>";
  return keys.map((k) => `${k}=${labels![k]}`).join(",");
}

/** printers.WriteEscaped: terminal control characters printed visibly. */
function escaped(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => (c === "\x1b" ? "^[" : `^${String.fromCharCode(c.charCodeAt(0) + 64)}`));
}

function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "string") {
    const brk = cell.search(/[\f\n\r]/);
    return brk >= 0 ? `${escaped(cell.slice(0, brk))}...` : escaped(cell);
  }
  if (typeof cell === "number") return goFloatString(cell);
  if (typeof cell === "boolean") return String(cell);
  return escaped(JSON.stringify(cell));
}

function sameColumns(a: ColumnDefinition[] | undefined, b: ColumnDefinition[] | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export class HumanTablePrinter {
  private lastColumns: ColumnDefinition[] | undefined;
  private printedHeaders = false;

  constructor(private readonly options: TablePrintOptions) {}

  print(table: Table, out: TabWriter): void {
    let noHeaders = this.options.noHeaders;
    let columns = table.columnDefinitions ?? [];
    if (this.printedHeaders && (columns.length === 0 || sameColumns(columns, this.lastColumns))) noHeaders = true;
    if (columns.length === 0) columns = this.lastColumns ?? [];
    else if (!sameColumns(columns, this.lastColumns)) {
      this.lastColumns = columns;
      this.printedHeaders = false;
    }
    const rows = table.rows ?? [];
    if (rows.length > 0) this.printedHeaders = true;

    // decorateTable: extra columns and name prefixes, applied to copies.
    const o = this.options;
    const cols: ColumnDefinition[] = [
      ...(o.withNamespace ? [{ name: "Namespace", type: "string", format: "", priority: 0 }] : []),
      ...columns,
      ...o.columnLabels.map((l) => ({ name: l, type: "string", format: "", priority: 0 })),
      ...(o.showLabels ? [{ name: "Labels", type: "string", format: "", priority: 0 }] : []),
    ];
    const nameColumn = columns.findIndex((c) => c.format === "name");
    const decorated = rows.map((row) => {
      const meta = row.object?.metadata ?? {};
      const cells = row.cells.slice(0, columns.length);
      while (cells.length < columns.length) cells.push(undefined);
      if (o.kindPrefix && nameColumn >= 0 && typeof cells[nameColumn] === "string") cells[nameColumn] = `${o.kindPrefix}/${cells[nameColumn] as string}`;
      return [
        ...(o.withNamespace ? [meta.namespace ?? ""] : []),
        ...cells,
        ...o.columnLabels.map((l) => meta.labels?.[l] ?? ""),
        ...(o.showLabels ? [formatLabels(meta.labels)] : []),
      ];
    });

    if (!noHeaders) {
      if (decorated.length === 0) return;
      out.write(
        cols
          .filter((c) => o.wide || c.priority === 0)
          .map((c) => c.name.toUpperCase())
          .join("\t") + "\n",
      );
    }
    for (const cells of decorated) {
      const texts: string[] = [];
      cells.forEach((cell, k) => {
        if (!o.wide && cols[k]!.priority !== 0) return;
        texts.push(cellText(cell));
      });
      out.write(texts.join("\t") + "\n");
    }
  }
}
