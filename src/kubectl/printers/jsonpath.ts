// client-go's util/jsonpath, the template dialect of `kubectl -o jsonpath=…`:
// text outside `{}` is printed as is; inside, fields (.a.b, ['a.b']), array
// indexes and slices ([0], [-1], [1:3], [*]), unions ([0,2]), recursive
// descent (..name), filters ([?(@.a=="x")], [?(@.a)]), quoted literals
// ({"\n"}) and range/end. Ported from parser.go and jsonpath.go; the parse
// and walk follow the Go code node for node.

import { goJSON } from "./json.ts";
import { goFloatString } from "./yaml.ts";

type Value = unknown;

interface ParamsEntry {
  value: number;
  known: boolean;
  derived: boolean;
}

type Node =
  | { type: "list"; nodes: Node[] }
  | { type: "text"; text: string }
  | { type: "field"; name: string }
  | { type: "array"; params: [ParamsEntry, ParamsEntry, ParamsEntry] }
  | { type: "filter"; left: Node & { type: "list" }; right: Node & { type: "list" }; op: string }
  | { type: "int"; value: number }
  | { type: "float"; value: number }
  | { type: "bool"; value: boolean }
  | { type: "wildcard" }
  | { type: "recursive" }
  | { type: "union"; nodes: (Node & { type: "list" })[] }
  | { type: "identifier"; name: string };

type ListNode = Node & { type: "list" };

const list = (): ListNode => ({ type: "list", nodes: [] });

const isSpace = (r: string) => r === " " || r === "\t";
const isEndOfLine = (r: string) => r === "\r" || r === "\n";
const isAlphaNumeric = (r: string) => r === "_" || /[\p{L}\p{Nd}]/u.test(r);
const isTerminator = (r: string) => r === "" || isSpace(r) || isEndOfLine(r) || ".,[]$@{}".includes(r);

class Parser {
  root: ListNode = list();
  private input = "";
  private pos = 0;
  private start = 0;
  private width = 0;

  parse(text: string): ListNode {
    this.input = text;
    this.root = list();
    this.pos = 0;
    this.start = 0;
    this.parseText(this.root);
    return this.root;
  }

  private consumeText(): string {
    const v = this.input.slice(this.start, this.pos);
    this.start = this.pos;
    return v;
  }

