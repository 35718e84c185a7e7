// Kind-specific shapes of apps/v1 objects, after k8s.io/api/apps/v1/types.go.
// Only the fields this emulator reads or writes are spelled out.
// Leaves out: StatefulSet volumeClaimTemplates details, persistentVolumeClaimRetentionPolicy.

import type { KObject } from "../../apimachinery/meta.ts";
import type { LabelSelectorSpec } from "../../apimachinery/labels.ts";
import type { IntOrString, PersistentVolumeClaim, PodTemplateSpec } from "../core/v1.ts";

/** metav1.LabelSelector */
export type LabelSelector = LabelSelectorSpec;

export interface WorkloadCondition {
  type: string;
  status: "True" | "False" | "Unknown";
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

// ---- Deployment ----

export interface DeploymentStrategy {
  type?: "RollingUpdate" | "Recreate";
  rollingUpdate?: { maxUnavailable?: IntOrString; maxSurge?: IntOrString };
}

export interface DeploymentSpec {
  replicas?: number;
  selector: LabelSelector;
  template: PodTemplateSpec;
  strategy?: DeploymentStrategy;
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  paused?: boolean;
  progressDeadlineSeconds?: number;
}

export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  terminatingReplicas?: number;
  conditions?: WorkloadCondition[];
  collisionCount?: number;
}

export interface Deployment extends KObject {
  spec: DeploymentSpec;
  status?: DeploymentStatus;
}

// ---- ReplicaSet ----

export interface ReplicaSetSpec {
  replicas?: number;
  minReadySeconds?: number;
  selector: LabelSelector;
  template: PodTemplateSpec;
}

export interface ReplicaSetStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: WorkloadCondition[];
}

export interface ReplicaSet extends KObject {
  spec: ReplicaSetSpec;
  status?: ReplicaSetStatus;
}

// ---- DaemonSet ----

export interface DaemonSetUpdateStrategy {
  type?: "RollingUpdate" | "OnDelete";
  rollingUpdate?: { maxUnavailable?: IntOrString; maxSurge?: IntOrString };
}

export interface DaemonSetSpec {
  selector: LabelSelector;
  template: PodTemplateSpec;
  updateStrategy?: DaemonSetUpdateStrategy;
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
}

export interface DaemonSetStatus {
  currentNumberScheduled: number;
  numberMisscheduled: number;
  desiredNumberScheduled: number;
  numberReady: number;
  observedGeneration?: number;
  updatedNumberScheduled?: number;
  numberAvailable?: number;
  numberUnavailable?: number;
  collisionCount?: number;
  conditions?: WorkloadCondition[];
}

export interface DaemonSet extends KObject {
  spec: DaemonSetSpec;
  status?: DaemonSetStatus;
}

// ---- StatefulSet ----

export interface StatefulSetSpec {
  replicas?: number;
  selector: LabelSelector;
  template: PodTemplateSpec;
  volumeClaimTemplates?: PersistentVolumeClaim[];
  serviceName?: string;
  podManagementPolicy?: "OrderedReady" | "Parallel";
  updateStrategy?: { type?: "RollingUpdate" | "OnDelete"; rollingUpdate?: { partition?: number; maxUnavailable?: IntOrString } };
  revisionHistoryLimit?: number;
  minReadySeconds?: number;
  persistentVolumeClaimRetentionPolicy?: { whenDeleted?: string; whenScaled?: string };
}

export interface StatefulSetStatus {
  observedGeneration?: number;
  replicas: number;
  readyReplicas?: number;
  currentReplicas?: number;
  updatedReplicas?: number;
  availableReplicas?: number;
  currentRevision?: string;
  updateRevision?: string;
  collisionCount?: number;
  conditions?: WorkloadCondition[];
}

export interface StatefulSet extends KObject {
  spec: StatefulSetSpec;
  status?: StatefulSetStatus;
}

// ---- ControllerRevision ----

export interface ControllerRevision extends KObject {
  data?: unknown;
  revision: number;
}
