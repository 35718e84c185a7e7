// Conformance for help texts: `kubectl [command] --help` of every command the
// lab implements, as each bundled kubectl 1.27–1.33 prints it, against the
// emulated kubectl's text for that client (1.32's stored text rewritten by
// help-changes.ts). Help needs no server, so the real kubectl runs without one
// and the emulated text is taken for the client directly; the read, ops and
// explain suites run some of these lines end to end (the emulated kubectl
// asking the server's /version to choose the client).

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ClientBehaviour, clientBehaviourFor } from "../../src/kubectl/clientversion.ts";
import { commandHelp, rootHelp } from "../../src/kubectl/help.ts";
import { HELP } from "../../src/kubectl/help-text.ts";
import { OPS_HELP } from "../../src/kubectl/help-text-ops.ts";
import { WRITE_HELP } from "../../src/kubectl/help-text-write.ts";
import { haveBundled, oracleBinary, type Run, runReal } from "./harness.ts";

const MINORS = ["27", "28", "29", "30", "31", "32", "33"];

/**
 * Every command is compared for 1.32 (the stored texts), 1.33 and 1.27 (the
 * newest and oldest client, through every rewrite). 1.28–1.31 compare only
 * the commands whose help they print differently from 1.32, to keep the run
 * short (each comparison starts a real kubectl).
 */
const EVERY_COMMAND = ["27", "32", "33"];

/** Every command with a stored help text; "" is `kubectl` itself. */
const PATHS = [...Object.keys(HELP), ...Object.keys(OPS_HELP), ...Object.keys(WRITE_HELP)];

/** The commands compared for a client: those whose help differs from 1.32's, or all of them. */
function pathsFor(minor: string): string[] {
  if (EVERY_COMMAND.includes(minor)) return PATHS;
  const client = clientBehaviourFor(minor);
  const stored = clientBehaviourFor("32");
  return PATHS.filter((p) => helpText(p, client) !== helpText(p, stored));
}

function helpText(path: string, client: ClientBehaviour): string {
  return path ? commandHelp(path, client) : rootHelp(client);
}

/** Runs `tasks` at most `limit` at a time (each real kubectl is a process). */
async function pooled<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const k = next++;
      out[k] = await tasks[k]!();
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return out;
}

for (const minor of MINORS) describe.skipIf(!haveBundled(minor))(`kubectl conformance: help texts, kubectl 1.${minor} (${pathsFor(minor).length} commands)`, () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "kubelab-conformance-help-"));
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("prints each command's help as that client does", async () => {
    const oracle = oracleBinary(dir, minor);
    const client = clientBehaviourFor(minor);
    // No kubeconfig: help never reaches a server.
    const env = { HOME: dir, KUBECONFIG: join(dir, "none") };
    const paths = pathsFor(minor);
    const real = await pooled(
      paths.map((p) => () => runReal(oracle, [...(p ? p.split(" ") : []), "--help"], env)),
      4,
    );
    for (const [k, path] of paths.entries()) {
      const want: Run = real[k]!;
      const got: Run = { code: 0, stdout: helpText(path, client), stderr: "" };
      expect({ command: `kubectl ${path} --help`, ...got }).toEqual({ command: `kubectl ${path} --help`, ...want });
    }
  }, 120_000);
});
