// Jobs and CronJobs, after pkg/registry/batch/job/strategy.go and
// pkg/registry/batch/cronjob/strategy.go with SetDefaults_Job/_CronJob: the
// generated controller-uid selector and template labels, completions and
// parallelism 1, backoffLimit 6; template restartPolicy OnFailure or Never.

import type { FieldError } from "../../../apimachinery/errors.ts";
import type { KObject } from "../../../apimachinery/meta.ts";
import { goString, notSupported, required, validateNonnegative } from "../../../apimachinery/validation.ts";
import type { CronJob, Job, JobSpec } from "../../../api/batch/v1.ts";
import type { Strategy } from "../store.ts";
import { defaultPodTemplate } from "../core/defaults.ts";
import { validateMetaOf, validatePodTemplate } from "../core/validation.ts";
import { validateSelectorImmutable } from "../apps/workload.ts";

function defaultJobSpec(s: JobSpec): void {
  if (s.completions === undefined && s.parallelism === undefined) {
    s.completions = 1;
    s.parallelism = 1;
  }
  s.parallelism ??= 1;
  s.backoffLimit ??= 6;
  s.completionMode ??= "NonIndexed";
  s.suspend ??= false;
  s.podReplacementPolicy ??= "TerminatingOrFailed";
  s.manualSelector ??= undefined;
  if (s.manualSelector === undefined) delete s.manualSelector;
  defaultPodTemplate(s.template);
}

function validateJobTemplate(s: JobSpec | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!s?.template) return [required(`${field}.template`)];
  errs.push(...validatePodTemplate(s.template, `${field}.template`));
  const rp = s.template.spec?.restartPolicy;
  if (rp === undefined || (rp !== "OnFailure" && rp !== "Never")) {
    errs.push(rp === undefined ? required(`${field}.template.spec.restartPolicy`, 'valid values: "OnFailure", "Never"') : notSupported(`${field}.template.spec.restartPolicy`, goString(rp), ["OnFailure", "Never"]));
  }
  errs.push(...validateNonnegative(s.parallelism, `${field}.parallelism`));
  errs.push(...validateNonnegative(s.completions, `${field}.completions`));
  errs.push(...validateNonnegative(s.backoffLimit, `${field}.backoffLimit`));
  return errs;
}

export const jobStrategy: Strategy = {
  generation: true,
  prepareForCreate(obj: KObject) {
    const job = obj as Job;
    job.spec ??= {} as JobSpec;
    const uid = job.metadata.uid ?? "";
    // The job registry generates the selector from the job's uid (unless manualSelector).
    if (!job.spec.manualSelector) {
      job.spec.selector = { matchLabels: { "batch.kubernetes.io/controller-uid": uid } };
      job.spec.template ??= { spec: { containers: [] } };
      job.spec.template.metadata ??= {};
      job.spec.template.metadata.labels = {
        ...job.spec.template.metadata.labels,
        "batch.kubernetes.io/controller-uid": uid,
        "batch.kubernetes.io/job-name": job.metadata.name ?? "",
        "controller-uid": uid,
        "job-name": job.metadata.name ?? "",
      };
    }
    defaultJobSpec(job.spec);
    delete job.status;
  },
  prepareForUpdate(obj: KObject, old: KObject) {
    const job = obj as Job;
    job.spec ??= {} as JobSpec;
    job.spec.selector ??= (old as Job).spec?.selector;
    defaultJobSpec(job.spec);
  },
  validate(obj: KObject) {
    const job = obj as Job;
    return [...validateMetaOf(job), ...validateJobTemplate(job.spec, "spec")];
  },
  validateUpdate: (obj: KObject, old: KObject) => validateSelectorImmutable((obj as Job).spec?.selector, (old as Job).spec?.selector),
  fields: (obj: KObject) => ({ "status.successful": String((obj as Job).status?.succeeded ?? 0) }),
};

export const cronJobStrategy: Strategy = {
  generation: true,
  prepareForCreate(obj: KObject) {
    const cj = obj as CronJob;
    cj.spec ??= {} as CronJob["spec"];
    cj.spec.concurrencyPolicy ??= "Allow";
    cj.spec.suspend ??= false;
    cj.spec.successfulJobsHistoryLimit ??= 3;
    cj.spec.failedJobsHistoryLimit ??= 1;
    cj.spec.jobTemplate ??= { spec: {} as JobSpec };
    const js = cj.spec.jobTemplate.spec;
    if (js) {
      js.backoffLimit ??= 6;
      js.completionMode ??= "NonIndexed";
      js.suspend ??= false;
      js.podReplacementPolicy ??= "TerminatingOrFailed";
      defaultPodTemplate(js.template);
    }
    cj.spec.jobTemplate.metadata ??= {};
    cj.spec.jobTemplate.metadata.creationTimestamp ??= null;
    delete cj.status;
  },
  validate(obj: KObject) {
    const cj = obj as CronJob;
    const errs = validateMetaOf(cj);
    if (!cj.spec?.schedule) errs.push(required("spec.schedule"));
    errs.push(...validateJobTemplate(cj.spec?.jobTemplate?.spec, "spec.jobTemplate.spec"));
    return errs;
  },
};
