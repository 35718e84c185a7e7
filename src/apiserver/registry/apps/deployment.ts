// Deployments, after pkg/registry/apps/deployment/strategy.go and
// SetDefaults_Deployment: replicas 1, RollingUpdate 25%/25%,
// revisionHistoryLimit 10, progressDeadlineSeconds 600, template defaults;
// selector/template validation, spec.selector immutable.

import type { FieldError } from "../../../apimachinery/errors.ts";
import type { KObject } from "../../../apimachinery/meta.ts";
import { goInt, invalidValue, validateNonnegative } from "../../../apimachinery/validation.ts";
import type { Deployment } from "../../../api/apps/v1.ts";
import type { Strategy } from "../store.ts";
import { defaultPodTemplate } from "../core/defaults.ts";
import { validateMetaOf } from "../core/validation.ts";
import { validateSelectorAndTemplate, validateSelectorImmutable } from "./workload.ts";

export function defaultDeployment(d: Deployment): void {
  d.spec ??= {} as Deployment["spec"];
  const s = d.spec;
  s.replicas ??= 1;
  s.strategy ??= {};
  s.strategy.type ??= "RollingUpdate";
  if (s.strategy.type === "RollingUpdate") {
    s.strategy.rollingUpdate ??= {};
    s.strategy.rollingUpdate.maxUnavailable ??= "25%";
    s.strategy.rollingUpdate.maxSurge ??= "25%";
  }
  s.revisionHistoryLimit ??= 10;
  s.progressDeadlineSeconds ??= 600;
  defaultPodTemplate(s.template);
}

function validateDeployment(d: Deployment): FieldError[] {
  const errs = [...validateMetaOf(d), ...validateNonnegative(d.spec?.replicas, "spec.replicas")];
  errs.push(...validateSelectorAndTemplate(d.spec, { restartAlways: true, kindWord: "deployment" }));
  errs.push(...validateNonnegative(d.spec?.revisionHistoryLimit, "spec.revisionHistoryLimit"));
  errs.push(...validateNonnegative(d.spec?.minReadySeconds, "spec.minReadySeconds"));
  const pds = d.spec?.progressDeadlineSeconds;
  if (pds !== undefined && pds <= (d.spec?.minReadySeconds ?? 0)) {
    errs.push(invalidValue("spec.progressDeadlineSeconds", goInt(pds), "must be greater than minReadySeconds"));
  }
  const ru = d.spec?.strategy?.rollingUpdate;
  if (d.spec?.strategy?.type === "Recreate" && ru) {
    errs.push({ type: "FieldValueForbidden", field: "spec.strategy.rollingUpdate", message: "Forbidden: may not be specified when strategy `type` is 'Recreate'" });
  }
  if (ru && isZero(ru.maxUnavailable) && isZero(ru.maxSurge)) {
    errs.push(invalidValue("spec.strategy.rollingUpdate.maxUnavailable", typeof ru.maxUnavailable === "number" ? goInt(0) : { go: "string", v: String(ru.maxUnavailable) }, "may not be 0 when `maxSurge` is 0"));
  }
  return errs;
}

function isZero(v: number | string | undefined): boolean {
  return v === 0 || v === "0" || v === "0%";
}

export const deploymentStrategy: Strategy = {
  generation: true,
  prepareForCreate(obj: KObject) {
    defaultDeployment(obj as Deployment);
    delete (obj as Deployment).status;
  },
  prepareForUpdate(obj: KObject) {
    defaultDeployment(obj as Deployment);
  },
  validate: (obj: KObject) => validateDeployment(obj as Deployment),
  validateUpdate: (obj: KObject, old: KObject) => validateSelectorImmutable((obj as Deployment).spec?.selector, (old as Deployment).spec?.selector),
};
