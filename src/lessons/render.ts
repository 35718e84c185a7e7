// Renders lessons to HTML with markdown-it. All plugins are assembled in one
// function (createMarkdown), one plugin per file under markdown/, each place
// in the order with its reason, as vitepress does. Shiki is created once per
// renderer; rendered lessons are cached per lesson object.

import MarkdownIt from "markdown-it";
import type { Highlighter } from "shiki";
import type { Lesson, LessonProblem, Source } from "./lesson.ts";
import { anchorsPlugin } from "./markdown/anchors.ts";
import { codeBlocksPlugin } from "./markdown/code-blocks.ts";
import { containersPlugin } from "./markdown/containers.ts";
import type { RenderEnv } from "./markdown/env.ts";
import { frontmatterPlugin } from "./markdown/frontmatter.ts";
import { createLessonHighlighter, highlightPlugin } from "./markdown/highlight.ts";
import { killercodaPlugin } from "./markdown/killercoda.ts";

export interface RenderedStep {
  id: string;
  title: string;
  html: string;
  /** Progressive hints, each as HTML. */
  hints: string[];
  solution?: { html: string; commands: string[] };
}

export interface RenderedLesson {
  id: string;
  title: string;
  description: string;
  /** The intro (text before the first step). */
  html: string;
  steps: RenderedStep[];
  /** The closing section, if any. */
  finishHtml?: string;
  /** Rendering warnings (unknown code languages…), with file lines. */
  warnings: LessonProblem[];
}

export function createMarkdown(highlighter: Highlighter): MarkdownIt {
  // html: lessons may use <details>, <kbd>, <br> as Killercoda scenarios do; the authors are trusted.
  const md = new MarkdownIt({ html: true, linkify: true, typographer: false });
  // 1. Front matter first: nothing else should see the YAML as markdown.
  md.use(frontmatterPlugin);
  // 2. Killercoda marks next: its ```{{exec}} closers must be fixed before block parsing finds fences.
  md.use(killercodaPlugin);
  // 3. Containers before anchors: headings inside a ::: box still get ids (container only adds block rules).
  md.use(containersPlugin);
  // 4. Anchors: a core rule over the finished heading tokens.
  md.use(anchorsPlugin);
  // 5. Highlighting replaces the fence renderer…
  highlightPlugin(md, highlighter);
  // 6. …and the Run/Copy wrapper must come after it, because it wraps the highlighted <pre>.
  md.use(codeBlocksPlugin);
  return md;
}

export interface LessonRenderer {
  /** Rendered once per lesson object, then cached. */
  renderLesson(lesson: Lesson): RenderedLesson;
  /** Any markdown (a preview, a page outside the workbook). */
  renderMarkdown(source: Source, file?: string): { html: string; warnings: LessonProblem[] };
}

/** Creates the highlighter (the slow part, ~100 ms) and the markdown-it instance once. */
export async function createLessonRenderer(): Promise<LessonRenderer> {
  const md = createMarkdown(await createLessonHighlighter());
  const cache = new WeakMap<Lesson, RenderedLesson>();

  const renderMarkdown = (source: Source, file = "lesson.md") => {
    const env: RenderEnv = { line: source.line, warnings: [] };
    const html = md.render(source.markdown, env);
    return { html, warnings: (env.warnings ?? []).map((w) => ({ file, line: w.line, message: w.message, severity: "warning" as const })) };
  };

  return {
    renderMarkdown,
    renderLesson(lesson) {
      const hit = cache.get(lesson);
      if (hit) return hit;
      const warnings: LessonProblem[] = [];
      const r = (s: Source) => {
        const out = renderMarkdown(s, lesson.file);
        warnings.push(...out.warnings);
        return out.html;
      };
      const rendered: RenderedLesson = {
        id: lesson.id,
        title: lesson.title,
        description: lesson.description,
        html: r(lesson.intro),
        steps: lesson.steps.map((s) => ({
          id: s.id,
          title: s.title,
          html: r(s.body),
          hints: s.hints.map(r),
          solution: s.solution ? { html: r(s.solution), commands: s.solution.commands } : undefined,
        })),
        finishHtml: lesson.finish ? r(lesson.finish) : undefined,
        warnings,
      };
      cache.set(lesson, rendered);
      return rendered;
    },
  };
}
