// Namespace, configuration and storage-claim Tables, after printNamespace,
// printConfigMap, printSecret, printServiceAccount, printResourceQuota,
// printPersistentVolume(Claim) and printPodTemplate in
// pkg/printers/internalversion/printers.go.

import type { KObject } from "../apimachinery/meta.ts";
import type { ConfigMap, Namespace, PersistentVolume, PersistentVolumeClaim, PodTemplate, ResourceQuota, Secret, ServiceAccount } from "../api/core/v1.ts";
import { DOC } from "./descriptions.ts";
import { AGE_COLUMN, ageOf, col, containerCells, formatLabels, NAME_COLUMN } from "./helpers.ts";
import type { TablePrinter } from "./printers.ts";

export const namespacePrinter: TablePrinter = {
  columns: [NAME_COLUMN, col("Status", "string", "The status of the namespace"), AGE_COLUMN],
  cells(obj: KObject, nowMs: number) {
    return [obj.metadata.name, (obj as Namespace).status?.phase ?? "", ageOf(obj, nowMs)];
  },
};

export const configMapPrinter: TablePrinter = {
  columns: [NAME_COLUMN, col("Data", "string", DOC.configMapData), AGE_COLUMN],
  cells(obj: KObject, nowMs: number) {
    const cm = obj as ConfigMap;
    return [cm.metadata.name, Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length, ageOf(cm, nowMs)];
  },
};

export const secretPrinter: TablePrinter = {
  columns: [NAME_COLUMN, col("Type", "string", DOC.secretType), col("Data", "string", DOC.secretData), AGE_COLUMN],
  cells(obj: KObject, nowMs: number) {
    const s = obj as Secret;
    return [s.metadata.name, s.type ?? "", Object.keys(s.data ?? {}).length, ageOf(s, nowMs)];
  },
};

export const serviceAccountPrinter: TablePrinter = {
  columns: [NAME_COLUMN, col("Secrets", "string", DOC.saSecrets), AGE_COLUMN],
  cells(obj: KObject, nowMs: number) {
    const sa = obj as ServiceAccount;
    return [sa.metadata.name, (sa.secrets ?? []).length, ageOf(sa, nowMs)];
  },
};

export const podTemplatePrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    col("Containers", "string", "Names of each container in the template."),
    col("Images", "string", "Images referenced by each container in the template."),
    col("Pod Labels", "string", "The labels for the pod template."),
  ],
  cells(obj: KObject) {
    const pt = obj as PodTemplate;
    const [names, images] = containerCells(pt.template?.spec?.containers);
    return [pt.metadata.name, names, images, formatLabels(pt.template?.metadata?.labels)];
  },
};

export const resourceQuotaPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    AGE_COLUMN,
    col("Request", "string", "Request represents a minimum amount of cpu/memory that a container may consume."),
    col("Limit", "string", "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node."),
  ],
  cells(obj: KObject, nowMs: number) {
    const rq = obj as ResourceQuota;
    const hard = rq.status?.hard ?? {};
    const used = rq.status?.used ?? {};
    const requests: string[] = [];
    const limits: string[] = [];
    for (const resource of Object.keys(hard).sort()) {
      const parts = resource.split(".");
      const target = parts.length > 1 && parts[0] === "limits" ? limits : requests;
      target.push(`${resource}: ${used[resource] ?? "0"}/${hard[resource]}`);
    }
    return [rq.metadata.name, ageOf(rq, nowMs), requests.join(", "), limits.join(", ")];
  },
};

/** GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order. */
function accessModes(modes: string[] | undefined): string {
  const m = new Set(modes ?? []);
  const out: string[] = [];
  if (m.has("ReadWriteOnce")) out.push("RWO");
  if (m.has("ReadOnlyMany")) out.push("ROX");
  if (m.has("ReadWriteMany")) out.push("RWX");
  if (m.has("ReadWriteOncePod")) out.push("RWOP");
  return out.join(",");
}

interface ClassFields {
  spec?: { storageClassName?: string; volumeAttributesClassName?: string };
}

function storageClassOf(obj: KObject & ClassFields): string {
  return obj.metadata.annotations?.["volume.beta.kubernetes.io/storage-class"] ?? obj.spec?.storageClassName ?? "";
}

export const persistentVolumeClaimPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    col("Status", "string", DOC.pvcPhase),
    col("Volume", "string", DOC.pvcVolumeName),
    col("Capacity", "string", DOC.pvcCapacity),
    col("Access Modes", "string", DOC.pvcAccessModes),
    col("StorageClass", "string", "StorageClass of the pvc"),
    col("VolumeAttributesClass", "string", "VolumeAttributesClass of the pvc"),
    AGE_COLUMN,
    col("VolumeMode", "string", DOC.pvcVolumeMode, { wide: true }),
  ],
  cells(obj: KObject, nowMs: number) {
    const pvc = obj as PersistentVolumeClaim & ClassFields;
    const phase = pvc.metadata.deletionTimestamp ? "Terminating" : (pvc.status?.phase ?? "");
    let capacity = "";
    let modes = "";
    if (pvc.spec?.volumeName) {
      modes = accessModes(pvc.status?.accessModes);
      capacity = pvc.status?.capacity?.storage ?? "0";
    }
    return [
      pvc.metadata.name,
      phase,
      pvc.spec?.volumeName ?? "",
      capacity,
      modes,
      storageClassOf(pvc),
      pvc.spec?.volumeAttributesClassName ?? "<unset>",
      ageOf(pvc, nowMs),
      pvc.spec?.volumeMode ?? "<unset>",
    ];
  },
};

export const persistentVolumePrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    col("Capacity", "string", DOC.pvCapacity),
    col("Access Modes", "string", DOC.pvAccessModes),
    col("Reclaim Policy", "string", DOC.pvReclaimPolicy),
    col("Status", "string", DOC.pvPhase),
    col("Claim", "string", DOC.pvClaimRef),
    col("StorageClass", "string", "StorageClass of the pv"),
    col("VolumeAttributesClass", "string", "VolumeAttributesClass of the pv"),
    col("Reason", "string", DOC.pvReason),
    AGE_COLUMN,
    col("VolumeMode", "string", DOC.pvVolumeMode, { wide: true }),
  ],
  cells(obj: KObject, nowMs: number) {
    const pv = obj as PersistentVolume & ClassFields;
    const claim = pv.spec?.claimRef ? `${pv.spec.claimRef.namespace ?? ""}/${pv.spec.claimRef.name ?? ""}` : "";
    return [
      pv.metadata.name,
      pv.spec?.capacity?.storage ?? "0",
      accessModes(pv.spec?.accessModes),
      pv.spec?.persistentVolumeReclaimPolicy ?? "",
      pv.metadata.deletionTimestamp ? "Terminating" : (pv.status?.phase ?? ""),
      claim,
      storageClassOf(pv),
      pv.spec?.volumeAttributesClassName ?? "<unset>",
      pv.status?.reason ?? "",
      ageOf(pv, nowMs),
      pv.spec?.volumeMode ?? "<unset>",
    ];
  },
};
