// Pods, after pkg/registry/core/pod/strategy.go plus the admission plugins a
// kubeadm apiserver runs on pod create: ServiceAccount (serviceAccountName,
// the kube-api-access-<5> projected token volume and its mounts),
// DefaultTolerationSeconds (not-ready/unreachable 300s), Priority
// (priorityClassName → priority) — then status Pending + qosClass.
// Updates may change only images, activeDeadlineSeconds, tolerations
// (additions) and terminationGracePeriodSeconds, as ValidatePodUpdate allows.
// Leaves out: LimitRanger, ResourceQuota, PodSecurity admission.

import { forbidden, type FieldError } from "../../../apimachinery/errors.ts";
import type { KObject } from "../../../apimachinery/meta.ts";
import { forbiddenField } from "../../../apimachinery/validation.ts";
import type { DeleteOptions } from "../../../client/interface.ts";
import type { Container, Pod, PodSpec, ServiceAccount, Toleration } from "../../../api/core/v1.ts";
import type { RequestContext, Strategy, StrategyEnv } from "../store.ts";
import { defaultPodSpec } from "./defaults.ts";
import { validateMetaOf, validatePodSpec } from "./validation.ts";
import { semanticEqual } from "../../../apimachinery/equality.ts";
import { deepCopy } from "../../../apimachinery/deepcopy.ts";

const MIRROR_ANNOTATION = "kubernetes.io/config.mirror";
export const SERVICE_ACCOUNT_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";

/** The built-in priority classes the apiserver creates at start-up. */
export const SYSTEM_PRIORITY_CLASSES: Record<string, number> = {
  "system-node-critical": 2000001000,
  "system-cluster-critical": 2000000000,
};

/** ServiceAccount admission: default the account, add the token volume and mounts. */
function admitServiceAccount(pod: Pod, env: StrategyEnv): void {
  const spec = pod.spec;
  if (pod.metadata.annotations?.[MIRROR_ANNOTATION] !== undefined) return;
  if (!spec.serviceAccountName) spec.serviceAccountName = "default";
  spec.serviceAccount = spec.serviceAccountName;
  const ns = pod.metadata.namespace ?? "default";
  const sa = env.lookup("", "serviceaccounts", ns, spec.serviceAccountName) as ServiceAccount | undefined;
  // "default" is created by the serviceaccount controller moments after its namespace; a
  // missing named account is refused as the real plugin refuses it.
  if (!sa && spec.serviceAccountName !== "default") {
    throw forbidden(
      { group: "", resource: "pods" },
      pod.metadata.name ?? "",
      `error looking up service account ${ns}/${spec.serviceAccountName}: serviceaccount "${spec.serviceAccountName}" not found`,
    );
  }
  const automount = spec.automountServiceAccountToken ?? sa?.automountServiceAccountToken ?? true;
  if (!automount) return;
  const all: Container[] = [...(spec.initContainers ?? []), ...spec.containers];
  // A container that already mounts something at the token path keeps it.
  if (all.some((c) => (c.volumeMounts ?? []).some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH))) return;
  const name = `kube-api-access-${env.rand.string(5)}`;
  spec.volumes = [
    ...(spec.volumes ?? []),
    {
      name,
      projected: {
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
          { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
          { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
        ],
        defaultMode: 420,
      },
    },
  ];
  for (const c of all) c.volumeMounts = [...(c.volumeMounts ?? []), { name, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH }];
}

/** DefaultTolerationSeconds admission. */
function admitDefaultTolerations(spec: PodSpec): void {
  const tolerations = spec.tolerations ?? [];
  const tolerates = (key: string) =>
    tolerations.some((t) => (t.key === key || (!t.key && t.operator === "Exists")) && (!t.effect || t.effect === "NoExecute"));
  const add: Toleration[] = [];
  for (const key of ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]) {
    if (!tolerates(key)) add.push({ key, operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 });
  }
  if (add.length > 0) spec.tolerations = [...tolerations, ...add];
}

interface PriorityClassObject extends KObject {
  value?: number;
  globalDefault?: boolean;
  preemptionPolicy?: "PreemptLowerPriority" | "Never";
}

