// The per-session, per-lesson checker: watches what the step's checks read
// (cluster objects, the learner's commands, unit changes on the nodes) and
// re-evaluates the current step whenever any of it changes. Steps complete in
// order, as on Killercoda: only the first incomplete step is evaluated, so a
// later step's state check cannot turn green before its turn. A completed step
// stays completed (the server persists it through onComplete). Commands and
// unit changes count from the moment their step became current: "do it now".

import type { Client, Watch } from "../client/interface.ts";
import type { Clock } from "../utils/clock.ts";
import { evaluateCheck, gvrFor, type PodSnapshot, takeSnapshot } from "./evaluate.ts";
import type { Check, CommandReport, UnitEvent, UnitSource } from "./types.ts";

export interface CheckerStep {
  id: string;
  checks: readonly Check[];
}

export interface StepStatus {
  stepId: string;
  passed: boolean;
  /** Why not yet (the first failing check's message). */
  message?: string;
}

export interface CheckerOptions {
  /** A Lesson (src/lessons) satisfies this. */
  lesson: { steps: readonly CheckerStep[] };
  client: Client;
  /** The nodes whose unit changes unit checks read (Cluster.hosts.values()). */
  hosts?: Iterable<UnitSource>;
  /** Steps already completed in an earlier visit (from src/progress). */
  completed?: Iterable<string>;
  /** Called whenever a step's result changes, and once per step the checker first evaluates. */
  onStatus(status: StepStatus): void;
  /** Called once when a step first passes: persist it. */
  onComplete?(stepId: string): void;
  /** Used to re-open a watch the server closed; without it a closed watch stays closed. */
  clock?: Clock;
}

export interface Checker {
  start(): Promise<void>;
  stop(): void;
  /** The server reports every command the learner runs. */
  reportCommand(report: CommandReport): void;
  /** Re-evaluate now (e.g. the learner pressed "Check"). Resolves when done. */
  check(): Promise<void>;
  /** Resolves when no evaluation is running or queued. */
  idle(): Promise<void>;
  statuses(): StepStatus[];
  /** The first incomplete step, or undefined when the lesson is done. */
  currentStep(): string | undefined;
}

export function createChecker(opts: CheckerOptions): Checker {
  const steps = opts.lesson.steps;
  const completed = new Set(opts.completed ?? []);
  const commands: CommandReport[] = [];
  const units: UnitEvent[] = [];
  const last = new Map<string, StepStatus>();
  const cleanups: (() => void)[] = [];
  let snapshot: PodSnapshot = new Map();
  let snapshotFor: string | undefined;
  // What the learner did counts from the moment its step became current.
  let commandsFrom = commands.length;
  let unitsFrom = 0;
  let running: Promise<void> | undefined;
  let dirty = false;
  let stopped = false;

  const current = () => steps.find((s) => !completed.has(s.id));

  const emit = (s: StepStatus) => {
    const prev = last.get(s.stepId);
    if (prev && prev.passed === s.passed && prev.message === s.message) return;
    last.set(s.stepId, s);
    opts.onStatus(s);
  };

  async function evaluateOnce(): Promise<void> {
    // Loop so that completing a step moves straight on to evaluating the next.
    for (;;) {
      const step = current();
      if (!step || stopped) return;
      if (snapshotFor !== step.id) {
        snapshotFor = step.id;
        commandsFrom = commands.length;
        unitsFrom = units.length;
        snapshot = await takeSnapshot(step.checks, opts.client);
      }
      let failed: StepStatus | undefined;
      for (const c of step.checks) {
        const r = await evaluateCheck(c, {
          client: opts.client,
          commands: commands.slice(commandsFrom),
          units: units.slice(unitsFrom),
          snapshot,
        });
        if (!r.passed) {
          failed = { stepId: step.id, passed: false, message: r.message };
          break;
        }
      }
      if (stopped) return;
      if (failed) {
        emit(failed);
        return;
      }
      completed.add(step.id);
      emit({ stepId: step.id, passed: true });
      opts.onComplete?.(step.id);
    }
  }

  // One evaluation at a time; changes that arrive meanwhile coalesce into one
  // more run, so a burst of watch events costs at most two evaluations.
  function poke(): Promise<void> {
    if (running) {
      dirty = true;
      return running;
    }
    running = (async () => {
      do {
        dirty = false;
        await evaluateOnce();
      } while (dirty && !stopped);
      running = undefined;
    })();
    return running;
  }

  function watchResource(resource: string): void {
    const gvr = gvrFor(resource);
    if (!gvr) return;
    let w: Watch | undefined;
    const open = () => {
      if (stopped) return;
      w = opts.client.resource(gvr).watch(undefined, {}, {
        onEvent: () => void poke(),
        onClose: () => {
          if (stopped || !opts.clock) return;
          // Reopen after a pause, as an informer's reflector would.
          const t = opts.clock.setTimer(1000, open);
          cleanups.push(() => t.cancel());
        },
      });
    };
    open();
    cleanups.push(() => w?.stop());
  }

  return {
    async start() {
      for (const s of steps) if (completed.has(s.id)) emit({ stepId: s.id, passed: true });
      const resources = new Set<string>();
      for (const s of steps) {
        for (const c of s.checks) {
          if (c.kind === "resource") resources.add(gvrFor(c.resource)?.resource ?? c.resource);
          if (c.kind === "pods" || c.kind === "replaced") resources.add("pods");
        }
      }
      for (const r of resources) watchResource(r);
      for (const h of opts.hosts ?? []) {
        cleanups.push(
          h.onUnitChange((u) => {
            units.push({ node: u.node, unit: u.unit, action: u.action, time: u.time });
            void poke();
          }),
        );
      }
      await poke();
    },
    stop() {
      stopped = true;
      for (const c of cleanups.splice(0)) c();
    },
    reportCommand(report) {
      commands.push(report);
      // Long sessions: keep the recent past, which is what checks look at.
      if (commands.length > 2000) {
        commands.splice(0, 1000);
        commandsFrom = Math.max(0, commandsFrom - 1000);
      }
      void poke();
    },
    check: () => poke(),
    async idle() {
      while (running) await running;
    },
    statuses: () => steps.map((s) => last.get(s.id) ?? { stepId: s.id, passed: completed.has(s.id) }),
    currentStep: () => current()?.id,
  };
}
