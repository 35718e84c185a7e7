// systemctl on a node, as systemd 249 (Ubuntu 22.04) prints it: status with
// its Loaded/Drop-In/Active/Docs/Main PID/Tasks/Memory/CPU/CGroup block and the
// unit's last journal lines, start/stop/restart (silent on success),
// is-active/is-enabled, enable/disable, daemon-reload, list-units.
// Leaves out: the pager, targets, timers, sockets and every unit the lab does
// not emulate (they are "not found").

import type { CommandIO } from "../../utils/command.ts";
import type { Host, Unit } from "../host.ts";
import { hostOf, type NodeToolContext } from "./context.ts";
import { journalTimestamp, systemdRelative, systemdTimespan, systemdTimestamp } from "./timefmt.ts";
import { unitFile } from "./unit-files.ts";

const GREEN = "\x1b[0;1;32m";
const RESET = "\x1b[0m";

function unitName(arg: string): string {
  return /\.(service|socket|target|timer|mount|slice|scope|path|device)$/.test(arg) ? arg : `${arg}.service`;
}

/** systemd's format_bytes: 1024-based with one decimal, "36.2M". */
function formatBytes(bytes: number): string {
  const units = ["B", "K", "M", "G", "T"];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v}B` : `${v.toFixed(1)}${units[i]}`;
}

/** When the unit's last run began: the journal's last "Started" line before `before`. */
function lastStart(host: Host, u: Unit, before: number): number | undefined {
  const started = `Started ${u.description}.`;
  let t: number | undefined;
  for (const e of host.journalFor(u.name)) if (e.message === started && e.time <= before) t = e.time;
  return t;
}

function statusText(host: Host, u: Unit, now: number, tty: boolean): string {
  const f = unitFile(u.name);
  const active = u.state === "active";
  const lines: string[] = [];
  const dot = active ? (tty ? `${GREEN}●${RESET}` : "●") : u.state === "failed" ? "×" : "○";
  lines.push(`${dot} ${u.name} - ${u.description}`);
  lines.push(`     Loaded: loaded (${f.path}; ${u.enabled ? "enabled" : "disabled"}; vendor preset: enabled)`);
  if (f.dropIns) {
    lines.push(`    Drop-In: ${f.dropIns.dir}`);
    f.dropIns.files.forEach((file, i) => lines.push(`             ${i === f.dropIns!.files.length - 1 ? "└─" : "├─"}${file}`));
  }
  const since = `since ${systemdTimestamp(u.since)}; ${systemdRelative(u.since, now)}`;
  if (active) {
    const state = tty ? `${GREEN}active (running)${RESET}` : "active (running)";
    lines.push(`     Active: ${state} ${since}`);
  } else if (u.lastPid) {
    lines.push(`     Active: ${u.state === "failed" ? "failed (Result: exit-code)" : "inactive (dead)"} ${since}`);
  } else {
    lines.push(`     Active: inactive (dead)`);
  }
  if (f.docs) lines.push(`       Docs: ${f.docs}`);
  // ExecStartPre processes ran just before the main one, so they have lower PIDs.
  const pre = f.execStartPre ?? [];
  if (active) {
    pre.forEach((cmd, i) => lines.push(`    Process: ${u.pid - pre.length + i} ExecStartPre=${cmd} (code=exited, status=0/SUCCESS)`));
    const uptime = now - u.since;
    const cpuMs = 180 + uptime * f.cpuShare;
    const memMiB = f.memoryMiB + Math.min(uptime / 3_600_000, 24) * 0.8 + (u.pid % 7) / 10;
    lines.push(`   Main PID: ${u.pid} (${f.comm})`);
    lines.push(`      Tasks: ${f.tasks + (u.pid % 3)} (limit: 4557)`);
    lines.push(`     Memory: ${formatBytes(Math.round(memMiB * 1024 * 1024))}`);
    lines.push(`        CPU: ${systemdTimespan(cpuMs)}`);
    lines.push(`     CGroup: /system.slice/${u.name}`);
    lines.push(`             └─${u.pid} ${f.cmdline}`);
  } else if (u.lastPid) {
    const exit = u.state === "failed" ? "code=exited, status=1/FAILURE" : "code=exited, status=0/SUCCESS";
    pre.forEach((cmd, i) => lines.push(`    Process: ${u.lastPid - pre.length + i} ExecStartPre=${cmd} (code=exited, status=0/SUCCESS)`));
    lines.push(`    Process: ${u.lastPid} ExecStart=${f.execStart} (${exit})`);
    lines.push(`   Main PID: ${u.lastPid} (${exit})`);
    const started = lastStart(host, u, u.since);
    if (started !== undefined) lines.push(`        CPU: ${systemdTimespan(180 + (u.since - started) * f.cpuShare)}`);
  }
  const journal = host.journalFor(u.name).slice(-10);
  if (journal.length > 0) {
    lines.push("");
    for (const e of journal) lines.push(`${journalTimestamp(e.time)} ${host.name} ${e.ident}: ${e.message}`);
  }
  return `${lines.join("\n")}\n`;
}

function listUnits(host: Host, all: boolean, io: CommandIO): number {
  const units = host
    .listUnits()
    .filter((u) => all || u.state === "active")
    .sort((a, b) => a.name.localeCompare(b.name));
  const rows = units.map((u) => [u.name, "loaded", u.state, u.state === "active" ? "running" : "dead", u.description]);
  const header = ["UNIT", "LOAD", "ACTIVE", "SUB", "DESCRIPTION"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => `  ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join(" ")}`.trimEnd();
  const out = [fmt(header), ...rows.map(fmt), ""];
  out.push("LOAD   = Reflects whether the unit definition was properly loaded.");
  out.push("ACTIVE = The high-level unit activation state, i.e. generalization of SUB.");
  out.push("SUB    = The low-level unit activation state, values depend on unit type.");
  out.push(`${units.length} loaded units listed.${all ? "" : " Pass --all to see loaded but inactive units, too."}`);
  out.push("To show all installed unit files use 'systemctl list-unit-files'.");
  io.stdout.write(`${out.join("\n")}\n`);
  return 0;
}

const VERBS = new Set([
  "status",
  "start",
  "stop",
  "restart",
  "try-restart",
  "reload-or-restart",
  "is-active",
  "is-enabled",
  "is-failed",
  "enable",
  "disable",
  "daemon-reload",
  "list-units",
  "show",
  "cat",
]);

export async function systemctl(argv: string[], io: CommandIO, ctx: NodeToolContext): Promise<number> {
  const host = hostOf(ctx);
  const now = ctx.cluster.clock.now();
  const args: string[] = [];
  let all = false;
  let now_ = false;
  let quiet = false;
  for (const a of argv) {
    if (a === "--no-pager" || a === "-l" || a === "--full" || a === "--no-legend" || a === "--system") continue;
    if (a === "-a" || a === "--all") all = true;
    else if (a === "--now") now_ = true;
    else if (a === "-q" || a === "--quiet") quiet = true;
    else if (a.startsWith("--")) {
      io.stderr.write(`systemctl: unrecognized option '${a}'\n`);
      return 1;
    } else if (a.startsWith("-") && a.length > 1) {
      io.stderr.write(`systemctl: invalid option -- '${a[1]}'\n`);
      return 1;
    } else args.push(a);
  }
  const verb = args.shift() ?? "list-units";
  if (!VERBS.has(verb)) {
    io.stderr.write(`Unknown command verb ${verb}.\n`);
    return 1;
  }
  const names = args.map(unitName);
  const needsUnits = !["list-units", "daemon-reload", "status"].includes(verb);
  if (needsUnits && names.length === 0) {
    io.stderr.write("Too few arguments.\n");
    return 1;
  }
  switch (verb) {
    case "list-units":
      return listUnits(host, all, io);
    case "daemon-reload":
      return 0;
    case "status": {
      if (names.length === 0) return listUnits(host, all, io);
      let code = 0;
      let first = true;
      for (const n of names) {
        const u = host.unit(n);
        if (!u) {
          io.stderr.write(`Unit ${n} could not be found.\n`);
          code = Math.max(code, 4);
          continue;
        }
        if (!first) io.stdout.write("\n");
        first = false;
        io.stdout.write(statusText(host, u, now, io.isTTY));
        if (u.state !== "active") code = Math.max(code, 3);
      }
      return code;
    }
    case "cat": {
      let code = 0;
      for (const n of names) {
        const u = host.unit(n);
        if (!u) {
          io.stderr.write(`No files found for ${n}.\n`);
          code = 1;
          continue;
        }
        const f = unitFile(u.name);
        io.stdout.write(`# ${f.path}\n[Unit]\nDescription=${u.description}\n${f.docs ? `Documentation=${f.docs}\n` : ""}\n[Service]\nExecStart=${f.execStart}\nRestart=always\n\n[Install]\nWantedBy=multi-user.target\n`);
      }
      return code;
    }
    case "show": {
      for (const n of names) {
        const u = host.unit(n);
        io.stdout.write(
          `Id=${n}\nDescription=${u?.description ?? n}\nLoadState=${u ? "loaded" : "not-found"}\nActiveState=${u?.state ?? "inactive"}\nSubState=${u?.state === "active" ? "running" : "dead"}\nMainPID=${u?.pid ?? 0}\nUnitFileState=${u ? (u.enabled ? "enabled" : "disabled") : ""}\n`,
        );
      }
      return 0;
    }
    case "is-active":
    case "is-failed": {
      let ok = false;
      for (const n of names) {
        const state = host.unit(n)?.state ?? "inactive";
        if (!quiet) io.stdout.write(`${state}\n`);
        if (verb === "is-active" ? state === "active" : state === "failed") ok = true;
      }
      return ok ? 0 : verb === "is-active" ? 3 : 1;
    }
    case "is-enabled": {
      let ok = false;
      for (const n of names) {
        const u = host.unit(n);
        if (!u) {
          io.stderr.write(`Failed to get unit file state for ${n}: No such file or directory\n`);
          return 1;
        }
        if (!quiet) io.stdout.write(`${u.enabled ? "enabled" : "disabled"}\n`);
        if (u.enabled) ok = true;
      }
      return ok ? 0 : 1;
    }
    case "enable":
    case "disable": {
      const enable = verb === "enable";
      for (const n of names) {
        const u = host.unit(n);
        if (!u) {
          io.stderr.write(`Failed to ${verb} unit: Unit file ${n} does not exist.\n`);
          return 1;
        }
        const link = `/etc/systemd/system/multi-user.target.wants/${u.name}`;
        if (u.enabled !== enable) {
          if (enable) io.stderr.write(`Created symlink ${link} → ${unitFile(u.name).path}.\n`);
          else io.stderr.write(`Removed ${link}.\n`);
          host.setEnabled(u.name, enable);
        }
        if (now_) {
          if (enable) host.start(u.name);
          else host.stop(u.name);
        }
      }
      return 0;
    }
    default: {
      // start, stop, restart, try-restart, reload-or-restart
      for (const n of names) {
        const u = host.unit(n);
        const action = verb === "stop" ? "stop" : verb === "start" ? "start" : "restart";
        if (!u) {
          io.stderr.write(`Failed to ${action} ${n}: Unit ${n} ${verb === "stop" ? "not loaded" : "not found"}.\n`);
          return 5;
        }
        if (verb === "start") host.start(u.name);
        else if (verb === "stop") host.stop(u.name);
        else if (verb === "try-restart") {
          if (u.state === "active") host.restart(u.name);
        } else host.restart(u.name);
      }
      return 0;
    }
  }
}
