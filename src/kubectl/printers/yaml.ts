// YAML output as `kubectl -o yaml` writes it: sigs.k8s.io/yaml turns the
// object's JSON into go-yaml v2 values and marshals them. This is a port of
// go-yaml v2's encoder (encode.go: which scalars need quoting, key order from
// sorter.go) and of the libyaml emitter it drives (emitterc.go: block layout,
// plain/single/double/literal styles, folding long scalars at column 80).
// Leaves out anchors, tags and flow collections other than empty ones.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const BEST_INDENT = 2;
const BEST_WIDTH = 80;

// ---------------------------------------------------------------------------
// resolve.go: what a plain scalar would read back as.

const RESOLVE_MAP = new Set([
  "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
  "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
  "", "~", "null", "Null", "NULL",
  ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
  "<<",
]);

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/** Go's strconv.ParseInt(s, 0, 64) syntax (sign, 0x/0o/0b/0 prefixes, underscores only with a prefix). */
function goParsesAsInt(s: string): boolean {
  return /^[-+]?(0[xX](_?[0-9a-fA-F])+|0[bB](_?[01])+|0[oO](_?[0-7])+|0(_?[0-7])*|[1-9](_?[0-9])*)$/.test(s);
}

/** Go's strconv.ParseFloat syntax (decimal and hex floats, inf/nan words, underscores between digits). */
function goParsesAsFloat(s: string): boolean {
  if (/^[-+]?(inf|infinity|nan)$/i.test(s)) return true;
  if (/^[-+]?((\d(_?\d)*)?\.?(\d(_?\d)*)?)([eE][-+]?\d+)?$/.test(s) && /\d/.test(s.split(/[eE]/)[0]!)) return true;
  return /^[-+]?0[xX](_?[0-9a-fA-F])*\.?([0-9a-fA-F](_?[0-9a-fA-F])*)?[pP][-+]?\d+$/.test(s);
}

/** yaml.v2 parseTimestamp: "2006-1-2T15:4:5.999999999Z07:00", "2006-1-2 15:4:5.999999999", "2006-1-2". */
function isTimestamp(s: string): boolean {
  if (!/^\d{4}-/.test(s)) return false;
  const date = String.raw`\d{4}-\d{1,2}-\d{1,2}`;
  const time = String.raw`\d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?`;
  return (
    new RegExp(`^${date}$`).test(s) ||
    new RegExp(`^${date}[Tt]${time}(Z|[-+]\\d{2}:\\d{2})$`).test(s) ||
    new RegExp(`^${date} ${time}$`).test(s)
  );
}

/** True when a plain scalar `s` would resolve to something other than a string. */
function resolvesToNonString(s: string): boolean {
  if (s === "") return true;
  const c = s[0]!;
  const hint = "+-0123456789".includes(c) ? "D" : "yYnNtTfFoO~".includes(c) ? "M" : c === "." ? "." : c === "<" ? "M" : "";
  if (RESOLVE_MAP.has(s)) return true;
  if (hint === ".") return goParsesAsFloat(s);
  if (hint === "D") {
    if (isTimestamp(s)) return true;
    const plain = s.replace(/_/g, "");
    if (goParsesAsInt(plain)) return true;
    if (YAML_STYLE_FLOAT.test(plain)) return true;
    if (/^-?0b[01]+$/.test(plain)) return true;
  }
  return false;
}

function isBase60Float(s: string): boolean {
  if (s === "") return false;
  const c = s[0]!;
  if (!(c === "+" || c === "-" || (c >= "0" && c <= "9")) || !s.includes(":")) return false;
  return BASE60_FLOAT.test(s);
}

// ---------------------------------------------------------------------------
// sorter.go: map keys in "natural" order (digit runs compare as numbers,
// non-letters before letters).

const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;

export function yamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = LETTER.test(ar[i]!);
    const bl = LETTER.test(br[i]!);
    if (al && bl) return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === "0" || br[i] === "0") {
      for (let j = i - 1; j >= 0 && DIGIT.test(ar[j]!); j--) {
        if (ar[j] !== "0") {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && DIGIT.test(ar[ai]!); ai++) an = an * 10 + (ar[ai]!.codePointAt(0)! - 48);
    let bi = i;
    for (; bi < br.length && DIGIT.test(br[bi]!); bi++) bn = bn * 10 + (br[bi]!.codePointAt(0)! - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
  }
  return ar.length < br.length;
}

// ---------------------------------------------------------------------------
// Character classes (yamlprivateh.go), on code points.

const isSpace = (c: string | undefined) => c === " ";
const isBreak = (c: string | undefined) => c === "\r" || c === "\n" || c === "\u0085" || c === "\u2028" || c === "\u2029";
const isBlank = (c: string | undefined) => c === " " || c === "\t";
const isBlankz = (c: string | undefined) => c === undefined || c === "\0" || isBlank(c) || isBreak(c);
function isPrintable(c: string): boolean {
  const cp = c.codePointAt(0)!;
  return cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff);
}

type Style = "plain" | "single" | "double" | "literal";

