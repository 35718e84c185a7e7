// What the apps/v1 workload strategies share, after pkg/apis/apps/validation
// (ValidatePodTemplateSpecForReplicaSet, selector rules) and the generic
// "spec changes bump metadata.generation" behaviour. Kinds without a strategy
// of their own (Ingress, PodDisruptionBudget…) get workloadStrategy.

import type { FieldError } from "../../../apimachinery/errors.ts";
import type { KObject } from "../../../apimachinery/meta.ts";
import { type LabelSelectorSpec, selectorFromSpec } from "../../../apimachinery/labels.ts";
import { goRaw, goStringMap, goStringSlice, invalidValue, notSupported, goString, required, validateLabels, forbiddenField } from "../../../apimachinery/validation.ts";
import type { PodTemplateSpec } from "../../../api/core/v1.ts";
import type { Strategy } from "../store.ts";
import { validateMetaOf, validatePodTemplate } from "../core/validation.ts";

export function workloadStrategy(): Strategy {
  return { generation: true, validate: (obj: KObject) => validateMetaOf(obj) };
}

/** A metav1.LabelSelector as Go's %#v prints it (field errors show it so). */
export function goLabelSelector(s: LabelSelectorSpec | undefined): string {
  if (!s) return "null";
  const exprs = s.matchExpressions
    ? `[]v1.LabelSelectorRequirement{${s.matchExpressions
        .map((e) => `v1.LabelSelectorRequirement{Key:${JSON.stringify(e.key)}, Operator:${JSON.stringify(e.operator)}, Values:${goStringSlice(e.values)}}`)
        .join(", ")}}`
    : "[]v1.LabelSelectorRequirement(nil)";
  return `v1.LabelSelector{MatchLabels:${goStringMap(s.matchLabels)}, MatchExpressions:${exprs}}`;
}

/** ValidateLabelSelector: keys, values and operators. */
export function validateLabelSelector(s: LabelSelectorSpec, field: string): FieldError[] {
  const errs = validateLabels(s.matchLabels, `${field}.matchLabels`);
  (s.matchExpressions ?? []).forEach((e, i) => {
    const p = `${field}.matchExpressions[${i}]`;
    const ops = ["In", "NotIn", "Exists", "DoesNotExist"];
    if (!ops.includes(e.operator)) errs.push(invalidValue(`${p}.operator`, goString(e.operator), "not a valid selector operator"));
    else if ((e.operator === "In" || e.operator === "NotIn") && (e.values ?? []).length === 0) {
      errs.push(required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if ((e.operator === "Exists" || e.operator === "DoesNotExist") && (e.values ?? []).length > 0) {
      errs.push(forbiddenField(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    }
  });
  return errs;
}

/** The selector and template checks every ReplicaSet-like spec gets. */
export function validateSelectorAndTemplate(spec: { selector?: LabelSelectorSpec; template?: PodTemplateSpec } | undefined, opts: { restartAlways: boolean; kindWord: string }): FieldError[] {
  const errs: FieldError[] = [];
  const selector = spec?.selector;
  let sel;
  if (!selector) {
    errs.push(required("spec.selector"));
  } else {
    errs.push(...validateLabelSelector(selector, "spec.selector"));
    sel = selectorFromSpec(selector);
    if (sel.empty) errs.push(invalidValue("spec.selector", goRaw(goLabelSelector(selector)), `empty selector is invalid for ${opts.kindWord}`));
  }
  const t = spec?.template;
  if (!t) {
    errs.push(required("spec.template"));
    return errs;
  }
  const labels = t.metadata?.labels;
  if (sel && !sel.empty && !sel.matches(labels)) {
    errs.push(invalidValue("spec.template.metadata.labels", goRaw(goStringMap(labels ?? {})), "`selector` does not match template `labels`"));
  }
  errs.push(...validatePodTemplate(t, "spec.template"));
  if (opts.restartAlways && t.spec?.restartPolicy !== undefined && t.spec.restartPolicy !== "Always") {
    errs.push(notSupported("spec.template.spec.restartPolicy", goString(t.spec.restartPolicy), ["Always"]));
  }
  if (opts.restartAlways && t.spec?.activeDeadlineSeconds !== undefined) {
    errs.push(forbiddenField("spec.template.spec.activeDeadlineSeconds", "activeDeadlineSeconds in ReplicaSet is not Supported"));
  }
  return errs;
}

/** ValidateImmutableField on spec.selector. */
export function validateSelectorImmutable(now: LabelSelectorSpec | undefined, old: LabelSelectorSpec | undefined): FieldError[] {
  if (JSON.stringify(selectorFromSpec(now).toString()) === JSON.stringify(selectorFromSpec(old).toString())) return [];
  return [invalidValue("spec.selector", goRaw(goLabelSelector(now)), "field is immutable")];
}
