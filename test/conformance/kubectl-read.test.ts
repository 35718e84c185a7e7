// Conformance: the emulated kubectl against the real one (the bundled kubectl
// of the server's minor, for servers v1.32, v1.33 and v1.27), both talking
// HTTPS to the same emulated apiserver. stdout, stderr and the exit code must
// be identical. Skipped when /usr/bin/kubectl is not installed.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApiServer } from "../../src/apiserver/server.ts";
import { buildFixture, type Fixture } from "./fixture.ts";
import { dumpPair, haveBundled, oracleBinary, runEmulated, runReal, VERSION_CASES, serveOne } from "./harness.ts";
import { READ_COMMANDS } from "./read-corpus.ts";


/**
 * Documented differences, by client minor, run as `it.fails`, so it is
 * noticed when one starts to match. None: help texts are each client's own
 * (help-changes.ts), `kubectl` with no command included, as the dispatcher
 * asks the server for that too.
 */
export const KNOWN_DIFFERENCES: Record<string, string[]> = {};

for (const vc of VERSION_CASES) describe.skipIf(!haveBundled(vc.minor))(`kubectl conformance: read commands, server ${vc.server}, kubectl 1.${vc.minor} (${READ_COMMANDS.length} commands)`, () => {
  let dir: string;
  let server: RunningApiServer;
  let fx: Fixture;
  let oracle: string;
  const token = "tok-conformance-0123456789abcdef";

  const env = () => ({ HOME: dir, KUBECONFIG: join(dir, "config") });
  const real = (args: string[]) => runReal(oracle, args, env());
  const emulated = (args: string[]) => runEmulated(args, env());

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kubelab-conformance-"));
    oracle = oracleBinary(dir, vc.minor);
    fx = await buildFixture(Date.now(), vc.server);
    const now = Date.now();
    server = await serveOne({ dir, api: fx.api, token, wallClockMs: now });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const args of READ_COMMANDS) {
    const differs = (KNOWN_DIFFERENCES[vc.minor] ?? []).includes(args.join(" "));
    (differs ? it.fails : it)(`kubectl ${args.join(" ")}${differs ? " (documented difference)" : ""}`, async () => {
      const want = await real(args);
      const got = await emulated(args);
      dumpPair(`read${vc.minor}`, args, want, got);
      expect(got).toEqual(want);
    }, 60_000);
  }
});
