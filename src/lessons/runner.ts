// The headless lesson test: for every lesson, on a fresh cluster, run its
// setup, then for each step assert that its checks fail, run its solution
// as a learner would (each command reported to the checker), let cluster time
// pass (bounded) and assert that its checks pass. This is what proves a lesson
// before a learner meets it. `kubelab test-lessons DIR` and the vitest suite
// both call testLessons; the cluster comes from a factory so this file needs
// no particular cluster implementation.

import { createChecker, type StepStatus } from "../grading/checker.ts";
import { evaluateCheck } from "../grading/evaluate.ts";
import type { CheckResult, UnitSource } from "../grading/types.ts";
import type { Client } from "../client/interface.ts";
import { captureIO, type CommandIO } from "../utils/command.ts";
import type { Lesson, LessonProblem } from "./lesson.ts";
import { formatProblem } from "./lesson.ts";
import { loadLessons } from "./loader.ts";
import { runSetup } from "./setup.ts";
import { runLine, type ShellDeps } from "./shell.ts";

/** A fresh cluster for one lesson, driven in process with a stepped clock. */
export interface LessonCluster {
  client: Client;
  hosts: Iterable<UnitSource>;
  /** Cluster time, ms. */
  now(): number;
  /** Runs kubectl or a node tool on a node. */
  exec(argv: string[], node: string, io: CommandIO): Promise<number>;
  resolveNode(target: string): string | undefined;
  /** Moves cluster time forward and lets the control plane settle. */
  advance(ms: number): Promise<void>;
  stop(): void;
}

export type ClusterFactory = (lesson: Lesson) => Promise<LessonCluster>;

export interface StepResult {
  id: string;
  title: string;
  /** The checks failed before the solution ran (as they must). */
  failedBefore: boolean;
  /** The checks passed after the solution (and waiting). */
  passedAfter: boolean;
  /** The learner-facing message when a check did not pass. */
  message?: string;
  /** Cluster time waited after the solution, ms. */
  waitedMs: number;
  /** Solution commands and their output. */
  transcript: string;
}

export interface LessonResult {
  id: string;
  file: string;
  ok: boolean;
  setupError?: string;
  steps: StepResult[];
}

export interface RunnerOptions {
  /** Longest cluster time to wait for a step after its solution (default 15 min). */
  maxWaitMs?: number;
  /** Clock step while waiting (default 1 s). */
  tickMs?: number;
}

function shellFor(cluster: LessonCluster, lesson: Lesson, onCommand?: ShellDeps["onCommand"]): ShellDeps {
  const speed = lesson.cluster.clockSpeed ?? 1;
  return {
    exec: (argv, node, io) => cluster.exec(argv, node, io),
    resolveNode: (t) => cluster.resolveNode(t),
    // `sleep N` in a solution is N seconds of the learner's time: N × speed of cluster time.
    sleep: (s) => cluster.advance(s * 1000 * speed),
    onCommand,
  };
}

/** The environment a learner's shell has for this lesson. */
export function lessonEnv(lesson: Lesson): Record<string, string> {
  return lesson.cluster.legacyKubectlRun ? { KUBELAB_KUBECTL_LEGACY_RUN: "1" } : {};
}

