// Conformance for `kubectl top node|pod`: two identical emulated clusters
// (same seed, same FakeClock time, kubelets reporting usage to the
// metrics.k8s.io API), one read by the real kubectl (the bundled one of the
// server's minor: 1.32, 1.33, 1.27) and one by the emulated kubectl over the
// same HTTPS server. Every step's stdout, stderr
// and exit code must match.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClusterRegistry, type RunningApiServer, startApiServerHttps } from "../../src/apiserver/server.ts";
import { createCA, DEFAULT_SERVING_HOSTS, issueServingCert } from "../../src/apiserver/tls.ts";
import { type Cluster, createCluster } from "../../src/cluster.ts";
import { writeKubeconfig } from "../../src/client/kubeconfig.ts";
import { inProcessTransport } from "../../src/client/transport.ts";
import type { KObject } from "../../src/apimachinery/meta.ts";
import { GVR } from "../../src/client/interface.ts";
import { kubectlMain } from "../../src/kubectl/kubectl.ts";
import { FakeClock } from "../../src/utils/clock.ts";
import { captureIO } from "../../src/utils/command.ts";
import { dumpPair, haveBundled, oracleBinary, runEmulated, runReal, VERSION_CASES } from "./harness.ts";

const STEPS: string[][] = [
  ["top", "nodes"],
  ["top", "node"],
  ["top", "no", "master"],
  ["top", "node", "nosuch"],
  ["top", "nodes", "--sort-by=cpu"],
  ["top", "nodes", "--sort-by=memory"],
  ["top", "nodes", "--sort-by=name"],
  ["top", "nodes", "--no-headers"],
  ["top", "nodes", "--show-capacity"],
  ["top", "nodes", "-l", "node-role.kubernetes.io/control-plane"],
  ["top", "pods"],
  ["top", "pod", "-A"],
  ["top", "pod", "-A", "--containers"],
  ["top", "pods", "-A", "--sort-by=cpu"],
  ["top", "pods", "-A", "--sort-by=memory"],
  ["top", "pods", "-n", "kube-system", "--sort-by=memory", "--containers"],
  ["top", "pods", "-n", "kube-system", "--sum"],
  ["top", "pods", "-A", "--containers", "--sum"],
  ["top", "pods", "--containers"],
  ["top", "pod", "multi"],
  ["top", "pod", "multi", "--containers"],
  ["top", "pod", "nosuch"],
  ["top", "pods", "-l", "app=web"],
  ["top", "pods", "-l", "app=nosuch"],
  ["top", "pods", "-n", "empty"],
  ["top", "pods", "--no-headers"],
];

async function buildCluster(wall: number, version: string): Promise<Cluster> {
  // Start 10 minutes before the wall clock so ages agree with the real kubectl's time.Since.
  const clock = new FakeClock(Math.floor((wall - 10 * 60_000) / 1000) * 1000);
  const cluster = await createCluster({ clock, seed: 11, version });
  await clock.advance(60_000, () => cluster.settle());
  const kubectl = async (args: string[]) => {
    const io = captureIO({ env: { HOME: "/nonexistent" } });
    const code = await kubectlMain(args, io, { transport: inProcessTransport(cluster.api), now: () => clock.now(), clock });
    if (code !== 0) throw new Error(`${args.join(" ")}: ${io.err()}`);
  };
  await kubectl(["create", "deployment", "web", "--image=httpd", "--replicas=2"]);
  await kubectl(["create", "namespace", "empty"]);
  const multi = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "multi", labels: { app: "multi" } },
    spec: {
      containers: [
        { name: "web", image: "nginx" },
        { name: "sidecar", image: "busybox", command: ["sleep", "3600"] },
      ],
    },
  } as unknown as KObject;
  await cluster.client("kubernetes-admin").resource(GVR.pods).create(multi, "default");
  await clock.advance(120_000, () => cluster.settle());
  return cluster;
}

/** Documented differences, by client minor, run as `it.fails`. */
const KNOWN_DIFFERENCES: Record<string, string[]> = {};

for (const vc of VERSION_CASES) describe.skipIf(!haveBundled(vc.minor))(`kubectl conformance: top, server ${vc.server}, kubectl 1.${vc.minor}`, () => {
  let dir: string;
  let oracle: string;
  let server: RunningApiServer;
  const clusters: Cluster[] = [];
  const tokens = { real: "tok-top-real-0123456789abcdef", emulated: "tok-top-emulated-0123456789ab" };

  const real = (args: string[]) => runReal(oracle, args, { HOME: join(dir, "real"), KUBECONFIG: join(dir, "real.config") });
  const emulated = (args: string[]) => runEmulated(args, { HOME: join(dir, "emulated"), KUBECONFIG: join(dir, "emulated.config") });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kubelab-conformance-top-"));
    oracle = oracleBinary(dir, vc.minor);
    const wall = Date.now();
    const ca = createCA({ wallClockMs: wall });
    const cert = issueServingCert(ca, DEFAULT_SERVING_HOSTS, { wallClockMs: wall });
    const registry = new ClusterRegistry();
    for (const who of ["real", "emulated"] as const) {
      mkdirSync(join(dir, who), { recursive: true });
      const c = await buildCluster(wall, vc.server);
      clusters.push(c);
      registry.add(who, c.api, tokens[who]);
    }
    server = await startApiServerHttps({ host: "127.0.0.1", port: 0, clusters: registry, cert });
    for (const who of ["real", "emulated"] as const) {
      writeFileSync(join(dir, `${who}.config`), writeKubeconfig({ server: server.url, caPem: ca.certPem, token: tokens[who] }));
    }
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    for (const c of clusters) c.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const args of STEPS) {
    const differs = (KNOWN_DIFFERENCES[vc.minor] ?? []).includes(args.join(" "));
    (differs ? it.fails : it)(`kubectl ${args.join(" ")}${differs ? " (documented difference)" : ""}`, async () => {
      const want = await real(args);
      const got = await emulated(args);
      dumpPair(`top${vc.minor}`, args, want, got);
      expect(got).toEqual(want);
    });
  }

  it("prints <unknown> for a node whose kubelet is down", async () => {
    for (const c of clusters) c.hosts.get("node02")!.stop("kubelet");
    for (const args of [["top", "nodes"], ["top", "nodes", "--no-headers"], ["top", "node", "node02"]]) {
      const want = await real(args);
      const got = await emulated(args);
      if (process.env.TOP_DUMP) console.log(`$ kubectl ${args.join(" ")} (${got.code})\n${got.stdout}${got.stderr}`);
      expect({ step: args.join(" "), ...got }).toEqual({ step: args.join(" "), ...want });
    }
  });

  it("reads usage in line with each image's footprint", async () => {
    const got = await emulated(["top", "pods", "-n", "kube-system", "--no-headers"]);
    const row = (prefix: string) => got.stdout.split("\n").find((l) => l.startsWith(prefix))!.split(/\s+/);
    expect(Number(row("kube-apiserver-master")[1]!.replace("m", ""))).toBeGreaterThanOrEqual(30);
    expect(Number(row("etcd-master")[2]!.replace("Mi", ""))).toBeGreaterThanOrEqual(25);
  });
});
