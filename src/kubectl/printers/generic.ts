// The non-table output formats of kubectl, after cli-runtime's PrintFlags:
// -o yaml|json|name|jsonpath=…|custom-columns=…|go-template=… (and the
// template flags beside -o) and wide (the table printer with priority
// columns). Leaves out the jsonpath and custom-columns *-file variants.

import { type Column, parseCustomColumns, printCustomColumns } from "./customcolumns.ts";
import type { Flags } from "../flags.ts";
import { goTemplateFormat, type GoTemplateFormat, printGoTemplate } from "./gotemplate.ts";
import { goJSONIndent } from "./json.ts";
import { JSONPath } from "./jsonpath.ts";
import { toYAML } from "./yaml.ts";

export type OutputFormat =
  | { kind: "table"; wide: boolean }
  | { kind: "yaml" }
  | { kind: "json" }
  | { kind: "name" }
  | { kind: "jsonpath"; template: string; asJSON: boolean }
  | { kind: "custom-columns"; columns: Column[] }
  | GoTemplateFormat;

const ALLOWED =
  "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml";

export class OutputFormatError extends Error {}

export function parseOutputFormat(output: string, templateFlags: TemplateFlagValues = {}): OutputFormat {
  const { template = "", allowMissingKeys, cwd } = templateFlags;
  // PrintFlags.ToPrinter: --template alone means -o go-template.
  if (output === "" && template !== "") output = "go-template";
  const gt = goTemplateFormat(output, { template, ...(allowMissingKeys !== undefined ? { allowMissingKeys } : {}), ...(cwd ? { cwd } : {}) });
  if (gt) return gt;
  const jsonpathFromFlag = template !== "" && (output === "jsonpath" || output === "jsonpath-as-json");
  if (jsonpathFromFlag) output = `${output}=${template}`;
  if (output === "" ) return { kind: "table", wide: false };
  if (output === "wide") return { kind: "table", wide: true };
  if (output === "yaml") return { kind: "yaml" };
  if (output === "json") return { kind: "json" };
  if (output === "name") return { kind: "name" };
  const cc = /^custom-columns=(.*)$/s.exec(output);
  if (cc) return { kind: "custom-columns", columns: parseCustomColumns(cc[1]!) };
  const m = /^(jsonpath|jsonpath-as-json)=(.*)$/s.exec(output);
  // With --template set, -o jsonpath=… names no printer (the value must come from one place).
  if (m && (template === "" || jsonpathFromFlag)) return { kind: "jsonpath", template: m[2]!, asJSON: m[1] === "jsonpath-as-json" };
  throw new OutputFormatError(`unable to match a printer suitable for the output format "${output}", allowed formats are: ${ALLOWED}`);
}

export interface TemplateFlagValues {
  template?: string;
  allowMissingKeys?: boolean;
  cwd?: string;
}

/** The output format from -o and the template flags beside it (--template, --allow-missing-template-keys). */
export function printFormat(flags: Flags, cwd: string): OutputFormat {
  return parseOutputFormat(flags.string("output"), {
    template: flags.string("template"),
    allowMissingKeys: flags.bool("allow-missing-template-keys", true),
    cwd,
  });
}

type Obj = Record<string, unknown> & { apiVersion?: string; kind?: string; metadata?: { name?: string } };

/** `deployment.apps/x`: the name printer's form for one object. */
export function resourceName(o: Obj): string {
  const gv = o.apiVersion ?? "";
  const group = gv.includes("/") ? gv.split("/")[0] : "";
  const kind = (o.kind ?? "").toLowerCase();
  return `${group ? `${kind}.${group}` : kind}/${o.metadata?.name ?? ""}`;
}

/**
 * Prints with a generic printer. `typed`: the object is one kubectl built as a
 * Go struct (field order matters for JSON; YAML sorts keys either way).
 */
export function printGeneric(obj: Obj, format: OutputFormat, options: { typed?: boolean; noHeaders?: boolean } = {}): string {
  switch (format.kind) {
    case "yaml":
      return toYAML(obj);
    case "json":
      return goJSONIndent(obj, !options.typed);
    case "name": {
      const items = obj.kind === "List" ? ((obj.items as Obj[]) ?? []) : [obj];
      return items.map((o) => `${resourceName(o)}\n`).join("");
    }
    case "jsonpath": {
      let jp: JSONPath;
      try {
        jp = new JSONPath(format.template);
      } catch (e) {
        throw new Error(`error parsing jsonpath ${format.template}, ${(e as Error).message}`);
      }
      return jp.execute(obj);
    }
    case "custom-columns":
      return printCustomColumns(obj, format.columns, options.noHeaders ?? false);
    case "go-template":
      return printGoTemplate(obj, format, options.typed);
    case "table":
      throw new Error("table output is printed by the table printer");
  }
}
