// The real kubectl against the emulated apiserver over HTTPS: discovery,
// Tables, errors, protobuf creates and delete's watch. What kubectl prints is
// the oracle. Skipped only when /usr/bin/kubectl is not installed.

import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KObject } from "../../src/apimachinery/meta.ts";
import { APIServer } from "../../src/apiserver/apiserver.ts";
import { ClusterRegistry, type RunningApiServer, startApiServerHttps } from "../../src/apiserver/server.ts";
import { createCA, DEFAULT_SERVING_HOSTS, issueServingCert } from "../../src/apiserver/tls.ts";
import { inProcessClient } from "../../src/client/inprocess.ts";
import { type Client, GVR } from "../../src/client/interface.ts";
import { writeKubeconfig } from "../../src/client/kubeconfig.ts";
import { LabClock } from "../../src/utils/clock.ts";
import { seededRand } from "../../src/utils/rand.ts";

const KUBECTL = "/usr/bin/kubectl";

/** Paths of empty-string values in an object: a sign of undropped protobuf zero values. */
function emptyStrings(v: unknown, path = ""): string[] {
  if (v === "") return [path];
  if (Array.isArray(v)) return v.flatMap((x, i) => emptyStrings(x, `${path}[${i}]`));
  if (v && typeof v === "object") return Object.entries(v).flatMap(([k, x]) => emptyStrings(x, `${path}.${k}`));
  return [];
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe.skipIf(!existsSync(KUBECTL))("real kubectl against the HTTPS apiserver", () => {
  let dir: string;
  let server: RunningApiServer;
  let api: APIServer;
  let other: APIServer;
  let client: Client;
  let clock: LabClock;
  const token = "tok-0123456789abcdef0123456789";
  const otherToken = "tok-other-0123456789abcdef0123";

  function kubectl(args: string[], kubeconfig = join(dir, "config")): Promise<Run> {
    return new Promise((resolve) => {
      execFile(
        KUBECTL,
        ["--kubeconfig", kubeconfig, ...args],
        { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir }, timeout: 60_000 },
        (err, stdout, stderr) => {
          const code = err ? (typeof (err as { code?: unknown }).code === "number" ? ((err as { code: number }).code) : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kubelab-kubectl-"));
    clock = new LabClock();
    api = new APIServer({ clock, rand: seededRand(3), version: "v1.32.4" });
    other = new APIServer({ clock, rand: seededRand(4), version: "v1.32.4" });
    client = inProcessClient(api, { user: "test" });
    await client.resource(GVR.namespaces).create({ metadata: { name: "default" } });
    await client.resource(GVR.namespaces).create({ metadata: { name: "kube-system" } });
    await client.resource(GVR.pods).create({ metadata: { name: "web", labels: { run: "web" } }, spec: { containers: [{ name: "web", image: "httpd" }] } }, "default");
    await client.resource(GVR.pods).create({ metadata: { name: "db" }, spec: { containers: [{ name: "db", image: "postgres" }] } }, "default");
    // The kubelet and the pod strategy are not running here: give the pods the phase they would show.
    for (const name of ["web", "db"]) {
      const p = await client.resource(GVR.pods).get(name, "default");
      await client.resource(GVR.pods).update({ ...p, status: { phase: "Pending" } }, { subresource: "status" });
    }

    const now = Date.now();
    const ca = createCA({ wallClockMs: now });
    const cert = issueServingCert(ca, DEFAULT_SERVING_HOSTS, { wallClockMs: now });
    const clusters = new ClusterRegistry();
    clusters.add("c1", api, token);
    clusters.add("c2", other, otherToken);
    server = await startApiServerHttps({ host: "127.0.0.1", port: 0, clusters, cert });
    writeFileSync(join(dir, "config"), writeKubeconfig({ server: `${server.url}/clusters/c1`, caPem: ca.certPem, token }));
    // The right token for the other cluster, pointed at this one.
    writeFileSync(join(dir, "crossed"), writeKubeconfig({ server: `${server.url}/clusters/c1`, caPem: ca.certPem, token: otherToken }));
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    clock?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("get ns prints the server-side table", async () => {
    const r = await kubectl(["get", "ns"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^NAME\s+STATUS\s+AGE$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(["default", "kube-system"]);
  });

  it("get pods prints the pod columns", async () => {
    const r = await kubectl(["get", "pods"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 4))).toEqual([
      ["db", "0/1", "Pending", "0"],
      ["web", "0/1", "Pending", "0"],
    ]);
    const labels = await kubectl(["get", "pods", "-l", "run=web", "--show-labels", "--no-headers"]);
    expect(labels.stdout).toMatch(/^web\s+0\/1\s+Pending\s+0\s+\S+\s+run=web\n$/);
  });

  it("get pod -o yaml prints the stored object", async () => {
    const r = await kubectl(["get", "pod", "web", "-o", "yaml"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("apiVersion: v1\nkind: Pod\nmetadata:\n");
    expect(r.stdout).toContain("  name: web\n  namespace: default\n");
    expect(r.stdout).toMatch(/^ {2}containers:\n {2}- image: httpd\n(?: {4}.*\n)* {4}name: web\n/m);
  });

  it("get of an unknown type and an unknown object fail as the real ones do", async () => {
    const t = await kubectl(["get", "nosuch"]);
    expect(t.code).toBe(1);
    expect(t.stderr).toContain('error: the server doesn\'t have a resource type "nosuch"');
    const o = await kubectl(["get", "pod", "nosuch"]);
    expect(o.code).toBe(1);
    expect(o.stderr.trim()).toBe('Error from server (NotFound): pods "nosuch" not found');
  });

  it("resolves short names and groups from discovery", async () => {
    const r = await kubectl(["get", "deploy,svc"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("No resources found in default namespace.");
    const res = await kubectl(["api-resources", "--api-group=apps", "--no-headers"]);
    expect(res.stdout).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
  });

  it("create deployment sends protobuf, which the server decodes", async () => {
    const r = await kubectl(["create", "deployment", "web", "--image=httpd", "--replicas=2", "--port=80"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("deployment.apps/web created\n");
    const d = (await client.resource(GVR.deployments).get("web", "default")) as KObject & { spec: Record<string, unknown> };
    expect(d.metadata.labels).toEqual({ app: "web" });
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.selector).toEqual({ matchLabels: { app: "web" } });
    expect(d.spec.template).toMatchObject({
      metadata: { labels: { app: "web" } },
      spec: { containers: [{ name: "httpd", image: "httpd", ports: [{ containerPort: 80 }], resources: {} }] },
    });
    // gogo's zero values (imagePullPolicy: "", generateName: "", …) must not leak into the object.
    expect(emptyStrings(d)).toEqual([]);
    const dup = await kubectl(["create", "deployment", "web", "--image=httpd"]);
    expect(dup.code).toBe(1);
    expect(dup.stderr.trim()).toBe('error: failed to create deployment: deployments.apps "web" already exists');
  });

  it("creates namespaces, configmaps, secrets, services, jobs and cronjobs from protobuf", async () => {
    const ns = await kubectl(["create", "namespace", "team", "-v=8"]);
    expect(ns.stdout).toBe("namespace/team created\n");
    expect(ns.stderr).toMatch(/Content-Type: application\/vnd\.kubernetes\.protobuf/i);
    expect((await kubectl(["create", "configmap", "cfg", "--from-literal=a=1", "--from-literal=b="])).stdout).toBe("configmap/cfg created\n");
    expect((await kubectl(["create", "secret", "generic", "s", "--from-literal=pw=hunter2"])).stdout).toBe("secret/s created\n");
    expect((await kubectl(["create", "service", "clusterip", "svc", "--tcp=80:8080"])).stdout).toBe("service/svc created\n");
    expect((await kubectl(["create", "job", "once", "--image=busybox", "--", "echo", "hi"])).stdout).toBe("job.batch/once created\n");
    expect((await kubectl(["create", "cronjob", "tick", "--image=busybox", "--schedule=*/5 * * * *"])).stdout).toBe("cronjob.batch/tick created\n");

    expect((await client.resource(GVR.namespaces).get("team")).metadata.name).toBe("team");
    const cm = await client.resource(GVR.configmaps).get("cfg", "default");
    expect(cm.data).toEqual({ a: "1", b: "" });
    const s = await client.resource(GVR.secrets).get("s", "default");
    expect(s.data).toEqual({ pw: Buffer.from("hunter2").toString("base64") });
    const svc = (await client.resource(GVR.services).get("svc", "default")) as KObject & { spec: Record<string, unknown> };
    expect(svc.metadata.labels).toEqual({ app: "svc" });
    expect(svc.spec.ports).toEqual([{ name: "80-8080", protocol: "TCP", port: 80, targetPort: 8080 }]);
    expect(svc.spec.selector).toEqual({ app: "svc" });
    expect(svc.spec.type).toBe("ClusterIP");
    const job = (await client.resource(GVR.jobs).get("once", "default")) as KObject & { spec: { template: { spec: Record<string, unknown> } } };
    expect(job.spec.template.spec).toMatchObject({ restartPolicy: "Never", containers: [{ name: "once", image: "busybox", command: ["echo", "hi"], resources: {} }] });
    const cj = (await client.resource(GVR.cronjobs).get("tick", "default")) as KObject & { spec: Record<string, unknown> };
    expect(cj.spec.schedule).toBe("*/5 * * * *");
    expect(cj.spec.jobTemplate).toMatchObject({ metadata: { name: "tick" }, spec: { template: { spec: { restartPolicy: "OnFailure" } } } });
  });

  it("scale and label send patches", async () => {
    expect((await kubectl(["scale", "deployment", "web", "--replicas=3"])).stdout).toBe("deployment.apps/web scaled\n");
    expect((await kubectl(["label", "pod", "db", "tier=data"])).stdout).toBe("pod/db labeled\n");
    const d = (await client.resource(GVR.deployments).get("web", "default")) as KObject & { spec: { replicas: number } };
    expect(d.spec.replicas).toBe(3);
    expect((await client.resource(GVR.pods).get("db", "default")).metadata.labels).toEqual({ tier: "data" });
  });

  it("delete pod waits on a watch and returns once the pod is gone", async () => {
    const r = await kubectl(["delete", "pod", "web"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('pod "web" deleted\n');
    await expect(client.resource(GVR.pods).get("web", "default")).rejects.toMatchObject({ code: 404 });
  });

  it("get -w prints the current row, then later changes", async () => {
    const abort = new AbortController();
    const out: string[] = [];
    const child = execFile(KUBECTL, ["--kubeconfig", join(dir, "config"), "get", "pods", "-w", "--no-headers"], { env: { PATH: process.env.PATH ?? "", HOME: dir }, signal: abort.signal });
    child.stdout!.on("data", (d: Buffer) => out.push(d.toString()));
    child.on("error", () => undefined);
    const waitFor = async (re: RegExp) => {
      for (let i = 0; i < 200 && !re.test(out.join("")); i++) await new Promise((r) => setImmediate(r, 0)).then(() => new Promise((r) => setTimeout(r, 25)));
      return out.join("");
    };
    expect(await waitFor(/^db\s/m)).toMatch(/^db\s+0\/1\s+Pending/m);
    await client.resource(GVR.pods).create({ metadata: { name: "late" }, spec: { containers: [{ name: "c", image: "nginx" }] } }, "default");
    expect(await waitFor(/^late\s/m)).toMatch(/^late\s+0\/1\s+\S*\s*0\s/m);
    abort.abort();
  });

  it("refuses a missing or wrong token, and another cluster's token", async () => {
    const crossed = await kubectl(["get", "ns"], join(dir, "crossed"));
    expect(crossed.code).toBe(1);
    expect(crossed.stderr).toContain("error: You must be logged in to the server (Unauthorized)");
  });
});
