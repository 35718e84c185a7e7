// The kubelet of one node, after pkg/kubelet: registers the Node and keeps its
// status and Lease fresh, watches the pods bound to it, and drives each pod
// through the lifecycle table in stages.ts against the node's containerd
// (src/cri) and CNI (src/flannel). It runs as kubelet.service on the node's
// Host: stopping it stops heartbeats and status updates, while the containers
// it started keep running in containerd; starting it again resyncs from the
// runtime. Static pods (the control plane on master) run from manifests and
// are mirrored to the apiserver.
// Probes run in prober.ts against what the emulated containers serve.
// Leaves out: volumes, resource enforcement, eviction, cgroups.

import type { Node, Pod, Service, Taint } from "../api/core/v1.ts";
import { isAlreadyExists, isNotFound } from "../apimachinery/errors.ts";
import { type KObject, objectKey } from "../apimachinery/meta.ts";
import type { KubeletClient } from "../apiserver/kubelet-client.ts";
import { semanticEqual } from "../apimachinery/equality.ts";
import { Informer } from "../client/informer.ts";
import { type Client, GVR } from "../client/interface.ts";
import { EventRecorder, type EventType } from "../client/record.ts";
import { WorkQueue } from "../client/workqueue.ts";
import { CONTAINERD_VERSION, type Container, type ContainerRuntime } from "../cri/runtime.ts";
import type { Host } from "../host/host.ts";
import { containerListeners } from "../host/tools/servers.ts";
import type { Activity } from "../utils/activity.ts";
import type { Clock, Timer } from "../utils/clock.ts";
import type { Rand } from "../utils/rand.ts";
import { Backoff } from "./backoff.ts";
import { goDuration, SerialImagePuller } from "./images.ts";
import { NodeLeaseController } from "./lease.ts";
import { conditionEvents, initialNode, type NodeIdentity, nodeConditions, nodeStatusFields } from "./nodestatus.ts";
import { gracePeriodSeconds, isMirror, podFullName, pullPolicy, restartPolicy } from "./podutil.ts";
import { PROBE_KINDS, ProbeManager, type ProbeTarget } from "./prober.ts";
import { KubeletServer, type PodCommand } from "./server.ts";
import { BACKOFF, type ContainerView, nextStage, type PodView, type Waiting } from "./stages.ts";
import { CONFIG_HASH, CONFIG_MIRROR, mirrorPodFor, staticPodFromManifest } from "./static.ts";
import { generatePodStatus } from "./status.ts";

/** The CNI plugin chain, as the kubelet (through containerd) calls it. */
export interface CNIPlugin {
  add(owner: string): { ip: string };
  del(owner: string): void;
}

export interface KubeletOptions {
  host: Host;
  client: Client;
  clock: Clock;
  rand: Rand;
  activity: Activity;
  /** The kubelet's version, e.g. v1.32.4. */
  version: string;
  runtime: ContainerRuntime;
  cni: CNIPlugin;
  /** Manifests in /etc/kubernetes/manifests (kubeadm writes them on the control plane). */
  staticPods?: Pod[];
  /** --register-with-taints */
  registerWithTaints?: Taint[];
  /** Where a running kubelet makes itself reachable for pods/log (the apiserver's side of :10250). */
  connections?: { register(node: string, client: KubeletClient): () => void };
  /** Programs `kubectl exec` runs in a pod's network namespace (curl, nslookup), by name. */
  podCommands?: Record<string, PodCommand>;
}

/** Node status is computed every 10 s and posted when it changed or every 5 min. */
const NODE_STATUS_UPDATE_MS = 10_000;
const NODE_STATUS_REPORT_MS = 5 * 60_000;
/** How soon a pod whose sandbox failed is synced again (the pod worker's back-off period, with jitter). */
const SANDBOX_RETRY_MS = 10_000;

/**
 * What the kubelet remembers about a pod between syncs (lost on restart,
 * rebuilt from the runtime). There is one per pod on the node, so the
 * per-container sets and maps, empty for a healthy pod, exist only while they
 * hold something (an empty Map or Set costs ~150 bytes); see forget().
 */
interface PodWorker {
  uid: string;
  pod: Pod;
  startTime?: number;
  waiting?: Map<string, Waiting>;
  pulling?: Set<string>;
  /** When the last pull for a container failed (the image back-off counts from it). */
  pullFailedAt?: Map<string, number>;
  /** container name#attempt whose image was pulled for that attempt (imagePullPolicy Always). */
  pulledFor?: Set<string>;
  /** A stage waiting for its delay to pass. */
  due?: { id: string; at: number; timer: Timer };
  wake?: Timer;
  killing: boolean;
  removing: boolean;
  sandboxRetryAt?: number;
  /** The status this kubelet last wrote for the pod, until its echo comes back (to tell it from others' changes). */
  lastSent?: Pod["status"];
  /** Containers being stopped because they failed a liveness or startup probe. */
  stopping?: Set<string>;
}

