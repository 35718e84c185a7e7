// What the process inside a container does, since the lab runs no real
// processes: startup log lines per well-known image (httpd, nginx, redis,
// coredns…), when a command exits and with which code (busybox `sleep 5`,
// `exit 1`, no command at all), periodic output of `while true; do echo …`
// loops, the files a script touches and removes over time (what exec probes
// look at), and how long it takes to stop on SIGTERM (PID-1 shells ignore it).
// Leaves out: interpreting shell beyond these patterns.
//
// A plan lives as long as its container, and every pod has a pause container:
// plans with no output share one frozen plan and one no-output function, and
// per-container output functions are methods, not arrow-valued properties
// (tsx keeps names by redefining `name` on each such arrow, which puts the
// function in dictionary mode: ~300 bytes per function per container).

import type { ImageProfile, ImageRef } from "./images.ts";

export interface ContainerSpecLike {
  name: string;
  command?: string[];
  args?: string[];
}

export interface ProcessContext {
  /** The pod's IP (httpd prints it in AH00558). */
  podIP: string;
  nodeName: string;
}

export interface ProcessPlan {
  /** Lines written at start, given the start time. */
  startLines(now: number): readonly string[];
  /** The process exits by itself after this many ms (undefined: runs until stopped). */
  exitAfterMs?: number;
  exitCode: number;
  /** Output repeated while running, e.g. a `while true; do echo hi; sleep 5; done` loop. */
  periodic?: { everyMs: number; lines: string[] };
  /** ms from SIGTERM to exit; undefined when the process ignores SIGTERM (killed at the grace period). */
  stopMs?: number;
  /** Lines written on a graceful stop. */
  stopLines(now: number): readonly string[];
  /** Files the command creates or removes, ms after start (`touch /tmp/healthy; sleep 30; rm -f /tmp/healthy`). */
  files?: FileChange[];
}

export interface FileChange {
  path: string;
  atMs: number;
  exists: boolean;
}

/** No output: shared by every plan that writes nothing. */
const NO_LINES: readonly string[] = Object.freeze([]);
function noLines(): readonly string[] {
  return NO_LINES;
}

/** The pause container: no output, exits at once on SIGTERM. One plan for all of them. */
const PAUSE_PLAN: ProcessPlan = Object.freeze({ startLines: noLines, exitCode: 0, stopMs: 0, stopLines: noLines });

/** A server image the lab knows nothing about: no output, stops in half a second. */
const QUIET_SERVER_PLAN: ProcessPlan = Object.freeze({ startLines: noLines, exitCode: 0, stopMs: 500, stopLines: noLines });

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const p2 = (n: number) => String(n).padStart(2, "0");

/** Apache's error-log time: Tue Nov 25 09:00:07.123456 2026 */
function apacheTime(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, "0")}${String((ms * 7) % 1000).padStart(3, "0")} ${d.getUTCFullYear()}`;
}

/** nginx's 2026/11/25 09:00:07 */
function nginxTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}/${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
}

/** redis's 25 Nov 2026 09:00:07.123 */
function redisTime(ms: number): string {
  const d = new Date(ms);
  return `${p2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, "0")}`;
}

/** klog's I1125 09:00:07.123456       1 */
function klog(ms: number, msg: string, level = "I"): string {
  const d = new Date(ms);
  return `${level}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, "0")}000       1 ${msg}`;
}

function serverPlan(ref: ImageRef, ctx: ProcessContext): ProcessPlan {
  const repo = ref.repository.split("/").pop()!;
  switch (repo) {
    case "httpd": {
      const ah = `AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using ${ctx.podIP}. Set the 'ServerName' directive globally to suppress this message`;
      return {
        startLines(t) {
          return [
            ah,
            ah,
            `[${apacheTime(t)}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.65 (Unix) configured -- resuming normal operations`,
            `[${apacheTime(t)}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'`,
          ];
        },
        exitCode: 0,
        // httpd's STOPSIGNAL is SIGWINCH: a graceful stop that finishes in about a second.
        stopMs: 1000,
        stopLines(t) {
          return [`[${apacheTime(t)}] [mpm_event:notice] [pid 1:tid 1] AH00492: caught SIGWINCH, shutting down gracefully`];
        },
      };
    }
    case "nginx":
    case "nginx-unprivileged":
      return {
        startLines(t) {
          return [
            "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
            "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
            "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
            "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
            "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
            "/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh",
            "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
            "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
            "/docker-entrypoint.sh: Configuration complete; ready for start up",
            `${nginxTime(t)} [notice] 1#1: using the "epoll" event method`,
            `${nginxTime(t)} [notice] 1#1: nginx/1.29.3`,
            `${nginxTime(t)} [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14+deb12u1) `,
            `${nginxTime(t)} [notice] 1#1: OS: Linux 5.15.0-151-generic`,
            `${nginxTime(t)} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576`,
            `${nginxTime(t)} [notice] 1#1: start worker processes`,
            `${nginxTime(t)} [notice] 1#1: start worker process 29`,
            `${nginxTime(t)} [notice] 1#1: start worker process 30`,
          ];
        },
        exitCode: 0,
        // nginx's STOPSIGNAL is SIGQUIT: workers finish and exit at once.
        stopMs: 300,
        stopLines(t) {
          return [
            `${nginxTime(t)} [notice] 1#1: signal 3 (SIGQUIT) received, shutting down`,
            `${nginxTime(t)} [notice] 29#29: gracefully shutting down`,
            `${nginxTime(t)} [notice] 1#1: exit`,
          ];
        },
      };
    case "redis":
      return {
        startLines(t) {
          return [
            `1:C ${redisTime(t)} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo`,
            `1:C ${redisTime(t)} * Redis version=8.2.3, bits=64, commit=00000000, modified=1, pid=1, just started`,
            `1:C ${redisTime(t)} # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf`,
            `1:M ${redisTime(t)} * monotonic clock: POSIX clock_gettime`,
            `1:M ${redisTime(t)} * Running mode=standalone, port=6379.`,
            `1:M ${redisTime(t)} * Server initialized`,
            `1:M ${redisTime(t)} * Ready to accept connections tcp`,
          ];
        },
        exitCode: 0,
        stopMs: 500,
        stopLines(t) {
          return [
            `1:signal-handler (${Math.floor(t / 1000)}) Received SIGTERM scheduling shutdown...`,
            `1:M ${redisTime(t)} * User requested shutdown...`,
            `1:M ${redisTime(t)} # Redis is now ready to exit, bye bye...`,
          ];
        },
      };
    default:
      return QUIET_SERVER_PLAN;
  }
}