  /** The next code point, "" at the end. */
  private next(): string {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return "";
    }
    const r = String.fromCodePoint(this.input.codePointAt(this.pos)!);
    this.width = r.length;
    this.pos += r.length;
    return r;
  }

  private peek(): string {
    const r = this.next();
    this.backup();
    return r;
  }

  private backup(): void {
    this.pos -= this.width;
  }

  private parseText(cur: ListNode): void {
    for (;;) {
      if (this.input.startsWith("{", this.pos)) {
        if (this.pos > this.start) cur.nodes.push({ type: "text", text: this.consumeText() });
        return this.parseLeftDelim(cur);
      }
      if (this.next() === "") break;
    }
    if (this.pos > this.start) cur.nodes.push({ type: "text", text: this.consumeText() });
  }

  private parseLeftDelim(cur: ListNode): void {
    this.pos += 1;
    this.consumeText();
    const node = list();
    cur.nodes.push(node);
    this.parseInsideAction(node);
  }

  private parseInsideAction(cur: ListNode): void {
    for (;;) {
      const rest = this.input.slice(this.pos);
      if (rest.startsWith("}")) return this.parseRightDelim();
      if (rest.startsWith("[?(")) return this.parseFilter(cur);
      if (rest.startsWith("..")) return this.parseRecursive(cur);
      const r = this.next();
      if (r === "" || isEndOfLine(r)) throw new Error("unclosed action");
      if (r === " " || r === "@" || r === "$") {
        this.consumeText();
        continue;
      }
      if (r === "[") return this.parseArray(cur);
      if (r === '"' || r === "'") return this.parseQuote(cur, r);
      if (r === ".") return this.parseField(cur);
      if (r === "+" || r === "-" || /\p{Nd}/u.test(r)) {
        this.backup();
        return this.parseNumber(cur);
      }
      if (isAlphaNumeric(r)) {
        this.backup();
        return this.parseIdentifier(cur);
      }
      throw new Error(`unrecognized character in action: U+${r.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")} '${r}'`);
    }
  }

  private parseRightDelim(): void {
    this.pos += 1;
    this.consumeText();
    this.parseText(this.root);
  }

  private parseIdentifier(cur: ListNode): void {
    for (;;) {
      const r = this.next();
      if (isTerminator(r)) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    if (value === "true" || value === "false") cur.nodes.push({ type: "bool", value: value === "true" });
    else cur.nodes.push({ type: "identifier", name: value });
    this.parseInsideAction(cur);
  }

  private parseRecursive(cur: ListNode): void {
    const last = cur.nodes[cur.nodes.length - 1];
    if (last?.type === "recursive") throw new Error("invalid multiple recursive descent");
    this.pos += 2;
    this.consumeText();
    cur.nodes.push({ type: "recursive" });
    if (isAlphaNumeric(this.peek())) return this.parseField(cur);
    this.parseInsideAction(cur);
  }

  private parseNumber(cur: ListNode): void {
    let r = this.peek();
    if (r === "+" || r === "-") this.next();
    for (;;) {
      r = this.next();
      if (r !== "." && !/\p{Nd}/u.test(r)) {
        this.backup();
        break;
      }
    }
    const value = this.consumeText();
    if (/^[-+]?\d+$/.test(value)) cur.nodes.push({ type: "int", value: Number(value) });
    else if (/^[-+]?(\d+\.?\d*|\.\d+)$/.test(value)) cur.nodes.push({ type: "float", value: Number(value) });
    else throw new Error(`cannot parse number ${value}`);
    this.parseInsideAction(cur);
  }

  private parseArray(cur: ListNode): void {
    for (;;) {
      const r = this.next();
      if (r === "" || r === "\n") throw new Error("unterminated array");
      if (r === "]") break;
    }
    let text = this.consumeText();
    text = text.slice(1, -1);
    if (text === "*") text = ":";
    const strs = text.split(",");
    if (strs.length > 1) {
      const union: ListNode[] = strs.map((s) => parseAction(`[${s.trim()}]`));
      cur.nodes.push({ type: "union", nodes: union });
      return this.parseInsideAction(cur);
    }
    const dict = /^'([^']*)'$/.exec(text);
    if (dict) {
      cur.nodes.push(...parseAction(`.${dict[1]}`).nodes);
      return this.parseInsideAction(cur);
    }
    const m = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/.exec(text);
    if (!m) throw new Error(`invalid array index ${text}`);
    const values = [m[1] ?? "", m[2] ?? "", m[3] ?? ""];
    const params: [ParamsEntry, ParamsEntry, ParamsEntry] = [
      { value: 0, known: false, derived: false },
      { value: 0, known: false, derived: false },
      { value: 0, known: false, derived: false },
    ];
    for (let i = 0; i < 3; i++) {
      let v = values[i]!;
      if (v !== "") {
        if (i > 0) v = v.slice(1);
        if (i > 0 && v === "") params[i]!.known = false;
        else {
          if (!/^[-+]?\d+$/.test(v)) throw new Error(`array index ${v} is not a number`);
          params[i] = { value: Number(v), known: true, derived: false };
        }
      } else if (i === 1) {
        params[1] = { value: params[0].value + 1, known: true, derived: true };
      }
    }
    cur.nodes.push({ type: "array", params });
    this.parseInsideAction(cur);
  }

  private parseFilter(cur: ListNode): void {
    this.pos += 3;
    this.consumeText();
    let begin = false;
    let end = false;
    let pair = "";
    for (;;) {
      const r = this.next();
      if (r === "" || r === "\n") throw new Error("unterminated filter");
      if (r === '"' || r === "'") {
        if (!begin) {
          begin = true;
          pair = r;
          continue;
        }
        if (this.input[this.pos - 2] !== "\\" && r === pair) end = true;
      } else if (r === ")") {
        if (begin === end) break;
      }
    }
    if (this.next() !== "]") throw new Error("unclosed array expect ]");
    let text = this.consumeText();
    text = text.slice(0, -2);
    const m = /^([^!<>=]+)([!<>=~]+)(.+?)$/s.exec(text);
    if (!m) cur.nodes.push({ type: "filter", left: parseAction(text), right: list(), op: "exists" });
    else cur.nodes.push({ type: "filter", left: parseAction(m[1]!), right: parseAction(m[3]!), op: m[2]! });
    this.parseInsideAction(cur);
  }

  private parseQuote(cur: ListNode, end: string): void {
    for (;;) {
      const r = this.next();
      if (r === "" || r === "\n") throw new Error("unterminated quoted string");
      if (r === end && this.input[this.pos - 2] !== "\\") break;
    }
    const value = this.consumeText();
    cur.nodes.push({ type: "text", text: unquoteExtend(value) });
    this.parseInsideAction(cur);
  }

  private parseField(cur: ListNode): void {
    this.consumeText();
    while (this.advance()) {
      /* scan to the next unescaped terminator */
    }
    const value = this.consumeText();
    if (value === "*") cur.nodes.push({ type: "wildcard" });
    else cur.nodes.push({ type: "field", name: value.replace(/\\/g, "") });
    this.parseInsideAction(cur);
  }

  private advance(): boolean {
    const r = this.next();
    if (r === "\\") this.next();
    else if (isTerminator(r)) {
      this.backup();
      return false;
    }
    return true;
  }
}

