// Admonitions in vitepress's syntax: `::: tip|info|warning|danger [Title]` as
// a titled box, `::: details [Summary]` as a collapsible block. `::: hint` and
// `::: solution` are taken out of steps by the loader; where they are rendered
// in place (a page outside any step) they collapse like details.

import type MarkdownIt from "markdown-it";
import type { PluginWithParams } from "markdown-it";
import markdownItContainer from "markdown-it-container";

// Its types are written against the CommonJS markdown-it typings; the function is the same.
const container = markdownItContainer as unknown as PluginWithParams;

const BOXES: Record<string, string> = { tip: "TIP", info: "INFO", warning: "WARNING", danger: "DANGER" };
const COLLAPSIBLE: Record<string, string> = { details: "Details", hint: "Hint", solution: "Solution" };

export function containersPlugin(md: MarkdownIt): void {
  for (const [name, defaultTitle] of Object.entries(BOXES)) {
    md.use(container, name, {
      render(tokens: { info: string; nesting: number }[], idx: number) {
        const t = tokens[idx]!;
        if (t.nesting !== 1) return "</div>\n";
        const title = t.info.trim().slice(name.length).trim() || defaultTitle;
        return `<div class="custom-block ${name}"><p class="custom-block-title">${md.utils.escapeHtml(title)}</p>\n`;
      },
    });
  }
  for (const [name, defaultTitle] of Object.entries(COLLAPSIBLE)) {
    md.use(container, name, {
      render(tokens: { info: string; nesting: number }[], idx: number) {
        const t = tokens[idx]!;
        if (t.nesting !== 1) return "</details>\n";
        const title = t.info.trim().slice(name.length).trim() || defaultTitle;
        return `<details class="custom-block ${name}"><summary>${md.utils.escapeHtml(title)}</summary>\n`;
      },
    });
  }
}
