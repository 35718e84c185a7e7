// `kubectl explain --output=plaintext-openapiv2`'s printer, after
// k8s.io/kubectl/pkg/explain (explain.go PrintModelDescription,
// field_lookup.go, model_printer.go, fields_printer.go,
// recursive_fields_printer.go, typename.go): the visitors written as switches
// over the v2 model, keeping their quirks (a primitive ends the field walk
// whatever follows it; an arbitrary value's type name is empty).
// Leaves out nothing the v2 models carry.

import { Formatter } from "./formatter.ts";
import type { GroupVersionKind, Models, ProtoSchema } from "./proto.ts";

const FIELD_INDENT = 3;
const DESCRIPTION_INDENT = 5;
/** fields_printer.go indentDesc: a field's description sits two columns in. */
const FIELD_DESCRIPTION_INDENT = 2;
const RECURSIVE_INDENT = 3;

/** field_lookup.go's "field %q does not exist": kubectl prints it after "error: ". */
export class FieldLookupError extends Error {}

/** field_lookup.go LookupSchemaForField. */
function lookupSchemaForField(models: Models, schema: ProtoSchema, path: string[]): ProtoSchema {
  let cur = schema;
  let rest = path;
  for (;;) {
    switch (cur.type) {
      case "primitive":
      case "arbitrary":
        // Even with path left to walk, the primitive is the answer.
        return cur;
      case "kind": {
        if (rest.length === 0) return cur;
        const sub = Object.hasOwn(cur.fields, rest[0]!) ? cur.fields[rest[0]!] : undefined;
        if (!sub) throw new FieldLookupError(`field ${JSON.stringify(rest[0])} does not exist`);
        rest = rest.slice(1);
        cur = sub;
        break;
      }
      case "array":
      case "map":
        if (rest.length === 0) return cur;
        cur = cur.sub;
        break;
      case "reference":
        if (rest.length === 0) return cur;
        cur = models.subSchema(cur);
        break;
    }
  }
}

/** typename.go GetTypeName: `string`, `[]Object`, `map[string]string`; an arbitrary value has no name. */
function typeName(models: Models, s: ProtoSchema): string {
  switch (s.type) {
    case "array":
      return `[]${typeName(models, s.sub)}`;
    case "map":
      return `map[string]${typeName(models, s.sub)}`;
    case "kind":
      return "Object";
    case "primitive":
      return s.primitive;
    case "reference":
      return typeName(models, models.subSchema(s));
    case "arbitrary":
      return "";
  }
}

function sortedKeys(o: Record<string, unknown>): string[] {
  return Object.keys(o).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** fields_printer.go: each field with its type, required mark and wrapped description. */
function printFields(models: Models, w: Formatter, s: ProtoSchema): void {
  switch (s.type) {
    case "array":
    case "map":
      return printFields(models, w, s.sub);
    case "reference":
      return printFields(models, w, models.subSchema(s));
    case "kind":
      for (const key of sortedKeys(s.fields)) {
        const v = s.fields[key]!;
        const required = s.required.includes(key) ? " -required-" : "";
        w.write(`${key}\t<${typeName(models, v)}>${required}`);
        w.indent(FIELD_DESCRIPTION_INDENT).writeWrapped(v.description);
        w.write("");
      }
      return;
    default:
      return;
  }
}

/** recursive_fields_printer.go: names and types only, nested fields three columns in; a type inside itself stops. */
function printFieldsRecursive(models: Models, w: Formatter, s: ProtoSchema, visiting: Set<string>): void {
  switch (s.type) {
    case "array":
    case "map":
      return printFieldsRecursive(models, w, s.sub, visiting);
    case "reference":
      if (visiting.has(s.reference)) return;
      visiting.add(s.reference);
      printFieldsRecursive(models, w, models.subSchema(s), visiting);
      visiting.delete(s.reference);
      return;
    case "kind":
      for (const key of sortedKeys(s.fields)) {
        const v = s.fields[key]!;
        w.write(`${key}\t<${typeName(models, v)}>`);
        printFieldsRecursive(models, w.indent(RECURSIVE_INDENT), v, visiting);
      }
      return;
    default:
      return;
  }
}

interface ModelPrinterOptions {
  models: Models;
  writer: Formatter;
  gvk: GroupVersionKind;
  /** The last element of the field path, "" for the resource itself. */
  name: string;
  recursive: boolean;
}

/** model_printer.go: descriptions gather through references, arrays and maps until a kind, primitive or arbitrary value prints. */
function printModel(o: ModelPrinterOptions, schema: ProtoSchema): void {
  const w = o.writer;
  const descriptions: string[] = [];
  let type = "";
  const kindAndVersion = (): void => {
    w.write(`KIND:     ${o.gvk.kind}`);
    w.write(`VERSION:  ${o.gvk.group ? `${o.gvk.group}/` : ""}${o.gvk.version}\n`);
  };
  const printDescription = (s: ProtoSchema): void => {
    w.write("DESCRIPTION:");
    let empty = true;
    // The index counts skipped empty descriptions too: a blank line comes before every one but the very first.
    [...descriptions, s.description].forEach((desc, i) => {
      if (desc === "") return;
      empty = false;
      if (i !== 0) w.write("");
      w.indent(DESCRIPTION_INDENT).writeWrapped(desc);
    });
    if (empty) w.indent(DESCRIPTION_INDENT).writeWrapped("<empty>");
  };
  let cur = schema;
  for (;;) {
    switch (cur.type) {
      case "array":
      case "map":
        descriptions.push(cur.description);
        if (type === "") type = typeName(o.models, cur);
        cur = cur.sub;
        continue;
      case "reference":
        descriptions.push(cur.description);
        cur = o.models.subSchema(cur);
        continue;
      case "kind":
        kindAndVersion();
        if (type === "") type = typeName(o.models, cur);
        if (o.name !== "") w.write(`RESOURCE: ${o.name} <${type}>\n`);
        printDescription(cur);
        w.write("\nFIELDS:");
        if (o.recursive) printFieldsRecursive(o.models, w.indent(FIELD_INDENT), cur, new Set());
        else printFields(o.models, w.indent(FIELD_INDENT), cur);
        return;
      case "primitive":
        kindAndVersion();
        if (type === "") type = typeName(o.models, cur);
        w.write(`FIELD:    ${o.name} <${type}>\n`);
        printDescription(cur);
        return;
      case "arbitrary":
        kindAndVersion();
        printDescription(cur);
        return;
    }
  }
}

export interface PrintModelDescriptionOptions {
  models: Models;
  /** The resource's model, from Models.lookupResource. */
  schema: ProtoSchema;
  gvk: GroupVersionKind;
  fieldsPath: string[];
  recursive: boolean;
  write: (s: string) => void;
}

/** explain.go PrintModelDescription: walk the field path, then print what it names, wrapped at 80 columns. */
export function printModelDescription(o: PrintModelDescriptionOptions): void {
  const name = o.fieldsPath.length > 0 ? o.fieldsPath[o.fieldsPath.length - 1]! : "";
  const target = lookupSchemaForField(o.models, o.schema, o.fieldsPath);
  printModel({ models: o.models, writer: new Formatter(o.write, 80), gvk: o.gvk, name, recursive: o.recursive }, target);
}
