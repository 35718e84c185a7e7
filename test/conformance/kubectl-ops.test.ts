// Conformance for rollout, cordon/uncordon/drain, taint, wait, top, auth and config: the
// same steps run through the real kubectl (the bundled one of the server's
// minor: 1.32, 1.33, 1.27) against one fixture cluster and
// through the emulated kubectl against an identical second one (both served
// by one HTTPS server, told apart by their tokens, so the kubeconfigs differ
// only in the token that `config view` redacts). Every step's stdout, stderr
// and exit code must match. No controllers run: rollouts do not progress, and
// drain uses --grace-period=0 so evicted pods go at once.
// Not here: exec (the real kubectl needs a SPDY/WebSocket upgrade this
// apiserver does not serve).

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClusterRegistry, type RunningApiServer, startApiServerHttps } from "../../src/apiserver/server.ts";
import { createCA, DEFAULT_SERVING_HOSTS, issueServingCert } from "../../src/apiserver/tls.ts";
import { writeKubeconfig } from "../../src/client/kubeconfig.ts";
import { buildFixture } from "./fixture.ts";
import { dumpPair, haveBundled, oracleBinary, runEmulated, runReal, VERSION_CASES } from "./harness.ts";

const POD = "test-web-7c7cd49dbf-x2k9q";

const STEPS: string[][] = [
  // rollout
  ["rollout"],
  ["rollout", "foo"],
  ["rollout", "status", "deployment/test-web"],
  ["rollout", "status", "deploy", "test-web"],
  ["rollout", "status", "deploy/nosuch"],
  ["rollout", "status"],
  ["rollout", "status", `pod/${POD}`],
  ["rollout", "history", "deployment/test-web"],
  ["rollout", "history", "deployment/test-web", "--revision=1"],
  ["rollout", "history", "deployment/test-web", "--revision=3"],
  ["rollout", "undo", "deployment/test-web"],
  ["rollout", "undo", "deployment/test-web", "--to-revision=5"],
  ["rollout", "undo", "deployment/test-web", "--to-revision=1"],
  ["rollout", "resume", "deployment/test-web"],
  ["rollout", "pause", "deployment/test-web"],
  ["rollout", "pause", "deployment/test-web"],
  ["rollout", "restart", "deployment/test-web"],
  ["rollout", "undo", "deployment/test-web"],
  ["rollout", "resume", "deployment/test-web"],
  ["get", "deploy", "test-web", "-o", "jsonpath={.spec.paused}"],
  ["rollout", "restart", "deployment/test-web"],
  ["rollout", "status", "deployment/test-web", "--watch=false"],
  ["rollout", "pause", `pod/${POD}`],
  ["rollout", "restart", `pod/${POD}`],
  // wait
  ["wait"],
  ["wait", "--for=condition=Ready", `pod/${POD}`],
  ["wait", "--for=condition=ready", "pods", POD, "test-web-7c7cd49dbf-z8h4m"],
  ["wait", "--for=condition=Ready", "pod", "-l", "app=test-web"],
  ["wait", "--for=condition=Ready=false", `pod/${POD}`, "--timeout=3s"],
  ["wait", "--for=jsonpath={.status.phase}=Running", `pod/${POD}`],
  ["wait", "--for=jsonpath={.status.phase}=Pending", `pod/${POD}`, "--timeout=0"],
  ["wait", "--for=jsonpath={.status.phase}", `pod/${POD}`],
  ["wait", "--for=delete", "pod/nosuch"],
  ["wait", "--for=delete", `pod/${POD}`, "--timeout=3s"],
  ["wait", "--for=condition=Ready", "pod/nosuch"],
  ["wait", "--for=foo", "pod/nosuch"],
  ["wait", "--for=condition=Ready", "pod"],
  ["wait", "--for=condition=Ready", "pod", "-l", "app=nosuch"],
  // taint
  ["taint"],
  ["taint", "nodes"],
  ["taint", "nodes", "node01", "app=web:NoSchedule"],
  ["taint", "nodes", "node01", "app=web:NoSchedule"],
  ["taint", "nodes", "node01", "app=db:NoSchedule", "--overwrite"],
  ["taint", "node", "node01", "gpu:NoExecute"],
  ["get", "node", "node01", "-o", "jsonpath={.spec.taints}"],
  ["taint", "nodes", "node01", "app-"],
  ["taint", "nodes", "node01", "app-"],
  ["taint", "nodes", "node01", "gpu:NoExecute-"],
  ["taint", "nodes", "node01", "x=y:Bad"],
  ["taint", "nodes", "node01", "x=y"],
  ["taint", "pods", "node01", "x=y:NoSchedule"],
  ["taint", "nodes", "node01", "a=b:NoSchedule", "a-"],
  ["taint", "nodes", "nosuch", "a=b:NoSchedule"],
  ["taint", "nodes", "a=b:NoSchedule", "node01"],
  ["taint", "nodes", "--all", "z=1:PreferNoSchedule"],
  ["taint", "nodes", "master", "node-role.kubernetes.io/control-plane:NoSchedule-"],
  ["get", "nodes", "-o", "jsonpath={.items[*].spec.taints}"],
  // cordon, uncordon, drain
  ["cordon"],
  ["cordon", "node01"],
  ["cordon", "node01"],
  ["uncordon", "node01"],
  ["uncordon", "node01"],
  ["cordon", "nosuch"],
  ["cordon", "node01", "--dry-run=client"],
  ["drain", "node01", "--dry-run=client"],
  ["drain", "node01", "--grace-period=0"],
  ["get", "pods"],
  ["drain", "node01"],
  ["get", "nodes"],
  ["uncordon", "-l", "kubernetes.io/hostname=node01"],
  // top: no metrics-server on a kubeadm cluster
  ["top", "nodes"],
  ["top", "pod", "-A", "--containers"],
  ["top"],
  // help
  ["rollout", "status", "--help"],
  ["drain", "-h"],
  ["config", "view", "--help"],
  // auth
  ["auth", "can-i", "get", "pods"],
  ["auth", "can-i", "delete", "nodes"],
  ["auth", "can-i", "get", "nodes", "-A"],
  ["auth", "can-i", "list", "foo"],
  ["auth", "can-i", "frob", "pods"],
  ["auth", "can-i", "get", "/logs"],
  ["auth", "can-i", "get", `pods/${POD}`],
  ["auth", "can-i", "get", "pods", "-q"],
  ["auth", "can-i", "*", "*"],
  ["auth", "can-i", "get"],
  ["auth", "can-i", "get", "pods", "--subresource=log"],
  ["auth", "whoami"],
  // config
  ["config", "view"],
  ["config", "view", "--minify"],
  ["config", "view", "-o", "json"],
  ["config", "view", "--raw", "-o", "jsonpath={.users[0].name}"],
  ["config", "get-contexts"],
  ["config", "get-contexts", "-o", "name"],
  ["config", "get-contexts", "nosuch"],
  ["config", "current-context"],
  ["config", "set-context", "--current", "--namespace=kube-system"],
  ["config", "view", "--minify"],
  ["get", "pods"],
  ["config", "set-context", "dev", "--cluster=kubernetes", "--user=kubernetes-admin", "--namespace=dev"],
  ["config", "get-contexts"],
  ["config", "use-context", "dev"],
  ["config", "use-context", "nosuch"],
  ["config", "current-context"],
  ["config", "use", "kubernetes-admin@kubernetes"],
  ["config", "set-context", "--current", "--namespace="],
  ["config", "view"],
  ["config", "use-context"],
  ["config", "set-context"],
];

