// containerd on one node, as the kubelet reaches it through the CRI
// RuntimeService and ImageService and as crictl prints it: pod sandboxes,
// containers with their states, attempts and logs, the image store and pulls
// that take time on the cluster clock. Containers belong to the runtime, not
// the kubelet: stopping the kubelet leaves them running, and their processes
// (src/cri/behaviour.ts) exit on their own timers.
// ExecSync runs the small command set of src/cri/exec.ts.
// Memory: a node runs ~110 pods and a large lab ~100,000, so the per-pod
// records are kept small: one PodRef shared by a pod's sandbox and
// containers, exact-size index arrays, shared process plans, and timers and
// waiters kept only while a process has some.
// Leaves out: namespaces other than k8s.io, snapshots, streaming exec and attach.

import type { Clock, Timer } from "../utils/clock.ts";
import type { Rand } from "../utils/rand.ts";
import { type ContainerSpecLike, type ProcessPlan, processPlan } from "./behaviour.ts";
import { type ExecResult, execSync, type PodIdentity } from "./exec.ts";
import { ImageStore, parseImageRef, profileOf, resolvable, resolveError, type StoredImage } from "./images.ts";

export type ContainerState = "CONTAINER_CREATED" | "CONTAINER_RUNNING" | "CONTAINER_EXITED";
export type SandboxState = "SANDBOX_READY" | "SANDBOX_NOTREADY";

/** The containerd version the kubelet reports as containerRuntimeVersion. */
export const CONTAINERD_VERSION = "1.7.28";

export interface PodRef {
  uid: string;
  name: string;
  namespace: string;
}

export interface PodSandbox {
  id: string;
  pod: PodRef;
  attempt: number;
  state: SandboxState;
  createdAt: number;
  /** The pod IP (the node IP for hostNetwork pods). */
  ip: string;
  hostNetwork: boolean;
}

export interface LogLine {
  time: number;
  stream: "stdout" | "stderr";
  text: string;
}

export interface Container {
  /** 64 hex digits; the kubelet reports containerd://<id>. */
  id: string;
  sandboxId: string;
  pod: PodRef;
  name: string;
  attempt: number;
  /** The normalised reference: docker.io/library/httpd:latest. */
  image: string;
  /** The image's repo digest: docker.io/library/httpd@sha256:… */
  imageRef: string;
  /** sha256:… config digest (crictl's IMAGE column). */
  imageId: string;
  state: ContainerState;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  /** Completed / Error, as the kubelet reports a terminated state. */
  reason?: string;
  logs: LogLine[];
}

export interface ContainerEvent {
  type: "started" | "exited";
  container: Container;
}

export type PullResult = { ok: true; image: StoredImage; durationMs: number } | { ok: false; error: string; durationMs: number };

export interface RuntimeOptions {
  node: string;
  clock: Clock;
  rand: Rand;
}

/** What a process is waiting on; kept only while there is something (a pause container has nothing once started). */
interface Pending {
  /** Timers not yet fired (a fired timer removes itself). */
  timers: Timer[];
  /** Called once when the process exits (stopContainer's callers wait on this). */
  onExit: (() => void)[];
}

/** The index holds sandboxes and containers together; only containers have a sandboxId. */
function isSandbox(x: PodSandbox | Container): x is PodSandbox {
  return !("sandboxId" in x);
}

export class ContainerRuntime {
  readonly node: string;
  readonly images = new ImageStore();
  /** False while containerd.service is stopped: CRI calls fail. */
  serving = true;
  private readonly sandboxes = new Map<string, PodSandbox>();
  private readonly containers = new Map<string, Container>();
  // A pod's sandboxes and containers by pod UID, in creation order: the
  // kubelet asks for one pod's at every sync, and a node runs ~110 pods.
  // One array per pod, not a Map or two arrays: a pod has two or three
  // entries, a Map costs ~150 bytes empty, and an array grown by push keeps
  // room for 17. Arrays are replaced, not grown, so each is exactly its size.
  private readonly byPod = new Map<string, (PodSandbox | Container)[]>();
  /** Each container's process plan, shared between containers where it can be (all pause containers have one). */
  private readonly processes = new Map<string, ProcessPlan>();
  private readonly pending = new Map<string, Pending>();
  private readonly listeners = new Set<(ev: ContainerEvent) => void>();
  private readonly logListeners = new Map<string, Set<(line: LogLine | undefined) => void>>();
  private readonly clock: Clock;
  private readonly rand: Rand;

