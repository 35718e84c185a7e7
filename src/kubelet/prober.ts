// Container probes, after pkg/kubelet/prober (prober_manager.go, worker.go,
// prober.go): one worker per container and probe kind ticking every
// periodSeconds from when the kubelet takes the pod; results cross
// failureThreshold/successThreshold before they count; liveness and startup
// failures put the worker on hold until the container is replaced; readiness
// runs at once when a container starts. What each kind means and how each
// handler probes are the two tables below; the kubelet reads the results
// (ready, started, unhealthy) and turns them into status and restarts.
// Leaves out: probe timeouts (emulated servers answer at once), gRPC health
// service names, HTTP headers and redirects.

import type { Container, Pod, Probe } from "../api/core/v1.ts";
import type { ExecResult } from "../cri/exec.ts";
import type { Listener } from "../host/tools/servers.ts";
import type { Clock, Timer } from "../utils/clock.ts";
import type { Rand } from "../utils/rand.ts";

export type ProbeKind = "liveness" | "readiness" | "startup";

/** What each kind of probe means (results.Manager initial values, worker.go's hold rule). */
export const PROBE_KINDS: Record<ProbeKind, { field: "livenessProbe" | "readinessProbe" | "startupProbe"; label: string; initial: boolean | undefined; restartsOnFailure: boolean }> = {
  // A container is alive until proven otherwise, not ready until proven ready, and not started until its startup probe passes.
  liveness: { field: "livenessProbe", label: "Liveness", initial: true, restartsOnFailure: true },
  readiness: { field: "readinessProbe", label: "Readiness", initial: false, restartsOnFailure: false },
  startup: { field: "startupProbe", label: "Startup", initial: undefined, restartsOnFailure: true },
};

/** The pod's network namespace and one running container, as a probe reaches them. */
export interface ProbeTarget {
  containerId: string;
  /** When the container started (initialDelaySeconds counts from here). */
  startedAt: number;
  podIP: string;
  /** What answers on port in the pod's network namespace. */
  listener(port: number): Listener | undefined;
  /** CRI ExecSync in the container; throws when the runtime refuses. */
  exec(command: string[]): ExecResult;
  now: number;
}

export type ProbeOutcome = { ok: true } | { ok: false; output: string };

interface Handler {
  applies(p: Probe): boolean;
  run(p: Probe, c: Container, t: ProbeTarget): ProbeOutcome;
}

/** A named port resolves through the container's ports, as upstream's findPortByName. */
function portOf(port: number | string, c: Container): number | undefined {
  if (typeof port === "number") return port;
  if (/^\d+$/.test(port)) return Number(port);
  return c.ports?.find((p) => p.name === port)?.containerPort;
}

const refused = (ip: string, port: number | string) => `dial tcp ${ip}:${port}: connect: connection refused`;

/** The probe handlers (prober.go runProbe), tried in order. */
export const PROBE_HANDLERS: Handler[] = [
  {
    applies: (p) => Boolean(p.httpGet),
    run(p, c, t) {
      const h = p.httpGet!;
      const scheme = (h.scheme ?? "HTTP").toLowerCase();
      const host = h.host || t.podIP;
      const port = portOf(h.port, c);
      const path = h.path ? (h.path.startsWith("/") ? h.path : `/${h.path}`) : "/";
      const url = `${scheme}://${host}:${port ?? h.port}${path}`;
      const l = port === undefined ? undefined : t.listener(port);
      if (!l) return { ok: false, output: `Get "${url}": ${refused(host, port ?? h.port)}` };
      if (l.kind === "closes") return { ok: false, output: `Get "${url}": EOF` };
      if (scheme === "https" && !l.tls) return { ok: false, output: `Get "${url}": http: server gave HTTP response to HTTPS client` };
      if (scheme === "http" && l.tls) return { ok: false, output: "HTTP probe failed with statuscode: 400" };
      const res = l.serve({ method: "GET", path, now: t.now });
      // 2xx and 3xx are success (a redirect is not followed off-host).
      if (res.status >= 200 && res.status < 400) return { ok: true };
      return { ok: false, output: `HTTP probe failed with statuscode: ${res.status}` };
    },
  },
  {
    applies: (p) => Boolean(p.tcpSocket),
    run(p, c, t) {
      const port = portOf(p.tcpSocket!.port, c);
      const host = p.tcpSocket!.host || t.podIP;
      return port !== undefined && t.listener(port) ? { ok: true } : { ok: false, output: refused(host, port ?? p.tcpSocket!.port) };
    },
  },
  {
    applies: (p) => Boolean(p.grpc),
    run(p, _c, t) {
      if (t.listener(p.grpc!.port)) return { ok: true };
      return { ok: false, output: `timeout: failed to connect service "${t.podIP}:${p.grpc!.port}" within 1s: context deadline exceeded` };
    },
  },
  {
    applies: (p) => Boolean(p.exec),
    run(p, _c, t) {
      let r: ExecResult;
      try {
        r = t.exec(p.exec!.command ?? []);
      } catch (e) {
        return { ok: false, output: (e as Error).message };
      }
      // The probe's output is the command's combined output; the event shows it without the final newline.
      return r.exitCode === 0 ? { ok: true } : { ok: false, output: `${r.stdout}${r.stderr}`.replace(/\n$/, "") };
    },
  },
];

