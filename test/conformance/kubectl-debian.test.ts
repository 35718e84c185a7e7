// Conformance against Debian's kubectl 1.20 (package kubernetes-client,
// 1.20.5+really1.20.2), the kubectl `apt install` gives: a cluster reporting
// v1.20.2 makes the emulated kubectl act as 1.20 (clientversion.ts). The read
// corpus runs against one cluster; the write steps run through the real
// kubectl on one cluster and the emulated one on an identical twin. 1.20 reads
// legacy discovery and validates create -f/apply -f on the client against
// /openapi/v2 (protobuf), so these steps also prove the apiserver serves an old
// client. Skipped when the Debian binary is not unpacked (.ci/run does it).

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClusterRegistry, type RunningApiServer, startApiServerHttps } from "../../src/apiserver/server.ts";
import { createCA, DEFAULT_SERVING_HOSTS, issueServingCert } from "../../src/apiserver/tls.ts";
import { writeKubeconfig } from "../../src/client/kubeconfig.ts";
import { buildFixture } from "./fixture.ts";
import { DEBIAN_KUBECTL_120, dumpPair, HAVE_DEBIAN_KUBECTL_120, runEmulated, runReal } from "./harness.ts";
import { READ_COMMANDS } from "./read-corpus.ts";

const SERVER = "v1.20.2";

/** Read command lines where the emulated kubectl does not print what 1.20 prints (docs/fidelity.md); each runs as it.fails. */
const READ_DIFFERENCES: Record<string, string> = Object.fromEntries(
  // 1.20 prints each flag on one line ("--client=false: If true, …") and has other examples and wording.
  ["", "--help", "get --help", "get pods -h", "create deployment -h", "logs --help", "version -h"].map((line) => [line, "1.20's help text"]),
);

/** Manifests the write steps read with -f; both clusters read the same paths. */
const MANIFESTS: Record<string, string> = {
  "cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\ndata:\n  mode: blue\n",
  "cm2.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\ndata:\n  mode: green\n  extra: \"1\"\n",
  "deploy.yaml": [
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    "  name: shop",
    "  labels:",
    "    app: shop",
    "spec:",
    "  replicas: 2",
    "  selector:",
    "    matchLabels:",
    "      app: shop",
    "  template:",
    "    metadata:",
    "      labels:",
    "        app: shop",
    "    spec:",
    "      containers:",
    "      - name: nginx",
    "        image: nginx:1.25",
    "        ports:",
    "        - containerPort: 80",
    "",
  ].join("\n"),
  "pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: solo\n  labels:\n    run: solo\nspec:\n  containers:\n  - name: busybox\n    image: busybox\n    command: [\"sleep\", \"3600\"]\n",
  // An unknown field: 1.20 validates against /openapi/v2 before sending.
  "bad-field.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\nspec:\n  containerz:\n  - name: x\n    image: nginx\n",
  // A wrong type: a string where an integer is expected.
  "bad-type.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: bad\nspec:\n  replicas: two\n  selector:\n    matchLabels:\n      app: bad\n  template:\n    metadata:\n      labels:\n        app: bad\n    spec:\n      containers:\n      - name: x\n        image: nginx\n",
  "multi.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: team-a\ndata:\n  k: v\n",
  "svc.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: shop\nspec:\n  selector:\n    app: shop\n  ports:\n  - port: 80\n    targetPort: 80\n",
};

/** Each step runs on both clusters in order ("$M" is the manifests' directory). */
const WRITE_STEPS: string[][] = [
  ["create", "deployment", "api", "--image=httpd"],
  ["create", "deployment", "api", "--image=httpd"],
  ["create", "deployment", "web", "--image=nginx", "--replicas=2"],
  ["create", "deploy", "multi", "--image=httpd", "--image=redis:7", "--dry-run=client", "-o", "yaml"],
  ["create", "namespace", "team-b"],
  ["create", "ns", "team-b"],
  ["get", "deploy"],
  ["scale", "deployment", "api", "--replicas=3"],
  ["scale", "deploy/web", "--replicas=1"],
  ["scale", "deployment", "nosuch", "--replicas=3"],
  ["scale", "deployment", "api", "--replicas=-1"],
  ["get", "deploy", "api", "-o", "jsonpath={.spec.replicas}"],
  ["label", "deploy", "api", "tier=back"],
  ["label", "deploy", "api", "tier=front"],
  ["label", "deploy", "api", "tier=front", "--overwrite"],
  ["label", "deploy", "api", "tier-"],
  ["label", "pods", "--all", "env=test"],
  ["label", "deploy", "nosuch", "a=b"],
  ["get", "pods", "--show-labels"],
  ["expose", "deployment", "api", "--port=80"],
  ["expose", "deployment", "api", "--port=80"],
  ["expose", "deploy", "test-web"],
  ["expose", "deploy", "test-web", "--port=80", "--name=web-svc", "--type=NodePort", "--dry-run=client", "-o", "yaml"],
  ["get", "svc"],
  ["apply", "-f", "$M/cm.yaml"],
  ["apply", "-f", "$M/cm.yaml"],
  ["apply", "-f", "$M/cm2.yaml"],
  ["get", "cm", "app-config", "-o", "jsonpath={.data}"],
  ["apply", "-f", "$M/deploy.yaml"],
  ["apply", "-f", "$M/svc.yaml"],
  ["apply", "-f", "$M/multi.yaml"],
  ["create", "-f", "$M/pod.yaml"],
  ["create", "-f", "$M/pod.yaml"],
  ["create", "-f", "$M/bad-field.yaml"],
  ["create", "-f", "$M/bad-field.yaml", "--validate=false"],
  ["apply", "-f", "$M/bad-type.yaml"],
  ["create", "-f", "$M/nosuch.yaml"],
  ["get", "all"],
  ["delete", "-f", "$M/svc.yaml"],
  ["delete", "deployment", "api"],
  ["delete", "deployment", "api"],
  ["delete", "pod", "solo", "--wait=false"],
  ["delete", "pod", "bad", "--grace-period=0", "--force"],
  ["delete", "cm", "app-config"],
  ["delete", "svc", "api", "test-web"],
  ["delete", "pods", "-l", "app=nosuch"],
  ["delete", "ns", "team-b", "--wait=false"],
  ["get", "deploy,svc,cm"],
];

