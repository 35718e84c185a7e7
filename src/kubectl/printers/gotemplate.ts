// kubectl's go-template printer, after cli-runtime's printers/template.go and
// genericclioptions/template_flags.go (kubectl 1.32): -o go-template=…,
// -o go-template-file=…, -o template=…, -o templatefile=…, --template and
// --allow-missing-template-keys. The object is marshalled to JSON and decoded
// into map[string]interface{} (gotemplate-fmt.ts), the template gets kubectl's
// two extra functions (exists, base64decode), and an execution error prints
// the debugging block on stdout as kubectl does.
// Leaves out sprig functions (kubectl 1.32 has none).

import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { BUILTINS, executeTemplate, FuncError, type TemplateFunc, TemplateExecError } from "./gotemplate-exec.ts";
import { fromJSON, GoInt, type GoValue, goQuote, ifaceRV, type RV, rv, sprint } from "./gotemplate-fmt.ts";
import { parseTemplate, TemplateParseError, type Tree } from "./gotemplate-parse.ts";
import { goJSON } from "./json.ts";

export interface GoTemplateFormat {
  kind: "go-template";
  /** The template text as given (quoted back in execution errors). */
  raw: string;
  tree: Tree;
  allowMissingKeys: boolean;
}

export interface TemplateFlags {
  /** --template: the template, or the file holding it for the *-file formats. */
  template?: string;
  /** --allow-missing-template-keys (default true). */
  allowMissingKeys?: boolean;
  /** The directory relative template files are read from. */
  cwd?: string;
}

const TEMPLATE_FORMATS = ["go-template", "go-template-file", "template", "templatefile"];

/** Thrown when executing the template fails: `output` is what kubectl has written to stdout by then. */
export class TemplateExecutionFailed extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
  }
}

const KUBECTL_FUNCS: ReadonlyMap<string, TemplateFunc> = new Map<string, TemplateFunc>([
  ["exists", { params: ["any"], variadic: "any", call: (a) => rv(exists(a[0] as GoValue, a.slice(1) as GoValue[])) }],
  ["base64decode", { params: ["string"], call: ([s]) => rv(base64decode(s as string)) }],
]);

const hasFunction = (name: string) => BUILTINS.has(name) || KUBECTL_FUNCS.has(name);

/**
 * GoTemplatePrintFlags.ToPrinter: the template format named by -o (and
 * --template), or undefined when `output` is not a template format. Throws
 * kubectl's errors for a missing template, an unreadable file or a template
 * that does not parse.
 */
export function goTemplateFormat(output: string, flags: TemplateFlags): GoTemplateFormat | undefined {
  const templateArg = flags.template ?? "";
  if (templateArg === "" && output === "") return undefined;
  let format = output;
  let value = "";
  if (templateArg === "") {
    for (const f of TEMPLATE_FORMATS) {
      if (output.startsWith(`${f}=`)) {
        value = output.slice(f.length + 1);
        format = f;
        break;
      }
    }
  } else value = templateArg;
  if (!TEMPLATE_FORMATS.includes(format)) return undefined;
  if (value === "") throw new Error("template format specified but no template given");
  if (format === "templatefile" || format === "go-template-file") {
    const path = isAbsolute(value) || !flags.cwd ? value : join(flags.cwd, value);
    try {
      value = readFileSync(path, "utf8");
    } catch (e) {
      throw new Error(`error reading --template ${value}, ${goFileError(e, value)}`);
    }
  }
  let tree: Tree;
  try {
    tree = parseTemplate("output", value, hasFunction);
  } catch (e) {
    if (!(e instanceof TemplateParseError)) throw e;
    throw new Error(`error parsing template ${value}, ${e.message}`);
  }
  return { kind: "go-template", raw: value, tree, allowMissingKeys: flags.allowMissingKeys ?? true };
}

/** Go's *PathError text for a failed os.ReadFile. */
function goFileError(e: unknown, path: string): string {
  const code = (e as { code?: string }).code;
  if (code === "EISDIR") return `read ${path}: is a directory`;
  if (code === "EACCES") return `open ${path}: permission denied`;
  if (code === "ENOTDIR") return `open ${path}: not a directory`;
  return `open ${path}: no such file or directory`;
}

