// OpenAPI v3 documents and server-side field validation through handleRest:
// the index and its hashes, per-group-version documents as kubectl reads them,
// and fieldValidation=Strict/Warn/Ignore on create, update and patch.

import { describe, expect, it } from "vitest";
import { APIServer } from "../../src/apiserver/apiserver.ts";
import { goValue, unknownFieldErrors } from "../../src/apiserver/openapi/fieldvalidation.ts";
import { SCHEMAS, schemaNameForKind } from "../../src/apiserver/openapi/schemas.ts";
import { handleRest } from "../../src/apiserver/rest.ts";
import { RESOURCES } from "../../src/apiserver/resources.ts";
import { inProcessClient } from "../../src/client/inprocess.ts";
import { GVR } from "../../src/client/interface.ts";
import { FakeClock } from "../../src/utils/clock.ts";
import { seededRand } from "../../src/utils/rand.ts";

interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: Record<string, unknown>;
}

async function call(api: APIServer, method: string, path: string, opts: { body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const url = new URL(path, "https://x.invalid");
  let status = 0;
  let headers: Record<string, string> = {};
  let text = "";
  const body = opts.body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(opts.body));
  await handleRest(
    api,
    { method, path: url.pathname, query: url.searchParams, headers: { "content-type": "application/json", ...opts.headers }, body },
    { writeHead: (s, h) => ((status = s), (headers = h)), write: (c) => void (text += c.toString()), end: () => undefined },
  );
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* empty answers */
  }
  return { status, headers, text, json };
}

async function setup() {
  const api = new APIServer({ clock: new FakeClock(), rand: seededRand(7) });
  await inProcessClient(api, { user: "admin" }).resource(GVR.namespaces).create({ metadata: { name: "default" } });
  return api;
}

const deployment = (spec: Record<string, unknown> = {}) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web" },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: "web" } },
    template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "httpd" }] } },
    ...spec,
  },
});

type Doc = { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; "x-kubernetes-group-version-kind"?: unknown }>>; components: { schemas: Record<string, Record<string, unknown>> } };

describe("/openapi/v3", () => {
  it("indexes every served group-version with a hashed URL", async () => {
    const api = await setup();
    const index = await call(api, "GET", "/openapi/v3");
    expect(index.status).toBe(200);
    const paths = index.json.paths as Record<string, { serverRelativeURL: string }>;
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(["api/v1", "apis/apps/v1", "apis/batch/v1", "apis/events.k8s.io/v1"]));
    expect(paths["apis/apps/v1"]!.serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);

    const url = paths["apis/apps/v1"]!.serverRelativeURL;
    const doc = await call(api, "GET", url);
    expect(doc.status).toBe(200);
    expect(doc.headers["cache-control"]).toBe("public, immutable");
    const etag = doc.headers["etag"]!;
    expect((await call(api, "GET", url, { headers: { "if-none-match": etag } })).status).toBe(304);
    const stale = await call(api, "GET", "/openapi/v3/apis/apps/v1?hash=ABC");
    expect(stale.status).toBe(301);
    expect(stale.headers["location"]).toBe(url);
    expect((await call(api, "GET", "/openapi/v3/apis/nosuch/v1")).status).toBe(404);
  });

  it("serves schemas named as upstream, with kinds, descriptions and patch metadata", async () => {
    const api = await setup();
    const doc = (await call(api, "GET", "/openapi/v3/apis/apps/v1")).json as unknown as Doc;
    const schemas = doc.components.schemas;
    expect(schemas["io.k8s.api.apps.v1.Deployment"]).toMatchObject({
      description: "Deployment enables declarative updates for Pods and ReplicaSets.",
      "x-kubernetes-group-version-kind": [{ group: "apps", kind: "Deployment", version: "v1" }],
    });
    // The pod template and everything it reaches come along.
    const podSpec = schemas["io.k8s.api.core.v1.PodSpec"] as { properties: Record<string, Record<string, unknown>>; required: string[] };
    expect(podSpec.required).toEqual(["containers"]);
    expect(podSpec.properties.containers).toMatchObject({
      type: "array",
      items: { $ref: "#/components/schemas/io.k8s.api.core.v1.Container" },
      "x-kubernetes-patch-merge-key": "name",
      "x-kubernetes-patch-strategy": "merge",
    });
    expect(String(podSpec.properties.containers!.description)).toMatch(/^List of containers belonging to the pod\./);
    expect(schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]).toBeDefined();
    expect(schemas["io.k8s.api.autoscaling.v1.Scale"]).toBeDefined();

    // kubectl learns that the server takes fieldValidation from the PATCH operation of the kind.
    const item = doc.paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]!;
    expect(item.patch!["x-kubernetes-group-version-kind"]).toEqual({ group: "apps", kind: "Deployment", version: "v1" });
    expect(item.patch!.parameters).toContainEqual(expect.objectContaining({ name: "fieldValidation", in: "query" }));
    expect(doc.paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"]!.patch!["x-kubernetes-group-version-kind"]).toEqual({
      group: "autoscaling",
      kind: "Scale",
      version: "v1",
    });
  });

  it("has a schema for every stored kind", () => {
    const missing = RESOURCES.filter((r) => !r.virtual && !schemaNameForKind(r.group, r.version, r.kind)).map((r) => r.resource);
    expect(missing).toEqual([]);
    // Every $ref resolves.
    const refs = JSON.stringify(SCHEMAS).match(/#\/components\/schemas\/[^"]+/g) ?? [];
    expect(refs.filter((r) => !SCHEMAS[r.slice("#/components/schemas/".length)])).toEqual([]);
  });
});

