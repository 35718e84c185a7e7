// What the web server needs from the rest of kubelab, in one place: a way to
// start a session's cluster (with its API endpoint and its commands), the
// lesson catalog, and the grader. server/wiring.ts builds the real one from
// src/; tests pass small fakes. Nothing else in server/ imports the cluster.

import type { Client } from "../src/client/interface.ts";
import type { LabClock } from "../src/utils/clock.ts";
import type { CommandIO } from "../src/utils/command.ts";

export interface NodeInfo {
  name: string;
  /** InternalIP; `ssh 172.30.1.2` works as well as `ssh master`. */
  ip: string;
}

/** The connection a kubeconfig needs for one session's cluster. */
export interface ClusterEndpoint {
  /** https://127.0.0.1:<apiPort>/clusters/<id> */
  server: string;
  /** PEM of the CA that signed the API server's certificate. */
  ca: string;
  /** Bearer token valid for this cluster only. */
  token: string;
}

/** One running cluster, owned by one session. */
export interface LabCluster {
  readonly nodes: NodeInfo[];
  readonly endpoint: ClusterEndpoint;
  /** An in-process client (the UI's cluster picture, the grader). */
  client(user: string): Client;
  /**
   * Runs a lab command (kubectl, systemctl, crictl…) as if on `node`.
   * Returns undefined when there is no such command, so the caller prints
   * bash's "command not found".
   */
  run(name: string, argv: string[], io: CommandIO, node: string): Promise<number> | undefined;
  /** Resolves when the cluster's components have no work in flight (after its clock steps). */
  settle?(): Promise<void>;
  /** Stops every component and timer and unregisters the API endpoint. */
  stop(): void;
}

export interface LessonSummary {
  id: string;
  title: string;
}

export interface LessonStep {
  id: string;
  title: string;
  /** The step's text as HTML (command blocks carry data-command and Run/Copy buttons with data-action). */
  html?: string;
  /** Progressive hints, as HTML. */
  hints?: string[];
  solution?: { html: string; commands: string[] };
}

export interface RenderedLesson extends LessonSummary {
  description?: string;
  /** The intro; command blocks carry data-command and buttons with data-action="run"|"copy". */
  html: string;
  steps: LessonStep[];
  finishHtml?: string;
  /** Clock speed the lesson asks for (1 when absent). */
  speed?: number;
}

export interface LessonCatalog {
  list(): Promise<LessonSummary[]>;
  get(id: string): Promise<RenderedLesson | undefined>;
  /**
   * Environment a lesson pins for the commands run while it is open, e.g.
   * KUBELAB_KUBECTL_LEGACY_RUN=1 for the seed's `kubectl run --replicas`.
   */
  env?(id: string): Record<string, string>;
}

/** A command the learner ran, as checks see it. */
export interface CommandEvent {
  time: number;
  node: string;
  argv: string[];
  exitCode: number | null;
  /** The whole line typed at the prompt (from the shell's history hook). */
  line?: string;
}

export interface GraderWatch {
  /** Tell the checker about a command the learner ran (it may complete a step). */
  command(ev: CommandEvent): void;
  stop(): void;
}

export interface Grader {
  /**
   * Prepares the lesson on the cluster (its setup) and starts checking its
   * steps; calls onStep whenever
   * a step's status changes (and once per step at start).
   */
  watch(options: {
    lesson: string;
    cluster: LabCluster;
    history: CommandEvent[];
    /** Steps finished in an earlier visit (from the progress store). */
    completed: string[];
    /** `message`: why the step is not done yet (the first failing check). */
    onStep(step: string, done: boolean, message?: string): void;
  }): GraderWatch;
}

export interface Lab {
  startCluster(options: { id: string; clock: LabClock; seed: number }): Promise<LabCluster>;
  lessons: LessonCatalog;
  grader?: Grader;
}