/** Priority admission: priorityClassName → priority and preemptionPolicy. */
function admitPriority(pod: Pod, env: StrategyEnv): void {
  const spec = pod.spec;
  const name = spec.priorityClassName;
  if (name) {
    const pc = env.lookup("scheduling.k8s.io", "priorityclasses", undefined, name) as PriorityClassObject | undefined;
    if (pc) {
      spec.priority = pc.value ?? 0;
      spec.preemptionPolicy ??= pc.preemptionPolicy ?? "PreemptLowerPriority";
    } else if (SYSTEM_PRIORITY_CLASSES[name] !== undefined) {
      spec.priority = SYSTEM_PRIORITY_CLASSES[name];
    } else {
      throw forbidden({ group: "", resource: "pods" }, pod.metadata.name ?? "", `no PriorityClass with name ${name} was found`);
    }
  } else {
    spec.priority ??= 0;
  }
  spec.preemptionPolicy ??= "PreemptLowerPriority";
}

function hasResources(c: Container): boolean {
  return Object.keys(c.resources?.requests ?? {}).length > 0 || Object.keys(c.resources?.limits ?? {}).length > 0;
}

/** qos.GetPodQOS over cpu and memory. */
export function podQOS(spec: PodSpec): "Guaranteed" | "Burstable" | "BestEffort" {
  const all = [...(spec.initContainers ?? []), ...spec.containers];
  if (!all.some(hasResources)) return "BestEffort";
  const guaranteed = all.every((c) => {
    const lim = c.resources?.limits ?? {};
    const req = c.resources?.requests ?? {};
    return ["cpu", "memory"].every((r) => lim[r] !== undefined && (req[r] === undefined || req[r] === lim[r]));
  });
  return guaranteed ? "Guaranteed" : "Burstable";
}

const UPDATABLE_FIELDS = [
  "`spec.containers[*].image`",
  "`spec.initContainers[*].image`",
  "`spec.activeDeadlineSeconds`",
  "`spec.tolerations` (only additions to existing tolerations)",
  "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
];

function goFieldName(k: string): string {
  const special: Record<string, string> = { dnsPolicy: "DNSPolicy", hostIPC: "HostIPC", hostPID: "HostPID", nodeName: "NodeName" };
  return special[k] ?? k.charAt(0).toUpperCase() + k.slice(1);
}

/** A short cmp.Diff-like listing of the top-level spec fields that changed. */
function specDiff(oldSpec: PodSpec, newSpec: PodSpec): string {
  const keys = [...new Set([...Object.keys(oldSpec), ...Object.keys(newSpec)])];
  const o = oldSpec as unknown as Record<string, unknown>;
  const n = newSpec as unknown as Record<string, unknown>;
  const lines = ["  core.PodSpec{"];
  let same = 0;
  for (const k of keys) {
    if (JSON.stringify(o[k]) === JSON.stringify(n[k])) {
      same++;
      continue;
    }
    if (same > 0) lines.push(`  \t... // ${same} identical fields`);
    same = 0;
    if (o[k] !== undefined) lines.push(`- \t${goFieldName(k)}: ${JSON.stringify(o[k])},`);
    if (n[k] !== undefined) lines.push(`+ \t${goFieldName(k)}: ${JSON.stringify(n[k])},`);
  }
  if (same > 0) lines.push(`  \t... // ${same} identical fields`);
  lines.push("  }");
  return lines.join("\n");
}

/** ValidatePodUpdate's spec rule: only the updatable fields may differ. */
/**
 * The spec with the fields an update may change set to old's, shallowly: enough
 * to compare, not to report (the slow path below builds the diff message).
 */
function comparable(spec: PodSpec, old: PodSpec): Record<string, unknown> {
  return {
    ...spec,
    containers: spec.containers.map((c, i) => (c.image === old.containers[i]?.image ? c : { ...c, image: old.containers[i]?.image ?? c.image })),
    ...(spec.initContainers ? { initContainers: spec.initContainers.map((c, i) => ({ ...c, image: old.initContainers?.[i]?.image ?? c.image })) } : {}),
    activeDeadlineSeconds: undefined,
    terminationGracePeriodSeconds: undefined,
    ...(old.nodeName ? {} : { nodeName: undefined }),
  };
}

