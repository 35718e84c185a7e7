// Go's text/template execution (exec.go and funcs.go as of Go 1.23) over the
// values of gotemplate-fmt.ts: fields of map[string]interface{}, variables,
// pipelines, if/with/range (with break, continue and else-if/else-with),
// {{template}}, the builtin functions with Go's argument checks, and the
// execution errors word for word ("template: output:1:26: executing "output"
// at <.spec.replicas.x>: can't evaluate field x in type interface {}").
// Leaves out complex constants, uint values other than a string's bytes,
// and range over integers or functions (Go 1.23 has neither).

import {
  GoInt, type GoValue, goQuote, ifaceRV, type RV, rv, rvTypeName, sortedKeys, sprint, sprintf, sprintln, typeName,
} from "./gotemplate-fmt.ts";
import {
  type BranchNode, type ChainNode, errorContext, type FieldNode, type IdentifierNode, type Node, nodeString, type NumberNode, type PipeNode,
  type Tree, type VariableNode,
} from "./gotemplate-parse.ts";

export class TemplateExecError extends Error {}

/** What a function error says after "error calling NAME: ". */
export class FuncError extends Error {}

/** How a parameter receives its argument: reflect.Value, interface{} or string. */
export type ParamType = "value" | "any" | "string";

type Arg = RV | GoValue;

/** A template function: Go's signature (fixed parameters, then a variadic one) and its body. */
export interface TemplateFunc {
  params: ParamType[];
  variadic?: ParamType;
  call(args: Arg[]): RV;
}

export interface ExecOptions {
  /** missingkey=default (a missing key is <no value>) or missingkey=error. */
  missingKey: "default" | "error";
  /** Functions beyond Go's builtins (kubectl's exists and base64decode). */
  funcs: ReadonlyMap<string, TemplateFunc>;
}

const MISSING = Symbol("missing");
type Final = RV | typeof MISSING;

class BreakSignal {}
class ContinueSignal {}

/** Go's builtins, by name; and/or are evaluated lazily by the executor. */
export const BUILTINS: ReadonlyMap<string, TemplateFunc> = new Map<string, TemplateFunc>([
  ["and", { params: ["value"], variadic: "value", call: () => undefined }],
  ["or", { params: ["value"], variadic: "value", call: () => undefined }],
  ["not", { params: ["value"], call: ([a]) => rv(!truth(a as RV)) }],
  ["len", { params: ["value"], call: ([a]) => rv(new GoInt(BigInt(length(a as RV)), "int")) }],
  ["index", { params: ["value"], variadic: "value", call: (a) => index(a[0] as RV, a.slice(1) as RV[]) }],
  ["slice", { params: ["value"], variadic: "value", call: (a) => slice(a[0] as RV, a.slice(1) as RV[]) }],
  ["call", { params: ["value"], variadic: "value", call: ([fn]) => callFn(fn as RV) }],
  ["print", { params: [], variadic: "any", call: (a) => rv(sprint(a as GoValue[])) }],
  ["println", { params: [], variadic: "any", call: (a) => rv(sprintln(a as GoValue[])) }],
  ["printf", { params: ["string"], variadic: "any", call: (a) => rv(sprintf(a[0] as string, a.slice(1) as GoValue[])) }],
  ["html", { params: [], variadic: "any", call: (a) => rv(htmlEscape(evalArgs(a as GoValue[]))) }],
  ["js", { params: [], variadic: "any", call: (a) => rv(jsEscape(evalArgs(a as GoValue[]))) }],
  ["urlquery", { params: [], variadic: "any", call: (a) => rv(queryEscape(evalArgs(a as GoValue[]))) }],
  ["eq", { params: ["value"], variadic: "value", call: (a) => rv(eq(a[0] as RV, a.slice(1) as RV[])) }],
  ["ne", { params: ["value", "value"], call: ([x, y]) => rv(!eq(x as RV, [y as RV])) }],
  ["lt", { params: ["value", "value"], call: ([x, y]) => rv(lt(x as RV, y as RV)) }],
  ["le", { params: ["value", "value"], call: ([x, y]) => rv(lt(x as RV, y as RV) || eq(x as RV, [y as RV])) }],
  ["gt", { params: ["value", "value"], call: ([x, y]) => rv(!(lt(x as RV, y as RV) || eq(x as RV, [y as RV]))) }],
  ["ge", { params: ["value", "value"], call: ([x, y]) => rv(!lt(x as RV, y as RV)) }],
]);

