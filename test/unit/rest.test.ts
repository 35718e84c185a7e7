// The apiserver's REST front through handleRest, in process: routing, errors,
// writes, server-side Tables, watch streams, protobuf bodies and pods/log.

import protobuf from "protobufjs";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { KObject } from "../../src/apimachinery/meta.ts";
import { APIServer } from "../../src/apiserver/apiserver.ts";
import type { KubeletClient } from "../../src/apiserver/kubelet-client.ts";
import { decodeProtobufObject } from "../../src/apiserver/protobuf.ts";
import { handleRest, type RestRequest } from "../../src/apiserver/rest.ts";
import { inProcessClient } from "../../src/client/inprocess.ts";
import { GVR } from "../../src/client/interface.ts";
import { RestClient, restClient, TABLE_ACCEPT } from "../../src/client/rest.ts";
import { inProcessTransport } from "../../src/client/transport.ts";
import { listTable } from "../../src/apiserver/table.ts";
import { Etcd } from "../../src/storage/etcd.ts";
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
  const body = opts.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(opts.body) ? opts.body : Buffer.from(typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body));
  await handleRest(
    api,
    { method, path: url.pathname, query: url.searchParams, headers: { "content-type": "application/json", ...opts.headers }, body },
    { writeHead: (s, h) => ((status = s), (headers = h)), write: (c) => void (text += c.toString()), end: () => undefined },
  );
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* text answers */
  }
  return { status, headers, text, json };
}

async function setup(etcd?: Etcd<KObject>) {
  const clock = new FakeClock();
  const api = new APIServer({ clock, rand: seededRand(7), etcd });
  const c = inProcessClient(api, { user: "admin" });
  await c.resource(GVR.namespaces).create({ metadata: { name: "default" } });
  return { api, clock, c };
}

const pod = (name: string, extra: Record<string, unknown> = {}): KObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name },
  spec: { containers: [{ name: "web", image: "httpd" }] },
  ...extra,
});


/** A kubelet that serves only logs: these tests never ask it for stats or exec. */
const logsOnly: KubeletClient = {
  containerLogs: () => Promise.reject(new Error("not used")),
  statsSummary: () => Promise.reject(new Error("this test's kubelet serves logs only")),
  exec: () => Promise.reject(new Error("this test's kubelet serves logs only")),
};

describe("routing and errors", () => {
  it("answers /version, health checks, and 404 for unknown paths", async () => {
    const { api } = await setup();
    const v = await call(api, "GET", "/version");
    expect(v.json).toMatchObject({ major: "1", minor: "32", gitVersion: "v1.32.4", platform: "linux/amd64" });
    expect((await call(api, "GET", "/healthz")).text).toBe("ok");
    const nf = await call(api, "GET", "/api/v1/nosuch");
    expect(nf.status).toBe(404);
    expect(nf.json).toMatchObject({ kind: "Status", status: "Failure", reason: "NotFound", message: "the server could not find the requested resource", code: 404 });
    expect((await call(api, "GET", "/foo/bar")).status).toBe(404);
    // Cluster-scoped resources have no namespaced path; namespaced objects need their namespace.
    expect((await call(api, "GET", "/api/v1/namespaces/default/nodes")).status).toBe(404);
    expect((await call(api, "GET", "/api/v1/pods/x")).status).toBe(404);
  });

  it("turns store errors into Status answers with their code", async () => {
    const { api } = await setup();
    const g = await call(api, "GET", "/api/v1/namespaces/default/pods/nosuch");
    expect(g.status).toBe(404);
    expect(g.json).toMatchObject({ reason: "NotFound", message: 'pods "nosuch" not found', details: { name: "nosuch", kind: "pods" } });
    const d = await call(api, "GET", "/apis/apps/v1/namespaces/default/deployments/x");
    expect(d.json.message).toBe('deployments.apps "x" not found');
    const bad = await call(api, "POST", "/api/v1/namespaces/default/pods", { body: "{not json" });
    expect(bad.status).toBe(400);
    expect(bad.json.reason).toBe("BadRequest");
    const fs = await call(api, "GET", "/api/v1/pods?fieldSelector=spec.nosuch=x");
    expect(fs.json).toMatchObject({ code: 400, message: "field label not supported: spec.nosuch" });
  });

  it("creates (201), refuses duplicates (409) and a body namespace that differs from the URL (400)", async () => {
    const { api } = await setup();
    const created = await call(api, "POST", "/api/v1/namespaces/default/pods?fieldManager=kubectl-run", { body: pod("web") });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ kind: "Pod", metadata: { name: "web", namespace: "default" } });
    const dup = await call(api, "POST", "/api/v1/namespaces/default/pods", { body: pod("web") });
    expect(dup.status).toBe(409);
    expect(dup.json.message).toBe('pods "web" already exists');
    const other = await call(api, "POST", "/api/v1/namespaces/default/pods", { body: pod("x", { metadata: { name: "x", namespace: "kube-system" } }) });
    expect(other.status).toBe(400);
    expect(other.json.message).toBe("the namespace of the provided object does not match the namespace sent on the request");
    const dry = await call(api, "POST", "/api/v1/namespaces/default/pods?dryRun=All", { body: pod("dry") });
    expect(dry.status).toBe(201);
    expect((await call(api, "GET", "/api/v1/namespaces/default/pods/dry")).status).toBe(404);
  });

  it("accepts YAML bodies", async () => {
    const { api } = await setup();
    const r = await call(api, "POST", "/api/v1/namespaces/default/configmaps", {
      body: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: b\n",
      headers: { "content-type": "application/yaml" },
    });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ data: { a: "b" } });
  });
});

