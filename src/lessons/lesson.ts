// The lesson model: what loading a lesson folder produces and what rendering,
// the checker, the headless runner and the server read. A lesson is one
// markdown file (front matter + intro + `## Step:` sections + an optional
// closing section) plus any files it hands to the learner.

import type { Check } from "../grading/types.ts";

/** Markdown with the file line it starts on (1-based), so problems point into the file. */
export interface Source {
  markdown: string;
  line: number;
}

export interface ClusterOptions {
  /** Kubernetes version the emulated cluster reports, e.g. "v1.32.4". */
  version?: string;
  /** How fast cluster time runs compared to wall time (1 = real time). */
  clockSpeed?: number;
  /** `kubectl run --replicas=N` creates a Deployment, as kubectl ≤1.17 did. */
  legacyKubectlRun?: boolean;
}

/**
 * One setup action, run before the lesson starts so it also works on its own:
 * - `run`: shell commands (kubectl, node tools), skipped when `unless` passes;
 * - `apply`: an object created when it does not exist yet;
 * - `wait`: a check to wait for (the server waits in cluster time, the headless
 *   runner advances its clock).
 */
export type SetupItem =
  | { run: string; unless?: Check; node?: string; line: number }
  | { apply: Record<string, unknown>; line: number }
  | { wait: Check; timeoutSeconds?: number; line: number };

export interface LessonStep {
  /** From `{#id}` after the title, or the title slugged. */
  id: string;
  title: string;
  /** The heading's line. */
  line: number;
  /** The step's text, without its hint, solution and check blocks. */
  body: Source;
  /** Progressive hints, first to last. */
  hints: Source[];
  solution?: Source & {
    /** Shell command lines the headless test runs (continuations joined, comments dropped). */
    commands: string[];
  };
  checks: Check[];
}

export interface Lesson {
  id: string;
  title: string;
  description: string;
  order: number;
  /** Minutes a learner needs, roughly. */
  duration?: number;
  cluster: ClusterOptions;
  setup: SetupItem[];
  /** The lesson's index.md. */
  file: string;
  /** The lesson folder. */
  dir: string;
  /** Other files in the folder, relative to it (handed to the learner). */
  files: string[];
  intro: Source;
  steps: LessonStep[];
  /** Text after the last step (a `## ` heading that is not a step). */
  finish?: Source;
}

/** A problem in a lesson file, with where it is. */
export interface LessonProblem {
  file: string;
  line: number;
  message: string;
  severity: "error" | "warning";
}

export function formatProblem(p: LessonProblem): string {
  return `${p.file}:${p.line}: ${p.severity === "warning" ? "warning: " : ""}${p.message}`;
}