function parseAction(text: string): ListNode {
  const root = new Parser().parse(`{${text}}`);
  return root.nodes[0] as ListNode;
}

/** strconv.Unquote extended to single-quoted strings of any length. */
function unquoteExtend(s: string): string {
  if (s.length < 2 || s[0] !== s[s.length - 1] || (s[0] !== '"' && s[0] !== "'")) throw new Error("invalid syntax");
  const body = s.slice(1, -1);
  const simple: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", "'": "'", '"': '"' };
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) throw new Error("invalid syntax");
    if (simple[e] !== undefined) out += simple[e];
    else if (e === "x" || e === "u" || e === "U") {
      const n = e === "x" ? 2 : e === "u" ? 4 : 8;
      out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 1 + n), 16));
      i += n;
    } else if (/[0-7]/.test(e)) {
      out += String.fromCharCode(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else throw new Error("invalid syntax");
  }
  return out;
}

// ---------------------------------------------------------------------------
// Evaluation (jsonpath.go).

type Kind = "map" | "slice" | "string" | "number" | "bool" | "nil";

function kindOf(v: Value): Kind {
  if (v === null || v === undefined) return "nil";
  if (Array.isArray(v)) return "slice";
  if (typeof v === "object") return "map";
  if (typeof v === "string") return "string";
  if (typeof v === "number") return "number";
  return "bool";
}

function goTypeName(v: Value): string {
  switch (kindOf(v)) {
    case "map":
      return "map[string]interface {}";
    case "slice":
      return "[]interface {}";
    case "string":
      return "string";
    case "number":
      return Number.isInteger(v) ? "int64" : "float64";
    case "bool":
      return "bool";
    default:
      return "interface {}";
  }
}

export class JSONPath {
  private readonly root: ListNode;
  private nodes: Node[];
  private beginRange = 0;
  private inRange = 0;
  private endRange = 0;
  private lastEndNode: Node | undefined;

  constructor(
    template: string,
    private readonly allowMissingKeys = true,
  ) {
    this.root = new Parser().parse(template);
    this.nodes = this.root.nodes;
  }

  execute(data: Value): string {
    this.nodes = this.root.nodes;
    const results = this.findResults(data);
    return results.map((r) => this.printResults(r)).join("");
  }

  /** FindResults: one list of values per top-level template node. */
  findValues(data: Value): Value[][] {
    this.nodes = this.root.nodes;
    return this.findResults(data);
  }

  private findResults(data: Value): Value[][] {
    const cur = [data];
    const nodes = this.nodes;
    const full: Value[][] = [];
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      const results = this.walk(cur, node);
      if (this.endRange > 0 && this.endRange <= this.inRange) {
        this.endRange--;
        this.lastEndNode = node;
        break;
      }
      if (this.beginRange > 0) {
        this.beginRange--;
        this.inRange++;
        if (results.length > 0) {
          for (const value of results) {
            this.nodes = nodes.slice(i + 1);
            full.push(...this.findResults(value));
          }
        } else {
          this.nodes = nodes.slice(i + 1);
          this.findResults(null);
        }
        this.inRange--;
        for (let k = i + 1; k < nodes.length; k++) {
          if (nodes[k] === this.lastEndNode) {
            i = k;
            break;
          }
        }
        continue;
      }
      full.push(results);
    }
    return full;
  }

  private printResults(results: Value[]): string {
    return results
      .map((r, i) => {
        const k = kindOf(r);
        const text = k === "map" || k === "slice" ? goJSON(r) : evalToText(r);
        return i !== results.length - 1 ? text + " " : text;
      })
      .join("");
  }

  private walk(value: Value[], node: Node): Value[] {
    switch (node.type) {
      case "list": {
        let cur = value;
        for (const n of node.nodes) cur = this.walk(cur, n);
        return cur;
      }
      case "text":
        return [node.text];
      case "field":
        return this.evalField(value, node.name);
      case "array":
        return evalArray(value, node.params);
      case "filter":
        return this.evalFilter(value, node);
      case "int":
      case "float":
      case "bool":
        return value.map(() => node.value);
      case "wildcard":
        return evalWildcard(value);
      case "recursive":
        return evalRecursive(value);
      case "union":
        return node.nodes.flatMap((l) => this.walk(value, l));
      case "identifier":
        if (node.name === "range") {
          this.beginRange++;
          return value;
        }
        if (node.name === "end") {
          if (this.inRange > 0) {
            this.endRange++;
            return [];
          }
          throw new Error("not in range, nothing to end");
        }
        throw new Error(`unrecognized identifier ${node.name}`);
    }
  }

  private evalField(input: Value[], name: string): Value[] {
    const results: Value[] = [];
    if (input.length === 0) return results;
    for (const v of input) {
      if (kindOf(v) === "map" && Object.prototype.hasOwnProperty.call(v, name)) {
        results.push((v as Record<string, Value>)[name]);
      }
    }
    if (results.length === 0 && !this.allowMissingKeys) throw new Error(`${name} is not found`);
    return results;
  }

  private evalFilter(input: Value[], node: Node & { type: "filter" }): Value[] {
    const results: Value[] = [];
    for (const value of input) {
      if (!Array.isArray(value)) throw new Error(`${goText(value)} is not array or slice and cannot be filtered`);
      for (const item of value) {
        const temp = [item];
        let lefts: Value[];
        try {
          lefts = this.walk(temp, node.left);
        } catch (e) {
          if (node.op === "exists") continue;
          throw e;
        }
        if (node.op === "exists") {
          if (lefts.length > 0) results.push(item);
          continue;
        }
        if (lefts.length === 0) continue;
        if (lefts.length > 1) throw new Error("can only compare one element at a time");
        const rights = this.walk(temp, node.right);
        if (rights.length === 0) continue;
        if (rights.length > 1) throw new Error("can only compare one element at a time");
        if (compare(lefts[0], rights[0], node.op)) results.push(item);
      }
    }
    return results;
  }
}

