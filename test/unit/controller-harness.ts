// Test harness for controller and scheduler tests: an apiserver, a client,
// a FakeClock and Activity, namespaces and (optionally) nodes with leases.

import { APIServer } from "../../src/apiserver/apiserver.ts";
import type { KObject } from "../../src/apimachinery/meta.ts";
import { inProcessClient } from "../../src/client/inprocess.ts";
import { type Client, GVR } from "../../src/client/interface.ts";
import { Activity } from "../../src/utils/activity.ts";
import { FakeClock } from "../../src/utils/clock.ts";
import { seededRand } from "../../src/utils/rand.ts";

export interface Harness {
  api: APIServer;
  client: Client;
  clock: FakeClock;
  activity: Activity;
  settle(): Promise<void>;
  advance(ms: number): Promise<void>;
  events(ns?: string): Promise<{ reason: string; message: string; type: string; involved: string; count?: number; source?: string }[]>;
}

export async function harness(seed = 1): Promise<Harness> {
  const clock = new FakeClock();
  const api = new APIServer({ clock, rand: seededRand(seed), version: "v1.32.4" });
  const client = inProcessClient(api, { user: "system:admin", groups: ["system:masters"] });
  for (const name of ["default", "kube-system", "kube-node-lease", "kube-public"]) {
    await client.resource(GVR.namespaces).create({ metadata: { name } });
  }
  const activity = new Activity();
  const settle = () => activity.settle();
  return {
    api,
    client,
    clock,
    activity,
    settle,
    advance: (ms) => clock.advance(ms, settle),
    async events(ns) {
      const list = await client.resource(GVR.events).list(ns);
      return list.items.map((e) => {
        const ev = e as KObject & { reason: string; message: string; type: string; count?: number; involvedObject: { kind: string; name: string }; source?: { component?: string }; reportingComponent?: string };
        return {
          reason: ev.reason,
          message: ev.message,
          type: ev.type,
          involved: `${ev.involvedObject.kind}/${ev.involvedObject.name}`,
          ...(ev.count !== undefined ? { count: ev.count } : {}),
          source: ev.source?.component ?? ev.reportingComponent,
        };
      });
    },
  };
}

export function node(name: string, opts: { taints?: { key: string; value?: string; effect: string }[]; unschedulable?: boolean; labels?: Record<string, string>; cpu?: string; memory?: string; pods?: string } = {}): KObject {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", ...opts.labels } },
    spec: { ...(opts.taints ? { taints: opts.taints } : {}), ...(opts.unschedulable ? { unschedulable: true } : {}) },
    status: {
      allocatable: { cpu: opts.cpu ?? "2", memory: opts.memory ?? "4Gi", pods: opts.pods ?? "110" },
      capacity: { cpu: opts.cpu ?? "2", memory: opts.memory ?? "4Gi", pods: opts.pods ?? "110" },
      conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" }],
    },
  };
}

export const CONTROL_PLANE_TAINT = { key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" };

/** Marks a pod Running and Ready (what the kubelet would do). */
export async function makePodReady(client: Client, ns: string, name: string, ip = "10.244.1.5", ready = true): Promise<void> {
  const pod = await client.resource(GVR.pods).get(name, ns);
  pod.status = {
    phase: "Running",
    podIP: ip,
    podIPs: [{ ip }],
    conditions: [
      { type: "Ready", status: ready ? "True" : "False", lastTransitionTime: pod.metadata.creationTimestamp as string },
      { type: "PodScheduled", status: "True" },
    ],
  };
  await client.resource(GVR.pods).update(pod, { subresource: "status" });
}
