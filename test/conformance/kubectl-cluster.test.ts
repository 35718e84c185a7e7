// Conformance on a whole emulated cluster (createCluster: kubeadm objects,
// controllers, scheduler, kubelets, flannel): a deployment test-web with two
// httpd replicas is created and settles, then each read command runs through
// the real kubectl (the bundled one of the server's minor: 1.32, 1.33,
// 1.27) and the emulated one over HTTPS; stdout, stderr and
// exit code must be identical.
// Time: the cluster's FakeClock starts 9½ hours before the wall clock, so the
// ages kubectl computes itself (describe's event and pod ages) read "9h" for
// both clients however long the run takes; the server's AGE cells come from
// the cluster clock and are the same bytes for both.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApiServer } from "../../src/apiserver/server.ts";
import { type Cluster, createCluster } from "../../src/cluster.ts";
import { GVR } from "../../src/client/interface.ts";
import { inProcessTransport } from "../../src/client/transport.ts";
import { kubectlMain } from "../../src/kubectl/kubectl.ts";
import { captureIO } from "../../src/utils/command.ts";
import { FakeClock } from "../../src/utils/clock.ts";
import { dumpPair, haveBundled, oracleBinary, type Run, runEmulated, runReal, VERSION_CASES, serveOne } from "./harness.ts";

export const CLUSTER_COMMANDS: string[][] = [
  ["get", "nodes"],
  ["get", "nodes", "-o", "wide"],
  ["get", "pods"],
  ["get", "pods", "-o", "wide"],
  ["get", "pods", "-A"],
  ["get", "pods", "-A", "-o", "wide"],
  ["get", "deployments."],
  ["get", "deploy", "-A", "-o", "wide"],
  ["get", "rs"],
  ["get", "all"],
  ["get", "all", "-A"],
  ["get", "svc", "-A"],
  ["get", "ep", "-A"],
  ["get", "ds", "-A"],
  ["get", "ns"],
  ["get", "events"],
  ["get", "events", "-A", "--sort-by=.metadata.creationTimestamp"],
  ["get", "pods", "-A", "--sort-by=.spec.nodeName", "-o", "wide"],
  ["get", "lease", "-n", "kube-node-lease"],
  ["get", "cm", "-A"],
  ["get", "sa", "-A"],
  ["get", "endpointslices", "-A"],
  ["get", "pods", "-n", "nosuch"],
  ["get", "foo"],
  ["get", "pod", "nosuch"],
  ["get", "deploy", "test-web", "-o", "yaml"],
  ["get", "nodes", "-o", "jsonpath={.items[*].status.addresses[0].address}"],
  ["describe", "deployment", "test-web"],
  ["describe", "rs"],
  ["describe", "pods"],
  ["describe", "node", "node01"],
  ["describe", "node", "master"],
  ["describe", "svc", "kube-dns", "-n", "kube-system"],
  ["describe", "svc", "kubernetes"],
  ["describe", "ns", "kube-system"],
  ["describe", "deploy", "coredns", "-n", "kube-system"],
  ["describe", "ds", "-n", "kube-system"],
  ["describe", "ds", "kube-flannel-ds", "-n", "kube-flannel"],
  ["describe", "pod", "-n", "kube-system", "etcd-master"],
  ["describe", "pod", "-n", "kube-system", "kube-proxy"],
  ["describe", "pod", "-n", "kube-flannel"],
  ["describe", "lease", "node01", "-n", "kube-node-lease"],
  ["describe", "ep", "kubernetes"],
  ["logs", "deployment/test-web"],
  ["version"],
  ["cluster-info"],
  ["api-resources"],
];

/**
 * Documented differences, by client minor, run as `it.fails`: 1.27's describe
 * service lists Endpoints from the Endpoints object in its own address order.
 */
export const CLUSTER_KNOWN_DIFFERENCES: Record<string, string[]> = {
  "27": ["describe svc kube-dns -n kube-system"],
};

/**
 * Compared as sets of lines, by client minor: 1.33 orders rows with equal
 * --sort-by keys differently from 1.32 (the emulated kubectl keeps 1.32's
 * order). Whether the orders happen to agree depends on the rows' names, so
 * an exact comparison would pass or fail by chance; the rows must still be
 * the same, and sorted by the key.
 */
const ORDER_OF_EQUAL_KEYS: Record<string, string[]> = {
  "33": ["get events -A --sort-by=.metadata.creationTimestamp", "get pods -A --sort-by=.spec.nodeName -o wide"],
};

const lineSet = (r: Run): Run => ({ ...r, stdout: r.stdout.split("\n").sort().join("\n") });

for (const vc of VERSION_CASES) describe.skipIf(!haveBundled(vc.minor))(`kubectl conformance on a full cluster, server ${vc.server}, kubectl 1.${vc.minor} (${CLUSTER_COMMANDS.length} commands)`, () => {
  let dir: string;
  let oracle: string;
  let server: RunningApiServer;
  let cluster: Cluster;
  const token = "tok-conformance-cluster-0123456789";
  const env = () => ({ HOME: dir, KUBECONFIG: join(dir, "config") });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kubelab-conformance-cluster-"));
    oracle = oracleBinary(dir, vc.minor);
    const wall = Date.now();
    const clock = new FakeClock(wall - 9.5 * 3600_000);
    cluster = await createCluster({ clock, seed: 1, version: vc.server });
    await clock.advance(60_000, () => cluster.settle());
    const io = captureIO({ env: { HOME: dir } });
    const code = await kubectlMain(["create", "deployment", "test-web", "--image=httpd", "--replicas=2"], io, { transport: inProcessTransport(cluster.api), now: () => clock.now() });
    if (code !== 0) throw new Error(io.err());
    await clock.advance(120_000, () => cluster.settle());
    const pods = await cluster.client("test").resource(GVR.pods).list("default");
    if (pods.items.length !== 2) throw new Error(`expected 2 pods, found ${pods.items.length}`);
    server = await serveOne({ dir, api: cluster.api, token, wallClockMs: wall });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const args of CLUSTER_COMMANDS) {
    const differs = (CLUSTER_KNOWN_DIFFERENCES[vc.minor] ?? []).includes(args.join(" "));
    (differs ? it.fails : it)(`kubectl ${args.join(" ")}${differs ? " (documented difference)" : ""}`, async () => {
      const want = await runReal(oracle, args, env());
      const got = await runEmulated(args, env());
      dumpPair(`cluster${vc.minor}`, args, want, got);
      if ((ORDER_OF_EQUAL_KEYS[vc.minor] ?? []).includes(args.join(" "))) expect(lineSet(got)).toEqual(lineSet(want));
      else expect(got).toEqual(want);
    }, 60_000);
  }
});
