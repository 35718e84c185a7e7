// Control plane at scale: a cluster of N nodes (1 control plane + N-1 workers,
// each with its kubelet, containerd, flanneld and kube-proxy) on a FakeClock,
// then one Deployment of R replicas driven to every pod Running and Available
// through the whole control plane: deployment and replicaset controllers,
// scheduler, kubelets. Reports wall time, pods/second, CPU, peak RSS, and how
// long `kubectl get pods -A` takes at that size.
//
//   npx tsx bench/scale.ts                 # 1,000 nodes, 100,000 replicas
//   npx tsx bench/scale.ts --quick         # 50 nodes, 2,000 replicas
//   npx tsx bench/scale.ts --nodes 200 --replicas 20000 [--json]

import { GVR } from "../src/client/interface.ts";
import { inProcessTransport } from "../src/client/transport.ts";
import { createCluster } from "../src/cluster.ts";
import { kubectlMain } from "../src/kubectl/kubectl.ts";
import { FakeClock } from "../src/utils/clock.ts";
import { captureIO } from "../src/utils/command.ts";

export interface ScaleResult {
  nodes: number;
  replicas: number;
  /** Wall ms to build the cluster and let it settle (system pods Running, nodes Ready). */
  setupMs: number;
  /** Wall ms from creating the Deployment to all replicas available. */
  convergeMs: number;
  /** Cluster-time seconds the convergence took (image pulls, container starts…). */
  clusterSeconds: number;
  podsPerSecond: number;
  /** CPU (user+system) ms spent converging. */
  convergeCpuMs: number;
  peakRssMB: number;
  /** Peak RSS up to convergence, before kubectl builds its 100,000-row table. */
  peakRssConvergedMB?: number;
  heapUsedMB: number;
  /** Median wall ms of `kubectl get pods -A` over the runs, and its output size. */
  getPodsMs: number;
  /** CPU ms (user+system) per run, which the machine's load does not inflate. */
  getPodsCpuMs: number;
  /** CPU ms of the set-up. */
  setupCpuMs: number;
  getPodsRuns: number;
  getPodsLines: number;
  kubectl: "kubectlMain" | "handleRest";
  /** The node/V8 flags the run had (GC settings change both time and peak RSS). */
  nodeFlags?: string[];
}

interface DeploymentStatus {
  status?: { availableReplicas?: number; readyReplicas?: number; updatedReplicas?: number; replicas?: number };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

export async function measureScale(options: { nodes: number; replicas: number; log?: (s: string) => void }): Promise<ScaleResult> {
  const { nodes, replicas } = options;
  const log = options.log ?? (() => {});
  const clock = new FakeClock();
  const names = ["master", ...Array.from({ length: nodes - 1 }, (_, i) => `node${String(i + 1).padStart(4, "0")}`)];
  const t0 = performance.now();
  const setupCpu0 = process.cpuUsage();
  // kubeadm's flannel default (10.244.0.0/16) has room for 256 node /24s; a bigger cluster is set up with a wider one.
  const podSubnet = nodes > 256 ? "10.240.0.0/12" : undefined;
  const cluster = await createCluster({ clock, seed: 1, nodes: names, ...(podSubnet ? { podSubnet } : {}) });
  await clock.advance(60_000, () => cluster.settle());
  const setupMs = performance.now() - t0;
  const setupCpu = process.cpuUsage(setupCpu0);
  log(`setup: ${nodes} nodes in ${(setupMs / 1000).toFixed(1)} s, rss ${mb(process.memoryUsage().rss)} MB`);

  const admin = cluster.client("kubernetes-admin");
  const cpu0 = process.cpuUsage();
  const t1 = performance.now();
  const clusterStart = clock.now();
  await admin.resource(GVR.deployments).create(
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "scale", labels: { app: "scale" } },
      spec: {
        replicas,
        selector: { matchLabels: { app: "scale" } },
        template: {
          metadata: { labels: { app: "scale" } },
          spec: { containers: [{ name: "pause", image: "registry.k8s.io/pause:3.10" }] },
        },
      },
    },
    "default",
  );
  // Step cluster time a second at a time until the Deployment reports every replica available.
  let available = 0;
  for (let step = 0; available < replicas; step++) {
    await clock.advance(1_000, () => cluster.settle());
    const d = (await admin.resource(GVR.deployments).get("scale", "default")) as DeploymentStatus;
    available = d.status?.availableReplicas ?? 0;
    if (step % 10 === 0) {
      log(`  t+${step + 1}s cluster, ${((performance.now() - t1) / 1000).toFixed(1)} s wall: ${available}/${replicas} available, rss ${mb(process.memoryUsage().rss)} MB`);
    }
    if (step > 3600) throw new Error(`not converged after an hour of cluster time: ${available}/${replicas}`);
  }
  const convergeMs = performance.now() - t1;
  const cpu = process.cpuUsage(cpu0);
  const peakRssConvergedMB = Math.round(process.resourceUsage().maxRSS / 1024);
  // The live heap: with --expose-gc (npm run bench passes it) garbage is collected first.
  (globalThis as { gc?: () => void }).gc?.();
  const heapUsedMB = mb(process.memoryUsage().heapUsed);
  const clusterSeconds = (clock.now() - clusterStart) / 1000;
  log(`converged: ${replicas} pods in ${(convergeMs / 1000).toFixed(1)} s wall (${clusterSeconds} s cluster time)`);

  // kubectl get pods -A through the emulated kubectl over the in-process transport.
  const transport = inProcessTransport(cluster.api);
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let lines = 0;
  const runs = replicas >= 50_000 ? 3 : 5;
  for (let i = 0; i < runs; i++) {
    const io = captureIO();
    const t = performance.now();
    const c0 = process.cpuUsage();
    const code = await kubectlMain(["get", "pods", "-A"], io, { transport, now: () => clock.now() });
    times.push(performance.now() - t);
    const c = process.cpuUsage(c0);
    cpuTimes.push((c.user + c.system) / 1000);
    if (code !== 0) throw new Error(`kubectl get pods -A exited ${code}: ${io.err().slice(0, 500)}`);
    lines = io.out().split("\n").length - 1;
  }
  const getPodsMs = median(times);
  log(`kubectl get pods -A: ${lines} lines, median ${getPodsMs.toFixed(0)} ms`);

  const result: ScaleResult = {
    nodes,
    replicas,
    setupMs: Math.round(setupMs),
    convergeMs: Math.round(convergeMs),
    clusterSeconds,
    podsPerSecond: Math.round(replicas / (convergeMs / 1000)),
    convergeCpuMs: Math.round((cpu.user + cpu.system) / 1000),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    peakRssConvergedMB,
    heapUsedMB,
    getPodsMs: Math.round(getPodsMs),
    getPodsCpuMs: Math.round(median(cpuTimes)),
    setupCpuMs: Math.round((setupCpu.user + setupCpu.system) / 1000),
    getPodsRuns: runs,
    getPodsLines: lines,
    kubectl: "kubectlMain",
    nodeFlags: process.execArgv.filter((f) => f.startsWith("--max") || f.startsWith("--heap") || f === "--expose-gc"),
  };
  cluster.stop();
  return result;
}

