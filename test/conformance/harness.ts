// Shared by the kubectl conformance suites: the oracle binary, a runner for
// it and one for the emulated kubectl, each against a kubeconfig on disk.

import { execFile } from "node:child_process";
import { existsSync, mkdirSync, realpathSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { kubectlMain } from "../../src/kubectl/kubectl.ts";
import { captureIO } from "../../src/utils/command.ts";

export const KUBECTL = "/usr/bin/kubectl";
export const HAVE_KUBECTL = existsSync(KUBECTL);

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
 * upstream kubectl never prints. So the suites run the bundled kubectl 1.32
 * directly, through a symlink named `kubectl` so that messages quoting
 * argv[0] read as they do for a user.
 */
export function oracleBinary(dir: string): string {
  const bundled = join(dirname(realpathSync(KUBECTL)), "kubectl.1.32");
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
