// Go's text/template/parse (lex.go, parse.go, node.go as of Go 1.23, which
// kubectl 1.32 is built with): the lexer, the parse tree and its String()
// forms, and the parse errors word for word ("template: output:1: bad
// character U+007D '}'"). Positions are JS string indices; ErrorContext turns
// them into Go's byte columns.
// Leaves out custom delimiters and comment nodes in the tree (kubectl uses neither).

import { goQuote, quoteTruncated, sharpU } from "./gotemplate-fmt.ts";

export class TemplateParseError extends Error {}

// ---- lexer -----------------------------------------------------------------

const enum T {
  Error, Bool, Char, CharConstant, Complex, Assign, Declare, EOF, Field, Identifier, LeftDelim, LeftParen, Number, Pipe, RawString,
  RightDelim, RightParen, Space, String, Text, Variable,
  Keyword, Block, Break, Continue, Dot, Define, Else, End, If, Nil, Range, Template, With,
}

const KEYWORDS: Record<string, T> = {
  ".": T.Dot, block: T.Block, break: T.Break, continue: T.Continue, define: T.Define, else: T.Else, end: T.End, if: T.If,
  range: T.Range, nil: T.Nil, template: T.Template, with: T.With,
};

interface Item {
  typ: T;
  pos: number;
  val: string;
  line: number;
}

function itemString(i: Item): string {
  if (i.typ === T.EOF) return "EOF";
  if (i.typ === T.Error) return i.val;
  if (i.typ > T.Keyword) return `<${i.val}>`;
  if (Buffer.byteLength(i.val) > 10) return `${quoteTruncated(i.val, 10)}...`;
  return goQuote(i.val);
}

const LEFT = "{{";
const RIGHT = "}}";
const SPACE_CHARS = " \t\r\n";
const isSpace = (r: string) => r === " " || r === "\t" || r === "\r" || r === "\n";
const isAlphaNumeric = (r: string) => r === "_" || /^[\p{L}\p{Nd}]$/u.test(r);
const EOF = "";

