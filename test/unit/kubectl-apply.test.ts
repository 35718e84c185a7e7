// kubectl apply's patch computation (three-way strategic merge patch from the
// server's OpenAPI patch metadata) and the apply/label/patch/set commands in
// process, over the in-process transport into the apiserver. The expected
// patch below is the body kubectl 1.32 sent (-v=8) for the same change.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { APIServer } from "../../src/apiserver/apiserver.ts";
import type { KObject } from "../../src/apimachinery/meta.ts";
import { inProcessClient } from "../../src/client/inprocess.ts";
import { type Client, GVR } from "../../src/client/interface.ts";
import { RestClient } from "../../src/client/rest.ts";
import { inProcessTransport } from "../../src/client/transport.ts";
import { getModifiedConfiguration } from "../../src/kubectl/apply/lastapplied.ts";
import { OpenAPIV3Root } from "../../src/kubectl/apply/patchmeta.ts";
import { createThreeWayMergePatch, createTwoWayMergePatch } from "../../src/kubectl/apply/strategicpatch.ts";
import { decodeStream } from "../../src/kubectl/manifest.ts";
import { goJSON } from "../../src/kubectl/printers/json.ts";
import { kubectlMain } from "../../src/kubectl/kubectl.ts";
import { captureIO } from "../../src/utils/command.ts";
import { FakeClock } from "../../src/utils/clock.ts";
import { seededRand } from "../../src/utils/rand.ts";

let api: APIServer;
let client: Client;
let dir: string;

async function kubectl(args: string[], stdin?: string) {
  const io = captureIO({ env: { HOME: "/nonexistent" }, cwd: dir, ...(stdin !== undefined ? { stdin } : {}) });
  const code = await kubectlMain(args, io, { transport: inProcessTransport(api), now: () => 0 });
  return { code, out: io.out(), err: io.err() };
}

const deployment = (replicas: number, image: string, extra = "") => `apiVersion: apps/v1
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

beforeEach(async () => {
  api = new APIServer({ clock: new FakeClock(), rand: seededRand(1), version: "v1.32.4" });
  client = inProcessClient(api, { user: "test" });
  await client.resource(GVR.namespaces).create({ metadata: { name: "default" } } as KObject);
  dir = mkdtempSync(join(tmpdir(), "kubelab-apply-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function deploymentMeta() {
  const meta = await new OpenAPIV3Root(new RestClient(inProcessTransport(api))).patchMetaFor("apps", "v1", "Deployment");
  if (!meta) throw new Error("no patch metadata for Deployment");
  return meta;
}

describe("three-way strategic merge patch", () => {
  it("sends what kubectl 1.32 sends for a changed image and replica count", async () => {
    const meta = await deploymentMeta();
    const v1 = { ...decodeStream(deployment(3, "httpd:2.4"), "x")[0]!, metadata: { name: "web", labels: { app: "web" }, namespace: "default" } };
    const v2 = { ...decodeStream(deployment(4, "httpd:2.5"), "x")[0]!, metadata: { name: "web", labels: { app: "web" }, namespace: "default" } };
    const original = JSON.parse(getModifiedConfiguration(v1, false));
    const modified = JSON.parse(getModifiedConfiguration(v2, true));
    // The live object: what the server defaulted around the applied fields.
    const live = structuredClone(modified);
    live.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"] = getModifiedConfiguration(v1, false);
    live.spec.replicas = 3;
    live.spec.template.spec.containers[0].image = "httpd:2.4";
    live.spec.template.spec.containers[0].imagePullPolicy = "IfNotPresent";
    live.status = { replicas: 3 };
    const patch = createThreeWayMergePatch(original, modified, live, meta);
    const annotation = JSON.stringify(getModifiedConfiguration(v2, false));
    expect(goJSON(patch)).toBe(
      `{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":${annotation}}},"spec":{"replicas":4,"template":{"spec":{"$setElementOrder/containers":[{"name":"httpd"}],"containers":[{"image":"httpd:2.5","name":"httpd"}]}}}}`,
    );
  });

  it("deletes what was removed from the file, keeps what others set, and retains strategy keys", async () => {
    const meta = await deploymentMeta();
    const original = { spec: { minReadySeconds: 5, template: { spec: { containers: [{ name: "a", image: "x" }, { name: "b", image: "y" }] } } } };
    const modified = { spec: { strategy: { type: "Recreate" }, template: { spec: { containers: [{ name: "a", image: "x" }] } } } };
    const live = {
      spec: {
        minReadySeconds: 5,
        paused: false,
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%" } },
        template: { spec: { containers: [{ name: "a", image: "x", imagePullPolicy: "Always" }, { name: "b", image: "y" }] } },
      },
    };
    expect(createThreeWayMergePatch(original, modified, live, meta)).toEqual({
      spec: {
        minReadySeconds: null,
        strategy: { $retainKeys: ["type"], type: "Recreate" },
        template: { spec: { "$setElementOrder/containers": [{ name: "a" }], containers: [{ $patch: "delete", name: "b" }] } },
      },
    });
  });

  it("is empty when nothing changed, and two-way patches reorder lists", async () => {
    const meta = await deploymentMeta();
    const same = { spec: { replicas: 1 } };
    expect(createThreeWayMergePatch(same, same, { spec: { replicas: 1, paused: false } }, meta)).toEqual({});
    const before = { spec: { template: { spec: { containers: [{ name: "a" }, { name: "b" }] } } } };
    const after = { spec: { template: { spec: { containers: [{ name: "b" }, { name: "a" }] } } } };
    expect(createTwoWayMergePatch(before, after, meta)).toEqual({ spec: { template: { spec: { "$setElementOrder/containers": [{ name: "b" }, { name: "a" }] } } } });
  });
});

