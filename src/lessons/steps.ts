// Splits a lesson body into intro, steps and closing text. A step is a
// `## Step: Title {#id}` section; inside it, `::: hint` containers (in order),
// one `::: solution` container and ```yaml check``` blocks are taken out of the
// text and kept apart, so the page shows them as hints, a solution and a live
// status rather than as prose. Fences are tracked so `##` or `:::` inside a
// code block is never mistaken for structure.

import type { Check } from "../grading/types.ts";
import { blockCommand, commandLines, fenceMarks, SHELL_LANGS } from "./commands.ts";
import type { LessonProblem, LessonStep, Source } from "./lesson.ts";
import { checkAt } from "./schema.ts";
import { parseEmbeddedYaml } from "./yaml-lines.ts";

interface Line {
  text: string;
  /** File line, 1-based. */
  n: number;
  /** Inside a fenced code block (the fence lines themselves included). */
  fenced: boolean;
}

function markFences(lines: { text: string; n: number }[]): Line[] {
  let open: string | undefined;
  return lines.map((l) => {
    const m = /^\s*(`{3,}|~{3,})(.*)$/.exec(l.text);
    if (!open) {
      if (m && !(m[1]![0] === "`" && m[2]!.includes("`"))) {
        open = m[1]!;
        return { ...l, fenced: true };
      }
      return { ...l, fenced: false };
    }
    if (m && m[1]![0] === open[0] && m[1]!.length >= open.length && !m[2]!.trim()) open = undefined;
    return { ...l, fenced: true };
  });
}

const STEP_HEADING = /^##\s+Step(?:\s+\d+)?\s*:\s*(.+?)\s*(?:\{#([A-Za-z0-9_-]+)\})?\s*$/;
const H2 = /^##\s+\S/;

export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/`/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
}

function source(lines: Line[], fallbackLine: number): Source {
  return { markdown: lines.map((l) => l.text).join("\n").replace(/^\n+|\n+$/g, ""), line: firstNonBlank(lines) ?? fallbackLine };
}

function firstNonBlank(lines: Line[]): number | undefined {
  return lines.find((l) => l.text.trim())?.n;
}

/** Commands of the shell (or {{exec}}) code blocks in a solution's markdown. */
export function solutionCommands(markdown: string): string[] {
  const out: string[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*(`{3,}|~{3,})(.*)$/.exec(lines[i]!);
    if (!m) continue;
    const marks = fenceMarks(m[2]!);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const c = /^\s*(`{3,}|~{3,})\s*$/.exec(lines[j]!);
      if (c && c[1]![0] === m[1]![0] && c[1]!.length >= m[1]!.length) break;
      body.push(lines[j]!);
    }
    if (SHELL_LANGS.has(marks.lang) || marks.exec) out.push(...commandLines(blockCommand(marks.lang, body.join("\n"))));
    i = j;
  }
  return out;
}

function parseStep(title: string, explicitId: string | undefined, heading: Line, lines: Line[], file: string, problems: LessonProblem[]): LessonStep {
  const body: Line[] = [];
  const hints: Source[] = [];
  let solution: LessonStep["solution"];
  const checks: Check[] = [];
  let fenceOpen: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const fence = /^\s*(`{3,}|~{3,})(.*)$/.exec(l.text);
    if (fenceOpen) {
      if (fence && fence[1]![0] === fenceOpen[0] && fence[1]!.length >= fenceOpen.length && !fence[2]!.trim()) fenceOpen = undefined;
      body.push(l);
      continue;
    }
    const container = /^(:{3,})\s*(hint|solution)\b\s*(.*)$/.exec(l.text);
    if (container) {
      // Collect to the matching closer, counting nested containers.
      let depth = 1;
      let j = i + 1;
      for (; j < lines.length; j++) {
        const x = lines[j]!;
        if (x.fenced) continue;
        if (/^:{3,}\s*\S/.test(x.text)) depth++;
        else if (/^:{3,}\s*$/.test(x.text) && --depth === 0) break;
      }
      if (j >= lines.length) problems.push({ file, line: l.n, message: `::: ${container[2]} is not closed (add a line with :::)`, severity: "error" });
      const inner = lines.slice(i + 1, j);
      const src = source(inner, l.n + 1);
      if (container[2] === "hint") hints.push(src);
      else if (solution) problems.push({ file, line: l.n, message: "a step has one ::: solution", severity: "error" });
      else solution = { ...src, commands: solutionCommands(src.markdown) };
      i = j;
      continue;
    }
    if (fence && fenceMarks(fence[2]!).check) {
      let j = i + 1;
      while (j < lines.length && !/^\s*(`{3,}|~{3,})\s*$/.test(lines[j]!.text)) j++;
      const text = lines.slice(i + 1, j).map((x) => x.text).join("\n");
      const y = parseEmbeddedYaml(text, l.n + 1);
      for (const e of y.errors) problems.push({ file, line: e.line, message: `bad YAML in check block: ${e.message}`, severity: "error" });
      if (!y.errors.length) {
        const raw = y.value;
        if (raw === null || raw === undefined) problems.push({ file, line: l.n, message: "empty check block", severity: "error" });
        const list = Array.isArray(raw) ? raw : raw === null || raw === undefined ? [] : [raw];
        list.forEach((item: unknown, k: number) => {
          const c = checkAt(item, y, Array.isArray(raw) ? [k] : [], file, problems);
          if (c) checks.push(c);
        });
      }
      i = j;
      continue;
    }
    if (fence && !(fence[1]![0] === "`" && fence[2]!.includes("`"))) fenceOpen = fence[1]!;
    body.push(l);
  }
  return { id: explicitId ?? slug(title), title, line: heading.n, body: source(body, heading.n + 1), hints, solution, checks };
}

export interface SplitBody {
  intro: Source;
  steps: LessonStep[];
  finish?: Source;
}

/** Splits a body whose first line is file line `firstLine`. */
export function splitBody(body: string, firstLine: number, file: string, problems: LessonProblem[]): SplitBody {
  const lines = markFences(body.split("\n").map((text, i) => ({ text, n: firstLine + i })));
  const intro: Line[] = [];
  const finish: Line[] = [];
  const steps: LessonStep[] = [];
  let cur: { title: string; id?: string; heading: Line; lines: Line[] } | undefined;
  let inFinish = false;
  const flush = () => {
    if (cur) steps.push(parseStep(cur.title, cur.id, cur.heading, cur.lines, file, problems));
    cur = undefined;
  };
  for (const l of lines) {
    const step = l.fenced ? null : STEP_HEADING.exec(l.text);
    if (step) {
      if (inFinish) problems.push({ file, line: l.n, message: "a step after the closing section: put every `## Step:` before other `##` headings", severity: "error" });
      flush();
      cur = { title: step[1]!, id: step[2], heading: l, lines: [] };
      continue;
    }
    if (!l.fenced && H2.test(l.text) && (cur || inFinish || steps.length > 0)) {
      flush();
      inFinish = true;
    }
    if (cur) cur.lines.push(l);
    else if (inFinish) finish.push(l);
    else intro.push(l);
  }
  flush();
  const seen = new Map<string, number>();
  for (const s of steps) {
    if (seen.has(s.id)) problems.push({ file, line: s.line, message: `duplicate step id "${s.id}" (also on line ${seen.get(s.id)}); add {#other-id} to the heading`, severity: "error" });
    seen.set(s.id, s.line);
  }
  return { intro: source(intro, firstLine), steps, finish: finish.length ? source(finish, finish[0]!.n) : undefined };
}
