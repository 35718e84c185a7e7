// The Go values a kubectl go-template sees, and Go's fmt over them (Sprint,
// Sprintln, Sprintf and the %v of text/template's output), after Go 1.23's
// fmt/print.go, fmt/format.go and strconv. kubectl hands the template the
// object decoded by apimachinery's json into map[string]interface{}: whole
// numbers are int64, others float64, null a nil interface.
// Leaves out complex numbers, pointers (%p) and %b/%x/%X of floats.

/** A Go integer; `type` is its Go type name (int for template constants, int64 for JSON). */
export class GoInt {
  constructor(
    readonly v: bigint,
    readonly type: "int" | "int64" | "uint8" = "int",
  ) {}
}

/** A concrete Go value: float64 is a JS number, map[string]interface{} a Map, []interface{} an array, nil interface null. */
export type GoValue = null | boolean | string | number | GoInt | GoMap | GoValue[];
export type GoMap = Map<string, GoValue>;

/**
 * A reflect.Value: undefined is the invalid (zero) Value; `iface` marks one of
 * static type interface{} (a map or slice element), which is how Go reports
 * its type in messages ("can't evaluate field x in type interface {}").
 */
export type RV = { readonly v: GoValue; readonly iface: boolean } | undefined;

export const rv = (v: GoValue): RV => ({ v, iface: false });
export const ifaceRV = (v: GoValue): RV => ({ v, iface: true });

/** apimachinery's json.Unmarshal into interface{}: integers become int64, other numbers float64. */
export function fromJSON(x: unknown): GoValue {
  if (x === null || x === undefined) return null;
  if (typeof x === "boolean" || typeof x === "string") return x;
  if (typeof x === "number") return Number.isInteger(x) && Math.abs(x) < 2 ** 63 ? new GoInt(BigInt(x), "int64") : x;
  if (Array.isArray(x)) return x.map(fromJSON);
  if (typeof x === "object") {
    const m: GoMap = new Map();
    for (const [k, v] of Object.entries(x as Record<string, unknown>)) if (v !== undefined) m.set(k, fromJSON(v));
    return m;
  }
  return String(x);
}

/** reflect.Type.String() of a concrete value. */
export function typeName(v: GoValue): string {
  if (v === null) return "<nil>";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "string") return "string";
  if (typeof v === "number") return "float64";
  if (v instanceof GoInt) return v.type;
  if (v instanceof Map) return "map[string]interface {}";
  return "[]interface {}";
}

/** The type Go names for a reflect.Value (interface {} for an element of the data). */
export function rvTypeName(x: RV): string {
  if (!x) return "<invalid Value>";
  return x.iface ? "interface {}" : typeName(x.v);
}

