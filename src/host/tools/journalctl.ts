// journalctl on a node, after systemd 249's short output: "Nov 25 09:00:00
// node01 kubelet[1234]: …" lines from the Host journal, filtered by -u, cut by
// -n, reversed by -r, followed by -f until the command is aborted (Ctrl-C).
// The "-- Journal begins at …" header is systemd 249's (dropped in 250).
// Leaves out: --since/--until, priorities, boots, fields, output modes but cat.

import type { CommandIO } from "../../utils/command.ts";
import type { JournalEntry } from "../host.ts";
import { hostOf, type NodeToolContext } from "./context.ts";
import { journalTimestamp, systemdTimestamp } from "./timefmt.ts";

interface Options {
  units: string[];
  lines?: number;
  follow: boolean;
  reverse: boolean;
  quiet: boolean;
  cat: boolean;
}

function parse(argv: string[], io: CommandIO): Options | number {
  const o: Options = { units: [], follow: false, reverse: false, quiet: false, cat: false };
  const take = (i: number, flag: string): string | undefined => {
    const v = argv[i + 1];
    if (v === undefined) io.stderr.write(`journalctl: option '${flag}' requires an argument\n`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    let m: RegExpMatchArray | null;
    if (a === "-u" || a === "--unit") {
      const v = take(i++, a);
      if (v === undefined) return 1;
      o.units.push(v);
    } else if ((m = a.match(/^(?:--unit=|-u)(.+)$/))) o.units.push(m[1]!);
    else if (a === "-n" || a === "--lines") {
      // -n takes an optional argument: a following number is it.
      const v = argv[i + 1];
      if (v !== undefined && /^\+?\d+$/.test(v)) {
        o.lines = Number(v);
        i++;
      } else o.lines = 10;
    } else if ((m = a.match(/^(?:--lines=|-n)(.+)$/))) {
      if (!/^\+?\d+$/.test(m[1]!)) {
        io.stderr.write(`Failed to parse lines '${m[1]}'\n`);
        return 1;
      }
      o.lines = Number(m[1]);
    } else if (a === "-f" || a === "--follow") o.follow = true;
    else if (a === "-r" || a === "--reverse") o.reverse = true;
    else if (a === "-q" || a === "--quiet") o.quiet = true;
    else if (a === "-e" || a === "--pager-end") o.lines ??= 1000;
    else if (a === "-o" || a === "--output") {
      const v = take(i++, a);
      if (v === undefined) return 1;
      o.cat = v === "cat";
    } else if (a === "-ocat" || a === "--output=cat") o.cat = true;
    else if (["--no-pager", "-x", "--catalog", "-l", "--full", "-a", "--all", "-b", "--boot", "--no-hostname", "--system"].includes(a)) continue;
    else if (/^-[a-zA-Z]{2,}$/.test(a)) {
      // Bundled short flags: -xeu kubelet, -fu kubelet.
      for (const c of a.slice(1)) {
        if (c === "f") o.follow = true;
        else if (c === "e") o.lines ??= 1000;
        else if (c === "r") o.reverse = true;
        else if (c === "q") o.quiet = true;
        else if (c === "u") {
          const v = take(i++, "-u");
          if (v === undefined) return 1;
          o.units.push(v);
        } else if (c !== "x" && c !== "l" && c !== "a" && c !== "b") {
          io.stderr.write(`journalctl: invalid option -- '${c}'\n`);
          return 1;
        }
      }
    } else if (a.startsWith("--")) {
      io.stderr.write(`journalctl: unrecognized option '${a}'\n`);
      return 1;
    } else if (a.startsWith("-")) {
      io.stderr.write(`journalctl: invalid option -- '${a[1]}'\n`);
      return 1;
    } else {
      // A bare word is a match expression; only FIELD=value is valid.
      io.stderr.write(`Failed to add match '${a}': Invalid argument\n`);
      return 1;
    }
  }
  return o;
}

export async function journalctl(argv: string[], io: CommandIO, ctx: NodeToolContext): Promise<number> {
  const parsed = parse(argv, io);
  if (typeof parsed === "number") return parsed;
  const o = parsed;
  const host = hostOf(ctx);
  const unitNames = o.units.map((u) => (u.includes(".") ? u : `${u}.service`));
  const matches = (e: JournalEntry) => unitNames.length === 0 || unitNames.includes(e.unit);
  const line = (e: JournalEntry) => (o.cat ? `${e.message}\n` : `${journalTimestamp(e.time)} ${host.name} ${e.ident}: ${e.message}\n`);

  const all = host.journalFor();
  let entries = all.filter(matches);
  // -f without -n shows the last 10 lines, as journalctl does.
  const limit = o.lines ?? (o.follow ? 10 : undefined);
  if (limit !== undefined) entries = limit === 0 ? [] : entries.slice(-limit);
  if (o.reverse) entries.reverse();

  if (!o.quiet && all.length > 0) {
    io.stdout.write(`-- Journal begins at ${systemdTimestamp(all[0]!.time)}, ends at ${systemdTimestamp(all[all.length - 1]!.time)}. --\n`);
  }
  if (entries.length === 0 && !o.follow && !o.quiet) io.stdout.write("-- No entries --\n");
  for (const e of entries) io.stdout.write(line(e));
  if (!o.follow) return 0;

  await new Promise<void>((resolve) => {
    if (io.signal.aborted) return resolve();
    const off = host.onLog((e) => {
      if (matches(e)) io.stdout.write(line(e));
    });
    io.signal.addEventListener(
      "abort",
      () => {
        off();
        resolve();
      },
      { once: true },
    );
  });
  return 0;
}