/** Runs a parsed template over `data` (the root map) and returns what it wrote; `out` receives the output so far on error. */
export function executeTemplate(tree: Tree, data: RV, options: ExecOptions, out: { text: string }): void {
  new State(tree, options, out).run(data);
}

class State {
  private node: Node | undefined;
  private vars: { name: string; value: RV }[] = [];
  private depth = 0;

  constructor(
    private readonly tree: Tree,
    private readonly options: ExecOptions,
    private readonly out: { text: string },
  ) {}

  run(data: RV): void {
    this.vars = [{ name: "$", value: data }];
    this.walk(data, this.tree.root);
  }

  private errorf(msg: string): never {
    if (!this.node) throw new TemplateExecError(`template: ${this.tree.name}: ${msg}`);
    const { location, context } = errorContext(this.tree, this.node);
    throw new TemplateExecError(`template: ${location}: executing ${goQuote(this.tree.name)} at <${context}>: ${msg}`);
  }

  private varValue(name: string): RV {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.value;
    this.errorf(`undefined variable: ${name}`);
  }

  private setVar(name: string, value: RV): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private walk(dot: RV, node: Node): void {
    this.node = node;
    switch (node.kind) {
      case "action": {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case "break":
        throw new BreakSignal();
      case "continue":
        throw new ContinueSignal();
      case "if":
      case "with":
        return this.walkIfOrWith(dot, node);
      case "list":
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case "range":
        return this.walkRange(dot, node);
      case "template":
        return this.walkTemplate(dot, node);
      case "text":
        this.out.text += node.text;
        return;
    }
    this.errorf(`unknown node: ${nodeString(node)}`);
  }

  private walkIfOrWith(dot: RV, node: BranchNode): void {
    const mark = this.vars.length;
    try {
      const val = this.evalPipeline(dot, node.pipe);
      if (isTrue(indirectInterface(val))) this.walk(node.kind === "with" ? val : dot, node.list);
      else if (node.elseList) this.walk(dot, node.elseList);
    } finally {
      this.vars.length = mark;
    }
  }

  private walkRange(dot: RV, r: BranchNode): void {
    this.node = r;
    const outer = this.vars.length;
    try {
      const val = indirect(this.evalPipeline(dot, r.pipe)).v;
      const mark = this.vars.length;
      const oneIteration = (idx: RV, elem: RV): void => {
        if (r.pipe.decl.length > 0) this.vars[this.vars.length - 1]!.value = elem;
        if (r.pipe.decl.length > 1) this.vars[this.vars.length - 2]!.value = idx;
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (!(e instanceof ContinueSignal)) throw e;
        } finally {
          this.vars.length = mark;
        }
      };
      let iterated = false;
      if (val && Array.isArray(val.v)) {
        if (val.v.length > 0) {
          iterated = true;
          val.v.forEach((e, i) => oneIteration(rv(new GoInt(BigInt(i), "int")), ifaceRV(e)));
        }
      } else if (val && val.v instanceof Map) {
        const m = val.v;
        if (m.size > 0) {
          iterated = true;
          for (const k of sortedKeys(m)) oneIteration(rv(k), ifaceRV(m.get(k)!));
        }
      } else if (val) this.errorf(`range can't iterate over ${sprint([val.v])}`);
      if (!iterated && r.elseList) this.walk(dot, r.elseList);
    } catch (e) {
      if (!(e instanceof BreakSignal)) throw e;
    } finally {
      this.vars.length = outer;
    }
  }

  private walkTemplate(dot: RV, t: Extract<Node, { kind: "template" }>): void {
    this.node = t;
    const root = this.tree.templates.get(t.name);
    if (!root) this.errorf(`template ${goQuote(t.name)} not defined`);
    if (this.depth === 100000) this.errorf("exceeded maximum template depth (100000)");
    const newDot = t.pipe ? this.evalPipeline(dot, t.pipe) : undefined;
    const saved = { vars: this.vars, depth: this.depth };
    this.vars = [{ name: "$", value: newDot }];
    this.depth++;
    try {
      this.walk(newDot, root);
    } finally {
      this.vars = saved.vars;
      this.depth = saved.depth;
    }
  }

