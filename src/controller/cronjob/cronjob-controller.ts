// The CronJob controller, after pkg/controller/cronjob/cronjob_controllerv2.go:
// at each scheduled time it creates a Job named <cronjob>-<minutes since the
// epoch>, honouring suspend, startingDeadlineSeconds and concurrencyPolicy
// (Allow, Forbid, Replace); it keeps status.active/lastScheduleTime/
// lastSuccessfulTime and deletes finished Jobs beyond the history limits.
// Each CronJob has one timer for its next scheduled time on the cluster clock.
// Leaves out: the scheduled-timestamp annotation in the CronJob's time zone
// (it is written in UTC).

import { isAlreadyExists, isNotFound } from "../../apimachinery/errors.ts";
import { objectKey, rfc3339 } from "../../apimachinery/meta.ts";
import type { CronJob, Job } from "../../api/batch/v1.ts";
import type { ObjectReference } from "../../api/core/v1.ts";
import { GVR } from "../../client/interface.ts";
import { type Controller, type ControllerContext, newQueue, newRecorder } from "../context.ts";
import { canonicalJSON, controllerRef, getControllerOf } from "../controller-utils.ts";
import { isJobFinished } from "../job/job-controller.ts";
import { parseSchedule, type Schedule } from "./cron.ts";

/** nextScheduleDelta: wake a little after the minute so the schedule has surely passed. */
const NEXT_SCHEDULE_DELTA_MS = 100;

