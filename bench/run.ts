// `npm run bench`: the control-plane benchmarks (scale, idle, memory), each
// in its own Node process so peak RSS and GC state are its own, then the
// results as markdown in docs/benchmarks.md (the section between the
// control-plane markers; other sections of that file are left alone).
//
//   npm run bench                 # 1,000 nodes / 100,000 replicas, 60 s idle, 100 clusters
//   npm run bench -- --quick      # 50 nodes / 2,000 replicas, 10 s idle, 10 clusters
//   npm run bench -- --only scale [--nodes N --replicas R] [--no-write]
//   npm run bench -- --scale-json a.json,b.json --idle-json i.json --memory-json m.json
//       (writes the section from results each bench printed with --json, e.g.
//        a 10-minute 100k run measured earlier, instead of measuring again)

import { execFileSync, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type IdleResult, idleMarkdown } from "./idle.ts";
import { type MemoryResult, memoryMarkdown } from "./memory.ts";
import { type ScaleResult, scaleArgs, scaleMarkdown } from "./scale.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const DOC = join(root, "docs", "benchmarks.md");
const START = "<!-- control-plane-bench:start -->";
const END = "<!-- control-plane-bench:end -->";

/**
 * The node flags every bench child runs with. The two GC settings are the
 * ones a large cluster wants: a 32 MB young generation (scavenges are most of
 * the collector's time at 100,000 pods; the default grows to 16 MB) and old
 * space grown 20 % past the live heap before a full collection (the default
 * lets it double, which at a 1 GB live heap is a 2 GB+ peak RSS).
 */
export const NODE_FLAGS = ["--expose-gc", "--max-old-space-size=4096", "--max-semi-space-size=32", "--heap-growing-percent=20"];

/** Runs bench/<file> with --json in a fresh node, streaming its log to stderr. */
function child<T>(file: string, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...NODE_FLAGS, "--import", "tsx", join(root, "bench", file), ...args, "--json"], {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    p.stdout.on("data", (c: Buffer) => void (out += c.toString()));
    p.on("error", reject);
    p.on("close", (code) => {
      if (code !== 0) return reject(new Error(`${file} exited ${code}`));
      resolve(JSON.parse(out.trim().split("\n").pop()!) as T);
    });
  });
}

function machine(): string {
  const load = (() => {
    try {
      return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
    } catch {
      return "n/a";
    }
  })();
  let commit = "";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root }).toString().trim();
  } catch {
    /* not a checkout */
  }
  return `${new Date().toISOString().slice(0, 10)}, commit ${commit || "n/a"}, ${cpus().length} CPUs (nproc) ${cpus()[0]?.model ?? ""}, Node ${process.version}, load average at the end ${load}`;
}

