import { spawn } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { buildPicture } from "../../server/picture.ts";
import { CLOSE } from "../../server/terminal.ts";
import { THIN_CLIENT_SCRIPT } from "../../server/thin-client.ts";
import { type Harness, openWS, rawGet, startHarness } from "./server-fixture.ts";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Runs a thin client (C or node) as the lab shell would, returning its output and exit code. */
function runThin(h: Harness, sessionId: string, argv: string[], options: { stdin?: string; env?: Record<string, string>; interruptAfter?: string; node?: boolean } = {}) {
  return h.kubelab.sessions.running(sessionId)!.then(
    (s) =>
      new Promise<{ out: string; err: string; code: number | null }>((resolve) => {
        // Both clients take `COMMAND ARGS...` when not called through a symlink named after the command.
        const tc = options.node || h.thinClient.kind === "node" ? { cmd: process.execPath, args: [THIN_CLIENT_SCRIPT, ...argv] } : { cmd: h.thinClient.path, args: argv };
        const p = spawn(tc.cmd, tc.args, {
          env: { PATH: process.env.PATH, KUBELAB_SOCK: s.socketPath, KUBELAB_TOKEN: s.execToken, KUBECONFIG: s.kubeconfig, KUBELAB_NODE: "node01", ...options.env },
          cwd: s.files.home,
        });
        let out = "";
        let err = "";
        p.stdout.on("data", (d) => {
          out += d;
          if (options.interruptAfter && out.includes(options.interruptAfter)) p.kill("SIGINT");
        });
        p.stderr.on("data", (d) => (err += d));
        if (options.stdin !== undefined) p.stdin.end(options.stdin);
        p.on("close", (code) => resolve({ out, err, code }));
      }),
  );
}

function sessionIdOf(h: Harness, cookie: string): string {
  const v = decodeURIComponent(cookie.split("=")[1]!);
  return v.slice(0, v.lastIndexOf("."));
}

describe("web server security", () => {
  it("requires the token: 401 without, cookie after ?token=, Authorization header accepted", async () => {
    h = await startHarness();
    expect((await fetch(`${h.base}/api/session`)).status).toBe(401);
    expect((await fetch(`${h.base}/?token=wrong`, { redirect: "manual" })).status).toBe(401);
    const login = await fetch(`${h.base}/?token=${h.token}`, { redirect: "manual" });
    expect(login.status).toBe(302);
    expect(login.headers.get("location")).toBe("/");
    const setCookie = login.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const cookie = setCookie.split(";")[0]!;
    const page = await fetch(`${h.base}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("kubelab");
    expect((await fetch(`${h.base}/api/session`, { headers: { authorization: `Bearer ${h.token}` } })).status).toBe(200);
    // A forged cookie (someone else's id without the signature) is not a session.
    expect((await fetch(`${h.base}/api/session`, { headers: { cookie: `kubelab_session=${sessionIdOf(h, cookie)}.forged` } })).status).toBe(401);
  });

  it("refuses a foreign Host header (DNS rebinding) with 403", async () => {
    h = await startHarness();
    const cookie = await h.login();
    const r = await rawGet(h.port, "/api/session", { cookie, host: `evil.example:${h.port}` });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body).error).toMatch(/Host "evil.example:\d+" is not allowed/);
    expect((await fetch(`http://localhost:${h.port}/api/session`, { headers: { cookie } })).status).toBe(200);
  });

  it("refuses cross-origin state changes", async () => {
    h = await startHarness();
    const cookie = await h.login();
    const bad = await fetch(`${h.base}/api/clock`, { method: "POST", headers: { cookie, origin: "http://evil.example", "content-type": "application/json" }, body: '{"speed":10}' });
    expect(bad.status).toBe(403);
    const ok = await fetch(`${h.base}/api/clock`, { method: "POST", headers: { cookie, origin: h.base, "content-type": "application/json" }, body: '{"speed":10}' });
    expect(ok.status).toBe(200);
    expect((await ok.json()).speed).toBe(10);
    const invalid = await fetch(`${h.base}/api/clock`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: '{"speed":7}' });
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).error).toBe("speed must be one of 1, 2, 5, 10, 30, 60");
  });

  it("closes WebSockets with codes that say why", async () => {
    h = await startHarness();
    const cookie = await h.login();
    await fetch(`${h.base}/api/session`, { headers: { cookie } });
    const url = `ws://127.0.0.1:${h.port}/ws/terminal`;
    expect(await (await openWS(url, { cookie, origin: "http://evil.example" })).closed).toMatchObject({ code: CLOSE.forbidden, reason: "origin not allowed" });
    expect(await (await openWS(url, { origin: h.base })).closed).toMatchObject({ code: CLOSE.badToken });
    expect(await (await openWS(url, { cookie, host: `evil.example:${h.port}` })).closed).toMatchObject({ code: CLOSE.forbidden, reason: "host not allowed" });
    const wrongToken = await openWS(url, { cookie, origin: h.base });
    wrongToken.ws.send(JSON.stringify({ type: "init", token: "another-sessions-token", cols: 80, rows: 24 }));
    expect(await wrongToken.closed).toMatchObject({ code: CLOSE.badToken, reason: "bad terminal token" });
    const noInit = await openWS(url, { cookie, origin: h.base });
    noInit.ws.send(JSON.stringify({ type: "input", data: "ls\r" }));
    expect(await noInit.closed).toMatchObject({ code: CLOSE.protocol, reason: "first message must be init" });
  });

  it("keeps sessions apart: one session's terminal token does not open another's terminal", async () => {
    h = await startHarness();
    const a = await h.login();
    const b = await h.login();
    expect(a).not.toBe(b);
    const tokA = (await (await fetch(`${h.base}/api/session`, { headers: { cookie: a } })).json()).terminalToken as string;
    await fetch(`${h.base}/api/session`, { headers: { cookie: b } });
    const c = await openWS(`ws://127.0.0.1:${h.port}/ws/terminal`, { cookie: b });
    c.ws.send(JSON.stringify({ type: "init", token: tokA, cols: 80, rows: 24 }));
    expect((await c.closed).code).toBe(CLOSE.badToken);
    expect(h.lab.started).toBe(2);
  });
});

