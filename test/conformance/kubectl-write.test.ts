// Conformance for commands that change the cluster: the same sequence runs
// through the real kubectl (the bundled one of the server's minor: 1.32, 1.33,
// 1.27) against one cluster and through the emulated kubectl against an
// identical second cluster (same fixture, same seed); every step's stdout,
// stderr and exit code must match. No controllers run, so
// deletes of pods use --wait=false or --force.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildFixture } from "./fixture.ts";
import { dumpPair, haveBundled, runEmulated, runReal, VERSION_CASES, useTwinServers } from "./harness.ts";


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
  ["create", "deploy", "multi", "--image=httpd", "--image=redis:7", "--dry-run=client", "-o", "json"],
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
  ["create", "deployment", "front", "--image=nginx", "--port=80"],
  ["expose", "deployment", "front"],
  ["expose", "deployment", "front"],
  ["expose", "deploy", "front", "--port=8080", "--target-port=80", "--name=front-alt", "--type=NodePort", "--dry-run=client", "-o", "yaml"],
  ["expose", "deploy", "test-web"],
  ["expose", "deploy", "test-web", "--port=80", "--name=web-svc"],
  ["expose", "pod", "test-web-7c7cd49dbf-x2k9q", "--port=8080", "--name=one-pod", "--dry-run=client", "-o", "json"],
  ["get", "svc"],
  ["expose", "deploy", "nosuch", "--port=80"],
];

/**
 * Documented differences, by client minor, run as `it.fails` (the steps are
 * 1-based positions in STEPS, as a command line may repeat).
 */
const KNOWN_DIFFERENCES: Record<string, number[]> = {};

for (const vc of VERSION_CASES) describe.skipIf(!haveBundled(vc.minor))(`kubectl conformance: commands that write, server ${vc.server}, kubectl 1.${vc.minor}`, () => {
  const suite = useTwinServers({ name: "write", minor: vc.minor, build: (wall) => buildFixture(wall, vc.server) });
  const real = (args: string[]) => runReal(suite.oracle, args, { HOME: join(suite.dir, "real"), KUBECONFIG: join(suite.dir, "real.config") });
  const emulated = (args: string[]) => runEmulated(args, { HOME: join(suite.dir, "emulated"), KUBECONFIG: join(suite.dir, "emulated.config") });

  for (const [k, args] of STEPS.entries()) {
    const differs = (KNOWN_DIFFERENCES[vc.minor] ?? []).includes(k + 1);
    (differs ? it.fails : it)(`${k + 1}: kubectl ${args.join(" ")}${differs ? " (documented difference)" : ""}`, async () => {
      const want = await real(args);
      const got = await emulated(args);
      dumpPair(`write${vc.minor}-${k + 1}`, args, want, got);
      expect(got).toEqual(want);
    });
  }
});