interface ScalarAnalysis {
  multiline: boolean;
  flowPlainAllowed: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

function analyzeScalar(value: string[]): ScalarAnalysis {
  if (value.length === 0) {
    return { multiline: false, flowPlainAllowed: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  }
  let blockIndicators = false;
  let flowIndicators = false;
  let lineBreaks = false;
  let specialCharacters = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  const head = value.slice(0, 3).join("");
  if (value.length >= 3 && (head === "---" || head === "...")) {
    blockIndicators = true;
    flowIndicators = true;
  }
  let precededByWhitespace = true;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    const followedByWhitespace = i + 1 >= value.length || isBlank(value[i + 1]);
    if (i === 0) {
      if ("#,[]{}&*!|>'\"%@`".includes(c)) {
        flowIndicators = true;
        blockIndicators = true;
      } else if (c === "?" || c === ":") {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      } else if (c === "-" && followedByWhitespace) {
        flowIndicators = true;
        blockIndicators = true;
      }
    } else if (",?[]{}".includes(c)) {
      flowIndicators = true;
    } else if (c === ":") {
      flowIndicators = true;
      if (followedByWhitespace) blockIndicators = true;
    } else if (c === "#" && precededByWhitespace) {
      flowIndicators = true;
      blockIndicators = true;
    }
    if (!isPrintable(c)) specialCharacters = true;
    if (isSpace(c)) {
      if (i === 0) leadingSpace = true;
      if (i + 1 === value.length) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i + 1 === value.length) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankz(c);
  }
  const a: ScalarAnalysis = { multiline: lineBreaks, flowPlainAllowed: true, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
  }
  if (trailingSpace) a.blockAllowed = false;
  if (breakSpace) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
    a.singleQuotedAllowed = false;
  }
  if (spaceBreak || specialCharacters) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
    a.singleQuotedAllowed = false;
    a.blockAllowed = false;
  }
  if (lineBreaks) {
    a.flowPlainAllowed = false;
    a.blockPlainAllowed = false;
  }
  if (flowIndicators) a.flowPlainAllowed = false;
  if (blockIndicators) a.blockPlainAllowed = false;
  return a;
}

// ---------------------------------------------------------------------------
// The emitter (emitterc.go), driven recursively instead of by an event queue.

class Emitter {
  out = "";
  private column = 0;
  private indent = -1;
  private readonly indents: number[] = [];
  private whitespace = true;
  private indention = true;
  private mappingContext = false;
  private simpleKeyContext = false;

  private put(s: string): void {
    this.out += s;
    this.column++;
  }

  private putBreak(): void {
    this.out += "\n";
    this.column = 0;
  }

  /** write_break: a '\n' is a line break; other break characters are copied. */
  private writeBreak(c: string): void {
    if (c === "\n") this.putBreak();
    else {
      this.out += c;
      this.column = 0;
    }
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  private popIndent(): void {
    this.indent = this.indents.pop()!;
  }

  private writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(" ");
    this.whitespace = true;
    this.indention = true;
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(" ");
    for (const c of indicator) this.put(c);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  document(value: Json): void {
    this.node(value, { sequence: false, mapping: false, simpleKey: false });
    // Document end: write_indent ends the last line.
    this.writeIndent();
  }

  private node(value: Json, ctx: { sequence: boolean; mapping: boolean; simpleKey: boolean }): void {
    this.mappingContext = ctx.mapping;
    this.simpleKeyContext = ctx.simpleKey;
    if (Array.isArray(value)) {
      if (value.length === 0) return this.emptyFlow("[", "]");
      return this.blockSequence(value);
    }
    if (value !== null && typeof value === "object") {
      const keys = Object.keys(value);
      if (keys.length === 0) return this.emptyFlow("{", "}");
      return this.blockMapping(value, keys);
    }
    this.scalar(scalarFor(value));
  }

  private emptyFlow(open: string, close: string): void {
    this.writeIndicator(open, true, true, false);
    this.increaseIndent(true, false);
    this.popIndent();
    this.writeIndicator(close, false, false, false);
  }

  private blockSequence(items: Json[]): void {
    this.increaseIndent(false, this.mappingContext && !this.indention);
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator("-", true, false, true);
      this.node(item, { sequence: true, mapping: false, simpleKey: false });
    }
    this.popIndent();
  }

  private blockMapping(map: { [key: string]: Json }, keys: string[]): void {
    this.increaseIndent(false, false);
    const sorted = [...keys].sort((a, b) => (yamlKeyLess(a, b) ? -1 : yamlKeyLess(b, a) ? 1 : 0));
    for (const key of sorted) {
      this.writeIndent();
      const k = scalarFor(key);
      // check_simple_key: one line and at most 128 bytes.
      const simple = !analyzeScalar([...k.value]).multiline && Buffer.byteLength(k.value) <= 128;
      if (simple) {
        this.node(key, { sequence: false, mapping: true, simpleKey: true });
        this.writeIndicator(":", false, false, false);
      } else {
        this.writeIndicator("?", true, false, true);
        this.node(key, { sequence: false, mapping: true, simpleKey: false });
        this.writeIndent();
        this.writeIndicator(":", true, false, true);
      }
      this.node(map[key]!, { sequence: false, mapping: true, simpleKey: false });
    }
    this.popIndent();
  }

