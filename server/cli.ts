// The kubelab command line:
//   kubelab serve [--port N] [--host ADDR] [--lessons DIR] [--data DIR] [--age 20m] [--sandbox]
//   kubelab cluster [--port N] [--kubeconfig FILE] [--version v1.32.4] [--age 20m]
//   kubelab kubectl ARGS...
// Flag errors look like a real CLI's: message, usage hint, exit 2.

import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { homedir, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createCluster } from "../src/cluster.ts";
import { ClusterRegistry, startApiServerHttps } from "../src/apiserver/server.ts";
import { createCA, DEFAULT_SERVING_HOSTS, generateKeyPem, issueServingCert } from "../src/apiserver/tls.ts";
import { kubectlMain } from "../src/kubectl/kubectl.ts";
import { ProgressStore } from "../src/progress/store.ts";
import { LabClock } from "../src/utils/clock.ts";
import type { CommandIO } from "../src/utils/command.ts";
import { createApp } from "./app.ts";
import { writeKubeconfig } from "./kubeconfig.ts";
import { sandboxProblem } from "./sandbox.ts";
import { randomToken } from "./security.ts";
import { prepareThinClientAsync } from "./thin-client.ts";
import { createLab } from "./wiring.ts";

const USAGE = `kubelab: a local, offline Kubernetes workbook

Usage:
  kubelab serve   [--port N] [--host ADDR] [--lessons DIR] [--data DIR] [--age 20m] [--sandbox]
  kubelab cluster [--port N] [--kubeconfig FILE] [--version v1.32.4] [--age 20m]
  kubelab kubectl ARGS...
  kubelab lint-lessons [DIR]     check lesson files; problems as file:line
  kubelab test-lessons [DIR]     run every step's solution on a fresh cluster:
                                 its checks must fail before and pass after

Run 'kubelab COMMAND --help' for a command's flags.
`;

const AGE_HELP =
  "how long ago the cluster was bootstrapped, e.g. 20m, 1h, 0 (default 20m: nodes and system pods are 20m old and settled; at most 1h, because kubelab does not expire events as kube-apiserver's --event-ttl=1h does)";
const DEFAULT_AGE_MS = 20 * 60_000;
const MAX_AGE_MS = 60 * 60_000;

const FLAGS: Record<string, Record<string, string>> = {
  serve: {
    port: "port for the web UI (default 8080; 0 picks a free one)",
    host: "address to listen on (default 127.0.0.1; anything else turns off the Host check: the terminal is a real shell)",
    lessons: "folder of lessons (default ./lessons)",
    data: "folder for progress (default ~/.kubelab)",
    "api-port": "port of the clusters' HTTPS API server (default: a free one)",
    age: AGE_HELP,
    sandbox: "run each learner's shell in bubblewrap (bwrap): no other session's files, no server files, no network; for shared classroom servers",
  },
  cluster: {
    port: "port of the HTTPS API server (default 6443)",
    kubeconfig: "where to write the kubeconfig (default ./kubelab.kubeconfig)",
    version: "Kubernetes version the cluster reports (default v1.32.4)",
    age: AGE_HELP,
  },
};

/** Flags that take no value. */
const SWITCHES = new Set(["sandbox"]);

class UsageError extends Error {}

function parse(cmd: string, argv: string[]): Map<string, string> {
  const known = FLAGS[cmd]!;
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-h" || a === "--help") {
      out.set("help", "1");
      continue;
    }
    if (!a.startsWith("--")) throw new UsageError(`unknown argument "${a}" for "kubelab ${cmd}"`);
    const eq = a.indexOf("=");
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (!(name in known)) throw new UsageError(`unknown flag: --${name}`);
    if (SWITCHES.has(name)) {
      if (eq >= 0 && !["true", "false"].includes(a.slice(eq + 1))) throw new UsageError(`invalid argument "${a.slice(eq + 1)}" for "--${name}" flag: not a boolean`);
      if (eq < 0 || a.slice(eq + 1) === "true") out.set(name, "true");
      continue;
    }
    const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`flag needs an argument: --${name}`);
    out.set(name, value);
  }
  return out;
}

