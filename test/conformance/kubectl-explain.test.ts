// Conformance for api-versions and explain: the same commands run through the
// real kubectl (the bundled one of the server's minor: 1.32, 1.33, 1.27) and
// the emulated kubectl against one fixture cluster
// served over HTTPS (discovery and OpenAPI v3 from the emulated apiserver);
// stdout, stderr and exit code must match.

import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApiServer } from "../../src/apiserver/server.ts";
import { buildFixture } from "./fixture.ts";
import { dumpPair, haveBundled, oracleBinary, runEmulated, runReal, VERSION_CASES, serveOne } from "./harness.ts";

const STEPS: string[][] = [
  ["api-versions"],
  ["explain", "pods"],
  ["explain", "pod.spec.containers"],
  ["explain", "deployment.spec.strategy"],
  ["explain", "svc", "--recursive"],
  ["explain", "pod.spec", "--recursive"],
  ["explain", "deployments.apps.spec.strategy"],
  ["explain", "deploy", "--api-version=apps/v1"],
  ["explain", "pods.metadata.labels"],
  ["explain", "svc.spec.type"],
  ["explain", "pods.spec.containers.ports"],
  ["explain", "pod.spec.containers.resources.limits"],
  ["explain", "cronjob.spec.jobTemplate"],
  ["explain", "hpa", "--recursive"],
  ["explain", "pods."],
  // errors
  ["explain", "pods.nosuch"],
  ["explain", "pod.spec.nosuch.x"],
  ["explain", "deployment.apps"],
  ["explain", "deploy.v1.apps.spec"],
  ["explain", "nosuch"],
  ["explain"],
  ["explain", "pods", "svc"],
  ["explain", "pods", "--api-version=apps/v1"],
  ["explain", "deploy", "--api-version=v2"],
  ["explain", "deploy", "--api-version=a/b/c"],
  ["explain", "svc", "-o", "yaml"],
  ["explain", "nosuch", "-o", "yaml"],
  // help
  ["explain", "--help"],
  ["api-versions", "-h"],
];

/** Documented differences, by client minor, run as `it.fails`. */
const KNOWN_DIFFERENCES: Record<string, string[]> = {};

for (const vc of VERSION_CASES) describe.skipIf(!haveBundled(vc.minor))(`kubectl conformance: api-versions, explain, server ${vc.server}, kubectl 1.${vc.minor}`, () => {
  let dir: string;
  let oracle: string;
  let server: RunningApiServer;
  const token = "tok-explain-0123456789abcdef";
  const env = () => ({ HOME: join(dir, "home"), KUBECONFIG: join(dir, "config") });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kubelab-conformance-explain-"));
    oracle = oracleBinary(dir, vc.minor);
    mkdirSync(join(dir, "home"), { recursive: true });
    const wall = Date.now();
    // Neither command writes, so one cluster serves both clients.
    server = await serveOne({ dir, api: (await buildFixture(wall, vc.server)).api, token, wallClockMs: wall });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const args of STEPS) {
    const differs = (KNOWN_DIFFERENCES[vc.minor] ?? []).includes(args.join(" "));
    (differs ? it.fails : it)(`kubectl ${args.join(" ")}${differs ? " (documented difference)" : ""}`, async () => {
      const want = await runReal(oracle, args, env());
      const got = await runEmulated(args, env());
      dumpPair(`explain${vc.minor}`, args, want, got);
      expect(got).toEqual(want);
    });
  }
});