describe("updates, patches and deletes", () => {
  it("PUT checks the URL name and resourceVersion; PATCH picks the patch type from Content-Type", async () => {
    const { api } = await setup();
    const cm = (await call(api, "POST", "/api/v1/namespaces/default/configmaps", { body: { metadata: { name: "cfg" }, data: { a: "1" } } })).json as KObject;
    const wrong = await call(api, "PUT", "/api/v1/namespaces/default/configmaps/other", { body: cm });
    expect(wrong.json.message).toBe("the name of the object (cfg) does not match the name on the URL (other)");
    const put = await call(api, "PUT", "/api/v1/namespaces/default/configmaps/cfg", { body: { ...cm, data: { a: "2" } } });
    expect(put.status).toBe(200);
    const stale = await call(api, "PUT", "/api/v1/namespaces/default/configmaps/cfg", { body: { ...cm, data: { a: "3" } } });
    expect(stale.status).toBe(409);
    expect(stale.json.message).toContain("the object has been modified");
    const merge = await call(api, "PATCH", "/api/v1/namespaces/default/configmaps/cfg", {
      body: { metadata: { labels: { x: "y" } } },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(merge.json).toMatchObject({ metadata: { labels: { x: "y" } }, data: { a: "2" } });
    const jp = await call(api, "PATCH", "/api/v1/namespaces/default/configmaps/cfg", {
      body: [{ op: "replace", path: "/data/a", value: "4" }],
      headers: { "content-type": "application/json-patch+json" },
    });
    expect(jp.json).toMatchObject({ data: { a: "4" } });
    const apply = await call(api, "PATCH", "/api/v1/namespaces/default/configmaps/cfg", { body: "{}", headers: { "content-type": "application/apply-patch+yaml" } });
    expect(apply.status).toBe(415);
  });

  it("scales through /scale with a merge patch", async () => {
    const { api } = await setup();
    await call(api, "POST", "/apis/apps/v1/namespaces/default/deployments", {
      body: {
        metadata: { name: "web" },
        spec: { replicas: 1, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "httpd", image: "httpd" }] } } },
      },
    });
    const s = await call(api, "PATCH", "/apis/apps/v1/namespaces/default/deployments/web/scale", {
      body: { spec: { replicas: 3 } },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(s.json).toMatchObject({ kind: "Scale", apiVersion: "autoscaling/v1", spec: { replicas: 3 }, status: { selector: "app=web" } });
    const d = await call(api, "GET", "/apis/apps/v1/namespaces/default/deployments/web");
    expect(d.json).toMatchObject({ spec: { replicas: 3 } });
  });

  it("DELETE answers 200 with the object when gone, 202 while a pod terminates", async () => {
    const { api } = await setup();
    await call(api, "POST", "/api/v1/namespaces/default/pods", { body: pod("a") });
    await call(api, "POST", "/api/v1/namespaces/default/pods", { body: pod("b", { spec: { nodeName: "node01", containers: [{ name: "web", image: "httpd" }] } }) });
    const a = await call(api, "DELETE", "/api/v1/namespaces/default/pods/a", { body: { propagationPolicy: "Background" } });
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({ kind: "Pod", metadata: { name: "a" } });
    const b = await call(api, "DELETE", "/api/v1/namespaces/default/pods/b?gracePeriodSeconds=10");
    expect(b.status).toBe(202);
    expect(b.json).toMatchObject({ metadata: { name: "b", deletionGracePeriodSeconds: 10 } });
    const gone = await call(api, "DELETE", "/api/v1/namespaces/default/pods/a");
    expect(gone.status).toBe(404);
  });

  it("deletes collections by selector", async () => {
    const { api } = await setup();
    for (const [n, l] of [["a", "x"], ["b", "x"], ["c", "y"]] as const) {
      await call(api, "POST", "/api/v1/namespaces/default/configmaps", { body: { metadata: { name: n, labels: { k: l } } } });
    }
    const del = await call(api, "DELETE", "/api/v1/namespaces/default/configmaps?labelSelector=k%3Dx");
    expect((del.json.items as KObject[]).map((o) => o.metadata.name)).toEqual(["a", "b"]);
    const left = await call(api, "GET", "/api/v1/namespaces/default/configmaps");
    expect((left.json.items as KObject[]).map((o) => o.metadata.name)).toEqual(["c"]);
  });

  it("serves events.k8s.io/v1 events from core/v1 storage, renaming fields both ways", async () => {
    const { api } = await setup();
    const created = await call(api, "POST", "/apis/events.k8s.io/v1/namespaces/default/events", {
      body: {
        apiVersion: "events.k8s.io/v1",
        kind: "Event",
        metadata: { name: "web.1" },
        regarding: { kind: "Pod", name: "web", namespace: "default" },
        note: "Successfully assigned default/web to node01",
        reason: "Scheduled",
        type: "Normal",
        action: "Binding",
        reportingController: "default-scheduler",
        reportingInstance: "default-scheduler-master",
        eventTime: "2026-11-25T09:00:00.000000Z",
      },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ apiVersion: "events.k8s.io/v1", regarding: { name: "web" }, note: "Successfully assigned default/web to node01" });
    const core = await call(api, "GET", "/api/v1/namespaces/default/events/web.1");
    expect(core.json).toMatchObject({ apiVersion: "v1", kind: "Event", involvedObject: { kind: "Pod", name: "web" }, message: "Successfully assigned default/web to node01", reportingComponent: "default-scheduler" });
    expect(core.json).not.toHaveProperty("note");
    const list = await call(api, "GET", "/apis/events.k8s.io/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dweb");
    expect(list.json).toMatchObject({ apiVersion: "events.k8s.io/v1", kind: "EventList", items: [{ note: "Successfully assigned default/web to node01" }] });
    const patched = await call(api, "PATCH", "/apis/events.k8s.io/v1/namespaces/default/events/web.1", {
      body: { note: "changed" },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(patched.json).toMatchObject({ note: "changed" });
    expect((await call(api, "GET", "/api/v1/namespaces/default/events/web.1")).json).toMatchObject({ message: "changed" });
  });

  it("routes pods/NAME/binding and the bindings collection to the binding subresource", async () => {
    const { api } = await setup();
    const body = { apiVersion: "v1", kind: "Binding", metadata: { name: "zz" }, target: { kind: "Node", name: "node01" } };
    const sub = await call(api, "POST", "/api/v1/namespaces/default/pods/zz/binding", { body });
    expect(sub.json).toMatchObject({ code: 404, message: 'pods "zz" not found' });
    const coll = await call(api, "POST", "/api/v1/namespaces/default/bindings", { body });
    expect(coll.json).toMatchObject({ code: 404, message: 'pods "zz" not found' });
    await call(api, "POST", "/api/v1/namespaces/default/pods", { body: pod("a") });
    const noTarget = await call(api, "POST", "/api/v1/namespaces/default/pods/a/binding", { body: { metadata: { name: "a" } } });
    expect(noTarget.json).toMatchObject({ code: 400, message: "Binding target must be specified" });
  });
});

describe("server-side tables", () => {
  it("answers a Table for kubectl's Accept, with full metadata in each row", async () => {
    const { api, clock } = await setup();
    await call(api, "POST", "/api/v1/namespaces/default/pods", { body: pod("web", { metadata: { name: "web", labels: { app: "web" } } }) });
    await clock.advance(90_000);
    const t = await call(api, "GET", "/api/v1/namespaces/default/pods?limit=500", { headers: { accept: TABLE_ACCEPT } });
    expect(t.json).toMatchObject({ kind: "Table", apiVersion: "meta.k8s.io/v1" });
    const cols = (t.json.columnDefinitions as { name: string; priority: number }[]).map((c) => c.name);
    expect(cols.slice(0, 5)).toEqual(["Name", "Ready", "Status", "Restarts", "Age"]);
    const rows = t.json.rows as { cells: unknown[]; object: KObject }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.cells[0]).toBe("web");
    expect(rows[0]!.cells[4]).toBe("90s");
    expect(rows[0]!.object).toMatchObject({ kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: { name: "web", labels: { app: "web" } } });
    const none = await call(api, "GET", "/api/v1/namespaces/default/pods/web?includeObject=None", { headers: { accept: TABLE_ACCEPT } });
    expect((none.json.rows as object[])[0]).not.toHaveProperty("object");
    const full = await call(api, "GET", "/api/v1/namespaces/default/pods/web?includeObject=Object", { headers: { accept: TABLE_ACCEPT } });
    expect((full.json.rows as { object: KObject }[])[0]!.object.kind).toBe("Pod");
  });

  it("falls back to the default convertor (Name, Created At) for kinds without a printer", () => {
    const obj: KObject = { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w1", creationTimestamp: "2026-11-25T09:00:00Z" } };
    const t = listTable({ metadata: { resourceVersion: "5" }, items: [obj] }, { group: "example.com", resource: "widgets", nowMs: 0 });
    expect(t.columnDefinitions!.map((c) => [c.name, c.type, c.format])).toEqual([
      ["Name", "string", "name"],
      ["Created At", "date", ""],
    ]);
    expect(t.rows[0]!.cells).toEqual(["w1", "2026-11-25T09:00:00Z"]);
    expect(t.metadata.resourceVersion).toBe("5");
  });

  it("answers plain JSON when Accept does not ask for a Table", async () => {
    const { api } = await setup();
    const r = await call(api, "GET", "/api/v1/namespaces", { headers: { accept: "application/json" } });
    expect(r.json.kind).toBe("NamespaceList");
    const pom = await call(api, "GET", "/api/v1/namespaces", { headers: { accept: "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json" } });
    expect(pom.json).toMatchObject({ kind: "PartialObjectMetadataList", items: [{ kind: "PartialObjectMetadata", metadata: { name: "default" } }] });
  });
});

/** A watch through handleRest, collecting lines until it ends. */
function startWatch(api: APIServer, path: string, accept = "application/json") {
  const url = new URL(path, "https://x.invalid");
  const abort = new AbortController();
  const state = { status: 0, headers: {} as Record<string, string>, lines: [] as Record<string, unknown>[], ended: false };
  let buf = "";
  const req: RestRequest = { method: "GET", path: url.pathname, query: url.searchParams, headers: { accept }, body: Buffer.alloc(0), signal: abort.signal };
  const done = handleRest(api, req, {
    writeHead: (s, h) => ((state.status = s), (state.headers = h)),
    write: (c) => {
      buf += c.toString();
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        state.lines.push(JSON.parse(buf.slice(0, nl)) as Record<string, unknown>);
        buf = buf.slice(nl + 1);
      }
    },
    end: () => void (state.ended = true),
  });
  return { state, abort, done };
}

describe("watch streams", () => {
  it("flushes headers at once, sends one event per line, and closes after timeoutSeconds of cluster time", async () => {
    const { api, clock, c } = await setup();
    const list = await c.resource(GVR.pods).list("default");
    const w = startWatch(api, `/api/v1/namespaces/default/pods?watch=true&resourceVersion=${list.metadata.resourceVersion}&timeoutSeconds=60`);
    expect(w.state.status).toBe(200);
    expect(w.state.headers["content-type"]).toBe("application/json");
    expect(w.state.lines).toEqual([]);
    await c.resource(GVR.pods).create(pod("a"), "default");
    await c.resource(GVR.pods).delete("a", "default");
    expect(w.state.lines.map((l) => `${l.type} ${(l.object as KObject).metadata.name}`)).toEqual(["ADDED a", "DELETED a"]);
    await clock.advance(59_000);
    expect(w.state.ended).toBe(false);
    await clock.advance(1_000);
    expect(w.state.ended).toBe(true);
    await w.done;
  });

  it("starts with synthetic ADDED events at resourceVersion 0 and stops when the client goes away", async () => {
    const { api, c } = await setup();
    await c.resource(GVR.pods).create(pod("a"), "default");
    await c.resource(GVR.pods).create(pod("b"), "default");
    const w = startWatch(api, "/api/v1/namespaces/default/pods?watch=1&resourceVersion=0&fieldSelector=metadata.name%3Db");
    expect(w.state.lines.map((l) => `${l.type} ${(l.object as KObject).metadata.name}`)).toEqual(["ADDED b"]);
    w.abort.abort();
    await w.done;
    expect(w.state.ended).toBe(true);
    await c.resource(GVR.pods).delete("b", "default");
    expect(w.state.lines).toHaveLength(1);
  });

  it("sends Table events; only the first carries column definitions", async () => {
    const { api, c } = await setup();
    await c.resource(GVR.pods).create(pod("a"), "default");
    const w = startWatch(api, "/api/v1/namespaces/default/pods?watch=true&resourceVersion=0", TABLE_ACCEPT);
    await c.resource(GVR.pods).patch("a", "default", "application/merge-patch+json", { metadata: { labels: { x: "1" } } });
    expect(w.state.lines.map((l) => l.type)).toEqual(["ADDED", "MODIFIED"]);
    const [first, second] = w.state.lines.map((l) => l.object as { kind: string; columnDefinitions: unknown; rows: { cells: unknown[] }[] });
    expect(first!.kind).toBe("Table");
    expect(first!.columnDefinitions).not.toBeNull();
    expect(second!.columnDefinitions).toBeNull();
    expect(second!.rows[0]!.cells[0]).toBe("a");
    w.abort.abort();
    await w.done;
  });

  it("turns a too-old resourceVersion into an ERROR event with the 410 Status", async () => {
    const { api, c } = await setup(new Etcd<KObject>({ historyLimit: 2 }));
    for (const n of ["a", "b", "c", "d", "e"]) await c.resource(GVR.configmaps).create({ metadata: { name: n } }, "default");
    const w = startWatch(api, "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=2");
    await w.done;
    expect(w.state.status).toBe(200);
    expect(w.state.lines).toHaveLength(1);
    expect(w.state.lines[0]).toMatchObject({ type: "ERROR", object: { kind: "Status", code: 410, reason: "Expired" } });
    expect((w.state.lines[0]!.object as { message: string }).message).toMatch(/^too old resource version: 2 \(\d+\)$/);
  });

  it("sends a BOOKMARK after initial events when asked (sendInitialEvents)", async () => {
    const { api, c } = await setup();
    await c.resource(GVR.pods).create(pod("a"), "default");
    const w = startWatch(api, "/api/v1/namespaces/default/pods?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan");
    expect(w.state.lines.map((l) => l.type)).toEqual(["ADDED", "BOOKMARK"]);
    expect(w.state.lines[1]).toMatchObject({ object: { metadata: { annotations: { "k8s.io/initial-events-end": "true" } } } });
    w.abort.abort();
    await w.done;
  });
});

describe("pods/log", () => {
  const twoContainers = pod("two", { spec: { nodeName: "node01", containers: [{ name: "a", image: "x" }, { name: "b", image: "y" }] } });

  it("asks for a container name when the pod has several", async () => {
    const { api } = await setup();
    await call(api, "POST", "/api/v1/namespaces/default/pods", { body: twoContainers });
    const r = await call(api, "GET", "/api/v1/namespaces/default/pods/two/log");
    expect(r.status).toBe(400);
    expect(r.json.message).toBe("a container name must be specified for pod two, choose one of: [a b]");
    const bad = await call(api, "GET", "/api/v1/namespaces/default/pods/two/log?container=zz");
    expect(bad.json.message).toBe("container zz is not valid for pod two");
  });

  it("fails like a dial to port 10250 when the node's kubelet is not running", async () => {
    const { api, c } = await setup();
    await c.resource(GVR.nodes).create({ metadata: { name: "node01" }, status: { addresses: [{ type: "InternalIP", address: "192.168.56.11" }] } });
    await call(api, "POST", "/api/v1/namespaces/default/pods", { body: twoContainers });
    const r = await call(api, "GET", "/api/v1/namespaces/default/pods/two/log?container=a&tailLines=5");
    expect(r.status).toBe(500);
    expect(r.json.message).toBe('Get "https://192.168.56.11:10250/containerLogs/default/two/a?tailLines=5": dial tcp 192.168.56.11:10250: connect: connection refused');
    expect(r.json).not.toHaveProperty("reason");
  });

  it("streams the kubelet's answer as text/plain", async () => {
    const { api } = await setup();
    const seen: unknown[] = [];
    const kubelet: KubeletClient = {
      ...logsOnly,
      async containerLogs(ns, name, opts, out) {
        seen.push([ns, name, opts]);
        out.write("line 1\n");
        await undefined;
        out.write("line 2\n");
      },
    };
    api.kubelets.register("node01", kubelet);
    await call(api, "POST", "/api/v1/namespaces/default/pods", { body: twoContainers });
    const r = await call(api, "GET", "/api/v1/namespaces/default/pods/two/log?container=b&timestamps=true");
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toBe("text/plain");
    expect(r.text).toBe("line 1\nline 2\n");
    expect(seen).toEqual([["default", "two", { container: "b", follow: false, previous: false, timestamps: true }]]);
  });

  it("passes a kubelet's refusal through as a Status", async () => {
    const { api } = await setup();
    const { badRequest } = await import("../../src/apimachinery/errors.ts");
    api.kubelets.register("node01", {
      ...logsOnly,
      async containerLogs() {
        throw badRequest('container "a" in pod "two" is waiting to start: ContainerCreating');
      },
    });
    await call(api, "POST", "/api/v1/namespaces/default/pods", { body: twoContainers });
    const r = await call(api, "GET", "/api/v1/namespaces/default/pods/two/log?container=a&follow=true");
    expect(r.status).toBe(400);
    expect(r.json.message).toBe('container "a" in pod "two" is waiting to start: ContainerCreating');
  });
});

describe("protobuf request bodies", () => {
  // Encodes as gogo-protobuf does: every non-pointer scalar written, zeros included.
  function encode(typeName: string, apiVersion: string, kind: string, value: Record<string, unknown>): Buffer {
    const root = new protobuf.Root();
    for (const f of ["runtime", "intstr", "resource", "meta", "core", "apps", "batch"]) {
      protobuf.parse(readFileSync(new URL(`../../src/apiserver/proto/${f}.proto`, import.meta.url), "utf8"), root, { keepCase: true });
    }
    root.resolveAll();
    const raw = root.lookupType(typeName).encode(value).finish();
    const unknown = root.lookupType("k8s.io.apimachinery.pkg.runtime.Unknown").encode({ typeMeta: { apiVersion, kind }, raw, contentEncoding: "", contentType: "" }).finish();
    return Buffer.concat([Buffer.from("k8s\0", "binary"), unknown]);
  }

  it("decodes a Deployment, dropping gogo's zero values but keeping replicas: 0", async () => {
    const { api } = await setup();
    const body = encode("k8s.io.api.apps.v1.Deployment", "apps/v1", "Deployment", {
      metadata: { name: "web", generateName: "", namespace: "", labels: { app: "web" }, creationTimestamp: { seconds: 0, nanos: 0 } },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { name: "", labels: { app: "web" }, creationTimestamp: { seconds: 0, nanos: 0 } },
          spec: {
            containers: [{ name: "httpd", image: "httpd", workingDir: "", imagePullPolicy: "", stdin: false, tty: false, resources: {}, terminationMessagePath: "" }],
            restartPolicy: "",
            dnsPolicy: "",
            hostNetwork: false,
          },
        },
        strategy: { type: "" },
        minReadySeconds: 0,
        paused: false,
      },
      status: {},
    });
    // Exactly what a JSON client would have sent: zeros dropped, pointer zeros kept.
    expect(decodeProtobufObject(body)).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", labels: { app: "web" } },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: "web" } },
        template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "httpd", image: "httpd", resources: {} }] } },
        strategy: {},
      },
      status: {},
    });
    const r = await call(api, "POST", "/apis/apps/v1/namespaces/default/deployments?fieldManager=kubectl-create&fieldValidation=Strict", {
      body,
      headers: { "content-type": "application/vnd.kubernetes.protobuf", accept: "application/vnd.kubernetes.protobuf,application/json" },
    });
    expect(r.status).toBe(201);
    expect(r.headers["content-type"]).toBe("application/json");
    expect(r.json).toMatchObject({ metadata: { name: "web", namespace: "default" }, spec: { replicas: 0 } });
  });

  it("decodes Secret bytes to base64 and Service target ports", async () => {
    const { api } = await setup();
    const secret = encode("k8s.io.api.core.v1.Secret", "v1", "Secret", { metadata: { name: "s" }, data: { pw: Buffer.from("hunter2") }, type: "Opaque" });
    const s = await call(api, "POST", "/api/v1/namespaces/default/secrets", { body: secret, headers: { "content-type": "application/vnd.kubernetes.protobuf" } });
    expect(s.json).toMatchObject({ data: { pw: Buffer.from("hunter2").toString("base64") }, type: "Opaque" });
    const svc = encode("k8s.io.api.core.v1.Service", "v1", "Service", {
      metadata: { name: "web" },
      spec: { ports: [{ name: "80-8080", protocol: "TCP", port: 80, targetPort: { type: 0, intVal: 8080, strVal: "" }, nodePort: 0 }], selector: { app: "web" }, type: "ClusterIP" },
    });
    const v = await call(api, "POST", "/api/v1/namespaces/default/services", { body: svc, headers: { "content-type": "application/vnd.kubernetes.protobuf" } });
    expect(v.status).toBe(201);
    expect((v.json as { spec: { ports: unknown[] } }).spec.ports).toEqual([{ name: "80-8080", protocol: "TCP", port: 80, targetPort: 8080 }]);
  });

  it("refuses bodies without the magic prefix and kinds it has no descriptor for", async () => {
    const { api } = await setup();
    const r = await call(api, "POST", "/api/v1/namespaces/default/pods", { body: Buffer.from("nope"), headers: { "content-type": "application/vnd.kubernetes.protobuf" } });
    expect(r.status).toBe(400);
    const pb = encode("k8s.io.api.core.v1.ConfigMap", "v1", "Pod", { metadata: { name: "p" } });
    const u = await call(api, "POST", "/api/v1/namespaces/default/pods", { body: pb, headers: { "content-type": "application/vnd.kubernetes.protobuf" } });
    expect(u.status).toBe(415);
  });
});