describe("sessions", () => {
  it("writes a private kubeconfig naming the session's cluster, and survives a restart with progress", async () => {
    h = await startHarness();
    const cookie = await h.login();
    const id = sessionIdOf(h, cookie);
    const s = await h.kubelab.sessions.running(id)!;
    expect(statSync(s.dir).mode & 0o777).toBe(0o700);
    expect(statSync(s.kubeconfig).mode & 0o777).toBe(0o600);
    const kc = readFileSync(s.kubeconfig, "utf8");
    expect(kc).toContain(`server: https://127.0.0.1:6443/clusters/${id.slice(0, 8)}-1`);
    expect(kc).toContain(`token: tok-${id.slice(0, 8)}-1`);
    expect(kc).toContain("current-context: kubernetes-admin@kubernetes");

    expect((await fetch(`${h.base}/api/lessons/01-run/open`, { method: "POST", headers: { cookie } })).status).toBe(200);
    const r = await runThin(h, id, ["hostname"]);
    expect(r).toEqual({ out: "node01\n", err: "", code: 0 });
    const lesson = await (await fetch(`${h.base}/api/lessons/01-run`, { headers: { cookie } })).json();
    expect(lesson.steps).toEqual([
      { id: "first", title: "First", done: true },
      { id: "second", title: "Second", done: false },
    ]);

    // Restart: same data dir, new server process state. The cookie maps back.
    const dataDir = h.dataDir;
    const { kubelab, store, ...rest } = h;
    void rest;
    await kubelab.close();
    store.close();
    const h2 = await startHarness({ dataDir });
    try {
      const again = await fetch(`${h2.base}/api/session`, { headers: { cookie } });
      expect(again.status).toBe(200);
      expect(again.headers.get("set-cookie")).toBeNull();
      expect(await again.json()).toMatchObject({ restored: true, lesson: "01-run", generation: 1 });
      const l2 = await (await fetch(`${h2.base}/api/lessons/01-run`, { headers: { cookie } })).json();
      expect(l2.steps.map((x: { done: boolean }) => x.done)).toEqual([true, false]);
    } finally {
      await h2.close();
      h = undefined;
    }
  });

  it("Reset rebuilds the cluster and forgets only the current lesson's steps", async () => {
    h = await startHarness();
    const cookie = await h.login();
    const id = sessionIdOf(h, cookie);
    h.store.markDone(id, "00-intro", "read", 1);
    await fetch(`${h.base}/api/lessons/01-run/open`, { method: "POST", headers: { cookie } });
    await runThin(h, id, ["hostname"]);
    expect(h.store.progress(id, "01-run")).toHaveLength(1);
    const r = await fetch(`${h.base}/api/reset`, { method: "POST", headers: { cookie } });
    expect(await r.json()).toEqual({ generation: 2, lesson: "01-run" });
    expect(h.lab.started).toBe(2);
    expect(h.store.progress(id, "01-run")).toEqual([]);
    expect(h.store.progress(id).map((p) => p.lesson)).toEqual(["00-intro"]);
    const s = await h.kubelab.sessions.running(id)!;
    expect(readFileSync(s.kubeconfig, "utf8")).toContain(`token: tok-${id.slice(0, 8)}-2`);
  });
});