  constructor(options: RuntimeOptions) {
    this.node = options.node;
    this.clock = options.clock;
    this.rand = options.rand;
  }

  // concat and slice make arrays of exactly their length; spread and filter
  // grow by push and keep room for ~17 entries (~150 bytes more).
  private index(x: PodSandbox | Container): void {
    const list = this.byPod.get(x.pod.uid);
    this.byPod.set(x.pod.uid, list ? list.concat([x]) : [x]);
  }

  private unindex(x: PodSandbox | Container): void {
    const list = this.byPod.get(x.pod.uid);
    const i = list ? list.indexOf(x) : -1;
    if (i < 0) return;
    if (list!.length === 1) this.byPod.delete(x.pod.uid);
    else this.byPod.set(x.pod.uid, list!.slice(0, i).concat(list!.slice(i + 1)));
  }

  /** A timer that belongs to the process: cancelled when it exits, forgotten once fired. */
  private processTimer(id: string, ms: number, fn: () => void): void {
    const t = this.clock.setTimer(ms, () => {
      const p = this.pending.get(id);
      const i = p ? p.timers.indexOf(t) : -1;
      if (i >= 0) p!.timers.splice(i, 1);
      if (p && p.timers.length === 0 && p.onExit.length === 0) this.pending.delete(id);
      fn();
    });
    this.pendingOf(id).timers.push(t);
  }

  private pendingOf(id: string): Pending {
    let p = this.pending.get(id);
    if (!p) this.pending.set(id, (p = { timers: [], onExit: [] }));
    return p;
  }

  private newId(): string {
    return this.rand.string(64, "0123456789abcdef");
  }

  private ensureServing(): void {
    if (!this.serving) {
      throw new Error(`rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial unix /run/containerd/containerd.sock: connect: no such file or directory"`);
    }
  }

  /** CRI container events, which the kubelet's PLEG subscribes to. */
  onEvent(fn: (ev: ContainerEvent) => void): () => void {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  }

  private emit(ev: ContainerEvent): void {
    for (const l of [...this.listeners]) l(ev);
  }

  // ---- ImageService ----

  /**
   * Pulls an image; done is called on the cluster clock when it finishes.
   * A pull of an image already in the store only re-resolves the manifest.
   */
  pullImage(raw: string, done: (r: PullResult) => void): void {
    this.ensureServing();
    const ref = parseImageRef(raw);
    const present = this.images.get(raw);
    const jitter = 0.9 + this.rand.float() * 0.2;
    if (!resolvable(ref)) {
      const durationMs = Math.round((600 + this.rand.float() * 900) * jitter);
      this.clock.setTimer(durationMs, () => done({ ok: false, error: resolveError(ref), durationMs }));
      return;
    }
    // About 0.8 s to resolve and set up, then ~9.5 MB/s: httpd (58 MB) takes ~7 s.
    const durationMs = Math.round((present ? 300 + this.rand.float() * 300 : 800 + (profileOf(ref).size / 9_500_000) * 1000) * jitter);
    this.clock.setTimer(durationMs, () => done({ ok: true, image: this.images.add(ref, this.clock.now()), durationMs }));
  }

  imageStatus(raw: string): StoredImage | undefined {
    this.ensureServing();
    return this.images.get(raw);
  }

  // ---- RuntimeService: sandboxes ----

