// `kubectl describe job|cronjob`, after describe.go's describeJob,
// describeCronJob, describeJobTemplate and printActiveJobs (v1.32: no
// Time Zone line for cronjobs; Suspend, Backoff Limit and TTL lines since 1.30).
// Leaves out nothing a v1.32 client prints for the fields this lab serves.

import { humanDuration } from "../../apimachinery/duration.ts";
import {
  controllerOf,
  type DescribeContext,
  describeEvents,
  LEVEL_0,
  type Meta,
  PrefixWriter,
  printAnnotationsMultiline,
  printLabelsMultiline,
  rfc1123z,
  searchEvents,
  selectorString,
} from "./describe.ts";
import { describePodTemplate, type PodSpec } from "./pod.ts";

type Selector = { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
type Template = { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: PodSpec };

interface JobSpec {
  selector?: Selector;
  parallelism?: number;
  completions?: number;
  completionMode?: string;
  suspend?: boolean;
  backoffLimit?: number;
  ttlSecondsAfterFinished?: number;
  activeDeadlineSeconds?: number;
  template: Template;
}

export interface Job {
  metadata: Meta;
  spec: JobSpec;
  status?: {
    startTime?: string;
    completionTime?: string;
    active?: number;
    ready?: number;
    succeeded?: number;
    failed?: number;
    completedIndexes?: string;
  };
}

export interface CronJob {
  metadata: Meta;
  spec: {
    schedule: string;
    concurrencyPolicy?: string;
    suspend?: boolean;
    successfulJobsHistoryLimit?: number;
    failedJobsHistoryLimit?: number;
    startingDeadlineSeconds?: number;
    jobTemplate: { spec: JobSpec };
  };
  status?: { lastScheduleTime?: string; active?: { name: string }[] };
}

const isSet = <T>(v: T | undefined | null): v is T => v !== undefined && v !== null;

/** capIndexesListOrNone: the completed indexes, cut after the first comma past 50 characters. */
function capIndexes(indexes: string | undefined, softLimit = 50): string {
  if (!indexes) return "<none>";
  const comma = indexes.indexOf(",", softLimit);
  return comma < 0 ? indexes : `${indexes.slice(0, comma + 1)}...`;
}

export async function describeJob(ctx: DescribeContext, job: Job): Promise<string> {
  const m = job.metadata;
  const s = job.spec;
  const st = job.status ?? {};
  const events = ctx.showEvents ? await searchEvents(ctx, { kind: "Job", name: m.name, namespace: m.namespace, uid: m.uid }) : undefined;
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${m.name}\n`);
  w.write(LEVEL_0, `Namespace:\t${m.namespace ?? ""}\n`);
  w.write(LEVEL_0, `Selector:\t${selectorString(s.selector)}\n`);
  printLabelsMultiline(w, "Labels", m.labels);
  printAnnotationsMultiline(w, "Annotations", m.annotations);
  const ctrl = controllerOf(m);
  if (ctrl) w.write(LEVEL_0, `Controlled By:\t${ctrl}\n`);
  if (isSet(s.parallelism)) w.write(LEVEL_0, `Parallelism:\t${s.parallelism}\n`);
  w.write(LEVEL_0, isSet(s.completions) ? `Completions:\t${s.completions}\n` : "Completions:\t<unset>\n");
  if (s.completionMode) w.write(LEVEL_0, `Completion Mode:\t${s.completionMode}\n`);
  if (ctx.client?.has("jobSuspendBackoffLimit") ?? true) {
    if (isSet(s.suspend)) w.write(LEVEL_0, `Suspend:\t${s.suspend}\n`);
    if (isSet(s.backoffLimit)) w.write(LEVEL_0, `Backoff Limit:\t${s.backoffLimit}\n`);
    if (isSet(s.ttlSecondsAfterFinished)) w.write(LEVEL_0, `TTL Seconds After Finished:\t${s.ttlSecondsAfterFinished}\n`);
  }
  if (st.startTime) w.write(LEVEL_0, `Start Time:\t${rfc1123z(st.startTime)}\n`);
  if (st.completionTime) w.write(LEVEL_0, `Completed At:\t${rfc1123z(st.completionTime)}\n`);
  if (st.startTime && st.completionTime) w.write(LEVEL_0, `Duration:\t${humanDuration(Date.parse(st.completionTime) - Date.parse(st.startTime))}\n`);
  if (isSet(s.activeDeadlineSeconds)) w.write(LEVEL_0, `Active Deadline Seconds:\t${s.activeDeadlineSeconds}s\n`);
  const counts = `${st.succeeded ?? 0} Succeeded / ${st.failed ?? 0} Failed`;
  w.write(LEVEL_0, isSet(st.ready) ? `Pods Statuses:\t${st.active ?? 0} Active (${st.ready} Ready) / ${counts}\n` : `Pods Statuses:\t${st.active ?? 0} Active / ${counts}\n`);
  if (s.completionMode === "Indexed") w.write(LEVEL_0, `Completed Indexes:\t${capIndexes(st.completedIndexes)}\n`);
  describePodTemplate(s.template, w, ctx.client);
  if (events) describeEvents(events, w, ctx.now);
  return w.result();
}

/** describeJobTemplate: a CronJob's job spec, every line printed, "<unset>" when absent. */
function describeJobTemplate(ctx: DescribeContext, s: JobSpec, w: PrefixWriter): void {
  w.write(LEVEL_0, s.selector ? `Selector:\t${selectorString(s.selector)}\n` : "Selector:\t<unset>\n");
  w.write(LEVEL_0, isSet(s.parallelism) ? `Parallelism:\t${s.parallelism}\n` : "Parallelism:\t<unset>\n");
  w.write(LEVEL_0, isSet(s.completions) ? `Completions:\t${s.completions}\n` : "Completions:\t<unset>\n");
  if (isSet(s.activeDeadlineSeconds)) w.write(LEVEL_0, `Active Deadline Seconds:\t${s.activeDeadlineSeconds}s\n`);
  describePodTemplate(s.template, w, ctx.client);
}

const boolPtr = (v: boolean | undefined) => (isSet(v) ? (v ? "True" : "False") : "<unset>");

export async function describeCronJob(ctx: DescribeContext, cj: CronJob): Promise<string> {
  const m = cj.metadata;
  const s = cj.spec;
  const events = ctx.showEvents ? await searchEvents(ctx, { kind: "CronJob", name: m.name, namespace: m.namespace, uid: m.uid }) : undefined;
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${m.name}\n`);
  w.write(LEVEL_0, `Namespace:\t${m.namespace ?? ""}\n`);
  printLabelsMultiline(w, "Labels", m.labels);
  printAnnotationsMultiline(w, "Annotations", m.annotations);
  w.write(LEVEL_0, `Schedule:\t${s.schedule}\n`);
  w.write(LEVEL_0, `Concurrency Policy:\t${s.concurrencyPolicy ?? ""}\n`);
  w.write(LEVEL_0, `Suspend:\t${boolPtr(s.suspend)}\n`);
  const orUnset = (v: number | undefined, unit = "") => (isSet(v) ? `${v}${unit}` : "<unset>");
  w.write(LEVEL_0, `Successful Job History Limit:\t${orUnset(s.successfulJobsHistoryLimit)}\n`);
  w.write(LEVEL_0, `Failed Job History Limit:\t${orUnset(s.failedJobsHistoryLimit)}\n`);
  w.write(LEVEL_0, `Starting Deadline Seconds:\t${orUnset(s.startingDeadlineSeconds, "s")}\n`);
  describeJobTemplate(ctx, s.jobTemplate.spec, w);
  const last = cj.status?.lastScheduleTime;
  w.write(LEVEL_0, last ? `Last Schedule Time:\t${rfc1123z(last)}\n` : "Last Schedule Time:\t<unset>\n");
  const active = cj.status?.active ?? [];
  w.write(LEVEL_0, "Active Jobs:\t");
  w.writeLine(active.length === 0 ? "<none>" : active.map((j) => j.name).join(", "));
  if (events) describeEvents(events, w, ctx.now);
  return w.result();
}
