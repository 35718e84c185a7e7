// `kubelab serve --sandbox` on a shared classroom server: two learners, each
// shell in bubblewrap, driven over the terminal WebSocket as the page does.
// Inside, kubectl reaches the session's (20-minute-old) cluster; other
// sessions' files, the server's files and the network are out of reach.
// Skipped where bwrap is missing or may not create namespaces.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProgressStore } from "../../src/progress/store.ts";
import { createApp, type KubelabApp } from "../../server/app.ts";
import { sandboxProblem } from "../../server/sandbox.ts";
import { prepareThinClient } from "../../server/thin-client.ts";
import { createLab, type RealLab } from "../../server/wiring.ts";
import { openWS, waitFor } from "../unit/server-fixture.ts";

const BWRAP = { bwrap: "bwrap" };
const root = join(import.meta.dirname, "..", "..");
const PROMPT = /\[root@master ~\]# $/;

let lab: RealLab;
let kubelab: KubelabApp;
let server: Server;
let store: ProgressStore;
let base = "";
let port = 0;
let dataDir = "";
let runtimeDir = "";

async function login(at = base): Promise<{ cookie: string; id: string }> {
  const r = await fetch(`${at}/?token=tok`, { redirect: "manual" });
  const cookie = r.headers.get("set-cookie")!.split(";")[0]!;
  return { cookie, id: decodeURIComponent(cookie.split("=")[1]!).split(".")[0]! };
}