  private evalPipeline(dot: RV, pipe: PipeNode): RV {
    this.node = pipe;
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) {
      let v: RV = this.evalCommand(dot, cmd, value);
      // An interface{} result becomes its concrete value (nil: the invalid Value).
      if (v && v.iface) v = v.v === null ? undefined : rv(v.v);
      value = v;
    }
    const result = value === MISSING ? undefined : value;
    for (const variable of pipe.decl) {
      if (pipe.isAssign) this.setVar(variable.ident[0]!, result);
      else this.vars.push({ name: variable.ident[0]!, value: result });
    }
    return result;
  }

  private notAFunction(args: Node[], final: Final): void {
    if (args.length > 1 || final !== MISSING) this.errorf(`can't give argument to non-function ${nodeString(args[0]!)}`);
  }

  private evalCommand(dot: RV, cmd: Extract<Node, { kind: "command" }>, final: Final): RV {
    const first = cmd.args[0]!;
    switch (first.kind) {
      case "field":
        return this.evalFieldNode(dot, first, cmd.args, final);
      case "chain":
        return this.evalChainNode(dot, first, cmd.args, final);
      case "identifier":
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case "pipe":
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case "variable":
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.node = first;
    this.notAFunction(cmd.args, final);
    switch (first.kind) {
      case "bool":
        return rv(first.value);
      case "dot":
        return dot;
      case "nil":
        this.errorf("nil is not a command");
      // falls through: errorf never returns
      case "number":
        return this.idealConstant(first);
      case "string":
        return rv(first.text);
    }
    this.errorf(`can't evaluate command ${goQuote(nodeString(first))}`);
  }

  private idealConstant(c: NumberNode): RV {
    this.node = c;
    if (c.isComplex) this.errorf(`complex constant ${c.text} is not supported here`);
    const hexInt = c.text.length > 2 && c.text[0] === "0" && (c.text[1] === "x" || c.text[1] === "X") && !/[pP]/.test(c.text);
    if (c.isFloat && !hexInt && c.text[0] !== "'" && /[.eEpP]/.test(c.text)) return rv(c.float64);
    if (c.isInt) return rv(new GoInt(c.int64, "int"));
    if (c.isUint) this.errorf(`${c.text} overflows int`);
    return undefined;
  }

  private evalFieldNode(dot: RV, field: FieldNode, args: Node[], final: Final): RV {
    this.node = field;
    return this.evalFieldChain(dot, dot, field, field.ident, args, final);
  }

  private evalChainNode(dot: RV, chain: ChainNode, args: Node[], final: Final): RV {
    this.node = chain;
    if (chain.node.kind === "nil") this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, undefined, chain.node) as RV;
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final);
  }

  private evalVariableNode(dot: RV, variable: VariableNode, args: Node[], final: Final): RV {
    this.node = variable;
    const value = this.varValue(variable.ident[0]!);
    if (variable.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, variable, variable.ident.slice(1), args, final);
  }

  private evalFieldChain(dot: RV, receiver: RV, node: Node, ident: string[], args: Node[], final: Final): RV {
    for (let i = 0; i < ident.length - 1; i++) receiver = this.evalField(ident[i]!, [], MISSING, receiver);
    return this.evalField(ident[ident.length - 1]!, args, final, receiver);
  }

  private evalField(fieldName: string, args: Node[], final: Final, receiver: RV): RV {
    if (!receiver) {
      if (this.options.missingKey === "error") this.errorf(`nil data; no entry for key ${goQuote(fieldName)}`);
      return undefined;
    }
    const typ = rvTypeName(receiver);
    const { v, isNil } = indirect(receiver);
    if (isNil) this.errorf(`nil pointer evaluating ${typ}.${fieldName}`);
    const hasArgs = args.length > 1 || final !== MISSING;
    if (v && v.v instanceof Map) {
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      if (v.v.has(fieldName)) return ifaceRV(v.v.get(fieldName)!);
      if (this.options.missingKey === "error") this.errorf(`map has no entry for key ${goQuote(fieldName)}`);
      return undefined;
    }
    this.errorf(`can't evaluate field ${fieldName} in type ${typ}`);
  }

  private evalFunction(dot: RV, node: IdentifierNode, cmd: Node, args: Node[] | undefined, final: Final): RV {
    this.node = node;
    const name = node.ident;
    const fn = this.options.funcs.get(name) ?? BUILTINS.get(name);
    if (!fn) this.errorf(`${goQuote(name)} is not a defined function`);
    return this.evalCall(dot, fn, !this.options.funcs.has(name), cmd, name, args, final);
  }

  private evalCall(dot: RV, fn: TemplateFunc, isBuiltin: boolean, node: Node, name: string, allArgs: Node[] | undefined, final: Final): RV {
    const args = allArgs ? allArgs.slice(1) : [];
    const numIn = args.length + (final !== MISSING ? 1 : 0);
    const nParams = fn.params.length + (fn.variadic ? 1 : 0);
    let numFixed = args.length;
    if (fn.variadic) {
      numFixed = fn.params.length;
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${numFixed} got ${args.length}`);
    } else if (numIn !== nParams) this.errorf(`wrong number of args for ${name}: want ${nParams} got ${numIn}`);

    if (isBuiltin && (name === "and" || name === "or")) {
      let v: RV = undefined;
      for (const arg of args) {
        v = this.evalArg(dot, "value", arg) as RV;
        if (truth(v) === (name === "or")) return v;
      }
      if (final !== MISSING) v = final;
      return v;
    }

    const argv: Arg[] = [];
    let i = 0;
    for (; i < numFixed && i < args.length; i++) argv.push(this.evalArg(dot, fn.params[i]!, args[i]!));
    if (fn.variadic) for (; i < args.length; i++) argv.push(this.evalArg(dot, fn.variadic, args[i]!));
    if (final !== MISSING) {
      let t = fn.variadic ?? fn.params[fn.params.length - 1]!;
      if (fn.variadic && numIn - 1 < numFixed) t = fn.params[numIn - 1]!;
      argv.push(this.validateType(final, t));
    }
    try {
      return fn.call(argv);
    } catch (e) {
      if (!(e instanceof FuncError)) throw e;
      this.node = node;
      this.errorf(`error calling ${name}: ${e.message}`);
    }
  }

  /** validateType: what a parameter of type `typ` receives for the value; undefined typ passes it through. */
  private validateType(value: RV, typ: ParamType | undefined): Arg {
    if (typ === undefined || typ === "value") return value;
    if (typ === "any") return value ? value.v : null;
    if (!value) this.errorf("invalid value; expected string");
    if (typeof value.v === "string") return value.v;
    this.errorf(`wrong type for value; expected string; got ${value.iface && value.v === null ? "interface {}" : typeName(value.v)}`);
  }

  private evalArg(dot: RV, typ: ParamType | undefined, n: Node): Arg {
    this.node = n;
    switch (n.kind) {
      case "dot":
        return this.validateType(dot, typ);
      case "nil":
        if (typ === "string") this.errorf("cannot assign nil to string");
        return typ === "any" ? null : undefined;
      case "field":
        return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), typ);
      case "variable":
        return this.validateType(this.evalVariableNode(dot, n, [], MISSING), typ);
      case "pipe":
        return this.validateType(this.evalPipeline(dot, n), typ);
      case "identifier":
        return this.validateType(this.evalFunction(dot, n, n, undefined, MISSING), typ);
      case "chain":
        return this.validateType(this.evalChainNode(dot, n, [], MISSING), typ);
    }
    if (typ === "string") {
      if (n.kind === "string") return n.text;
      this.errorf(`expected string; found ${nodeString(n)}`);
    }
    const v = this.evalEmptyInterface(dot, n);
    return typ === "any" ? (v ? v.v : null) : v;
  }

  private evalEmptyInterface(dot: RV, n: Node): RV {
    this.node = n;
    switch (n.kind) {
      case "bool":
        return rv(n.value);
      case "number":
        return this.idealConstant(n);
      case "string":
        return rv(n.text);
    }
    this.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`);
  }

  private printValue(n: Node, v: RV): void {
    this.node = n;
    this.out.text += v ? sprint([v.v]) : "<no value>";
  }
}