function evalArray(input: Value[], template: [ParamsEntry, ParamsEntry, ParamsEntry]): Value[] {
  const result: Value[] = [];
  for (const value of input) {
    if (value === null || value === undefined) continue;
    if (!Array.isArray(value)) throw new Error(`${goTypeName(value)} is not array or slice`);
    const params = template.map((p) => ({ ...p }));
    const len = value.length;
    if (!params[0]!.known) params[0]!.value = 0;
    if (params[0]!.value < 0) params[0]!.value += len;
    if (!params[1]!.known) params[1]!.value = len;
    if (params[1]!.value < 0 || (params[1]!.value === 0 && params[1]!.derived)) params[1]!.value += len;
    const [start, end] = [params[0]!.value, params[1]!.value];
    if (end === start) return result;
    if (start >= len || start < 0) throw new Error(`array index out of bounds: index ${start}, length ${len}`);
    if (end > len || end < 0) throw new Error(`array index out of bounds: index ${end - 1}, length ${len}`);
    if (start > end) throw new Error(`starting index ${start} is greater than ending index ${end}`);
    let step = 1;
    if (params[2]!.known) {
      if (params[2]!.value <= 0) throw new Error("step must be > 0");
      step = params[2]!.value;
    }
    const slice = value.slice(start, end);
    for (let i = 0; i < slice.length; i += step) result.push(slice[i]);
  }
  return result;
}

function children(v: Value): Value[] {
  if (Array.isArray(v)) return [...v];
  if (kindOf(v) === "map") return Object.values(v as Record<string, Value>);
  // Indexing a Go string yields bytes (uint8), which have no children.
  if (typeof v === "string") return [...Buffer.from(v)];
  return [];
}

function evalWildcard(input: Value[]): Value[] {
  return input.filter((v) => v !== null && v !== undefined).flatMap(children);
}

function evalRecursive(input: Value[]): Value[] {
  const result: Value[] = [];
  for (const value of input) {
    if (value === null || value === undefined) continue;
    const kids = children(value);
    if (kids.length !== 0) {
      result.push(value);
      result.push(...evalRecursive(kids));
    }
  }
  return result;
}

function compare(left: Value, right: Value, op: string): boolean {
  if (op === "=~") {
    if (typeof left !== "string" || typeof right !== "string") {
      throw new Error(`regexp search only support string now but getting pattern: ${goJSON(right)}, data: ${goJSON(left)}`);
    }
    return new RegExp(right).test(left);
  }
  const lk = kindOf(left);
  const rk = kindOf(right);
  if (lk !== rk || (lk !== "string" && lk !== "number" && lk !== "bool")) {
    if (op === "==" || op === "!=") {
      if (lk !== rk) throw new Error("incompatible types for comparison");
    }
    if (lk !== rk) throw new Error("incompatible types for comparison");
  }
  switch (op) {
    case "==":
      return left === right;
    case "!=":
      return left !== right;
  }
  if (lk === "bool") throw new Error("invalid type for comparison");
  const l = left as string | number;
  const r = right as string | number;
  switch (op) {
    case "<":
      return l < r;
    case ">":
      return l > r;
    case "<=":
      return l <= r;
    case ">=":
      return l >= r;
  }
  throw new Error(`unrecognized filter operator ${op}`);
}

/** fmt.Fprint of a decoded JSON value. */
function evalToText(v: Value): string {
  if (v === null || v === undefined) return "<nil>";
  if (typeof v === "number") return goFloatString(v);
  return String(v);
}

function goText(v: Value): string {
  return kindOf(v) === "map" || kindOf(v) === "slice" ? goJSON(v) : evalToText(v);
}
