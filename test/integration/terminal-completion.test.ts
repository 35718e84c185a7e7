// TAB completion in the lab shell: the rcfile sources `kubectl completion bash`
// (kubectl 1.32's own script), which asks the emulated kubectl's __complete for
// candidates through the thin client; readline then completes the line.

import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type WebSocket from "ws";
import { ProgressStore } from "../../src/progress/store.ts";
import { createApp, type KubelabApp } from "../../server/app.ts";
import { createLab, type RealLab } from "../../server/wiring.ts";
import { openWS, waitFor } from "../unit/server-fixture.ts";

let lab: RealLab;
let kubelab: KubelabApp;
let server: Server;
let store: ProgressStore;
let base = "";
let port = 0;
const dirs: string[] = [];
const tmp = (p: string) => {
  const d = mkdtempSync(join(tmpdir(), p));
  dirs.push(d);
  return d;
};

beforeAll(async () => {
  store = new ProgressStore(join(tmp("kubelab-cmp-data-"), "kubelab.db"));
  lab = await createLab({ lessonsDir: tmp("kubelab-cmp-lessons-") });
  kubelab = createApp({ lab, store, token: "tok", runtimeDir: tmp("kubelab-cmp-run-"), log: () => {} });
  server = createServer(kubelab.app);
  kubelab.attach(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
}, 60_000);

afterAll(async () => {
  await kubelab?.close();
  server?.closeAllConnections();
  server?.close();
  await lab?.close();
  store?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function connect() {
  const r = await fetch(`${base}/?token=tok`, { redirect: "manual" });
  const cookie = r.headers.get("set-cookie")!.split(";")[0]!;
  const { terminalToken } = (await (await fetch(`${base}/api/session`, { headers: { cookie } })).json()) as { terminalToken: string };
  const { ws } = await openWS(`ws://127.0.0.1:${port}/ws/terminal`, { cookie, origin: base });
  let text = "";
  const listeners = new Set<() => void>();
  ws.on("message", (data: WebSocket.RawData, isBinary: boolean) => {
    if (!isBinary) return;
    const b = data as Buffer;
    text += b.toString("utf8").replace(/\x1b\[\?2004[hl]\r?/g, "");
    ws.send(JSON.stringify({ type: "ack", bytes: b.length }));
    for (const l of [...listeners]) l();
  });
  ws.send(JSON.stringify({ type: "init", token: terminalToken, cols: 120, rows: 30 }));
  const subscribe = (fn: () => void) => {
    listeners.add(fn);
    return () => void listeners.delete(fn);
  };
  return {
    text: () => text,
    until: (pred: (t: string) => boolean, from = 0) => waitFor(() => text.slice(from), subscribe, pred, 20_000),
    type: (s: string) => ws.send(JSON.stringify({ type: "input", data: s })),
  };
}

describe("lab shell completion", () => {
  it("completes kubectl commands, resource types and object names with TAB", async () => {
    const t = await connect();
    await t.until((s) => s.includes("[root@master ~]# "));

    // A unique command prefix completes with a trailing space.
    let mark = t.text().length;
    t.type("kubectl ver\t");
    await t.until((s) => s.endsWith("sion "), mark);

    // A resource type, then an object name listed from the API.
    t.type("\x15");
    mark = t.text().length;
    t.type("kubectl get nam\t");
    await t.until((s) => s.includes("espaces "), mark);
    mark = t.text().length;
    t.type("kube-sy\t");
    await t.until((s) => s.includes("stem "), mark);
    mark = t.text().length;
    t.type("\r");
    const out = await t.until((s) => /kube-system\s+Active/.test(s) && s.endsWith("# "), mark);
    expect(out).toMatch(/NAME\s+STATUS\s+AGE/);

    // The alias k completes too; -n takes namespaces.
    mark = t.text().length;
    t.type("k get pods -n kube-fl\t");
    await t.until((s) => s.includes("annel "), mark);
    t.type("\x15");
  }, 60_000);
});