/** Go's lexer, run to the end (or its first error) up front: the parser reads the same items in the same order. */
function lex(input: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  let start = 0;
  let atEOF = false;
  let parenDepth = 0;
  let line = 1;
  let startLine = 1;

  const next = (): string => {
    if (pos >= input.length) {
      atEOF = true;
      return EOF;
    }
    const r = String.fromCodePoint(input.codePointAt(pos)!);
    pos += r.length;
    if (r === "\n") line++;
    return r;
  };
  const backup = (): void => {
    if (!atEOF && pos > 0) {
      const prev = input.codePointAt(pos - 1)!;
      const w = prev >= 0xdc00 && prev <= 0xdfff && pos >= 2 ? 2 : 1;
      pos -= w;
      if (input[pos] === "\n") line--;
    }
  };
  const peek = (): string => {
    const r = next();
    backup();
    return r;
  };
  const emit = (typ: T): void => {
    items.push({ typ, pos: start, val: input.slice(start, pos), line: startLine });
    start = pos;
    startLine = line;
  };
  const ignore = (): void => {
    line += count(input.slice(start, pos), "\n");
    start = pos;
    startLine = line;
  };
  const accept = (valid: string): boolean => {
    const r = next();
    if (r !== EOF && valid.includes(r)) return true;
    backup();
    return false;
  };
  const acceptRun = (valid: string): void => {
    for (;;) {
      const r = next();
      if (r === EOF || !valid.includes(r)) break;
    }
    backup();
  };
  const errorf = (msg: string): null => {
    items.push({ typ: T.Error, pos: start, val: msg, line: startLine });
    return null;
  };
  const hasLeftTrim = (s: string) => s.length >= 2 && s[0] === "-" && isSpace(s[1]!);
  const hasRightTrim = (s: string) => s.length >= 2 && isSpace(s[0]!) && s[1] === "-";
  const atRightDelim = (): { delim: boolean; trim: boolean } => {
    if (hasRightTrim(input.slice(pos)) && input.startsWith(RIGHT, pos + 2)) return { delim: true, trim: true };
    if (input.startsWith(RIGHT, pos)) return { delim: true, trim: false };
    return { delim: false, trim: false };
  };
  const leftTrimLength = (s: string) => s.length - trimLeft(s).length;
  const atTerminator = (): boolean => {
    const r = peek();
    if (isSpace(r)) return true;
    if (r === EOF || ".,|:)(".includes(r)) return true;
    return input.startsWith(RIGHT, pos);
  };

  type State = (() => State) | null;

  const lexText = (): State => {
    const x = input.indexOf(LEFT, pos);
    if (x >= 0) {
      pos = x;
      let trim = 0;
      if (hasLeftTrim(input.slice(pos + LEFT.length))) {
        const s = input.slice(start, pos);
        trim = s.length - trimRight(s).length;
      }
      pos -= trim;
      if (pos > start) {
        line += count(input.slice(start, pos), "\n");
        emit(T.Text);
      }
      pos += trim;
      ignore();
      return lexLeftDelim;
    }
    pos = input.length;
    if (pos > start) {
      line += count(input.slice(start, pos), "\n");
      emit(T.Text);
    }
    emit(T.EOF);
    return null;
  };

  const lexLeftDelim = (): State => {
    pos += LEFT.length;
    const trim = hasLeftTrim(input.slice(pos));
    const after = trim ? 2 : 0;
    if (input.startsWith("/*", pos + after)) {
      pos += after;
      ignore();
      return lexComment;
    }
    emit(T.LeftDelim);
    pos += after;
    ignore();
    parenDepth = 0;
    return lexInsideAction;
  };

  const lexComment = (): State => {
    pos += 2;
    const i = input.indexOf("*/", pos);
    if (i < 0) return errorf("unclosed comment");
    pos = i + 2;
    const { delim, trim } = atRightDelim();
    if (!delim) return errorf("comment ends before closing delimiter");
    if (trim) pos += 2;
    pos += RIGHT.length;
    if (trim) pos += leftTrimLength(input.slice(pos));
    ignore();
    return lexText;
  };

  const lexRightDelim = (): State => {
    const trim = hasRightTrim(input.slice(pos));
    if (trim) {
      pos += 2;
      ignore();
    }
    pos += RIGHT.length;
    emit(T.RightDelim);
    if (trim) {
      pos += leftTrimLength(input.slice(pos));
      ignore();
    }
    return lexText;
  };

  const lexInsideAction = (): State => {
    if (atRightDelim().delim) {
      if (parenDepth === 0) return lexRightDelim;
      return errorf("unclosed left paren");
    }
    const r = next();
    if (r === EOF) return errorf("unclosed action");
    if (isSpace(r)) {
      backup();
      return lexSpace;
    }
    switch (r) {
      case "=":
        emit(T.Assign);
        return lexInsideAction;
      case ":":
        if (next() !== "=") return errorf("expected :=");
        emit(T.Declare);
        return lexInsideAction;
      case "|":
        emit(T.Pipe);
        return lexInsideAction;
      case '"':
        return lexQuote;
      case "`":
        return lexRawQuote;
      case "$":
        return lexVariable;
      case "'":
        return lexChar;
      case "(":
        emit(T.LeftParen);
        parenDepth++;
        return lexInsideAction;
      case ")":
        emit(T.RightParen);
        parenDepth--;
        if (parenDepth < 0) return errorf(`unexpected right paren ${sharpU(0x29)}`);
        return lexInsideAction;
    }
    if (r === ".") {
      if (pos < input.length) {
        const c = input[pos]!;
        if (c < "0" || c > "9") return () => lexFieldOrVariable(T.Field);
      }
    }
    if (r === "." || r === "+" || r === "-" || (r >= "0" && r <= "9")) {
      backup();
      return lexNumber;
    }
    if (isAlphaNumeric(r)) {
      backup();
      return lexIdentifier;
    }
    const cp = r.codePointAt(0)!;
    if (cp <= 0x7f && cp >= 0x20 && cp !== 0x7f) {
      emit(T.Char);
      return lexInsideAction;
    }
    return errorf(`unrecognized character in action: ${sharpU(cp)}`);
  };

  const lexSpace = (): State => {
    let n = 0;
    while (isSpace(peek())) {
      next();
      n++;
    }
    if (hasRightTrim(input.slice(pos - 1)) && input.startsWith(RIGHT, pos + 1)) {
      backup();
      if (n === 1) return lexRightDelim;
    }
    emit(T.Space);
    return lexInsideAction;
  };

  const lexIdentifier = (): State => {
    for (;;) {
      const r = next();
      if (r !== EOF && isAlphaNumeric(r)) continue;
      backup();
      const word = input.slice(start, pos);
      if (!atTerminator()) return errorf(`bad character ${sharpU(r === EOF ? -1 : r.codePointAt(0)!)}`);
      const kw = KEYWORDS[word];
      if (kw !== undefined && kw > T.Keyword) emit(kw);
      else if (word[0] === ".") emit(T.Field);
      else if (word === "true" || word === "false") emit(T.Bool);
      else emit(T.Identifier);
      return lexInsideAction;
    }
  };

  const lexVariable = (): State => {
    if (atTerminator()) {
      emit(T.Variable);
      return lexInsideAction;
    }
    return lexFieldOrVariable(T.Variable);
  };

  const lexFieldOrVariable = (typ: T): State => {
    if (atTerminator()) {
      emit(typ === T.Variable ? T.Variable : T.Dot);
      return lexInsideAction;
    }
    let r: string;
    for (;;) {
      r = next();
      if (r === EOF || !isAlphaNumeric(r)) {
        backup();
        break;
      }
    }
    if (!atTerminator()) return errorf(`bad character ${sharpU(r === EOF ? -1 : r.codePointAt(0)!)}`);
    emit(typ);
    return lexInsideAction;
  };

  const lexChar = (): State => {
    for (;;) {
      const r = next();
      if (r === "\\") {
        const r2 = next();
        if (r2 !== EOF && r2 !== "\n") continue;
        return errorf("unterminated character constant");
      }
      if (r === EOF || r === "\n") return errorf("unterminated character constant");
      if (r === "'") break;
    }
    emit(T.CharConstant);
    return lexInsideAction;
  };

  const scanNumber = (): boolean => {
    accept("+-");
    let digits = "0123456789_";
    if (accept("0")) {
      if (accept("xX")) digits = "0123456789abcdefABCDEF_";
      else if (accept("oO")) digits = "01234567_";
      else if (accept("bB")) digits = "01_";
    }
    acceptRun(digits);
    if (accept(".")) acceptRun(digits);
    if (digits.length === 11 && accept("eE")) {
      accept("+-");
      acceptRun("0123456789_");
    }
    if (digits.length === 23 && accept("pP")) {
      accept("+-");
      acceptRun("0123456789_");
    }
    accept("i");
    const p = peek();
    if (p !== EOF && isAlphaNumeric(p)) {
      next();
      return false;
    }
    return true;
  };

  const lexNumber = (): State => {
    if (!scanNumber()) return errorf(`bad number syntax: ${goQuote(input.slice(start, pos))}`);
    const sign = peek();
    if (sign === "+" || sign === "-") {
      if (!scanNumber() || input[pos - 1] !== "i") return errorf(`bad number syntax: ${goQuote(input.slice(start, pos))}`);
      emit(T.Complex);
    } else emit(T.Number);
    return lexInsideAction;
  };

  const lexQuote = (): State => {
    for (;;) {
      const r = next();
      if (r === "\\") {
        const r2 = next();
        if (r2 !== EOF && r2 !== "\n") continue;
        return errorf("unterminated quoted string");
      }
      if (r === EOF || r === "\n") return errorf("unterminated quoted string");
      if (r === '"') break;
    }
    emit(T.String);
    return lexInsideAction;
  };

  const lexRawQuote = (): State => {
    for (;;) {
      const r = next();
      if (r === EOF) return errorf("unterminated raw quoted string");
      if (r === "`") break;
    }
    emit(T.RawString);
    return lexInsideAction;
  };

  for (let state: State = lexText; state; ) state = state();
  return items;
}

