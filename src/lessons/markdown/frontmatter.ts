// Strips YAML front matter before parsing, as vitepress does with gray-matter,
// but blanks the lines instead of removing them so token line numbers (and so
// warnings) still match the file.

import type MarkdownIt from "markdown-it";
import type { StateCore } from "markdown-it";

export function frontmatterPlugin(md: MarkdownIt): void {
  md.core.ruler.before("normalize", "frontmatter", (state: StateCore) => {
    const src = state.src;
    if (!/^---\r?\n/.test(src)) return;
    const lines = src.split("\n");
    const end = lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l));
    if (end < 0) return;
    state.src = [...lines.slice(0, end + 1).map(() => ""), ...lines.slice(end + 1)].join("\n");
  });
}
