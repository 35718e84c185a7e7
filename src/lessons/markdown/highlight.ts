// Syntax highlighting with shiki. The highlighter is created once per renderer
// (loading grammars is the slow part) with the few languages lessons use; an
// unknown language is shown as plain text and reported as a warning with its
// file line, instead of failing the page.

import type MarkdownIt from "markdown-it";
import { createHighlighter, type Highlighter } from "shiki";
import { fenceMarks } from "../commands.ts";
import type { RenderEnv } from "./env.ts";

export const LANGS = ["bash", "shell", "console", "yaml", "json"] as const;
/** Reads well on the light lesson pane. */
export const THEME = "github-light";
const PLAIN = new Set(["", "text", "plain", "txt", "output"]);

export function createLessonHighlighter(): Promise<Highlighter> {
  return createHighlighter({ themes: [THEME], langs: [...LANGS] });
}

export function highlightPlugin(md: MarkdownIt, highlighter: Highlighter): void {
  const known = new Set(highlighter.getLoadedLanguages());
  md.renderer.rules.fence = (tokens, idx, _options, env: RenderEnv) => {
    const t = tokens[idx]!;
    let lang = fenceMarks(t.info).lang;
    if (PLAIN.has(lang)) lang = "text";
    else if (!known.has(lang)) {
      env.warnings?.push({ line: (env.line ?? 1) + (t.map?.[0] ?? 0), message: `unknown code language "${lang}", shown as plain text (known: ${LANGS.join(", ")}, text)` });
      lang = "text";
    }
    return highlighter.codeToHtml(t.content.replace(/\n$/, ""), { lang, theme: THEME }) + "\n";
  };
}