  runPodSandbox(pod: PodRef, ip: string, hostNetwork: boolean): PodSandbox {
    this.ensureServing();
    const attempt = this.listPodSandbox({ podUid: pod.uid }).length;
    // One copy of the caller's ref, shared by the pod's later sandboxes and all its containers.
    const shared = this.byPod.get(pod.uid)?.[0]?.pod;
    const ref = shared && shared.name === pod.name && shared.namespace === pod.namespace ? shared : { ...pod };
    const sb: PodSandbox = { id: this.newId(), pod: ref, attempt, state: "SANDBOX_READY", createdAt: this.clock.now(), ip, hostNetwork };
    this.sandboxes.set(sb.id, sb);
    this.index(sb);
    return sb;
  }

  stopPodSandbox(id: string): void {
    this.ensureServing();
    const sb = this.sandboxes.get(id);
    if (!sb) return;
    for (const c of this.listContainers({ sandboxId: id })) if (c.state === "CONTAINER_RUNNING") this.exit(c, 137, "Error");
    sb.state = "SANDBOX_NOTREADY";
  }

  removePodSandbox(id: string): void {
    this.ensureServing();
    this.stopPodSandbox(id);
    for (const c of this.listContainers({ sandboxId: id })) this.removeContainer(c.id);
    const sb = this.sandboxes.get(id);
    this.sandboxes.delete(id);
    if (sb) this.unindex(sb);
  }

  listPodSandbox(filter: { podUid?: string } = {}): PodSandbox[] {
    if (filter.podUid !== undefined) return (this.byPod.get(filter.podUid) ?? []).filter(isSandbox);
    return [...this.sandboxes.values()];
  }

  sandbox(id: string): PodSandbox | undefined {
    return this.sandboxes.get(id);
  }

  // ---- RuntimeService: containers ----

  createContainer(sandboxId: string, spec: ContainerSpecLike & { image: string }, attempt: number): Container {
    this.ensureServing();
    const sb = this.sandboxes.get(sandboxId);
    if (!sb) throw new Error(`rpc error: code = NotFound desc = failed to get sandbox "${sandboxId}": not found`);
    const img = this.images.get(spec.image);
    if (!img) throw new Error(`rpc error: code = NotFound desc = failed to get image "${spec.image}": not found`);
    const c: Container = {
      id: this.newId(),
      sandboxId,
      pod: sb.pod,
      name: spec.name,
      attempt,
      image: img.repoTags[0]!,
      imageRef: img.repoDigests[0]!,
      imageId: img.id,
      state: "CONTAINER_CREATED",
      createdAt: this.clock.now(),
      logs: [],
    };
    this.containers.set(c.id, c);
    this.index(c);
    const ref = parseImageRef(spec.image);
    this.processes.set(c.id, processPlan(ref, profileOf(ref), spec, { podIP: sb.ip, nodeName: this.node }));
    return c;
  }

  startContainer(id: string): void {
    this.ensureServing();
    const c = this.containers.get(id);
    const plan = this.processes.get(id);
    if (!c || !plan || c.state !== "CONTAINER_CREATED") return;
    const now = this.clock.now();
    c.state = "CONTAINER_RUNNING";
    c.startedAt = now;
    for (const text of plan.startLines(now)) this.append(c, text);
    if (plan.exitAfterMs !== undefined) {
      this.processTimer(id, plan.exitAfterMs, () => this.exit(c, plan.exitCode, plan.exitCode === 0 ? "Completed" : "Error"));
    }
    if (plan.periodic) {
      const { everyMs, lines } = plan.periodic;
      const tick = () => {
        if (c.state !== "CONTAINER_RUNNING") return;
        for (const text of lines) this.append(c, text);
        this.processTimer(id, everyMs, tick);
      };
      tick();
    }
    this.emit({ type: "started", container: c });
  }

