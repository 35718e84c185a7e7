// StatefulSets, after pkg/registry/apps/statefulset/strategy.go and
// SetDefaults_StatefulSet: replicas 1, OrderedReady, RollingUpdate partition 0,
// revisionHistoryLimit 10, PVC retention Retain/Retain; only some spec fields
// may change on update.

import type { KObject } from "../../../apimachinery/meta.ts";
import { forbiddenField, validateNonnegative } from "../../../apimachinery/validation.ts";
import type { StatefulSet } from "../../../api/apps/v1.ts";
import type { Strategy } from "../store.ts";
import { defaultPodTemplate } from "../core/defaults.ts";
import { validateMetaOf } from "../core/validation.ts";
import { validateSelectorAndTemplate } from "./workload.ts";

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
    return [
      ...validateMetaOf(sts),
      ...validateNonnegative(sts.spec?.replicas, "spec.replicas"),
      ...validateSelectorAndTemplate(sts.spec, { restartAlways: true, kindWord: "statefulset" }),
    ];
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