function systemPlan(ref: ImageRef, ctx: ProcessContext): ProcessPlan {
  const repo = ref.repository.split("/").pop()!;
  const base = { exitCode: 0, stopMs: 1000, stopLines: noLines };
  switch (repo) {
    case "coredns":
      return {
        ...base,
        // coredns's lameduck: it keeps answering for 5 s after SIGTERM.
        stopMs: 5000,
        startLines() {
          return [
            ".:53",
            "[INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5f046dd37f1cf888b953814040d180f52594972691cd6ff41be96639138a43908",
            "CoreDNS-1.11.3",
            "linux/amd64, go1.21.11, a6338e9",
          ];
        },
      };
    case "kube-proxy":
      return {
        ...base,
        startLines(t) {
          return [
            klog(t, `server_linux.go:66] "Using iptables proxy"`),
            klog(t, `server.go:698] "Successfully retrieved node IP(s)" IPs=["${ctx.podIP}"]`),
            klog(t, `server_linux.go:170] "Using iptables Proxier"`),
            klog(t, `server.go:497] "Version info" version="${ref.tag}"`),
            klog(t, `config.go:199] "Starting service config controller"`),
            klog(t, `config.go:105] "Starting endpoint slice config controller"`),
            klog(t, `shared_informer.go:320] Caches are synced for service config`),
          ];
        },
      };
    case "flannel":
      return {
        ...base,
        startLines(t) {
          return [
            klog(t, `main.go:211] CLI flags config: {etcdEndpoints:http://127.0.0.1:4001,http://127.0.0.1:2379 etcdPrefix:/coreos.com/network kubeSubnetMgr:true iface:[] ipMasq:true}`),
            klog(t, `kube.go:139] Waiting 10m0s for node controller to sync`),
            klog(t, `kube.go:469] Starting kube subnet manager`),
            klog(t, `main.go:360] Found network config - Backend type: vxlan`),
            klog(t, `vxlan.go:141] VXLAN config: VNI=1 Port=0 GBP=false Learning=false DirectRouting=false`),
            klog(t, `main.go:434] Wrote subnet file to /run/flannel/subnet.env`),
            klog(t, `main.go:438] Running backend.`),
          ];
        },
      };
    case "etcd":
      return {
        ...base,
        startLines(t) {
          return [
            `{"level":"info","ts":"${new Date(t).toISOString()}","caller":"embed/etcd.go:128","msg":"configuring peer listeners","listen-peer-urls":["https://${ctx.podIP}:2380"]}`,
            `{"level":"info","ts":"${new Date(t).toISOString()}","caller":"etcdserver/server.go:2128","msg":"published local member to cluster through raft","local-member-attributes":"{Name:${ctx.nodeName} ClientURLs:[https://${ctx.podIP}:2379]}"}`,
            `{"level":"info","ts":"${new Date(t).toISOString()}","caller":"embed/serve.go:250","msg":"serving client traffic securely","traffic":"grpc+http","address":"${ctx.podIP}:2379"}`,
          ];
        },
      };
    default:
      return {
        ...base,
        startLines(t) {
          return [klog(t, `server.go:167] "Starting ${repo}" version="${ref.tag}"`)];
        },
      };
  }
}

