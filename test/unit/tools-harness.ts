// A hand-built cluster for the node tools' tests: an apiserver, three Hosts
// with kubelet and containerd units, and (when asked) a containerd per node.
// Tools see it through the same ToolCluster slice a real Cluster provides.

import { APIServer } from "../../src/apiserver/apiserver.ts";
import { inProcessClient } from "../../src/client/inprocess.ts";
import { ContainerRuntime } from "../../src/cri/runtime.ts";
import { Host } from "../../src/host/host.ts";
import type { NodeToolContext, ToolCluster } from "../../src/host/tools/context.ts";
import { nodeTools } from "../../src/host/tools/tools.ts";
import { captureIO } from "../../src/utils/command.ts";
import { Activity } from "../../src/utils/activity.ts";
import { FakeClock } from "../../src/utils/clock.ts";
import { seededRand } from "../../src/utils/rand.ts";

export const NODE_IPS: Record<string, string> = { master: "172.30.1.2", node01: "172.30.2.2", node02: "172.30.2.3" };

export function toolCluster() {
  const clock = new FakeClock();
  const activity = new Activity();
  const api = new APIServer({ clock, rand: seededRand(1) });
  const hosts = new Map<string, Host>();
  const runtimes = new Map<string, ContainerRuntime>();
  let seed = 10;
  for (const [name, ip] of Object.entries(NODE_IPS)) {
    const h = new Host(name, ip, clock);
    h.addUnit("containerd.service", "containerd container runtime", { start() {}, stop() {} });
    h.addUnit("kubelet.service", "kubelet: The Kubernetes Node Agent", { start() {}, stop() {} });
    hosts.set(name, h);
    runtimes.set(name, new ContainerRuntime({ node: name, clock, rand: seededRand(seed++) }));
  }
  const cluster: ToolCluster = { hosts, api, clock, client: (user) => inProcessClient(api, { user }), runtimes };
  const run = async (node: string, line: string[], opts: { signal?: AbortSignal; isTTY?: boolean; pod?: NodeToolContext["pod"] } = {}) => {
    const [name, ...argv] = line;
    const tool = nodeTools[name!];
    if (!tool) throw new Error(`no tool ${name}`);
    const io = captureIO({ signal: opts.signal, isTTY: opts.isTTY });
    const code = await tool(argv, io, { cluster, node, pod: opts.pod });
    return { code, out: io.out(), err: io.err() };
  };
  const settle = () => activity.settle();
  return { clock, activity, api, hosts, runtimes, cluster, run, settle };
}
