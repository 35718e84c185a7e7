// A session's terminal: one bash in a pty that outlives browser connections,
// after ttyd and terminado. The browser attaches over a WebSocket with an init
// message (token and size) before the shell is spawned; output is flow
// controlled against high/low watermarks of unacknowledged bytes, and a
// bounded replay buffer lets a reloaded page reattach to the same shell.
// Protocol: docs/terminal-protocol.md.

import * as pty from "node-pty";

/** Close codes a refused or ended terminal connection carries (docs/terminal-protocol.md). */
export const CLOSE = {
  protocol: 4400,
  badToken: 4401,
  forbidden: 4403,
  noSession: 4404,
  initTimeout: 4408,
  replaced: 4409,
  shellExited: 4410,
  serverClosing: 4503,
} as const;

export interface FlowOptions {
  /** Pause the pty when this many bytes are sent but not yet acknowledged. */
  high: number;
  /** Resume once unacknowledged bytes fall below this. */
  low: number;
  /** Bytes of recent output kept for a reattaching page. */
  replay: number;
}

export const DEFAULT_FLOW: FlowOptions = { high: 256 * 1024, low: 32 * 1024, replay: 256 * 1024 };

/** What the terminal needs from one browser connection. */
export interface TerminalPeer {
  output(data: Buffer): void;
  control(msg: ServerMessage): void;
  close(code: number, reason: string): void;
}

export type ServerMessage =
  | { type: "ready"; replayed: number; pid: number }
  | { type: "exit"; code: number; signal?: number }
  | { type: "flow"; paused: boolean };

export interface SpawnOptions {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

export class Terminal {
  private proc: pty.IPty | undefined;
  private peer: TerminalPeer | undefined;
  private replay: Buffer[] = [];
  private replayBytes = 0;
  private sent = 0;
  private acked = 0;
  private flowPaused = false;
  private clientPaused = false;
  private ptyPaused = false;
  private exitListeners = new Set<(code: number) => void>();

  constructor(
    private readonly spawnOptions: () => SpawnOptions,
    readonly flow: FlowOptions = DEFAULT_FLOW,
  ) {}

  get running(): boolean {
    return this.proc !== undefined;
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  /** Whether output is held back (by watermarks or by the client). */
  get paused(): boolean {
    return this.ptyPaused;
  }

  get unacknowledged(): number {
    return this.sent - this.acked;
  }

  /**
   * Attaches a browser connection (after its init message was accepted),
   * spawning the shell at the given size if none runs. An older connection is
   * closed with 4409: one session, one terminal view.
   */
  attach(peer: TerminalPeer, size: { cols: number; rows: number }): void {
    if (this.peer && this.peer !== peer) this.peer.close(CLOSE.replaced, "terminal opened in another tab");
    this.peer = peer;
    this.sent = 0;
    this.acked = 0;
    this.flowPaused = false;
    this.clientPaused = false;
    if (!this.proc) this.spawn(size);
    else this.resize(size.cols, size.rows);
    const replay = Buffer.concat(this.replay);
    if (replay.length > 0) {
      this.sent += replay.length;
      peer.output(replay);
    }
    peer.control({ type: "ready", replayed: replay.length, pid: this.proc!.pid });
    this.updatePause();
  }

  detach(peer: TerminalPeer): void {
    if (this.peer !== peer) return;
    this.peer = undefined;
    // Nobody is acknowledging now: the shell runs on until the watermark, then waits.
    this.sent = this.acked = 0;
  }

  input(data: string): void {
    this.proc?.write(data);
  }

  resize(cols: number, rows: number): void {
    if (!this.proc || !validSize(cols, rows)) return;
    this.proc.resize(cols, rows);
  }

  ack(bytes: number): void {
    if (!(bytes > 0)) return;
    this.acked = Math.min(this.sent, this.acked + bytes);
    this.updatePause();
  }

  /** The client asks to hold output (e.g. the learner pressed Scroll Lock). */
  pause(): void {
    this.clientPaused = true;
    this.updatePause();
  }

  resume(): void {
    this.clientPaused = false;
    this.updatePause();
  }

  onExit(fn: (code: number) => void): () => void {
    this.exitListeners.add(fn);
    return () => void this.exitListeners.delete(fn);
  }

  /** Recent output, as a reattaching page would get it. */
  replayText(): string {
    return Buffer.concat(this.replay).toString("utf8");
  }

  kill(): void {
    const p = this.proc;
    this.proc = undefined;
    if (p) {
      try {
        p.kill("SIGHUP");
      } catch {
        // already gone
      }
    }
  }

  private spawn(size: { cols: number; rows: number }): void {
    const o = this.spawnOptions();
    this.replay = [];
    this.replayBytes = 0;
    const p = pty.spawn(o.file, o.args, {
      name: "xterm-256color",
      cols: validSize(size.cols, size.rows) ? size.cols : 80,
      rows: validSize(size.cols, size.rows) ? size.rows : 24,
      cwd: o.cwd,
      env: o.env,
    });
    this.proc = p;
    this.ptyPaused = false;
    p.onData((d) => {
      if (this.proc !== p) return;
      const b = Buffer.from(d, "utf8");
      this.remember(b);
      this.sent += b.length;
      this.peer?.output(b);
      this.updatePause();
    });
    p.onExit(({ exitCode, signal }) => {
      if (this.proc !== p) return;
      this.proc = undefined;
      this.ptyPaused = false;
      this.peer?.control({ type: "exit", code: exitCode, ...(signal ? { signal } : {}) });
      this.peer?.close(CLOSE.shellExited, "shell exited");
      this.peer = undefined;
      for (const l of this.exitListeners) l(exitCode);
    });
  }

  private remember(b: Buffer): void {
    this.replay.push(b);
    this.replayBytes += b.length;
    while (this.replayBytes > this.flow.replay && this.replay.length > 0) {
      const first = this.replay[0]!;
      const excess = this.replayBytes - this.flow.replay;
      if (first.length <= excess) {
        this.replay.shift();
        this.replayBytes -= first.length;
      } else {
        // Cut at a line break where possible so the replay starts on a clean line.
        const nl = first.indexOf(10, excess);
        const cut = nl >= 0 && nl < first.length - 1 ? nl + 1 : excess;
        this.replay[0] = first.subarray(cut);
        this.replayBytes -= cut;
      }
    }
  }

  private updatePause(): void {
    if (!this.proc) return;
    const unacked = this.sent - this.acked;
    if (!this.flowPaused && unacked > this.flow.high) this.flowPaused = true;
    else if (this.flowPaused && unacked < this.flow.low) this.flowPaused = false;
    const want = this.flowPaused || this.clientPaused;
    if (want === this.ptyPaused) return;
    this.ptyPaused = want;
    if (want) this.proc.pause();
    else this.proc.resume();
    this.peer?.control({ type: "flow", paused: want });
  }
}

function validSize(cols: number, rows: number): boolean {
  return Number.isInteger(cols) && Number.isInteger(rows) && cols > 0 && rows > 0 && cols <= 1000 && rows <= 500;
}