/** Splits a shell script into simple statements on ; && || and newlines. */
function statements(script: string): string[] {
  return script
    .split(/;|&&|\|\||\n/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function echoText(stmt: string): string | undefined {
  const m = stmt.match(/^echo\s+(.*)$/);
  // `echo ok > /tmp/ready` writes a file, not a log line.
  if (!m || /\s>>?\s*\S+$/.test(stmt)) return undefined;
  return m[1]!.replace(/^(['"])(.*)\1$/, "$2").replace(/\$\(date\)/g, "");
}

/** The files a statement creates (touch, mkdir, a redirect) or removes (rm), at atMs. */
function fileChanges(stmt: string, atMs: number): FileChange[] {
  const words = stmt.split(/\s+/);
  const paths = (from: string[]) => from.filter((w) => !w.startsWith("-"));
  if (words[0] === "touch" || words[0] === "mkdir") return paths(words.slice(1)).map((path) => ({ path, atMs, exists: true }));
  if (words[0] === "rm") return paths(words.slice(1)).map((path) => ({ path, atMs, exists: false }));
  const redirect = stmt.match(/>>?\s*(\S+)$/);
  if (redirect) return [{ path: redirect[1]!, atMs, exists: true }];
  return [];
}

/** A shell-like image (busybox, alpine, ubuntu) running its command. */
function shellPlan(container: ContainerSpecLike): ProcessPlan {
  const argv = [...(container.command ?? []), ...(container.args ?? [])];
  // Shells as PID 1 ignore SIGTERM: they are killed at the end of the grace period.
  const plan: ProcessPlan = { startLines: noLines, exitCode: 0, stopLines: noLines };
  if (argv.length === 0) {
    // `sh` with no terminal reads EOF and exits 0 at once.
    plan.exitAfterMs = 0;
    return plan;
  }
  const script = argv[0] === "sh" || argv[0] === "/bin/sh" || argv[0] === "bash" || argv[0] === "/bin/bash" ? argv.slice(argv.indexOf("-c") + 1).join(" ") : argv.join(" ");
  const loop = /\bwhile\s+(true|:|\[\s*1\s*\])/.test(script);
  const stmts = statements(script.replace(/\bdo\b|\bdone\b/g, ";"));
  const before: string[] = [];
  const body: string[] = [];
  let sleepMs = 0;
  let forever = false;
  let exit: number | undefined;
  let inLoop = false;
  for (const s of stmts) {
    if (/^while\b/.test(s)) {
      inLoop = true;
      continue;
    }
    const e = echoText(s);
    if (e !== undefined) (inLoop ? body : before).push(e);
    if (!inLoop) for (const change of fileChanges(s, sleepMs)) (plan.files ??= []).push(change);
    const sl = s.match(/^sleep\s+(\S+)/);
    if (sl) {
      if (sl[1] === "infinity") forever = true;
      else if (inLoop) sleepMs = Number.parseFloat(sl[1]!) * 1000 || 1000;
      else sleepMs += Number.parseFloat(sl[1]!) * 1000 || 0;
    }
    if (/^tail\s+-f\b/.test(s)) forever = true;
    const ex = s.match(/^exit\s+(\d+)/);
    if (ex && exit === undefined && !inLoop) exit = Number(ex[1]);
    if (s === "false" && exit === undefined) exit = 1;
  }
  plan.startLines = () => before;
  if (loop) {
    if (body.length > 0) plan.periodic = { everyMs: sleepMs || 1000, lines: body };
  } else if (!forever) {
    plan.exitAfterMs = sleepMs;
    plan.exitCode = exit ?? 0;
  }
  return plan;
}

/** Commands that make any image behave like a shell script rather than its server. */
const SHELL_TOOLS = new Set(["sh", "bash", "ash", "sleep", "echo", "cp", "true", "false", "tail", "cat", "ls", "env", "date", "printenv"]);

export function processPlan(ref: ImageRef, profile: ImageProfile, container: ContainerSpecLike, ctx: ProcessContext): ProcessPlan {
  const cmd = container.command?.[0]?.split("/").pop();
  if (profile.kind === "shell" || (cmd !== undefined && SHELL_TOOLS.has(cmd))) return shellPlan(container);
  if (profile.kind === "pause") return PAUSE_PLAN;
  if (profile.kind === "system") return systemPlan(ref, ctx);
  return serverPlan(ref, ctx);
}
