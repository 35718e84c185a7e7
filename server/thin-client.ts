// Picks the lab shell's thin client: the C one (thin-client.c), compiled once
// per server start when `cc` exists, else the node one (thin-client.mjs).
// Measured on the dev box (start to exit, no server): C ≈ 1 ms, node ≈ 135 ms; bash's
// /dev/tcp cannot reach a Unix socket, so it was not an option.

import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export interface ThinClient {
  kind: "c" | "node";
  /** The executable (C) or the script run with node. */
  path: string;
}

const here = fileURLToPath(new URL(".", import.meta.url));
export const THIN_CLIENT_SOURCE = join(here, "bin", "thin-client.c");
export const THIN_CLIENT_SCRIPT = join(here, "bin", "thin-client.mjs");

/** Compiles the C client into dir (a private runtime directory); falls back to node. */
export function prepareThinClient(dir: string, options: { preferNode?: boolean } = {}): ThinClient {
  if (!options.preferNode) {
    const out = join(dir, "thin-client");
    try {
      execFileSync("cc", ["-O2", "-o", out, THIN_CLIENT_SOURCE], { stdio: "ignore", timeout: 30_000 });
      // A compiler that produces something unrunnable (cross toolchains, noexec /tmp) must not break the shell.
      try {
        execFileSync(out, [], { stdio: "ignore", timeout: 5_000 });
      } catch (e) {
        if ((e as { status?: number }).status !== 2) throw e;
      }
      return { kind: "c", path: out };
    } catch {
      // No cc, or it failed: the node client speaks the same protocol.
    }
  }
  return { kind: "node", path: THIN_CLIENT_SCRIPT };
}

/** prepareThinClient without blocking: `kubelab serve` compiles while it loads lessons and makes keys. */
export async function prepareThinClientAsync(dir: string): Promise<ThinClient> {
  const run = promisify(execFile);
  const out = join(dir, "thin-client");
  try {
    await run("cc", ["-O2", "-o", out, THIN_CLIENT_SOURCE], { timeout: 30_000 });
    try {
      await run(out, [], { timeout: 5_000 });
    } catch (e) {
      // Run without arguments, the client prints its usage and exits 2.
      if ((e as { code?: number }).code !== 2) throw e;
    }
    return { kind: "c", path: out };
  } catch {
    return { kind: "node", path: THIN_CLIENT_SCRIPT };
  }
}