function port(flags: Map<string, string>, name: string, dflt: number): number {
  const v = flags.get(name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 65535) throw new UsageError(`invalid argument "${v}" for "--${name}" flag: not a port number`);
  return n;
}

/** A Go-style duration (20m, 1h30m, 90s, 0), as kubectl's --request-timeout takes. */
function age(flags: Map<string, string>): number {
  const v = flags.get("age");
  if (v === undefined) return DEFAULT_AGE_MS;
  const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000 };
  if (v !== "0" && !/^(\d+[hms])+$/.test(v)) throw new UsageError(`invalid argument "${v}" for "--age" flag: not a duration like 20m or 1h`);
  let ms = 0;
  for (const [, n, u] of v.matchAll(/(\d+)([hms])/g)) ms += Number(n) * unit[u!]!;
  if (ms > MAX_AGE_MS) throw new UsageError(`invalid argument "${v}" for "--age" flag: at most 1h`);
  return ms;
}

function help(cmd: string): string {
  const lines = Object.entries(FLAGS[cmd]!).map(([k, v]) => `  --${(SWITCHES.has(k) ? k : `${k} ${k === "age" ? "DURATION" : "VALUE"}`).padEnd(18)} ${v}`);
  return `Usage:\n  kubelab ${cmd} [flags]\n\nFlags:\n${lines.join("\n")}\n`;
}

function processIO(): CommandIO {
  const abort = new AbortController();
  process.once("SIGINT", () => abort.abort());
  return {
    stdout: { write: (c) => void process.stdout.write(c) },
    stderr: { write: (c) => void process.stderr.write(c) },
    stdin: process.stdin.isTTY ? (async function* () {})() : process.stdin,
    env: process.env,
    cwd: process.cwd(),
    isTTY: process.stdout.isTTY === true,
    ...(process.stdout.columns ? { columns: process.stdout.columns } : {}),
    signal: abort.signal,
  };
}

function untilSignal(): Promise<void> {
  return new Promise((r) => {
    process.once("SIGINT", () => r());
    process.once("SIGTERM", () => r());
  });
}

async function serve(flags: Map<string, string>): Promise<number> {
  const host = flags.get("host") ?? "127.0.0.1";
  const p = port(flags, "port", 8080);
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const lessonsDir = resolve(flags.get("lessons") ?? join(repo, "lessons"));
  const dataDir = resolve(flags.get("data") ?? join(homedir(), ".kubelab"));
  const clusterAgeMs = age(flags);
  const sandbox = flags.has("sandbox") ? { bwrap: "bwrap" } : undefined;
  if (sandbox) {
    // Refuse to start rather than silently serve unconfined shells.
    const problem = sandboxProblem(sandbox);
    if (problem) {
      process.stderr.write(`kubelab: --sandbox: bubblewrap cannot run here:\n  ${problem}\n`);
      return 1;
    }
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const store = new ProgressStore(join(dataDir, "kubelab.db"));
  const runtimeDir = mkdtempSync(join(tmpdir(), "kubelab-"));
  const thinClient = prepareThinClientAsync(runtimeDir);
  const lab = await createLab({ lessonsDir, apiPort: port(flags, "api-port", 0), log: (m) => process.stderr.write(`${m}\n`) });
  for (const problem of lab.problems) process.stderr.write(`${problem}\n`);
  const token = randomToken();
  const kubelab = createApp({ lab, store, token, runtimeDir, thinClient: await thinClient, clusterAgeMs, ...(sandbox ? { sandbox } : {}), anyHost: flags.has("host") && !["127.0.0.1", "localhost", "::1"].includes(host) });
  const server = createServer(kubelab.app);
  kubelab.attach(server);
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(p, host, () => ok());
  });
  const actual = (server.address() as AddressInfo).port;
  const shown = host.includes(":") ? `[${host}]` : host;
  process.stdout.write(`kubelab is running at http://${shown}:${actual}/?token=${token}\n`);
  process.stdout.write(`Clusters' API server: ${lab.api.url}. Progress: ${join(dataDir, "kubelab.db")}.${sandbox ? " Shells run in bubblewrap." : ""} Press Ctrl-C to stop.\n`);
  await untilSignal();
  await kubelab.close();
  server.closeAllConnections();
  server.close();
  await lab.close();
  store.close();
  rmSync(runtimeDir, { recursive: true, force: true });
  return 0;
}

