// The Job controller, after pkg/controller/job/job_controller.go: runs pods
// from the template until spec.completions succeed (parallelism at a time),
// replaces failed pods after an exponential back-off (10 s, 20 s, … capped at
// 6 min), and fails the Job past backoffLimit or activeDeadlineSeconds. Pods
// carry the batch.kubernetes.io/job-tracking finalizer: a finished pod is
// recorded in status.uncountedTerminatedPods, its finalizer removed, then it
// is counted in status.succeeded/failed, so no pod is counted twice or lost.
// From v1.31 the Job first gets SuccessCriteriaMet/FailureTarget and only
// gets Complete/Failed once no pod is still terminating (delayTerminalCondition).
// Leaves out: Indexed completion mode, pod failure and success policies,
// backoffLimitPerIndex, managedBy.

import { isNotFound } from "../../apimachinery/errors.ts";
import { objectKey, rfc3339 } from "../../apimachinery/meta.ts";
import type { Job, JobCondition, JobStatus } from "../../api/batch/v1.ts";
import { GVR } from "../../client/interface.ts";
import { type Controller, type ControllerContext, newQueue, newRecorder } from "../context.ts";
import { canonicalJSON, getControllerOf, isPodActive, isPodReady, podFromTemplate } from "../controller-utils.ts";
import { slowStartBatch } from "../replicaset/replica-set.ts";
import type { Pod, PodTemplateSpec } from "../types.ts";

export const JOB_TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";
/** DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff. */
const BACKOFF_BASE_MS = 10_000;
const BACKOFF_MAX_MS = 6 * 60_000;
/** MaxPodCreateDeletePerSync. */
const MAX_PER_SYNC = 500;
/** A key in the queue for a pod whose Job is gone but whose finalizer is still on. */
const ORPHAN_PREFIX = "orphan-pod:";

type JobPod = Pod & { status?: Pod["status"] & { containerStatuses?: { restartCount?: number; state?: { terminated?: { finishedAt?: string } } }[] } };

