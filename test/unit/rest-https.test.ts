// The HTTPS front: bearer tokens per cluster, /clusters/<id> routing, body
// caps and hostile input; the REST client and kubeconfig over real TLS.

import { request } from "node:https";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APIServer } from "../../src/apiserver/apiserver.ts";
import { ClusterRegistry, type RunningApiServer, startApiServerHttps } from "../../src/apiserver/server.ts";
import { type CertificateAuthority, createCA, DEFAULT_SERVING_HOSTS, issueServingCert } from "../../src/apiserver/tls.ts";
import { GVR } from "../../src/client/interface.ts";
import { loadKubeconfig, writeKubeconfig } from "../../src/client/kubeconfig.ts";
import { RestClient, restClient } from "../../src/client/rest.ts";
import { httpsTransport } from "../../src/client/transport.ts";
import { FakeClock } from "../../src/utils/clock.ts";
import { seededRand } from "../../src/utils/rand.ts";

const TOKEN_A = "aaaaaaaaaaaaaaaaaaaaaaaa";
const TOKEN_B = "bbbbbbbbbbbbbbbbbbbbbbbb";

describe("HTTPS apiserver", () => {
  let ca: CertificateAuthority;
  let server: RunningApiServer;
  let a: APIServer;
  let b: APIServer;
  const transports: { close(): void }[] = [];

  beforeAll(async () => {
    const clock = new FakeClock();
    a = new APIServer({ clock, rand: seededRand(1) });
    b = new APIServer({ clock, rand: seededRand(2) });
    // Certificates are checked against wall time by the TLS peer, not the cluster clock.
    ca = createCA({ wallClockMs: new Date().getTime() });
    const cert = issueServingCert(ca, DEFAULT_SERVING_HOSTS, { wallClockMs: new Date().getTime() });
    const clusters = new ClusterRegistry();
    clusters.add("a", a, TOKEN_A);
    clusters.add("b", b, TOKEN_B);
    server = await startApiServerHttps({ clusters, cert, maxBodyBytes: 64 * 1024 });
  }, 30_000);

  afterAll(async () => {
    for (const t of transports) t.close();
    await server.close();
  });

  function rest(prefix: string, token?: string): RestClient {
    const t = httpsTransport({ server: `${server.url}${prefix}`, caPem: ca.certPem, token });
    transports.push(t);
    return new RestClient(t);
  }

  it("serves each cluster under its prefix, only with its own token", async () => {
    await restClient(rest("/clusters/a", TOKEN_A).transport).resource(GVR.namespaces).create({ metadata: { name: "only-in-a" } });
    const inA = await rest("/clusters/a", TOKEN_A).get<{ items: unknown[] }>("/api/v1/namespaces");
    const inB = await rest("/clusters/b", TOKEN_B).get<{ items: unknown[] }>("/api/v1/namespaces");
    expect(inA.items).toHaveLength(1);
    expect(inB.items).toHaveLength(0);
    // Unprefixed paths go to the cluster whose token the request bears.
    expect((await rest("", TOKEN_A).get<{ items: unknown[] }>("/api/v1/namespaces")).items).toHaveLength(1);
    expect((await rest("", TOKEN_B).get<{ items: unknown[] }>("/api/v1/namespaces")).items).toHaveLength(0);
    await expect(rest("", "cccccccccccccccccccccccc").get("/version")).rejects.toMatchObject({ code: 401 });
    await expect(rest("/clusters/b", TOKEN_A).get("/api/v1/namespaces")).rejects.toMatchObject({ code: 401, message: "Unauthorized" });
    await expect(rest("/clusters/a").get("/version")).rejects.toMatchObject({ code: 401 });
    await expect(rest("/clusters/nosuch", TOKEN_A).get("/version")).rejects.toMatchObject({ code: 401 });
  });

  it("caps request bodies with 413 and survives hostile input", async () => {
    const rc = rest("/clusters/a", TOKEN_A);
    const big = await rc.raw("POST", "/api/v1/namespaces", { body: `{"metadata":{"name":"x"},"pad":"${"x".repeat(100 * 1024)}"}` });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body.toString())).toMatchObject({ reason: "RequestEntityTooLarge", message: "Request entity too large: limit is 65536" });
    const bad = await rc.raw("POST", "/api/v1/namespaces", { body: "{{{" });
    expect(bad.status).toBe(400);
    const arr = await rc.raw("POST", "/api/v1/namespaces", { body: "[1,2]" });
    expect(arr.status).toBe(400);
    const weird = await rc.raw("GET", "/api/v1/namespaces/%ZZ/pods/..%2F..");
    expect(weird.status).toBe(404);
    const meta = await rc.raw("POST", "/api/v1/namespaces", { body: '{"metadata":"nope"}' });
    expect(meta.status).toBe(400);
    // Still answering.
    expect((await rc.raw("GET", "/healthz")).body.toString()).toBe("ok");
  });

  it("streams watches over TLS and ends them when the client aborts", async () => {
    const rc = rest("/clusters/b", TOKEN_B);
    const abort = new AbortController();
    const seen: string[] = [];
    const done = rc.watch<{ metadata: { name: string } }>("/api/v1/namespaces", { resourceVersion: "0" }, (ev) => {
      seen.push(`${ev.type} ${ev.object.metadata.name}`);
      if (seen.length === 1) abort.abort();
    }, abort.signal);
    await restClient(rc.transport).resource(GVR.namespaces).create({ metadata: { name: "w" } });
    await done;
    expect(seen).toEqual(["ADDED w"]);
  });

  it("writes a kubeconfig kubectl and the loader agree on", () => {
    const dir = mkdtempSync(join(tmpdir(), "kubelab-kc-"));
    try {
      const text = writeKubeconfig({ server: `${server.url}/clusters/a`, caPem: ca.certPem, token: TOKEN_A, namespace: "dev" });
      expect(text).toMatch(/^apiVersion: v1\nclusters:\n- cluster:\n {4}certificate-authority-data: \S+\n {4}server: https:\/\/127\.0\.0\.1:\d+\/clusters\/a\n {2}name: kubernetes\n/);
      expect(text).toContain("current-context: kubernetes-admin@kubernetes\nkind: Config\npreferences: {}\nusers:\n- name: kubernetes-admin\n  user:\n    token: aaaa");
      const file = join(dir, "config");
      writeFileSync(file, text);
      const kc = loadKubeconfig({ env: { KUBECONFIG: `${join(dir, "missing")}:${file}` } });
      expect(kc).toMatchObject({ contextName: "kubernetes-admin@kubernetes", clusterName: "kubernetes", userName: "kubernetes-admin", token: TOKEN_A, namespace: "dev", caPem: ca.certPem });
      expect(kc.files).toEqual([file]);
      const home = loadKubeconfig({ env: { HOME: dir }, readFile: (p) => (p === join(dir, ".kube", "config") ? text : "") });
      expect(home.server).toBe(`${server.url}/clusters/a`);
      expect(() => loadKubeconfig({ env: {}, path: join(dir, "nope") })).toThrow(/no such file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses clients that do not trust the cluster CA", async () => {
    const err = await new Promise<Error>((resolve) => {
      const r = request(`${server.url}/version`, { headers: { authorization: `Bearer ${TOKEN_A}` } }, () => resolve(new Error("connected")));
      r.on("error", resolve);
      r.end();
    });
    expect(err.message).toMatch(/self[- ]signed|unable to verify/i);
  });
});
