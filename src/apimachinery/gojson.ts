// What Go's encoding/json says of JSON it cannot take, for the messages
// kubectl and the apiserver pass on: the word an UnmarshalTypeError uses for
// a JSON value ("cannot unmarshal bool into …"), and the scanner's
// SyntaxError for text that is not JSON at all.

/** The JSON value's kind as encoding/json names it in an UnmarshalTypeError. */
export function jsonValueWord(v: unknown): "string" | "number" | "bool" | "array" | "object" | "null" {
  if (Array.isArray(v)) return "array";
  if (v === null) return "null";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "string") return "string";
  if (typeof v === "number") return "number";
  return "object";
}

/**
 * The first error encoding/json's scanner reports for invalid JSON, for the
 * common slips (a bare word, a missing quote, a trailing comma, a cut-off text).
 */
export function goSyntaxError(text: string): string {
  const quote = (c: string) => (c === "'" ? "'\\''" : `'${c}'`);
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\r\n".includes(text[i]!)) i++;
  };
  const fail = (context: string): never => {
    if (i >= text.length) throw new Error("unexpected end of JSON input");
    throw new Error(`invalid character ${quote(text[i]!)} ${context}`);
  };
  const literal = (word: string) => {
    for (const c of word) {
      if (text[i] !== c) fail(`in literal ${word} (expecting ${quote(c)})`);
      i++;
    }
  };
  const str = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") i++;
      else if (text.charCodeAt(i) < 0x20) fail("in string literal");
      i++;
    }
    if (i >= text.length) fail("");
    i++;
  };
  const value = (context: string): void => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail("looking for beginning of object key string");
        str();
        ws();
        if (text[i] !== ":") fail("after object key");
        i++;
        value("looking for beginning of value");
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return;
        }
        fail("after object key:value pair");
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value("looking for beginning of value");
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return;
        }
        fail("after array element");
      }
    }
    if (c === '"') return str();
    if (c === "t") return literal("true");
    if (c === "f") return literal("false");
    if (c === "n") return literal("null");
    if (c !== undefined && /[-0-9]/.test(c)) {
      const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i));
      if (!m || m[0] === "-") {
        i++;
        fail("in numeric literal");
      }
      i += m![0].length;
      return;
    }
    fail(context);
  };
  try {
    value("looking for beginning of value");
    ws();
    if (i < text.length) fail("after top-level value");
  } catch (e) {
    return (e as Error).message;
  }
  return "unexpected end of JSON input";
}