describe("kubectl apply, label, patch and set in process", () => {
  it("creates, leaves unchanged, configures and prunes removed fields", async () => {
    writeFileSync(join(dir, "web.yaml"), deployment(2, "httpd:2.4"));
    expect(await kubectl(["apply", "-f", "web.yaml"])).toEqual({ code: 0, out: "deployment.apps/web created\n", err: "" });
    expect(await kubectl(["apply", "-f", "web.yaml"])).toEqual({ code: 0, out: "deployment.apps/web unchanged\n", err: "" });
    writeFileSync(join(dir, "web.yaml"), deployment(3, "httpd:2.4").replace("        ports:\n        - containerPort: 80\n", ""));
    expect(await kubectl(["apply", "-f", "web.yaml"])).toEqual({ code: 0, out: "deployment.apps/web configured\n", err: "" });
    const live = await client.resource(GVR.deployments).get("web", "default");
    const spec = live.spec as { replicas: number; template: { spec: { containers: { ports?: unknown }[] } } };
    expect(spec.replicas).toBe(3);
    expect(spec.template.spec.containers[0]!.ports).toBeUndefined();
  });

  it("reads several documents from stdin and names STDIN in errors", async () => {
    const two = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n";
    expect(await kubectl(["apply", "-f", "-"], two)).toEqual({ code: 0, out: "configmap/a created\nconfigmap/b created\n", err: "" });
    expect(await kubectl(["create", "-f", "-"], two)).toEqual({
      code: 1,
      out: "",
      err: 'Error from server (AlreadyExists): error when creating "STDIN": configmaps "a" already exists\nError from server (AlreadyExists): error when creating "STDIN": configmaps "b" already exists\n',
    });
  });

  it("labels, refuses to overwrite without --overwrite, patches and sets images", async () => {
    writeFileSync(join(dir, "web.yaml"), deployment(1, "httpd"));
    await kubectl(["apply", "-f", "web.yaml"]);
    expect(await kubectl(["label", "deploy", "web", "tier=front"])).toEqual({ code: 0, out: "deployment.apps/web labeled\n", err: "" });
    expect(await kubectl(["label", "deploy", "web", "app=other"])).toEqual({
      code: 1,
      out: "",
      err: "error: 'app' already has a value (web), and --overwrite is false\n",
    });
    expect((await kubectl(["label", "deploy", "web", "tier-"])).out).toBe("deployment.apps/web unlabeled\n");
    expect((await kubectl(["patch", "deploy", "web", "-p", '{"spec":{"replicas":2}}'])).out).toBe("deployment.apps/web patched\n");
    expect((await kubectl(["patch", "deploy", "web", "-p", '{"spec":{"replicas":2}}'])).out).toBe("deployment.apps/web patched (no change)\n");
    expect((await kubectl(["set", "image", "deployment/web", "httpd=httpd:2.4"])).out).toBe("deployment.apps/web image updated\n");
    expect((await kubectl(["set", "image", "deployment/web", "httpd=httpd:2.4"])).out).toBe("");
    expect((await kubectl(["set", "env", "deployment/web", "A=1"])).out).toBe("deployment.apps/web env updated\n");
    expect((await kubectl(["set", "env", "deployment/web", "--list"])).out).toBe("# Deployment web, container httpd\nA=1\n");
  });
});
