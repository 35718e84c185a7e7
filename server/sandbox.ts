// `kubelab serve --sandbox`: each session's shell runs inside bubblewrap
// (bwrap), the way Flatpak confines apps, so on a shared classroom server a
// learner's shell sees the system read-only, its own session directory, a
// private /tmp and its own process tree: not other sessions' files, not the
// server's. Leaves out: resource limits (use systemd or cgroups around kubelab).

import { execFileSync } from "node:child_process";
import { lstatSync, readlinkSync } from "node:fs";
import type { SpawnOptions } from "./terminal.ts";

export interface SandboxOptions {
  /** The bwrap executable. */
  bwrap: string;
}

export interface SandboxedShell {
  /** The session's directory (HOME, history, bin/, kubeconfig, exec.sock): bound read-write at the same path. */
  sessionDir: string;
  /** The node the shell starts on: the sandbox's hostname, as on a real node. */
  hostname: string;
  /** Extra files bound read-only at the same path (the thin client outside the session directory). */
  readOnly: string[];
}

/** Top-level directories that are symlinks into /usr on merged-/usr systems and real directories elsewhere. */
const SYSTEM_DIRS = ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

/**
 * The bwrap arguments that confine one shell. Later mounts go on top of
 * earlier ones, so the session directory is bound after the private /tmp it
 * usually lives in (bwrap creates the directories leading to it).
 */
export function bwrapArgs(o: SandboxedShell): string[] {
  const args = ["--ro-bind", "/usr", "/usr"];
  for (const dir of SYSTEM_DIRS) {
    const kind = fileKind(dir);
    if (kind === "symlink") args.push("--symlink", readlinkSync(dir), dir);
    else if (kind === "dir") args.push("--ro-bind", dir, dir);
  }
  args.push(
    "--ro-bind", "/etc", "/etc",
    "--proc", "/proc",
    "--dev", "/dev",
    "--tmpfs", "/tmp",
    "--tmpfs", "/var/tmp",
    "--dir", "/run",
  );
  for (const f of o.readOnly) args.push("--ro-bind", f, f);
  args.push(
    "--bind", o.sessionDir, o.sessionDir,
    // Every namespace: no network (curl is emulated in the server; the exec
    // socket is a path, which works across network namespaces), own PIDs,
    // own hostname.
    "--unshare-all",
    "--hostname", o.hostname,
    "--die-with-parent",
    // Not --new-session: it would detach the shell from its pty, and bash
    // would lose job control (Ctrl-C, Ctrl-Z, fg). What it guards against,
    // TIOCSTI into the controlling terminal, only reaches this same pty.
  );
  return args;
}

/** Wraps the shell's spawn in bwrap; cwd and environment pass through unchanged. */
export function sandboxSpawn(spawn: SpawnOptions, sandbox: SandboxOptions, shell: SandboxedShell): SpawnOptions {
  return { ...spawn, file: sandbox.bwrap, args: [...bwrapArgs(shell), "--chdir", spawn.cwd, "--", spawn.file, ...spawn.args] };
}

/**
 * Checks that bwrap exists and may create namespaces here (containers and
 * some distributions forbid unprivileged user namespaces). Returns why not,
 * with bwrap's own message, or undefined when the sandbox works.
 */
export function sandboxProblem(sandbox: SandboxOptions): string | undefined {
  try {
    execFileSync(sandbox.bwrap, [...bwrapArgs({ sessionDir: "/tmp", hostname: "kubelab", readOnly: [] }), "--", "true"], { stdio: ["ignore", "ignore", "pipe"], timeout: 10_000 });
    return undefined;
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
    if (err.code === "ENOENT") return `${sandbox.bwrap} not found: install bubblewrap (Debian/Ubuntu: apt install bubblewrap)`;
    const said = err.stderr?.toString().trim();
    return said ? said : `${sandbox.bwrap} failed: ${err.message}`;
  }
}

function fileKind(path: string): "symlink" | "dir" | undefined {
  try {
    const st = lstatSync(path);
    return st.isSymbolicLink() ? "symlink" : st.isDirectory() ? "dir" : undefined;
  } catch {
    return undefined;
  }
}