/** Probe spec defaults (pkg/apis/core/v1/defaults.go SetDefaults_Probe). */
function withDefaults(p: Probe): Required<Pick<Probe, "initialDelaySeconds" | "periodSeconds" | "successThreshold" | "failureThreshold">> & Probe {
  return { ...p, initialDelaySeconds: p.initialDelaySeconds ?? 0, periodSeconds: p.periodSeconds || 10, successThreshold: p.successThreshold || 1, failureThreshold: p.failureThreshold || 3 };
}

interface Worker {
  key: string;
  podKey: string;
  uid: string;
  container: Container;
  kind: ProbeKind;
  probe: ReturnType<typeof withDefaults>;
  timer?: Timer;
  containerId?: string;
  result: boolean | undefined;
  lastResult?: boolean;
  resultRun: number;
  onHold: boolean;
  deleting: boolean;
  /** Whether this container was probed at all (readiness's manual trigger runs once per container). */
  probedId?: string;
}

export interface ProberOptions {
  clock: Clock;
  rand: Rand;
  /** The running container to probe, undefined when it is not running. */
  target(uid: string, container: string): ProbeTarget | undefined;
  /** A result changed what the pod's status or containers should be: sync the pod. */
  changed(podKey: string): void;
  /** A failed probe: the kubelet records `<Kind> probe failed: <output>`. */
  failed(pod: Pod, container: Container, kind: ProbeKind, output: string): void;
}

export class ProbeManager {
  private readonly workers = new Map<string, Worker>();
  private readonly pods = new Map<string, Pod>();
  private readonly startedAt: number;

  constructor(private readonly o: ProberOptions) {
    this.startedAt = o.clock.now();
  }

  /** AddPod / pod updates: a worker per container and probe, created once per pod. */
  addPod(pod: Pod, podKey: string): void {
    const uid = pod.metadata.uid!;
    const known = this.pods.has(uid);
    this.pods.set(uid, pod);
    for (const w of this.workers.values()) if (w.uid === uid) w.deleting = Boolean(pod.metadata.deletionTimestamp);
    if (known) return;
    for (const c of pod.spec.containers) {
      for (const kind of Object.keys(PROBE_KINDS) as ProbeKind[]) {
        const spec = c[PROBE_KINDS[kind].field];
        if (!spec || !PROBE_HANDLERS.some((h) => h.applies(spec))) continue;
        const key = `${uid}/${c.name}/${kind}`;
        const probe = withDefaults(spec);
        const w: Worker = { key, podKey, uid, container: c, kind, probe, result: PROBE_KINDS[kind].initial, resultRun: 0, onHold: false, deleting: false };
        this.workers.set(key, w);
        // Right after a kubelet (re)start the first probe waits a random part of the period, so probes do not all fire at once.
        const periodMs = probe.periodSeconds * 1000;
        const first = this.o.clock.now() - this.startedAt < periodMs ? Math.round(this.o.rand.float() * periodMs) : 0;
        this.schedule(w, first);
      }
    }
  }

  removePod(uid: string): void {
    this.pods.delete(uid);
    for (const [key, w] of this.workers) {
      if (w.uid !== uid) continue;
      w.timer?.cancel();
      this.workers.delete(key);
    }
  }

