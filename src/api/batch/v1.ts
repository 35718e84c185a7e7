// Kind-specific shapes of batch/v1 objects, after k8s.io/api/batch/v1/types.go.
// Only the fields this emulator reads or writes are spelled out.
// Leaves out: pod failure policies, success policies, indexed-job details.

import type { KObject, ObjectMeta } from "../../apimachinery/meta.ts";
import type { LabelSelectorSpec } from "../../apimachinery/labels.ts";
import type { ObjectReference, PodTemplateSpec } from "../core/v1.ts";

export interface JobCondition {
  type: "Complete" | "Failed" | "Suspended" | "FailureTarget" | "SuccessCriteriaMet" | string;
  status: "True" | "False" | "Unknown";
  lastProbeTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface JobSpec {
  parallelism?: number;
  completions?: number;
  activeDeadlineSeconds?: number;
  backoffLimit?: number;
  selector?: LabelSelectorSpec;
  manualSelector?: boolean;
  template: PodTemplateSpec;
  ttlSecondsAfterFinished?: number;
  completionMode?: "NonIndexed" | "Indexed";
  suspend?: boolean;
  podReplacementPolicy?: "TerminatingOrFailed" | "Failed";
}

export interface JobStatus {
  conditions?: JobCondition[];
  startTime?: string;
  completionTime?: string;
  active?: number;
  succeeded?: number;
  failed?: number;
  terminating?: number;
  ready?: number;
  uncountedTerminatedPods?: { succeeded?: string[]; failed?: string[] };
}

export interface Job extends KObject {
  spec: JobSpec;
  status?: JobStatus;
}

export interface CronJobSpec {
  schedule: string;
  timeZone?: string;
  startingDeadlineSeconds?: number;
  concurrencyPolicy?: "Allow" | "Forbid" | "Replace";
  suspend?: boolean;
  jobTemplate: { metadata?: ObjectMeta; spec: JobSpec };
  successfulJobsHistoryLimit?: number;
  failedJobsHistoryLimit?: number;
}

export interface CronJob extends KObject {
  spec: CronJobSpec;
  status?: { active?: ObjectReference[]; lastScheduleTime?: string; lastSuccessfulTime?: string };
}