describe("exec bridge", () => {
  for (const node of [false, true]) {
    const kind = node ? "node thin client" : "default thin client";
    it(`${kind}: forwards argv, cwd, env, stdin, exit codes and records the history`, async () => {
      h = await startHarness();
      const cookie = await h.login();
      const id = sessionIdOf(h, cookie);
      const s = await h.kubelab.sessions.running(id)!;
      const r = await runThin(h, id, ["kubectl", "get", "pods", "-o", "wide"], { node });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.out)).toEqual({ argv: ["get", "pods", "-o", "wide"], cwd: s.files.home, tty: false, node: "node01", kubeconfig: s.kubeconfig });
      expect(await runThin(h, id, ["kubectl", "cat"], { stdin: "apiVersion: v1\n", node })).toEqual({ out: "apiVersion: v1\n", err: "", code: 0 });
      expect((await runThin(h, id, ["kubectl", "fail"], { node })).code).toBe(3);
      const nf = await runThin(h, id, ["nosuch"], { node });
      expect(nf).toEqual({ out: "", err: "bash: nosuch: command not found\n", code: 127 });
      expect(h.store.commands(id).map((c) => [c.argv.join(" "), c.node, c.exitCode])).toEqual([
        ["kubectl get pods -o wide", "node01", 0],
        ["kubectl cat", "node01", 0],
        ["kubectl fail", "node01", 3],
      ]);
    });

    it(`${kind}: Ctrl-C aborts a long-running command`, async () => {
      h = await startHarness();
      const id = sessionIdOf(h, await h.login());
      const r = await runThin(h, id, ["kubectl", "wait"], { interruptAfter: "waiting", node });
      expect(r).toEqual({ out: "waiting\n", err: "interrupted\n", code: 130 });
    });
  }

  it("refuses a thin client with another session's token", async () => {
    h = await startHarness();
    const id = sessionIdOf(h, await h.login());
    const r = await runThin(h, id, ["hostname"], { env: { KUBELAB_TOKEN: "nope" } });
    expect(r).toEqual({ out: "", err: "hostname: the kubelab server refused this shell's token\n", code: 1 });
  });
});

describe("browser assets and cluster picture", () => {
  it("bundles the page's script and styles without a CDN", async () => {
    h = await startHarness();
    const cookie = await h.login();
    const js = await fetch(`${h.base}/assets/app.js`, { headers: { cookie } });
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toMatch(/javascript/);
    const body = await js.text();
    expect(body).toContain("/ws/terminal");
    expect(body).not.toMatch(/https?:\/\/(cdn|unpkg|jsdelivr)/);
    const css = await (await fetch(`${h.base}/assets/app.css`, { headers: { cookie } })).text();
    expect(css).toContain(".xterm");
    expect(css).toContain("#divider");
  });

  it("draws nodes with their pods and the status kubectl would print", () => {
    const node = (name: string, ready: string) => ({ metadata: { name }, status: { conditions: [{ type: "Ready", status: ready }] } });
    const pod = (name: string, nodeName: string | undefined, extra: object = {}) => ({ metadata: { name, namespace: "default" }, spec: nodeName ? { nodeName } : {}, status: { phase: "Pending" }, ...extra });
    const p = buildPicture(
      [node("node01", "True"), node("master", "True"), node("node02", "Unknown")],
      [
        pod("web-b", "node01", { status: { phase: "Running" } }),
        pod("web-a", "node01", { status: { phase: "Pending", containerStatuses: [{ state: { waiting: { reason: "ContainerCreating" } } }] } }),
        pod("web-c", "node02", { metadata: { name: "web-c", namespace: "default", deletionTimestamp: "2026-01-01T00:00:00Z" } }),
        pod("web-d", undefined),
      ],
    );
    expect(p).toEqual({
      nodes: [
        { name: "master", ready: true, pods: [] },
        { name: "node01", ready: true, pods: [{ namespace: "default", name: "web-a", status: "ContainerCreating" }, { namespace: "default", name: "web-b", status: "Running" }] },
        { name: "node02", ready: false, pods: [{ namespace: "default", name: "web-c", status: "Terminating" }] },
      ],
      pending: [{ namespace: "default", name: "web-d", status: "Pending" }],
    });
  });
});
