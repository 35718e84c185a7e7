// batch/v1 Tables, after printJob and printCronJob in
// pkg/printers/internalversion/printers.go.

import type { KObject } from "../apimachinery/meta.ts";
import { age, humanDuration } from "../apimachinery/duration.ts";
import type { CronJob, Job, JobCondition } from "../api/batch/v1.ts";
import { DOC } from "./descriptions.ts";
import { AGE_COLUMN, ageOf, boolPtr, col, CONTAINERS_COLUMN, containerCells, formatLabelSelector, IMAGES_COLUMN, NAME_COLUMN, timeOf } from "./helpers.ts";
import type { TablePrinter } from "./printers.ts";

function hasJobCondition(conditions: JobCondition[] | undefined, type: string): boolean {
  const c = (conditions ?? []).find((x) => x.type === type);
  return c?.status === "True";
}

export function jobStatus(job: Job): string {
  const conds = job.status?.conditions;
  if (hasJobCondition(conds, "Complete")) return "Complete";
  if (hasJobCondition(conds, "Failed")) return "Failed";
  if (job.metadata.deletionTimestamp) return "Terminating";
  if (hasJobCondition(conds, "Suspended")) return "Suspended";
  if (hasJobCondition(conds, "FailureTarget")) return "FailureTarget";
  return "Running";
}

export const jobPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    col("Status", "string", "Status of the job."),
    col("Completions", "string", DOC.jobSucceeded),
    col("Duration", "string", "Time required to complete the job."),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    col("Selector", "string", DOC.jobSelector, { wide: true }),
  ],
  cells(obj: KObject, nowMs: number) {
    const job = obj as Job;
    const succeeded = job.status?.succeeded ?? 0;
    let completions: string;
    if (job.spec?.completions !== undefined && job.spec.completions !== null) {
      completions = `${succeeded}/${job.spec.completions}`;
    } else {
      const parallelism = job.spec?.parallelism ?? 0;
      completions = parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
    }
    const start = timeOf(job.status?.startTime);
    const end = timeOf(job.status?.completionTime);
    let duration = "";
    if (start !== undefined) duration = end === undefined ? humanDuration(nowMs - start) : humanDuration(end - start);
    const [names, images] = containerCells(job.spec?.template?.spec?.containers);
    return [job.metadata.name, jobStatus(job), completions, duration, ageOf(job, nowMs), names, images, formatLabelSelector(job.spec?.selector)];
  },
};

export const cronJobPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    col("Schedule", "string", DOC.cronSchedule),
    col("Timezone", "string", DOC.cronTimeZone),
    col("Suspend", "boolean", DOC.cronSuspend),
    col("Active", "integer", DOC.cronActive),
    col("Last Schedule", "string", DOC.cronLastSchedule),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    col("Selector", "string", DOC.jobSelector, { wide: true }),
  ],
  cells(obj: KObject, nowMs: number) {
    const cj = obj as CronJob;
    const last = cj.status?.lastScheduleTime ? age(cj.status.lastScheduleTime, nowMs) : "<none>";
    const jobSpec = cj.spec?.jobTemplate?.spec;
    const [names, images] = containerCells(jobSpec?.template?.spec?.containers);
    return [
      cj.metadata.name,
      cj.spec?.schedule ?? "",
      cj.spec?.timeZone ?? "<none>",
      boolPtr(cj.spec?.suspend),
      (cj.status?.active ?? []).length,
      last,
      ageOf(cj, nowMs),
      names,
      images,
      formatLabelSelector(jobSpec?.selector),
    ];
  },
};