/** Write steps where the emulated kubectl does not print what 1.20 prints; each runs as it.fails. */
const WRITE_DIFFERENCES: Record<string, string> = {
  // 1.20 validates against the server's /openapi/v2 before sending ("error validating data: ValidationError(…)");
  // the emulated kubectl leaves it to the server (strict decoding, field validation), as ≥1.25 does.
  "create -f $M/bad-field.yaml": "1.20's client-side validation",
  "apply -f $M/bad-type.yaml": "1.20's client-side validation",
};

/**
 * Twin clusters (same fixture, same seed) behind one HTTPS server: each
 * kubeconfig's token picks its cluster, so both clients see the same server
 * URL (cluster-info prints it). Returns the server, to close.
 */
async function twins(dir: string): Promise<RunningApiServer> {
  const wall = Date.now();
  const ca = createCA({ wallClockMs: wall });
  const cert = issueServingCert(ca, DEFAULT_SERVING_HOSTS, { wallClockMs: wall });
  const clusters = new ClusterRegistry();
  const tokens: Record<string, string> = {};
  for (const who of ["real", "emulated"]) {
    tokens[who] = `tok-conformance-${who}-0123456789abcdef`;
    clusters.add(who, (await buildFixture(wall, SERVER)).api, tokens[who]!);
  }
  const server = await startApiServerHttps({ host: "127.0.0.1", port: 0, clusters, cert });
  for (const who of ["real", "emulated"]) {
    mkdirSync(join(dir, who));
    writeFileSync(join(dir, `${who}.config`), writeKubeconfig({ server: server.url, caPem: ca.certPem, token: tokens[who]! }));
  }
  return server;
}

/** Runs one command line through both clients, each against its twin, and compares. */
async function compare(dir: string, tag: string, step: string[], args: string[]): Promise<void> {
  const want = await runReal(DEBIAN_KUBECTL_120, args, { HOME: join(dir, "real"), KUBECONFIG: join(dir, "real.config") });
  const got = await runEmulated(args, { HOME: join(dir, "emulated"), KUBECONFIG: join(dir, "emulated.config") });
  dumpPair(tag, step, want, got);
  expect(got).toEqual(want);
}

// Twin clusters here too: 1.20's `run x --image=httpd --replicas=2` creates a pod.
describe.skipIf(!HAVE_DEBIAN_KUBECTL_120)(`kubectl conformance: read commands, server ${SERVER}, Debian's kubectl 1.20 (${READ_COMMANDS.length} commands)`, () => {
  let dir: string;
  let server: RunningApiServer | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kubelab-conformance-debian-"));
    server = await twins(dir);
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const args of READ_COMMANDS) {
    const why = READ_DIFFERENCES[args.join(" ")];
    (why ? it.fails : it)(`kubectl ${args.join(" ")}${why ? ` (documented difference: ${why})` : ""}`, () => compare(dir, "debian120", args, args), 60_000);
  }
});

describe.skipIf(!HAVE_DEBIAN_KUBECTL_120)(`kubectl conformance: commands that write, server ${SERVER}, Debian's kubectl 1.20 (${WRITE_STEPS.length} steps)`, () => {
  let dir: string;
  let manifests: string;
  let server: RunningApiServer | undefined;
  const expand = (args: string[]) => args.map((a) => a.split("$M").join(manifests));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kubelab-conformance-debian-write-"));
    manifests = join(dir, "m");
    mkdirSync(manifests);
    for (const [name, text] of Object.entries(MANIFESTS)) writeFileSync(join(manifests, name), text);
    server = await twins(dir);
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // Steps depend on the ones before: vitest runs a describe's tests in order.
  for (const step of WRITE_STEPS) {
    const why = WRITE_DIFFERENCES[step.join(" ")];
    (why ? it.fails : it)(`kubectl ${step.join(" ")}${why ? ` (documented difference: ${why})` : ""}`, () => compare(dir, "debian120w", step, expand(step)), 60_000);
  }
});