/**
 * Deletes key from one of a worker's sets or maps, and drops the collection
 * once it is empty. A field never written is left unset: adding it to the
 * worker would allocate a property store (~40 bytes) for nothing.
 */
function forget(w: PodWorker, field: "waiting" | "pulling" | "pullFailedAt" | "pulledFor" | "stopping", key: string): void {
  const c = w[field];
  if (!c) return;
  c.delete(key);
  if (c.size === 0) w[field] = undefined;
}

export class Kubelet {
  readonly name: string;
  private running = false;
  private generation = 0;
  private queue: WorkQueue | undefined;
  private informer: Informer<Pod> | undefined;
  private lease: NodeLeaseController | undefined;
  private statusTimer: Timer | undefined;
  /** The prober of this kubelet process: results are forgotten on restart, as upstream. */
  private probes: ProbeManager | undefined;
  private unsubscribe: (() => void)[] = [];
  private readonly workers = new Map<string, PodWorker>();
  private readonly statics = new Map<string, Pod>();
  /** One per kubelet process: a restarted kubelet counts identical events afresh, in new Event objects. */
  private recorder: EventRecorder;
  private readonly puller: SerialImagePuller;
  private readonly pullBackoff: Backoff;
  private readonly crashBackoff: Backoff;
  private readonly identity: NodeIdentity;
  private node: Node | undefined;
  private lastNodeReport = 0;
  private lastNodeStatus = "";

  constructor(private readonly o: KubeletOptions) {
    this.name = o.host.name;
    this.recorder = this.newRecorder();
    // Image and crash back-offs live in the kubelet process: a restart forgets them, as upstream.
    this.puller = new SerialImagePuller(o.runtime, o.clock);
    this.pullBackoff = new Backoff(o.clock, BACKOFF.initialMs, BACKOFF.maxMs);
    this.crashBackoff = new Backoff(o.clock, BACKOFF.initialMs, BACKOFF.maxMs);
    const hex = (n: number) => o.rand.string(n, "0123456789abcdef");
    const uuid = () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
    this.identity = {
      name: this.name,
      ip: o.host.ip,
      version: o.version,
      containerRuntimeVersion: `containerd://${CONTAINERD_VERSION}`,
      machineID: hex(32),
      systemUUID: uuid(),
      bootID: uuid(),
    };
  }

  get isRunning(): boolean {
    return this.running;
  }

  // ---- journal ----

  private klog(msg: string, level: "I" | "W" | "E" = "I", file = "kubelet.go:2406"): void {
    const d = new Date(this.o.clock.now());
    const p2 = (n: number) => String(n).padStart(2, "0");
    const pid = this.o.host.unit("kubelet")?.pid ?? 0;
    const ts = `${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, "0")}000`;
    this.o.host.log("kubelet.service", `kubelet[${pid}]`, `${level}${ts}    ${pid} ${file}] ${msg}`);
  }

  private newRecorder(): EventRecorder {
    return new EventRecorder({ client: this.o.client, clock: this.o.clock, activity: this.o.activity, component: "kubelet", host: this.name });
  }

  private event(obj: KObject, type: EventType, reason: string, message: string, fieldPath?: string): void {
    this.recorder.event(obj, type, reason, message, fieldPath);
  }

  private nodeRef(): KObject {
    // The kubelet refers to its node with UID = node name (kubelet.go nodeRef).
    return { kind: "Node", metadata: { name: this.name, uid: this.name } };
  }

  /** Runs async work counted in Activity, logging failures to the journal. */
  private spawn(what: string, fn: () => Promise<void>): void {
    this.o.activity.begin();
    void fn()
      .catch((e: unknown) => this.klog(`"${what} failed" err="${(e as Error).message}"`, "E"))
      .finally(() => this.o.activity.end());
  }

  // ---- UnitRunner ----

