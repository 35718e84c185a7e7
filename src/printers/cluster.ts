// Cluster-policy Tables: RBAC bindings, leases, storage and priority classes,
// disruption budgets, network policies, autoscalers, after their print*
// functions in pkg/printers/internalversion/printers.go; and the registry's
// default table (NAME, CREATED AT) for kinds without a printer (roles,
// clusterroles, limitranges), after rest.defaultTableConvertor.

import type { KObject } from "../apimachinery/meta.ts";
import { rfc3339 } from "../apimachinery/meta.ts";
import type { IntOrString } from "../api/core/v1.ts";
import type { Lease } from "../api/coordination/v1.ts";
import type { LabelSelectorSpec } from "../apimachinery/labels.ts";
import { DOC } from "./descriptions.ts";
import { AGE_COLUMN, ageOf, col, formatLabelSelector, NAME_COLUMN, timeOf } from "./helpers.ts";
import type { TablePrinter } from "./printers.ts";

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

interface BindingFields {
  roleRef?: { kind?: string; name?: string };
  subjects?: Subject[];
}

function bindingCells(obj: KObject, nowMs: number): unknown[] {
  const b = obj as KObject & BindingFields;
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of b.subjects ?? []) {
    if (s.kind === "ServiceAccount") sas.push(`${s.namespace ?? ""}/${s.name}`);
    else if (s.kind === "User") users.push(s.name);
    else if (s.kind === "Group") groups.push(s.name);
  }
  return [b.metadata.name, `${b.roleRef?.kind ?? ""}/${b.roleRef?.name ?? ""}`, ageOf(b, nowMs), users.join(", "), groups.join(", "), sas.join(", ")];
}

export const roleBindingPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    col("Role", "string", DOC.roleBindingRoleRef),
    AGE_COLUMN,
    col("Users", "string", "Users in the roleBinding", { wide: true }),
    col("Groups", "string", "Groups in the roleBinding", { wide: true }),
    col("ServiceAccounts", "string", "ServiceAccounts in the roleBinding", { wide: true }),
  ],
  cells: bindingCells,
};

export const clusterRoleBindingPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    col("Role", "string", DOC.clusterRoleBindingRoleRef),
    AGE_COLUMN,
    col("Users", "string", "Users in the clusterRoleBinding", { wide: true }),
    col("Groups", "string", "Groups in the clusterRoleBinding", { wide: true }),
    col("ServiceAccounts", "string", "ServiceAccounts in the clusterRoleBinding", { wide: true }),
  ],
  cells: bindingCells,
};

export const leasePrinter: TablePrinter = {
  columns: [NAME_COLUMN, col("Holder", "string", DOC.leaseHolder), AGE_COLUMN],
  cells(obj: KObject, nowMs: number) {
    const l = obj as Lease;
    return [l.metadata.name, l.spec?.holderIdentity ?? "", ageOf(l, nowMs)];
  },
};

interface StorageClassFields {
  provisioner?: string;
  reclaimPolicy?: string;
  volumeBindingMode?: string;
  allowVolumeExpansion?: boolean;
}

export const storageClassPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    col("Provisioner", "string", DOC.scProvisioner),
    col("ReclaimPolicy", "string", DOC.scReclaimPolicy),
    col("VolumeBindingMode", "string", DOC.scVolumeBindingMode),
    col("AllowVolumeExpansion", "string", DOC.scAllowVolumeExpansion),
    AGE_COLUMN,
  ],
  cells(obj: KObject, nowMs: number) {
    const sc = obj as KObject & StorageClassFields;
    const a = sc.metadata.annotations ?? {};
    const isDefault = a["storageclass.kubernetes.io/is-default-class"] === "true" || a["storageclass.beta.kubernetes.io/is-default-class"] === "true";
    return [
      isDefault ? `${sc.metadata.name} (default)` : sc.metadata.name,
      sc.provisioner ?? "",
      sc.reclaimPolicy ?? "Delete",
      sc.volumeBindingMode ?? "Immediate",
      sc.allowVolumeExpansion ?? false,
      ageOf(sc, nowMs),
    ];
  },
};

interface PriorityClassFields {
  value?: number;
  globalDefault?: boolean;
  preemptionPolicy?: string;
}

export const priorityClassPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    col("Value", "integer", DOC.pcValue),
    col("Global-Default", "boolean", DOC.pcGlobalDefault),
    AGE_COLUMN,
    col("PreemptionPolicy", "string", DOC.pcPreemptionPolicy),
  ],
  cells(obj: KObject, nowMs: number) {
    const pc = obj as KObject & PriorityClassFields;
    return [pc.metadata.name, pc.value ?? 0, pc.globalDefault ?? false, ageOf(pc, nowMs), pc.preemptionPolicy ?? ""];
  },
};

