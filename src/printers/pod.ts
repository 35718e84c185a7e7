// The pods Table, after printPod in pkg/printers/internalversion/printers.go:
// READY counts (sidecars included), the STATUS reason rules (Init:, waiting and
// terminated reasons, Completed→Running/NotReady, Terminating, Unknown), and
// RESTARTS with "(5m ago)". Leaves out: row conditions (Completed) — the
// TablePrinter contract carries cells only.

import type { KObject } from "../apimachinery/meta.ts";
import { humanDuration } from "../apimachinery/duration.ts";
import type { Container, ContainerStatus, Pod } from "../api/core/v1.ts";
import { DOC } from "./descriptions.ts";
import { AGE_COLUMN, ageOf, col, NAME_COLUMN, timeOf } from "./helpers.ts";
import type { TablePrinter } from "./printers.ts";

/** The reason the node lifecycle controller sets on pods of an unreachable node. */
const NODE_UNREACHABLE_POD_REASON = "NodeLost";

function isRestartableInitContainer(c: Container | undefined): boolean {
  return c?.restartPolicy === "Always";
}

function isPodPhaseTerminal(phase: string | undefined): boolean {
  return phase === "Succeeded" || phase === "Failed";
}

function hasCondition(pod: Pod, type: string): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === type && c.status === "True");
}

/** The latest lastState.terminated.finishedAt, ms (0 for none). */
function lastTermination(cs: ContainerStatus, latest: number): number {
  const t = timeOf(cs.lastState?.terminated?.finishedAt);
  return t !== undefined && t > latest ? t : latest;
}

export function podCells(obj: KObject, nowMs: number): unknown[] {
  const pod = obj as Pod;
  const spec = pod.spec ?? { containers: [] };
  const status = pod.status ?? {};
  let restarts = 0;
  let restartableInitContainerRestarts = 0;
  let totalContainers = (spec.containers ?? []).length;
  let readyContainers = 0;
  let lastRestartDate = 0;
  let lastRestartableInitContainerRestartDate = 0;

  const podPhase = status.phase ?? "";
  let reason: string = status.reason || podPhase;

  for (const c of status.conditions ?? []) {
    if (c.type === "PodScheduled" && c.reason === "SchedulingGated") reason = "SchedulingGated";
  }

  const initContainers = new Map<string, Container>();
  for (const c of spec.initContainers ?? []) {
    initContainers.set(c.name, c);
    if (isRestartableInitContainer(c)) totalContainers++;
  }

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const container = initStatuses[i];
    restarts += container.restartCount ?? 0;
    lastRestartDate = lastTermination(container, lastRestartDate);
    const restartable = isRestartableInitContainer(initContainers.get(container.name));
    if (restartable) {
      restartableInitContainerRestarts += container.restartCount ?? 0;
      lastRestartableInitContainerRestartDate = lastTermination(container, lastRestartableInitContainerRestartDate);
    }
    const state = container.state ?? {};
    if (state.terminated && state.terminated.exitCode === 0) continue;
    if (restartable && container.started) {
      if (container.ready) readyContainers++;
      continue;
    }
    if (state.terminated) {
      // Initialisation failed.
      if (!state.terminated.reason) {
        reason = state.terminated.signal ? `Init:Signal:${state.terminated.signal}` : `Init:ExitCode:${state.terminated.exitCode}`;
      } else {
        reason = `Init:${state.terminated.reason}`;
      }
    } else if (state.waiting?.reason && state.waiting.reason !== "PodInitializing") {
      reason = `Init:${state.waiting.reason}`;
    } else {
      reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || hasCondition(pod, "Initialized")) {
    restarts = restartableInitContainerRestarts;
    lastRestartDate = lastRestartableInitContainerRestartDate;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const container = statuses[i];
      restarts += container.restartCount ?? 0;
      lastRestartDate = lastTermination(container, lastRestartDate);
      const state = container.state ?? {};
      if (state.waiting?.reason) {
        reason = state.waiting.reason;
      } else if (state.terminated?.reason) {
        reason = state.terminated.reason;
      } else if (state.terminated) {
        reason = state.terminated.signal ? `Signal:${state.terminated.signal}` : `ExitCode:${state.terminated.exitCode}`;
      } else if (container.ready && state.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    // A pod whose last container completed but another still runs is not "Completed".
    if (reason === "Completed" && hasRunning) {
      reason = hasCondition(pod, "Ready") ? "Running" : "NotReady";
    }
  }

  if (pod.metadata.deletionTimestamp && status.reason === NODE_UNREACHABLE_POD_REASON) {
    reason = "Unknown";
  } else if (pod.metadata.deletionTimestamp && !isPodPhaseTerminal(podPhase)) {
    reason = "Terminating";
  }

  let restartsStr = String(restarts);
  if (restarts !== 0 && lastRestartDate !== 0) {
    restartsStr = `${restarts} (${humanDuration(nowMs - lastRestartDate)} ago)`;
  }

  const podIP = status.podIPs?.[0]?.ip || "<none>";
  const nodeName = spec.nodeName || "<none>";
  const nominatedNodeName = status.nominatedNodeName || "<none>";
  let readinessGates = "<none>";
  const gates = spec.readinessGates ?? [];
  if (gates.length > 0) {
    let trueConditions = 0;
    for (const gate of gates) {
      const cond = (status.conditions ?? []).find((c) => c.type === gate.conditionType);
      if (cond?.status === "True") trueConditions++;
    }
    readinessGates = `${trueConditions}/${gates.length}`;
  }
  return [
    pod.metadata.name,
    `${readyContainers}/${totalContainers}`,
    reason,
    restartsStr,
    ageOf(pod, nowMs),
    podIP,
    nodeName,
    nominatedNodeName,
    readinessGates,
  ];
}

export const podPrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    col("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
    col("Status", "string", "The aggregate status of the containers in this pod."),
    col("Restarts", "string", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
    AGE_COLUMN,
    col("IP", "string", DOC.podIP, { wide: true }),
    col("Node", "string", DOC.nodeName, { wide: true }),
    col("Nominated Node", "string", DOC.nominatedNodeName, { wide: true }),
    col("Readiness Gates", "string", DOC.readinessGates, { wide: true }),
  ],
  cells: podCells,
};
