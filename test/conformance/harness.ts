// Shared by the kubectl conformance suites: the oracle binary, a runner for
// it and one for the emulated kubectl, each against a kubeconfig on disk.

import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import type { APIServer } from "../../src/apiserver/apiserver.ts";
import { ClusterRegistry, type RunningApiServer, startApiServerHttps } from "../../src/apiserver/server.ts";
import { createCA, DEFAULT_SERVING_HOSTS, issueServingCert, type ServingCertificate } from "../../src/apiserver/tls.ts";
import { writeKubeconfig } from "../../src/client/kubeconfig.ts";
import { kubectlMain } from "../../src/kubectl/kubectl.ts";
import { captureIO } from "../../src/utils/command.ts";

export const KUBECTL = "/usr/bin/kubectl";
export const HAVE_KUBECTL = existsSync(KUBECTL);

/** A server/client pairing a suite runs under: the cluster reports `server`, the oracle is kubectl.1.<minor>. */
export interface VersionCase {
  minor: string;
  server: string;
}

/** The pairings the parameterised suites run: the lab's default 1.32, the newest and the oldest bundled client. */
export const VERSION_CASES: VersionCase[] = process.env.KUBECTL_CONFORMANCE_MINORS
  ? // e.g. KUBECTL_CONFORMANCE_MINORS=28,31 to check where a behaviour changed.
    process.env.KUBECTL_CONFORMANCE_MINORS.split(",").map((m) => ({ minor: m, server: `v1.${m}.0` }))
  : [
      { minor: "32", server: "v1.32.4" },
      { minor: "33", server: "v1.33.1" },
      { minor: "27", server: "v1.27.16" },
    ];

