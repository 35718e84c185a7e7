// The pod status a kubelet posts, after generateAPIPodStatus in
// pkg/kubelet/kubelet_pods.go and pkg/kubelet/status/generate.go: phase,
// the five pod conditions with their reasons, container statuses built from
// the runtime's containers plus the kubelet's waiting reasons, IPs and
// startTime. Conditions keep lastTransitionTime while their status holds.
// A running container is ready and started as its probes say (no probe: yes).
// Leaves out: resize and resources.

import type { ContainerStatus, Pod, PodCondition, PodStatus } from "../api/core/v1.ts";
import { rfc3339 } from "../apimachinery/meta.ts";
import type { Container as RuntimeContainer } from "../cri/runtime.ts";
import type { ContainerView } from "./stages.ts";

export interface StatusInputs {
  pod: Pod;
  containers: ContainerView[];
  podIP?: string;
  hostIP: string;
  startTime?: number;
  sandboxReady: boolean;
  now: number;
}

function terminated(c: RuntimeContainer): NonNullable<ContainerStatus["state"]> {
  return {
    terminated: {
      exitCode: c.exitCode ?? 0,
      reason: c.reason ?? "Completed",
      startedAt: c.startedAt !== undefined ? rfc3339(c.startedAt) : undefined,
      finishedAt: c.finishedAt !== undefined ? rfc3339(c.finishedAt) : undefined,
      containerID: `containerd://${c.id}`,
    },
  };
}

function containerStatus(v: ContainerView, defaultWaiting: string): ContainerStatus {
  const latest = v.latest;
  const lastState = v.latest?.state === "CONTAINER_EXITED" && v.waiting ? terminated(v.latest) : v.previous ? terminated(v.previous) : {};
  const base = {
    name: v.spec.name,
    image: latest?.image ?? v.spec.image ?? "",
    imageID: latest?.imageRef ?? "",
    restartCount: latest?.attempt ?? 0,
  };
  if (v.waiting) {
    // A restart pending (CrashLoopBackOff) still reports the last container's ID.
    return {
      ...base,
      state: { waiting: { reason: v.waiting.reason, ...(v.waiting.message ? { message: v.waiting.message } : {}) } },
      lastState,
      ready: false,
      started: false,
      ...(latest ? { containerID: `containerd://${latest.id}` } : {}),
    };
  }
  if (!latest || latest.state === "CONTAINER_CREATED") {
    return { ...base, state: { waiting: { reason: defaultWaiting } }, lastState: v.previous ? terminated(v.previous) : {}, ready: false, started: false };
  }
  if (latest.state === "CONTAINER_RUNNING") {
    return {
      ...base,
      state: { running: { startedAt: rfc3339(latest.startedAt!) } },
      lastState: v.previous ? terminated(v.previous) : {},
      ready: v.ready ?? true,
      started: v.started ?? true,
      containerID: `containerd://${latest.id}`,
    };
  }
  return { ...base, state: terminated(latest), lastState: v.previous ? terminated(v.previous) : {}, ready: false, started: false, containerID: `containerd://${latest.id}` };
}

function phaseOf(pod: Pod, inits: ContainerView[], mains: ContainerView[]): NonNullable<PodStatus["phase"]> {
  if (inits.some((c) => !c.completed)) {
    const failed = inits.find((c) => c.latest?.state === "CONTAINER_EXITED" && c.latest.exitCode !== 0);
    return failed && pod.spec.restartPolicy === "Never" ? "Failed" : "Pending";
  }
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let failed = 0;
  let succeeded = 0;
  for (const c of mains) {
    const st = c.latest?.state;
    if (st === "CONTAINER_RUNNING") running++;
    else if (st === "CONTAINER_EXITED") {
      stopped++;
      if (c.latest!.exitCode === 0) succeeded++;
      else failed++;
    } else waiting++;
    // A container waiting to restart after having run counts as running for the phase.
    if (st === "CONTAINER_EXITED" && c.needsStart) {
      stopped--;
      running++;
    }
  }
  // One or more containers has never started: the pod is still Pending, as getPhase says.
  if (waiting > 0) return "Pending";
  if (running > 0) return "Running";
  if (stopped === mains.length && stopped > 0) return failed > 0 ? "Failed" : "Succeeded";
  void succeeded;
  return "Pending";
}

function qosClass(pod: Pod): NonNullable<PodStatus["qosClass"]> {
  const all = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
  const any = all.some((c) => Object.keys(c.resources?.requests ?? {}).length + Object.keys(c.resources?.limits ?? {}).length > 0);
  if (!any) return "BestEffort";
  const guaranteed = all.every((c) => {
    const l = c.resources?.limits ?? {};
    const r = c.resources?.requests ?? {};
    return l.cpu && l.memory && (r.cpu ?? l.cpu) === l.cpu && (r.memory ?? l.memory) === l.memory;
  });
  return guaranteed ? "Guaranteed" : "Burstable";
}

export function generatePodStatus(s: StatusInputs): PodStatus {
  const { pod, now } = s;
  const inits = s.containers.filter((c) => c.init);
  const mains = s.containers.filter((c) => !c.init);
  const initializing = inits.some((c) => !c.completed);
  const initStatuses = inits.map((c) => {
    const st = containerStatus(c, "PodInitializing");
    // A finished init container is not "ready" but its terminated state counts as done.
    if (c.completed) st.ready = true;
    return st;
  });
  const statuses = mains.map((c) => containerStatus(c, initializing ? "PodInitializing" : "ContainerCreating"));
  const notReady = mains.filter((_c, i) => !statuses[i]!.ready).map((c) => c.spec.name);
  const incomplete = inits.filter((c) => !c.completed).map((c) => c.spec.name);
  const old = pod.status?.conditions ?? [];
  const ts = rfc3339(now);
  const cond = (type: string, ok: boolean, reason?: string, message?: string): PodCondition => {
    const prev = old.find((c) => c.type === type);
    const status = ok ? "True" : "False";
    return {
      type,
      status,
      lastProbeTime: null,
      lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : ts,
      ...(ok ? {} : { reason, message }),
    };
  };
  const conditions: PodCondition[] = [
    cond("PodReadyToStartContainers", s.sandboxReady),
    cond("Initialized", !initializing, "ContainersNotInitialized", `containers with incomplete status: [${incomplete.join(" ")}]`),
    cond("Ready", notReady.length === 0, "ContainersNotReady", `containers with unready status: [${notReady.join(" ")}]`),
    cond("ContainersReady", notReady.length === 0, "ContainersNotReady", `containers with unready status: [${notReady.join(" ")}]`),
  ];
  const scheduled = old.find((c) => c.type === "PodScheduled");
  conditions.push(scheduled ?? { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: ts });
  const status: PodStatus = {
    phase: phaseOf(pod, inits, mains),
    conditions,
    hostIP: s.hostIP,
    hostIPs: [{ ip: s.hostIP }],
    ...(s.podIP ? { podIP: s.podIP, podIPs: [{ ip: s.podIP }] } : {}),
    ...(s.startTime !== undefined ? { startTime: rfc3339(s.startTime) } : {}),
    ...(inits.length > 0 ? { initContainerStatuses: initStatuses } : {}),
    containerStatuses: statuses,
    qosClass: pod.status?.qosClass ?? qosClass(pod),
  };
  return status;
}
