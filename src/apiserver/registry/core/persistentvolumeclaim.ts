// PersistentVolumeClaims, after pkg/registry/core/persistentvolumeclaim/strategy.go
// and SetDefaults_PersistentVolumeClaim(Spec): a new claim's status is reset and
// reads back as phase Pending (the versioned defaulting upstream applies on
// every decode), spec.volumeMode defaults to Filesystem.
// Leaves out: spec validation (access modes, storage request, immutability
// once bound) and binding: no provisioner runs, so claims stay Pending.

import type { KObject } from "../../../apimachinery/meta.ts";
import type { PersistentVolumeClaim } from "../../../api/core/v1.ts";
import type { Strategy } from "../store.ts";
import { validateMetaOf } from "./validation.ts";

function defaultClaim(pvc: PersistentVolumeClaim): void {
  pvc.spec ??= {};
  pvc.spec.volumeMode ??= "Filesystem";
}

export const persistentVolumeClaimStrategy: Strategy = {
  prepareForCreate(obj: KObject) {
    const pvc = obj as PersistentVolumeClaim;
    defaultClaim(pvc);
    // PrepareForCreate drops the caller's status; defaulting then gives it its phase.
    pvc.status = { phase: "Pending" };
  },
  prepareForUpdate(obj: KObject) {
    const pvc = obj as PersistentVolumeClaim;
    defaultClaim(pvc);
    if (pvc.status && !pvc.status.phase) pvc.status.phase = "Pending";
  },
  validate: (obj: KObject) => validateMetaOf(obj),
};