  private scalar(s: { value: string; style: Style }): void {
    const chars = [...s.value];
    const a = analyzeScalar(chars);
    let style = s.style;
    if (this.simpleKeyContext && a.multiline) style = "double";
    if (style === "plain") {
      if (!a.blockPlainAllowed) style = "single";
      if (chars.length === 0 && this.simpleKeyContext) style = "single";
    }
    if (style === "single" && !a.singleQuotedAllowed) style = "double";
    if (style === "literal" && (!a.blockAllowed || this.simpleKeyContext)) style = "double";
    this.increaseIndent(true, false);
    const allowBreaks = !this.simpleKeyContext;
    if (style === "plain") this.writePlain(chars, allowBreaks);
    else if (style === "single") this.writeSingleQuoted(chars, allowBreaks);
    else if (style === "double") this.writeDoubleQuoted(chars, allowBreaks);
    else this.writeLiteral(chars);
    this.popIndent();
  }

  private writePlain(value: string[], allowBreaks: boolean): void {
    if (!this.whitespace) this.put(" ");
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < value.length; i++) {
      const c = value[i]!;
      if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && !isSpace(value[i + 1])) this.writeIndent();
        else this.put(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === "\n") this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  private writeSingleQuoted(value: string[], allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < value.length; i++) {
      const c = value[i]!;
      if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < value.length - 1 && !isSpace(value[i + 1])) this.writeIndent();
        else this.put(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === "\n") this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (c === "'") this.put("'");
        this.put(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeDoubleQuoted(value: string[], allowBreaks: boolean): void {
    let spaces = false;
    this.writeIndicator('"', true, false, false);
    for (let i = 0; i < value.length; i++) {
      const c = value[i]!;
      if (!isPrintable(c) || c === "\ufeff" || isBreak(c) || c === '"' || c === "\\") {
        this.put("\\");
        const v = c.codePointAt(0)!;
        const named: Record<number, string> = {
          0x00: "0", 0x07: "a", 0x08: "b", 0x09: "t", 0x0a: "n", 0x0b: "v", 0x0c: "f", 0x0d: "r", 0x1b: "e",
          0x22: '"', 0x5c: "\\", 0x85: "N", 0xa0: "_", 0x2028: "L", 0x2029: "P",
        };
        const name = named[v];
        if (name !== undefined) this.put(name);
        else {
          const [letter, width] = v <= 0xff ? ["x", 2] : v <= 0xffff ? ["u", 4] : ["U", 8];
          this.put(letter);
          for (const d of v.toString(16).toUpperCase().padStart(width, "0")) this.put(d);
        }
        spaces = false;
      } else if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < value.length - 1) {
          this.writeIndent();
          if (isSpace(value[i + 1])) this.put("\\");
        } else this.put(c);
        spaces = true;
      } else {
        this.put(c);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeLiteral(value: string[]): void {
    this.writeIndicator("|", true, false, false);
    // Block scalar hints: an indentation indicator when the text starts with
    // a space or break, then the chomping indicator.
    if (isSpace(value[0]) || isBreak(value[0])) this.writeIndicator(String(BEST_INDENT), false, false, false);
    let chomp = "";
    if (value.length === 0) chomp = "-";
    else {
      const last = value.length - 1;
      if (!isBreak(value[last])) chomp = "-";
      else if (last === 0) chomp = "+";
      else if (isBreak(value[last - 1])) chomp = "+";
    }
    if (chomp) this.writeIndicator(chomp, false, false, false);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const c of value) {
      if (isBreak(c)) {
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(c);
        this.indention = false;
        breaks = false;
      }
    }
  }
}

/** encode.go: the text and requested style of a scalar value. */
function scalarFor(value: null | boolean | number | string): { value: string; style: Style } {
  if (value === null) return { value: "null", style: "plain" };
  if (typeof value === "boolean") return { value: String(value), style: "plain" };
  if (typeof value === "number") return { value: goFloatString(value), style: "plain" };
  if (value.includes("\n")) return { value, style: "literal" };
  const canUsePlain = !resolvesToNonString(value) && !isBase60Float(value);
  return { value, style: canUsePlain ? "plain" : "double" };
}

/** A decoded JSON number as Go prints it: integers (int64) as FormatInt, others as FormatFloat(f, 'g', -1, 64). */
export function goFloatString(n: number): string {
  if (Number.isNaN(n)) return ".nan";
  if (n === Infinity) return ".inf";
  if (n === -Infinity) return "-.inf";
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return BigInt(n).toString();
  const exp = Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 6) {
    const [mant, e] = n.toExponential().split("e");
    const ev = Number(e);
    return `${mant}e${ev < 0 ? "-" : "+"}${String(Math.abs(ev)).padStart(2, "0")}`;
  }
  return String(n);
}

/** Marshals a JSON value the way `kubectl -o yaml` prints it (ends with a newline). */
export function toYAML(value: unknown): string {
  const e = new Emitter();
  e.document(JSON.parse(JSON.stringify(value ?? null)) as Json);
  return e.out;
}