export async function testLesson(lesson: Lesson, makeCluster: ClusterFactory, options: RunnerOptions = {}): Promise<LessonResult> {
  const maxWait = options.maxWaitMs ?? 15 * 60_000;
  const tick = options.tickMs ?? 1000;
  const cluster = await makeCluster(lesson);
  const result: LessonResult = { id: lesson.id, file: lesson.file, ok: false, steps: [] };
  const env = lessonEnv(lesson);
  try {
    const setup = await runSetup(lesson, {
      client: cluster.client,
      shell: shellFor(cluster, lesson),
      env,
      wait: async (check, timeoutMs) => {
        const ctx = { client: cluster.client, commands: [], units: [], snapshot: new Map() };
        let r: CheckResult = await evaluateCheck(check, ctx);
        for (let waited = 0; !r.passed && waited < timeoutMs; waited += tick) {
          await cluster.advance(tick);
          r = await evaluateCheck(check, ctx);
        }
        return r;
      },
    });
    if (!setup.ok) {
      result.setupError = setup.error;
      return result;
    }
    const statuses = new Map<string, StepStatus>();
    const checker = createChecker({ lesson, client: cluster.client, hosts: cluster.hosts, onStatus: (s) => statuses.set(s.stepId, s) });
    await checker.start();
    const shell = shellFor(cluster, lesson, (argv, node, exitCode) => checker.reportCommand({ argv, node, exitCode, time: cluster.now() }));
    for (const step of lesson.steps) {
      await checker.idle();
      const before = statuses.get(step.id);
      const sr: StepResult = {
        id: step.id,
        title: step.title,
        failedBefore: checker.currentStep() === step.id && before?.passed === false,
        passedAfter: false,
        waitedMs: 0,
        transcript: "",
      };
      if (!sr.failedBefore) sr.message = checker.currentStep() === step.id ? "passed before its solution ran" : `not the current step (current: ${checker.currentStep() ?? "none"})`;
      const state = { node: "master", env };
      for (const line of step.solution?.commands ?? []) {
        const io = captureIO({ env });
        const prompt = `${state.node}$ ${line}\n`;
        const code = await runLine(line, state, shell, io);
        sr.transcript += `${prompt}${io.out()}${io.err()}${code ? `[exit ${code}]\n` : ""}`;
      }
      await checker.idle();
      while (!statuses.get(step.id)?.passed && sr.waitedMs < maxWait) {
        await cluster.advance(tick);
        sr.waitedMs += tick;
        await checker.check();
      }
      sr.passedAfter = statuses.get(step.id)?.passed === true;
      if (!sr.passedAfter) sr.message = statuses.get(step.id)?.message ?? "did not pass";
      result.steps.push(sr);
    }
    checker.stop();
    result.ok = result.steps.every((s) => s.failedBefore && s.passedAfter);
    return result;
  } finally {
    cluster.stop();
  }
}

export interface TestLessonsResult {
  ok: boolean;
  loadErrors: LessonProblem[];
  lessons: LessonResult[];
}

/** Loads every lesson under `dir` and tests each one on its own fresh cluster. */
export async function testLessons(dir: string, makeCluster: ClusterFactory, options: RunnerOptions & { only?: string } = {}): Promise<TestLessonsResult> {
  const { lessons, errors } = loadLessons(dir);
  const results: LessonResult[] = [];
  for (const l of lessons) if (!options.only || l.id === options.only) results.push(await testLesson(l, makeCluster, options));
  const loadErrors = errors.filter((e) => e.severity === "error");
  return { ok: loadErrors.length === 0 && results.every((r) => r.ok), loadErrors, lessons: results };
}

/** A report for the terminal: one line per step, details for failures, and a closing count. */
export function formatReport(r: TestLessonsResult): string {
  const out: string[] = [];
  for (const e of r.loadErrors) out.push(formatProblem(e));
  let passed = 0;
  let failed = 0;
  for (const l of r.lessons) {
    if (l.setupError) {
      failed++;
      out.push(`✗ ${l.id}: setup failed: ${l.setupError}`);
      continue;
    }
    for (const s of l.steps) {
      const ok = s.failedBefore && s.passedAfter;
      if (ok) passed++;
      else failed++;
      out.push(`${ok ? "✓" : "✗"} ${l.id} › ${s.id}${ok ? ` (${(s.waitedMs / 1000).toFixed(0)}s)` : `: ${s.message}`}`);
      if (!ok && s.transcript) out.push(s.transcript.replace(/^/gm, "    ").trimEnd());
    }
  }
  out.push(`${passed} passed, ${failed + r.loadErrors.length} failed`);
  return out.join("\n");
}
