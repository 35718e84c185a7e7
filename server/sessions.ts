// Learner sessions: one browser profile = one session = one cluster, one
// terminal and its progress. A session's files live in a private 0700
// directory (kubeconfig, thin-client socket, shell rcfile, history, HOME).
// After a server restart the cookie maps back to the same session id and
// progress; the cluster is rebuilt fresh (`restored` tells the UI to say so).

import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { ProgressStore } from "../src/progress/store.ts";
import { LabClock } from "../src/utils/clock.ts";
import type { CommandIO } from "../src/utils/command.ts";
import { ExecBridge, type ExecRequest } from "./exec.ts";
import { writeKubeconfig } from "./kubeconfig.ts";
import type { CommandEvent, GraderWatch, Lab, LabCluster } from "./lab.ts";
import { type ClusterPicture, watchPicture } from "./picture.ts";
import { type SandboxOptions, sandboxSpawn } from "./sandbox.ts";
import { randomToken } from "./security.ts";
import { HISTORY_COMMAND, type ShellFiles, writeShellFiles } from "./shell.ts";
import { type FlowOptions, type SpawnOptions, Terminal } from "./terminal.ts";
import type { ThinClient } from "./thin-client.ts";

export type LiveEvent =
  | { type: "step"; lesson: string; step: string; done: boolean; message?: string }
  | { type: "picture"; picture: ClusterPicture }
  | { type: "cluster"; state: "resetting" | "ready"; generation: number }
  | { type: "clock"; speed: number; now: number }
  | { type: "command"; command: CommandEvent };

export interface SessionManagerOptions {
  lab: Lab;
  store: ProgressStore;
  /** Private (0700) directory holding one subdirectory per session. */
  runtimeDir: string;
  thinClient: ThinClient;
  flow?: FlowOptions;
  log?: (msg: string) => void;
  /** Run each session's shell in bubblewrap (`kubelab serve --sandbox`). */
  sandbox?: SandboxOptions;
  /**
   * How long a new cluster looks as if it has been up: it is built on a clock
   * that far in the past and stepped to now before the session starts (0: none).
   */
  clusterAgeMs?: number;
}

/** Keep this many commands in memory for checks; the store keeps them all. */
const HISTORY_LIMIT = 2000;

export class Session {
  /** Proves a WebSocket init message comes from this session's page. */
  readonly terminalToken = randomToken();
  /** Proves a thin client runs in this session's shell. */
  readonly execToken = randomToken();
  readonly dir: string;
  readonly kubeconfig: string;
  readonly socketPath: string;
  readonly terminal: Terminal;
  clock: LabClock;
  cluster!: LabCluster;
  files!: ShellFiles;
  generation = 0;
  readonly history: CommandEvent[] = [];
  /** True when the session came back from the store after a restart with a new cluster. */
  restored = false;
  private readonly listeners = new Set<(e: LiveEvent) => void>();
  private exec!: ExecBridge;
  private picture: { stop(): void } | undefined;
  private lastPicture: ClusterPicture | undefined;
  private grading: GraderWatch | undefined;
  private gradedLesson: string | undefined;
  readonly steps = new Map<string, boolean>();

  constructor(
    readonly id: string,
    private readonly m: SessionManagerOptions,
  ) {
    this.dir = join(m.runtimeDir, id.slice(0, 16));
    this.kubeconfig = join(this.dir, "kubeconfig");
    this.socketPath = join(this.dir, "exec.sock");
    this.clock = this.newClock(1);
    this.terminal = new Terminal(() => this.spawnOptions(), m.flow);
  }

  /** Creates the directory, the cluster, the shell files and the exec socket. */
  async start(): Promise<void> {
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    await this.buildCluster();
    this.exec = new ExecBridge(this.socketPath, this.execToken, (req, io) => this.runCommand(req, io), this.m.log);
    await this.exec.listen();
  }

  get currentLesson(): string | undefined {
    return this.m.store.session(this.id)?.currentLesson ?? undefined;
  }

  subscribe(fn: (e: LiveEvent) => void): () => void {
    this.listeners.add(fn);
    if (this.lastPicture) fn({ type: "picture", picture: this.lastPicture });
    return () => void this.listeners.delete(fn);
  }

