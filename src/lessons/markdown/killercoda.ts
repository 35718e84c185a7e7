// Killercoda's click-to-run marks. On a fenced block the mark follows the
// closing fence (```{{exec}}), which CommonMark would not accept as a closing
// fence: we move it onto the opening fence's info string (```bash {{exec}}),
// keeping line numbers. Inline `cmd`{{exec}} / `cmd`{{copy}} / `text`{{}} become
// code spans carrying data-command and data-action for the web UI.

import type MarkdownIt from "markdown-it";
import type { StateCore } from "markdown-it";

const CLOSER_MARK = /^(\s*)(`{3,}|~{3,})\s*(\{\{(?:exec(?: interrupt)?|copy)\}\})\s*$/;
const OPENER = /^(\s*)(`{3,}|~{3,})(.*)$/;

/** Rewrites ```{{exec}} closers into plain closers with the mark on the opener. Same number of lines. */
export function normalizeKillercodaFences(src: string): string {
  const lines = src.split("\n");
  let open: { index: number; marker: string } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!open) {
      const m = OPENER.exec(line);
      if (m && !(m[2]![0] === "`" && m[3]!.includes("`"))) open = { index: i, marker: m[2]! };
      continue;
    }
    const c = CLOSER_MARK.exec(line);
    if (c && c[2]![0] === open.marker[0] && c[2]!.length >= open.marker.length) {
      lines[open.index] = `${lines[open.index]} ${c[3]}`;
      lines[i] = `${c[1]}${c[2]}`;
      open = undefined;
      continue;
    }
    const plain = new RegExp(`^\\s*${open.marker[0] === "`" ? "`" : "~"}{${open.marker.length},}\\s*$`);
    if (plain.test(line)) open = undefined;
  }
  return lines.join("\n");
}

const INLINE_MARK = /^\{\{(exec(?: interrupt)?|copy|)\}\}/;

export function killercodaPlugin(md: MarkdownIt): void {
  md.core.ruler.before("normalize", "killercoda_fences", (state: StateCore) => {
    state.src = normalizeKillercodaFences(state.src);
  });
  md.core.ruler.after("inline", "killercoda_inline", (state: StateCore) => {
    for (const block of state.tokens) {
      const children = block.children;
      if (!children) continue;
      for (let i = 0; i + 1 < children.length; i++) {
        const code = children[i]!;
        const next = children[i + 1]!;
        if (code.type !== "code_inline" || next.type !== "text") continue;
        const m = INLINE_MARK.exec(next.content);
        if (!m) continue;
        next.content = next.content.slice(m[0].length);
        if (m[1] === "") continue; // `text`{{}}: plain code, no action
        const action = m[1]!.startsWith("exec") ? "run" : "copy";
        code.attrSet("class", `inline-command ${action}`);
        code.attrSet("data-action", action);
        code.attrSet("data-command", code.content);
        code.attrSet("title", action === "run" ? "Click to run" : "Click to copy");
      }
    }
  });
}