/**
 * Documented differences, by client minor, run as `it.fails` (1-based
 * positions in STEPS, as a command line may repeat).
 */
const KNOWN_DIFFERENCES: Record<string, number[]> = {};

/**
 * Steps that wait out a --timeout (3s on each cluster): the client-side
 * timeout is the same for every client, so they run against 1.32 only, to
 * keep the three-version run short.
 */
const ONLY_ON_1_32 = [29, 34];

for (const vc of VERSION_CASES) describe.skipIf(!haveBundled(vc.minor))(`kubectl conformance: rollout, node maintenance, wait, auth, config, server ${vc.server}, kubectl 1.${vc.minor}`, () => {
  let dir: string;
  let oracle: string;
  let server: RunningApiServer;
  const tokens = { real: "tok-ops-real-0123456789abcdef", emulated: "tok-ops-emulated-0123456789ab" };

  const real = (args: string[]) => runReal(oracle, args, { HOME: join(dir, "real"), KUBECONFIG: join(dir, "real.config") });
  const emulated = (args: string[]) => runEmulated(args, { HOME: join(dir, "emulated"), KUBECONFIG: join(dir, "emulated.config") });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kubelab-conformance-ops-"));
    oracle = oracleBinary(dir, vc.minor);
    const wall = Date.now();
    const ca = createCA({ wallClockMs: wall });
    const cert = issueServingCert(ca, DEFAULT_SERVING_HOSTS, { wallClockMs: wall });
    const clusters = new ClusterRegistry();
    for (const who of ["real", "emulated"] as const) {
      mkdirSync(join(dir, who), { recursive: true });
      clusters.add(who, (await buildFixture(wall, vc.server)).api, tokens[who]);
    }
    server = await startApiServerHttps({ host: "127.0.0.1", port: 0, clusters, cert });
    for (const who of ["real", "emulated"] as const) {
      writeFileSync(join(dir, `${who}.config`), writeKubeconfig({ server: server.url, caPem: ca.certPem, token: tokens[who] }));
    }
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const [k, args] of STEPS.entries()) {
    if (vc.minor !== "32" && ONLY_ON_1_32.includes(k + 1)) continue;
    const differs = (KNOWN_DIFFERENCES[vc.minor] ?? []).includes(k + 1);
    (differs ? it.fails : it)(`${k + 1}: kubectl ${args.join(" ")}${differs ? " (documented difference)" : ""}`, async () => {
      const want = await real(args);
      // When a wait times out, client-go sometimes logs its watch being cut
      // short (a klog line, depending on how the deadline falls): not kubectl's output.
      want.stderr = want.stderr.replace(/^[EWI]\d{4} \d\d:\d\d:\d\d\.\d+ .*\n/gm, "");
      const got = await emulated(args);
      dumpPair(`ops${vc.minor}-${k + 1}`, args, want, got);
      if (args[0] === "drain") {
        // Upstream evicts and waits in one goroutine per pod, so the order of
        // the "evicting"/"evicted" lines varies from run to run: compare them as sets.
        const sorted = (t: string) => t.split("\n").sort().join("\n");
        want.stdout = sorted(want.stdout);
        got.stdout = sorted(got.stdout);
      }
      expect(got).toEqual(want);
    });
  }
});
