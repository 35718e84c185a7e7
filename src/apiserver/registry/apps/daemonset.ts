// DaemonSets, after pkg/registry/apps/daemonset/strategy.go and
// SetDefaults_DaemonSet: RollingUpdate maxUnavailable 1 / maxSurge 0,
// revisionHistoryLimit 10, template defaults; selector immutable.

import type { KObject } from "../../../apimachinery/meta.ts";
import { validateNonnegative } from "../../../apimachinery/validation.ts";
import type { DaemonSet } from "../../../api/apps/v1.ts";
import type { Strategy } from "../store.ts";
import { defaultPodTemplate } from "../core/defaults.ts";
import { validateMetaOf } from "../core/validation.ts";
import { validateSelectorAndTemplate, validateSelectorImmutable } from "./workload.ts";

function defaultDaemonSet(ds: DaemonSet): void {
  ds.spec ??= {} as DaemonSet["spec"];
  const s = ds.spec;
  s.updateStrategy ??= {};
  s.updateStrategy.type ??= "RollingUpdate";
  if (s.updateStrategy.type === "RollingUpdate") {
    s.updateStrategy.rollingUpdate ??= {};
    s.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
    s.updateStrategy.rollingUpdate.maxSurge ??= 0;
  }
  s.revisionHistoryLimit ??= 10;
  defaultPodTemplate(s.template);
}

export const daemonSetStrategy: Strategy = {
  generation: true,
  prepareForCreate(obj: KObject) {
    defaultDaemonSet(obj as DaemonSet);
    delete (obj as DaemonSet).status;
  },
  prepareForUpdate: (obj: KObject) => defaultDaemonSet(obj as DaemonSet),
  validate(obj: KObject) {
    const ds = obj as DaemonSet;
    return [
      ...validateMetaOf(ds),
      ...validateSelectorAndTemplate(ds.spec, { restartAlways: true, kindWord: "daemonset" }),
      ...validateNonnegative(ds.spec?.minReadySeconds, "spec.minReadySeconds"),
    ];
  },
  validateUpdate: (obj: KObject, old: KObject) => validateSelectorImmutable((obj as DaemonSet).spec?.selector, (old as DaemonSet).spec?.selector),
};