  emit(e: LiveEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        this.m.log?.(`live event listener: ${String(err)}`);
      }
    }
  }

  /**
   * Rebuilds the cluster from scratch. The shell keeps running (its
   * kubeconfig is rewritten in place); the current lesson's steps are reset,
   * because they described the cluster that is gone; other lessons keep theirs.
   */
  async reset(): Promise<void> {
    this.emit({ type: "cluster", state: "resetting", generation: this.generation });
    const lesson = this.currentLesson;
    this.stopCluster();
    if (lesson) this.m.store.resetLesson(this.id, lesson);
    const speed = this.clock.speed;
    this.clock.stop();
    this.clock = this.newClock(speed);
    await this.buildCluster();
    this.restored = false;
    if (lesson) this.selectLesson(lesson);
  }

  /** Starts checking a lesson's steps (the learner opened it). */
  selectLesson(lesson: string): void {
    this.m.store.setCurrentLesson(this.id, lesson);
    this.grading?.stop();
    this.grading = undefined;
    this.gradedLesson = lesson;
    this.steps.clear();
    for (const p of this.m.store.progress(this.id, lesson)) this.steps.set(p.step, true);
    const grader = this.m.lab.grader;
    if (!grader) return;
    this.grading = grader.watch({
      lesson,
      cluster: this.cluster,
      history: [...this.history],
      completed: [...this.steps.keys()],
      onStep: (step, done, message) => this.stepChanged(lesson, step, done, message),
    });
  }

  setSpeed(speed: number): void {
    this.clock.setSpeed(speed);
    this.emit({ type: "clock", speed, now: this.clock.now() });
  }

  /** Skips cluster time ahead; timers fire in order with the cluster settling between them. */
  async skip(ms: number): Promise<void> {
    await this.clock.jump(ms, () => this.settle());
    this.emit({ type: "clock", speed: this.clock.speed, now: this.clock.now() });
  }

  close(): void {
    this.grading?.stop();
    this.stopCluster();
    this.clock.stop();
    this.terminal.kill();
    this.exec?.close();
    this.listeners.clear();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private stepChanged(lesson: string, step: string, done: boolean, message?: string): void {
    if (this.gradedLesson !== lesson) return;
    // A finished step stays finished (progress is what the learner achieved,
    // even if they later delete the Deployment to try something else).
    if (!done && this.steps.get(step)) return;
    if (done && this.steps.get(step)) return;
    this.steps.set(step, done);
    if (done) this.m.store.markDone(this.id, lesson, step, Date.now());
    this.emit({ type: "step", lesson, step, done, ...(message ? { message } : {}) });
  }

  private newClock(speed: number): LabClock {
    return new LabClock({ speed, startMs: Date.now() - (this.m.clusterAgeMs ?? 0) });
  }

  private settle(): Promise<void> {
    return this.cluster?.settle?.() ?? Promise.resolve();
  }

  private async buildCluster(): Promise<void> {
    this.generation++;
    this.cluster = await this.m.lab.startCluster({ id: `${this.id.slice(0, 8)}-${this.generation}`, clock: this.clock, seed: this.generation });
    // The cluster was bootstrapped clusterAgeMs ago: play that time out (fast) before anyone looks.
    await this.clock.catchUp(() => this.settle());
    writeKubeconfig(this.kubeconfig, this.cluster.endpoint);
    this.files = writeShellFiles({ dir: this.dir, nodes: this.cluster.nodes, thinClient: this.m.thinClient });
    this.picture = watchPicture(this.cluster.client("system:kubelab-ui"), (picture) => {
      this.lastPicture = picture;
      this.emit({ type: "picture", picture });
    });
    this.emit({ type: "cluster", state: "ready", generation: this.generation });
  }

  private stopCluster(): void {
    this.grading?.stop();
    this.grading = undefined;
    this.picture?.stop();
    this.picture = undefined;
    this.lastPicture = undefined;
    this.cluster?.stop();
  }

  private spawnOptions(): SpawnOptions {
    const f = this.files;
    const env: Record<string, string> = {
      PATH: `${f.binDir}:${process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin"}`,
      HOME: f.home,
      USER: "root",
      LOGNAME: "root",
      SHELL: "/bin/bash",
      TERM: "xterm-256color",
      COLORTERM: "truecolor",
      LANG: process.env.LANG ?? "C.UTF-8",
      KUBECONFIG: this.kubeconfig,
      KUBELAB_NODE: "master",
      KUBELAB_SOCK: this.socketPath,
      KUBELAB_TOKEN: this.execToken,
      HISTFILE: f.histfile,
    };
    // Only what a shell needs: the server's own environment may hold secrets.
    const shell = { file: "bash", args: ["--rcfile", f.rcfile, "-i"], cwd: f.home, env };
    if (!this.m.sandbox) return shell;
    // The thin client lives outside the session directory (compiled once per server, or node + script).
    const tc = this.m.thinClient;
    const readOnly = tc.kind === "c" ? [tc.path] : [process.execPath, tc.path];
    return sandboxSpawn(shell, this.m.sandbox, { sessionDir: this.dir, hostname: this.cluster.nodes[0]?.name ?? "master", readOnly });
  }

  private async runCommand(req: ExecRequest, io: CommandIO): Promise<number> {
    const [name, ...args] = req.argv as [string, ...string[]];
    const node = req.env.KUBELAB_NODE || "master";
    if (name === HISTORY_COMMAND) {
      const [status, ...line] = args;
      this.record({ time: Date.now(), node, argv: [], exitCode: Number(status), line: line.join(" ") });
      return 0;
    }
    // The open lesson may pin behaviour (legacy `kubectl run`); the shell's own env wins.
    const lesson = this.currentLesson;
    const pinned = lesson ? (this.m.lab.lessons.env?.(lesson) ?? {}) : {};
    const run = this.cluster.run(name, args, { ...io, env: { ...pinned, ...io.env } }, node);
    if (!run) {
      io.stderr.write(`bash: ${name}: command not found\n`);
      return 127;
    }
    const code = await run;
    // TAB completion runs `kubectl __complete …`: shell plumbing, not something the learner ran.
    if (name === "kubectl" && args[0]?.startsWith("__complete")) return code;
    this.record({ time: Date.now(), node, argv: req.argv, exitCode: code });
    return code;
  }

  private record(ev: CommandEvent): void {
    this.history.push(ev);
    if (this.history.length > HISTORY_LIMIT) this.history.splice(0, this.history.length - HISTORY_LIMIT);
    this.m.store.addCommand(this.id, ev);
    this.grading?.command(ev);
    this.emit({ type: "command", command: ev });
  }
}

