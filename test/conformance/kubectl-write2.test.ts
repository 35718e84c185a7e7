// Conformance for the declarative and metadata-writing commands (apply,
// create -f, replace, delete -f, patch, label, annotate, set image|env|
// resources): the same steps run through the real kubectl (the bundled one of
// the server's minor: 1.32, 1.33, 1.27) against one cluster and through the
// emulated kubectl against an identical second cluster; every step's stdout, stderr and exit code must match. Manifest
// files are written into one working directory both kubectls run in, so the
// sources kubectl names in messages are the same.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildFixture } from "./fixture.ts";
import { dumpPair, haveBundled, type Run, VERSION_CASES, useTwinServers, runEmulatedIn, runRealIn } from "./harness.ts";

type Step = string[] | { write: string; text: string } | { stdin: string; args: string[] };

const DEPLOY = (replicas: number, image: string, extra = "") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: httpd
        image: ${image}
        ports:
        - containerPort: 80
${extra}`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
`;

const CM = (data: Record<string, string>) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  annotations:
    team: blue
data:
${Object.entries(data).map(([k, v]) => `  ${k}: "${v}"`).join("\n")}
`;

const STEPS: Step[] = [
  { write: "app/web.yaml", text: `${DEPLOY(2, "httpd:2.4")}---\n${SERVICE}` },
  { write: "app/settings.yaml", text: CM({ a: "1", b: "2" }) },
  ["apply", "-f", "app/web.yaml"],
  ["apply", "-f", "app/web.yaml"],
  ["get", "deploy", "web", "-o", "jsonpath={.metadata.annotations}"],
  ["apply", "-f", "app"],
  { write: "app/web.yaml", text: `${DEPLOY(3, "httpd:2.4.62")}---\n${SERVICE}` },
  ["apply", "-f", "app/web.yaml"],
  ["get", "deploy", "web", "-o", "yaml"],
  // Removing a field and a list item from the file deletes them from the object.
  { write: "app/settings.yaml", text: CM({ a: "1" }) },
  ["apply", "-f", "app/settings.yaml"],
  ["get", "cm", "settings", "-o", "jsonpath={.data}"],
  { write: "app/web.yaml", text: DEPLOY(3, "httpd:2.4.62", "      - name: sidecar\n        image: busybox\n        env:\n        - name: A\n          value: x\n") },
  ["apply", "-f", "app/web.yaml"],
  ["get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers}"],
  { write: "app/web.yaml", text: DEPLOY(3, "httpd:2.4.62").replace("        ports:\n        - containerPort: 80\n", "") },
  ["apply", "-f", "app/web.yaml"],
  ["get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers}"],
  { write: "app/recreate.yaml", text: DEPLOY(1, "httpd:2.4.62").replace("spec:\n  replicas: 1\n", "spec:\n  replicas: 1\n  strategy:\n    type: Recreate\n") },
  ["apply", "-f", "app/recreate.yaml"],
  ["get", "deploy", "web", "-o", "jsonpath={.spec.strategy}"],
  // An object created imperatively gets the annotation with a warning.
  ["apply", "-f", "app/web.yaml", "--dry-run=client"],
  ["apply", "-f", "app/web.yaml", "--dry-run=server"],
  ["create", "deployment", "api", "--image=httpd"],
  { write: "api.yaml", text: DEPLOY(2, "httpd").replaceAll("web", "api") },
  ["apply", "-f", "api.yaml"],
  ["apply", "-f", "api.yaml", "-o", "name"],
  { stdin: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-stdin\ndata:\n  k: v\n", args: ["apply", "-f", "-"] },
  { stdin: "kind: ConfigMap\nmetadata:\n  name: c1\n", args: ["apply", "-f", "-"] },
  { stdin: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c1\n  namespace: other\n", args: ["apply", "-f", "-", "-n", "foo"] },
  { stdin: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c1\n  namespace: other\n", args: ["apply", "-f", "-"] },
  { stdin: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: -1\n", args: ["apply", "-f", "-"] },
  ["apply", "-f", "nosuch.yaml"],
  ["apply"],
  // create -f, replace -f, delete -f.
  { write: "db.yaml", text: DEPLOY(1, "redis:7").replaceAll("web", "db").replace("httpd", "redis") },
  ["create", "-f", "db.yaml"],
  ["create", "-f", "db.yaml"],
  ["create", "-f", "app/web.yaml"],
  ["create", "-f", "db.yaml", "--dry-run=client", "-o", "name"],
  { write: "db.yaml", text: DEPLOY(4, "redis:7.2").replaceAll("web", "db").replace("httpd", "redis") },
  ["replace", "-f", "db.yaml"],
  ["get", "deploy", "db", "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}"],
  ["delete", "-f", "db.yaml"],
  ["delete", "-f", "db.yaml"],
  ["replace", "-f", "db.yaml"],
  ["create", "-f", "db.yaml", "--save-config"],
  ["apply", "-f", "db.yaml"],
  ["delete", "-f", "app", "--wait=false"],
  ["get", "deploy,svc,cm"],
  // patch
  ["patch", "deploy", "test-web", "-p", '{"spec":{"replicas":3}}'],
  ["patch", "deploy", "test-web", "-p", '{"spec":{"replicas":3}}'],
  ["patch", "deployment/test-web", "--type", "merge", "-p", "spec:\n  minReadySeconds: 5"],
  ["patch", "deploy", "test-web", "--type", "json", "-p", '[{"op":"replace","path":"/spec/replicas","value":1}]'],
  ["patch", "deploy", "test-web", "-p", '{"spec":{"template":{"spec":{"containers":[{"name":"httpd","image":"httpd:2.4"}]}}}}'],
  ["get", "deploy", "test-web", "-o", "jsonpath={.spec.replicas} {.spec.minReadySeconds} {.spec.template.spec.containers[*].image}"],
  ["patch", "deploy", "test-web", "-p", '{"spec":{"replicas":-2}}'],
  ["patch", "deploy", "nosuch", "-p", "{}"],
  ["patch", "deploy", "test-web"],
  ["patch", "deploy", "test-web", "--type", "foo", "-p", "{}"],
  ["patch", "svc", "kubernetes", "-p", '{"metadata":{"labels":{"x":"y"}}}', "-o", "name"],
  // label and annotate
  ["label", "deploy", "test-web", "tier=front"],
  ["label", "deploy", "test-web", "app=other"],
  ["label", "deploy", "test-web", "tier=back", "--overwrite"],
  ["label", "deploy", "test-web", "tier=back", "--overwrite"],
  ["label", "deploy", "test-web", "tier-"],
  ["label", "deploy", "test-web", "tier-"],
  ["label", "pods", "-l", "app=test-web", "env=prod"],
  ["label", "pods", "--all", "env-"],
  ["label", "deploy", "test-web"],
  ["label", "deploy", "foo=bar"],
  ["label", "deploy", "test-web", "a=b=c"],
  ["label", "deploy", "test-web", "x=bad value"],
  ["label", "deploy", "test-web", "x=1", "x-"],
  ["label", "deploy", "test-web", "x=1", "extra"],
  ["label", "deploy", "nosuch", "x=1"],
  ["label", "deploy", "test-web", "-l", "app=x", "z=2"],
  ["label", "ns", "default", "team=blue", "-o", "name"],
  ["label", "deploy", "test-web", "x=2", "--dry-run=client"],
  ["annotate", "deploy", "test-web", "owner=alice"],
  ["annotate", "deploy", "test-web", "owner=bob"],
  ["annotate", "deploy", "test-web", "owner=bob", "--overwrite"],
  ["annotate", "deploy", "test-web", "owner-", "nothere-"],
  ["annotate", "deploy", "test-web", "bad"],
  ["annotate", "deploy", "test-web"],
  ["get", "deploy", "test-web", "--show-labels"],
  // set image, set env
  ["set", "image", "deploy/test-web", "httpd=httpd:2.4.62"],
  ["set", "image", "deploy/test-web", "httpd=httpd:2.4.62"],
  ["set", "image", "deployment", "test-web", "*=httpd:alpine"],
  ["set", "image", "deploy/test-web", "nope=x"],
  ["set", "image", "deploy/test-web"],
  ["set", "image", "deploy/nosuch", "a=b"],
  ["set", "env", "deploy/test-web", "A=1", "B=2"],
  ["set", "env", "deploy/test-web", "A=1"],
  ["set", "env", "deploy/test-web", "A-"],
  ["set", "env", "deploy/test-web", "--list"],
  ["set", "env", "deploy/test-web", "-c", "nope", "X=1"],
  ["set", "env", "deploy/test-web", "-e", "C=3"],
  ["set", "env", "deploy/test-web", "1BAD=x"],
  ["get", "deploy", "test-web", "-o", "jsonpath={.spec.template.spec.containers}"],
];

/** A command step with the files written just before it. */
interface CommandStep {
  /** 1-based position in STEPS. */
  n: number;
  args: string[];
  stdin?: string;
  writes: { write: string; text: string }[];
}

function commandSteps(): CommandStep[] {
  const out: CommandStep[] = [];
  let writes: { write: string; text: string }[] = [];
  for (const [k, step] of STEPS.entries()) {
    if ("write" in step) {
      writes.push(step);
      continue;
    }
    out.push({ n: k + 1, args: Array.isArray(step) ? step : step.args, ...(Array.isArray(step) ? {} : { stdin: step.stdin }), writes });
    writes = [];
  }
  return out;
}

/**
 * Documented differences, by client minor, run as `it.fails` (1-based
 * positions in STEPS, as a command line may repeat).
 */
const KNOWN_DIFFERENCES: Record<string, number[]> = {};

for (const vc of VERSION_CASES) describe.skipIf(!haveBundled(vc.minor))(`kubectl conformance: apply, create -f, replace, delete -f, patch, label, annotate, set, server ${vc.server}, kubectl 1.${vc.minor}`, () => {
  let work: string;
  const suite = useTwinServers({
    name: "write2",
    minor: vc.minor,
    build: (wall) => buildFixture(wall, vc.server),
    prepare: (root) => mkdirSync((work = join(root, "work")), { recursive: true }),
  });
  const env = (who: string) => ({ HOME: join(suite.dir, who), KUBECONFIG: join(suite.dir, `${who}.config`) });

  for (const step of commandSteps()) {
    const differs = (KNOWN_DIFFERENCES[vc.minor] ?? []).includes(step.n);
    (differs ? it.fails : it)(`${step.n}: kubectl ${step.args.join(" ")}${differs ? " (documented difference)" : ""}`, async () => {
      for (const w of step.writes) {
        mkdirSync(join(work, w.write, ".."), { recursive: true });
        writeFileSync(join(work, w.write), w.text);
      }
      const want = await runRealIn(suite.oracle, step.args, env("real"), work, step.stdin);
      const got = await runEmulatedIn(step.args, env("emulated"), work, step.stdin);
      dumpPair(`write2-${vc.minor}-${step.n}`, step.args, want, got);
      // Objects carry their own uid and creation time on each cluster.
      const norm = (r: Run) => ({ ...r, stdout: r.stdout.replace(/uid: [0-9a-f-]+/g, "uid: X").replace(/creationTimestamp: "[^"]+"/g, "creationTimestamp: X") });
      expect(norm(got)).toEqual(norm(want));
    });
  }
});
