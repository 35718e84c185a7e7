// Conformance for shell completion: `kubectl __complete …` (what the bash
// script `kubectl completion bash` runs on every TAB) through the real
// kubectl 1.32 and the emulated one against the same fixture cluster over
// HTTPS; stdout (candidates and the :directive line) and stderr must match.
// Also: `kubectl completion bash` prints kubectl 1.32's own script.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClusterRegistry, type RunningApiServer, startApiServerHttps } from "../../src/apiserver/server.ts";
import { createCA, DEFAULT_SERVING_HOSTS, issueServingCert } from "../../src/apiserver/tls.ts";
import { writeKubeconfig } from "../../src/client/kubeconfig.ts";
import { buildFixture } from "./fixture.ts";
import { HAVE_KUBECTL, oracleBinary, runEmulated, runReal } from "./harness.ts";

const CASES: string[][] = [
  [""], ["g"], ["get", ""], ["get", "po"], ["get", "pods,s"], ["get", "pods", ""], ["get", "pods", "t"], ["get", "pod", "test-web-7c7cd49dbf-x2k9q", ""],
  ["get", "deploy/"], ["get", "-n", ""], ["get", "-n=kube"], ["get", "--namespace=kube-system", "svc", ""], ["-n", "kube-system", "get", "svc", ""],
  ["get", "-A", "pods", ""], ["get", "--o"], ["get", "-o", ""], ["get", "-o", "j"], ["get", "--"], ["get", "-"], ["describe", "deploy", ""],
  ["describe", "deploy/test-web", ""], ["delete", "pod,svc", ""], ["create", ""], ["create", "deployment", "--"], ["create", "deploy", "x", "--image", ""],
  ["set", ""], ["set", "image", ""], ["set", "image", "deploy", ""], ["set", "image", "deploy/test-web", ""], ["set", "env", ""], ["logs", ""],
  ["logs", "test-web-7c7cd49dbf-x2k9q", ""], ["logs", "deployments/"], ["exec", ""], ["apply", "-f", ""], ["apply", ""], ["label", "deploy", ""],
  ["annotate", "deploy", "test-web", "a", ""], ["scale", ""], ["scale", "deploy", "test-web", ""], ["scale", "deploy/test-web", ""], ["edit", ""],
  ["patch", "deploy", ""], ["rollout", ""], ["rollout", "status", ""], ["cordon", ""], ["top", "node", ""], ["taint", "node", ""], ["config", ""],
  ["version", ""], ["--namespace", ""],
];

describe.skipIf(!HAVE_KUBECTL)("kubectl conformance: shell completion", () => {
  let dir: string;
  let oracle: string;
  let server: RunningApiServer;
  const env = () => ({ HOME: join(dir, "home"), KUBECONFIG: join(dir, "config") });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kubelab-conformance-complete-"));
    mkdirSync(join(dir, "home"), { recursive: true });
    oracle = oracleBinary(dir);
    const wall = Date.now();
    const ca = createCA({ wallClockMs: wall });
    const cert = issueServingCert(ca, DEFAULT_SERVING_HOSTS, { wallClockMs: wall });
    const fx = await buildFixture(wall);
    const clusters = new ClusterRegistry();
    const token = "tok-conformance-0123456789abcdef";
    clusters.add("c", fx.api, token);
    server = await startApiServerHttps({ host: "127.0.0.1", port: 0, clusters, cert });
    writeFileSync(join(dir, "config"), writeKubeconfig({ server: server.url, caPem: ca.certPem, token }));
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("__complete answers what the real kubectl answers", async () => {
    for (const args of CASES) {
      const want = await runReal(oracle, ["__complete", ...args], env());
      const got = await runEmulated(["__complete", ...args], env());
      expect({ args, ...got }).toEqual({ args, ...want });
    }
  }, 120_000);

  it("completion bash prints kubectl's own script", async () => {
    const want = execFileSync(oracle, ["completion", "bash"], { encoding: "utf8" });
    const got = await runEmulated(["completion", "bash"], env());
    expect(got).toEqual({ code: 0, stdout: want, stderr: "" });
  });
});
