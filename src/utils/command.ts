// The shape of a command-line program run inside kubelab (kubectl, systemctl,
// crictl, ssh…): argv in, bytes out, an exit code back. The lab terminal's
// thin client forwards a command to the server, which runs one of these in
// process; tests call them directly. Same contract everywhere, so a command's
// output is tested once.

export interface Writer {
  write(chunk: string | Uint8Array): void;
}

export interface CommandIO {
  stdout: Writer;
  stderr: Writer;
  /** Standard input; empty when none was given. */
  stdin: AsyncIterable<Uint8Array>;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Whether stdout is a terminal (kubectl and ls change output for a TTY). */
  isTTY: boolean;
  columns?: number;
  /** Aborted on Ctrl-C or when the client goes away; long-running commands (-w, -f) stop. */
  signal: AbortSignal;
  /**
   * Runs a program (argv[0] looked up in PATH) in the learner's terminal and
   * resolves to its exit code (127: not found). Commands run inside the server,
   * but an editor (`kubectl edit`) must own the learner's tty, so the lab's thin
   * client runs it; absent when there is no such terminal (tests, checks).
   */
  runInTerminal?(argv: string[]): Promise<number>;
}

export type Command = (argv: string[], io: CommandIO) => Promise<number>;

/** A CommandIO that collects output in strings: for tests and checks. */
export function captureIO(options: { env?: Record<string, string | undefined>; stdin?: string; signal?: AbortSignal; isTTY?: boolean; cwd?: string } = {}): CommandIO & {
  out(): string;
  err(): string;
} {
  let out = "";
  let err = "";
  const dec = new TextDecoder();
  const text = (c: string | Uint8Array) => (typeof c === "string" ? c : dec.decode(c));
  const input = options.stdin ?? "";
  return {
    stdout: { write: (c) => void (out += text(c)) },
    stderr: { write: (c) => void (err += text(c)) },
    stdin: (async function* () {
      if (input) yield new TextEncoder().encode(input);
    })(),
    env: options.env ?? {},
    cwd: options.cwd ?? "/root",
    isTTY: options.isTTY ?? false,
    signal: options.signal ?? new AbortController().signal,
    out: () => out,
    err: () => err,
  };
}