  stop(): void {
    for (const w of this.workers.values()) w.timer?.cancel();
    this.workers.clear();
    this.pods.clear();
  }

  /** A container of the pod started: readiness probes that have not run for it run now (the manual trigger in UpdatePodStatus). */
  containerStarted(uid: string): void {
    for (const w of this.workers.values()) {
      if (w.uid === uid && w.kind === "readiness" && !w.onHold) {
        const t = this.o.target(uid, w.container.name);
        if (t && w.probedId !== t.containerId) this.doProbe(w);
      }
    }
  }

  /** Readiness: a container that has not started is not ready; no probe means ready while running (UpdatePodStatus). */
  ready(uid: string, container: string, containerId: string): boolean {
    if (!this.started(uid, container, containerId)) return false;
    return this.resultFor(uid, container, "readiness", containerId) ?? true;
  }

  /** Startup: no probe means started while running. */
  started(uid: string, container: string, containerId: string): boolean {
    const w = this.workers.get(`${uid}/${container}/startup`);
    if (!w) return true;
    return w.containerId === containerId && w.result === true;
  }

  /** The kind of probe the running container failed, calling for a restart. */
  unhealthy(uid: string, container: string, containerId: string): "liveness" | "startup" | undefined {
    for (const kind of ["startup", "liveness"] as const) {
      const w = this.workers.get(`${uid}/${container}/${kind}`);
      if (w && w.containerId === containerId && w.result === false) return kind;
    }
    return undefined;
  }

  private resultFor(uid: string, container: string, kind: ProbeKind, containerId: string): boolean | undefined {
    const w = this.workers.get(`${uid}/${container}/${kind}`);
    if (!w) return undefined;
    return w.containerId === containerId ? w.result === true : PROBE_KINDS[kind].initial === true;
  }

  private schedule(w: Worker, delayMs: number): void {
    w.timer = this.o.clock.setTimer(delayMs, () => {
      if (this.workers.get(w.key) !== w) return;
      if (this.doProbe(w)) this.schedule(w, w.probe.periodSeconds * 1000);
    });
  }

  private set(w: Worker, result: boolean | undefined): void {
    if (w.result === result) return;
    w.result = result;
    this.o.changed(w.podKey);
  }

  /** One tick of worker.doProbe; false stops the worker. */
  private doProbe(w: Worker): boolean {
    const pod = this.pods.get(w.uid);
    if (!pod) return false;
    const t = this.o.target(w.uid, w.container.name);
    if (!t) {
      // Not running: a readiness result of a dead container is failure; the next container starts over.
      if (w.containerId && w.kind === "readiness") this.set(w, false);
      return true;
    }
    if (w.containerId !== t.containerId) {
      w.containerId = t.containerId;
      w.result = PROBE_KINDS[w.kind].initial;
      w.lastResult = undefined;
      w.resultRun = 0;
      w.onHold = false;
      this.o.changed(w.podKey);
    }
    if (w.onHold) return true;
    // A pod being deleted stops liveness and startup probing with a quiet success.
    if (w.deleting && w.kind !== "readiness") {
      this.set(w, true);
      return false;
    }
    // Liveness and readiness wait for the startup probe; a started container is not startup-probed again.
    if (w.kind !== "startup" && !this.started(w.uid, w.container.name, t.containerId)) return true;
    if (w.kind === "startup" && w.result === true) return true;
    if (t.now - t.startedAt < w.probe.initialDelaySeconds * 1000) return true;
    w.probedId = t.containerId;
    const handler = PROBE_HANDLERS.find((h) => h.applies(w.probe))!;
    const outcome = handler.run(w.probe, w.container, t);
    if (!outcome.ok) this.o.failed(pod, w.container, w.kind, outcome.output);
    if (w.lastResult === outcome.ok) w.resultRun++;
    else {
      w.lastResult = outcome.ok;
      w.resultRun = 1;
    }
    if ((!outcome.ok && w.resultRun < w.probe.failureThreshold) || (outcome.ok && w.resultRun < w.probe.successThreshold)) return true;
    this.set(w, outcome.ok);
    if (!outcome.ok && PROBE_KINDS[w.kind].restartsOnFailure) {
      // Stop probing until a new container replaces this one.
      w.onHold = true;
      w.resultRun = 0;
    }
    return true;
  }
}