// ---- reflect helpers -------------------------------------------------------

/** indirect: through an interface to its value; a nil interface reports isNil. */
function indirect(x: RV): { v: RV; isNil: boolean } {
  if (x && x.iface) return x.v === null ? { v: x, isNil: true } : { v: rv(x.v), isNil: false };
  return { v: x, isNil: false };
}

function indirectInterface(x: RV): RV {
  if (x && x.iface) return x.v === null ? undefined : rv(x.v);
  return x;
}

function isTrue(x: RV): boolean {
  if (!x) return false;
  const v = x.v;
  if (typeof v === "string" || Array.isArray(v)) return v.length > 0;
  if (v instanceof Map) return v.size > 0;
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v !== 0;
  if (v instanceof GoInt) return v.v !== 0n;
  return v !== null;
}

function truth(x: RV): boolean {
  return isTrue(indirectInterface(x));
}

function length(item: RV): number {
  const { v, isNil } = indirect(item);
  if (isNil) throw new FuncError("len of nil pointer");
  if (!v) throw new FuncError("reflect: call of reflect.Value.Type on zero Value");
  if (typeof v.v === "string") return Buffer.byteLength(v.v);
  if (Array.isArray(v.v)) return v.v.length;
  if (v.v instanceof Map) return v.v.size;
  throw new FuncError(`len of type ${typeName(v.v)}`);
}