describe("/openapi/v2", () => {
  it("serves Swagger 2.0 definitions as JSON, and as gnostic protobuf when asked", async () => {
    const api = await setup();
    const json = await call(api, "GET", "/openapi/v2");
    expect(json.headers["content-type"]).toBe("application/json");
    const defs = json.json.definitions as Record<string, { properties: Record<string, Record<string, unknown>> }>;
    expect(defs["io.k8s.api.apps.v1.DeploymentSpec"]!.properties.template).toMatchObject({
      $ref: "#/definitions/io.k8s.api.core.v1.PodTemplateSpec",
      description: expect.stringMatching(/^Template describes the pods/),
    });
    expect(defs["io.k8s.api.core.v1.ServicePort"]!.properties.targetPort!.$ref).toBe("#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString");

    const pb = await call(api, "GET", "/openapi/v2", { headers: { accept: "application/com.github.proto-openapi.spec.v2@v1.0+protobuf" } });
    expect(pb.headers["content-type"]).toBe("application/com.github.proto-openapi.spec.v2.v1.0+protobuf");
    // The bytes carry the names and the group-version-kind extension kubectl maps kinds with.
    expect(pb.text).toContain("io.k8s.api.apps.v1.Deployment");
    expect(pb.text).toContain('x-kubernetes-group-version-kind');
    expect(pb.text).toContain('[{"group":"apps","kind":"Deployment","version":"v1"}]');
    expect((await call(api, "GET", "/openapi/v2", { headers: { "if-none-match": json.headers["etag"]! } })).status).toBe(304);
  });
});