interface PDBFields {
  spec?: { minAvailable?: IntOrString; maxUnavailable?: IntOrString };
  status?: { disruptionsAllowed?: number };
}

export const podDisruptionBudgetPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    col("Min Available", "string", "The minimum number of pods that must be available."),
    col("Max Unavailable", "string", "The maximum number of pods that may be unavailable."),
    col("Allowed Disruptions", "integer", "Calculated number of pods that may be disrupted at this time."),
    AGE_COLUMN,
  ],
  cells(obj: KObject, nowMs: number) {
    const pdb = obj as KObject & PDBFields;
    const min = pdb.spec?.minAvailable;
    const max = pdb.spec?.maxUnavailable;
    return [
      pdb.metadata.name,
      min === undefined || min === null ? "N/A" : String(min),
      max === undefined || max === null ? "N/A" : String(max),
      pdb.status?.disruptionsAllowed ?? 0,
      ageOf(pdb, nowMs),
    ];
  },
};

export const networkPolicyPrinter: TablePrinter = {
  columns: [NAME_COLUMN, col("Pod-Selector", "string", DOC.netpolPodSelector), AGE_COLUMN],
  cells(obj: KObject, nowMs: number) {
    const np = obj as KObject & { spec?: { podSelector?: LabelSelectorSpec } };
    return [np.metadata.name, formatLabelSelector(np.spec?.podSelector ?? {}), ageOf(np, nowMs)];
  },
};

interface HPAFields {
  spec?: {
    scaleTargetRef?: { kind?: string; name?: string };
    minReplicas?: number;
    maxReplicas?: number;
    metrics?: { type: string; resource?: { name: string; target?: { averageUtilization?: number; averageValue?: string } } }[];
  };
  status?: { currentReplicas?: number; currentMetrics?: { type: string; resource?: { current?: { averageUtilization?: number; averageValue?: string } } }[] };
}

/** formatHPAMetrics for Resource metrics (the kind `kubectl autoscale` creates); others print `<unknown type>`. */
function hpaMetrics(h: KObject & HPAFields): string {
  const specs = h.spec?.metrics ?? [];
  if (specs.length === 0) return "<none>";
  const list: string[] = [];
  specs.forEach((spec, i) => {
    const status = h.status?.currentMetrics?.[i];
    if (spec.type === "Resource" && spec.resource) {
      if (spec.resource.target?.averageValue !== undefined) {
        list.push(`${spec.resource.name}: ${status?.resource?.current?.averageValue ?? "<unknown>"}/${spec.resource.target.averageValue}`);
      } else {
        const cur = status?.resource?.current?.averageUtilization;
        const target = spec.resource.target?.averageUtilization;
        list.push(`${spec.resource.name}: ${cur !== undefined ? `${cur}%` : "<unknown>"}/${target !== undefined ? `${target}%` : "<auto>"}`);
      }
    } else {
      list.push("<unknown type>");
    }
  });
  const max = 2;
  if (list.length > max) return `${list.slice(0, max).join(", ")} + ${list.length - max} more...`;
  return list.join(", ");
}

export const horizontalPodAutoscalerPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    col("Reference", "string", DOC.hpaScaleTargetRef),
    col("Targets", "string", DOC.hpaMetrics),
    col("MinPods", "string", DOC.hpaMinReplicas),
    col("MaxPods", "string", DOC.hpaMaxReplicas),
    col("Replicas", "string", DOC.hpaCurrentReplicas),
    AGE_COLUMN,
  ],
  cells(obj: KObject, nowMs: number) {
    const h = obj as KObject & HPAFields;
    return [
      h.metadata.name,
      `${h.spec?.scaleTargetRef?.kind ?? ""}/${h.spec?.scaleTargetRef?.name ?? ""}`,
      hpaMetrics(h),
      h.spec?.minReplicas !== undefined ? String(h.spec.minReplicas) : "<unset>",
      h.spec?.maxReplicas ?? 0,
      h.status?.currentReplicas ?? 0,
      ageOf(h, nowMs),
    ];
  },
};

/** The generic registry's table: NAME and CREATED AT (RFC 3339, UTC). */
export const defaultTablePrinter: TablePrinter = {
  columns: [NAME_COLUMN, col("Created At", "date", DOC.creationTimestamp)],
  cells(obj: KObject) {
    const t = timeOf(obj.metadata.creationTimestamp);
    return [obj.metadata.name, t === undefined ? null : rfc3339(t)];
  },
};
