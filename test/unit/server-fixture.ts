// Test fixture for the web server: createApp with a small in-memory Lab (a
// real in-process APIServer, three nodes, a few commands), listening on an
// ephemeral 127.0.0.1 port, plus helpers to log in and open WebSockets.
// Used by test/unit/server*.test.ts and test/integration/terminal*.test.ts.

import { mkdtempSync, rmSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";
import { APIServer } from "../../src/apiserver/apiserver.ts";
import { inProcessClient } from "../../src/client/inprocess.ts";
import { ProgressStore } from "../../src/progress/store.ts";
import type { LabClock } from "../../src/utils/clock.ts";
import type { Command } from "../../src/utils/command.ts";
import { seededRand } from "../../src/utils/rand.ts";
import { type AppDeps, createApp, type KubelabApp } from "../../server/app.ts";
import type { Grader, GraderWatch, Lab, LabCluster } from "../../server/lab.ts";
import type { FlowOptions } from "../../server/terminal.ts";
import { prepareThinClient, type ThinClient } from "../../server/thin-client.ts";

const NODES = [
  { name: "master", ip: "172.30.1.2" },
  { name: "node01", ip: "172.30.2.2" },
  { name: "node02", ip: "172.30.2.3" },
];

/** Commands of the fake lab: enough to test the bridges, not kubectl itself. */
const COMMANDS: Record<string, (node: string) => Command> = {
  hostname: (node) => async (_argv, io) => {
    io.stdout.write(`${node}\n`);
    return 0;
  },
  // `kubectl cat` echoes stdin; `kubectl wait` blocks until Ctrl-C; `kubectl env` prints what arrived.
  kubectl: () => async (argv, io) => {
    if (argv[0] === "cat") {
      for await (const c of io.stdin) io.stdout.write(c);
      return 0;
    }
    if (argv[0] === "wait") {
      io.stdout.write("waiting\n");
      await new Promise<void>((r) => io.signal.addEventListener("abort", () => r()));
      io.stderr.write("interrupted\n");
      return 0;
    }
    if (argv[0] === "fail") return 3;
    io.stdout.write(`${JSON.stringify({ argv, cwd: io.cwd, tty: io.isTTY, node: io.env.KUBELAB_NODE, kubeconfig: io.env.KUBECONFIG, columns: io.columns })}\n`);
    return 0;
  },
};

export class FakeGrader implements Grader {
  readonly watches: { lesson: string; onStep(step: string, done: boolean): void; commands: string[] }[] = [];
  watch(o: Parameters<Grader["watch"]>[0]): GraderWatch {
    const w = { lesson: o.lesson, onStep: o.onStep, commands: [] as string[] };
    this.watches.push(w);
    for (const st of ["first", "second"]) o.onStep(st, false);
    return {
      command: (ev) => {
        w.commands.push(ev.line ?? ev.argv.join(" "));
        // "first" is done when the learner ran `hostname` on node01.
        if (ev.argv[0] === "hostname" && ev.node === "node01") o.onStep("first", true);
      },
      stop: () => {},
    };
  }
}

export function fakeLab(grader = new FakeGrader()): Lab & { started: number } {
  const lab = {
    started: 0,
    grader,
    async startCluster(o: { id: string; clock: LabClock; seed: number }): Promise<LabCluster> {
      lab.started++;
      const api = new APIServer({ clock: o.clock, rand: seededRand(o.seed) });
      return {
        nodes: NODES,
        endpoint: { server: `https://127.0.0.1:6443/clusters/${o.id}`, ca: "-----BEGIN CERTIFICATE-----\nfake\n-----END CERTIFICATE-----\n", token: `tok-${o.id}` },
        client: (user) => inProcessClient(api, { user }),
        run: (name, argv, io, node) => COMMANDS[name]?.(node)(argv, io),
        stop: () => {},
      };
    },
    lessons: {
      async list() {
        return [{ id: "01-run", title: "Run a Deployment" }];
      },
      async get(id: string) {
        return id === "01-run"
          ? { id, title: "Run a Deployment", html: '<pre data-run="kubectl get nodes"><code>kubectl get nodes</code></pre>', steps: [{ id: "first", title: "First" }, { id: "second", title: "Second" }] }
          : undefined;
      },
    },
  };
  return lab;
}

export interface Harness {
  base: string;
  port: number;
  token: string;
  kubelab: KubelabApp;
  store: ProgressStore;
  lab: ReturnType<typeof fakeLab>;
  dataDir: string;
  thinClient: ThinClient;
  /** Logs in with ?token= and returns the session cookie. */
  login(): Promise<string>;
  close(): Promise<void>;
}

let cachedThinClient: ThinClient | undefined;

export async function startHarness(options: { flow?: FlowOptions; dataDir?: string; token?: string; lab?: ReturnType<typeof fakeLab>; thinClient?: ThinClient } = {}): Promise<Harness> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "kubelab-test-"));
  const runtimeDir = mkdtempSync(join(tmpdir(), "kubelab-run-"));
  const store = new ProgressStore(join(dataDir, "kubelab.db"));
  cachedThinClient ??= prepareThinClient(mkdtempSync(join(tmpdir(), "kubelab-tc-")));
  const lab = options.lab ?? fakeLab();
  const token = options.token ?? "test-token-123";
  const thinClient = options.thinClient ?? cachedThinClient;
  const deps: AppDeps = { lab, store, token, runtimeDir, thinClient, log: () => {}, initTimeoutMs: 2000, ...(options.flow ? { flow: options.flow } : {}) };
  const kubelab = createApp(deps);
  const server: Server = createServer(kubelab.app);
  kubelab.attach(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    port,
    token,
    kubelab,
    store,
    lab,
    dataDir,
    thinClient,
    async login() {
      const r = await fetch(`${base}/?token=${token}`, { redirect: "manual" });
      const cookie = r.headers.get("set-cookie");
      if (r.status !== 302 || !cookie) throw new Error(`login failed: ${r.status}`);
      return cookie.split(";")[0]!;
    },
    async close() {
      await kubelab.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      store.close();
      rmSync(runtimeDir, { recursive: true, force: true });
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Opens a WebSocket and resolves once open, or with the close code if refused. */
export function openWS(url: string, headers: Record<string, string>): Promise<{ ws: WebSocket; closed: Promise<{ code: number; reason: string }> }> {
  const ws = new WebSocket(url, { headers });
  const closed = new Promise<{ code: number; reason: string }>((r) => ws.on("close", (code, reason) => r({ code, reason: String(reason) })));
  return new Promise((resolve, reject) => {
    ws.on("open", () => resolve({ ws, closed }));
    ws.on("error", reject);
  });
}

/** Resolves when `pred(text)` holds for the accumulated output; rejects after timeoutMs with what arrived. */
export function waitFor(get: () => string, subscribe: (fn: () => void) => () => void, pred: (text: string) => boolean, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    if (pred(get())) return resolve(get());
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out; got:\n${get()}`));
    }, timeoutMs);
    const off = subscribe(() => {
      if (pred(get())) {
        clearTimeout(timer);
        off();
        resolve(get());
      }
    });
  });
}

/** A GET with exactly these headers (fetch will not send a custom Host). */
export function rawGet(port: number, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, headers }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}
