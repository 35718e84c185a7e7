// What a command run with CRI ExecSync (exec probes, `crictl exec`) answers
// inside an emulated container: file tests against the files the image ships
// and the container's script has touched or removed so far (cat, ls, test,
// [ ), true/false/exit, and the health commands of well-known images
// (redis-cli ping, pg_isready). Messages are busybox's in busybox/alpine
// images and coreutils' elsewhere.
// Leaves out: pipes and real shell; any other command in the image succeeds
// with no output, as health scripts of images we do not model would.

import type { FileChange } from "./behaviour.ts";

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
    case "ls": {
      const missing = paths.find((p) => !exists(ctx, p));
      if (!missing) return ok(bin === "ls" ? `${paths.join("\n")}\n` : "");
      if (bin === "cat") return fail(1, busybox ? `cat: can't open '${missing}': No such file or directory\n` : `cat: ${missing}: No such file or directory\n`);
      return fail(busybox ? 1 : 2, busybox ? `ls: ${missing}: No such file or directory\n` : `ls: cannot access '${missing}': No such file or directory\n`);
    }
    case "test":
    case "[": {
      const ops = args.filter((a) => a !== "]");
      const flag = ops.length === 2 ? ops[0] : undefined;
      const path = ops.at(-1) ?? "";
      if (flag && !["-f", "-e", "-d", "-s", "-r"].includes(flag)) return ok();
      return exists(ctx, path) ? ok() : fail(1, "");
    }
    case "redis-cli":
      return ok("PONG\n");
    case "pg_isready":
      return ok("/var/run/postgresql:5432 - accepting connections\n");
    default:
      return ok();
  }
}