function count(s: string, sub: string): number {
  return s.split(sub).length - 1;
}
function trimLeft(s: string): string {
  let i = 0;
  while (i < s.length && SPACE_CHARS.includes(s[i]!)) i++;
  return s.slice(i);
}
function trimRight(s: string): string {
  let i = s.length;
  while (i > 0 && SPACE_CHARS.includes(s[i - 1]!)) i--;
  return s.slice(0, i);
}

// ---- nodes -----------------------------------------------------------------

export interface TextNode { kind: "text"; pos: number; text: string }
export interface ListNode { kind: "list"; pos: number; nodes: Node[] }
export interface PipeNode { kind: "pipe"; pos: number; isAssign: boolean; decl: VariableNode[]; cmds: CommandNode[] }
export interface ActionNode { kind: "action"; pos: number; pipe: PipeNode }
export interface CommandNode { kind: "command"; pos: number; args: Node[] }
export interface IdentifierNode { kind: "identifier"; pos: number; ident: string }
export interface VariableNode { kind: "variable"; pos: number; ident: string[] }
export interface DotNode { kind: "dot"; pos: number }
export interface NilNode { kind: "nil"; pos: number }
export interface FieldNode { kind: "field"; pos: number; ident: string[] }
export interface ChainNode { kind: "chain"; pos: number; node: Node; field: string[] }
export interface BoolNode { kind: "bool"; pos: number; value: boolean }
export interface NumberNode {
  kind: "number"; pos: number; text: string;
  isInt: boolean; isUint: boolean; isFloat: boolean; isComplex: boolean;
  int64: bigint; uint64: bigint; float64: number;
}
export interface StringNode { kind: "string"; pos: number; quoted: string; text: string }
export interface BranchNode { kind: "if" | "range" | "with"; pos: number; pipe: PipeNode; list: ListNode; elseList: ListNode | undefined }
export interface TemplateNode { kind: "template"; pos: number; name: string; pipe: PipeNode | undefined }
export interface BreakNode { kind: "break"; pos: number }
export interface ContinueNode { kind: "continue"; pos: number }
interface EndNode { kind: "end"; pos: number }
interface ElseNode { kind: "else"; pos: number }

