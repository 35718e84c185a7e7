// What a command run with CRI ExecSync (exec probes, `crictl exec`) answers
// inside an emulated container: file tests against the files the image ships
// and the container's script has touched or removed so far (cat, ls, test,
// [ ), true/false/exit, and the health commands of well-known images
// (redis-cli ping, pg_isready). Messages are busybox's in busybox/alpine
// images and coreutils' elsewhere.
// For `kubectl exec` the kubelet adds the pod's identity (PodIdentity): then
// cat shows /etc/hostname, /etc/hosts, /etc/resolv.conf and the web roots,
// and hostname, env, echo, ps, date, id, whoami answer as in the image.
// Leaves out: pipes and real shell; any other command in the image succeeds
// with no output, as health scripts of images we do not model would.

import type { FileChange } from "./behaviour.ts";
import { HTTPD_INDEX, NGINX_INDEX } from "./webroot.ts";

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ExecContext {
  /** The image repository without tag: docker.io/library/busybox. */
  repository: string;
  /** ms since the container started. */
  elapsedMs: number;
  files: FileChange[];
  /** What kubectl exec adds: the pod's name, IP and environment. */
  pod?: PodIdentity;
}

export interface PodIdentity {
  hostname: string;
  namespace: string;
  ip: string;
  /** The container's environment as the kubelet built it (PATH and HOSTNAME first). */
  env: [string, string][];
  /** The process command line (ps). */
  command: string;
  /** ms since the epoch when the container started (date, ps). */
  nowMs: number;
  startedMs: number;
  /** The cluster's DNS service IP and domain. */
  dnsIP: string;
  clusterDomain: string;
}

/** Files every image has, plus the web root of the servers. */
const IMAGE_FILES: Record<string, string[]> = {
  "*": ["/", "/etc", "/etc/hostname", "/etc/hosts", "/etc/passwd", "/etc/resolv.conf", "/tmp", "/bin/sh"],
  "docker.io/library/httpd": ["/usr/local/apache2/htdocs/index.html", "/usr/local/apache2/conf/httpd.conf"],
  "docker.io/library/nginx": ["/usr/share/nginx/html/index.html", "/etc/nginx/nginx.conf"],
};

const BUSYBOX = new Set(["docker.io/library/busybox", "docker.io/library/alpine", "registry.k8s.io/busybox"]);

function exists(ctx: ExecContext, path: string): boolean {
  let present = [...IMAGE_FILES["*"]!, ...(IMAGE_FILES[ctx.repository] ?? [])].includes(path);
  for (const f of ctx.files) if (f.path === path && f.atMs <= ctx.elapsedMs) present = f.exists;
  return present;
}

const ok = (stdout = ""): ExecResult => ({ exitCode: 0, stdout, stderr: "" });
const fail = (exitCode: number, stderr: string): ExecResult => ({ exitCode, stdout: "", stderr });

/** Runs argv (or `sh -c "…"`) in the container as ExecSync would. */
export function execSync(ctx: ExecContext, argv: string[]): ExecResult {
  const bin = argv[0]?.split("/").pop();
  if ((bin === "sh" || bin === "bash" || bin === "ash") && argv[1] === "-c") return script(ctx, argv.slice(2).join(" "));
  return simple(ctx, argv);
}

