// kubectl latency: the lab shell's `kubectl` (the thin client handing the
// command to the emulated kubectl inside the server) against the real kubectl
// (the /usr/bin/kubectl dispatcher, and the bundled 1.32 binary it execs),
// both talking to the same emulated cluster over the same HTTPS API server.
// 20 interleaved runs per command; medians in milliseconds.
//
//   npx tsx bench/latency.ts [--runs 20]

import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ClusterRegistry, startApiServerHttps } from "../src/apiserver/server.ts";
import { createCA, DEFAULT_SERVING_HOSTS, issueServingCert } from "../src/apiserver/tls.ts";
import { writeKubeconfig } from "../src/client/kubeconfig.ts";
import { createCluster } from "../src/cluster.ts";
import { LabClock } from "../src/utils/clock.ts";
import { captureIO } from "../src/utils/command.ts";
import { ExecBridge } from "../server/exec.ts";
import { prepareThinClient } from "../server/thin-client.ts";
import { runOn } from "../server/wiring.ts";

const REAL_DISPATCHER = "/usr/bin/kubectl";
const REAL_132 = "/usr/lib/google-cloud-sdk/bin/kubectl.1.32";

export interface LatencyResult {
  command: string;
  medians: Record<string, number>;
}

function run(file: string, args: string[], env: Record<string, string>): Promise<{ ms: number; code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(file, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => void (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => void (out += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ ms: performance.now() - t0, code: code ?? -1, out }));
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export async function measureLatency(options: { runs?: number; log?: (s: string) => void } = {}): Promise<LatencyResult[]> {
  const runs = options.runs ?? 20;
  const log = options.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), "kubelab-latency-"));
  // Fast-forward the set-up (image pulls take seconds of cluster time), then run in real time.
  const clock = new LabClock({ speed: 50 });
  const cluster = await createCluster({ clock, seed: 7 });
  const ca = createCA({ wallClockMs: Date.now(), days: 30 });
  const cert = issueServingCert(ca, DEFAULT_SERVING_HOSTS, { wallClockMs: Date.now(), days: 30 });
  const registry = new ClusterRegistry();
  const token = "bench-token-0123456789abcdef";
  registry.add("bench", cluster.api, token);
  const https = await startApiServerHttps({ host: "127.0.0.1", port: 0, clusters: registry, cert });
  const server = `${https.url}/clusters/bench`;
  const kubeconfig = join(dir, "config");
  writeFileSync(kubeconfig, writeKubeconfig({ server, caPem: cert.caPem, token }), { mode: 0o600 });

  const io = captureIO({ env: { KUBECONFIG: kubeconfig } });
  await runOn(cluster, server, "kubectl", ["create", "deployment", "test-web", "--image=httpd", "--replicas=2"], io, "master");
  for (let i = 0; i < 200; i++) {
    const pods = await cluster.client("bench").resource({ group: "", version: "v1", resource: "pods" }).list("default");
    if (pods.items.length === 2 && pods.items.every((p) => (p.status as { phase?: string }).phase === "Running")) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  clock.setSpeed(1);
  const pod = (await cluster.client("bench").resource({ group: "", version: "v1", resource: "pods" }).list("default")).items[0]!.metadata.name!;

  // The lab shell's kubectl: the thin client, named kubectl, on a private socket.
  const sock = join(dir, "exec.sock");
  const execToken = "exec-token-0123456789abcdef";
  const bridge = new ExecBridge(sock, execToken, (req, cio) => runOn(cluster, server, req.argv[0]!, req.argv.slice(1), cio, "master") ?? Promise.resolve(127));
  await bridge.listen();
  const thin = prepareThinClient(dir);
  const bin = join(dir, "bin");
  mkdirSync(bin);
  symlinkSync(thin.path, join(bin, "kubectl"));
  log(`thin client: ${thin.kind}`);

  const home = join(dir, "home");
  mkdirSync(home);
  const envBase = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, KUBECONFIG: kubeconfig };
  const clients: Record<string, { file: string; args: string[]; env: Record<string, string> }> = {
    "emulated (lab shell)": thin.kind === "c" ? { file: join(bin, "kubectl"), args: [], env: { ...envBase, KUBELAB_SOCK: sock, KUBELAB_TOKEN: execToken } } : { file: process.execPath, args: [thin.path], env: { ...envBase, KUBELAB_SOCK: sock, KUBELAB_TOKEN: execToken } },
  };
  if (existsSync(REAL_DISPATCHER)) clients["real kubectl (dispatcher)"] = { file: REAL_DISPATCHER, args: [], env: envBase };
  if (existsSync(REAL_132)) clients["real kubectl 1.32 binary"] = { file: REAL_132, args: [], env: envBase };

  const commands: { name: string; argv: (i: number) => string[] }[] = [
    { name: "get pods", argv: () => ["get", "pods"] },
    { name: "get pods -A -o wide", argv: () => ["get", "pods", "-A", "-o", "wide"] },
    { name: `describe pod`, argv: () => ["describe", "pod", pod] },
    { name: "create deployment", argv: (i) => ["create", "deployment", `bench-${i}`, "--image=httpd"] },
  ];
  // Warm discovery caches and page cache once per client.
  for (const c of Object.values(clients)) await run(c.file, [...c.args, "get", "ns"], c.env);

  const results: LatencyResult[] = [];
  let serial = 0;
  for (const cmd of commands) {
    const times: Record<string, number[]> = {};
    for (let i = 0; i < runs; i++) {
      for (const [name, c] of Object.entries(clients)) {
        const argv = cmd.argv(serial++);
        const r = await run(c.file, [...c.args, ...argv], c.env);
        if (r.code !== 0) throw new Error(`${name} ${argv.join(" ")} exited ${r.code}: ${r.out}`);
        (times[name] ??= []).push(r.ms);
      }
    }
    const medians = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, Math.round(median(v) * 10) / 10]));
    results.push({ command: cmd.name, medians });
    log(`${cmd.name}: ${JSON.stringify(medians)}`);
  }

  bridge.close();
  await https.close();
  cluster.stop();
  clock.stop();
  rmSync(dir, { recursive: true, force: true });
  return results;
}

export function latencyMarkdown(results: LatencyResult[], runs: number): string {
  const names = Object.keys(results[0]?.medians ?? {});
  const lines = [
    `| command (median of ${runs} interleaved runs, ms) | ${names.join(" | ")} |`,
    `|---|${names.map(() => "---:").join("|")}|`,
    ...results.map((r) => `| \`kubectl ${r.command}\` | ${names.map((n) => r.medians[n]).join(" | ")} |`),
  ];
  return lines.join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf("--runs");
  const runs = i > 0 ? Number(process.argv[i + 1]) : 20;
  const results = await measureLatency({ runs, log: (s) => process.stderr.write(`${s}\n`) });
  process.stdout.write(`${latencyMarkdown(results, runs)}\n`);
  process.exit(0);
}