  start(): void {
    if (this.running) return;
    this.running = true;
    const gen = ++this.generation;
    this.recorder = this.newRecorder();
    this.probes = new ProbeManager({
      clock: this.o.clock,
      rand: this.o.rand,
      target: (uid, name) => this.probeTarget(uid, name),
      changed: (key) => this.queue?.add(key),
      failed: (pod, c, kind, output) => this.containerEvent(pod, c.name, false, "Warning", "Unhealthy", `${PROBE_KINDS[kind].label} probe failed: ${output}`),
    });
    this.klog(`"Starting kubelet main sync loop"`);
    this.event(this.nodeRef(), "Normal", "Starting", "Starting kubelet.");
    this.queue = new WorkQueue({
      clock: this.o.clock,
      activity: this.o.activity,
      sync: (key) => this.sync(key),
      onError: (key, err) => this.klog(`"Error syncing pod, skipping" err="${(err as Error).message}" pod="${key}"`, "E", "pod_workers.go:1301"),
    });
    const seen = this.o.clock.now();
    for (const m of this.o.staticPods ?? []) {
      const sp = staticPodFromManifest(m, this.name, new Date(seen).toISOString().replace(/Z$/, "000000Z"));
      this.statics.set(objectKey(sp), sp);
    }
    this.spawn("Register node", async () => {
      await this.registerNode();
      if (gen !== this.generation) return;
      for (const reason of ["NodeHasSufficientMemory", "NodeHasNoDiskPressure", "NodeHasSufficientPID"]) {
        this.event(this.nodeRef(), "Normal", reason, `Node ${this.name} status is now: ${reason}`);
      }
      this.event(this.nodeRef(), "Normal", "NodeAllocatableEnforced", "Updated Node Allocatable limit across pods");
      this.lease = new NodeLeaseController({
        client: this.o.client,
        clock: this.o.clock,
        activity: this.o.activity,
        node: this.name,
        nodeUid: () => this.node?.metadata.uid,
        log: (m) => this.klog(m, "E", "controller.go:145"),
      });
      this.lease.start();
      this.statusTimer = this.o.clock.setTimer(NODE_STATUS_UPDATE_MS, () => this.statusLoop(gen));
      await this.startPodSources(gen);
    });
    if (this.o.connections) {
      const services = async () => (await this.o.client.resource<Service>(GVR.services).list()).items;
      const server = new KubeletServer(this.o.runtime, { find: (ns, name) => this.lookup(ns, name), services }, this.o.clock, this.o.podCommands);
      this.unsubscribe.push(this.o.connections.register(this.name, server));
    }
    // PLEG: container starts and exits in containerd wake the pod's worker.
    this.unsubscribe.push(
      this.o.runtime.onEvent((ev) => {
        this.queue?.add(`${ev.container.pod.namespace}/${ev.container.pod.name}`);
        if (ev.type === "started") this.probes?.containerStarted(ev.container.pod.uid);
      }),
    );
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.generation++;
    this.klog(`"Shutting down kubelet"`, "I", "kubelet.go:1693");
    for (const u of this.unsubscribe.splice(0)) u();
    this.informer?.stop();
    this.informer = undefined;
    this.queue?.shutdown();
    this.queue = undefined;
    this.lease?.stop();
    this.lease = undefined;
    this.statusTimer?.cancel();
    this.probes?.stop();
    this.probes = undefined;
    for (const w of this.workers.values()) {
      w.due?.timer.cancel();
      w.wake?.cancel();
    }
    this.workers.clear();
    this.statics.clear();
  }

  // ---- node registration and status ----

  private async registerNode(): Promise<void> {
    const nodes = this.o.client.resource<Node>(GVR.nodes);
    try {
      // The Node is created with its status filled in, so the scheduler never sees a node without capacity.
      const node = initialNode(this.identity, this.o.registerWithTaints);
      node.status = { ...nodeStatusFields(this.identity, this.o.runtime.images.list()), conditions: nodeConditions(undefined, { runtimeUp: this.o.runtime.serving }, this.o.clock.now()) };
      this.node = await nodes.create(node);
      this.klog(`"Successfully registered node" node="${this.name}"`, "I", "kubelet_node_status.go:79");
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      this.node = await nodes.get(this.name);
      this.klog(`"Node was previously registered" node="${this.name}"`, "I", "kubelet_node_status.go:124");
    }
    await this.postNodeStatus(true);
  }

  private statusLoop(gen: number): void {
    if (gen !== this.generation) return;
    this.spawn("Update node status", () => this.postNodeStatus(false));
    this.statusTimer = this.o.clock.setTimer(NODE_STATUS_UPDATE_MS, () => this.statusLoop(gen));
  }

  private async postNodeStatus(force: boolean): Promise<void> {
    const nodes = this.o.client.resource<Node>(GVR.nodes);
    const current = await nodes.get(this.name);
    this.node = current;
    const now = this.o.clock.now();
    const oldConds = current.status?.conditions;
    const conditions = nodeConditions(oldConds, { runtimeUp: this.o.runtime.serving }, now);
    const fields = nodeStatusFields(this.identity, this.o.runtime.images.list());
    // Post when what we report changed, when the apiserver holds something else
    // (the node controller marked us Unknown), or every 5 minutes.
    const signature = JSON.stringify([fields, conditions.map((c) => [c.type, c.status, c.reason])]);
    const serverDiffers = conditions.some((c) => {
      const o = oldConds?.find((x) => x.type === c.type);
      return !o || o.status !== c.status || o.reason !== c.reason;
    });
    if (!force && !serverDiffers && signature === this.lastNodeStatus && now - this.lastNodeReport < NODE_STATUS_REPORT_MS) return;
    this.lastNodeStatus = signature;
    this.lastNodeReport = now;
    this.node = await nodes.patch(this.name, undefined, "application/strategic-merge-patch+json", { status: { ...fields, conditions } }, { subresource: "status" });
    for (const reason of conditionEvents(oldConds, conditions)) {
      this.event(this.nodeRef(), "Normal", reason, `Node ${this.name} status is now: ${reason}`);
    }
  }