function validatePodSpecUpdate(pod: Pod, old: Pod): FieldError[] {
  // Most updates (a binding, a label change) leave every immutable field alone: say so without copying the spec.
  if (pod.spec === old.spec || semanticEqual(comparable(pod.spec, old.spec), comparable(old.spec, old.spec))) return [];
  const munged: PodSpec = deepCopy(pod.spec);
  munged.containers = munged.containers.map((c, i) => ({ ...c, image: old.spec.containers[i]?.image ?? c.image }));
  if (munged.initContainers) munged.initContainers = munged.initContainers.map((c, i) => ({ ...c, image: old.spec.initContainers?.[i]?.image ?? c.image }));
  munged.activeDeadlineSeconds = old.spec.activeDeadlineSeconds;
  const oldTol = old.spec.tolerations ?? [];
  const newTol = munged.tolerations ?? [];
  // Tolerations may only grow: every old toleration must still be there.
  const additionsOnly = oldTol.every((t) => newTol.some((n) => JSON.stringify(n) === JSON.stringify(t)));
  if (additionsOnly) munged.tolerations = old.spec.tolerations;
  munged.terminationGracePeriodSeconds = old.spec.terminationGracePeriodSeconds;
  // pods/binding sets nodeName through the same store update; an unbound pod may gain one.
  if (!old.spec.nodeName) munged.nodeName = old.spec.nodeName;
  if (munged.nodeName === undefined) delete munged.nodeName;
  if (munged.activeDeadlineSeconds === undefined) delete munged.activeDeadlineSeconds;
  if (munged.tolerations === undefined) delete munged.tolerations;
  if (munged.terminationGracePeriodSeconds === undefined) delete munged.terminationGracePeriodSeconds;
  if (canonical(munged) === canonical(old.spec)) return [];
  return [forbiddenField("spec", `pod updates may not change fields other than ${UPDATABLE_FIELDS.join(",")}\n${specDiff(old.spec, munged)}`)];
}

function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))) : x,
  );
}

interface PodFields {
  spec?: { nodeName?: string; restartPolicy?: string; schedulerName?: string; serviceAccountName?: string; hostNetwork?: boolean; terminationGracePeriodSeconds?: number };
  status?: { phase?: string; podIP?: string; nominatedNodeName?: string };
}

export const podStrategy: Strategy = {
  prepareForCreate(obj: KObject, env: StrategyEnv, ctx: RequestContext) {
    void ctx;
    const pod = obj as Pod;
    pod.spec ??= { containers: [] };
    defaultPodSpec(pod.spec);
    admitServiceAccount(pod, env);
    admitDefaultTolerations(pod.spec);
    admitPriority(pod, env);
    pod.status = { phase: "Pending", qosClass: podQOS(pod.spec) };
  },
  prepareForUpdate(obj: KObject, old: KObject) {
    const pod = obj as Pod;
    pod.spec ??= { containers: [] };
    defaultPodSpec(pod.spec);
    // Admission-set fields a client may drop on PUT are kept from the stored pod.
    const o = (old as Pod).spec;
    pod.spec.priority ??= o.priority;
    pod.spec.preemptionPolicy ??= o.preemptionPolicy;
    if (pod.spec.serviceAccountName === undefined) {
      pod.spec.serviceAccountName = o.serviceAccountName;
      pod.spec.serviceAccount = o.serviceAccount;
    }
  },
  validate(obj: KObject) {
    return [...validateMetaOf(obj), ...validatePodSpec((obj as Pod).spec, "spec")];
  },
  validateUpdate(obj: KObject, old: KObject) {
    return validatePodSpecUpdate(obj as Pod, old as Pod);
  },
  fields(obj: KObject) {
    const p = obj as KObject & PodFields;
    return {
      "spec.nodeName": p.spec?.nodeName ?? "",
      "spec.restartPolicy": p.spec?.restartPolicy ?? "",
      "spec.schedulerName": p.spec?.schedulerName ?? "",
      "spec.serviceAccountName": p.spec?.serviceAccountName ?? "",
      "spec.hostNetwork": String(p.spec?.hostNetwork ?? false),
      "status.phase": p.status?.phase ?? "",
      "status.podIP": p.status?.podIP ?? "",
      "status.nominatedNodeName": p.status?.nominatedNodeName ?? "",
    };
  },
  gracePeriodSeconds(obj: KObject, opts: DeleteOptions) {
    const p = obj as KObject & PodFields;
    // An unscheduled pod, or one that has finished, has nothing to stop.
    if (!p.spec?.nodeName) return 0;
    if (p.status?.phase === "Succeeded" || p.status?.phase === "Failed") return 0;
    return opts.gracePeriodSeconds ?? p.spec?.terminationGracePeriodSeconds ?? 30;
  },
};
