// Conformance for fidelity fixes: `logs TYPE/NAME` on kinds without pods and
// on missing objects, `describe namespace` with its quota and limit tables,
// manifests with a value of the wrong type (refused at decode, 400 for bodies
// and 422 for patches), a StatefulSet mounting its volumeClaimTemplates and a
// PVC. The real kubectl (the bundled one of the server's minor) runs against
// one cluster, the emulated one against an identical second cluster; both in
// one working directory, so the file names kubectl prints are the same.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { KObject } from "../../src/apimachinery/meta.ts";
import type { Client } from "../../src/client/interface.ts";
import { buildFixture } from "./fixture.ts";
import { dumpPair, haveBundled, VERSION_CASES, useTwinServers, runEmulatedIn, runRealIn } from "./harness.ts";

type Step = string[] | { write: string; text: string };

const BAD_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: bad
spec:
  replicas: two
  selector:
    matchLabels:
      app: bad
  template:
    metadata:
      labels:
        app: bad
    spec:
      containers:
      - name: web
        image: nginx
`;

const BAD_PORT = `apiVersion: v1
kind: Pod
metadata:
  name: bad-port
spec:
  containers:
  - name: web
    image: nginx
    ports:
    - containerPort: "80"
`;

const STATEFULSET = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: 1
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
      - name: db
        image: postgres:16
        volumeMounts:
        - name: data
          mountPath: /var/lib/postgresql/data
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
`;

const PVC = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: scratch
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 2Gi
`;

const STEPS: Step[] = [
  ["logs", "ev/foo"],
  ["logs", "ev/foo", "-n", "kube-system"],
  ["logs", "deploy/nosuch"],
  ["logs", "cronjob/nightly"],
  ["logs", "ns/default"],
  ["logs", "node/master"],
  ["logs", "svc/kubernetes"],
  ["describe", "ns", "default"],
  ["describe", "namespace", "kube-public"],
  { write: "bad.yaml", text: BAD_DEPLOYMENT },
  ["apply", "-f", "bad.yaml", "--validate=false"],
  ["create", "-f", "bad.yaml", "--validate=false"],
  ["apply", "-f", "bad.yaml"],
  { write: "port.yaml", text: BAD_PORT },
  ["create", "-f", "port.yaml", "--validate=false"],
  ["patch", "deploy", "test-web", "-p", '{"spec":{"replicas":"two"}}'],
  ["patch", "deploy", "test-web", "-p", '{"spec":{"selector":"app=web"}}'],
  ["get", "deploy", "test-web", "-o", "jsonpath={.spec.replicas}"],
  { write: "sts.yaml", text: STATEFULSET },
  ["apply", "-f", "sts.yaml"],
  ["get", "sts", "db", "-o", "jsonpath={.spec.volumeClaimTemplates[0].metadata.name}"],
  { write: "pvc.yaml", text: PVC },
  ["apply", "-f", "pvc.yaml"],
  ["get", "pvc", "scratch", "-o", "jsonpath={.status.phase} {.spec.volumeMode}"],
  // A document that is not an object: validation (on by default) refuses it; without, the decoder does.
  { write: "notobj.yaml", text: "true\n" },
  ["apply", "-f", "notobj.yaml"],
  ["create", "-f", "notobj.yaml"],
  ["apply", "-f", "notobj.yaml", "--validate=warn"],
  ["create", "-f", "notobj.yaml", "--validate=ignore"],
  ["apply", "-f", "notobj.yaml", "--validate=false"],
  ["delete", "-f", "notobj.yaml"],
  { write: "num.yaml", text: "5\n" },
  ["replace", "-f", "num.yaml"],
  { write: "mixed.yaml", text: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: before-bad\n---\nhello\n" },
  ["create", "-f", "mixed.yaml"],
];

/** The quota (with the status its controller would post) and limits `describe ns default` shows. */
async function addQuotaAndLimits(client: Client): Promise<void> {
  const quotas = client.resource({ group: "", version: "v1", resource: "resourcequotas" });
  for (const [name, hard, used, scopes] of [
    ["compute", { pods: "10", "requests.cpu": "2", "limits.memory": "2Gi" }, { pods: "2", "requests.cpu": "500m", "limits.memory": "256Mi" }, undefined],
    ["best-effort", { pods: "5" }, { pods: "0" }, ["BestEffort"]],
  ] as const) {
    const q = await quotas.create({ apiVersion: "v1", kind: "ResourceQuota", metadata: { name }, spec: { hard, ...(scopes ? { scopes: [...scopes] } : {}) } } as KObject, "default");
    await quotas.update({ ...q, status: { hard, used } } as KObject, { subresource: "status" });
  }
  // One resource per item: kubectl prints an item's resources in Go map order.
  await client.resource({ group: "", version: "v1", resource: "limitranges" }).create(
    {
      apiVersion: "v1",
      kind: "LimitRange",
      metadata: { name: "defaults" },
      spec: {
        limits: [
          { type: "Container", default: { memory: "512Mi" }, defaultRequest: { memory: "256Mi" }, max: { memory: "1Gi" }, min: { memory: "64Mi" } },
          { type: "Pod", max: { cpu: "2" } },
          { type: "PersistentVolumeClaim", min: { storage: "1Gi" } },
        ],
      },
    } as KObject,
    "default",
  );
}

/** The command steps, each with the files written just before it (1-based positions in STEPS). */
function commandSteps(): { n: number; args: string[]; writes: { write: string; text: string }[] }[] {
  const out: { n: number; args: string[]; writes: { write: string; text: string }[] }[] = [];
  let writes: { write: string; text: string }[] = [];
  for (const [k, step] of STEPS.entries()) {
    if (!Array.isArray(step)) {
      writes.push(step);
      continue;
    }
    out.push({ n: k + 1, args: step, writes });
    writes = [];
  }
  return out;
}

/**
 * Documented differences, by client minor, run as `it.fails` (1-based positions in STEPS):
 * 35, a file whose second document is not an object: real kubectl creates the
 * first before it meets the second; the emulated one reads every document first.
 */
const KNOWN_DIFFERENCES: Record<string, number[]> = { "32": [35], "33": [35], "27": [35] };

for (const vc of VERSION_CASES) describe.skipIf(!haveBundled(vc.minor))(`kubectl conformance: fidelity fixes (logs, describe namespace, decode type errors, claim templates), server ${vc.server}, kubectl 1.${vc.minor}`, () => {
  let work: string;
  const suite = useTwinServers({
    name: "fixes",
    minor: vc.minor,
    build: async (wall) => {
      const fx = await buildFixture(wall, vc.server);
      await addQuotaAndLimits(fx.client);
      return fx;
    },
    prepare: (root) => mkdirSync((work = join(root, "work")), { recursive: true }),
  });
  const env = (who: string) => ({ HOME: join(suite.dir, who), KUBECONFIG: join(suite.dir, `${who}.config`) });

  for (const step of commandSteps()) {
    const differs = (KNOWN_DIFFERENCES[vc.minor] ?? []).includes(step.n);
    (differs ? it.fails : it)(`${step.n}: kubectl ${step.args.join(" ")}${differs ? " (documented difference)" : ""}`, async () => {
      for (const w of step.writes) writeFileSync(join(work, w.write), w.text);
      const want = await runRealIn(suite.oracle, step.args, env("real"), work);
      const got = await runEmulatedIn(step.args, env("emulated"), work);
      dumpPair(`fixes-${vc.minor}-${step.n}`, step.args, want, got);
      expect(got).toEqual(want);
    });
  }
});