export class SessionManager {
  private readonly sessions = new Map<string, Promise<Session>>();

  constructor(private readonly options: SessionManagerOptions) {
    mkdirSync(options.runtimeDir, { recursive: true, mode: 0o700 });
  }

  /** A new session with a fresh id. */
  create(): Promise<Session> {
    const id = randomToken(16);
    this.options.store.createSession(id, Date.now());
    return this.open(id, false);
  }

  /** The live session for a stored id, rebuilding its cluster after a restart; undefined if unknown. */
  get(id: string): Promise<Session> | undefined {
    const live = this.sessions.get(id);
    if (live) return live;
    if (!this.options.store.session(id)) return undefined;
    return this.open(id, true);
  }

  /** Only sessions already running (WebSocket lookups must not start clusters). */
  running(id: string): Promise<Session> | undefined {
    return this.sessions.get(id);
  }

  async closeAll(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    for (const p of all) (await p.catch(() => undefined))?.close();
  }

  private open(id: string, restored: boolean): Promise<Session> {
    const s = new Session(id, this.options);
    s.restored = restored;
    const p = s.start().then(() => {
      const lesson = s.currentLesson;
      if (lesson) s.selectLesson(lesson);
      return s;
    });
    this.sessions.set(id, p);
    // A session whose cluster failed to start is forgotten so the next visit retries.
    p.catch(() => this.sessions.delete(id));
    return p;
  }
}
