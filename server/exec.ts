// The exec bridge: the lab shell's thin clients (kubectl, systemctl, crictl…)
// connect to their session's Unix socket and the command runs here, in the
// server process, against the session's cluster. Framing after ttyd: a type
// byte, a 4-byte big-endian length, the payload. Written down in
// docs/terminal-protocol.md ("Exec bridge").

import { chmodSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { dirname } from "node:path";
import type { CommandIO } from "../src/utils/command.ts";
import { safeEqual } from "./security.ts";

export interface ExecRequest {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  isTTY: boolean;
  columns?: number;
}

export type ExecHandler = (req: ExecRequest, io: CommandIO) => Promise<number>;

/** Largest frame a client may send (stdin chunks are 64 KiB; hello is argv+env). */
const MAX_FRAME = 8 << 20;

function frame(type: string, payload: Uint8Array = new Uint8Array(0)): Buffer {
  const h = Buffer.alloc(5);
  h.write(type, 0, "latin1");
  h.writeUInt32BE(payload.length, 1);
  return Buffer.concat([h, payload]);
}

/** Parses the hello frame: NUL-terminated token, tty, columns, cwd, then A<arg> / E<key=value>. */
export function parseHello(body: Buffer): { token: string; req: ExecRequest } | undefined {
  const fields = body.toString("utf8").split("\0");
  if (fields.at(-1) === "") fields.pop();
  if (fields.length < 5) return undefined;
  const [token, tty, cols, cwd, ...rest] = fields as [string, string, string, string, ...string[]];
  const argv: string[] = [];
  const env: Record<string, string> = {};
  for (const f of rest) {
    if (f.startsWith("A")) argv.push(f.slice(1));
    else if (f.startsWith("E")) {
      const eq = f.indexOf("=");
      if (eq > 1) env[f.slice(1, eq)] = f.slice(eq + 1);
    }
  }
  if (argv.length === 0) return undefined;
  const columns = Number.parseInt(cols, 10);
  return { token, req: { argv, cwd, env, isTTY: tty === "1", ...(columns > 0 ? { columns } : {}) } };
}

/** An AsyncIterable over stdin that asks the client for input only once someone reads it. */
class StdinQueue implements AsyncIterable<Uint8Array> {
  private chunks: Uint8Array[] = [];
  private ended = false;
  private wake: (() => void) | undefined;
  private requested = false;

  constructor(private readonly request: () => void) {}

  push(c: Uint8Array): void {
    this.chunks.push(c);
    this.wake?.();
  }

  end(): void {
    this.ended = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    // Reading stdin only on demand keeps a command that never reads it
    // (kubectl get) from swallowing what the learner types ahead.
    if (!this.requested) {
      this.requested = true;
      this.request();
    }
    for (;;) {
      const c = this.chunks.shift();
      if (c) {
        yield c;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((r) => (this.wake = r));
      this.wake = undefined;
    }
  }
}

/**
 * Programs the command asked the thin client to run in the terminal (`T`
 * frames): one at a time, answered by the client's `T` with the exit code.
 */
class TerminalRuns {
  private waiting: ((code: number) => void) | undefined;
  private gone = false;

  run(argv: string[], send: (payload: Uint8Array) => void): Promise<number> {
    if (this.gone) return Promise.resolve(-1);
    if (this.waiting) return Promise.reject(new Error("a program is already running in the terminal"));
    return new Promise<number>((resolve) => {
      this.waiting = resolve;
      send(Buffer.from(argv.map((a) => `${a}\0`).join(""), "utf8"));
    });
  }

  finished(code: number): void {
    const w = this.waiting;
    this.waiting = undefined;
    w?.(code);
  }

  /** The client went away: nobody will answer. */
  closed(): void {
    this.gone = true;
    this.finished(-1);
  }
}

export class ExecBridge {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(
    readonly socketPath: string,
    private readonly token: string,
    private readonly handler: ExecHandler,
    private readonly log: (msg: string) => void = () => {},
  ) {
    this.server = createServer((s) => this.connection(s));
  }

  async listen(): Promise<void> {
    rmSync(this.socketPath, { force: true });
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.socketPath, () => resolve());
    });
    // The directory is 0700 already; the socket itself is owner-only too.
    chmodSync(this.socketPath, 0o600);
  }

  close(): void {
    for (const s of this.sockets) s.destroy();
    this.server.close();
    rmSync(this.socketPath, { force: true });
  }

  private connection(sock: Socket): void {
    this.sockets.add(sock);
    let pending: Buffer = Buffer.alloc(0);
    let started = false;
    const abort = new AbortController();
    const stdin = new StdinQueue(() => send("R"));
    const terminal = new TerminalRuns();
    const send = (type: string, payload?: Uint8Array) => {
      if (!sock.destroyed) sock.write(frame(type, payload));
    };
    sock.on("close", () => {
      this.sockets.delete(sock);
      // The thin client went away (killed, or its terminal closed): stop the command.
      abort.abort();
      stdin.end();
      terminal.closed();
    });
    sock.on("error", () => {});
    sock.on("data", (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= 5) {
        const n = pending.readUInt32BE(1);
        if (n > MAX_FRAME) return void sock.destroy();
        if (pending.length < 5 + n) break;
        const type = String.fromCharCode(pending[0]!);
        const body = pending.subarray(5, 5 + n);
        pending = pending.subarray(5 + n);
        if (type === "H" && !started) {
          started = true;
          const hello = parseHello(body);
          if (!hello || !safeEqual(hello.token, this.token)) {
            send("E", Buffer.from(`${hello?.req.argv[0] ?? "kubelab"}: the kubelab server refused this shell's token\n`));
            send("X", exitBytes(1));
            sock.end();
            return;
          }
          void this.run(hello.req, { stdin, terminal, signal: abort.signal }, send, sock);
        } else if (type === "I") stdin.push(Uint8Array.from(body));
        else if (type === "D") stdin.end();
        else if (type === "S") abort.abort();
        else if (type === "T" && body.length >= 4) terminal.finished(body.readInt32BE(0));
      }
    });
  }

  private async run(
    req: ExecRequest,
    conn: { stdin: StdinQueue; terminal: TerminalRuns; signal: AbortSignal },
    send: (t: string, p?: Uint8Array) => void,
    sock: Socket,
  ): Promise<void> {
    const { stdin, terminal, signal } = conn;
    const enc = new TextEncoder();
    const bytes = (c: string | Uint8Array) => (typeof c === "string" ? enc.encode(c) : c);
    const io: CommandIO = {
      stdout: { write: (c) => send("O", bytes(c)) },
      stderr: { write: (c) => send("E", bytes(c)) },
      stdin,
      // Files a command hands to a program in the terminal (kubectl edit's
      // temp file) go in the session directory: the sandboxed shell's /tmp is
      // private, the session directory is bound at the same path on both sides.
      env: { ...req.env, TMPDIR: dirname(this.socketPath) },
      cwd: req.cwd,
      isTTY: req.isTTY,
      ...(req.columns ? { columns: req.columns } : {}),
      signal,
      runInTerminal: (argv) => terminal.run(argv, (payload) => send("T", payload)),
    };
    let code: number;
    try {
      code = await this.handler(req, io);
    } catch (e) {
      // A bug in a command must not take the server down; show it like a crash.
      this.log(`exec ${req.argv.join(" ")}: ${(e as Error)?.stack ?? String(e)}`);
      send("E", enc.encode(`${req.argv[0]}: internal error: ${(e as Error)?.message ?? String(e)}\n`));
      code = 1;
    }
    // Interrupted commands exit like a process killed by SIGINT (128+2), as bash reports.
    if (signal.aborted && !sock.destroyed && code === 0) code = 130;
    send("X", exitBytes(code));
    sock.end();
  }
}

function exitBytes(code: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(code);
  return b;
}
