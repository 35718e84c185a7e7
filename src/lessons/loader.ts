// Loads the workbook: every folder under lessons/ holding an index.md is a
// lesson. A broken lesson gives problems with file:line and is left out; the
// others still load. Lessons come back sorted by `order`.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { Lesson, LessonProblem } from "./lesson.ts";
import { normalizeKillercodaFences } from "./markdown/killercoda.ts";
import { validateFrontMatter } from "./schema.ts";
import { splitBody } from "./steps.ts";
import { parseEmbeddedYaml } from "./yaml-lines.ts";

export interface LoadResult {
  lessons: Lesson[];
  /** Errors and warnings, every one with file and line. */
  errors: LessonProblem[];
}

/** Parses one lesson file's text. `lesson` is undefined when it has errors. */
export function parseLesson(file: string, text: string, dir: string, files: string[] = []): { lesson?: Lesson; problems: LessonProblem[] } {
  const problems: LessonProblem[] = [];
  const src = normalizeKillercodaFences(text.replace(/\r\n/g, "\n"));
  const lines = src.split("\n");
  if (lines[0]?.trim() !== "---") {
    return { problems: [{ file, line: 1, message: "a lesson starts with YAML front matter between --- lines", severity: "error" }] };
  }
  const end = lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l));
  if (end < 0) return { problems: [{ file, line: 1, message: "front matter is not closed (add a --- line after it)", severity: "error" }] };
  const y = parseEmbeddedYaml(lines.slice(1, end).join("\n"), 2);
  for (const e of y.errors) problems.push({ file, line: e.line, message: `bad YAML in front matter: ${e.message}`, severity: "error" });
  const fm = y.errors.length ? undefined : validateFrontMatter(y, file, problems);
  const body = splitBody(lines.slice(end + 1).join("\n"), end + 2, file, problems);
  if (body.steps.length === 0) problems.push({ file, line: end + 2, message: "a lesson has at least one `## Step: Title` section", severity: "error" });
  if (!fm || problems.some((p) => p.severity === "error")) return { problems };
  return {
    lesson: { ...fm, file, dir, files, intro: body.intro, steps: body.steps, finish: body.finish },
    problems,
  };
}

function listFiles(dir: string, root = dir): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith(".")) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p, root));
    else out.push(relative(root, p));
  }
  return out;
}

/** Loads every lesson folder under `dir`. Never throws for a bad lesson. */
export function loadLessons(dir: string): LoadResult {
  const lessons: Lesson[] = [];
  const errors: LessonProblem[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch (e) {
    return { lessons, errors: [{ file: dir, line: 1, message: `cannot read lessons folder: ${(e as Error).message}`, severity: "error" }] };
  }
  for (const name of entries) {
    const folder = join(dir, name);
    const file = join(folder, "index.md");
    try {
      if (!statSync(folder).isDirectory()) continue;
      statSync(file);
    } catch {
      continue;
    }
    const { lesson, problems } = parseLesson(file, readFileSync(file, "utf8"), folder, listFiles(folder).filter((f) => f !== "index.md"));
    errors.push(...problems);
    if (lesson) {
      if (lesson.id !== name) errors.push({ file, line: 2, message: `id "${lesson.id}" differs from the folder name "${name}"`, severity: "warning" });
      const dup = lessons.find((l) => l.id === lesson.id);
      if (dup) errors.push({ file, line: 2, message: `id "${lesson.id}" is also used by ${dup.file}`, severity: "error" });
      else lessons.push(lesson);
    }
  }
  lessons.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  return { lessons, errors };
}
