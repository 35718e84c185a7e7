// github.com/mitchellh/go-wordwrap's WrapString (v1.0.1), which kubectl's
// term.NewWordWrapWriter applies: breaks only at white space, counts runes,
// lets a word longer than the limit overrun it, keeps existing newlines.
// Leaves out nothing.

const NBSP = "\u00a0";

export function wrapString(s: string, lim: number): string {
  let out = "";
  let current = 0;
  let word = "";
  let space = "";
  let wordLen = 0;
  let spaceLen = 0;
  for (const ch of s) {
    if (ch === "\n") {
      if (wordLen === 0) {
        if (current + spaceLen <= lim) out += space;
      } else {
        out += space + word;
      }
      word = "";
      wordLen = 0;
      space = "";
      spaceLen = 0;
      out += ch;
      current = 0;
    } else if (/\s/u.test(ch) && ch !== NBSP) {
      if (spaceLen === 0 || wordLen > 0) {
        current += spaceLen + wordLen;
        out += space + word;
        space = "";
        spaceLen = 0;
        word = "";
        wordLen = 0;
      }
      space += ch;
      spaceLen++;
    } else {
      word += ch;
      wordLen++;
      if (current + spaceLen + wordLen > lim && wordLen < lim) {
        out += "\n";
        current = 0;
        space = "";
        spaceLen = 0;
      }
    }
  }
  if (wordLen === 0) {
    if (current + spaceLen <= lim) out += space;
  } else out += space + word;
  return out;
}
