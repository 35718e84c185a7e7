// Run and Copy buttons on command blocks: every bash/sh/shell/console block,
// and any block marked {{exec}} (Run + Copy) or {{copy}} (Copy only). The
// command text goes, HTML-escaped, into data-command on the wrapper; the web
// UI wires the buttons. Wraps whatever the fence rule rendered (highlighted).

import type MarkdownIt from "markdown-it";
import { blockCommand, fenceMarks, SHELL_LANGS } from "../commands.ts";

export function codeBlocksPlugin(md: MarkdownIt): void {
  const inner = md.renderer.rules.fence!;
  md.renderer.rules.fence = (tokens, idx, options, env, self) => {
    const t = tokens[idx]!;
    const html = inner(tokens, idx, options, env, self);
    const marks = fenceMarks(t.info);
    const lang = marks.lang || "text";
    const runnable = marks.exec || (SHELL_LANGS.has(lang) && !marks.copy);
    if (!runnable && !marks.copy) return `<div class="code-block language-${md.utils.escapeHtml(lang)}">${html}</div>\n`;
    const command = marks.exec ? t.content.replace(/\n+$/, "").replace(/\n\s*\n/g, "\n") : blockCommand(lang, t.content);
    if (!command) return `<div class="code-block language-${md.utils.escapeHtml(lang)}">${html}</div>\n`;
    const buttons = (runnable ? '<button class="run" data-action="run">Run</button>' : "") + '<button class="copy" data-action="copy">Copy</button>';
    return `<div class="code-block command language-${md.utils.escapeHtml(lang)}" data-command="${md.utils.escapeHtml(command)}"><div class="code-actions">${buttons}</div>${html}</div>\n`;
  };
}