export function scaleMarkdown(r: ScaleResult): string {
  return [
    `| measure | value |`,
    `|---|---:|`,
    `| nodes (1 control plane + workers, each with kubelet, containerd, flanneld, kube-proxy) | ${r.nodes.toLocaleString("en-US")} |`,
    `| Deployment replicas | ${r.replicas.toLocaleString("en-US")} |`,
    `| cluster set-up and settle (wall / CPU) | ${(r.setupMs / 1000).toFixed(1)} s / ${(r.setupCpuMs / 1000).toFixed(1)} s |`,
    `| Deployment created → all replicas available (wall) | ${(r.convergeMs / 1000).toFixed(1)} s |`,
    `| … in cluster time | ${r.clusterSeconds} s |`,
    `| pods/second (wall) | ${r.podsPerSecond.toLocaleString("en-US")} |`,
    `| CPU while converging (user+system) | ${(r.convergeCpuMs / 1000).toFixed(1)} s (${((r.convergeCpuMs / r.replicas) * 1000).toFixed(0)} µs per pod) |`,
    ...(r.peakRssConvergedMB ? [`| peak RSS up to convergence | ${r.peakRssConvergedMB.toLocaleString("en-US")} MB |`] : []),
    `| peak RSS (whole run, with kubectl) | ${r.peakRssMB.toLocaleString("en-US")} MB |`,
    `| heap used after convergence (after a full GC when run with --expose-gc) | ${r.heapUsedMB.toLocaleString("en-US")} MB |`,
    `| \`kubectl get pods -A\` (${r.kubectl}, median of ${r.getPodsRuns}, ${r.getPodsLines.toLocaleString("en-US")} lines): wall / CPU | ${r.getPodsMs.toLocaleString("en-US")} ms / ${r.getPodsCpuMs.toLocaleString("en-US")} ms |`,
  ].join("\n");
}

export function scaleArgs(argv: string[]): { nodes: number; replicas: number } {
  const num = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? Number(argv[i + 1]) : undefined;
  };
  const quick = argv.includes("--quick");
  return { nodes: num("--nodes") ?? (quick ? 50 : 1_000), replicas: num("--replicas") ?? (quick ? 2_000 : 100_000) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = scaleArgs(process.argv.slice(2));
  const r = await measureScale({ ...args, log: (s) => process.stderr.write(`${s}\n`) });
  process.stdout.write(process.argv.includes("--json") ? `${JSON.stringify(r)}\n` : `${scaleMarkdown(r)}\n`);
  process.exit(0);
}