/**
 * GoTemplatePrinter.PrintObj. `typed`: the object is a Go struct kubectl built
 * (its JSON keeps field order); otherwise it was decoded (keys sorted).
 */
export function printGoTemplate(obj: Record<string, unknown>, format: GoTemplateFormat, typed = false): string {
  const raw = goJSON(obj, !typed);
  const data = fromJSON(JSON.parse(raw));
  const out = { text: "" };
  try {
    executeTemplate(format.tree, rv(data), { missingKey: format.allowMissingKeys ? "default" : "error", funcs: KUBECTL_FUNCS }, out);
  } catch (e) {
    if (!(e instanceof TemplateExecError)) throw e;
    const debug =
      `Error executing template: ${e.message}. Printing more information for debugging the template:\n` +
      `\ttemplate was:\n\t\t${format.raw}\n` +
      `\traw data was:\n\t\t${raw}\n` +
      `\tobject given to template engine was:\n\t\t${sprint([data])}\n\n`;
    throw new TemplateExecutionFailed(`error executing template ${goQuote(format.raw)}: ${e.message}`, out.text + debug);
  }
  return out.text;
}

/** kubectl's exists: whether index with these arguments would find a non-nil value. */
function exists(item: GoValue, indices: GoValue[]): boolean {
  let v: RV = item === null ? undefined : rv(item);
  for (const i of indices) {
    if (v && v.iface) {
      if (v.v === null) return false;
      v = rv(v.v);
    }
    const c = v?.v;
    if (typeof c === "string" || Array.isArray(c)) {
      if (!(i instanceof GoInt)) return false;
      const len = typeof c === "string" ? Buffer.byteLength(c) : c.length;
      if (i.v < 0n || i.v >= BigInt(len)) return false;
      v = typeof c === "string" ? rv(new GoInt(BigInt(Buffer.from(c, "utf8")[Number(i.v)]!), "uint8")) : ifaceRV(c[Number(i.v)]!);
    } else if (c instanceof Map) {
      const key = i === null ? "" : i;
      if (typeof key !== "string") return false;
      v = ifaceRV(c.has(key) ? c.get(key)! : null);
    } else return false;
  }
  return !(v && v.iface && v.v === null);
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** base64.StdEncoding.DecodeString, with Go's error positions. */
function base64decode(s: string): string {
  const src = Buffer.from(s, "utf8");
  const out: number[] = [];
  const fail = (at: number): never => {
    throw new FuncError(`base64 decode failed: illegal base64 data at input byte ${at}`);
  };
  const skipNewlines = (i: number) => {
    while (i < src.length && (src[i] === 0x0a || src[i] === 0x0d)) i++;
    return i;
  };
  let si = 0;
  while (si < src.length) {
    const dbuf = [0, 0, 0, 0];
    let dlen = 4;
    let j = 0;
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return Buffer.from(out).toString("utf8");
        fail(si - j);
      }
      const ch = src[si]!;
      si++;
      const d = B64.indexOf(String.fromCharCode(ch));
      if (ch < 0x80 && d >= 0) {
        dbuf[j] = d;
        continue;
      }
      if (ch === 0x0a || ch === 0x0d) {
        j--;
        continue;
      }
      if (ch !== 0x3d) fail(si - 1);
      // Padding: "=" or "==" ends the input.
      if (j === 0 || j === 1) fail(si - 1);
      if (j === 2) {
        si = skipNewlines(si);
        if (si === src.length) fail(src.length);
        if (src[si] !== 0x3d) fail(si - 1);
        si++;
      }
      si = skipNewlines(si);
      if (si < src.length) fail(si);
      dlen = j;
      break;
    }
    const val = (dbuf[0]! << 18) | (dbuf[1]! << 12) | (dbuf[2]! << 6) | dbuf[3]!;
    const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff];
    out.push(...bytes.slice(0, dlen - 1));
    if (dlen < 4) break;
  }
  return Buffer.from(out).toString("utf8");
}
