// Conformance: the emulated kubectl against the real one (the bundled kubectl
// of the server's minor, for servers v1.32, v1.33 and v1.27), both talking
// HTTPS to the same emulated apiserver. stdout, stderr and the exit code must
// be identical. Skipped when /usr/bin/kubectl is not installed.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClusterRegistry, type RunningApiServer, startApiServerHttps } from "../../src/apiserver/server.ts";
import { createCA, DEFAULT_SERVING_HOSTS, issueServingCert } from "../../src/apiserver/tls.ts";
import { writeKubeconfig } from "../../src/client/kubeconfig.ts";
import { buildFixture, type Fixture } from "./fixture.ts";
import { dumpPair, haveBundled, oracleBinary, runEmulated, runReal, VERSION_CASES } from "./harness.ts";


/** Read-only commands: the same fixture answers both clients. */
export const READ_COMMANDS: string[][] = [
  ["get", "nodes"],
  ["get", "nodes", "-o", "wide"],
  ["get", "no"],
  ["get", "pods"],
  ["get", "pods", "-A"],
  ["get", "pods", "-A", "-o", "wide"],
  ["get", "pod", "-o", "wide"],
  ["get", "po", "--show-labels"],
  ["get", "pods", "--no-headers"],
  ["get", "pods", "-l", "app=test-web"],
  ["get", "pods", "-l", "app=nosuch"],
  ["get", "deployments."],
  ["get", "deployments.apps"],
  ["get", "deploy", "-o", "wide"],
  ["get", "rs"],
  ["get", "rs", "-o", "wide"],
  ["get", "deploy,rs"],
  ["get", "all"],
  ["get", "all", "-A"],
  ["get", "svc", "-A"],
  ["get", "svc", "-n", "kube-system"],
  ["get", "ns"],
  ["get", "events"],
  ["get", "pods", "-n", "nosuch"],
  ["get", "pods", "-A", "-l", "app=nosuch"],
  ["get", "foo"],
  ["get", "pod", "nosuch"],
  ["get", "pod", "nosuch", "other"],
  ["get", "deployment", "test-web"],
  ["get", "deployment/test-web"],
  ["get", "deployment", "test-web", "-o", "yaml"],
  ["get", "deployment", "test-web", "-o", "json"],
  ["get", "deployment", "test-web", "-o", "name"],
  ["get", "pods", "-o", "name"],
  ["get", "pods", "-o", "jsonpath={.items[*].metadata.name}"],
  ["get", "pods", "-o", 'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.status.podIP}{"\\n"}{end}'],
  ["get", "nodes", "-o", "jsonpath={.items[?(@.metadata.name==\"node01\")].status.addresses[0].address}"],
  ["get", "ns", "default", "-o", "yaml"],
  ["get", "svc", "kubernetes", "-o", "yaml"],
  ["get", "pods", "-o", "yaml"],
  ["get", "pods", "-o", "foo"],
  ["get", "events", "--sort-by=.lastTimestamp"],
  ["get", "pods", "-A", "--sort-by=.metadata.name"],
  ["get", "pods", "--sort-by", "{.status.podIP}", "-o", "name"],
  ["get", "nodes", "--sort-by=.metadata.name", "-o", "wide"],
  ["get", "pods", "--sort-by=.nosuch"],
  ["get", "pods", "--sort-by=.nosuch", "-o", "name"],
  ["get", "pods", "--sort-by=.metadata.name", "-o", "jsonpath={.items[*].metadata.name}"],
  ["get", "pods", "-o", "custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[*].image,NODE:spec.nodeName,LABELS:.metadata.labels,X:.nosuch"],
  ["get", "pods", "-o", "custom-columns=NAME:{.metadata.name},PORTS:.spec.containers[0].ports", "--no-headers"],
  ["get", "pods", "-n", "nosuch", "-o", "custom-columns=NAME:.metadata.name"],
  ["get", "nodes", "-o", "custom-columns=NAME"],
  ["get", "deploy", "test-web", "-o", "custom-columns=NAME:.metadata.name,REPLICAS:.spec.replicas"],
  ["get"],
  ["get", "pods", "-x"],
  ["get", "pods", "--bogus"],
  ["get", "pods", "-n"],
  ["get", "pods/x", "deploy"],
  ["get", "pod", "x", "-A"],
  ["run", "x", "--image=httpd", "--replicas=2"],
  ["run", "x"],
  ["scale", "deploy", "x"],
  ["create", "deployment", "x"],
  ["logs"],
  ["delete"],
  ["version"],
  ["cluster-info"],
  ["foo"],
  ["-n", "kube-system", "get", "svc"],
  ["get", "-n", "kube-system", "svc", "kube-dns", "-o", "wide"],
  ["--namespace=kube-system", "get", "svc"],
  ["get", "svc", "-nkube-system"],
  ["get", "pods", "-owide"],
  ["scale", "deployment", "nosuch", "--replicas=3"],
  ["logs", "nosuch"],
  ["describe", "pod", "test-web-7c7cd49dbf-x2k9q"],
  ["describe", "pods"],
  ["describe", "pod", "test-web"],
  ["describe", "deployment", "test-web"],
  ["describe", "rs"],
  ["describe", "node", "node01"],
  ["describe", "node", "master"],
  ["describe", "svc", "kubernetes"],
  ["describe", "svc", "kube-dns", "-n", "kube-system"],
  ["describe", "ns", "default"],
  ["describe", "pod", "nosuch"],
  ["describe"],
  ["describe", "pods", "-l", "app=nosuch"],
  ["describe", "sa", "default"],
  [],
  ["--help"],
  ["get", "--help"],
  ["get", "pods", "-h"],
  ["create", "deployment", "-h"],
  ["logs", "--help"],
  ["version", "-h"],
];

/**
 * Documented differences, by client minor: 1.27's help texts (the emulated
 * kubectl rewrites 1.32's help only into 1.33's wording; 1.27 has other
 * examples and flags). Each is run as `it.fails`, so it is noticed when one
 * starts to match.
 */
export const KNOWN_DIFFERENCES: Record<string, string[]> = {
  "27": ["", "--help", "get --help", "get pods -h", "create deployment -h", "logs --help"],
};

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
    const ca = createCA({ wallClockMs: now });
    const cert = issueServingCert(ca, DEFAULT_SERVING_HOSTS, { wallClockMs: now });
    const clusters = new ClusterRegistry();
    clusters.add("c1", fx.api, token);
    server = await startApiServerHttps({ host: "127.0.0.1", port: 0, clusters, cert });
    writeFileSync(join(dir, "config"), writeKubeconfig({ server: server.url, caPem: ca.certPem, token }));
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const args of READ_COMMANDS) {
    const differs = (KNOWN_DIFFERENCES[vc.minor] ?? []).includes(args.join(" "));
    (differs ? it.fails : it)(`kubectl ${args.join(" ")}${differs ? " (documented difference: help text)" : ""}`, async () => {
      const want = await real(args);
      const got = await emulated(args);
      dumpPair(`read${vc.minor}`, args, want, got);
      expect(got).toEqual(want);
    }, 60_000);
  }
});