export type Node =
  | TextNode | ListNode | PipeNode | ActionNode | CommandNode | IdentifierNode | VariableNode | DotNode | NilNode | FieldNode | ChainNode
  | BoolNode | NumberNode | StringNode | BranchNode | TemplateNode | BreakNode | ContinueNode | EndNode | ElseNode;

/** node.String(), as Go writes a node back out (used in error contexts). */
export function nodeString(n: Node): string {
  switch (n.kind) {
    case "text":
      return n.text;
    case "list":
      return n.nodes.map(nodeString).join("");
    case "pipe": {
      let s = "";
      if (n.decl.length > 0) s += `${n.decl.map(nodeString).join(", ")} := `;
      return s + n.cmds.map(nodeString).join(" | ");
    }
    case "action":
      return `{{${nodeString(n.pipe)}}}`;
    case "command":
      return n.args.map((a) => (a.kind === "pipe" ? `(${nodeString(a)})` : nodeString(a))).join(" ");
    case "identifier":
      return n.ident;
    case "variable":
      return n.ident.join(".");
    case "dot":
      return ".";
    case "nil":
      return "nil";
    case "field":
      return n.ident.map((i) => `.${i}`).join("");
    case "chain":
      return (n.node.kind === "pipe" ? `(${nodeString(n.node)})` : nodeString(n.node)) + n.field.map((f) => `.${f}`).join("");
    case "bool":
      return n.value ? "true" : "false";
    case "number":
      return n.text;
    case "string":
      return n.quoted;
    case "if":
    case "range":
    case "with":
      return `{{${n.kind} ${nodeString(n.pipe)}}}${nodeString(n.list)}${n.elseList ? `{{else}}${nodeString(n.elseList)}` : ""}{{end}}`;
    case "template":
      return n.pipe ? `{{template ${goQuote(n.name)} ${nodeString(n.pipe)}}}` : `{{template ${goQuote(n.name)}}}`;
    case "break":
      return "{{break}}";
    case "continue":
      return "{{continue}}";
    case "end":
      return "{{end}}";
    case "else":
      return "{{else}}";
  }
}

// ---- strconv for literals ----------------------------------------------------

/** strconv.Unquote for "…" and `…` literals; undefined when invalid. */
export function unquote(s: string): string | undefined {
  if (s.length < 2) return undefined;
  const q = s[0]!;
  if (q !== s[s.length - 1]) return undefined;
  const body = s.slice(1, -1);
  if (q === "`") return body.includes("`") ? undefined : body.replace(/\r/g, "");
  if (q !== '"' && q !== "'") return undefined;
  let out = "";
  let i = 0;
  while (i < body.length) {
    const r = unquoteChar(body, i, q);
    if (!r) return undefined;
    out += r.value;
    i = r.next;
  }
  if (q === "'" && [...out].length !== 1) return undefined;
  return out;
}

/** strconv.UnquoteChar: one (possibly escaped) character of a quoted literal. */
function unquoteChar(s: string, i: number, quote: string): { value: string; next: number } | undefined {
  const c = s[i]!;
  if (c === quote && (quote === "'" || quote === '"')) return undefined;
  if (c !== "\\") {
    const ch = String.fromCodePoint(s.codePointAt(i)!);
    if (ch === "\n" && quote === '"') return undefined;
    return { value: ch, next: i + ch.length };
  }
  if (i + 1 >= s.length) return undefined;
  const e = s[i + 1]!;
  const simple: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\" };
  if (e in simple) return { value: simple[e]!, next: i + 2 };
  if (e === "'" || e === '"') {
    if (e !== quote) return undefined;
    return { value: e, next: i + 2 };
  }
  const hexN = e === "x" ? 2 : e === "u" ? 4 : e === "U" ? 8 : 0;
  if (hexN) {
    const h = s.slice(i + 2, i + 2 + hexN);
    if (h.length !== hexN || !/^[0-9a-fA-F]+$/.test(h)) return undefined;
    const v = parseInt(h, 16);
    if (e === "x") return { value: String.fromCharCode(v), next: i + 2 + hexN };
    if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return undefined;
    return { value: String.fromCodePoint(v), next: i + 2 + hexN };
  }
  if (e >= "0" && e <= "7") {
    const o = s.slice(i + 1, i + 4);
    if (!/^[0-7]{3}$/.test(o)) return undefined;
    const v = parseInt(o, 8);
    if (v > 255) return undefined;
    return { value: String.fromCharCode(v), next: i + 4 };
  }
  return undefined;
}