function indexArg(index: RV, cap: number): number {
  if (!index) throw new FuncError("cannot index slice/array with nil");
  if (!(index.v instanceof GoInt)) throw new FuncError(`cannot index slice/array with type ${typeName(index.v)}`);
  const x = index.v.v;
  if (x < 0n || x > BigInt(cap)) throw new FuncError(`index out of range: ${x}`);
  return Number(x);
}

function index(item: RV, indexes: RV[]): RV {
  item = indirectInterface(item);
  if (!item) throw new FuncError("index of untyped nil");
  for (let index of indexes) {
    index = indirectInterface(index);
    const { v, isNil } = indirect(item);
    if (isNil) throw new FuncError("index of nil pointer");
    const c = v!.v;
    if (typeof c === "string") {
      const bytes = Buffer.from(c, "utf8");
      const x = indexArg(index, bytes.length);
      if (x >= bytes.length) throw new FuncError("reflect: string index out of range");
      item = rv(new GoInt(BigInt(bytes[x]!), "uint8"));
    } else if (Array.isArray(c)) {
      const x = indexArg(index, c.length);
      if (x >= c.length) throw new FuncError("reflect: slice index out of range");
      item = ifaceRV(c[x]!);
    } else if (c instanceof Map) {
      if (!index) throw new FuncError("value is nil; should be of type string");
      if (typeof index.v !== "string") throw new FuncError(`value has type ${typeName(index.v)}; should be string`);
      item = ifaceRV(c.has(index.v) ? c.get(index.v)! : null);
    } else throw new FuncError(`can't index item of type ${typeName(c)}`);
  }
  return item;
}

function slice(item: RV, indexes: RV[]): RV {
  item = indirectInterface(item);
  if (!item) throw new FuncError("slice of untyped nil");
  if (indexes.length > 3) throw new FuncError(`too many slice indexes: ${indexes.length}`);
  const c = item.v;
  let len: number;
  if (typeof c === "string") {
    if (indexes.length === 3) throw new FuncError("cannot 3-index slice a string");
    len = Buffer.byteLength(c);
  } else if (Array.isArray(c)) len = c.length;
  else throw new FuncError(`can't slice item of type ${typeName(c)}`);
  const idx = [0, len, len];
  indexes.forEach((x, i) => (idx[i] = indexArg(indirectInterface(x), len)));
  if (idx[0]! > idx[1]!) throw new FuncError(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1]! > idx[2]!) throw new FuncError(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (typeof c === "string") return rv(Buffer.from(c, "utf8").subarray(idx[0], idx[1]).toString("utf8"));
  return rv((c as GoValue[]).slice(idx[0], idx[1]));
}

