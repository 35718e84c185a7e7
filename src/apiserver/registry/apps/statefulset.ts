// StatefulSets, after pkg/registry/apps/statefulset/strategy.go and
// SetDefaults_StatefulSet: replicas 1, OrderedReady, RollingUpdate partition 0,
// revisionHistoryLimit 10, PVC retention Retain/Retain; only some spec fields
// may change on update. Validation follows ValidateStatefulSetSpec, which does
// not validate the template's pod spec (upstream's TODO: its volumeMounts may
// name volumeClaimTemplates, which are no pod volumes): a bad pod spec shows
// up as the controller's FailedCreate events instead.
// Leaves out: the updateStrategy type and OnDelete-with-rollingUpdate checks
// (their values are Go structs) and maxUnavailable.

import type { KObject } from "../../../apimachinery/meta.ts";
import type { FieldError } from "../../../apimachinery/errors.ts";
import { selectorFromSpec } from "../../../apimachinery/labels.ts";
import {
  forbiddenField,
  goRaw,
  goString,
  goStringMap,
  invalidValue,
  notSupported,
  required,
  validateAnnotationKeys,
  validateLabels,
  validateNonnegative,
} from "../../../apimachinery/validation.ts";
import type { StatefulSet } from "../../../api/apps/v1.ts";
import type { Strategy } from "../store.ts";
import { defaultPodTemplate } from "../core/defaults.ts";
import { validateMetaOf } from "../core/validation.ts";
import { goLabelSelector, validateLabelSelector } from "./workload.ts";

function defaultStatefulSet(sts: StatefulSet): void {
  sts.spec ??= {} as StatefulSet["spec"];
  const s = sts.spec;
  s.replicas ??= 1;
  s.podManagementPolicy ??= "OrderedReady";
  s.updateStrategy ??= {};
  s.updateStrategy.type ??= "RollingUpdate";
  if (s.updateStrategy.type === "RollingUpdate") {
    s.updateStrategy.rollingUpdate ??= {};
    s.updateStrategy.rollingUpdate.partition ??= 0;
  }
  s.revisionHistoryLimit ??= 10;
  s.persistentVolumeClaimRetentionPolicy ??= {};
  s.persistentVolumeClaimRetentionPolicy.whenDeleted ??= "Retain";
  s.persistentVolumeClaimRetentionPolicy.whenScaled ??= "Retain";
  defaultPodTemplate(s.template);
}

const POD_MANAGEMENT = ["OrderedReady", "Parallel"];
const RETENTION = ["Retain", "Delete"];

/** ValidateStatefulSetSpec, on the defaulted spec. */
function validateStatefulSetSpec(spec: Partial<StatefulSet["spec"]>): FieldError[] {
  const errs: FieldError[] = [];
  const pmp = spec.podManagementPolicy;
  if (!pmp) errs.push(required("spec.podManagementPolicy"));
  else if (!POD_MANAGEMENT.includes(pmp)) errs.push(invalidValue("spec.podManagementPolicy", goString(pmp), "must be 'OrderedReady' or 'Parallel'"));
  if (spec.updateStrategy?.type === "RollingUpdate") {
    errs.push(...validateNonnegative(spec.updateStrategy.rollingUpdate?.partition, "spec.updateStrategy.rollingUpdate.partition"));
  }
  const retention = spec.persistentVolumeClaimRetentionPolicy;
  for (const k of ["whenDeleted", "whenScaled"] as const) {
    const v = retention?.[k];
    if (retention && !RETENTION.includes(v ?? "")) errs.push(notSupported(`spec.persistentVolumeClaimRetentionPolicy.${k}`, goString(v ?? ""), RETENTION));
  }
  errs.push(...validateNonnegative(spec.replicas, "spec.replicas"));
  errs.push(...validateNonnegative(spec.minReadySeconds, "spec.minReadySeconds"));
  errs.push(...validateNonnegative((spec as { ordinals?: { start?: number } }).ordinals?.start, "spec.ordinals.start"));
  const selector = spec.selector;
  if (!selector) errs.push(required("spec.selector"));
  else {
    errs.push(...validateLabelSelector(selector, "spec.selector"));
    if (Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions ?? []).length === 0) {
      errs.push(invalidValue("spec.selector", goRaw(goLabelSelector(selector)), "empty selector is invalid for statefulset"));
    }
  }
  // ValidatePodTemplateSpecForStatefulSet: labels and annotations, not the pod spec.
  const t = spec.template;
  const sel = selectorFromSpec(selector);
  if (!sel.empty && !sel.matches(t?.metadata?.labels)) {
    errs.push(invalidValue("spec.template.metadata.labels", goRaw(goStringMap(t?.metadata?.labels ?? {})), "`selector` does not match template `labels`"));
  }
  errs.push(...validateLabels(t?.metadata?.labels, "spec.template.labels"));
  errs.push(...validateAnnotationKeys(t?.metadata?.annotations, "spec.template.annotations"));
  const restart = t?.spec?.restartPolicy ?? "";
  if (restart !== "Always") errs.push(notSupported("spec.template.spec.restartPolicy", goString(restart), ["Always"]));
  if (t?.spec?.activeDeadlineSeconds !== undefined) {
    errs.push(forbiddenField("spec.template.spec.activeDeadlineSeconds", "activeDeadlineSeconds in StatefulSet is not Supported"));
  }
  return errs;
}

const UPDATABLE = ["replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy", "minReadySeconds"];

export const statefulSetStrategy: Strategy = {
  generation: true,
  prepareForCreate(obj: KObject) {
    defaultStatefulSet(obj as StatefulSet);
    delete (obj as StatefulSet).status;
  },
  prepareForUpdate: (obj: KObject) => defaultStatefulSet(obj as StatefulSet),
  validate(obj: KObject) {
    const sts = obj as StatefulSet;
    return [...validateMetaOf(sts), ...validateStatefulSetSpec(sts.spec ?? {})];
  },
  validateUpdate(obj: KObject, old: KObject) {
    const strip = (s: StatefulSet["spec"]) => JSON.stringify(Object.fromEntries(Object.entries(s ?? {}).filter(([k]) => !UPDATABLE.includes(k)).sort()));
    if (strip((obj as StatefulSet).spec) === strip((old as StatefulSet).spec)) return [];
    return [
      forbiddenField(
        "spec",
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
      ),
    ];
  },
};
