// Fidelity fixes in the apiserver, against the messages and defaults of a real
// kube-apiserver 1.32: type errors at decode (sigs.k8s.io/json's
// UnmarshalTypeError with its field context, the unstructured converter's for
// strategic merge patches), new PVCs Pending, and StatefulSets whose
// containers mount their volumeClaimTemplates.

import { describe, expect, it } from "vitest";
import type { KObject } from "../../src/apimachinery/meta.ts";
import type { StatefulSet } from "../../src/api/apps/v1.ts";
import { APIServer } from "../../src/apiserver/apiserver.ts";
import { handleRest } from "../../src/apiserver/rest.ts";
import { inProcessClient } from "../../src/client/inprocess.ts";
import { GVR } from "../../src/client/interface.ts";
import type { ControllerContext } from "../../src/controller/context.ts";
import { SharedInformerFactory } from "../../src/controller/informers.ts";
import { startStatefulSetController } from "../../src/controller/statefulset/stateful-set.ts";
import { FakeClock } from "../../src/utils/clock.ts";
import { seededRand } from "../../src/utils/rand.ts";
import { harness } from "./controller-harness.ts";

const PVCS = { group: "", version: "v1", resource: "persistentvolumeclaims" };

async function call(api: APIServer, method: string, path: string, body: unknown, contentType = "application/json") {
  const url = new URL(path, "https://x.invalid");
  let status = 0;
  let text = "";
  await handleRest(
    api,
    { method, path: url.pathname, query: url.searchParams, headers: { "content-type": contentType }, body: Buffer.from(JSON.stringify(body)) },
    { writeHead: (s) => void (status = s), write: (c) => void (text += c.toString()), end: () => undefined },
  );
  return { status, json: JSON.parse(text) as { reason?: string; message?: string; status?: { phase?: string }; spec?: { volumeMode?: string } } };
}

async function setup() {
  const api = new APIServer({ clock: new FakeClock(), rand: seededRand(7), version: "v1.32.4" });
  await inProcessClient(api, { user: "admin" }).resource(GVR.namespaces).create({ metadata: { name: "default" } });
  return api;
}

const deployment = (spec: Record<string, unknown> = {}, container: Record<string, unknown> = {}) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web" },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: "web" } },
    template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "nginx", ...container }] } },
    ...spec,
  },
});

const DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments";
const cannot = (detail: string) => `Deployment in version "v1" cannot be handled as a Deployment: ${detail}`;

describe("type errors at decode", () => {
  it.each([
    [deployment({ replicas: "two" }), "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"],
    [deployment({ replicas: 1.5 }), "json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32"],
    [deployment({ paused: "yes" }), "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.paused of type bool"],
    [deployment({}, { ports: [{ containerPort: "80" }] }), "json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32"],
    [deployment({}, { args: "sleep" }), "json: cannot unmarshal string into Go struct field Container.spec.template.spec.containers.args of type []string"],
    [deployment({ template: { spec: { containers: { name: "c" } } } }), "json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container"],
    [deployment({ selector: "app=web" }), "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.selector of type v1.LabelSelector"],
    [{ ...deployment(), metadata: { name: "web", labels: { tier: 1 } } }, "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string"],
    [deployment({}, { resources: { limits: { memory: "1Gb" } } }), "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
    [deployment({ strategy: { rollingUpdate: { maxSurge: true } } }), "json: cannot unmarshal bool into Go value of type int32"],
  ])("POST %#: 400 with the decoder's message", async (body, detail) => {
    const api = await setup();
    const { status, json } = await call(api, "POST", DEPLOYMENTS, body);
    expect(status).toBe(400);
    expect(json).toMatchObject({ reason: "BadRequest", message: cannot(detail) });
  });

  it("accepts what the Go types take: numbers as quantities, ints and strings as IntOrString, nulls", async () => {
    const api = await setup();
    const body = deployment({ strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: "25%" } }, minReadySeconds: null }, { resources: { limits: { cpu: 1, memory: "128Mi" } } });
    expect((await call(api, "POST", DEPLOYMENTS, body)).status).toBe(201);
  });

  it("PUT: a type error is a 400 before any validation", async () => {
    const api = await setup();
    await call(api, "POST", DEPLOYMENTS, deployment());
    const { status, json } = await call(api, "PUT", `${DEPLOYMENTS}/web`, deployment({ replicas: "three" }));
    expect(status).toBe(400);
    expect(json.message).toBe(cannot("json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"));
  });

  it("PATCH: 422 on field patch; a strategic merge patch's result goes through the unstructured converter", async () => {
    const api = await setup();
    await call(api, "POST", DEPLOYMENTS, deployment());
    const smp = await call(api, "PATCH", `${DEPLOYMENTS}/web`, { spec: { replicas: "two" } }, "application/strategic-merge-patch+json");
    expect(smp.status).toBe(422);
    expect(smp.json.message).toBe(' "" is invalid: patch: Invalid value: "map[spec:map[replicas:two]]": unrecognized type: int32');
    const bad = await call(api, "PATCH", `${DEPLOYMENTS}/web`, { spec: { selector: "x" } }, "application/strategic-merge-patch+json");
    expect(bad.json.message).toBe(' "" is invalid: patch: Invalid value: "map[spec:map[selector:x]]": cannot restore struct from: string');
    const merge = await call(api, "PATCH", `${DEPLOYMENTS}/web`, { spec: { replicas: "two" } }, "application/merge-patch+json");
    expect(merge.status).toBe(422);
    expect(merge.json.message).toMatch(/^ "" is invalid: patch: Invalid value: "\{.*\}": json: cannot unmarshal string into Go struct field DeploymentSpec\.spec\.replicas of type int32$/);
  });
});