  // ---- pod sources ----

  private async startPodSources(gen: number): Promise<void> {
    const informer = new Informer<Pod>(this.o.client, GVR.pods, { fieldSelector: `spec.nodeName=${this.name}` });
    this.informer = informer;
    informer.addEventHandler({
      add: (p) => this.queue?.add(objectKey(p)),
      update: (o, p) => {
        if (!this.echoOfOwnStatus(o, p)) this.queue?.add(objectKey(p));
      },
      delete: (p) => {
        this.queue?.add(objectKey(p));
        this.queue?.add("@housekeeping");
      },
    });
    await informer.start();
    if (gen !== this.generation) return;
    for (const key of this.statics.keys()) this.queue?.add(key);
    // Containers of pods that vanished while the kubelet was down are killed.
    this.queue?.add("@housekeeping");
  }

  /**
   * The update is the apiserver echoing the status this kubelet just wrote:
   * the same spec object (status writes keep it) and metadata, and the status
   * last sent. Like the real kubelet, which only reconciles its status cache
   * on a status-only change, that needs no pod sync.
   */
  private echoOfOwnStatus(o: Pod, p: Pod): boolean {
    if (o.spec !== p.spec) return false;
    const w = this.workers.get(p.metadata.uid!);
    if (!w?.lastSent) return false;
    const a = o.metadata as Record<string, unknown>;
    const b = p.metadata as Record<string, unknown>;
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (k !== "resourceVersion" && k !== "managedFields" && a[k] !== b[k]) return false;
    }
    if (!semanticEqual(p.status, w.lastSent)) return false;
    // Held only until its echo: a hundred thousand pods' last statuses would double the status memory.
    w.lastSent = undefined;
    return true;
  }

  /** The pod the kubelet should run under key: a static pod, or an API pod bound here. */
  private desired(key: string): Pod | undefined {
    const sp = this.statics.get(key);
    if (sp) return sp;
    const p = this.informer?.get(key);
    if (!p || isMirror(p)) return undefined;
    return p;
  }

  private lookup(namespace: string, name: string): { uid: string; pod: Pod; waiting(c: string): string | undefined } | undefined {
    const pod = this.desired(`${namespace}/${name}`);
    if (!pod) return undefined;
    const w = this.workers.get(pod.metadata.uid!);
    return { uid: pod.metadata.uid!, pod, waiting: (c) => w?.waiting?.get(c)?.reason };
  }

  // ---- the pod worker ----

  private async sync(key: string): Promise<void> {
    if (!this.running) return;
    if (key === "@housekeeping") return this.housekeeping();
    const pod = this.desired(key);
    if (!pod) return;
    const uid = pod.metadata.uid!;
    let w = this.workers.get(uid);
    if (!w) {
      const sb = this.sandboxOf(uid);
      // After a restart, the pod's start time is the sandbox's, as the runtime remembers it.
      const startTime = sb ? sb.createdAt : this.o.clock.now();
      // Every field that is set later is named here, so it lives in the object rather than in a separately allocated property store.
      w = { uid, pod, startTime, due: undefined, wake: undefined, killing: false, removing: false, sandboxRetryAt: undefined, lastSent: undefined };
      this.workers.set(uid, w);
    }
    w.pod = pod;
    this.probes?.addPod(pod, key);
    let lastId = "";
    for (let i = 0; i < 32 && this.running; i++) {
      const view = this.view(pod, w);
      const next = nextStage(view);
      if (!next) {
        w.due?.timer.cancel();
        w.due = undefined;
        break;
      }
      const id = `${next.stage.name}/${next.target}`;
      const now = this.o.clock.now();
      if (w.due?.id === id) {
        if (now < w.due.at) break;
      } else {
        w.due?.timer.cancel();
        w.due = undefined;
        const delay = next.stage.delay(view, this.o.rand);
        if (delay > 0) {
          w.due = { id, at: now + delay, timer: this.o.clock.setTimer(delay, () => this.queue?.add(key)) };
          break;
        }
      }
      w.due = undefined;
      if (id === lastId) break; // the action made no progress; wait for an event
      lastId = id;
      await this.act(next.stage.action, pod, w, next.target, key, view);
      if (w.removing) return;
    }
    // One view of the settled pod serves both the wake-up timer and the status.
    const settled = this.view(pod, w);
    this.armWake(key, w, settled);
    await this.syncStatus(pod, w, key, settled);
  }

  /** The running container a probe reaches, in its pod's network namespace. */
  private probeTarget(uid: string, name: string): ProbeTarget | undefined {
    const rt = this.o.runtime;
    const sb = this.sandboxOf(uid);
    if (!sb || !rt.serving) return undefined;
    const running = rt.listContainers({ sandboxId: sb.id }).filter((c) => c.state === "CONTAINER_RUNNING");
    const c = running.filter((x) => x.name === name).sort((a, b) => b.attempt - a.attempt)[0];
    if (!c) return undefined;
    return {
      containerId: c.id,
      startedAt: c.startedAt ?? this.o.clock.now(),
      podIP: sb.ip,
      now: this.o.clock.now(),
      // Every container of the pod shares its network namespace.
      listener: (port) => {
        for (const x of running) {
          const l = containerListeners(x.image.replace(/:[^:/]*$/, "")).get(port);
          if (l) return l;
        }
        return undefined;
      },
      exec: (command) => rt.execSync(c.id, command),
    };
  }

  private sandboxOf(uid: string) {
    return this.o.runtime
      .listPodSandbox({ podUid: uid })
      .filter((s) => s.state === "SANDBOX_READY")
      .sort((a, b) => b.createdAt - a.createdAt)[0];
  }

  private view(pod: Pod, w: PodWorker): PodView {
    const uid = pod.metadata.uid!;
    const sb = this.sandboxOf(uid);
    const all = this.o.runtime.listContainers({ podUid: uid });
    const policy = restartPolicy(pod);
    const views: ContainerView[] = [];
    let initDone = true;
    const specs = [...(pod.spec.initContainers ?? []).map((c) => ({ c, init: true })), ...pod.spec.containers.map((c) => ({ c, init: false }))];
    for (const { c, init } of specs) {
      const mine = all.filter((x) => x.name === c.name).sort((a, b) => b.attempt - a.attempt);
      const latest = mine[0];
      const previous = mine[1];
      const exited = latest?.state === "CONTAINER_EXITED";
      const completed = init && exited && latest!.exitCode === 0;
      let needsStart: boolean;
      if (init) needsStart = initDone && !completed && (!latest || (exited && policy !== "Never"));
      else needsStart = initDone && (!latest || (exited && (policy === "Always" || (policy === "OnFailure" && latest.exitCode !== 0))));
      if (init && !completed) initDone = false;
      const attempt = latest ? latest.attempt + 1 : 0;
      const present = Boolean(this.o.runtime.images.get(c.image ?? ""));
      const imageReady = present && (pullPolicy(c) !== "Always" || Boolean(w.pulledFor?.has(`${c.name}#${attempt}`)));
      const waiting = w.waiting?.get(c.name);
      views.push({
        spec: c,
        init,
        latest,
        previous,
        imageReady,
        pulling: Boolean(w.pulling?.has(c.name)),
        waiting,
        pullBackOffMs: waiting?.reason === "ErrImagePull" || waiting?.reason === "ImagePullBackOff" ? this.pullBackoff.remaining(`${uid}_${c.image}`, w.pullFailedAt?.get(c.name) ?? 0) : 0,
        crashBackOffMs: exited ? this.crashBackoff.remaining(`${uid}_${c.name}`, latest!.finishedAt!) : 0,
        needsStart,
        completed,
        ...(latest?.state === "CONTAINER_RUNNING" && this.probes
          ? {
              ready: this.probes.ready(uid, c.name, latest.id),
              started: this.probes.started(uid, c.name, latest.id),
              unhealthy: this.probes.unhealthy(uid, c.name, latest.id),
              stopping: Boolean(w.stopping?.has(latest.id)),
            }
          : {}),
      });
    }
    const target = sb ? views.find((v) => v.needsStart && v.pullBackOffMs === 0 && v.crashBackOffMs === 0 && !v.pulling && !(v.latest?.state === "CONTAINER_CREATED")) : undefined;
    // Sequential like SyncPod: a container mid-pull holds back those after it.
    const blocked = views.find((v) => v.needsStart && v.pulling);
    return {
      pod,
      deleting: Boolean(pod.metadata.deletionTimestamp),
      killing: w.killing,
      sandboxReady: Boolean(sb),
      sandboxBackOffMs: Math.max(0, (w.sandboxRetryAt ?? 0) - this.o.clock.now()),
      anyRunning: all.some((c) => c.state === "CONTAINER_RUNNING" || c.state === "CONTAINER_CREATED"),
      containers: views,
      target: blocked && target && views.indexOf(target) > views.indexOf(blocked) ? undefined : target,
    };
  }

  /** Re-syncs the pod when its nearest back-off or sandbox retry ends. */
  private armWake(key: string, w: PodWorker, v: PodView): void {
    w.wake?.cancel();
    w.wake = undefined;
    const waits = [v.sandboxBackOffMs, ...v.containers.flatMap((c) => [c.pullBackOffMs, c.crashBackOffMs])].filter((ms) => ms > 0);
    if (waits.length === 0) return;
    w.wake = this.o.clock.setTimer(Math.min(...waits), () => this.queue?.add(key));
  }

  private containerEvent(pod: Pod, name: string, init: boolean, type: EventType, reason: string, message: string): void {
    this.event(pod, type, reason, message, `spec.${init ? "initContainers" : "containers"}{${name}}`);
  }

  /** Runs one stage's action. Runtime calls are synchronous; events and API writes are counted in Activity. */
  private async act(action: string, pod: Pod, w: PodWorker, target: string, key: string, view: PodView): Promise<void> {
    const rt = this.o.runtime;
    const uid = w.uid;
    const now = this.o.clock.now();
    const cv = view.containers.find((c) => c.spec.name === target);
    switch (action) {
      case "runSandbox": {
        let ip = this.o.host.ip;
        if (!pod.spec.hostNetwork) {
          try {
            ip = this.o.cni.add(uid).ip;
          } catch (e) {
            const id = this.o.rand.string(64, "0123456789abcdef");
            const msg = `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${id}": ${(e as Error).message}`;
            this.event(pod, "Warning", "FailedCreatePodSandBox", msg);
            this.klog(`"CreatePodSandbox for pod failed" err="${(e as Error).message}" pod="${key}"`, "E", "kuberuntime_sandbox.go:72");
            w.sandboxRetryAt = now + SANDBOX_RETRY_MS + Math.round(this.o.rand.float() * SANDBOX_RETRY_MS * 0.5);
            return;
          }
        }
        w.sandboxRetryAt = undefined;
        const ref = { uid, name: pod.metadata.name!, namespace: pod.metadata.namespace! };
        const old = rt.listPodSandbox({ podUid: uid });
        const sb = rt.runPodSandbox(ref, ip, Boolean(pod.spec.hostNetwork));
        if (old.length > 0) this.event(pod, "Normal", "SandboxChanged", "Pod sandbox changed, it will be killed and re-created.");
        this.klog(`"RunPodSandbox" podSandboxID="${sb.id.slice(0, 13)}" pod="${key}" ip="${ip}"`, "I", "kuberuntime_manager.go:1137");
        return;
      }
      case "pullImage": {
        if (!cv) return;
        const image = cv.spec.image ?? "";
        const attempt = cv.latest ? cv.latest.attempt + 1 : 0;
        (w.pulling ??= new Set()).add(target);
        this.containerEvent(pod, target, cv.init, "Normal", "Pulling", `Pulling image "${image}"`);
        const gen = this.generation;
        // The pull runs on the clock; nothing is "in flight" for settle() meanwhile.
        this.puller.pull(image, (r) => {
          if (gen !== this.generation) return;
          const cur = this.workers.get(uid);
          if (!cur) return;
          forget(cur, "pulling", target);
          if (r.ok) {
            forget(cur, "waiting", target);
            (cur.pulledFor ??= new Set()).add(`${target}#${attempt}`);
            this.containerEvent(
              pod,
              target,
              cv.init,
              "Normal",
              "Pulled",
              `Successfully pulled image "${image}" in ${goDuration(r.durationMs)} (${goDuration(r.waitedMs)} including waiting). Image size: ${r.image.size} bytes.`,
            );
          } else {
            this.pullBackoff.next(`${uid}_${image}`, this.o.clock.now());
            (cur.pullFailedAt ??= new Map()).set(target, this.o.clock.now());
            (cur.waiting ??= new Map()).set(target, { reason: "ErrImagePull", message: r.error });
            this.containerEvent(pod, target, cv.init, "Warning", "Failed", `Failed to pull image "${image}": ${r.error}`);
            this.containerEvent(pod, target, cv.init, "Warning", "Failed", "Error: ErrImagePull");
          }
          this.queue?.add(key);
        });
        return;
      }
      case "imagePullBackOff": {
        if (!cv) return;
        const image = cv.spec.image ?? "";
        const prev = w.waiting?.get(target);
        (w.waiting ??= new Map()).set(target, { reason: "ImagePullBackOff", message: `Back-off pulling image "${image}": ErrImagePull: ${prev?.message ?? ""}` });
        this.containerEvent(pod, target, cv.init, "Normal", "BackOff", `Back-off pulling image "${image}"`);
        this.containerEvent(pod, target, cv.init, "Warning", "Failed", "Error: ImagePullBackOff");
        return;
      }
      case "createContainer": {
        if (!cv) return;
        const sb = this.sandboxOf(uid);
        if (!sb) return;
        const attempt = cv.latest ? cv.latest.attempt + 1 : 0;
        if (cv.latest) this.crashBackoff.next(`${uid}_${target}`, now);
        if (!w.pulledFor?.has(`${target}#${attempt}`)) {
          this.containerEvent(pod, target, cv.init, "Normal", "Pulled", `Container image "${cv.spec.image}" already present on machine`);
        }
        forget(w, "waiting", target);
        try {
          rt.createContainer(sb.id, { name: target, image: cv.spec.image ?? "", command: cv.spec.command, args: cv.spec.args }, attempt);
        } catch (e) {
          (w.waiting ??= new Map()).set(target, { reason: "CreateContainerError", message: (e as Error).message });
          this.containerEvent(pod, target, cv.init, "Warning", "Failed", `Error: ${(e as Error).message}`);
          return;
        }
        // Keep the newest dead container for --previous; older ones are garbage collected.
        for (const old of rt.listContainers({ podUid: uid }).filter((c) => c.name === target && c.attempt < attempt - 1)) rt.removeContainer(old.id);
        this.containerEvent(pod, target, cv.init, "Normal", "Created", createdMessage(this.o.version, target));
        return;
      }
      case "startContainer": {
        if (!cv?.latest) return;
        rt.startContainer(cv.latest.id);
        this.containerEvent(pod, target, cv.init, "Normal", "Started", `Started container ${target}`);
        return;
      }
      case "crashLoopBackOff": {
        if (!cv?.latest) return;
        const period = this.crashBackoff.get(`${uid}_${target}`);
        (w.waiting ??= new Map()).set(target, {
          reason: "CrashLoopBackOff",
          message: `back-off ${goDuration(period)} restarting failed container=${target} pod=${podFullName(pod)}`,
        });
        this.containerEvent(pod, target, cv.init, "Warning", "BackOff", `Back-off restarting failed container ${target} in pod ${podFullName(pod)}`);
        return;
      }
      case "killContainer": {
        const c = cv?.latest;
        if (!cv || !c || !cv.unhealthy) return;
        const kind = cv.unhealthy;
        (w.stopping ??= new Set()).add(c.id);
        this.containerEvent(pod, target, cv.init, "Normal", "Killing", `Container ${target} failed ${kind} probe, will be restarted`);
        const grace = cv.spec[PROBE_KINDS[kind].field]?.terminationGracePeriodSeconds ?? gracePeriodSeconds(pod);
        rt.stopContainer(c.id, grace, () => {
          const cur = this.workers.get(uid);
          if (cur) forget(cur, "stopping", c.id);
          this.queue?.add(key);
        });
        return;
      }
      case "killPod": {
        const grace = gracePeriodSeconds(pod);
        const live = rt.listContainers({ podUid: uid }).filter((c) => c.state === "CONTAINER_RUNNING" || c.state === "CONTAINER_CREATED");
        if (live.length === 0) {
          this.teardownSandbox(uid);
          return;
        }
        w.killing = true;
        let left = live.length;
        const gen = this.generation;
        for (const c of live) {
          const init = (pod.spec.initContainers ?? []).some((i) => i.name === c.name);
          if (c.state === "CONTAINER_RUNNING") this.containerEvent(pod, c.name, init, "Normal", "Killing", `Stopping container ${c.name}`);
          // The stop plays out on the cluster clock (SIGTERM, then SIGKILL at the grace period).
          rt.stopContainer(c.id, grace, () => {
            if (--left > 0 || gen !== this.generation) return;
            const cur = this.workers.get(uid);
            if (cur) cur.killing = false;
            this.teardownSandbox(uid);
            this.queue?.add(key);
          });
        }
        return;
      }
      case "removePod": {
        w.removing = true;
        this.teardownSandbox(uid);
        if (this.statics.has(key)) return;
        try {
          await this.o.client
            .resource<Pod>(GVR.pods)
            .delete(pod.metadata.name!, pod.metadata.namespace, { gracePeriodSeconds: 0, preconditions: { uid } });
          this.klog(`"Pod deleted" pod="${key}"`, "I", "status_manager.go:899");
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
        for (const c of rt.listContainers({ podUid: uid })) rt.removeContainer(c.id);
        for (const s of rt.listPodSandbox({ podUid: uid })) rt.removePodSandbox(s.id);
        w.due?.timer.cancel();
        w.wake?.cancel();
        this.probes?.removePod(uid);
        this.workers.delete(uid);
        return;
      }
    }
  }

  /** Stops the pod's sandbox and gives its IP back (CNI DEL). */
  private teardownSandbox(uid: string): void {
    const rt = this.o.runtime;
    let hostNetwork = true;
    for (const s of rt.listPodSandbox({ podUid: uid })) {
      if (s.state === "SANDBOX_READY") rt.stopPodSandbox(s.id);
      hostNetwork &&= s.hostNetwork;
    }
    if (!hostNetwork) this.o.cni.del(uid);
  }

  /** Kills containers whose pods are gone from the apiserver (force-deleted, or deleted while the kubelet was down). */
  private async housekeeping(): Promise<void> {
    const rt = this.o.runtime;
    const desired = new Set<string>();
    for (const p of this.informer?.list() ?? []) if (!isMirror(p)) desired.add(p.metadata.uid!);
    for (const p of this.statics.values()) desired.add(p.metadata.uid!);
    const orphans = new Set(rt.listPodSandbox().map((s) => s.pod.uid).filter((u) => !desired.has(u)));
    for (const uid of orphans) {
      const w = this.workers.get(uid);
      const grace = w ? gracePeriodSeconds(w.pod) : 30;
      const live = rt.listContainers({ podUid: uid }).filter((c) => c.state === "CONTAINER_RUNNING");
      const finish = () => {
        this.teardownSandbox(uid);
        for (const c of rt.listContainers({ podUid: uid })) rt.removeContainer(c.id);
        for (const s of rt.listPodSandbox({ podUid: uid })) rt.removePodSandbox(s.id);
        this.probes?.removePod(uid);
        this.workers.delete(uid);
      };
      if (live.length === 0) {
        finish();
        continue;
      }
      let left = live.length;
      for (const c of live) {
        this.klog(`"Killing unwanted pod" podName="${c.pod.name}"`, "I", "kubelet_pods.go:1159");
        rt.stopContainer(c.id, grace, () => {
          if (--left === 0) finish();
        });
      }
    }
  }

  // ---- status manager ----

  private async syncStatus(pod: Pod, w: PodWorker, key: string, view: PodView): Promise<void> {
    if (!this.running || w.removing) return;
    if (this.midSyncPod(w, key)) return;
    const sb = this.sandboxOf(w.uid);
    const status = generatePodStatus({
      pod: this.statics.has(key) ? (this.mirrorOf(key) ?? pod) : pod,
      containers: view.containers,
      podIP: sb?.ip,
      hostIP: this.o.host.ip,
      startTime: w.startTime,
      sandboxReady: Boolean(sb),
      now: this.o.clock.now(),
    });
    const pods = this.o.client.resource<Pod>(GVR.pods);
    if (this.statics.has(key)) {
      const mirror = await this.ensureMirror(pod, key);
      if (!mirror) return;
      if (JSON.stringify(mirror.status) === JSON.stringify(status)) return;
      await pods.patch(mirror.metadata.name!, mirror.metadata.namespace, "application/json-patch+json", [{ op: "add", path: "/status", value: status }], { subresource: "status" });
      return;
    }
    const cached = this.informer?.get(key);
    if (!cached || cached.metadata.uid !== w.uid) return;
    if (semanticEqual(cached.status, status)) return;
    w.lastSent = status;
    try {
      await pods.patch(pod.metadata.name!, pod.metadata.namespace, "application/json-patch+json", [{ op: "add", path: "/status", value: status }], { subresource: "status" });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  /**
   * Creating and starting containers happen inside one SyncPod upstream, and
   * the kubelet generates the pod's status only when a sync begins: once a
   * status is posted, the steps between sandbox and started containers write
   * nothing, and `kubectl get pods -w` shows Pending, ContainerCreating,
   * Running as on a real node. Waits that outlast a SyncPod (pulls, back-offs)
   * still post.
   */
  private midSyncPod(w: PodWorker, key: string): boolean {
    const stage = w.due?.id.slice(0, w.due.id.indexOf("/"));
    if (stage !== "container-create" && stage !== "container-start") return false;
    const posted = this.statics.has(key) ? this.mirrorOf(key) : this.informer?.get(key);
    return Boolean(posted?.status?.containerStatuses);
  }

  private mirrorOf(key: string): Pod | undefined {
    const p = this.informer?.get(key);
    return p && isMirror(p) ? p : undefined;
  }

  /** Creates the mirror pod of a static pod, replacing one that was deleted or is stale. */
  private async ensureMirror(sp: Pod, key: string): Promise<Pod | undefined> {
    const pods = this.o.client.resource<Pod>(GVR.pods);
    const current = this.informer?.get(key);
    const hash = sp.metadata.annotations?.[CONFIG_HASH];
    if (current && isMirror(current) && current.metadata.annotations?.[CONFIG_MIRROR] === hash && !current.metadata.deletionTimestamp) return current;
    if (current) {
      try {
        await pods.delete(current.metadata.name!, current.metadata.namespace, { gracePeriodSeconds: 0 });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    try {
      const created = await pods.create(mirrorPodFor(sp, this.node?.metadata.uid), sp.metadata.namespace);
      this.klog(`"Creating a mirror pod for static pod" pod="${key}"`, "I", "kubelet.go:1935");
      return created;
    } catch (e) {
      if (isAlreadyExists(e)) return undefined;
      throw e;
    }
  }
}

/** kubelet 1.33 records "Created container: NAME" (with a colon); earlier ones "Created container NAME". */
function createdMessage(version: string, container: string): string {
  const minor = Number(version.split(".")[1]);
  return minor >= 33 ? `Created container: ${container}` : `Created container ${container}`;
}
