// Which strategy serves which resource: one list, so the per-kind behaviour of
// the apiserver can be read in one place. Each strategy lives in
// src/apiserver/registry/<group>/<kind>.ts, after pkg/registry/<group>/<kind>/strategy.go.

import type { Strategy } from "./registry/store.ts";
import type { ResourceInfo } from "./resources.ts";
import { podStrategy } from "./registry/core/pod.ts";
import { workloadStrategy } from "./registry/apps/workload.ts";
import { eventStrategy } from "./registry/core/event.ts";

/** Kinds whose spec changes bump metadata.generation. */
const GENERATION = new Set(["Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "CronJob", "ReplicationController", "PodDisruptionBudget", "Ingress", "NetworkPolicy", "HorizontalPodAutoscaler"]);

export function strategyFor(info: ResourceInfo, version: string): Strategy {
  void version;
  if (info.group === "" && info.resource === "pods") return podStrategy;
  if (info.resource === "events") return eventStrategy;
  if (GENERATION.has(info.kind)) return workloadStrategy(info.kind);
  return {};
}