describe("the REST client over the in-process transport", () => {
  it("implements the Client contract with Status errors and watches", async () => {
    const { api, clock } = await setup();
    const client = restClient(inProcessTransport(api));
    const pods = client.resource(GVR.pods);
    await pods.create(pod("a"), "default");
    expect((await pods.get("a", "default")).metadata.name).toBe("a");
    await expect(pods.get("zz", "default")).rejects.toMatchObject({ code: 404, message: 'pods "zz" not found' });
    const list = await pods.list("default");
    const events: string[] = [];
    let closed = false;
    pods.watch("default", { resourceVersion: list.metadata.resourceVersion, timeoutSeconds: 30 }, {
      onEvent: (e) => events.push(`${e.type} ${e.object.metadata.name}`),
      onClose: () => void (closed = true),
    });
    await new Promise((r) => setImmediate(r));
    await pods.patch("a", "default", "application/merge-patch+json", { metadata: { labels: { k: "v" } } });
    await pods.delete("a", "default");
    await new Promise((r) => setImmediate(r));
    expect(events).toEqual(["MODIFIED a", "DELETED a"]);
    await clock.advance(30_000);
    await new Promise((r) => setImmediate(r));
    expect(closed).toBe(true);
  });

  it("RestClient reads Tables and text", async () => {
    const { api } = await setup();
    const rc = new RestClient(inProcessTransport(api));
    const t = await rc.getTable<{ kind: string; rows: unknown[] }>("/api/v1/namespaces", { limit: 500 });
    expect(t.kind).toBe("Table");
    expect(t.rows).toHaveLength(1);
    expect(await rc.getText("/healthz")).toBe("ok");
    await expect(rc.get("/api/v1/namespaces/nosuch")).rejects.toMatchObject({ reason: "NotFound" });
  });
});
