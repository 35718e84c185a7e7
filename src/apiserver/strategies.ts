// Which strategy serves which resource: one list, so the per-kind behaviour of
// the apiserver can be read in one place. Each strategy lives in
// src/apiserver/registry/<group>/<kind>.ts, after pkg/registry/<group>/<kind>/strategy.go.
// Kinds not listed get name/label validation only (RBAC names are path
// segments, so "system:node" is allowed), plus generation bumps where the
// real strategy has them.

import { isPathSegmentName } from "../apimachinery/validation.ts";
import type { KObject } from "../apimachinery/meta.ts";
import type { Strategy } from "./registry/store.ts";
import type { ResourceInfo } from "./resources.ts";
import { podStrategy } from "./registry/core/pod.ts";
import { eventStrategy } from "./registry/core/event.ts";
import { serviceStrategy } from "./registry/core/service.ts";
import { namespaceStrategy } from "./registry/core/namespace.ts";
import { persistentVolumeClaimStrategy } from "./registry/core/persistentvolumeclaim.ts";
import { nodeStrategy } from "./registry/core/node.ts";
import { configMapStrategy, secretStrategy, serviceAccountStrategy } from "./registry/core/config.ts";
import { validateMetaOf } from "./registry/core/validation.ts";
import { workloadStrategy } from "./registry/apps/workload.ts";
import { deploymentStrategy } from "./registry/apps/deployment.ts";
import { replicaSetStrategy } from "./registry/apps/replicaset.ts";
import { daemonSetStrategy } from "./registry/apps/daemonset.ts";
import { statefulSetStrategy } from "./registry/apps/statefulset.ts";
import { cronJobStrategy, jobStrategy } from "./registry/batch/job.ts";

const STRATEGIES: Record<string, Strategy> = {
  "/pods": podStrategy,
  "/events": eventStrategy,
  "events.k8s.io/events": eventStrategy,
  "/services": serviceStrategy,
  "/namespaces": namespaceStrategy,
  "/persistentvolumeclaims": persistentVolumeClaimStrategy,
  "/nodes": nodeStrategy,
  "/configmaps": configMapStrategy,
  "/secrets": secretStrategy,
  "/serviceaccounts": serviceAccountStrategy,
  "apps/deployments": deploymentStrategy,
  "apps/replicasets": replicaSetStrategy,
  "apps/daemonsets": daemonSetStrategy,
  "apps/statefulsets": statefulSetStrategy,
  "batch/jobs": jobStrategy,
  "batch/cronjobs": cronJobStrategy,
};

/** Kinds whose spec changes bump metadata.generation. */
const GENERATION = new Set(["ReplicationController", "PodDisruptionBudget", "Ingress", "NetworkPolicy", "HorizontalPodAutoscaler"]);

const rbacNames: Strategy = { validate: (obj: KObject) => validateMetaOf(obj, isPathSegmentName) };
const plainNames: Strategy = { validate: (obj: KObject) => validateMetaOf(obj) };

export function strategyFor(info: ResourceInfo, version: string): Strategy {
  void version;
  const s = STRATEGIES[`${info.group}/${info.resource}`];
  if (s) return s;
  if (GENERATION.has(info.kind)) return workloadStrategy();
  if (info.group === "rbac.authorization.k8s.io") return rbacNames;
  return plainNames;
}