/** A terminal like the page's: init, collect output, acknowledge it. */
async function terminal(cookie: string, at = base) {
  const { terminalToken } = (await (await fetch(`${at}/api/session`, { headers: { cookie } })).json()) as { terminalToken: string };
  const { ws } = await openWS(`${at.replace("http", "ws")}/ws/terminal`, { cookie, origin: at });
  let text = "";
  const listeners = new Set<() => void>();
  ws.on("message", (data: WebSocket.RawData, isBinary: boolean) => {
    if (!isBinary) return;
    const b = data as Buffer;
    text += b.toString("utf8").replace(/\x1b\[\?2004[hl]\r?/g, "");
    ws.send(JSON.stringify({ type: "ack", bytes: b.length }));
    for (const l of [...listeners]) l();
  });
  ws.send(JSON.stringify({ type: "init", token: terminalToken, cols: 120, rows: 40 }));
  const subscribe = (fn: () => void) => {
    listeners.add(fn);
    return () => void listeners.delete(fn);
  };
  const until = (pred: (t: string) => boolean, from = 0) => waitFor(() => text.slice(from), subscribe, pred, 20_000);
  await until((t) => PROMPT.test(t));
  return {
    ws,
    text: () => text,
    /** Types a line and returns what it printed, up to the next prompt. */
    async run(line: string, prompt = PROMPT): Promise<string> {
      const mark = text.length;
      ws.send(JSON.stringify({ type: "input", data: `${line}\r` }));
      const out = await until((t) => t.includes("\r\n") && prompt.test(t), mark);
      return out.slice(out.indexOf("\r\n") + 2).replace(prompt, "").replaceAll("\r\n", "\n");
    },
    type: (s: string) => ws.send(JSON.stringify({ type: "input", data: s })),
    until,
  };
}

const usable = sandboxProblem(BWRAP) === undefined;

describe.skipIf(!usable)("kubelab serve --sandbox", { timeout: 120_000 }, () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "kubelab-sbx-data-"));
    runtimeDir = mkdtempSync(join(tmpdir(), "kubelab-sbx-run-"));
    store = new ProgressStore(join(dataDir, "kubelab.db"));
    lab = await createLab({ lessonsDir: mkdtempSync(join(tmpdir(), "kubelab-sbx-lessons-")) });
    kubelab = createApp({ lab, store, token: "tok", runtimeDir, sandbox: BWRAP, clusterAgeMs: 20 * 60_000, log: () => {} });
    server = createServer(kubelab.app);
    kubelab.attach(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await kubelab?.close();
    server?.closeAllConnections();
    server?.close();
    await lab?.close();
    store?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(runtimeDir, { recursive: true, force: true });
  });

  it("runs kubectl against the session's cluster, which has been up for 20 minutes", async () => {
    const t = await terminal((await login()).cookie);
    const nodes = await t.run("kubectl get nodes");
    expect(nodes).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\nmaster\s+Ready\s+control-plane\s+20m\s+v1\.32\.4\nnode01\s+Ready\s+<none>\s+20m/);
    expect(await t.run("kubectl get pods -n kube-system -l k8s-app=kube-dns --no-headers | awk '{print $3}' | sort -u")).toBe("Running\n");
    t.ws.close();
  });

  it("shows neither another session's files nor the server's", async () => {
    const me = await login();
    const other = await login();
    const t = await terminal(me.cookie);
    const mine = (await kubelab.sessions.running(me.id))!;
    const theirs = (await kubelab.sessions.running(other.id))!;
    expect(dirname(theirs.dir)).toBe(dirname(mine.dir));
    // The runtime directory holds every session's; inside, only this one is there (and the thin client, read-only).
    expect((await t.run(`command ls ${runtimeDir}`)).split(/\s+/).filter(Boolean).sort()).toEqual([mine.dir.slice(runtimeDir.length + 1), "thin-client"].sort());
    expect(await t.run(`ls ${theirs.dir} ${theirs.kubeconfig}; echo $?`)).toBe(
      `ls: cannot access '${theirs.dir}': No such file or directory\nls: cannot access '${theirs.kubeconfig}': No such file or directory\n2\n`,
    );
    // The server's progress database, the code, and the home directories are not there either.
    expect(await t.run(`ls ${dataDir} ${root} /root /home 2>&1 | command grep -c 'No such file'`)).toBe("4\n");
    // Its own files are, writable: history, HOME, kubeconfig.
    expect(await t.run("touch ~/notes && command ls ~ && test -w \"$KUBECONFIG\" && echo writable")).toBe("notes\nwritable\n");
    // /tmp is private and empty apart from the path to this session's directory.
    expect(await t.run("touch /tmp/mine && command ls /tmp | command grep -v kubelab-sbx-run")).toBe("mine\n");
    t.ws.close();
  });

  it("has its own process tree, hostname and no network", async () => {
    const t = await terminal((await login()).cookie);
    expect(await t.run("tr '\\0' ' ' < /proc/1/cmdline; echo")).toMatch(/^bwrap /);
    // Only the sandbox's processes: bwrap, bash and this pipeline; not the server.
    expect(await t.run(`test -e /proc/${process.pid}/cmdline && grep -q vitest /proc/${process.pid}/cmdline && echo server-visible || echo hidden`)).toBe("hidden\n");
    expect(await t.run("uname -n")).toBe("master\n");
    expect(await t.run(`(exec 3<>/dev/tcp/127.0.0.1/${port}) 2>&1 | command grep -o -m1 'Connection refused'`)).toBe("Connection refused\n");
    t.ws.close();
  });

  it("keeps job control: Ctrl-C stops a foreground command, ssh opens a nested node shell", async () => {
    const t = await terminal((await login()).cookie);
    expect(t.text()).not.toContain("no job control");
    const mark = t.text().length;
    // The child prints only once bash has handed it the terminal, so Ctrl-C reaches it (not a race with the fork).
    t.type("sh -c 'echo running; exec sleep 60'\r");
    await t.until((s) => s.includes("\r\nrunning\r\n"), mark);
    t.type("\x03");
    await t.until((s) => PROMPT.test(s) && s.includes("^C"), mark);
    expect(await t.run("echo $?")).toBe("130\n");
    expect(await t.run("sleep 30 & jobs; kill %1")).toMatch(/^\[1\] \d+\n\[1\]\+\s+Running\s+sleep 30 &\n/);
    // kubectl edit runs the editor in this (sandboxed) terminal on a file in the session directory.
    expect(await t.run("KUBE_EDITOR='sed -i s/replicas:\\ 2/replicas:\\ 3/' kubectl edit deployment coredns -n kube-system")).toBe("deployment.apps/coredns edited\n");
    const node01 = /\[root@node01 ~\]# $/;
    expect(await t.run("ssh node01", node01)).toBe("");
    expect(await t.run("hostname", node01)).toBe("node01\n");
    expect(await t.run("kubectl get node node01 --no-headers | awk '{print $1, $2}'", node01)).toBe("node01 Ready\n");
    expect(await t.run("exit")).toBe("exit\n");
    t.ws.close();
  });

  it("works with the node thin client too (where there is no cc): node and its script are bound read-only", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kubelab-sbx-node-"));
    const app = createApp({ lab, store, token: "tok", runtimeDir: dir, thinClient: prepareThinClient(dir, { preferNode: true }), sandbox: BWRAP, log: () => {} });
    const srv = createServer(app.app);
    app.attach(srv);
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    const at = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
    try {
      const t = await terminal((await login(at)).cookie, at);
      expect(await t.run("kubectl get node master --no-headers | awk '{print $1, $2}'")).toBe("master Ready\n");
      expect(await t.run(`test -w ${process.execPath} || echo read-only`)).toBe("read-only\n");
      t.ws.close();
    } finally {
      await app.close();
      srv.closeAllConnections();
      srv.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("kubelab serve --sandbox where bubblewrap cannot run", () => {
  it("names the problem", () => {
    expect(sandboxProblem({ bwrap: "/nonexistent/bwrap" })).toBe("/nonexistent/bwrap not found: install bubblewrap (Debian/Ubuntu: apt install bubblewrap)");
    expect(sandboxProblem({ bwrap: "/bin/false" })).toMatch(/^\/bin\/false failed: Command failed/);
  });

  it("refuses to start, printing it, with exit code 1", () => {
    const data = mkdtempSync(join(tmpdir(), "kubelab-sbx-cli-"));
    try {
      // A PATH without bwrap: the same path an unusable bwrap takes, with a message that says why.
      const r = spawnSync(process.execPath, [join(root, "server/bin/kubelab.mjs"), "serve", "--sandbox", "--port", "0", "--data", data], {
        cwd: root,
        env: { HOME: data, PATH: "/nonexistent" },
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(r.stderr).toBe("kubelab: --sandbox: bubblewrap cannot run here:\n  bwrap not found: install bubblewrap (Debian/Ubuntu: apt install bubblewrap)\n");
      expect(r.stdout).toBe("");
      expect(r.status).toBe(1);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });
});