export function isJobFinished(job: Job): JobCondition | undefined {
  return job.status?.conditions?.find((c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True");
}

function hasFinalizer(pod: Pod): boolean {
  return pod.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER) ?? false;
}

/** isPodFailed: a failed phase, or deleted before it could succeed. */
function isPodFailed(pod: Pod): boolean {
  if (pod.status?.phase === "Failed") return true;
  return !!pod.metadata.deletionTimestamp && pod.status?.phase !== "Succeeded";
}

function isTerminating(pod: Pod): boolean {
  return !!pod.metadata.deletionTimestamp && pod.status?.phase !== "Succeeded" && pod.status?.phase !== "Failed";
}

/** getFinishedTime: when the last container stopped, else when deletion began, else creation. */
function finishedAt(pod: JobPod): number {
  let t = 0;
  for (const c of pod.status?.containerStatuses ?? []) {
    const f = c.state?.terminated?.finishedAt;
    if (f) t = Math.max(t, Date.parse(f));
  }
  if (t) return t;
  if (pod.metadata.deletionTimestamp) return Date.parse(pod.metadata.deletionTimestamp);
  return Date.parse(pod.metadata.creationTimestamp ?? "") || 0;
}

/**
 * The back-off record (backoff_utils.go): failures since the last success,
 * and when the latest failure happened. Derived from the pods, so deleting
 * the failed pods resets it, as the documentation promises.
 */
function backoffRemaining(pods: JobPod[], now: number): number {
  const finished = pods
    .filter((p) => p.status?.phase === "Succeeded" || isPodFailed(p))
    .sort((a, b) => finishedAt(a) - finishedAt(b));
  let failures = 0;
  let lastFailure = 0;
  for (const p of finished) {
    if (p.status?.phase === "Succeeded") {
      failures = 0;
      continue;
    }
    failures++;
    lastFailure = Math.max(lastFailure, finishedAt(p));
  }
  if (failures === 0) return 0;
  const backoff = Math.min(BACKOFF_BASE_MS * 2 ** (failures - 1), BACKOFF_MAX_MS);
  const elapsed = now - lastFailure;
  return elapsed < backoff ? backoff - elapsed : 0;
}

/** pastBackoffLimitOnFailure: with restartPolicy OnFailure the restarts are the failures. */
function pastBackoffLimitOnFailure(job: Job, pods: JobPod[]): boolean {
  if (job.spec.template.spec?.restartPolicy !== "OnFailure") return false;
  let restarts = 0;
  for (const p of pods) {
    if (p.status?.phase !== "Running" && p.status?.phase !== "Pending") continue;
    const inits = (p.status?.initContainerStatuses as { restartCount?: number }[] | undefined) ?? [];
    for (const c of [...inits, ...(p.status?.containerStatuses ?? [])]) restarts += c.restartCount ?? 0;
  }
  const limit = job.spec.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

function condition(type: string, reason: string, message: string, now: number): JobCondition {
  const t = rfc3339(now);
  return { type, status: "True", lastProbeTime: t, lastTransitionTime: t, ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
}

/** ensureJobConditionStatus: adds or flips a condition; reports whether anything changed. */
function ensureCondition(conds: JobCondition[], type: string, status: "True" | "False", reason: string, message: string, now: number): boolean {
  const c = conds.find((x) => x.type === type);
  if (!c) {
    if (status === "False") return false;
    conds.push({ ...condition(type, reason, message, now), status });
    return true;
  }
  if (c.status === status && c.reason === reason && c.message === message) return false;
  if (c.status !== status) c.lastTransitionTime = rfc3339(now);
  Object.assign(c, { status, reason, message, lastProbeTime: rfc3339(now) });
  return true;
}

export function startJobController(ctx: ControllerContext): Controller {
  const jobInformer = ctx.informers.for<Job>(GVR.jobs);
  const podInformer = ctx.informers.for<JobPod>(GVR.pods);
  const recorder = newRecorder(ctx, "job-controller");
  const jobClient = ctx.client.resource<Job>(GVR.jobs);
  const podClient = ctx.client.resource<Pod>(GVR.pods);
  const minor = Number(ctx.version.split(".")[1] ?? 32);
  // delayTerminalCondition(): JobManagedBy/JobPodReplacementPolicy, on by default from 1.31.
  const delayTerminal = minor >= 31;
  const queue = newQueue(ctx, "job", sync);

  const enqueueForPod = (pod: Pod) => {
    const ref = getControllerOf(pod);
    if (ref?.kind !== "Job") return;
    const job = jobInformer.get(`${pod.metadata.namespace}/${ref.name}`);
    if (job && job.metadata.uid === ref.uid) queue.add(objectKey(job));
    else if (hasFinalizer(pod)) queue.add(ORPHAN_PREFIX + objectKey(pod));
  };
  jobInformer.addEventHandler({ add: (j) => queue.add(objectKey(j)), update: (_o, j) => queue.add(objectKey(j)), delete: (j) => queue.add(objectKey(j)) });
  podInformer.addEventHandler({ add: enqueueForPod, update: (_o, p) => enqueueForPod(p), delete: enqueueForPod });

  async function removeFinalizer(pod: Pod): Promise<void> {
    if (!hasFinalizer(pod)) return;
    const finalizers = pod.metadata.finalizers!.filter((f) => f !== JOB_TRACKING_FINALIZER);
    try {
      // The uid is a precondition: a new pod that took the name is left alone.
      await podClient.patch(pod.metadata.name!, pod.metadata.namespace, "application/merge-patch+json", { metadata: { finalizers: finalizers.length ? finalizers : null, uid: pod.metadata.uid } });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  async function deletePod(job: Job, pod: Pod): Promise<void> {
    try {
      await podClient.delete(pod.metadata.name!, pod.metadata.namespace);
      recorder.event(job, "Normal", "SuccessfulDelete", `Deleted pod: ${pod.metadata.name}`);
    } catch (e) {
      if (isNotFound(e)) return;
      recorder.event(job, "Warning", "FailedDelete", `Error deleting: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
  }

  async function writeStatus(job: Job, status: JobStatus): Promise<Job> {
    if (canonicalJSON(status) === canonicalJSON(job.status ?? {})) return job;
    return jobClient.update({ ...job, status }, { subresource: "status" });
  }

  async function sync(key: string): Promise<void> {
    if (key.startsWith(ORPHAN_PREFIX)) {
      const pod = podInformer.get(key.slice(ORPHAN_PREFIX.length));
      const ref = pod && getControllerOf(pod);
      const job = ref && jobInformer.get(`${pod.metadata.namespace}/${ref.name}`);
      if (pod && (!job || job.metadata.uid !== ref!.uid)) await removeFinalizer(pod);
      return;
    }
    const cached = jobInformer.get(key);
    if (!cached) return;
    let job: Job = structuredClone(cached);
    const now = ctx.clock.now();
    const pods = podInformer.list(job.metadata.namespace).filter((p) => getControllerOf(p)?.uid === job.metadata.uid);

    // A finished Job only lets go of its pods.
    if (isJobFinished(job)) {
      await Promise.all(pods.map(removeFinalizer));
      return;
    }

    const status: JobStatus = structuredClone(job.status ?? {});
    const uncounted = { succeeded: [...(status.uncountedTerminatedPods?.succeeded ?? [])], failed: [...(status.uncountedTerminatedPods?.failed ?? [])] };
    if (!status.startTime && !job.spec.suspend) status.startTime = rfc3339(now);

    const active = pods.filter(isPodActive);
    const terminating = pods.filter(isTerminating).length;
    // Finished pods still carrying our finalizer are new: not yet counted.
    const isCounted = (p: Pod) => !hasFinalizer(p) || uncounted.succeeded.includes(p.metadata.uid!) || uncounted.failed.includes(p.metadata.uid!);
    const newSucceeded = pods.filter((p) => p.status?.phase === "Succeeded" && !isCounted(p));
    const newFailed = pods.filter((p) => isPodFailed(p) && !isCounted(p));
    const succeeded = (status.succeeded ?? 0) + uncounted.succeeded.length + newSucceeded.length;
    const failed = (status.failed ?? 0) + uncounted.failed.length + newFailed.length;

    // Why the Job must end, if it must.
    let finished: JobCondition | undefined;
    let delay: number | undefined;
    const target = status.conditions?.find((c) => (c.type === "FailureTarget" || c.type === "SuccessCriteriaMet") && c.status === "True");
    if (target) finished = target;
    else if (failed > (job.spec.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, pods)) {
      finished = condition(delayTerminal ? "FailureTarget" : "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit", now);
    } else if (job.spec.activeDeadlineSeconds !== undefined && status.startTime && !job.spec.suspend) {
      const left = Date.parse(status.startTime) + job.spec.activeDeadlineSeconds * 1000 - now;
      if (left <= 0) finished = condition(delayTerminal ? "FailureTarget" : "Failed", "DeadlineExceeded", "Job was active longer than specified deadline", now);
      else delay = left;
    }

    let activeCount = active.length;
    let ready = active.filter(isPodReady).length;
    let manageErr: unknown;
    const failing = !!finished && finished.type !== "SuccessCriteriaMet" && finished.type !== "Complete";
    if (failing) {
      // A failing Job stops its running pods, and counts them as failed.
      newFailed.push(...active.filter((p) => !isCounted(p)));
      const results = await Promise.allSettled(active.map((p) => deletePod(job, p)));
      manageErr = results.find((r): r is PromiseRejectedResult => r.status === "rejected")?.reason;
      activeCount = 0;
      ready = 0;
    } else if (!finished && !job.metadata.deletionTimestamp) {
      if (job.spec.suspend) {
        await Promise.all(active.map((p) => deletePod(job, p)));
        activeCount = 0;
        ready = 0;
        status.conditions ??= [];
        if (ensureCondition(status.conditions, "Suspended", "True", "JobSuspended", "Job suspended", now)) recorder.event(job, "Normal", "Suspended", "Job suspended");
      } else {
        if (status.conditions && ensureCondition(status.conditions, "Suspended", "False", "JobResumed", "Job resumed", now)) {
          recorder.event(job, "Normal", "Resumed", "Job resumed");
          status.startTime = rfc3339(now);
        }
        const parallelism = job.spec.parallelism ?? 1;
        const completions = job.spec.completions;
        let want = completions === undefined || completions === null ? (succeeded > 0 ? activeCount : parallelism) : Math.min(Math.max(completions - succeeded, 0), parallelism);
        if (activeCount > want) {
          // Too many: delete the least progressed (activePodsForRemoval).
          const extra = [...active].sort((a, b) => Number(isPodReady(a)) - Number(isPodReady(b))).slice(0, Math.min(activeCount - want, MAX_PER_SYNC));
          await Promise.all(extra.map((p) => deletePod(job, p)));
          activeCount -= extra.length;
          ready -= extra.filter(isPodReady).length;
        } else {
          // podReplacementPolicy TerminatingOrFailed: a terminating pod's replacement need not wait.
          const waitTerminating = job.spec.podReplacementPolicy === "Failed" ? terminating : 0;
          want = Math.min(want - waitTerminating, activeCount + MAX_PER_SYNC);
          const diff = want - activeCount;
          if (diff > 0) {
            const remaining = backoffRemaining(pods, now);
            if (remaining > 0) delay = delay === undefined ? remaining : Math.min(delay, remaining);
            else {
              const res = await slowStartBatch(diff, async () => {
                try {
                  const pod = await podClient.create(jobPod(job), job.metadata.namespace);
                  recorder.event(job, "Normal", "SuccessfulCreate", `Created pod: ${pod.metadata.name}`);
                } catch (e) {
                  recorder.event(job, "Warning", "FailedCreate", `Error creating: ${e instanceof Error ? e.message : String(e)}`);
                  throw e;
                }
              });
              activeCount += res.ok;
              manageErr = res.err;
            }
          }
        }
        const complete = completions === undefined || completions === null ? succeeded > 0 && activeCount === 0 : succeeded >= completions && activeCount === 0;
        if (complete) {
          finished = delayTerminal
            ? condition("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods", now)
            : condition("Complete", "", "", now);
        }
      }
    }

    status.active = activeCount;
    status.ready = ready;
    if (minor >= 28) status.terminating = terminating + (failing ? active.length : 0);

    // trackJobStatusAndRemoveFinalizers: record the newly finished pods as uncounted, flush, drop finalizers, count them.
    uncounted.succeeded.push(...newSucceeded.map((p) => p.metadata.uid!));
    uncounted.failed.push(...newFailed.map((p) => p.metadata.uid!));
    if (finished && (finished.type === "FailureTarget" || finished.type === "SuccessCriteriaMet") && !status.conditions?.some((c) => c.type === finished!.type)) {
      (status.conditions ??= []).push(finished);
    }
    status.uncountedTerminatedPods = uncountedOut(uncounted);
    job = await writeStatus(job, clean(status));

    // canRemoveFinalizer: the pod finished or was deleted, or the Job is done with it.
    const toRelease = pods.filter((p) => hasFinalizer(p) && (p.status?.phase === "Succeeded" || isPodFailed(p) || failing || !!job.metadata.deletionTimestamp));
    const released = await Promise.allSettled(toRelease.map(removeFinalizer));
    const ok = new Set(toRelease.filter((_p, i) => released[i]!.status === "fulfilled").map((p) => p.metadata.uid!));
    const stillHeld = new Set(podInformer.list(job.metadata.namespace).filter((p) => hasFinalizer(p) && !ok.has(p.metadata.uid!)).map((p) => p.metadata.uid!));
    const next: JobStatus = structuredClone(job.status ?? {});
    const counted = { succeeded: uncounted.succeeded.filter((u) => !stillHeld.has(u)), failed: uncounted.failed.filter((u) => !stillHeld.has(u)) };
    next.succeeded = (next.succeeded ?? 0) + counted.succeeded.length;
    next.failed = (next.failed ?? 0) + counted.failed.length;
    next.uncountedTerminatedPods = uncountedOut({ succeeded: uncounted.succeeded.filter((u) => stillHeld.has(u)), failed: uncounted.failed.filter((u) => stillHeld.has(u)) });

    // enactJobFinished: the terminal condition waits for every pod to be counted and gone from terminating.
    let justFinished: JobCondition | undefined;
    const pendingUncounted = (next.uncountedTerminatedPods?.succeeded?.length ?? 0) + (next.uncountedTerminatedPods?.failed?.length ?? 0);
    const stillTerminating = pods.filter((p) => isTerminating(p) || (failing && isPodActive(p))).length;
    if (finished && pendingUncounted === 0 && (!delayTerminal || stillTerminating === 0)) {
      const type = finished.type === "SuccessCriteriaMet" || finished.type === "Complete" ? "Complete" : "Failed";
      next.conditions ??= [];
      ensureCondition(next.conditions, type, "True", finished.reason ?? "", finished.message ?? "", now);
      justFinished = next.conditions.find((c) => c.type === type);
      if (type === "Complete") next.completionTime = justFinished!.lastTransitionTime;
      if (delayTerminal) next.terminating = 0;
    }
    job = await writeStatus(job, clean(next));
    if (justFinished) {
      if (justFinished.type === "Complete") {
        if (job.spec.completions && (next.succeeded ?? 0) > job.spec.completions) recorder.event(job, "Warning", "TooManySucceededPods", "Too many succeeded pods running after completion count reached");
        recorder.event(job, "Normal", "Completed", "Job completed");
      } else recorder.event(job, "Warning", justFinished.reason ?? "", justFinished.message ?? "");
    }
    if (delay !== undefined && !justFinished) queue.addAfter(key, delay);
    if (manageErr) throw manageErr;
  }

  /** The pod for a Job: the template with the tracking finalizer (job labels come from the registry's defaults). */
  function jobPod(job: Job): Pod {
    const pod = podFromTemplate(job.spec.template as PodTemplateSpec, job);
    pod.metadata.finalizers = [...(pod.metadata.finalizers ?? []), JOB_TRACKING_FINALIZER];
    return pod;
  }

  return { stop: () => queue.shutdown() };
}

function uncountedOut(u: { succeeded: string[]; failed: string[] }): NonNullable<JobStatus["uncountedTerminatedPods"]> {
  return { ...(u.succeeded.length ? { succeeded: u.succeeded } : {}), ...(u.failed.length ? { failed: u.failed } : {}) };
}

/** The apiserver omits zero counters (omitempty); ready and terminating are pointers and stay. */
function clean(s: JobStatus): JobStatus {
  const out = { ...s };
  for (const k of ["active", "succeeded", "failed"] as const) if (!out[k]) delete out[k];
  return out;
}
