// The FailedScheduling message, after pkg/scheduler/framework/types.go
// (FitError.Error) and the default preemption plugin's message: reasons are
// counted per node, printed "<n> <reason>" and sorted as strings.

import type { Status } from "./interface.ts";

function histogram(reasons: string[]): string {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([r, n]) => `${n} ${r}`).sort().join(", ");
}

/**
 * "0/3 nodes are available: 1 node(s) had untolerated taint {…}, 2 node(s)
 * were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is
 * not helpful for scheduling."
 */
export function fitErrorMessage(numNodes: number, statuses: Status[]): string {
  if (numNodes === 0) return "no nodes available to schedule pods";
  let msg = `0/${numNodes} nodes are available: ${histogram(statuses.flatMap((s) => s.reasons))}.`;
  // Preemption: a node rejected for a reason eviction cannot fix is "not helpful";
  // with every pod at priority 0 there are never victims on the others.
  const pre = statuses.map((s) => (s.code === "UnschedulableAndUnresolvable" ? "Preemption is not helpful for scheduling" : "No preemption victims found for incoming pod"));
  msg += ` preemption: 0/${numNodes} nodes are available: ${histogram(pre)}.`;
  return msg;
}