describe("PersistentVolumeClaim defaults", () => {
  it("a new claim is Pending with volumeMode Filesystem, whatever status it was sent with", async () => {
    const api = await setup();
    const claim = { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } }, status: { phase: "Bound" } };
    const { status, json } = await call(api, "POST", "/api/v1/namespaces/default/persistentvolumeclaims", claim);
    expect(status).toBe(201);
    expect(json.status).toEqual({ phase: "Pending" });
    expect(json.spec?.volumeMode).toBe("Filesystem");
  });
});

describe("StatefulSet volumeClaimTemplates", () => {
  const sts = (spec: Record<string, unknown> = {}): KObject => ({
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "db" },
    spec: {
      serviceName: "db",
      replicas: 1,
      selector: { matchLabels: { app: "db" } },
      template: { metadata: { labels: { app: "db" } }, spec: { containers: [{ name: "db", image: "postgres", volumeMounts: [{ name: "data", mountPath: "/var/lib/postgresql" }] }] } },
      volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } }],
      ...spec,
    },
  });

  it("accepts a container mounting a claim template, and the controller creates <template>-<set>-<ordinal>, Pending", async () => {
    const h = await harness();
    const informers = new SharedInformerFactory(h.client, h.activity);
    const ctx: ControllerContext = { client: h.client, clock: h.clock, rand: seededRand(7), activity: h.activity, informers, version: "v1.32.4", log: () => {} };
    const controller = startStatefulSetController(ctx);
    informers.start();
    try {
      await h.client.resource(GVR.statefulsets).create(sts(), "default");
      await h.settle();
      const claim = (await h.client.resource(PVCS).get("data-db-0", "default")) as KObject & { status?: { phase?: string } };
      expect(claim.status).toEqual({ phase: "Pending" });
      const pod = (await h.client.resource(GVR.pods).get("db-0", "default")) as KObject & { spec: { volumes?: unknown[] } };
      expect(pod.spec.volumes).toEqual(expect.arrayContaining([{ name: "data", persistentVolumeClaim: { claimName: "data-db-0" } }]));
    } finally {
      controller.stop();
      informers.stop();
    }
  });

  it("validates as ValidateStatefulSetSpec does: template labels and restart policy, not the pod spec", async () => {
    const h = await harness();
    const c = h.client.resource(GVR.statefulsets);
    await expect(
      c.create(sts({ template: { metadata: { labels: { app: "db" } }, spec: { restartPolicy: "Never", activeDeadlineSeconds: 5, containers: [{ name: "db", image: "postgres" }] } } }), "default"),
    ).rejects.toThrow(
      'StatefulSet.apps "db" is invalid: [spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always", spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported]',
    );
    await expect(c.create(sts({ podManagementPolicy: "Random" }), "default")).rejects.toThrow(
      `StatefulSet.apps "db" is invalid: spec.podManagementPolicy: Invalid value: "Random": must be 'OrderedReady' or 'Parallel'`,
    );
    const created = (await c.create(sts({ replicas: 0 }), "default")) as StatefulSet;
    expect(created.spec.replicas).toBe(0);
  });
});
