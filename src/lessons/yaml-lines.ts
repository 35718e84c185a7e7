// YAML embedded in a lesson file (front matter, check blocks), parsed so that
// every value can be traced back to its line in the file: schema problems are
// reported as file:line, the way an author's editor can jump to them.

import { isNode, LineCounter, parseDocument } from "yaml";

export interface EmbeddedYaml {
  value: unknown;
  /** The file line of the value at `path` (the nearest existing ancestor's line when it is missing). */
  lineOf(path: readonly (string | number)[]): number;
  /** Syntax errors, with file lines. */
  errors: { line: number; message: string }[];
}

/** Parses `text`, whose first line is line `firstLine` of the file. */
export function parseEmbeddedYaml(text: string, firstLine: number): EmbeddedYaml {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const errors = doc.errors.map((e) => ({
    line: firstLine - 1 + (e.linePos?.[0]?.line ?? lc.linePos(e.pos[0]).line),
    message: e.message.split("\n")[0]!,
  }));
  const lineOf = (path: readonly (string | number)[]): number => {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return firstLine - 1 + lc.linePos(node.range[0]).line;
    }
    return firstLine;
  };
  return { value: errors.length ? undefined : doc.toJS(), lineOf, errors };
}
