// The lesson linter: everything loading reports (bad YAML, unknown keys and
// check kinds, unclosed containers) plus what makes a lesson untestable or
// confusing — a step without checks or without a runnable solution, a
// solution using a command the lab does not have, an unknown code language.
// Every problem has file:line. Runs without a cluster; the headless runner
// (runner.ts) proves the solutions.

import type { LessonProblem } from "./lesson.ts";
import { loadLessons } from "./loader.ts";
import { createLessonRenderer } from "./render.ts";

/** Commands a solution may use: kubectl, the node tools, and the shell built-ins the runner understands. */
export const SOLUTION_COMMANDS = new Set([
  "kubectl", "k", "ssh", "exit", "sleep", "systemctl", "journalctl", "crictl", "ip", "curl", "etcdctl", "hostname",
]);

export async function lintLessons(dir: string): Promise<LessonProblem[]> {
  const { lessons, errors } = loadLessons(dir);
  const problems = [...errors];
  const renderer = await createLessonRenderer();
  for (const lesson of lessons) {
    const at = (line: number, message: string, severity: LessonProblem["severity"] = "error") => problems.push({ file: lesson.file, line, message, severity });
    for (const step of lesson.steps) {
      if (step.checks.length === 0) at(step.line, `step "${step.title}" has no check (add a \`\`\`yaml check block)`);
      if (!step.solution) at(step.line, `step "${step.title}" has no ::: solution (the headless test needs one)`);
      else if (step.solution.commands.length === 0) at(step.solution.line, `the solution of "${step.title}" has no shell code block to run`);
      for (const cmd of step.solution?.commands ?? []) {
        const word = cmd.split(/\s+/)[0]!;
        if (!SOLUTION_COMMANDS.has(word)) at(step.solution!.line, `solution command "${word}" is not one the lab runs (${[...SOLUTION_COMMANDS].join(", ")})`, "warning");
      }
      if (step.hints.length === 0) at(step.line, `step "${step.title}" has no ::: hint`, "warning");
    }
    for (const item of lesson.setup) {
      if ("run" in item && /\bcreate\b/.test(item.run) && !item.unless) at(item.line, "a setup `run` that creates something should have `unless`, or a learner who already made it gets an error", "warning");
    }
    problems.push(...renderer.renderLesson(lesson).warnings);
  }
  return problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}
