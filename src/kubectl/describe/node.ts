// `kubectl describe node`, after describe.go's describeNode,
// describeNodeLease and describeNodeResource: roles, taints, the node Lease,
// conditions, addresses, capacity, system info, non-terminated pods with their
// requests and limits, allocated resources, and events recorded against both
// the node's UID and its name (the kubelet uses the name).

import type { StatusError } from "../../apimachinery/errors.ts";
import {
  type DescribeContext,
  describeEvents,
  formatQuantity,
  LEVEL_0,
  LEVEL_1,
  type Meta,
  parseQuantity,
  PrefixWriter,
  printAnnotationsMultiline,
  printLabelsMultiline,
  printTaintsMultiline,
  type Quantity,
  rfc1123z,
  searchEvents,
  since,
  type Taint,
} from "./describe.ts";
import type { Pod } from "./pod.ts";

export interface Node {
  metadata: Meta;
  spec?: { taints?: Taint[]; unschedulable?: boolean; podCIDR?: string; podCIDRs?: string[]; providerID?: string };
  status?: {
    conditions?: { type: string; status: string; lastHeartbeatTime?: string; lastTransitionTime?: string; reason?: string; message?: string }[];
    addresses?: { type: string; address: string }[];
    capacity?: Record<string, string>;
    allocatable?: Record<string, string>;
    nodeInfo?: Record<string, string>;
  };
}

interface Lease {
  spec?: { holderIdentity?: string; acquireTime?: string; renewTime?: string };
}

/** resourcehelper.PodRequestsAndLimits: containers summed, init containers as a maximum. */
function podRequestsAndLimits(pod: Pod): { reqs: Map<string, Quantity>; limits: Map<string, Quantity> } {
  const sum = (which: "requests" | "limits") => {
    const out = new Map<string, Quantity>();
    for (const c of pod.spec.containers) {
      for (const [k, v] of Object.entries(c.resources?.[which] ?? {})) {
        const q = parseQuantity(v);
        const prev = out.get(k);
        out.set(k, prev ? { milli: prev.milli + q.milli, format: prev.format } : q);
      }
    }
    for (const c of pod.spec.initContainers ?? []) {
      for (const [k, v] of Object.entries(c.resources?.[which] ?? {})) {
        const q = parseQuantity(v);
        const prev = out.get(k);
        if (!prev || q.milli > prev.milli) out.set(k, q);
      }
    }
    return out;
  };
  return { reqs: sum("requests"), limits: sum("limits") };
}

const zero: Quantity = { milli: 0, format: "DecimalSI" };
const pct = (part: number, whole: number) => (whole === 0 ? 0 : Math.trunc((part / whole) * 100));

export async function describeNode(ctx: DescribeContext, node: Node): Promise<string> {
  const m = node.metadata;
  let pods: Pod[] | undefined;
  try {
    const list = await ctx.rest.json<{ items?: Pod[] }>("GET", "/api/v1/pods", {
      query: { fieldSelector: `spec.nodeName=${m.name},status.phase!=Succeeded,status.phase!=Failed`, limit: 500 },
    });
    pods = list.items ?? [];
  } catch (e) {
    if ((e as StatusError).code !== 403) throw e;
  }
  let events: Awaited<ReturnType<typeof searchEvents>> | undefined;
  if (ctx.showEvents) {
    events = await searchEvents(ctx, { kind: "Node", name: m.name, uid: m.uid });
    events.push(...(await searchEvents(ctx, { kind: "Node", name: m.name, uid: m.name })));
  }
  let lease: Lease | undefined;
  let leaseError = "";
  try {
    lease = await ctx.rest.json<Lease>("GET", `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${encodeURIComponent(m.name)}`);
  } catch (e) {
    leaseError = (e as Error).message;
  }

  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${m.name}\n`);
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(m.labels ?? {})) {
    if (k.startsWith("node-role.kubernetes.io/")) {
      const role = k.slice("node-role.kubernetes.io/".length);
      if (role) roles.add(role);
    } else if (k === "kubernetes.io/role" && v) roles.add(v);
  }
  w.write(LEVEL_0, `Roles:\t${roles.size > 0 ? [...roles].sort().join(",") : "<none>"}\n`);
  printLabelsMultiline(w, "Labels", m.labels);
  printAnnotationsMultiline(w, "Annotations", m.annotations);
  w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(m.creationTimestamp)}\n`);
  printTaintsMultiline(w, "Taints", node.spec?.taints);
  w.write(LEVEL_0, `Unschedulable:\t${!!node.spec?.unschedulable}\n`);
  if (lease) {
    w.write(LEVEL_0, "Lease:\n");
    w.write(LEVEL_1, `HolderIdentity:\t${lease.spec?.holderIdentity ?? "<unset>"}\n`);
    w.write(LEVEL_1, `AcquireTime:\t${lease.spec?.acquireTime ? rfc1123z(lease.spec.acquireTime) : "<unset>"}\n`);
    w.write(LEVEL_1, `RenewTime:\t${lease.spec?.renewTime ? rfc1123z(lease.spec.renewTime) : "<unset>"}\n`);
  } else {
    w.write(LEVEL_0, `Lease:\tFailed to get lease: ${leaseError}\n`);
  }
  const st = node.status ?? {};
  if (st.conditions?.length) {
    w.write(LEVEL_0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n");
    w.write(LEVEL_1, "----\t------\t-----------------\t------------------\t------\t-------\n");
    for (const c of st.conditions) {
      w.write(LEVEL_1, `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ""} \t${c.message ?? ""}\n`);
    }
  }
  w.write(LEVEL_0, "Addresses:\n");
  for (const a of st.addresses ?? []) w.write(LEVEL_1, `${a.type}:\t${a.address}\n`);
  const printResources = (list: Record<string, string>) => {
    for (const k of Object.keys(list).sort()) w.write(LEVEL_0, `  ${k}:\t${list[k]}\n`);
  };
  if (Object.keys(st.capacity ?? {}).length > 0) {
    w.write(LEVEL_0, "Capacity:\n");
    printResources(st.capacity!);
  }
  if (Object.keys(st.allocatable ?? {}).length > 0) {
    w.write(LEVEL_0, "Allocatable:\n");
    printResources(st.allocatable!);
  }
  const info = st.nodeInfo ?? {};
  w.write(LEVEL_0, "System Info:\n");
  w.write(LEVEL_0, `  Machine ID:\t${info.machineID ?? ""}\n`);
  w.write(LEVEL_0, `  System UUID:\t${info.systemUUID ?? ""}\n`);
  w.write(LEVEL_0, `  Boot ID:\t${info.bootID ?? ""}\n`);
  w.write(LEVEL_0, `  Kernel Version:\t${info.kernelVersion ?? ""}\n`);
  w.write(LEVEL_0, `  OS Image:\t${info.osImage ?? ""}\n`);
  w.write(LEVEL_0, `  Operating System:\t${info.operatingSystem ?? ""}\n`);
  w.write(LEVEL_0, `  Architecture:\t${info.architecture ?? ""}\n`);
  w.write(LEVEL_0, `  Container Runtime Version:\t${info.containerRuntimeVersion ?? ""}\n`);
  w.write(LEVEL_0, `  Kubelet Version:\t${info.kubeletVersion ?? ""}\n`);
  w.write(LEVEL_0, `  Kube-Proxy Version:\t${info.kubeProxyVersion ?? ""}\n`);
  if (node.spec?.podCIDR) w.write(LEVEL_0, `PodCIDR:\t${node.spec.podCIDR}\n`);
  if (node.spec?.podCIDRs?.length) w.write(LEVEL_0, `PodCIDRs:\t${node.spec.podCIDRs.join(",")}\n`);
  if (node.spec?.providerID) w.write(LEVEL_0, `ProviderID:\t${node.spec.providerID}\n`);
  if (pods) describeNodeResource(pods, node, w, ctx.now, ctx.client?.has("nodePodsAgeTitle") ?? true);
  else w.write(LEVEL_0, "Pods:\tnot authorized\n");
  if (events) describeEvents(events, w, ctx.now);
  return w.result();
}

