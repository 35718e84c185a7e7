// Server-side Table printers, after kubernetes pkg/printers/internalversion:
// per resource, the columns a real v1.32 apiserver declares and the cells it
// computes. The one registry list below maps group/resource to a printer; the
// Table endpoint (src/apiserver/table.ts) calls getPrinter.
// Resources without a printer use the apiserver's default table (NAME, CREATED AT).

import type { KObject } from "../apimachinery/meta.ts";
import { podPrinter } from "./pod.ts";
import { nodePrinter } from "./node.ts";
import { eventPrinter } from "./event.ts";
import { endpointSlicePrinter, endpointsPrinter, ingressPrinter, servicePrinter } from "./service.ts";
import { controllerRevisionPrinter, daemonSetPrinter, deploymentPrinter, replicaSetPrinter, replicationControllerPrinter, statefulSetPrinter } from "./workloads.ts";
import { cronJobPrinter, jobPrinter } from "./batch.ts";
import {
  configMapPrinter,
  namespacePrinter,
  persistentVolumeClaimPrinter,
  persistentVolumePrinter,
  podTemplatePrinter,
  resourceQuotaPrinter,
  secretPrinter,
  serviceAccountPrinter,
} from "./config.ts";
import {
  clusterRoleBindingPrinter,
  defaultTablePrinter,
  horizontalPodAutoscalerPrinter,
  leasePrinter,
  networkPolicyPrinter,
  podDisruptionBudgetPrinter,
  priorityClassPrinter,
  roleBindingPrinter,
  storageClassPrinter,
} from "./cluster.ts";

export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TablePrinter {
  columns: ColumnDefinition[];
  cells(obj: KObject, nowMs: number): unknown[];
}

/** group/resource → printer, in the order AddHandlers registers them. */
const PRINTERS: Record<string, TablePrinter> = {
  "/pods": podPrinter,
  "/podtemplates": podTemplatePrinter,
  "policy/poddisruptionbudgets": podDisruptionBudgetPrinter,
  "/replicationcontrollers": replicationControllerPrinter,
  "apps/replicasets": replicaSetPrinter,
  "apps/daemonsets": daemonSetPrinter,
  "batch/jobs": jobPrinter,
  "batch/cronjobs": cronJobPrinter,
  "/services": servicePrinter,
  "networking.k8s.io/ingresses": ingressPrinter,
  "apps/statefulsets": statefulSetPrinter,
  "/endpoints": endpointsPrinter,
  "/nodes": nodePrinter,
  "/events": eventPrinter,
  "events.k8s.io/events": eventPrinter,
  "/namespaces": namespacePrinter,
  "/secrets": secretPrinter,
  "/serviceaccounts": serviceAccountPrinter,
  "/persistentvolumes": persistentVolumePrinter,
  "/persistentvolumeclaims": persistentVolumeClaimPrinter,
  "apps/deployments": deploymentPrinter,
  "autoscaling/horizontalpodautoscalers": horizontalPodAutoscalerPrinter,
  "/configmaps": configMapPrinter,
  "networking.k8s.io/networkpolicies": networkPolicyPrinter,
  "rbac.authorization.k8s.io/rolebindings": roleBindingPrinter,
  "rbac.authorization.k8s.io/clusterrolebindings": clusterRoleBindingPrinter,
  "coordination.k8s.io/leases": leasePrinter,
  "storage.k8s.io/storageclasses": storageClassPrinter,
  "apps/controllerrevisions": controllerRevisionPrinter,
  "/resourcequotas": resourceQuotaPrinter,
  "scheduling.k8s.io/priorityclasses": priorityClassPrinter,
  "discovery.k8s.io/endpointslices": endpointSlicePrinter,
  // No printer upstream: the registry's default table convertor answers.
  "rbac.authorization.k8s.io/roles": defaultTablePrinter,
  "rbac.authorization.k8s.io/clusterroles": defaultTablePrinter,
  "/limitranges": defaultTablePrinter,
};

export function getPrinter(group: string, resource: string): TablePrinter | undefined {
  return PRINTERS[`${group}/${resource}`];
}
