// Conformance for `kubectl explain --output=plaintext-openapiv2`: the real
// kubectl 1.32 and the emulated one read the emulated apiserver's /openapi/v2
// (protobuf for the real one, JSON for ours) over HTTPS and must print the
// same stdout, stderr and exit code.

import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApiServer } from "../../src/apiserver/server.ts";
import { buildFixture } from "./fixture.ts";
import { dumpPair, HAVE_KUBECTL, oracleBinary, runEmulated, runReal, serveOne } from "./harness.ts";

const V2 = "--output=plaintext-openapiv2";
const STEPS: string[][] = [
  ["explain", "pods", V2],
  ["explain", "pods", "-o", "plaintext-openapiv2"],
  ["explain", "pods.spec.containers", V2],
  ["explain", "pods.spec.containers.ports", V2],
  ["explain", "pods.spec.containers.name", V2],
  ["explain", "pods.metadata.labels", V2],
  ["explain", "pods.metadata.creationTimestamp", V2],
  ["explain", "pod.spec.containers.resources.limits", V2],
  ["explain", "svc.spec.type", V2],
  ["explain", "deploy.spec.strategy", "--recursive", V2],
  ["explain", "pods.spec", "--recursive", V2],
  ["explain", "svc", "--recursive", V2],
  ["explain", "nodes.status", "--recursive", V2],
  ["explain", "deployments.apps.spec", V2],
  ["explain", "deploy", "--api-version=apps/v1", V2],
  ["explain", "hpa", "--api-version=autoscaling/v1", V2],
  ["explain", "cronjob.spec.jobTemplate", V2],
  ["explain", "controllerrevisions", V2],
  ["explain", "controllerrevisions.data", V2],
  ["explain", "pods.metadata.managedFields.fieldsV1", V2],
  ["explain", "ingress.spec.rules.http.paths.backend", "--recursive", V2],
  ["explain", "pods.", V2],
  // a primitive or a map ends the walk, whatever follows
  ["explain", "pods.spec.nodeName.foo", V2],
  ["explain", "pods.metadata.labels.foo", V2],
  // errors
  ["explain", "pods.nosuch", V2],
  ["explain", "pod.spec.nosuch.x", V2],
  ["explain", "deployment.apps", V2],
  ["explain", "pods", "--api-version=v2", V2],
  ["explain", "pods", "--api-version=apps/v1", V2],
  ["explain", "deploy", "--api-version=a/b/c", V2],
  ["explain", "nosuch", V2],
  ["explain", V2],
  ["explain", "pods", "svc", V2],
];

describe.skipIf(!HAVE_KUBECTL)("kubectl conformance: explain --output=plaintext-openapiv2", () => {
  let dir: string;
  let oracle: string;
  let server: RunningApiServer;
  const token = "tok-explainv2-0123456789abcdef";
  const env = () => ({ HOME: join(dir, "home"), KUBECONFIG: join(dir, "config") });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kubelab-conformance-explain-v2-"));
    oracle = oracleBinary(dir);
    mkdirSync(join(dir, "home"), { recursive: true });
    const wall = Date.now();
    // Neither command writes, so one cluster serves both clients.
    server = await serveOne({ dir, api: (await buildFixture(wall)).api, token, wallClockMs: wall });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("prints what the real kubectl prints for every command", async () => {
    for (const args of STEPS) {
      const want = await runReal(oracle, args, env());
      const got = await runEmulated(args, env());
      dumpPair("explain-v2", args, want, got);
      expect({ step: args.join(" "), ...got }).toEqual({ step: args.join(" "), ...want });
    }
  }, 180_000);
});
