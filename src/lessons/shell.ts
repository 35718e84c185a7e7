// The little shell the headless lesson runner and lesson setup use to run
// solution lines without a real bash: words with single/double quotes and
// backslashes, `$(…)` substitution of one inner command, and the few built-ins
// solutions need — `ssh NODE` (later lines run on NODE), `exit` (back to
// master), `sleep N` (advances cluster time). Leaves out pipes, redirection,
// variables and control flow: a solution line that needs them is reported.

import type { CommandIO } from "../utils/command.ts";
import { captureIO } from "../utils/command.ts";

export interface ShellState {
  /** The node the "terminal" is on. */
  node: string;
  env: Record<string, string | undefined>;
}

export interface ShellDeps {
  /** Runs one program on a node. Unknown programs should print `bash: X: command not found` and return 127. */
  exec(argv: string[], node: string, io: CommandIO): Promise<number>;
  /** Whether `ssh TARGET` reaches a node; returns the node name. */
  resolveNode(target: string): string | undefined;
  /** `sleep N`: let N seconds of wall time pass. */
  sleep(seconds: number): Promise<void>;
  /** Called for every program run (not built-ins), as the server reports the learner's commands. */
  onCommand?(argv: string[], node: string, exitCode: number): void;
}

export class ShellSyntaxError extends Error {}

/** Splits a line into words, running `$(…)` through `substitute`. */
export async function expandWords(line: string, substitute: (inner: string) => Promise<string>): Promise<string[]> {
  const words: string[] = [];
  let cur = "";
  let inWord = false;
  let i = 0;
  const readSubst = (): string => {
    // At "$(": find the matching ")" honouring nesting and quotes.
    let depth = 0;
    let j = i + 1;
    let quote: string | undefined;
    for (; j < line.length; j++) {
      const c = line[j]!;
      if (quote) {
        if (c === quote) quote = undefined;
        continue;
      }
      if (c === "'" || c === '"') quote = c;
      else if (c === "(") depth++;
      else if (c === ")" && --depth === 0) break;
    }
    if (j >= line.length) throw new ShellSyntaxError(`unclosed $( in: ${line}`);
    const inner = line.slice(i + 2, j);
    i = j + 1;
    return inner;
  };
  while (i < line.length) {
    const c = line[i]!;
    if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = "";
      inWord = false;
      i++;
      continue;
    }
    inWord = true;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new ShellSyntaxError(`unclosed ' in: ${line}`);
      cur += line.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === "\\" && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) {
          cur += line[i + 1];
          i += 2;
        } else if (line[i] === "$" && line[i + 1] === "(") cur += (await substitute(readSubst())).replace(/\n+$/, "");
        else cur += line[i++];
      }
      if (i >= line.length) throw new ShellSyntaxError(`unclosed " in: ${line}`);
      i++;
    } else if (c === "\\" && i + 1 < line.length) {
      cur += line[i + 1];
      i += 2;
    } else if (c === "$" && line[i + 1] === "(") {
      // Unquoted substitution splits into words, as bash does.
      const out = (await substitute(readSubst())).trim().split(/\s+/).filter(Boolean);
      if (out.length) {
        cur += out[0];
        for (const w of out.slice(1)) {
          words.push(cur);
          cur = w;
        }
      }
    } else if ("|;&<>`".includes(c)) {
      throw new ShellSyntaxError(`the lesson shell does not support \`${c}\` (pipes, lists, redirection): ${line}`);
    } else {
      cur += c;
      i++;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

/** Runs one logical command line. Returns its exit code; output goes to `io`. */
export async function runLine(line: string, state: ShellState, deps: ShellDeps, io: CommandIO): Promise<number> {
  const substitute = async (inner: string): Promise<string> => {
    const sub = captureIO({ env: state.env });
    await runLine(inner, state, deps, sub);
    io.stderr.write(sub.err());
    return sub.out().replace(/\n+$/, "");
  };
  let argv: string[];
  try {
    argv = await expandWords(line, substitute);
  } catch (e) {
    io.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  if (argv.length === 0) return 0;
  const [cmd, ...args] = argv as [string, ...string[]];
  if (cmd === "ssh") {
    const target = args.find((a) => !a.startsWith("-"));
    const node = target ? deps.resolveNode(target) : undefined;
    if (!node) {
      io.stderr.write(`ssh: Could not resolve hostname ${target ?? ""}: Name or service not known\n`);
      return 255;
    }
    state.node = node;
    deps.onCommand?.(argv, "master", 0);
    return 0;
  }
  if (cmd === "exit" || cmd === "logout") {
    state.node = "master";
    return 0;
  }
  if (cmd === "sleep") {
    const s = Number(args[0]);
    if (!(s >= 0)) {
      io.stderr.write(`sleep: invalid time interval '${args[0] ?? ""}'\n`);
      return 1;
    }
    await deps.sleep(s);
    return 0;
  }
  const node = state.node;
  const code = await deps.exec(argv, node, io);
  deps.onCommand?.(argv, node, code);
  return code;
}
