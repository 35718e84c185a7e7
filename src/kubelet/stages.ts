// The pod lifecycle as data, after kwok's Stage resources: each stage says
// when it applies to a pod (a selector over the kubelet's view of the pod),
// how long the step takes on the cluster clock, and which action the kubelet
// then runs. The kubelet's sync takes the first stage that applies; changing a
// timing or the order of steps is an edit to this table, not to the kubelet.
// Probe results come from prober.ts; a failed liveness probe is a stage here.
// Leaves out: ephemeral containers.

import type { Container as ContainerSpec, Pod } from "../api/core/v1.ts";
import type { Container as RuntimeContainer } from "../cri/runtime.ts";
import type { Rand } from "../utils/rand.ts";

/** A reason the kubelet shows for a container that is not running. */
export interface Waiting {
  reason: string;
  message?: string;
}

/** What the kubelet knows about one container of a pod when it syncs. */
export interface ContainerView {
  spec: ContainerSpec;
  init: boolean;
  /** The newest runtime container for this name, and the one before it. */
  latest?: RuntimeContainer;
  previous?: RuntimeContainer;
  /** The image is on the node and, for imagePullPolicy Always, was pulled for this attempt. */
  imageReady: boolean;
  /** A pull for this container is queued or running. */
  pulling: boolean;
  /** The kubelet's own waiting reason (ErrImagePull, ImagePullBackOff, CrashLoopBackOff…). */
  waiting?: Waiting;
  /** ms left of the image pull back-off, 0 when none. */
  pullBackOffMs: number;
  /** ms left of the restart back-off, 0 when none. */
  crashBackOffMs: number;
  /** Never started, or exited and the restart policy says start again. */
  needsStart: boolean;
  /** An init container that exited 0. */
  completed: boolean;
  /** For a running container: its readiness and startup probe results (true without probes). */
  ready?: boolean;
  started?: boolean;
  /** The probe a running container failed (liveness or startup), calling for a restart. */
  unhealthy?: "liveness" | "startup";
  /** A stop of the running container is under way (it failed a probe). */
  stopping?: boolean;
}

export interface PodView {
  pod: Pod;
  deleting: boolean;
  /** A kill is in progress (containers got SIGTERM). */
  killing: boolean;
  sandboxReady: boolean;
  /** ms until a failed sandbox creation is retried, 0 when none. */
  sandboxBackOffMs: number;
  anyRunning: boolean;
  containers: ContainerView[];
  /** The container the next pull/create is for: sequential, as SyncPod walks them. */
  target?: ContainerView;
}

export type Action =
  | "killPod"
  | "removePod"
  | "runSandbox"
  | "pullImage"
  | "imagePullBackOff"
  | "createContainer"
  | "startContainer"
  | "crashLoopBackOff"
  | "killContainer";

export interface Stage {
  name: string;
  /** The container the stage acts on ("" for the pod), or undefined when it does not apply. */
  when(v: PodView): string | undefined;
  /** How long the step takes, in ms of cluster time. */
  delay(v: PodView, rand: Rand): number;
  action: Action;
}

const between = (lo: number, hi: number) => (_v: PodView, rand: Rand) => Math.round(lo + rand.float() * (hi - lo));
const now = () => 0;

export const POD_STAGES: Stage[] = [
  {
    name: "pod-kill",
    when: (v) => (v.deleting && !v.killing && (v.anyRunning || v.sandboxReady) ? "" : undefined),
    delay: now,
    action: "killPod",
  },
  {
    name: "pod-remove",
    when: (v) => (v.deleting && !v.killing && !v.anyRunning && !v.sandboxReady ? "" : undefined),
    delay: now,
    action: "removePod",
  },
  {
    // RunPodSandbox: the pause container and the CNI ADD.
    name: "pod-sandbox",
    when: (v) => (!v.deleting && !v.sandboxReady && v.sandboxBackOffMs === 0 ? "" : undefined),
    delay: between(400, 900),
    action: "runSandbox",
  },
  {
    name: "container-pull",
    when: (v) => (!v.deleting && v.target && !v.target.imageReady && !v.target.pulling ? v.target.spec.name : undefined),
    delay: now,
    action: "pullImage",
  },
  {
    // ErrImagePull shows briefly, then the next sync finds the back-off active.
    name: "container-pull-backoff",
    when: (v) => (v.deleting ? undefined : v.containers.find((c) => c.waiting?.reason === "ErrImagePull" && c.pullBackOffMs > 0)?.spec.name),
    delay: between(1000, 2000),
    action: "imagePullBackOff",
  },
  {
    name: "container-create",
    when: (v) => (!v.deleting && v.target && v.target.imageReady ? v.target.spec.name : undefined),
    delay: between(150, 400),
    action: "createContainer",
  },
  {
    name: "container-start",
    when: (v) => (v.deleting ? undefined : v.containers.find((c) => c.latest?.state === "CONTAINER_CREATED")?.spec.name),
    delay: between(50, 150),
    action: "startContainer",
  },
  {
    // A failed liveness or startup probe: the container is stopped, then restarted like any exited one.
    name: "container-unhealthy",
    when: (v) => (v.deleting ? undefined : v.containers.find((c) => c.unhealthy && !c.stopping && c.latest?.state === "CONTAINER_RUNNING")?.spec.name),
    delay: now,
    action: "killContainer",
  },
  {
    // The exit shows as Error (terminated) until the pod worker's next sync finds the back-off active.
    name: "container-crashloop",
    when: (v) =>
      v.deleting ? undefined : v.containers.find((c) => c.needsStart && c.crashBackOffMs > 0 && c.waiting?.reason !== "CrashLoopBackOff")?.spec.name,
    delay: between(1000, 2000),
    action: "crashLoopBackOff",
  },
];

/** The first stage that applies, with the container it is about. */
export function nextStage(v: PodView, stages: Stage[] = POD_STAGES): { stage: Stage; target: string } | undefined {
  for (const stage of stages) {
    const target = stage.when(v);
    if (target !== undefined) return { stage, target };
  }
  return undefined;
}

/** Back-off settings shared by image pulls and container restarts (kubelet defaults). */
export const BACKOFF = { initialMs: 10_000, maxMs: 300_000 };

/** How long graceful stops take when the pod does not say: terminationGracePeriodSeconds' default. */
export const DEFAULT_GRACE_SECONDS = 30;
