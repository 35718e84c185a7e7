// ReplicaSets, after pkg/registry/apps/replicaset/strategy.go: replicas 1,
// template defaults, selector/template validation, spec.selector immutable,
// and the status.replicas field selector.

import type { KObject } from "../../../apimachinery/meta.ts";
import { validateNonnegative } from "../../../apimachinery/validation.ts";
import type { ReplicaSet } from "../../../api/apps/v1.ts";
import type { Strategy } from "../store.ts";
import { defaultPodTemplate } from "../core/defaults.ts";
import { validateMetaOf } from "../core/validation.ts";
import { validateSelectorAndTemplate, validateSelectorImmutable } from "./workload.ts";

function defaultReplicaSet(rs: ReplicaSet): void {
  rs.spec ??= {} as ReplicaSet["spec"];
  rs.spec.replicas ??= 1;
  defaultPodTemplate(rs.spec.template);
}

export const replicaSetStrategy: Strategy = {
  generation: true,
  prepareForCreate(obj: KObject) {
    defaultReplicaSet(obj as ReplicaSet);
    delete (obj as ReplicaSet).status;
  },
  prepareForUpdate: (obj: KObject) => defaultReplicaSet(obj as ReplicaSet),
  validate(obj: KObject) {
    const rs = obj as ReplicaSet;
    return [
      ...validateMetaOf(rs),
      ...validateNonnegative(rs.spec?.replicas, "spec.replicas"),
      ...validateNonnegative(rs.spec?.minReadySeconds, "spec.minReadySeconds"),
      ...validateSelectorAndTemplate(rs.spec, { restartAlways: true, kindWord: "deployment" }),
    ];
  },
  validateUpdate: (obj: KObject, old: KObject) => validateSelectorImmutable((obj as ReplicaSet).spec?.selector, (old as ReplicaSet).spec?.selector),
  fields: (obj: KObject) => ({ "status.replicas": String((obj as ReplicaSet).status?.replicas ?? 0) }),
};