describe("unknown fields", () => {
  it("reports paths as sigs.k8s.io/json does, list items indexed, in document order", () => {
    const obj = deployment({ template: { spec: { contaners: [], containers: [{ name: "a", imagee: "x" }] } }, bogus: 1 });
    expect(unknownFieldErrors(obj, "apps", "v1", "Deployment")).toEqual([
      'unknown field "spec.template.spec.contaners"',
      'unknown field "spec.template.spec.containers[0].imagee"',
      'unknown field "spec.bogus"',
    ]);
    // Maps take any key; metadata is checked too.
    expect(unknownFieldErrors({ metadata: { labels: { anything: "x" }, lables: {} } }, "", "v1", "Pod")).toEqual(['unknown field "metadata.lables"']);
  });

  it("Strict rejects a create with the upstream BadRequest", async () => {
    const api = await setup();
    const body = deployment({ template: { metadata: { labels: { app: "web" } }, spec: { contaners: [{ name: "web", image: "httpd" }] } } });
    const r = await call(api, "POST", "/apis/apps/v1/namespaces/default/deployments?fieldManager=kubectl-client-side-apply&fieldValidation=Strict", { body });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({
      reason: "BadRequest",
      message: 'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.contaners"',
    });
    const two = await call(api, "POST", "/api/v1/namespaces/default/pods?fieldValidation=Strict", {
      body: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "c", image: "i", imagee: "j" }], nodeNme: "x" } },
    });
    expect(two.json.message).toBe('Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].imagee", unknown field "spec.nodeNme"');
  });

  it("Warn (the default) stores the object and answers with Warning headers; Ignore says nothing", async () => {
    const api = await setup();
    const body = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { a: "1" }, dta: {} };
    const warned = await call(api, "POST", "/api/v1/namespaces/default/configmaps", { body });
    expect(warned.status).toBe(201);
    expect(warned.headers["warning"]).toBe('299 - "unknown field \\"dta\\""');
    // The decoder drops what it does not know: the stored object has no trace of it.
    expect(warned.json).not.toHaveProperty("dta");
    expect(warned.json.data).toEqual({ a: "1" });
    const ignored = await call(api, "PUT", "/api/v1/namespaces/default/configmaps/c?fieldValidation=Ignore", { body });
    expect(ignored.status).toBe(200);
    expect(ignored.headers["warning"]).toBeUndefined();
    expect(ignored.json).not.toHaveProperty("dta");
    const strict = await call(api, "PUT", "/api/v1/namespaces/default/configmaps/c?fieldValidation=Strict", { body });
    expect(strict.status).toBe(400);
    expect(strict.json.message).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "dta"');
  });

  it("Strict rejects a strategic merge patch as patch.go does: 422 with the patch printed as a Go map", async () => {
    const api = await setup();
    expect((await call(api, "POST", "/apis/apps/v1/namespaces/default/deployments", { body: deployment() })).status).toBe(201);
    const patch = { spec: { template: { spec: { containers: [{ name: "web", imagee: "nginx" }] } }, replicas: 2 } };
    const r = await call(api, "PATCH", "/apis/apps/v1/namespaces/default/deployments/web?fieldValidation=Strict", {
      body: patch,
      headers: { "content-type": "application/strategic-merge-patch+json" },
    });
    expect(r.status).toBe(422);
    const message =
      'Invalid value: "map[spec:map[replicas:2 template:map[spec:map[containers:[map[imagee:nginx name:web]]]]]]": strict decoding error: unknown field "spec.template.spec.containers[0].imagee"';
    expect(r.json).toMatchObject({ reason: "Invalid", message: ` "" is invalid: patch: ${message}`, details: { causes: [{ reason: "FieldValueInvalid", field: "patch", message }] } });
    // Nothing was written.
    const got = await call(api, "GET", "/apis/apps/v1/namespaces/default/deployments/web");
    expect((got.json.spec as { replicas: number }).replicas).toBe(1);
    // A merge patch under Warn goes through with a warning.
    const warned = await call(api, "PATCH", "/apis/apps/v1/namespaces/default/deployments/web", {
      body: { spec: { replica: 3 } },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(warned.status).toBe(200);
    expect(warned.headers["warning"]).toBe('299 - "unknown field \\"spec.replica\\""');
    expect(warned.json.spec).not.toHaveProperty("replica");
    // A strategic merge patch keeps its directives and loses only the unknown field.
    const smp = await call(api, "PATCH", "/apis/apps/v1/namespaces/default/deployments/web?fieldValidation=Ignore", {
      body: { spec: { template: { spec: { "$setElementOrder/containers": [{ name: "web" }], containers: [{ name: "web", image: "nginx", imagee: "x" }] } } } },
      headers: { "content-type": "application/strategic-merge-patch+json" },
    });
    const containers = (smp.json.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec.containers;
    expect(containers).toEqual([expect.objectContaining({ name: "web", image: "nginx" })]);
    expect(containers[0]).not.toHaveProperty("imagee");
    // A JSON patch loses the operations that write unknown fields.
    const json = await call(api, "PATCH", "/apis/apps/v1/namespaces/default/deployments/web", {
      body: [
        { op: "add", path: "/spec/paused2", value: true },
        { op: "replace", path: "/spec/replicas", value: 4 },
      ],
      headers: { "content-type": "application/json-patch+json" },
    });
    expect(json.headers["warning"]).toBe('299 - "unknown field \\"spec.paused2\\""');
    expect(json.json.spec).toMatchObject({ replicas: 4 });
    expect(json.json.spec).not.toHaveProperty("paused2");
  });

  it("prints values as Go's %v does", () => {
    expect(goValue({ b: [1, "x", null, true], a: { z: 1.5, y: 1234567.5 } })).toBe("map[a:map[y:1.2345675e+06 z:1.5] b:[1 x <nil> true]]");
  });
});