function callFn(fn: RV): RV {
  fn = indirectInterface(fn);
  if (!fn) throw new FuncError("call of nil");
  // The data holds no Go functions, so call can only fail.
  throw new FuncError(`non-function of type ${typeName(fn.v)}`);
}

type BasicKind = "bool" | "int" | "uint" | "float" | "string" | "invalid";

function basicKind(x: RV): BasicKind {
  if (!x) return "invalid";
  const v = x.v;
  if (typeof v === "boolean") return "bool";
  if (typeof v === "string") return "string";
  if (typeof v === "number") return "float";
  if (v instanceof GoInt) return v.type === "uint8" ? "uint" : "int";
  return "invalid";
}

function eq(arg1: RV, rest: RV[]): boolean {
  arg1 = indirectInterface(arg1);
  if (rest.length === 0) throw new FuncError("missing argument for comparison");
  const k1 = basicKind(arg1);
  for (let arg of rest) {
    arg = indirectInterface(arg);
    const k2 = basicKind(arg);
    let t = false;
    if (k1 !== k2) {
      if ((k1 === "int" || k1 === "uint") && (k2 === "int" || k2 === "uint")) t = (arg1!.v as GoInt).v === (arg!.v as GoInt).v;
      else if (arg1 && arg) throw new FuncError("incompatible types for comparison");
    } else if (k1 === "invalid") {
      if (!arg1 || !arg) t = !arg1 === !arg;
      else if (Array.isArray(arg1.v) !== Array.isArray(arg.v) || (arg1.v instanceof Map) !== (arg.v instanceof Map)) {
        throw new FuncError(`non-comparable types ${sprintf("%s", [arg1.v])}: ${typeName(arg1.v)}, ${typeName(arg.v)}: ${sprint([arg.v])}`);
      } else throw new FuncError(`non-comparable type ${sprintf("%s", [arg.v])}: ${typeName(arg.v)}`);
    } else if (k1 === "int" || k1 === "uint") t = (arg1!.v as GoInt).v === (arg!.v as GoInt).v;
    else t = arg1!.v === arg!.v;
    if (t) return true;
  }
  return false;
}

function lt(a: RV, b: RV): boolean {
  a = indirectInterface(a);
  const k1 = basicKind(a);
  if (k1 === "invalid") throw new FuncError("invalid type for comparison");
  b = indirectInterface(b);
  const k2 = basicKind(b);
  if (k2 === "invalid") throw new FuncError("invalid type for comparison");
  const intish = (k: BasicKind) => k === "int" || k === "uint";
  if (k1 !== k2) {
    if (intish(k1) && intish(k2)) return (a!.v as GoInt).v < (b!.v as GoInt).v;
    throw new FuncError("incompatible types for comparison");
  }
  if (k1 === "bool") throw new FuncError("invalid type for comparison");
  if (intish(k1)) return (a!.v as GoInt).v < (b!.v as GoInt).v;
  return (a!.v as number | string) < (b!.v as number | string);
}

/** evalArgs of html/js/urlquery: one string as is, otherwise Sprint of the operands. */
function evalArgs(args: GoValue[]): string {
  if (args.length === 1 && typeof args[0] === "string") return args[0];
  return sprint(args);
}

function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => ({ "\0": "\uFFFD", '"': "&#34;", "'": "&#39;", "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]!);
}

function jsEscape(s: string): string {
  let out = "";
  for (const ch of s) {
    const r = ch.codePointAt(0)!;
    const special: Record<string, string> = { "\\": "\\\\", "'": "\\'", '"': '\\"', "<": "\\u003C", ">": "\\u003E", "&": "\\u0026", "=": "\\u003D" };
    if (special[ch]) out += special[ch];
    else if (r < 0x20) out += `\\u00${r.toString(16).toUpperCase().padStart(2, "0")}`;
    else if (r < 0x80 || /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) out += ch;
    else out += `\\u${r.toString(16).toUpperCase().padStart(4, "0")}`;
  }
  return out;
}

/** url.QueryEscape. */
function queryEscape(s: string): string {
  let out = "";
  for (const b of Buffer.from(s, "utf8")) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === " ") out += "+";
    else out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}
