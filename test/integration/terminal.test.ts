import { afterEach, describe, expect, it } from "vitest";
import type WebSocket from "ws";
import { CLOSE } from "../../server/terminal.ts";
import { type Harness, openWS, startHarness, waitFor } from "../unit/server-fixture.ts";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A browser-like terminal connection: collects output, acknowledges it unless told not to. */
async function connect(h: Harness, cookie: string, options: { ack?: boolean } = {}) {
  const { terminalToken } = (await (await fetch(`${h.base}/api/session`, { headers: { cookie } })).json()) as { terminalToken: string };
  const { ws, closed } = await openWS(`ws://127.0.0.1:${h.port}/ws/terminal`, { cookie, origin: h.base });
  let text = "";
  let acking = options.ack !== false;
  let received = 0;
  let acked = 0;
  const ack = () => {
    if (received > acked) ws.send(JSON.stringify({ type: "ack", bytes: received - acked }));
    acked = received;
  };
  const controls: { type: string; [k: string]: unknown }[] = [];
  const listeners = new Set<() => void>();
  ws.on("message", (data: WebSocket.RawData, isBinary: boolean) => {
    if (isBinary) {
      const b = data as Buffer;
      // Bracketed-paste mode switches (readline's ESC[?2004h/l) are not what a learner sees.
      text += b.toString("utf8").replace(/\x1b\[\?2004[hl]\r?/g, "");
      received += b.length;
      if (acking) ack();
    } else controls.push(JSON.parse(String(data)));
    for (const l of [...listeners]) l();
  });
  ws.send(JSON.stringify({ type: "init", token: terminalToken, cols: 100, rows: 30 }));
  const subscribe = (fn: () => void) => {
    listeners.add(fn);
    return () => void listeners.delete(fn);
  };
  return {
    ws,
    closed,
    controls,
    text: () => text,
    /** Everything after `from` chars of output. */
    until: (pred: (t: string) => boolean, from = 0) => waitFor(() => text.slice(from), subscribe, pred),
    type: (s: string) => ws.send(JSON.stringify({ type: "input", data: s })),
    /** From now on acknowledge output as a browser does, starting with everything received so far. */
    startAcking: () => {
      acking = true;
      ack();
    },
  };
}

describe("lab terminal", () => {
  it("runs a shell with the lab prompt, lab commands and ssh to nodes", async () => {
    h = await startHarness();
    const cookie = await h.login();
    const t = await connect(h, cookie);
    await t.until((s) => s.includes("[root@master ~]# "));
    expect(t.controls[0]).toMatchObject({ type: "ready", replayed: 0 });

    let mark = t.text().length;
    t.type("echo hi\r");
    expect(await t.until((s) => /\r\nhi\r\n\[root@master ~\]# $/.test(s), mark)).toContain("hi");

    mark = t.text().length;
    t.type("hostname\r");
    await t.until((s) => /\r\nmaster\r\n\[root@master ~\]# $/.test(s), mark);

    mark = t.text().length;
    t.type("ssh node01\r");
    await t.until((s) => s.endsWith("[root@node01 ~]# "), mark);
    mark = t.text().length;
    t.type("hostname\r");
    await t.until((s) => /\r\nnode01\r\n\[root@node01 ~\]# $/.test(s), mark);
    mark = t.text().length;
    t.type("exit\r");
    await t.until((s) => s.endsWith("[root@master ~]# "), mark);

    mark = t.text().length;
    t.type("ssh nodex; echo code=$?\r");
    const out = await t.until((s) => s.includes("code=255"), mark);
    expect(out).toContain("ssh: Could not resolve hostname nodex: Name or service not known\r\ncode=255");

    // The prompt hook reported the typed lines; the exec bridge reported the commands.
    const id = decodeURIComponent(cookie.split("=")[1]!).split(".")[0]!;
    await t.until((s) => s.endsWith("[root@master ~]# "), mark);
    const history = h.store.commands(id);
    expect(history.filter((c) => c.line !== undefined).map((c) => [c.line, c.node, c.exitCode])).toEqual([
      ["echo hi", "master", 0],
      ["hostname", "master", 0],
      ["hostname", "node01", 0],
      // The master shell reports `ssh node01` when it returns; the nested shell's `exit` ends it before its prompt.
      ["ssh node01", "master", 0],
      ["ssh nodex; echo code=$?", "master", 0],
    ]);
    expect(history.filter((c) => c.argv.length > 0).map((c) => [c.argv.join(" "), c.node])).toEqual([
      ["hostname", "master"],
      ["hostname", "node01"],
    ]);
  });

  it("reattaches a reloaded page to the same shell with the replay buffer", async () => {
    h = await startHarness();
    const cookie = await h.login();
    const a = await connect(h, cookie);
    await a.until((s) => s.endsWith("[root@master ~]# "));
    a.type("export MARK=reattach-42; echo $MARK\r");
    await a.until((s) => s.includes("\r\nreattach-42\r\n"));
    const pid = a.controls[0]!.pid;
    a.ws.close();
    await a.closed;

    const b = await connect(h, cookie);
    await b.until((s) => s.includes("reattach-42"));
    expect(b.controls[0]).toMatchObject({ type: "ready", pid });
    expect(b.controls[0]!.replayed).toBeGreaterThan(0);
    const mark = b.text().length;
    b.type("echo again-$MARK\r");
    await b.until((s) => s.includes("again-reattach-42"), mark);

    // A second tab takes the terminal over; the first is told why.
    const c = await connect(h, cookie);
    expect((await b.closed).code).toBe(CLOSE.replaced);
    await c.until((s) => s.includes("again-reattach-42"));
  });

  it("pauses the pty when unacknowledged output passes the high watermark, resumes below the low one", async () => {
    h = await startHarness({ flow: { high: 16 * 1024, low: 4 * 1024, replay: 64 * 1024 } });
    const cookie = await h.login();
    const t = await connect(h, cookie, { ack: false });
    await t.until((s) => s.endsWith("[root@master ~]# "));
    const id = decodeURIComponent(cookie.split("=")[1]!).split(".")[0]!;
    const s = await h.kubelab.sessions.running(id)!;
    t.type("yes kubelab\r");
    await t.until(() => t.controls.some((c) => c.type === "flow" && c.paused === true));
    expect(s.terminal.paused).toBe(true);
    // Paused: output stops near the watermark (a pty read or two past it), not unbounded.
    const stopped = s.terminal.unacknowledged;
    expect(stopped).toBeGreaterThan(16 * 1024);
    expect(stopped).toBeLessThan(16 * 1024 + 64 * 1024);

    const seen = t.controls.length;
    t.startAcking();
    await t.until(() => t.controls.slice(seen).some((c) => c.type === "flow" && c.paused === false));
    // Keep acknowledging, as the browser does: otherwise `yes` refills the
    // window, the pty pauses again, and the prompt after Ctrl-C never arrives.
    t.type("\x03");
    await t.until((x) => x.endsWith("[root@master ~]# "));
  });

  it("ends the connection with 4410 when the shell exits, and the next page gets a fresh shell", async () => {
    h = await startHarness();
    const cookie = await h.login();
    const a = await connect(h, cookie);
    await a.until((s) => s.endsWith("[root@master ~]# "));
    a.type("exit\r");
    expect(await a.closed).toMatchObject({ code: CLOSE.shellExited });
    expect(a.controls.some((c) => c.type === "exit")).toBe(true);
    const b = await connect(h, cookie);
    await b.until((s) => s.endsWith("[root@master ~]# "));
    expect(b.controls[0]).toMatchObject({ type: "ready", replayed: 0 });
  });
});