function describeNodeResource(pods: Pod[], node: Node, w: PrefixWriter, now: number, ageTitle: boolean): void {
  w.write(LEVEL_0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  // kubectl ≤1.20 headed the column "AGE".
  w.write(LEVEL_1, `Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\t${ageTitle ? "Age" : "AGE"}\n`);
  w.write(LEVEL_1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n");
  const alloc = Object.keys(node.status?.allocatable ?? {}).length > 0 ? node.status!.allocatable! : (node.status?.capacity ?? {});
  const cpuAlloc = parseQuantity(alloc.cpu).milli;
  const memAlloc = parseQuantity(alloc.memory).milli;
  const ephAlloc = parseQuantity(alloc["ephemeral-storage"]).milli;
  const totalReqs = new Map<string, Quantity>();
  const totalLimits = new Map<string, Quantity>();
  const add = (into: Map<string, Quantity>, from: Map<string, Quantity>) => {
    for (const [k, q] of from) {
      const prev = into.get(k);
      into.set(k, prev ? { milli: prev.milli + q.milli, format: prev.format } : { ...q });
    }
  };
  for (const pod of pods) {
    const { reqs, limits } = podRequestsAndLimits(pod);
    add(totalReqs, reqs);
    add(totalLimits, limits);
    const cr = reqs.get("cpu") ?? zero;
    const cl = limits.get("cpu") ?? zero;
    const mr = reqs.get("memory") ?? zero;
    const ml = limits.get("memory") ?? zero;
    w.write(
      LEVEL_1,
      `${pod.metadata.namespace ?? ""}\t${pod.metadata.name}\t\t${formatQuantity(cr)} (${pct(cr.milli, cpuAlloc)}%)\t${formatQuantity(cl)} (${pct(cl.milli, cpuAlloc)}%)\t${formatQuantity(mr)} (${pct(mr.milli, memAlloc)}%)\t${formatQuantity(ml)} (${pct(ml.milli, memAlloc)}%)\t${since(pod.metadata.creationTimestamp, now)}\n`,
    );
  }
  w.write(LEVEL_0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n");
  w.write(LEVEL_1, "Resource\tRequests\tLimits\n");
  w.write(LEVEL_1, "--------\t--------\t------\n");
  const line = (name: string, whole: number) => {
    const r = totalReqs.get(name) ?? zero;
    const l = totalLimits.get(name) ?? zero;
    w.write(LEVEL_1, `${name}\t${formatQuantity(r)} (${pct(r.milli, whole)}%)\t${formatQuantity(l)} (${pct(l.milli, whole)}%)\n`);
  };
  line("cpu", cpuAlloc);
  line("memory", memAlloc);
  line("ephemeral-storage", ephAlloc);
  for (const k of Object.keys(alloc).filter((x) => x.startsWith("hugepages-")).sort()) line(k, parseQuantity(alloc[k]).milli);
  const standard = new Set(["cpu", "memory", "ephemeral-storage", "pods", "storage"]);
  for (const k of Object.keys(alloc)
    .filter((x) => !x.startsWith("hugepages-") && !standard.has(x) && !x.startsWith("requests.") && !x.startsWith("limits."))
    .sort()) {
    w.write(LEVEL_1, `${k}\t${formatQuantity(totalReqs.get(k) ?? zero)}\t${formatQuantity(totalLimits.get(k) ?? zero)}\n`);
  }
}
