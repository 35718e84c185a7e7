// The real kubectl's OpenAPI-driven commands against a whole emulated cluster
// over HTTPS: apply (created / unchanged / configured), create -f with several
// documents, replace -f, server-side strict field validation, and explain.
// What kubectl prints is the oracle. Skipped only when /usr/bin/kubectl is missing.

import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClusterRegistry, type RunningApiServer, startApiServerHttps } from "../../src/apiserver/server.ts";
import { createCA, DEFAULT_SERVING_HOSTS, issueServingCert } from "../../src/apiserver/tls.ts";
import { GVR } from "../../src/client/interface.ts";
import { writeKubeconfig } from "../../src/client/kubeconfig.ts";
import { type Cluster, createCluster } from "../../src/cluster.ts";
import { FakeClock } from "../../src/utils/clock.ts";

const KUBECTL = "/usr/bin/kubectl";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const deploymentYaml = (replicas: number, extra = "") => `apiVersion: apps/v1
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
      - name: web
        image: httpd:2.4
        ports:
        - containerPort: 80
${extra}`;

describe.skipIf(!existsSync(KUBECTL))("real kubectl apply, create -f, explain", () => {
  let dir: string;
  let server: RunningApiServer;
  let cluster: Cluster;
  let clock: FakeClock;
  const token = "tok-apply-0123456789abcdef0123";

  function kubectl(args: string[]): Promise<Run> {
    return new Promise((resolve) => {
      execFile(KUBECTL, ["--kubeconfig", join(dir, "config"), ...args], { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir }, timeout: 60_000 }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  }

  function file(name: string, text: string): string {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kubelab-apply-"));
    clock = new FakeClock();
    cluster = await createCluster({ clock, seed: 5 });
    await clock.advance(60_000, () => cluster.settle());
    const now = Date.now();
    const ca = createCA({ wallClockMs: now });
    const cert = issueServingCert(ca, DEFAULT_SERVING_HOSTS, { wallClockMs: now });
    const clusters = new ClusterRegistry();
    clusters.add("lab", cluster.api, token);
    server = await startApiServerHttps({ host: "127.0.0.1", port: 0, clusters, cert });
    writeFileSync(join(dir, "config"), writeKubeconfig({ server: `${server.url}/clusters/lab`, caPem: ca.certPem, token }));
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("apply creates, then finds nothing to change, then configures", async () => {
    const f = file("deploy.yaml", deploymentYaml(2));
    const created = await kubectl(["apply", "-f", f]);
    expect(created).toEqual({ code: 0, stdout: "deployment.apps/web created\n", stderr: "" });
    const d = await cluster.client("test").resource(GVR.deployments).get("web", "default");
    const lastApplied = d.metadata.annotations?.["kubectl.kubernetes.io/last-applied-configuration"];
    expect(JSON.parse(lastApplied!)).toMatchObject({ kind: "Deployment", spec: { replicas: 2 } });
    await cluster.settle();

    const again = await kubectl(["apply", "-f", f]);
    expect(again).toEqual({ code: 0, stdout: "deployment.apps/web unchanged\n", stderr: "" });

    const changed = await kubectl(["apply", "-f", file("deploy.yaml", deploymentYaml(3))]);
    expect(changed).toEqual({ code: 0, stdout: "deployment.apps/web configured\n", stderr: "" });
    const after = await cluster.client("test").resource(GVR.deployments).get("web", "default");
    expect((after.spec as { replicas: number }).replicas).toBe(3);
    // The strategic merge patch kept the container list merged by name, not replaced by a stub.
    const containers = (after.spec as { template: { spec: { containers: { name: string; image: string; ports: unknown[] }[] } } }).template.spec.containers;
    expect(containers).toEqual([expect.objectContaining({ name: "web", image: "httpd:2.4", ports: [{ containerPort: 80, protocol: "TCP" }] })]);

    // A changed image goes through the same patch.
    const image = await kubectl(["apply", "-f", file("deploy.yaml", deploymentYaml(3).replace("httpd:2.4", "httpd:2.4.62"))]);
    expect(image.stdout).toBe("deployment.apps/web configured\n");
    const patched = await cluster.client("test").resource(GVR.deployments).get("web", "default");
    expect((patched.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers.map((c) => c.image)).toEqual(["httpd:2.4.62"]);
  });

  it("create -f takes several documents", async () => {
    const f = file(
      "app.yaml",
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 1
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
      - name: api
        image: nginx
---
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector: {app: api}
  ports:
  - port: 80
    targetPort: 80
`,
    );
    const r = await kubectl(["create", "-f", f]);
    expect(r).toEqual({ code: 0, stdout: "deployment.apps/api created\nservice/api created\n", stderr: "" });
    const again = await kubectl(["create", "-f", f]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      `Error from server (AlreadyExists): error when creating "${f}": deployments.apps "api" already exists\nError from server (AlreadyExists): error when creating "${f}": services "api" already exists\n`,
    );
  });

  it("replace -f writes the whole object", async () => {
    const r = await kubectl(["replace", "-f", file("deploy.yaml", deploymentYaml(1))]);
    expect(r).toEqual({ code: 0, stdout: "deployment.apps/web replaced\n", stderr: "" });
  });

  it("rejects unknown fields with the server's strict decoding error", async () => {
    const bad = file("bad.yaml", deploymentYaml(1).replace("name: web\n", "name: typo\n").replace(/ {6}containers:/, "      contaners:"));
    const created = await kubectl(["create", "-f", bad]);
    expect(created.code).toBe(1);
    expect(created.stderr).toBe(
      `Error from server (BadRequest): error when creating "${bad}": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.contaners"\n`,
    );
    const applied = await kubectl(["apply", "-f", bad]);
    expect(applied.code).toBe(1);
    expect(applied.stderr).toBe(
      `Error from server (BadRequest): error when creating "${bad}": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.contaners"\n`,
    );
    // An existing object: apply sends a strategic merge patch, and patch.go's 422 comes back.
    const typo = await kubectl(["apply", "-f", file("deploy.yaml", deploymentYaml(1).replace("        image: httpd:2.4\n", "        image: httpd:2.4\n        imagePulPolicy: Always\n"))]);
    expect(typo.code).toBe(1);
    // replace -f above dropped the last-applied annotation, so kubectl warns first, as it does against a real cluster.
    const [warning, error, rest] = typo.stderr.split("\n");
    expect(warning).toMatch(/^Warning: resource deployments\/web is missing the kubectl.kubernetes.io\/last-applied-configuration annotation/);
    expect(error).toMatch(/^The request is invalid: patch: Invalid value: "map\[metadata:map\[annotations:map\[kubectl.kubernetes.io\/last-applied-configuration:\{.*\}\\n\]\] /);
    expect(error).toContain(
      ' spec:map[template:map[spec:map[$setElementOrder/containers:[map[name:web]] containers:[map[imagePulPolicy:Always name:web]]]]]]": strict decoding error: unknown field "spec.template.spec.containers[0].imagePulPolicy"',
    );
    expect(rest).toBe("");
    // --validate=false sends fieldValidation=Ignore: the unknown field is dropped, and validation finds no containers.
    const ignored = await kubectl(["create", "--validate=false", "-f", bad]);
    expect(ignored).toEqual({ code: 1, stdout: "", stderr: 'The Deployment "typo" is invalid: spec.template.spec.containers: Required value\n' });
  });

  it("--validate=warn prints the server's warning and the field is dropped", async () => {
    const f = file("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndta:\n  a: \"1\"\ndata:\n  b: \"2\"\n");
    const r = await kubectl(["create", "--validate=warn", "-f", f]);
    expect(r).toEqual({ code: 0, stdout: "configmap/settings created\n", stderr: 'Warning: unknown field "dta"\n' });
    const cm = await cluster.client("test").resource(GVR.configmaps).get("settings", "default");
    expect(cm).not.toHaveProperty("dta");
    expect(cm.data).toEqual({ b: "2" });
  });

  it("explain prints the schema's kind, field type and descriptions", async () => {
    const r = await kubectl(["explain", "pod.spec.containers"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines.slice(0, 4)).toEqual(["KIND:       Pod", "VERSION:    v1", "", "FIELD: containers <[]Container>"]);
    expect(r.stdout).toContain("DESCRIPTION:\n    List of containers belonging to the pod.");
    expect(r.stdout).toMatch(/FIELDS:\n {2}args\t<\[\]string>\n/);
    expect(r.stdout).toMatch(/\n {2}image\t<string>\n/);
    expect(r.stdout).toMatch(/\n {2}name\t<string> -required-\n/);

    // The OpenAPI v2 protobuf path, which kubectl ≤1.26 always takes.
    const v2 = await kubectl(["explain", "pod.spec.containers", "--output=plaintext-openapiv2"]);
    expect(v2.stdout.split("\n").slice(0, 4)).toEqual(["KIND:     Pod", "VERSION:  v1", "", "RESOURCE: containers <[]Object>"]);
    expect(v2.stdout).toContain("DESCRIPTION:\n     List of containers belonging to the pod.");

    const dep = await kubectl(["explain", "deployment.spec.replicas"]);
    expect(dep.stdout.split("\n").slice(0, 5)).toEqual(["GROUP:      apps", "KIND:       Deployment", "VERSION:    v1", "", "FIELD: replicas <integer>"]);
  });
});
