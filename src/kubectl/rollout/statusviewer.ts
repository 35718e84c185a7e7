// kubectl's polymorphichelpers/rollout_status.go: one progress line per
// observed state of a Deployment, DaemonSet or StatefulSet, and whether the
// rollout is done. Texts are upstream's, byte for byte.

export class StatusError extends Error {}

interface Condition {
  type: string;
  reason?: string;
}

export interface Workload {
  kind?: string;
  metadata: { name?: string; generation?: number; annotations?: Record<string, string> };
  spec?: {
    replicas?: number;
    updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } };
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    readyReplicas?: number;
    currentReplicas?: number;
    currentRevision?: string;
    updateRevision?: string;
    conditions?: Condition[];
    desiredNumberScheduled?: number;
    updatedNumberScheduled?: number;
    numberAvailable?: number;
  };
}

export interface RolloutStatus {
  text: string;
  done: boolean;
}

const q = (s: string | undefined) => JSON.stringify(s ?? "");

function deploymentStatus(d: Workload, revision: number): RolloutStatus {
  const name = d.metadata.name;
  const st = d.status ?? {};
  if (revision > 0) {
    const current = Number(d.metadata.annotations?.["deployment.kubernetes.io/revision"] ?? "0");
    if (current !== revision) throw new StatusError(`desired revision (${revision}) is different from the running revision (${current})`);
  }
  if ((d.metadata.generation ?? 0) <= (st.observedGeneration ?? 0)) {
    const progressing = st.conditions?.find((c) => c.type === "Progressing");
    if (progressing?.reason === "ProgressDeadlineExceeded") throw new StatusError(`deployment ${q(name)} exceeded its progress deadline`);
    const replicas = d.spec?.replicas;
    const updated = st.updatedReplicas ?? 0;
    if (replicas !== undefined && updated < replicas) {
      return { text: `Waiting for deployment ${q(name)} rollout to finish: ${updated} out of ${replicas} new replicas have been updated...\n`, done: false };
    }
    if ((st.replicas ?? 0) > updated) {
      return { text: `Waiting for deployment ${q(name)} rollout to finish: ${(st.replicas ?? 0) - updated} old replicas are pending termination...\n`, done: false };
    }
    if ((st.availableReplicas ?? 0) < updated) {
      return { text: `Waiting for deployment ${q(name)} rollout to finish: ${st.availableReplicas ?? 0} of ${updated} updated replicas are available...\n`, done: false };
    }
    return { text: `deployment ${q(name)} successfully rolled out\n`, done: true };
  }
  return { text: "Waiting for deployment spec update to be observed...\n", done: false };
}

function daemonSetStatus(ds: Workload): RolloutStatus {
  const name = ds.metadata.name;
  const st = ds.status ?? {};
  if ((ds.spec?.updateStrategy?.type ?? "RollingUpdate") !== "RollingUpdate") {
    throw new StatusError("rollout status is only available for RollingUpdate strategy type");
  }
  if ((ds.metadata.generation ?? 0) <= (st.observedGeneration ?? 0)) {
    const desired = st.desiredNumberScheduled ?? 0;
    if ((st.updatedNumberScheduled ?? 0) < desired) {
      return { text: `Waiting for daemon set ${q(name)} rollout to finish: ${st.updatedNumberScheduled ?? 0} out of ${desired} new pods have been updated...\n`, done: false };
    }
    if ((st.numberAvailable ?? 0) < desired) {
      return { text: `Waiting for daemon set ${q(name)} rollout to finish: ${st.numberAvailable ?? 0} of ${desired} updated pods are available...\n`, done: false };
    }
    return { text: `daemon set ${q(name)} successfully rolled out\n`, done: true };
  }
  return { text: "Waiting for daemon set spec update to be observed...\n", done: false };
}

function statefulSetStatus(sts: Workload): RolloutStatus {
  const st = sts.status ?? {};
  const strategy = sts.spec?.updateStrategy;
  if ((strategy?.type ?? "RollingUpdate") !== "RollingUpdate") {
    throw new StatusError("rollout status is only available for RollingUpdate strategy type");
  }
  if (!st.observedGeneration || (sts.metadata.generation ?? 0) > st.observedGeneration) {
    return { text: "Waiting for statefulset spec update to be observed...\n", done: false };
  }
  const replicas = sts.spec?.replicas;
  if (replicas !== undefined && (st.readyReplicas ?? 0) < replicas) {
    return { text: `Waiting for ${replicas - (st.readyReplicas ?? 0)} pods to be ready...\n`, done: false };
  }
  const partition = strategy?.rollingUpdate?.partition;
  if (strategy?.rollingUpdate) {
    if (replicas !== undefined && partition !== undefined && (st.updatedReplicas ?? 0) < replicas - partition) {
      return { text: `Waiting for partitioned roll out to finish: ${st.updatedReplicas ?? 0} out of ${replicas - partition} new pods have been updated...\n`, done: false };
    }
    return { text: `partitioned roll out complete: ${st.updatedReplicas ?? 0} new pods have been updated...\n`, done: true };
  }
  if (st.updateRevision !== st.currentRevision) {
    return { text: `waiting for statefulset rolling update to complete ${st.updatedReplicas ?? 0} pods at revision ${st.updateRevision ?? ""}...\n`, done: false };
  }
  return { text: `statefulset rolling update complete ${st.currentReplicas ?? 0} pods at revision ${st.currentRevision ?? ""}...\n`, done: true };
}

/** StatusViewerFor(kind).Status(obj, revision); undefined when kubectl has no viewer for the kind. */
export function statusViewerFor(kind: string): ((obj: Workload, revision: number) => RolloutStatus) | undefined {
  switch (kind) {
    case "Deployment":
      return deploymentStatus;
    case "DaemonSet":
      return (o) => daemonSetStatus(o);
    case "StatefulSet":
      return (o) => statefulSetStatus(o);
    default:
      return undefined;
  }
}
