// kubectl explain's OpenAPI v2 text writer, after
// k8s.io/kubectl/pkg/explain/formatter.go: indented lines, and a word wrapper
// that re-flows a description's lines unless they look like code, a list or
// a break after a colon. Widths count bytes, as Go's len does.
// Leaves out nothing.

/** strings.Fields / TrimSpace's white space (unicode.IsSpace). */
const SPACE = "\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const FIELDS = new RegExp(`[${SPACE}]+`, "u");
const TRIM = new RegExp(`^[${SPACE}]+|[${SPACE}]+$`, "gu");
/** A line that starts a list: Go's regexp \d and \s are ASCII-only. */
const BULLET = /^([0-9]+\.?|-|\*)[\t\n\f\r ]/;

function fields(s: string): string[] {
  return s.split(FIELDS).filter((w) => w !== "");
}

function trimSpace(s: string): string {
  return s.replace(TRIM, "");
}

function byteLength(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

function shouldStartNewLine(lastWord: string, str: string): boolean {
  // Keep breaks after "…:", code blocks, empty lines and list items.
  if (lastWord.endsWith(":")) return true;
  if (str.startsWith("    ")) return true;
  const trimmed = trimSpace(str);
  return trimmed.length === 0 || BULLET.test(trimmed);
}

/** formatter.go wrapString: the description as lines of at most wrap bytes (a longer word gets a line of its own). */
export function wrapString(str: string, wrap: number): string[] {
  const wrapped: string[] = [];
  let words: string[] = [];
  let lastWord = "";
  const flush = (): void => {
    if (words.length === 0) return;
    lastWord = "";
    wrapped.push(words.join(" "));
    words = [];
  };
  const add = (word: string): boolean => {
    if (words.length === 0 || byteLength([...words, word].join(" ")) <= wrap) {
      words.push(word);
      return true;
    }
    return false;
  };
  for (const line of str.split("\n")) {
    if (line.startsWith("    ")) {
      flush();
      wrapped.push(line);
      continue;
    }
    // Empty lines after the first separate sections.
    if (wrapped.length > 0 && trimSpace(line).length === 0) {
      flush();
      wrapped.push("");
      continue;
    }
    if (shouldStartNewLine(lastWord, line)) flush();
    for (const word of fields(line)) {
      lastWord = word;
      if (!add(word)) {
        flush();
        add(word);
      }
    }
  }
  flush();
  return wrapped;
}

/** formatter.go Formatter: writes lines at an indent, wrapping to a total width when told to. */
export class Formatter {
  constructor(
    private readonly out: (s: string) => void,
    private readonly wrap: number,
    private readonly level = 0,
  ) {}

  indent(more: number): Formatter {
    return new Formatter(this.out, this.wrap, this.level + more);
  }

  /** One line at the indent; an empty line gets no indent. */
  write(line: string): void {
    this.out(line === "" ? "\n" : `${" ".repeat(this.level)}${line}\n`);
  }

  writeWrapped(text: string): void {
    if (this.wrap === 0) return this.write(text);
    for (const line of wrapString(text, this.wrap - this.level)) this.write(line);
  }
}