/** strconv.ParseInt/ParseUint with base 0 (prefixes and underscores). */
function parseGoInteger(text: string): bigint | undefined {
  let s = text;
  let neg = false;
  if (s[0] === "+" || s[0] === "-") {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  let base = 10;
  let prefixed = false;
  if (/^0[xX]/.test(s)) [base, s, prefixed] = [16, s.slice(2), true];
  else if (/^0[oO]/.test(s)) [base, s, prefixed] = [8, s.slice(2), true];
  else if (/^0[bB]/.test(s)) [base, s, prefixed] = [2, s.slice(2), true];
  else if (s.length > 1 && s[0] === "0") [base, s] = [8, s.slice(1)];
  if (s.includes("_")) {
    // Underscores only between digits, or right after a base prefix.
    const check = (prefixed || base === 8 ? "0" : "") + s;
    if (/(^_)|(__)|(_$)/.test(prefixed || base === 8 ? check.slice(1).replace(/^_/, "x") : check)) return undefined;
    s = s.replace(/_/g, "");
  }
  if (s === "") return undefined;
  const digits = "0123456789abcdef".slice(0, base);
  for (const ch of s.toLowerCase()) if (!digits.includes(ch)) return undefined;
  const v = [...s.toLowerCase()].reduce((acc, ch) => acc * BigInt(base) + BigInt(digits.indexOf(ch)), 0n);
  return neg ? -v : v;
}

/** strconv.ParseFloat(text, 64) for decimal and hex-float literals. */
function parseGoFloat(text: string): number | undefined {
  let s = text.replace(/_/g, "");
  let sign = 1;
  if (s[0] === "+" || s[0] === "-") {
    if (s[0] === "-") sign = -1;
    s = s.slice(1);
  }
  if (/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return sign * Number(s);
  const m = /^0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(s);
  if (m && (m[1] || m[2])) {
    const mant = parseInt(`${m[1]}${m[2]}` || "0", 16) / 16 ** m[2]!.length;
    return sign * mant * 2 ** Number(m[3]);
  }
  return undefined;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

function newNumber(pos: number, text: string, typ: T): NumberNode {
  const n: NumberNode = { kind: "number", pos, text, isInt: false, isUint: false, isFloat: false, isComplex: false, int64: 0n, uint64: 0n, float64: 0 };
  if (typ === T.CharConstant) {
    const r = unquoteChar(text.slice(1), 0, text[0]!);
    if (!r) throw new TemplateParseError("invalid syntax");
    if (text.slice(1 + r.next) !== "'") throw new TemplateParseError(`malformed character constant: ${text}`);
    const cp = BigInt(r.value.codePointAt(0)!);
    Object.assign(n, { int64: cp, isInt: true, uint64: cp, isUint: true, float64: Number(cp), isFloat: true });
    return n;
  }
  if (typ === T.Complex || text.endsWith("i")) {
    // Complex constants parse, but the evaluator has no complex values.
    n.isComplex = true;
    return n;
  }
  const i = parseGoInteger(text);
  if (i !== undefined && i >= 0n && i <= UINT64_MAX && text[0] !== "-" && text[0] !== "+") {
    n.isUint = true;
    n.uint64 = i;
  }
  if (i !== undefined && i >= INT64_MIN && i <= INT64_MAX) {
    n.isInt = true;
    n.int64 = i;
    if (i === 0n) {
      n.isUint = true;
      n.uint64 = 0n;
    }
  }
  if (n.isInt) {
    n.isFloat = true;
    n.float64 = Number(n.int64);
  } else if (n.isUint) {
    n.isFloat = true;
    n.float64 = Number(n.uint64);
  } else {
    const f = parseGoFloat(text);
    if (f !== undefined) {
      if (!/[.eEpP]/.test(text)) throw new TemplateParseError(`integer overflow: ${goQuote(text)}`);
      n.isFloat = true;
      n.float64 = f;
      if (Number.isFinite(f) && Number.isInteger(f) && f >= -(2 ** 63) && f < 2 ** 63) {
        n.isInt = true;
        n.int64 = BigInt(f);
      }
      if (Number.isFinite(f) && Number.isInteger(f) && f >= 0 && f < 2 ** 64) {
        n.isUint = true;
        n.uint64 = BigInt(f);
      }
    }
  }
  if (!n.isInt && !n.isUint && !n.isFloat) throw new TemplateParseError(`illegal number syntax: ${goQuote(text)}`);
  return n;
}

// ---- parser ----------------------------------------------------------------

/** A parsed template: its root and the {{define}}d templates, all over one text. */
export interface Tree {
  name: string;
  text: string;
  root: ListNode;
  templates: Map<string, ListNode>;
}

/**
 * Parses `text` as template `name`. `hasFunction` says which identifiers are
 * functions (Go checks at parse time: `function "upper" not defined`).
 */
export function parseTemplate(name: string, text: string, hasFunction: (name: string) => boolean): Tree {
  return new Parser(name, text, hasFunction).parse();
}

class Parser {
  private readonly items: Item[];
  private at = 0;
  private token: Item[] = [];
  private peekCount = 0;
  private vars: string[] = ["$"];
  private actionLine = 0;
  private rangeDepth = 0;
  private readonly templates = new Map<string, ListNode>();

  constructor(
    private readonly name: string,
    private readonly text: string,
    private readonly hasFunction: (name: string) => boolean,
  ) {
    this.items = lex(text);
  }

  private lexNext(): Item {
    const it = this.items[Math.min(this.at, this.items.length - 1)]!;
    this.at++;
    return it;
  }
  private next(): Item {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.lexNext();
    return this.token[this.peekCount]!;
  }
  private backup(): void {
    this.peekCount++;
  }
  private backup2(t1: Item): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }
  private backup3(t2: Item, t1: Item): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }
  private peek(): Item {
    if (this.peekCount > 0) return this.token[this.peekCount - 1]!;
    this.peekCount = 1;
    this.token[0] = this.lexNext();
    return this.token[0];
  }
  private nextNonSpace(): Item {
    let t: Item;
    do t = this.next();
    while (t.typ === T.Space);
    return t;
  }
  private peekNonSpace(): Item {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  private errorf(msg: string): never {
    throw new TemplateParseError(`template: ${this.name}:${this.token[0]!.line}: ${msg}`);
  }
  private expect(expected: T, context: string): Item {
    const t = this.nextNonSpace();
    if (t.typ !== expected) this.unexpected(t, context);
    return t;
  }
  private unexpected(token: Item, context: string): never {
    if (token.typ === T.Error) {
      let extra = "";
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at ${this.name}:${this.actionLine}`;
        if (token.val.endsWith(" action")) extra = extra.slice(" in action".length);
      }
      this.errorf(`${itemString(token)}${extra}`);
    }
    this.errorf(`unexpected ${itemString(token)} in ${context}`);
  }

  parse(): Tree {
    const root: ListNode = { kind: "list", pos: this.peek().pos, nodes: [] };
    while (this.peek().typ !== T.EOF) {
      if (this.peek().typ === T.LeftDelim) {
        const delim = this.next();
        if (this.nextNonSpace().typ === T.Define) {
          this.parseDefinition();
          continue;
        }
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.kind === "end" || n.kind === "else") this.errorf(`unexpected ${nodeString(n)}`);
      root.nodes.push(n);
    }
    this.add(this.name, root);
    return { name: this.name, text: this.text, root, templates: this.templates };
  }

  private add(name: string, root: ListNode): void {
    const existing = this.templates.get(name);
    if (!existing || isEmptyTree(existing)) {
      this.templates.set(name, root);
      return;
    }
    if (!isEmptyTree(root)) this.errorf(`template: multiple definition of template ${goQuote(name)}`);
  }

  private parseDefinition(): void {
    const context = "define clause";
    const t = this.nextNonSpace();
    if (t.typ !== T.String && t.typ !== T.RawString) this.unexpected(t, context);
    const name = unquote(t.val);
    if (name === undefined) this.errorf("invalid syntax");
    this.expect(T.RightDelim, context);
    const saved = this.vars;
    this.vars = ["$"];
    const [list, end] = this.itemList();
    if (end.kind !== "end") this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.vars = saved;
    this.add(name, list);
  }

  private itemList(): [ListNode, Node] {
    const list: ListNode = { kind: "list", pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().typ !== T.EOF) {
      const n = this.textOrAction();
      if (n.kind === "end" || n.kind === "else") return [list, n];
      list.nodes.push(n);
    }
    this.errorf("unexpected EOF");
  }

  private textOrAction(): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case T.Text:
        return { kind: "text", pos: token.pos, text: token.val };
      case T.LeftDelim: {
        this.actionLine = token.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      }
    }
    this.unexpected(token, "input");
  }

  private action(): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case T.Block:
        return this.blockControl();
      case T.Break:
        return this.loopControl("break", token);
      case T.Continue:
        return this.loopControl("continue", token);
      case T.Else:
        return this.elseControl();
      case T.End:
        return { kind: "end", pos: this.expect(T.RightDelim, "end").pos };
      case T.If:
        return this.branch("if", true);
      case T.Range:
        return this.branch("range", false);
      case T.Template:
        return this.templateControl();
      case T.With:
        return this.branch("with", true);
    }
    this.backup();
    const t = this.peek();
    return { kind: "action", pos: t.pos, pipe: this.pipeline("command", T.RightDelim) };
  }

  private loopControl(kind: "break" | "continue", token: Item): Node {
    const t = this.nextNonSpace();
    if (t.typ !== T.RightDelim) this.unexpected(t, `{{${kind}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${kind}}} outside {{range}}`);
    return { kind, pos: token.pos };
  }

  private pipeline(context: string, end: T): PipeNode {
    const token = this.peekNonSpace();
    const pipe: PipeNode = { kind: "pipe", pos: token.pos, isAssign: false, decl: [], cmds: [] };
    decls: for (;;) {
      const v = this.peekNonSpace();
      if (v.typ !== T.Variable) break;
      this.next();
      const tokenAfterVariable = this.peek();
      const nxt = this.peekNonSpace();
      if (nxt.typ === T.Assign || nxt.typ === T.Declare) {
        pipe.isAssign = nxt.typ === T.Assign;
        this.nextNonSpace();
        pipe.decl.push(newVariable(v.pos, v.val));
        this.vars.push(v.val);
      } else if (nxt.typ === T.Char && nxt.val === ",") {
        this.nextNonSpace();
        pipe.decl.push(newVariable(v.pos, v.val));
        this.vars.push(v.val);
        if (context === "range" && pipe.decl.length < 2) {
          const p = this.peekNonSpace().typ;
          if (p === T.Variable || p === T.RightDelim || p === T.RightParen) continue decls;
          this.errorf("range can only initialize variables");
        }
        this.errorf(`too many declarations in ${context}`);
      } else if (tokenAfterVariable.typ === T.Space) this.backup3(v, tokenAfterVariable);
      else this.backup2(v);
      break;
    }
    for (;;) {
      const t = this.nextNonSpace();
      if (t.typ === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (t.typ) {
        case T.Bool: case T.CharConstant: case T.Complex: case T.Dot: case T.Field: case T.Identifier:
        case T.Number: case T.Nil: case T.RawString: case T.String: case T.Variable: case T.LeftParen:
          this.backup();
          pipe.cmds.push(this.command());
          continue;
      }
      this.unexpected(t, context);
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const k = c.args[0]!.kind;
      if (k === "bool" || k === "dot" || k === "nil" || k === "number" || k === "string") this.errorf(`non executable command in pipeline stage ${i + 2}`);
    });
  }

  private branch(kind: "if" | "range" | "with", allowElseChain: boolean): BranchNode {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(kind, T.RightDelim);
      if (kind === "range") this.rangeDepth++;
      let [list, next] = this.itemList();
      if (kind === "range") this.rangeDepth--;
      let elseList: ListNode | undefined;
      if (next.kind === "else") {
        // {{else if …}} / {{else with …}}: the else's own branch ends at the shared {{end}}.
        const p = this.peek().typ;
        if (allowElseChain && ((kind === "if" && p === T.If) || (kind === "with" && p === T.With))) {
          this.next();
          elseList = { kind: "list", pos: next.pos, nodes: [this.branch(kind, true)] };
        } else {
          [elseList, next] = this.itemList();
          if (next.kind !== "end") this.errorf(`expected end; found ${nodeString(next)}`);
        }
      }
      void list;
      return { kind, pos: pipe.pos, pipe, list, elseList };
    } finally {
      this.vars.length = mark;
    }
  }

  private elseControl(): Node {
    const p = this.peekNonSpace();
    if (p.typ === T.If || p.typ === T.With) return { kind: "else", pos: p.pos };
    const t = this.expect(T.RightDelim, "else");
    return { kind: "else", pos: t.pos };
  }

  private templateName(token: Item, context: string): string {
    if (token.typ !== T.String && token.typ !== T.RawString) this.unexpected(token, context);
    const s = unquote(token.val);
    if (s === undefined) this.errorf("invalid syntax");
    return s;
  }

  private blockControl(): Node {
    const context = "block clause";
    const token = this.nextNonSpace();
    const name = this.templateName(token, context);
    const pipe = this.pipeline(context, T.RightDelim);
    const saved = this.vars;
    this.vars = ["$"];
    const [list, end] = this.itemList();
    if (end.kind !== "end") this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.vars = saved;
    this.add(name, list);
    return { kind: "template", pos: token.pos, name, pipe };
  }

  private templateControl(): Node {
    const context = "template clause";
    const token = this.nextNonSpace();
    const name = this.templateName(token, context);
    let pipe: PipeNode | undefined;
    if (this.nextNonSpace().typ !== T.RightDelim) {
      this.backup();
      pipe = this.pipeline(context, T.RightDelim);
    }
    return { kind: "template", pos: token.pos, name, pipe };
  }

  private command(): CommandNode {
    const cmd: CommandNode = { kind: "command", pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const t = this.next();
      if (t.typ === T.Space) continue;
      if (t.typ === T.RightDelim || t.typ === T.RightParen) this.backup();
      else if (t.typ !== T.Pipe) this.unexpected(t, "operand");
      break;
    }
    if (cmd.args.length === 0) this.errorf("empty command");
    return cmd;
  }

  private operand(): Node | undefined {
    let node = this.term();
    if (!node) return undefined;
    if (this.peek().typ === T.Field) {
      const chain: ChainNode = { kind: "chain", pos: this.peek().pos, node, field: [] };
      while (this.peek().typ === T.Field) chain.field.push(this.next().val.slice(1));
      switch (node.kind) {
        case "field":
          node = { kind: "field", pos: chain.pos, ident: nodeString(chain).slice(1).split(".") };
          break;
        case "variable":
          node = newVariable(chain.pos, nodeString(chain));
          break;
        case "bool":
        case "string":
        case "number":
        case "nil":
        case "dot":
          this.errorf(`unexpected . after term ${goQuote(nodeString(node))}`);
        // falls through: errorf never returns
        default:
          node = chain;
      }
    }
    return node;
  }

  private term(): Node | undefined {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case T.Identifier:
        if (!this.hasFunction(token.val)) this.errorf(`function ${goQuote(token.val)} not defined`);
        return { kind: "identifier", pos: token.pos, ident: token.val };
      case T.Dot:
        return { kind: "dot", pos: token.pos };
      case T.Nil:
        return { kind: "nil", pos: token.pos };
      case T.Variable:
        return this.useVar(token.pos, token.val);
      case T.Field:
        return { kind: "field", pos: token.pos, ident: token.val.slice(1).split(".") };
      case T.Bool:
        return { kind: "bool", pos: token.pos, value: token.val === "true" };
      case T.CharConstant:
      case T.Complex:
      case T.Number:
        try {
          return newNumber(token.pos, token.val, token.typ);
        } catch (e) {
          this.errorf((e as Error).message);
        }
      // falls through: errorf never returns
      case T.LeftParen:
        return this.pipeline("parenthesized pipeline", T.RightParen);
      case T.String:
      case T.RawString: {
        const s = unquote(token.val);
        if (s === undefined) this.errorf("invalid syntax");
        return { kind: "string", pos: token.pos, quoted: token.val, text: s };
      }
    }
    this.backup();
    return undefined;
  }

  private useVar(pos: number, name: string): VariableNode {
    const v = newVariable(pos, name);
    if (!this.vars.includes(v.ident[0]!)) this.errorf(`undefined variable ${goQuote(v.ident[0]!)}`);
    return v;
  }
}

function newVariable(pos: number, ident: string): VariableNode {
  return { kind: "variable", pos, ident: ident.split(".") };
}

function isEmptyTree(n: Node): boolean {
  if (n.kind === "list") return n.nodes.every(isEmptyTree);
  if (n.kind === "text") return n.text.trim() === "";
  return false;
}

/** Tree.ErrorContext: "output:1:26" (Go's column is a 0-based byte offset) and the node's text. */
export function errorContext(tree: Tree, n: Node): { location: string; context: string } {
  const before = tree.text.slice(0, n.pos);
  const nl = before.lastIndexOf("\n");
  const col = Buffer.byteLength(nl === -1 ? before : before.slice(nl + 1));
  const line = 1 + count(before, "\n");
  return { location: `${tree.name}:${line}:${col}`, context: nodeString(n) };
}