  /**
   * Sends SIGTERM; the process exits when it handles the signal, or is
   * killed with SIGKILL (exit 137) after timeoutSeconds. done is called on exit.
   */
  stopContainer(id: string, timeoutSeconds: number, done?: () => void): void {
    this.ensureServing();
    const c = this.containers.get(id);
    const plan = this.processes.get(id);
    if (!c || !plan || c.state !== "CONTAINER_RUNNING") {
      if (c && c.state === "CONTAINER_CREATED") this.exit(c, 0, "Completed");
      done?.();
      return;
    }
    if (done) this.pendingOf(id).onExit.push(done);
    const graceful = plan.stopMs !== undefined && plan.stopMs <= timeoutSeconds * 1000;
    const after = graceful ? plan.stopMs! : timeoutSeconds * 1000;
    this.processTimer(id, after, () => {
      if (c.state === "CONTAINER_RUNNING") {
        if (graceful) for (const text of plan.stopLines(this.clock.now())) this.append(c, text);
        this.exit(c, graceful ? 0 : 137, graceful ? "Completed" : "Error");
      }
    });
  }

  /** ExecSync: runs a command in a running container (exec probes); fails as containerd does on a stopped one. */
  execSync(id: string, command: string[], pod?: PodIdentity): ExecResult {
    this.ensureServing();
    const c = this.containers.get(id);
    const plan = this.processes.get(id);
    if (!c || !plan || c.state !== "CONTAINER_RUNNING") {
      throw new Error(`rpc error: code = Unknown desc = failed to exec in container: container is in ${c?.state ?? "CONTAINER_UNKNOWN"} state`);
    }
    const repository = c.image.replace(/:[^:/]*$/, "");
    return execSync({ repository, elapsedMs: this.clock.now() - (c.startedAt ?? this.clock.now()), files: plan.files ?? [], ...(pod ? { pod } : {}) }, command);
  }

  removeContainer(id: string): void {
    const c = this.containers.get(id);
    if (!c) return;
    if (c.state === "CONTAINER_RUNNING") this.exit(c, 137, "Error");
    for (const t of this.pending.get(id)?.timers ?? []) t.cancel();
    this.pending.delete(id);
    this.processes.delete(id);
    this.containers.delete(id);
    this.unindex(c);
    this.logListeners.delete(id);
  }

  /** A line the container's process writes itself, e.g. a server's access log entry for a request it answered. */
  writeLog(id: string, text: string): void {
    const c = this.containers.get(id);
    if (c?.state === "CONTAINER_RUNNING") this.append(c, text);
  }

  listContainers(filter: { podUid?: string; sandboxId?: string } = {}): Container[] {
    const uid = filter.podUid || (filter.sandboxId ? this.sandboxes.get(filter.sandboxId)?.pod.uid : undefined);
    const from = uid !== undefined ? (this.byPod.get(uid) ?? []) : this.containers.values();
    const out: Container[] = [];
    for (const c of from) if (!isSandbox(c) && (!filter.podUid || c.pod.uid === filter.podUid) && (!filter.sandboxId || c.sandboxId === filter.sandboxId)) out.push(c);
    return out;
  }

  container(id: string): Container | undefined {
    return this.containers.get(id);
  }

  /** Follows a container's log: fn gets each new line, then undefined when the container exits. */
  followLogs(id: string, fn: (line: LogLine | undefined) => void): () => void {
    let set = this.logListeners.get(id);
    if (!set) this.logListeners.set(id, (set = new Set()));
    set.add(fn);
    return () => void set.delete(fn);
  }

  private append(c: Container, text: string, stream: LogLine["stream"] = "stdout"): void {
    const line: LogLine = { time: this.clock.now(), stream, text };
    c.logs.push(line);
    if (c.logs.length > 2000) c.logs.splice(0, c.logs.length - 1000);
    for (const l of [...(this.logListeners.get(c.id) ?? [])]) l(line);
  }

  private exit(c: Container, code: number, reason: string): void {
    if (c.state === "CONTAINER_EXITED") return;
    c.state = "CONTAINER_EXITED";
    c.finishedAt = this.clock.now();
    c.exitCode = code;
    c.reason = reason;
    const p = this.pending.get(c.id);
    this.pending.delete(c.id);
    for (const t of p?.timers ?? []) t.cancel();
    for (const l of [...(this.logListeners.get(c.id) ?? [])]) l(undefined);
    this.emit({ type: "exited", container: c });
    for (const fn of p?.onExit ?? []) fn();
  }
}
