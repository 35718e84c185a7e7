// `kubectl edit` in the lab terminal: the emulated kubectl runs in the server,
// the editor runs in the learner's pty (the exec bridge's T frame, through
// both thin clients). The editors here are shell scripts: one asks on the
// terminal for the new replica count (so it really owns the tty), one makes
// the object invalid and keeps what kubectl reopened it with.

import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type WebSocket from "ws";
import { ProgressStore } from "../../src/progress/store.ts";
import { createApp, type KubelabApp } from "../../server/app.ts";
import { sandboxProblem, type SandboxOptions } from "../../server/sandbox.ts";
import { prepareThinClient } from "../../server/thin-client.ts";
import { createLab, type RealLab } from "../../server/wiring.ts";
import { openWS, waitFor } from "../unit/server-fixture.ts";

let lab: RealLab;
let store: ProgressStore;
let editors = "";
const dirs: string[] = [];
const tmp = (p: string) => {
  const d = mkdtempSync(join(tmpdir(), p));
  dirs.push(d);
  return d;
};

beforeAll(async () => {
  store = new ProgressStore(join(tmp("kubelab-edit-data-"), "kubelab.db"));
  lab = await createLab({ lessonsDir: tmp("kubelab-edit-lessons-") });
  editors = tmp("kubelab-editors-");
  const script = (name: string, body: string) => {
    writeFileSync(join(editors, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(editors, name), 0o755);
  };
  script("ask.sh", `printf 'replicas? '\nread n\nsed -i "s/^  replicas: 2$/  replicas: $n/" "$1"`);
  script("invalid.sh", `if grep -q 'was not valid' "$1"; then cp "$1" "${editors}/reopened.yaml"; exit 0; fi\nsed -i 's/^  replicas: [0-9]*$/  replicas: -1/' "$1"`);
}, 60_000);

afterAll(async () => {
  await lab?.close();
  store?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const BWRAP: SandboxOptions = { bwrap: "bwrap" };

async function startApp(kind: "c" | "node", sandbox?: SandboxOptions) {
  const runtimeDir = tmp("kubelab-edit-run-");
  const thinClient = prepareThinClient(runtimeDir, { preferNode: kind === "node" });
  const kubelab: KubelabApp = createApp({ lab, store, token: "tok", runtimeDir, thinClient, ...(sandbox ? { sandbox } : {}), log: () => {} });
  const server: Server = createServer(kubelab.app);
  kubelab.attach(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
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
  ws.send(JSON.stringify({ type: "init", token: terminalToken, cols: 200, rows: 30 }));
  const subscribe = (fn: () => void) => {
    listeners.add(fn);
    return () => void listeners.delete(fn);
  };
  const t = {
    text: () => text,
    until: (pred: (t: string) => boolean, from = 0) => waitFor(() => text.slice(from), subscribe, pred, 20_000),
    type: (s: string) => ws.send(JSON.stringify({ type: "input", data: s })),
    /** Types a command line and returns its output up to the next prompt. */
    run: async (line: string) => {
      const mark = text.length;
      t.type(`${line}\r`);
      const out = await t.until((s) => /\r\n\[root@master [^\]]*\]# $/.test(s), mark);
      return out.slice(out.indexOf("\r\n") + 2).replace(/\[root@master [^\]]*\]# $/, "");
    },
    close: async () => {
      ws.close();
      await kubelab.close();
      server.closeAllConnections();
      server.close();
    },
  };
  await t.until((s) => s.endsWith("# "));
  return t;
}

describe.each(["c", "node"] as const)("kubectl edit in the lab terminal (%s thin client)", (kind) => {
  it("opens the editor on the learner's terminal and patches what was saved; an invalid edit reopens with the error", async () => {
    const t = await startApp(kind);
    try {
      expect(await t.run("kubectl create deployment test-web --image=httpd --replicas=2")).toBe("deployment.apps/test-web created\r\n");

      // The editor asks on the terminal: the answer typed there is what it writes.
      const mark = t.text().length;
      t.type(`KUBE_EDITOR=${editors}/ask.sh kubectl edit deployment test-web\r`);
      await t.until((s) => s.endsWith("replicas? "), mark);
      t.type("3\r");
      const out = await t.until((s) => s.endsWith("# "), mark);
      expect(out).toContain("replicas? 3\r\ndeployment.apps/test-web edited\r\n");
      expect(await t.run("kubectl get deploy test-web -o jsonpath='{.spec.replicas}'; echo")).toBe("3\r\n");

      // Invalid: the server's reasons go on top of the reopened file; saving it unchanged gives up.
      const failed = await t.run(`KUBE_EDITOR=${editors}/invalid.sh kubectl edit deploy/test-web; echo code=$?`);
      const kept = /A copy of your changes has been stored to "([^"]+)"/.exec(failed)?.[1];
      expect(failed.replace(kept ?? "", "FILE")).toBe(
        'error: deployments.apps "test-web" is invalid\r\nA copy of your changes has been stored to "FILE"\r\nerror: Edit cancelled, no valid changes were saved.\r\ncode=1\r\n',
      );
      expect(kept).toMatch(/\/kubectl-edit-\d+\.yaml$/);
      expect(readFileSync(kept!, "utf8")).toContain("  replicas: -1\n");
      const reopened = readFileSync(join(editors, "reopened.yaml"), "utf8");
      expect(reopened).toMatch(
        /^# Please edit the object below\. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit\. If an error occurs while saving this file will be\n# reopened with the relevant failures\.\n#\n# deployments\.apps "test-web" was not valid:\n# \* spec\.replicas: Invalid value: -1: must be greater than or equal to 0\n#\napiVersion: apps\/v1\n/,
      );
      expect(await t.run("kubectl get deploy test-web -o jsonpath='{.spec.replicas}'; echo")).toBe("3\r\n");
      rmSync(join(editors, "reopened.yaml"));
      expect(existsSync(kept!)).toBe(true);
    } finally {
      await t.close();
    }
  }, 90_000);
});

describe.skipIf(sandboxProblem(BWRAP) !== undefined)("kubectl edit in the bubblewrap sandbox", () => {
  it("hands the editor a file in the session directory, which the sandbox shares (its /tmp is private)", async () => {
    const t = await startApp("c", BWRAP);
    try {
      expect(await t.run("kubectl create deployment test-web --image=httpd --replicas=2")).toBe("deployment.apps/test-web created\r\n");
      // An editor line with spaces and no quotes is split on blanks, as kubectl does.
      expect(await t.run("KUBE_EDITOR='sed -i /^..replicas:.2$/s/2/3/' kubectl edit deployment test-web")).toBe("deployment.apps/test-web edited\r\n");
      expect(await t.run("kubectl get deploy test-web -o jsonpath='{.spec.replicas}'; echo")).toBe("3\r\n");
    } finally {
      await t.close();
    }
  }, 90_000);
});