/** `a && b`, `a; b`: the last command's result, stopping at the first failure of an &&. */
function script(ctx: ExecContext, text: string): ExecResult {
  let last = ok();
  for (const part of text.split(/(&&|;)/)) {
    if (part === "&&") {
      if (last.exitCode !== 0) return last;
      continue;
    }
    if (part === ";" || !part.trim()) continue;
    const words = part.trim().split(/\s+/).map((w) => w.replace(/^(['"])(.*)\1$/, "$2"));
    last = simple(ctx, words);
  }
  return last;
}

function simple(ctx: ExecContext, argv: string[]): ExecResult {
  const [cmd, ...args] = argv;
  const bin = cmd?.split("/").pop() ?? "";
  const busybox = BUSYBOX.has(ctx.repository);
  const paths = args.filter((a) => !a.startsWith("-"));
  switch (bin) {
    case "true":
      return ok();
    case "false":
      return fail(1, "");
    case "exit":
      return fail(Number(args[0] ?? 0), "");
    case "cat":
      if (ctx.pod && paths.length > 0 && paths.every((p) => exists(ctx, p))) return ok(paths.map((p) => fileContent(ctx, p)).join(""));
      return listOrCat(ctx, bin, paths, busybox);
    case "ls":
      if (ctx.pod && paths.length === 0) return ok(ROOT_DIRS.join("\n") + "\n");
      return listOrCat(ctx, bin, paths, busybox);
    case "test":
    case "[": {
      const ops = args.filter((a) => a !== "]");
      const flag = ops.length === 2 ? ops[0] : undefined;
      const path = ops.at(-1) ?? "";
      if (flag && !["-f", "-e", "-d", "-s", "-r"].includes(flag)) return ok();
      return exists(ctx, path) ? ok() : fail(1, "");
    }
    case "hostname":
      return ctx.pod ? ok(`${ctx.pod.hostname}\n`) : ok();
    case "env":
    case "printenv":
      return ctx.pod ? ok(ctx.pod.env.map(([k, v]) => `${k}=${v}\n`).join("")) : ok();
    case "echo":
      return ok(`${args.map((a) => expand(ctx, a)).join(" ")}\n`);
    case "id":
      return ok("uid=0(root) gid=0(root) groups=0(root)\n");
    case "whoami":
      return ok("root\n");
    case "date":
      return ok(`${goDate(ctx.pod?.nowMs ?? 0)}\n`);
    case "ps":
      return ok(ps(ctx, busybox));
    case "redis-cli":
      return ok("PONG\n");
    case "pg_isready":
      return ok("/var/run/postgresql:5432 - accepting connections\n");
    default:
      return ok();
  }
}

function listOrCat(ctx: ExecContext, bin: string, paths: string[], busybox: boolean): ExecResult {
  const missing = paths.find((p) => !exists(ctx, p));
  if (!missing) return ok(bin === "ls" ? `${paths.join("\n")}\n` : "");
  if (bin === "cat") return fail(1, busybox ? `cat: can't open '${missing}': No such file or directory\n` : `cat: ${missing}: No such file or directory\n`);
  return fail(busybox ? 1 : 2, busybox ? `ls: ${missing}: No such file or directory\n` : `ls: cannot access '${missing}': No such file or directory\n`);
}

const ROOT_DIRS = ["bin", "boot", "dev", "etc", "home", "lib", "media", "mnt", "opt", "proc", "root", "run", "sbin", "srv", "sys", "tmp", "usr", "var"];

/** What the files kubectl exec users look at hold: the kubelet-managed ones and the web roots. */
function fileContent(ctx: ExecContext, path: string): string {
  const pod = ctx.pod!;
  switch (path) {
    case "/etc/hostname":
      return `${pod.hostname}\n`;
    case "/etc/resolv.conf":
      return `search ${pod.namespace}.svc.${pod.clusterDomain} svc.${pod.clusterDomain} ${pod.clusterDomain}\nnameserver ${pod.dnsIP}\noptions ndots:5\n`;
    case "/etc/hosts":
      return [
        "# Kubernetes-managed hosts file.",
        "127.0.0.1\tlocalhost",
        "::1\tlocalhost ip6-localhost ip6-loopback",
        "fe00::0\tip6-localnet",
        "fe00::0\tip6-mcastprefix",
        "fe00::1\tip6-allnodes",
        "fe00::2\tip6-allrouters",
        `${pod.ip}\t${pod.hostname}`,
        "",
      ].join("\n");
    case "/usr/local/apache2/htdocs/index.html":
      return HTTPD_INDEX;
    case "/usr/share/nginx/html/index.html":
      return NGINX_INDEX;
    case "/etc/passwd":
      return "root:x:0:0:root:/root:/bin/sh\n";
    default:
      return "";
  }
}


/** $VAR and ${VAR} from the container's environment, as the shell expands echo's words. */
function expand(ctx: ExecContext, word: string): string {
  const env = new Map(ctx.pod?.env ?? []);
  return word.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_m, name: string) => env.get(name) ?? "");
}

/** `date` in the C locale, UTC: Wed Nov 25 10:53:25 UTC 2026. */
function goDate(ms: number): string {
  const d = new Date(ms);
  const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const p = (n: number) => String(n).padStart(2, "0");
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** The container's main process (PID 1) and the ps itself. */
function ps(ctx: ExecContext, busybox: boolean): string {
  const cmd = ctx.pod?.command || "sh";
  if (busybox) return `PID   USER     TIME  COMMAND\n    1 root      0:00 ${cmd}\n    7 root      0:00 ps\n`;
  return `    PID TTY          TIME CMD\n      1 ?        00:00:00 ${cmd.split(" ")[0]!.split("/").pop()}\n      7 ?        00:00:00 ps\n`;
}
