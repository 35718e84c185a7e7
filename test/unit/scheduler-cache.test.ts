// The scheduler cache's per-node aggregates follow pods through bind, finish
// and delete; the share of nodes a large cluster filters matches upstream.

import { describe, expect, it } from "vitest";
import type { Node, Pod } from "../../src/api/core/v1.ts";
import { SchedulerCache } from "../../src/scheduler/cache.ts";
import { numFeasibleNodesToFind } from "../../src/scheduler/scheduler.ts";

const node = (name: string) => ({ metadata: { name }, spec: {}, status: {} }) as Node;
const pod = (name: string, nodeName: string | undefined, extra: { cpu?: string; phase?: string; owner?: string; deleting?: boolean } = {}) =>
  ({
    metadata: {
      name,
      namespace: "default",
      ...(extra.owner ? { ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "rs", uid: extra.owner, controller: true }] } : {}),
      ...(extra.deleting ? { deletionTimestamp: "2026-01-01T00:00:00Z" } : {}),
    },
    spec: { nodeName, containers: [{ name: "c", image: "i", ...(extra.cpu ? { resources: { requests: { cpu: extra.cpu } } } : {}) }] },
    status: extra.phase ? { phase: extra.phase } : {},
  }) as unknown as Pod;

describe("SchedulerCache", () => {
  it("counts requests, non-zero requests and controlled pods per node as pods bind, finish and go", () => {
    const c = new SchedulerCache();
    c.setNode(node("b"));
    c.setNode(node("a"));
    const p1 = pod("p1", "a", { cpu: "250m", owner: "u1" });
    c.updatePod(undefined, pod("p1", undefined, { cpu: "250m", owner: "u1" }));
    c.updatePod(pod("p1", undefined, { cpu: "250m", owner: "u1" }), p1);
    c.updatePod(undefined, pod("p2", "a", { owner: "u1" }));
    const [a, b] = c.list();
    expect(a!.node.metadata.name).toBe("a");
    expect([a!.podCount, a!.requested.cpu, a!.nonZeroRequested.cpu, a!.controlledPods("default", "u1")]).toEqual([2, 250, 350, 2]);
    expect(b!.podCount).toBe(0);
    c.updatePod(pod("p2", "a", { owner: "u1" }), pod("p2", "a", { owner: "u1", deleting: true }));
    expect(a!.controlledPods("default", "u1")).toBe(1);
    c.updatePod(p1, pod("p1", "a", { cpu: "250m", owner: "u1", phase: "Succeeded" }));
    expect([a!.podCount, a!.requested.cpu, a!.controlledPods("default", "u1")]).toEqual([1, 0, 0]);
  });

  it("filters every node below 100 nodes and an adaptive share above", () => {
    expect(numFeasibleNodesToFind(3)).toBe(3);
    expect(numFeasibleNodesToFind(99)).toBe(99);
    expect(numFeasibleNodesToFind(100)).toBe(100);
    expect(numFeasibleNodesToFind(1000)).toBe(420);
    expect(numFeasibleNodesToFind(5000)).toBe(500);
  });
});