/** The keys of a map in fmtsort order (strings: byte order; the data's keys are ASCII). */
export function sortedKeys(m: GoMap): string[] {
  return [...m.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

// ---- strconv -------------------------------------------------------------

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** unicode.IsPrint. */
export function isPrint(r: number): boolean {
  return PRINTABLE.test(String.fromCodePoint(r));
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

function quoteRuneInto(r: number, quote: string, asciiOnly: boolean): string {
  const ch = String.fromCodePoint(r);
  if (ch === quote || ch === "\\") return `\\${ch}`;
  if (asciiOnly ? r < 0x80 && isPrint(r) : isPrint(r)) return ch;
  switch (r) {
    case 7: return "\\a";
    case 8: return "\\b";
    case 12: return "\\f";
    case 10: return "\\n";
    case 13: return "\\r";
    case 9: return "\\t";
    case 11: return "\\v";
  }
  if (r < 0x20 || r === 0x7f) return `\\x${hex(r, 2)}`;
  if (r >= 0xd800 && r <= 0xdfff) return "\\ufffd";
  if (r < 0x10000) return `\\u${hex(r, 4)}`;
  return `\\U${hex(r, 8)}`;
}

/** strconv.Quote (QuoteToASCII with asciiOnly). */
export function goQuote(s: string, asciiOnly = false): string {
  let out = '"';
  for (const ch of s) out += quoteRuneInto(ch.codePointAt(0)!, '"', asciiOnly);
  return `${out}"`;
}

/** strconv.QuoteRune. */
export function goQuoteRune(r: number): string {
  if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) r = 0xfffd;
  return `'${quoteRuneInto(r, "'", false)}'`;
}

/** strconv.CanBackquote. */
function canBackquote(s: string): boolean {
  for (const ch of s) {
    const r = ch.codePointAt(0)!;
    if (r === 0x60 || r === 0xfeff) return false;
    if ((r < 0x20 && r !== 9) || r === 0x7f) return false;
  }
  return true;
}

interface Digits {
  neg: boolean;
  /** Significant decimal digits, no trailing zeros ("" for zero). */
  d: string;
  /** Position of the decimal point relative to d. */
  dp: number;
}

/** The exact decimal expansion of a finite double: digits without leading or trailing zeros. */
function exactDigits(a: number): { d: string; dp: number } {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, a);
  const bits = buf.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let e2: number;
  if (expBits === 0) e2 = -1074;
  else {
    mant |= 1n << 52n;
    e2 = expBits - 1075;
  }
  let digits: string;
  let dp: number;
  if (e2 >= 0) {
    digits = (mant << BigInt(e2)).toString();
    dp = digits.length;
  } else {
    // mant / 2^k = mant * 5^k / 10^k.
    const k = -e2;
    digits = (mant * 5n ** BigInt(k)).toString();
    dp = digits.length - k;
  }
  const lead = digits.length - digits.replace(/^0+/, "").length;
  digits = digits.slice(lead);
  dp -= lead;
  return { d: digits.replace(/0+$/, ""), dp };
}

/** Rounds decimal digits to nd digits, half to even on exact ties (strconv's decimal.Round). */
function roundDigits(dg: Digits, nd: number): Digits {
  const { d } = dg;
  if (nd >= d.length) return dg;
  if (nd < 0) return { neg: dg.neg, d: "", dp: 0 };
  const c = d[nd]!;
  const up = c > "5" || (c === "5" && (nd + 1 < d.length || (nd > 0 && Number(d[nd - 1]) % 2 === 1)));
  if (!up) return { neg: dg.neg, d: d.slice(0, nd).replace(/0+$/, ""), dp: dg.dp };
  let i = nd - 1;
  while (i >= 0 && d[i] === "9") i--;
  if (i < 0) return { neg: dg.neg, d: "1", dp: dg.dp + 1 };
  return { neg: dg.neg, d: d.slice(0, i) + String(Number(d[i]) + 1), dp: dg.dp };
}

/** The shortest digits that read back as x, or x's exact value rounded to `sig` significant digits. */
function decimalDigits(x: number, sig?: number): Digits {
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  if (a === 0) return { neg, d: "", dp: 0 };
  if (sig === undefined) {
    const [mant, exp] = a.toExponential().split("e");
    return { neg, d: mant!.replace(".", "").replace(/0+$/, ""), dp: Number(exp) + 1 };
  }
  return roundDigits({ neg, ...exactDigits(a) }, sig);
}

function fmtE(dg: Digits, prec: number, ch: string): string {
  let s = dg.neg ? "-" : "";
  const first = dg.d[0] ?? "0";
  s += first;
  if (prec > 0) s += `.${(dg.d.slice(1) + "0".repeat(prec)).slice(0, prec)}`;
  const exp = dg.d === "" ? 0 : dg.dp - 1;
  const ae = Math.abs(exp);
  return `${s}${ch}${exp < 0 ? "-" : "+"}${ae < 10 ? `0${ae}` : ae}`;
}

function fmtF(dg: Digits, prec: number): string {
  let s = dg.neg ? "-" : "";
  if (dg.dp > 0) s += (dg.d + "0".repeat(Math.max(dg.dp - dg.d.length, 0))).slice(0, dg.dp);
  else s += "0";
  if (prec > 0) {
    let frac = "";
    for (let i = 0; i < prec; i++) {
      const j = dg.dp + i;
      frac += j < 0 || j >= dg.d.length ? "0" : dg.d[j];
    }
    s += `.${frac}`;
  }
  return s;
}

/** strconv.FormatFloat(x, fmt, prec, 64) for fmt in e E f g G; prec -1 is shortest. */
export function formatFloat(x: number, fmt: string, prec: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "+Inf";
  if (x === -Infinity) return "-Inf";
  const shortest = prec < 0;
  switch (fmt) {
    case "e":
    case "E": {
      const dg = shortest ? decimalDigits(x) : decimalDigits(x, prec + 1);
      return fmtE(dg, shortest ? Math.max(dg.d.length - 1, 0) : prec, fmt);
    }
    case "f": {
      if (shortest) {
        const dg = decimalDigits(x);
        return fmtF(dg, Math.max(dg.d.length - dg.dp, 0));
      }
      const neg = x < 0 || Object.is(x, -0);
      const exact = x === 0 ? { neg, d: "", dp: 0 } : { neg, ...exactDigits(Math.abs(x)) };
      return fmtF(roundDigits(exact, exact.dp + prec), prec);
    }
    default: {
      // g, G
      let p = prec;
      if (p === 0) p = 1;
      const dg = shortest ? decimalDigits(x) : decimalDigits(x, p);
      const nd = dg.d.length;
      let eprec = shortest ? nd : p;
      if (eprec > nd && nd >= dg.dp) eprec = nd;
      if (shortest) eprec = 6;
      const exp = dg.dp - 1;
      if (nd > 0 && (exp < -4 || exp >= eprec)) {
        const pp = shortest ? nd : Math.min(p, nd);
        return fmtE(dg, pp - 1, fmt === "G" ? "E" : "e");
      }
      if (nd === 0) return dg.neg ? "-0" : "0";
      const pp = shortest ? nd : p > dg.dp ? nd : p;
      return fmtF(dg, Math.max(pp - dg.dp, 0));
    }
  }
}

// ---- fmt -----------------------------------------------------------------

interface Flags {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  plusV: boolean;
  sharpV: boolean;
  wid: number;
  widPresent: boolean;
  prec: number;
  precPresent: boolean;
}

const clearFlags = (): Flags => ({ plus: false, minus: false, sharp: false, space: false, zero: false, plusV: false, sharpV: false, wid: 0, widPresent: false, prec: 0, precPresent: false });

const runeCount = (s: string): number => [...s].length;

/** One fmt.pp: a buffer and the flags of the verb being printed. */
class Printer {
  buf = "";
  f: Flags = clearFlags();

  private writePadding(n: number): void {
    if (n <= 0) return;
    this.buf += (this.f.zero ? "0" : " ").repeat(n);
  }

  pad(s: string): void {
    if (!this.f.widPresent || this.f.wid === 0) {
      this.buf += s;
      return;
    }
    const width = this.f.wid - runeCount(s);
    if (!this.f.minus) {
      this.writePadding(width);
      this.buf += s;
    } else {
      this.buf += s;
      this.writePadding(width);
    }
  }

  private truncate(s: string): string {
    if (!this.f.precPresent) return s;
    return [...s].slice(0, this.f.prec).join("");
  }

  private fmtQ(s: string): void {
    s = this.truncate(s);
    if (this.f.sharp && canBackquote(s)) this.pad(`\`${s}\``);
    else this.pad(goQuote(s, this.f.plus));
  }

  private fmtSx(s: string, upper: boolean): void {
    const bytes = Buffer.from(s, "utf8");
    let length = bytes.length;
    if (this.f.precPresent && this.f.prec < length) length = this.f.prec;
    let out = "";
    for (let i = 0; i < length; i++) {
      if (this.f.space && i > 0) out += " ";
      if (this.f.sharp && (this.f.space || i === 0)) out += upper ? "0X" : "0x";
      const h = bytes[i]!.toString(16).padStart(2, "0");
      out += upper ? h.toUpperCase() : h;
    }
    if (length === 0 && this.f.widPresent) {
      this.writePadding(this.f.wid);
      return;
    }
    this.pad(out);
  }

  private fmtString(s: string, verb: string): void {
    switch (verb) {
      case "v":
        if (this.f.sharpV) this.fmtQ(s);
        else this.pad(this.truncate(s));
        return;
      case "s":
        this.pad(this.truncate(s));
        return;
      case "x":
      case "X":
        this.fmtSx(s, verb === "X");
        return;
      case "q":
        this.fmtQ(s);
        return;
    }
    this.badVerb(verb, rv(s));
  }

  private fmtBool(b: boolean, verb: string): void {
    if (verb === "t" || verb === "v") this.pad(b ? "true" : "false");
    else this.badVerb(verb, rv(b));
  }

  private fmtIntegerBase(u: bigint, base: number, verb: string, upper: boolean): void {
    const f = this.f;
    const negative = u < 0n;
    if (negative) u = -u;
    let prec = 0;
    if (f.precPresent) {
      prec = f.prec;
      if (prec === 0 && u === 0n) {
        const oldZero = f.zero;
        f.zero = false;
        this.writePadding(f.wid);
        f.zero = oldZero;
        return;
      }
    } else if (f.zero && f.widPresent) {
      prec = f.wid;
      if (negative || f.plus || f.space) prec--;
    }
    let digits = u.toString(base);
    if (upper) digits = digits.toUpperCase();
    if (digits.length < prec) digits = "0".repeat(prec - digits.length) + digits;
    if (f.sharp) {
      if (base === 2) digits = `0b${digits}`;
      else if (base === 8 && digits[0] !== "0") digits = `0${digits}`;
      else if (base === 16) digits = (upper ? "0X" : "0x") + digits;
    }
    if (verb === "O") digits = `0o${digits}`;
    if (negative) digits = `-${digits}`;
    else if (f.plus) digits = `+${digits}`;
    else if (f.space) digits = ` ${digits}`;
    const oldZero = f.zero;
    f.zero = false;
    this.pad(digits);
    f.zero = oldZero;
  }

  private fmtInteger(n: GoInt, verb: string): void {
    const v = n.v;
    switch (verb) {
      case "v":
      case "d":
        return this.fmtIntegerBase(v, 10, verb, false);
      case "b":
        return this.fmtIntegerBase(v, 2, verb, false);
      case "o":
      case "O":
        return this.fmtIntegerBase(v, 8, verb, false);
      case "x":
        return this.fmtIntegerBase(v, 16, verb, false);
      case "X":
        return this.fmtIntegerBase(v, 16, verb, true);
      case "c":
        return this.pad(this.truncate(String.fromCodePoint(validRune(v))));
      case "q":
        return this.pad(goQuoteRune(validRune(v)));
      case "U": {
        let s = `U+${v.toString(16).toUpperCase().padStart(Math.max(4, this.f.precPresent ? this.f.prec : 0), "0")}`;
        const r = validRune(v);
        if (this.f.sharp && BigInt(r) === v && isPrint(r)) s += ` '${String.fromCodePoint(r)}'`;
        const oldZero = this.f.zero;
        this.f.zero = false;
        this.pad(s);
        this.f.zero = oldZero;
        return;
      }
    }
    this.badVerb(verb, rv(n));
  }

  private fmtFloat(x: number, verb: string): void {
    let fmt: string;
    let prec: number;
    switch (verb) {
      case "v":
        [fmt, prec] = ["g", -1];
        break;
      case "g":
      case "G":
        [fmt, prec] = [verb, -1];
        break;
      case "f":
      case "F":
      case "e":
      case "E":
        [fmt, prec] = [verb === "F" ? "f" : verb, 6];
        break;
      default:
        this.badVerb(verb, rv(x));
        return;
    }
    const f = this.f;
    if (f.precPresent) prec = f.prec;
    let num = formatFloat(x, fmt, prec);
    num = num[0] === "-" || num[0] === "+" ? num : `+${num}`;
    if (f.space && num[0] === "+" && !f.plus) num = ` ${num.slice(1)}`;
    if (num[1] === "I" || num[1] === "N") {
      const oldZero = f.zero;
      f.zero = false;
      if (num[1] === "N" && !f.space && !f.plus) num = num.slice(1);
      this.pad(num);
      f.zero = oldZero;
      return;
    }
    if (f.sharp) {
      let digits = fmt === "g" || fmt === "G" ? (prec === -1 ? 6 : prec) : 0;
      let tail = "";
      const ei = num.search(/[eE]/);
      if (ei >= 0) {
        tail = num.slice(ei);
        num = num.slice(0, ei);
      }
      let sawNonzero = false;
      for (let i = 1; i < num.length; i++) {
        if (num[i] === ".") continue;
        if (num[i] !== "0") sawNonzero = true;
        if (sawNonzero) digits--;
      }
      if (!num.includes(".")) {
        if (num.length === 2 && num[1] === "0") digits--;
        num += ".";
      }
      if ((fmt === "g" || fmt === "G") && digits > 0) num += "0".repeat(digits);
      num += tail;
    }
    if (f.plus || num[0] !== "+") {
      if (f.zero && f.widPresent && f.wid > num.length) {
        this.buf += num[0];
        this.writePadding(f.wid - num.length);
        this.buf += num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  badVerb(verb: string, x: RV): void {
    this.buf += `%!${verb}(`;
    if (x && x.v !== null) {
      this.buf += typeName(x.v);
      this.buf += "=";
      // Go keeps the verb's width and flags here: %5d of "ab" is %!d(string=   ab).
      this.printValue(x.v, "v", 0);
    } else this.buf += "<nil>";
    this.buf += ")";
  }

  /** printArg: one operand, nil printed as <nil>. */
  printArg(arg: GoValue, verb: string): void {
    if (arg === null) {
      if (verb === "T" || verb === "v") this.pad("<nil>");
      else this.badVerb(verb, undefined);
      return;
    }
    if (verb === "T") {
      this.pad(this.truncate(typeName(arg)));
      return;
    }
    if (verb === "p") {
      this.badVerb(verb, rv(arg));
      return;
    }
    this.printValue(arg, verb, 0);
  }

  printValue(v: GoValue, verb: string, depth: number): void {
    if (v === null) {
      // An interface element holding nil.
      if (this.f.sharpV) this.buf += "interface {}(nil)";
      else this.buf += "<nil>";
      return;
    }
    if (typeof v === "boolean") return this.fmtBool(v, verb);
    if (typeof v === "string") return this.fmtString(v, verb);
    if (typeof v === "number") return this.fmtFloat(v, verb);
    if (v instanceof GoInt) return this.fmtInteger(v, verb);
    if (v instanceof Map) {
      this.buf += this.f.sharpV ? "map[string]interface {}{" : "map[";
      sortedKeys(v).forEach((k, i) => {
        if (i > 0) this.buf += this.f.sharpV ? ", " : " ";
        this.printValue(k, verb, depth + 1);
        this.buf += ":";
        this.printValue(v.get(k)!, verb, depth + 1);
      });
      this.buf += this.f.sharpV ? "}" : "]";
      return;
    }
    this.buf += this.f.sharpV ? "[]interface {}{" : "[";
    v.forEach((e, i) => {
      if (i > 0) this.buf += this.f.sharpV ? ", " : " ";
      this.printValue(e, verb, depth + 1);
    });
    this.buf += this.f.sharpV ? "}" : "]";
  }
}

function validRune(v: bigint): number {
  if (v < 0n || v > 0x10ffffn || (v >= 0xd800n && v <= 0xdfffn)) return 0xfffd;
  return Number(v);
}

/** fmt.Sprint: a space between operands when neither side is a string. */
export function sprint(args: GoValue[]): string {
  const p = new Printer();
  let prevString = false;
  args.forEach((a, i) => {
    const isString = typeof a === "string";
    if (i > 0 && !isString && !prevString) p.buf += " ";
    p.f = clearFlags();
    p.printArg(a, "v");
    prevString = isString;
  });
  return p.buf;
}

/** fmt.Sprintln: spaces between all operands and a newline. */
export function sprintln(args: GoValue[]): string {
  const p = new Printer();
  args.forEach((a, i) => {
    if (i > 0) p.buf += " ";
    p.f = clearFlags();
    p.printArg(a, "v");
  });
  return `${p.buf}\n`;
}

function parsenum(s: string, start: number, end: number): { num: number; isnum: boolean; next: number } {
  if (start >= end) return { num: 0, isnum: false, next: end };
  let num = 0;
  let isnum = false;
  let i = start;
  for (; i < end && s[i]! >= "0" && s[i]! <= "9"; i++) {
    if (num > 1e6) return { num: 0, isnum: false, next: end };
    num = num * 10 + Number(s[i]);
    isnum = true;
  }
  return { num, isnum, next: i };
}

function intFromArg(a: GoValue[], argNum: number): { num: number; isInt: boolean; argNum: number } {
  if (argNum >= a.length) return { num: 0, isInt: false, argNum };
  const v = a[argNum];
  let num = 0;
  let isInt = false;
  if (v instanceof GoInt) {
    num = Number(v.v);
    isInt = true;
    if (num > 1e6 || num < -1e6) {
      num = 0;
      isInt = false;
    }
  }
  return { num, isInt, argNum: argNum + 1 };
}

/** fmt.Sprintf. */
export function sprintf(format: string, a: GoValue[]): string {
  const p = new Printer();
  const end = format.length;
  let argNum = 0;
  let afterIndex = false;
  let reordered = false;
  let goodArgNum = true;

  const argNumber = (i: number): { argNum: number; i: number; found: boolean } => {
    if (format.length <= i || format[i] !== "[") return { argNum, i, found: false };
    reordered = true;
    for (let j = 1; j < format.length - i; j++) {
      if (format[i + j] === "]") {
        const { num, isnum, next } = parsenum(format, i + 1, i + j);
        if (!isnum || next !== i + j) {
          goodArgNum = false;
          return { argNum, i: i + j + 1, found: false };
        }
        const idx = num - 1;
        if (idx >= 0 && idx < a.length) return { argNum: idx, i: i + j + 1, found: true };
        goodArgNum = false;
        return { argNum, i: i + j + 1, found: true };
      }
    }
    goodArgNum = false;
    return { argNum, i: i + 1, found: false };
  };

  let i = 0;
  formatLoop: while (i < end) {
    goodArgNum = true;
    const lasti = i;
    while (i < end && format[i] !== "%") i++;
    if (i > lasti) p.buf += format.slice(lasti, i);
    if (i >= end) break;
    i++;
    p.f = clearFlags();
    const f = p.f;
    simple: for (; i < end; i++) {
      const c = format[i]!;
      switch (c) {
        case "#":
          f.sharp = true;
          break;
        case "0":
          f.zero = !f.minus;
          break;
        case "+":
          f.plus = true;
          break;
        case "-":
          f.minus = true;
          f.zero = false;
          break;
        case " ":
          f.space = true;
          break;
        default:
          if (c >= "a" && c <= "z" && argNum < a.length) {
            if (c === "v") {
              f.sharpV = f.sharp;
              f.sharp = false;
              f.plusV = f.plus;
              f.plus = false;
            }
            p.printArg(a[argNum]!, c);
            argNum++;
            i++;
            continue formatLoop;
          }
          break simple;
      }
    }
    let r = argNumber(i);
    argNum = r.argNum;
    i = r.i;
    afterIndex = r.found;
    if (i < end && format[i] === "*") {
      i++;
      const w = intFromArg(a, argNum);
      f.wid = w.num;
      f.widPresent = w.isInt;
      argNum = w.argNum;
      if (!f.widPresent) p.buf += "%!(BADWIDTH)";
      if (f.wid < 0) {
        f.wid = -f.wid;
        f.minus = true;
        f.zero = false;
      }
      afterIndex = false;
    } else {
      const n = parsenum(format, i, end);
      f.wid = n.num;
      f.widPresent = n.isnum;
      i = n.next;
      if (afterIndex && f.widPresent) goodArgNum = false;
    }
    if (i + 1 < end && format[i] === ".") {
      i++;
      if (afterIndex) goodArgNum = false;
      r = argNumber(i);
      argNum = r.argNum;
      i = r.i;
      afterIndex = r.found;
      if (i < end && format[i] === "*") {
        i++;
        const w = intFromArg(a, argNum);
        f.prec = w.num;
        f.precPresent = w.isInt;
        argNum = w.argNum;
        if (f.prec < 0) {
          f.prec = 0;
          f.precPresent = false;
        }
        if (!f.precPresent) p.buf += "%!(BADPREC)";
        afterIndex = false;
      } else {
        const n = parsenum(format, i, end);
        f.prec = n.num;
        f.precPresent = n.isnum;
        i = n.next;
        if (!f.precPresent) {
          f.prec = 0;
          f.precPresent = true;
        }
      }
    }
    if (!afterIndex) {
      r = argNumber(i);
      argNum = r.argNum;
      i = r.i;
      afterIndex = r.found;
    }
    if (i >= end) {
      p.buf += "%!(NOVERB)";
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === "%") p.buf += "%";
    else if (!goodArgNum) p.buf += `%!${verb}(BADINDEX)`;
    else if (argNum >= a.length) p.buf += `%!${verb}(MISSING)`;
    else {
      if (verb === "v") {
        f.sharpV = f.sharp;
        f.sharp = false;
        f.plusV = f.plus;
        f.plus = false;
      }
      p.printArg(a[argNum]!, verb);
      argNum++;
    }
  }
  if (!reordered && argNum < a.length) {
    p.f = clearFlags();
    p.buf += "%!(EXTRA ";
    a.slice(argNum).forEach((arg, k) => {
      if (k > 0) p.buf += ", ";
      if (arg === null) p.buf += "<nil>";
      else {
        p.buf += `${typeName(arg)}=`;
        p.printArg(arg, "v");
      }
    });
    p.buf += ")";
  }
  return p.buf;
}

/** %#U of a rune, as Go's lexer quotes a bad character: U+007D '}'. */
export function sharpU(r: number): string {
  const s = `U+${r.toString(16).toUpperCase().padStart(4, "0")}`;
  return isPrint(r) ? `${s} '${String.fromCodePoint(r)}'` : s;
}

/** %.10q: the string cut to 10 runes, then quoted. */
export function quoteTruncated(s: string, n: number): string {
  return goQuote([...s].slice(0, n).join(""));
}
