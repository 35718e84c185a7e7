// Memory of idle default clusters (master, node01, node02, each settled for
// a minute of cluster time on its own FakeClock): heapUsed and RSS after a
// full GC, for one cluster and for many in one process, as the lab server
// holds one per learner. Needs --expose-gc (run.ts passes it).
//
//   node --expose-gc --import tsx bench/memory.ts [--clusters 100] [--json]

import { type Cluster, createCluster } from "../src/cluster.ts";
import { FakeClock } from "../src/utils/clock.ts";

export interface MemoryResult {
  clusters: number;
  /** Deltas over the empty process, MB. */
  oneHeapMB: number;
  oneRssMB: number;
  manyHeapMB: number;
  manyRssMB: number;
  perClusterHeapMB: number;
  perClusterRssMB: number;
  /** Wall seconds to create and settle the many. */
  createSeconds: number;
}

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) throw new Error("run with node --expose-gc");
  for (let i = 0; i < 3; i++) g();
}

function sample(): { heap: number; rss: number } {
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed / 1024 / 1024, rss: m.rss / 1024 / 1024 };
}

async function settledCluster(seed: number): Promise<Cluster> {
  const clock = new FakeClock();
  const cluster = await createCluster({ clock, seed });
  await clock.advance(60_000, () => cluster.settle());
  return cluster;
}

const r1 = (x: number) => Math.round(x * 10) / 10;

export async function measureMemory(options: { clusters?: number; log?: (s: string) => void } = {}): Promise<MemoryResult> {
  const n = options.clusters ?? 100;
  const log = options.log ?? (() => {});
  // Warm the module graph and JIT with one cluster thrown away, so the deltas are clusters, not code.
  (await settledCluster(999)).stop();
  const base = sample();
  const one = await settledCluster(1);
  const afterOne = sample();
  log(`one cluster: heap +${r1(afterOne.heap - base.heap)} MB, rss +${r1(afterOne.rss - base.rss)} MB`);
  const many: Cluster[] = [one];
  const t0 = performance.now();
  for (let i = 1; i < n; i++) {
    many.push(await settledCluster(i + 1));
    if ((i + 1) % 10 === 0) log(`  ${i + 1} clusters, rss ${Math.round(process.memoryUsage().rss / 1024 / 1024)} MB`);
  }
  const createSeconds = (performance.now() - t0) / 1000;
  const afterMany = sample();
  for (const c of many) c.stop();
  return {
    clusters: n,
    oneHeapMB: r1(afterOne.heap - base.heap),
    oneRssMB: r1(afterOne.rss - base.rss),
    manyHeapMB: r1(afterMany.heap - base.heap),
    manyRssMB: r1(afterMany.rss - base.rss),
    perClusterHeapMB: r1((afterMany.heap - base.heap) / n),
    perClusterRssMB: r1((afterMany.rss - base.rss) / n),
    createSeconds: r1(createSeconds),
  };
}

export function memoryMarkdown(r: MemoryResult): string {
  return [
    `| measure (after full GC, over the process with no cluster) | heapUsed | RSS |`,
    `|---|---:|---:|`,
    `| one idle default cluster | ${r.oneHeapMB} MB | ${r.oneRssMB} MB |`,
    `| ${r.clusters} idle default clusters in one process | ${r.manyHeapMB} MB | ${r.manyRssMB} MB |`,
    `| per cluster, of the ${r.clusters} | ${r.perClusterHeapMB} MB | ${r.perClusterRssMB} MB |`,
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf("--clusters");
  const r = await measureMemory({ clusters: i > 0 ? Number(process.argv[i + 1]) : 100, log: (s) => process.stderr.write(`${s}\n`) });
  process.stdout.write(process.argv.includes("--json") ? `${JSON.stringify(r)}\n` : `${memoryMarkdown(r)}\n`);
  process.exit(0);
}
