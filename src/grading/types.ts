// The vocabulary of lesson checks: what an author writes in a step's
// ```yaml check``` block, and what evaluating one returns. Declarative checks
// read the cluster through a Client, so the same check runs unchanged against
// a real cluster; command and unit checks read what the learner did.

/** A comparison on one field. A bare value means `equals`. */
export type Expectation =
  | { equals: unknown }
  | { not: unknown }
  | { gte: number }
  | { lte: number }
  | { exists: boolean }
  | { matches: string };

interface CheckBase {
  /** Shown instead of the generated "why not yet" when the check fails. */
  message?: string;
}

/** One object's fields: `{ kind: resource, resource: deployments, name: test-web, expect: { "status.readyReplicas": 2 } }`. */
export interface ResourceCheck extends CheckBase {
  kind: "resource";
  resource: string;
  name: string;
  namespace?: string;
  /** The object must not exist. */
  absent?: boolean;
  expect?: Record<string, Expectation>;
}

/** A set of pods: `{ kind: pods, selector: app=test-web, count: 2, phase: Running, distinctNodes: 2 }`. */
export interface PodsCheck extends CheckBase {
  kind: "pods";
  /** A label selector, or… */
  selector?: string;
  /** …the pods of this Deployment (its spec.selector), whatever labels created it. */
  deployment?: string;
  namespace?: string;
  count?: number;
  phase?: string;
  /** Every counted pod's Ready condition is True. */
  ready?: boolean;
  /** The counted pods run on at least this many different nodes. */
  distinctNodes?: number;
  node?: string;
  /** No container of a counted pod has restarted more than this. */
  maxRestarts?: number;
  /** The same pods (names and IPs) as when the step began: nothing was replaced. */
  unchanged?: boolean;
}

/**
 * Self-healing: a pod that matched the selector when the step began is gone,
 * and the selector again has `count` running pods, at least one of them new.
 */
export interface ReplacedCheck extends CheckBase {
  kind: "replaced";
  selector?: string;
  deployment?: string;
  namespace?: string;
  count: number;
}

/** The learner ran a command with this meaning: `{ kind: command, run: "kubectl get pods -o wide" }`. */
export interface CommandCheck extends CheckBase {
  kind: "command";
  run: string;
  /** Which node the command must have run on; any by default. */
  node?: string;
  /** Extra flags are not allowed. */
  exact?: boolean;
  /** Accept a failed run too (default: exit code 0 only). */
  anyExitCode?: boolean;
}

/** A systemd unit was acted on: `{ kind: unit, unit: kubelet, action: restart, node: any }`. */
export interface UnitCheck extends CheckBase {
  kind: "unit";
  unit: string;
  action: "start" | "stop" | "restart";
  node?: string;
}

export type Check = ResourceCheck | PodsCheck | ReplacedCheck | CommandCheck | UnitCheck;
export type CheckKind = Check["kind"];
export const CHECK_KINDS: readonly CheckKind[] = ["resource", "pods", "replaced", "command", "unit"];

export interface CheckResult {
  passed: boolean;
  /** Why not yet, for the learner. */
  message?: string;
}

/** One command the learner ran, as the server reports it. */
export interface CommandReport {
  argv: string[];
  /** The node whose shell ran it: master, node01… */
  node: string;
  exitCode: number;
  /** Cluster time, ms. */
  time: number;
}

/** A unit start/stop/restart on a node (Host.onUnitChange). */
export interface UnitEvent {
  node: string;
  unit: string;
  action: "start" | "stop" | "restart";
  time: number;
}

/** What a node offers a checker: its name and its unit changes. Host satisfies it. */
export interface UnitSource {
  readonly name: string;
  onUnitChange(fn: (c: UnitEvent) => void): () => void;
}
