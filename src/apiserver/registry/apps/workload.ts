// Workload controllers' objects (Deployment, ReplicaSet, DaemonSet…), after
// pkg/registry/apps/*/strategy.go: spec changes bump metadata.generation.
// Defaulting of their specs lives in src/apiserver/defaults.

import type { Strategy } from "../store.ts";

export function workloadStrategy(kind: string): Strategy {
  void kind;
  return { generation: true };
}
