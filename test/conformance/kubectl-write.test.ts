// Conformance for commands that change the cluster: the same sequence runs
// through the real kubectl 1.32 against one cluster and through the emulated
// kubectl against an identical second cluster (same fixture, same seed); every
// step's stdout, stderr and exit code must match. No controllers run, so
// deletes of pods use --wait=false or --force.

import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClusterRegistry, type RunningApiServer, startApiServerHttps } from "../../src/apiserver/server.ts";
import { createCA, DEFAULT_SERVING_HOSTS, issueServingCert } from "../../src/apiserver/tls.ts";
import { writeKubeconfig } from "../../src/client/kubeconfig.ts";
import { kubectlMain } from "../../src/kubectl/kubectl.ts";
import { captureIO } from "../../src/utils/command.ts";
import { buildFixture, type Fixture } from "./fixture.ts";

const KUBECTL = "/usr/bin/kubectl";

/**
 * The oracle. /usr/bin/kubectl on the lab image is GKE's dispatcher: it asks
 * the server's /version and execs the bundled kubectl of that minor. It also
 * answers some commands itself before dispatching (flag errors as "Error:",
 * required-flag errors as klog lines, `version` as "v1.32.4-dispatcher"), which
 * upstream kubectl never prints. So the test runs the bundled kubectl 1.32
 * directly, through a symlink named `kubectl` so that messages quoting
 * argv[0] read as they do for a user.
 */
function oracleBinary(dir: string): string {
  const bundled = join(dirname(realpathSync(KUBECTL)), "kubectl.1.32");
  if (!existsSync(bundled)) return KUBECTL;
  mkdirSync(join(dir, "bin"), { recursive: true });
  const link = join(dir, "bin", "kubectl");
  symlinkSync(bundled, link);
  return link;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Each step runs on both clusters in order. */
const STEPS: string[][] = [
  ["run", "web", "--image=nginx"],
  ["run", "web", "--image=nginx"],
  ["run", "web2", "--image=nginx", "--port=80", "--labels=tier=front,app=web2", "--env=A=1", "--dry-run=client", "-o", "yaml"],
  ["run", "web3", "--image=busybox", "--restart=Never", "--dry-run=client", "-o", "json", "--", "sleep", "3600"],
  ["run", "web4", "--image=nginx", "--dry-run=client"],
  ["create", "deployment", "api", "--image=httpd", "--replicas=2"],
  ["create", "deployment", "api", "--image=httpd"],
  ["create", "deploy", "multi", "--image=httpd", "--image=redis:7", "--port=8080", "--dry-run=client", "-o", "yaml"],
  ["create", "namespace", "team-a"],
  ["create", "ns", "team-a"],
  ["create", "namespace", "team-b", "--dry-run=client", "-o", "yaml"],
  ["get", "deploy"],
  ["scale", "deployment", "api", "--replicas=3"],
  ["scale", "deploy/api", "--replicas=1"],
  ["get", "deploy", "api", "-o", "jsonpath={.spec.replicas}"],
  ["delete", "deployment", "api"],
  ["delete", "deployment", "api"],
  ["delete", "pod", "web", "--wait=false"],
  ["get", "pods"],
  ["delete", "pod", "web", "--grace-period=0", "--force"],
  ["delete", "pod", "nosuch"],
  ["delete", "pods"],
  ["delete", "pods", "-l", "app=nosuch"],
  ["delete", "ns", "team-a", "--wait=false"],
  ["get", "ns", "team-a"],
  ["get", "pods"],
  // (`run … -o json` is left out: kubectl prints the server's answer as a typed
  // Pod, in Go struct field order, which the emulated kubectl does not know.)
  ["run", "web5", "--image=nginx:1.27", "-o", "yaml"],
  ["create", "deployment", "shop", "--image=nginx", "-o", "yaml"],
  ["create", "deployment", "shop2", "--image=nginx", "-o", "name"],
  ["scale", "deployment", "shop", "--replicas=-1"],
  ["delete", "deploy", "shop", "shop2"],
  ["delete", "deploy,pods", "--all", "--wait=false"],
  ["run", "Bad_Name", "--image=nginx"],
  ["create", "deployment", "Bad_Name", "--image=nginx"],
  ["get", "all"],
];

describe.skipIf(!existsSync(KUBECTL))("kubectl conformance: commands that write", () => {
  let dir: string;
  let oracle: string;
  const servers: RunningApiServer[] = [];
  const token = "tok-conformance-0123456789abcdef";

  function real(args: string[]): Promise<Run> {
    return new Promise((resolve) => {
      execFile(oracle, args, { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: join(dir, "real"), KUBECONFIG: join(dir, "real.config") }, timeout: 60_000 }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  }

  async function emulated(args: string[]): Promise<Run> {
    const io = captureIO({ env: { HOME: join(dir, "emulated"), KUBECONFIG: join(dir, "emulated.config"), PATH: "/usr/bin:/bin" } });
    const code = await kubectlMain(args, io, { now: () => Date.now() });
    return { code, stdout: io.out(), stderr: io.err() };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kubelab-conformance-write-"));
    oracle = oracleBinary(dir);
    const wall = Date.now();
    const ca = createCA({ wallClockMs: wall });
    const cert = issueServingCert(ca, DEFAULT_SERVING_HOSTS, { wallClockMs: wall });
    for (const who of ["real", "emulated"]) {
      mkdirSync(join(dir, who), { recursive: true });
      const fx: Fixture = await buildFixture(wall);
      const clusters = new ClusterRegistry();
      clusters.add(who, fx.api, token);
      const server = await startApiServerHttps({ host: "127.0.0.1", port: 0, clusters, cert });
      servers.push(server);
      writeFileSync(join(dir, `${who}.config`), writeKubeconfig({ server: server.url, caPem: ca.certPem, token }));
    }
  }, 60_000);

  afterAll(async () => {
    for (const s of servers) await s.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("prints what the real kubectl prints at every step", async () => {
    for (const args of STEPS) {
      const want = await real(args);
      const got = await emulated(args);
      expect({ step: args.join(" "), ...got }).toEqual({ step: args.join(" "), ...want });
    }
  }, 120_000);
});
