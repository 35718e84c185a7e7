// An idle default cluster (master, node01, node02) on a LabClock in real
// time: after start-up settles, how much CPU does the process use over 60 s
// when nobody does anything? No component may poll; what remains are the
// timers a real cluster has (kubelet leases every 10 s, node status, the
// node lifecycle monitor…). Counts host timer wake-ups and API writes in the
// window so the cost of each is visible.
//
//   npx tsx bench/idle.ts [--seconds 60] [--json]

import { createCluster } from "../src/cluster.ts";
import { type Clock, LabClock } from "../src/utils/clock.ts";

export interface IdleResult {
  seconds: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  /** CPU as a share of one core over the window. */
  cpuPercent: number;
  /** Times the host woke the process for a cluster timer. */
  wakeups: number;
  /** API writes in the window, by "verb resource[/subresource]". */
  writes: Record<string, number>;
  /** CPU per wake-up, µs. */
  cpuPerWakeupUs: number;
}

export async function measureIdle(options: { seconds?: number; log?: (s: string) => void } = {}): Promise<IdleResult> {
  const seconds = options.seconds ?? 60;
  const log = options.log ?? (() => {});
  let wakeups = 0;
  // The host clock LabClock arms its one timer on, counting how often it fires.
  const source: Clock = {
    now: () => Date.now(),
    setTimer(delayMs, fn) {
      const t = setTimeout(() => {
        wakeups++;
        fn();
      }, delayMs);
      return { cancel: () => clearTimeout(t) };
    },
  };
  const clock = new LabClock({ source });
  const cluster = await createCluster({ clock, seed: 1 });
  // Start-up (pulls, sandboxes, first heartbeats) stepped through quickly, then real time.
  await clock.jump(120_000, () => cluster.settle());
  await cluster.settle();
  // Let anything armed during start-up fire once before measuring.
  await new Promise((r) => setTimeout(r, 2_000));
  log(`settled; measuring ${seconds} s of idle real time`);

  const writes: Record<string, number> = {};
  const off = cluster.api.onAudit((e) => {
    const k = `${e.verb} ${e.resource}${e.subresource ? `/${e.subresource}` : ""}`;
    writes[k] = (writes[k] ?? 0) + 1;
  });
  wakeups = 0;
  const cpu0 = process.cpuUsage();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const cpu = process.cpuUsage(cpu0);
  off();
  cluster.stop();
  clock.stop();
  const totalMs = (cpu.user + cpu.system) / 1000;
  return {
    seconds,
    cpuUserMs: Math.round(cpu.user / 1000),
    cpuSystemMs: Math.round(cpu.system / 1000),
    cpuPercent: Math.round((totalMs / (seconds * 1000)) * 100 * 1000) / 1000,
    wakeups,
    writes,
    cpuPerWakeupUs: wakeups > 0 ? Math.round((totalMs * 1000) / wakeups) : 0,
  };
}

export function idleMarkdown(r: IdleResult): string {
  const writes = Object.entries(r.writes)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${n} × ${k}`)
    .join(", ");
  return [
    `| measure (${r.seconds} s of real time, idle) | value |`,
    `|---|---:|`,
    `| CPU user / system | ${r.cpuUserMs} ms / ${r.cpuSystemMs} ms |`,
    `| CPU share of one core | ${r.cpuPercent} % |`,
    `| host timer wake-ups | ${r.wakeups} |`,
    `| CPU per wake-up | ${r.cpuPerWakeupUs} µs |`,
    `| API writes | ${writes || "none"} |`,
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf("--seconds");
  const r = await measureIdle({ seconds: i > 0 ? Number(process.argv[i + 1]) : 60, log: (s) => process.stderr.write(`${s}\n`) });
  process.stdout.write(process.argv.includes("--json") ? `${JSON.stringify(r)}\n` : `${idleMarkdown(r)}\n`);
  process.exit(0);
}