/** time.RFC1123Z, as the MissSchedule event prints the time. */
function rfc1123z(ms: number): string {
  const d = new Date(ms);
  const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const p = (n: number) => String(n).padStart(2, "0");
  return `${days[d.getUTCDay()]}, ${p(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

export function jobNameForSchedule(cj: CronJob, scheduledMs: number): string {
  return `${cj.metadata.name}-${Math.floor(scheduledMs / 60_000)}`;
}

/**
 * mostRecentScheduleTime: the latest activation in (earliest, now], where
 * earliest is the last schedule (or creation), no earlier than
 * startingDeadlineSeconds ago; and how many were missed.
 */
function mostRecent(cj: CronJob, sched: Schedule, now: number): { time?: number; missed: number } {
  let earliest = Date.parse(cj.status?.lastScheduleTime ?? cj.metadata.creationTimestamp ?? "") || now;
  const deadline = cj.spec.startingDeadlineSeconds;
  if (deadline !== undefined && deadline !== null) earliest = Math.max(earliest, now - deadline * 1000);
  let t = sched.next(earliest);
  if (t > now) return { missed: 0 };
  let missed = 1;
  for (;;) {
    const n = sched.next(t);
    if (n > now || missed > 100) break;
    t = n;
    missed++;
  }
  return { time: t, missed };
}

function startOf(job: Job): number {
  return Date.parse(job.status?.startTime ?? job.metadata.creationTimestamp ?? "") || 0;
}

export function startCronJobController(ctx: ControllerContext): Controller {
  const cjInformer = ctx.informers.for<CronJob>(GVR.cronjobs);
  const jobInformer = ctx.informers.for<Job>(GVR.jobs);
  const recorder = newRecorder(ctx, "cronjob-controller");
  const cjClient = ctx.client.resource<CronJob>(GVR.cronjobs);
  const jobClient = ctx.client.resource<Job>(GVR.jobs);
  const queue = newQueue(ctx, "cronjob", sync);

  const enqueueOwner = (job: Job) => {
    const ref = getControllerOf(job);
    if (ref?.kind === "CronJob") queue.add(`${job.metadata.namespace}/${ref.name}`);
  };
  cjInformer.addEventHandler({ add: (c) => queue.add(objectKey(c)), update: (_o, c) => queue.add(objectKey(c)) });
  jobInformer.addEventHandler({ add: enqueueOwner, update: (_o, j) => enqueueOwner(j), delete: enqueueOwner });

  async function deleteJob(cj: CronJob, job: Job): Promise<void> {
    try {
      await jobClient.delete(job.metadata.name!, job.metadata.namespace, { propagationPolicy: "Background" });
      recorder.event(cj, "Normal", "SuccessfulDelete", `Deleted job ${job.metadata.name}`);
    } catch (e) {
      if (isNotFound(e)) return;
      recorder.event(cj, "Warning", "FailedDelete", `Deleted job: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
  }

  async function sync(key: string): Promise<void> {
    const cached = cjInformer.get(key);
    if (!cached) return;
    const cj: CronJob = structuredClone(cached);
    const now = ctx.clock.now();
    const jobs = jobInformer.list(cj.metadata.namespace).filter((j) => getControllerOf(j)?.uid === cj.metadata.uid);
    const status = cj.status ?? {};
    let active: ObjectReference[] = [...(status.active ?? [])];

    // Reconcile status.active with the Jobs that exist, noting the ones that finished.
    for (const j of jobs) {
      const inActive = active.some((a) => a.uid === j.metadata.uid);
      const done = isJobFinished(j);
      if (!done && !inActive) active.push(jobRef(j));
      if (done && inActive) {
        recorder.event(cj, "Normal", "SawCompletedJob", `Saw completed job: ${j.metadata.name}, condition: ${done.type}`);
        active = active.filter((a) => a.uid !== j.metadata.uid);
      }
      if (done?.type === "Complete" && j.status?.completionTime) {
        const t = Date.parse(j.status.completionTime);
        if (!status.lastSuccessfulTime || Date.parse(status.lastSuccessfulTime) < t) status.lastSuccessfulTime = j.status.completionTime;
      }
    }
    for (const a of [...active]) {
      if (jobs.some((j) => j.metadata.uid === a.uid)) continue;
      recorder.event(cj, "Normal", "MissingJob", `Active job went missing: ${a.name}`);
      active = active.filter((x) => x.uid !== a.uid);
    }

    let nextDelay: number | undefined;
    if (!cj.metadata.deletionTimestamp && !cj.spec.suspend) {
      let sched: Schedule | undefined;
      try {
        sched = parseSchedule(cj.spec.schedule, cj.spec.timeZone ?? "UTC");
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        if (cj.spec.timeZone && /time zone/i.test(msg)) recorder.event(cj, "Warning", "UnknownTimeZone", `invalid timeZone: "${cj.spec.timeZone}": unknown time zone ${cj.spec.timeZone}`);
        else recorder.event(cj, "Warning", "UnparseableSchedule", `unparseable schedule: "${cj.spec.schedule}" : ${msg}`);
      }
      if (sched) {
        const { time, missed } = mostRecent(cj, sched, now);
        if (missed > 100) recorder.event(cj, "Warning", "TooManyMissedTimes", "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew");
        nextDelay = sched.next(now) - now + NEXT_SCHEDULE_DELTA_MS;
        const deadline = cj.spec.startingDeadlineSeconds;
        const name = time !== undefined ? jobNameForSchedule(cj, time) : "";
        if (time === undefined || active.some((a) => a.name === name) || jobs.some((j) => j.metadata.name === name)) {
          // Nothing due, or this time's Job exists already.
        } else if (deadline !== undefined && deadline !== null && time + deadline * 1000 < now) {
          recorder.event(cj, "Warning", "MissSchedule", `Missed scheduled time to start a job: ${rfc1123z(time)}`);
        } else if (cj.spec.concurrencyPolicy === "Forbid" && active.length > 0) {
          recorder.event(cj, "Normal", "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid");
        } else {
          if (cj.spec.concurrencyPolicy === "Replace") {
            for (const a of active) {
              const j = jobs.find((x) => x.metadata.uid === a.uid);
              if (j) await deleteJob(cj, j);
            }
            active = [];
          }
          const job = await createJob(cj, name, time);
          if (job) active.push(jobRef(job));
          status.lastScheduleTime = rfc3339(time);
        }
      }
    }

    const next = { ...status, ...(active.length ? { active } : {}) };
    if (!active.length) delete next.active;
    if (canonicalJSON(next) !== canonicalJSON(cached.status ?? {})) {
      await cjClient.update({ ...cj, status: next }, { subresource: "status" });
    }
    await cleanupFinishedJobs(cj, jobs);
    if (nextDelay !== undefined) queue.addAfter(key, nextDelay);
  }

  async function createJob(cj: CronJob, name: string, scheduled: number): Promise<Job | undefined> {
    const tmpl = cj.spec.jobTemplate;
    const job: Job = {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: {
        name,
        namespace: cj.metadata.namespace,
        labels: { ...tmpl.metadata?.labels },
        annotations: { ...tmpl.metadata?.annotations, "batch.kubernetes.io/cronjob-scheduled-timestamp": rfc3339(scheduled) },
        ownerReferences: [controllerRef(cj)],
      },
      spec: structuredClone(tmpl.spec),
    };
    if (Object.keys(job.metadata.labels!).length === 0) delete job.metadata.labels;
    try {
      const created = await jobClient.create(job, cj.metadata.namespace);
      recorder.event(cj, "Normal", "SuccessfulCreate", `Created job ${created.metadata.name}`);
      return created;
    } catch (e) {
      // Created by an earlier sync whose status write was lost: take it as ours.
      if (isAlreadyExists(e)) return jobInformer.get(`${cj.metadata.namespace}/${name}`);
      recorder.event(cj, "Warning", "FailedCreate", `Error creating job: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
  }

  /** cleanupFinishedJobs: keep the newest successfulJobsHistoryLimit Complete and failedJobsHistoryLimit Failed Jobs. */
  async function cleanupFinishedJobs(cj: CronJob, jobs: Job[]): Promise<void> {
    const byStart = (a: Job, b: Job) => startOf(a) - startOf(b) || (a.metadata.name! < b.metadata.name! ? -1 : 1);
    const succeeded = jobs.filter((j) => isJobFinished(j)?.type === "Complete").sort(byStart);
    const failed = jobs.filter((j) => isJobFinished(j)?.type === "Failed").sort(byStart);
    const keepOk = cj.spec.successfulJobsHistoryLimit ?? 3;
    const keepFailed = cj.spec.failedJobsHistoryLimit ?? 1;
    for (const j of succeeded.slice(0, Math.max(0, succeeded.length - keepOk))) await deleteJob(cj, j);
    for (const j of failed.slice(0, Math.max(0, failed.length - keepFailed))) await deleteJob(cj, j);
  }

  return { stop: () => queue.shutdown() };
}

function jobRef(j: Job): ObjectReference {
  return { apiVersion: "batch/v1", kind: "Job", name: j.metadata.name, namespace: j.metadata.namespace, uid: j.metadata.uid, resourceVersion: j.metadata.resourceVersion };
}
