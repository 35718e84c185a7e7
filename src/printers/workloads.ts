// apps/v1 workload Tables (and the core ReplicationController), after
// printDeployment, printReplicaSet, printDaemonSet, printStatefulSet,
// printReplicationController and printControllerRevision in
// pkg/printers/internalversion/printers.go.

import type { KObject } from "../apimachinery/meta.ts";
import type { ReplicationController } from "../api/core/v1.ts";
import type { ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet } from "../api/apps/v1.ts";
import { DOC } from "./descriptions.ts";
import {
  AGE_COLUMN,
  ageOf,
  col,
  CONTAINERS_COLUMN,
  containerCells,
  formatLabels,
  formatLabelSelector,
  IMAGES_COLUMN,
  NAME_COLUMN,
  selectorString,
} from "./helpers.ts";
import type { TablePrinter } from "./printers.ts";

export const deploymentPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    col("Ready", "string", "Number of the pod with ready state"),
    col("Up-to-date", "string", DOC.deployUpdated),
    col("Available", "string", DOC.deployAvailable),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    col("Selector", "string", DOC.deploySelector, { wide: true }),
  ],
  cells(obj: KObject, nowMs: number) {
    const d = obj as Deployment;
    const [names, images] = containerCells(d.spec?.template?.spec?.containers);
    return [
      d.metadata.name,
      `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`,
      d.status?.updatedReplicas ?? 0,
      d.status?.availableReplicas ?? 0,
      ageOf(d, nowMs),
      names,
      images,
      selectorString(d.spec?.selector),
    ];
  },
};

export const replicaSetPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    col("Desired", "integer", DOC.rsSpecReplicas),
    col("Current", "integer", DOC.rsStatusReplicas),
    col("Ready", "integer", DOC.rsStatusReadyReplicas),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    col("Selector", "string", DOC.rsSpecSelector, { wide: true }),
  ],
  cells(obj: KObject, nowMs: number) {
    const rs = obj as ReplicaSet;
    const [names, images] = containerCells(rs.spec?.template?.spec?.containers);
    return [
      rs.metadata.name,
      rs.spec?.replicas ?? 0,
      rs.status?.replicas ?? 0,
      rs.status?.readyReplicas ?? 0,
      ageOf(rs, nowMs),
      names,
      images,
      formatLabelSelector(rs.spec?.selector),
    ];
  },
};

export const daemonSetPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    col("Desired", "integer", DOC.dsDesired),
    col("Current", "integer", DOC.dsCurrent),
    col("Ready", "integer", DOC.dsReady),
    col("Up-to-date", "integer", DOC.dsUpdated),
    col("Available", "integer", DOC.dsAvailable),
    col("Node Selector", "string", DOC.nodeSelector),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    col("Selector", "string", DOC.dsSelector, { wide: true }),
  ],
  cells(obj: KObject, nowMs: number) {
    const ds = obj as DaemonSet;
    const s = ds.status;
    const [names, images] = containerCells(ds.spec?.template?.spec?.containers);
    return [
      ds.metadata.name,
      s?.desiredNumberScheduled ?? 0,
      s?.currentNumberScheduled ?? 0,
      s?.numberReady ?? 0,
      s?.updatedNumberScheduled ?? 0,
      s?.numberAvailable ?? 0,
      formatLabels(ds.spec?.template?.spec?.nodeSelector),
      ageOf(ds, nowMs),
      names,
      images,
      formatLabelSelector(ds.spec?.selector),
    ];
  },
};

export const statefulSetPrinter: TablePrinter = {
  columns: [NAME_COLUMN, col("Ready", "string", "Number of the pod with ready state"), AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN],
  cells(obj: KObject, nowMs: number) {
    const sts = obj as StatefulSet;
    const [names, images] = containerCells(sts.spec?.template?.spec?.containers);
    return [sts.metadata.name, `${sts.status?.readyReplicas ?? 0}/${sts.spec?.replicas ?? 0}`, ageOf(sts, nowMs), names, images];
  },
};

export const replicationControllerPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    col("Desired", "integer", DOC.rcSpecReplicas),
    col("Current", "integer", DOC.rcStatusReplicas),
    col("Ready", "integer", DOC.rcStatusReadyReplicas),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    col("Selector", "string", DOC.rcSpecSelector, { wide: true }),
  ],
  cells(obj: KObject, nowMs: number) {
    const rc = obj as ReplicationController;
    const [names, images] = containerCells(rc.spec?.template?.spec?.containers);
    return [
      rc.metadata.name,
      rc.spec?.replicas ?? 0,
      rc.status?.replicas ?? 0,
      rc.status?.readyReplicas ?? 0,
      ageOf(rc, nowMs),
      names,
      images,
      formatLabels(rc.spec?.selector),
    ];
  },
};

export const controllerRevisionPrinter: TablePrinter = {
  columns: [NAME_COLUMN, col("Controller", "string", "Controller of the object"), col("Revision", "string", DOC.revision), AGE_COLUMN],
  cells(obj: KObject, nowMs: number) {
    const cr = obj as ControllerRevision;
    const ref = cr.metadata.ownerReferences?.find((o) => o.controller);
    let controller = "<none>";
    if (ref) {
      // formatResourceName: lower(Kind.group)/name
      const group = ref.apiVersion.includes("/") ? ref.apiVersion.split("/")[0] : "";
      controller = `${(group ? `${ref.kind}.${group}` : ref.kind).toLowerCase()}/${ref.name}`;
    }
    return [cr.metadata.name, controller, cr.revision ?? 0, ageOf(cr, nowMs)];
  },
};
