// What cAdvisor measures for a running container, as the kubelet's summary
// API reports it: CPU in nanocores and the memory working set in bytes. Each
// image has a typical idle footprint (httpd ~1m/7Mi, etcd ~20m/40Mi,
// kube-apiserver ~40m/250Mi…) with a small jitter per 15-s sample, seeded by
// the container id so the same cluster reads the same numbers every run.
// Leaves out: load (requests served), limits/throttling and OOM.

import type { Container } from "./runtime.ts";

export interface ContainerUsage {
  usageNanoCores: number;
  workingSetBytes: number;
}

/** Idle CPU (millicores) and working set (MiB) by image repository. */
const PROFILES: [RegExp, number, number][] = [
  [/kube-apiserver$/, 40, 250],
  [/etcd$/, 20, 40],
  [/kube-controller-manager$/, 15, 50],
  [/kube-scheduler$/, 3, 22],
  [/kube-proxy$/, 1, 15],
  [/coredns$/, 2, 15],
  [/flannel(-cni-plugin)?$/, 3, 12],
  [/library\/httpd$/, 1, 7],
  [/library\/nginx$/, 0.5, 3],
  [/library\/(redis)$/, 2, 3],
  [/library\/(postgres|mysql)$/, 2, 30],
  // A sleeping shell uses no CPU at all in a sample window, so it reads 0.
  [/(busybox|alpine)$/, 0, 0.4],
];
const DEFAULT: [number, number] = [1, 5];

/** A deterministic fraction in [0, 1) from a string (FNV-1a). */
function unit(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 2 ** 32;
}

/** Memory is counted in 4 KiB pages. */
function pages(bytes: number): number {
  return Math.max(1, Math.round(bytes / 4096)) * 4096;
}

/** The sample period: cAdvisor housekeeping as metrics-server's 15-s resolution sees it. */
export const SAMPLE_MS = 15_000;

/** The usage sample covering time nowMs (one value per 15-s window). */
export function containerUsage(c: Pick<Container, "id" | "image">, nowMs: number): ContainerUsage {
  const repo = c.image.replace(/:[^:/]*$/, "");
  const [cpuM, memMi] = PROFILES.find(([re]) => re.test(repo))?.slice(1) as [number, number] | undefined ?? DEFAULT;
  const window = Math.floor(nowMs / SAMPLE_MS);
  const cpuJitter = 0.8 + 0.4 * unit(`${c.id}/cpu/${window}`);
  // Memory moves less than CPU between samples; each container settles at its own level.
  const memLevel = 0.75 + 0.5 * unit(`${c.id}/mem`);
  const memJitter = 0.98 + 0.04 * unit(`${c.id}/mem/${window}`);
  return {
    usageNanoCores: Math.round(cpuM * 1e6 * cpuJitter),
    workingSetBytes: pages(memMi * 1048576 * memLevel * memJitter),
  };
}

/** What the node itself uses beyond its containers: kubelet, containerd, systemd, the kernel. */
export function systemOverhead(node: string, controlPlane: boolean, nowMs: number): ContainerUsage {
  const window = Math.floor(nowMs / SAMPLE_MS);
  return {
    usageNanoCores: Math.round((controlPlane ? 35 : 20) * 1e6 * (0.85 + 0.3 * unit(`${node}/cpu/${window}`))),
    workingSetBytes: pages((controlPlane ? 620 : 380) * 1048576 * (0.99 + 0.02 * unit(`${node}/mem/${window}`))),
  };
}