async function cluster(flags: Map<string, string>): Promise<number> {
  const ageMs = age(flags);
  // RSA keys on other threads while the cluster boots and catches up.
  const keys = Promise.all([generateKeyPem(), generateKeyPem()]);
  const clock = new LabClock({ startMs: Date.now() - ageMs });
  const c = await createCluster({ clock, seed: 1, ...(flags.get("version") ? { version: flags.get("version")! } : {}) });
  await clock.catchUp(() => c.settle());
  const [caKey, servingKey] = await keys;
  const ca = createCA({ wallClockMs: Date.now(), days: 3650, keyPem: caKey });
  const cert = issueServingCert(ca, DEFAULT_SERVING_HOSTS, { wallClockMs: Date.now(), days: 365, keyPem: servingKey });
  const registry = new ClusterRegistry();
  const token = randomToken(24);
  registry.add("default", c.api, token);
  const api = await startApiServerHttps({ port: port(flags, "port", 6443), clusters: registry, cert });
  const file = resolve(flags.get("kubeconfig") ?? "kubelab.kubeconfig");
  writeKubeconfig(file, { server: api.url, ca: cert.caPem, token });
  process.stdout.write(`Cluster API server running at ${api.url} (Kubernetes ${c.api.version}).\nKubeconfig written to ${file}:\n  export KUBECONFIG=${file}\n  kubectl get nodes\nPress Ctrl-C to stop.\n`);
  await untilSignal();
  c.stop();
  clock.stop();
  await api.close();
  return 0;
}

async function kubectl(argv: string[]): Promise<number> {
  // Without a transport, kubectlMain reads KUBECONFIG (server, CA, token) and speaks real HTTPS.
  return kubectlMain(argv, processIO(), { now: () => Date.now() });
}

/** The lessons folder an instructor names, else the workbook's own. */
function lessonsDirArg(rest: string[]): string {
  const extra = rest.filter((a) => a.startsWith("-"));
  if (extra.length > 0) throw new UsageError(`unknown flag: ${extra[0]}`);
  if (rest.length > 1) throw new UsageError(`expected at most one lessons folder, got ${rest.length}`);
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  return resolve(rest[0] ?? join(repo, "lessons"));
}

async function lintLessonsCommand(rest: string[]): Promise<number> {
  const { lintLessons } = await import("../src/lessons/lint.ts");
  const { formatProblem } = await import("../src/lessons/lesson.ts");
  const problems = await lintLessons(lessonsDirArg(rest));
  for (const p of problems) process.stdout.write(`${formatProblem(p)}\n`);
  return problems.some((p) => p.severity === "error") ? 1 : 0;
}

async function testLessonsCommand(rest: string[]): Promise<number> {
  const { testLessons, formatReport } = await import("../src/lessons/runner.ts");
  const { fakeClusterFactory } = await import("../src/lessons/cluster-env.ts");
  const result = await testLessons(lessonsDirArg(rest), fakeClusterFactory(createCluster));
  process.stdout.write(`${formatReport(result)}\n`);
  return result.ok ? 0 : 1;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case "serve":
      case "cluster": {
        const flags = parse(cmd, rest);
        if (flags.has("help")) {
          process.stdout.write(help(cmd));
          return 0;
        }
        return cmd === "serve" ? await serve(flags) : await cluster(flags);
      }
      case "kubectl":
        return await kubectl(rest);
      case "lint-lessons":
        return await lintLessonsCommand(rest);
      case "test-lessons":
        return await testLessonsCommand(rest);
      case undefined:
      case "help":
      case "-h":
      case "--help":
        process.stdout.write(USAGE);
        return cmd === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${cmd}" for "kubelab"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`Error: ${e.message}\nRun 'kubelab ${cmd && cmd in FLAGS ? `${cmd} ` : ""}--help' for usage.\n`);
      return 2;
    }
    throw e;
  }
}