function section(parts: { scale: ScaleResult[]; idle?: IdleResult; memory?: MemoryResult; argv: string[] }): string {
  const cmd = `npm run bench${parts.argv.length ? ` -- ${parts.argv.join(" ")}` : ""}`;
  const out = [
    START,
    `## Control plane at scale`,
    ``,
    parts.argv.some((x) => x.endsWith("-json"))
      ? `Each table comes from the command in its heading, run alone with \`--json\` and collected here by \`npx tsx bench/run.ts --scale-json … --idle-json … --memory-json …\`; \`npm run bench\` measures everything afresh (about 15 minutes at full size, \`-- --quick\` for a small run).`
      : `Measured with \`${cmd}\` (bench/run.ts; each part also runs alone: \`npx tsx bench/scale.ts\`, \`npx tsx bench/idle.ts\`, \`node --expose-gc --import tsx bench/memory.ts\`).`,
    `Machine: ${machine()}.`,
    ``,
  ];
  if (parts.scale.length > 0) {
    out.push(
      `### Nodes and a Deployment converged through the whole control plane (FakeClock, stepped)`,
      ``,
      `One cluster (controllers, scheduler, and a kubelet, containerd, flanneld and kube-proxy per node), then one Deployment of \`registry.k8s.io/pause:3.10\`, with cluster time stepped a second at a time until the Deployment reports every replica available. \`kubectl get pods -A\` is the emulated kubectl (\`kubectlMain\` over \`inProcessTransport\`). Targets: under 60 s wall and 1.5 GB peak RSS for 1,000 nodes / 100,000 replicas; KWOK states 1,000 nodes / 100,000 pods and ~20 pods/s creation.`,
      ``,
    );
    for (const r of parts.scale) {
      const flags = r.nodeFlags?.length ? `node ${r.nodeFlags.join(" ")} --import tsx` : "npx tsx";
      out.push(`#### ${r.nodes.toLocaleString("en-US")} nodes, ${r.replicas.toLocaleString("en-US")} replicas (\`${flags} bench/scale.ts --nodes ${r.nodes} --replicas ${r.replicas}\`)`, ``, scaleMarkdown(r), ``);
    }
  }
  if (parts.idle) {
    out.push(
      `### Idle default cluster (LabClock, real time): \`npx tsx bench/idle.ts --seconds ${parts.idle.seconds}\``,
      ``,
      `master, node01, node02 after start-up settles, doing nothing for ${parts.idle.seconds} s of real time. Target: ≈ 0 CPU (no polling); what is left is timers a real cluster has.`,
      ``,
      idleMarkdown(parts.idle),
      ``,
    );
  }
  if (parts.memory) {
    out.push(
      `### Memory of idle default clusters: \`node --expose-gc --import tsx bench/memory.ts --clusters ${parts.memory.clusters}\``,
      ``,
      `Each cluster settled for a minute of cluster time on its own FakeClock; deltas after a full GC over the same process before the clusters. Target: under 15 MB per cluster.`,
      ``,
      memoryMarkdown(parts.memory),
      ``,
    );
  }
  out.push(END);
  return out.join("\n");
}

function writeSection(text: string): void {
  let doc: string;
  try {
    doc = readFileSync(DOC, "utf8");
  } catch {
    doc = "# Benchmarks\n\n";
  }
  const a = doc.indexOf(START);
  const b = doc.indexOf(END);
  doc = a >= 0 && b > a ? doc.slice(0, a) + text + doc.slice(b + END.length) : `${doc.trimEnd()}\n\n${text}\n`;
  writeFileSync(DOC, doc);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv.slice(2);
  const quick = argv.includes("--quick");
  const i = argv.indexOf("--only");
  const only = i >= 0 ? argv[i + 1] : undefined;
  const want = (name: string) => !only || only === name;
  const parts: Parameters<typeof section>[0] = { argv, scale: [] };
  const given = (flag: string) => {
    const k = argv.indexOf(flag);
    return k >= 0 ? argv[k + 1]!.split(",").map((f) => JSON.parse(readFileSync(f, "utf8").trim().split("\n").pop()!) as unknown) : undefined;
  };
  const scaleGiven = given("--scale-json") as ScaleResult[] | undefined;
  const idleGiven = given("--idle-json") as IdleResult[] | undefined;
  const memoryGiven = given("--memory-json") as MemoryResult[] | undefined;
  if (scaleGiven) parts.scale = scaleGiven;
  else if (want("scale")) {
    const { nodes, replicas } = scaleArgs(argv);
    const r = await child<ScaleResult>("scale.ts", ["--nodes", String(nodes), "--replicas", String(replicas)]);
    parts.scale = [r];
    process.stdout.write(`${scaleMarkdown(r)}\n\n`);
  }
  if (idleGiven) parts.idle = idleGiven[0];
  else if (want("idle")) {
    parts.idle = await child<IdleResult>("idle.ts", ["--seconds", quick ? "10" : "60"]);
    process.stdout.write(`${idleMarkdown(parts.idle)}\n\n`);
  }
  if (memoryGiven) parts.memory = memoryGiven[0];
  else if (want("memory")) {
    parts.memory = await child<MemoryResult>("memory.ts", ["--clusters", quick ? "10" : "100"]);
    process.stdout.write(`${memoryMarkdown(parts.memory)}\n\n`);
  }
  if (!argv.includes("--no-write")) {
    writeSection(section(parts));
    process.stdout.write(`wrote ${DOC}\n`);
  }
}