/** The bundled client for a minor exists on this machine. */
export function haveBundled(minor: string): boolean {
  return HAVE_KUBECTL && existsSync(join(dirname(realpathSync(KUBECTL)), `kubectl.1.${minor}`));
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The oracle. /usr/bin/kubectl on the lab image is GKE's dispatcher: it asks
 * the server's /version and execs the bundled kubectl of that minor. It also
 * answers some commands itself before dispatching (flag errors as "Error:",
 * required-flag errors as klog lines, `version` as "v1.32.4-dispatcher"), which
 * upstream kubectl never prints. So the suites run the bundled kubectl of the
 * server's minor (1.32 unless told) directly, through a symlink named
 * `kubectl` so that messages quoting argv[0] read as they do for a user.
 */
export function oracleBinary(dir: string, minor = "32"): string {
  const bundled = join(dirname(realpathSync(KUBECTL)), `kubectl.1.${minor}`);
  if (!existsSync(bundled)) return KUBECTL;
  mkdirSync(join(dir, "bin"), { recursive: true });
  const link = join(dir, "bin", "kubectl");
  if (!existsSync(link)) symlinkSync(bundled, link);
  return link;
}

export function runReal(binary: string, args: string[], env: { HOME: string; KUBECONFIG: string }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(binary, args, { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export async function runEmulated(args: string[], env: { HOME: string; KUBECONFIG: string }, now: () => number = () => Date.now()): Promise<Run> {
  const io = captureIO({ env: { PATH: "/usr/bin:/bin", ...env } });
  const code = await kubectlMain(args, io, { now });
  return { code, stdout: io.out(), stderr: io.err() };
}

/** The real kubectl run in cwd with stdin (empty unless given), for suites whose commands read files or stdin. */
export function runRealIn(binary: string, args: string[], env: Record<string, string>, cwd: string, stdin?: string): Promise<Run> {
  return new Promise((resolve) => {
    const p = spawn(binary, args, { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env }, cwd });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    p.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    p.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    p.stdin.end(stdin ?? "");
  });
}

/** The emulated kubectl the same way (env may set its own PATH). */
export async function runEmulatedIn(args: string[], env: Record<string, string>, cwd: string, stdin?: string): Promise<Run> {
  const io = captureIO({ env: { PATH: "/usr/bin:/bin", ...env }, cwd, ...(stdin !== undefined ? { stdin } : {}) });
  const code = await kubectlMain(args, io, { now: () => Date.now() });
  return { code, stdout: io.out(), stderr: io.err() };
}

/** KUBECTL_CONFORMANCE_DUMP=dir keeps both outputs of a command for diffing by hand. */
export function dumpPair(tag: string, args: string[], want: Run, got: Run): void {
  const dump = process.env.KUBECTL_CONFORMANCE_DUMP;
  if (!dump) return;
  const base = join(dump, `${tag}_${args.join("_").replace(/[^\w.-]+/g, "_")}`);
  writeFileSync(`${base}.real`, `${want.stdout}--- stderr\n${want.stderr}--- ${want.code}\n`);
  writeFileSync(`${base}.emulated`, `${got.stdout}--- stderr\n${got.stderr}--- ${got.code}\n`);
}

/**
 * Debian's kubectl 1.20 (package kubernetes-client), the client a Debian
 * machine's apt gives. .ci/run unpacks it here rather than installing it, as
 * its /usr/bin/kubectl would replace the dispatcher. Its file is named
 * `kubectl`, so it needs no symlink.
 */
export const DEBIAN_KUBECTL_120 = "/opt/kubelab/kubernetes-client-1.20/usr/bin/kubectl";
export const HAVE_DEBIAN_KUBECTL_120 = existsSync(DEBIAN_KUBECTL_120);

/**
 * Twin clusters for the suites that write: the same fixture built twice, each
 * behind its own HTTPS apiserver, so the real and the emulated kubectl each
 * change their own copy. Makes the homes dir/real and dir/emulated and writes
 * dir/real.config and dir/emulated.config.
 */
export async function startTwinServers(o: {
  dir: string;
  cert: ServingCertificate;
  caPem: string;
  token: string;
  build: (who: "real" | "emulated") => Promise<{ api: APIServer }>;
}): Promise<RunningApiServer[]> {
  const servers: RunningApiServer[] = [];
  for (const who of ["real", "emulated"] as const) {
    mkdirSync(join(o.dir, who), { recursive: true });
    const clusters = new ClusterRegistry();
    clusters.add(who, (await o.build(who)).api, o.token);
    const server = await startApiServerHttps({ host: "127.0.0.1", port: 0, clusters, cert: o.cert });
    servers.push(server);
    writeFileSync(join(o.dir, `${who}.config`), writeKubeconfig({ server: server.url, caPem: o.caPem, token: o.token }));
  }
  return servers;
}

/** What a twin-server suite reads once its beforeAll has run. */
export interface TwinSuite {
  /** The suite's temp dir: homes real/ and emulated/, their kubeconfigs, the oracle's symlink. */
  dir: string;
  /** The real kubectl of the suite's client minor. */
  oracle: string;
}

/**
 * A write suite's set-up and tear-down, registered on the describe block it
 * is called in: a temp dir, the oracle, a CA and serving cert, the twin
 * servers on build(wallClockMs), and prepare() for the suite's own files;
 * afterwards the servers close and the dir goes.
 */
export function useTwinServers(o: {
  name: string;
  minor?: string;
  build: (wallClockMs: number) => Promise<{ api: APIServer }>;
  prepare?: (dir: string, tls: { caPem: string; caKeyPem: string; certKeyPem: string }) => void;
}): TwinSuite {
  const suite: TwinSuite = { dir: "", oracle: "" };
  const servers: RunningApiServer[] = [];
  beforeAll(async () => {
    suite.dir = mkdtempSync(join(tmpdir(), `kubelab-conformance-${o.name}-`));
    suite.oracle = oracleBinary(suite.dir, o.minor);
    const wall = Date.now();
    const ca = createCA({ wallClockMs: wall });
    const cert = issueServingCert(ca, DEFAULT_SERVING_HOSTS, { wallClockMs: wall });
    o.prepare?.(suite.dir, { caPem: ca.certPem, caKeyPem: ca.keyPem, certKeyPem: cert.keyPem });
    servers.push(...(await startTwinServers({ dir: suite.dir, cert, caPem: ca.certPem, token: TWIN_TOKEN, build: () => o.build(wall) })));
  }, 60_000);
  afterAll(async () => {
    for (const s of servers.splice(0)) await s.close();
    if (suite.dir) rmSync(suite.dir, { recursive: true, force: true });
  });
  return suite;
}

const TWIN_TOKEN = "tok-conformance-0123456789abcdef";

/**
 * One cluster behind an HTTPS apiserver with its own CA, for suites whose
 * commands only read (or where both clients share the cluster); writes
 * dir/config for the token.
 */
export async function serveOne(o: { dir: string; api: APIServer; token: string; wallClockMs: number }): Promise<RunningApiServer> {
  const ca = createCA({ wallClockMs: o.wallClockMs });
  const cert = issueServingCert(ca, DEFAULT_SERVING_HOSTS, { wallClockMs: o.wallClockMs });
  const clusters = new ClusterRegistry();
  clusters.add("lab", o.api, o.token);
  const server = await startApiServerHttps({ host: "127.0.0.1", port: 0, clusters, cert });
  writeFileSync(join(o.dir, "config"), writeKubeconfig({ server: server.url, caPem: ca.certPem, token: o.token }));
  return server;
}
