// crictl 1.32 against the node's containerd: `ps [-a] [-q] [--name RE]
// [--state S] [--pod ID]`, `pods`, `images`, in crictl's tabwriter layout
// (min width 20, padding 3) with IDs cut to 13 characters and docker's
// go-units durations and sizes. When containerd is down it fails as crictl
// does when the socket is missing.
// Leaves out: inspect, logs, exec, stats, -o json/yaml.

import type { ContainerRuntime } from "../../cri/runtime.ts";
import type { CommandIO } from "../../utils/command.ts";
import { type NodeToolContext, runtimeOf } from "./context.ts";

/** docker/go-units HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 1) return "Less than a second";
  if (seconds === 1) return "1 second";
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes === 1) return "About a minute";
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.floor(ms / 3_600_000 + 0.5);
  if (hours === 1) return "About an hour";
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(ms / 3_600_000 / 24 / 365)} years`;
}

/** docker/go-units HumanSizeWithPrecision(size, 3): decimal units, %.3g. */
export function humanSize(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${Number(v.toPrecision(3))}${units[i]}`;
}

/** Go's text/tabwriter with crictl's settings: every column but the last padded to max(20, width+3). */
function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.slice(0, -1).forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 20, c.length + 3)));
  return rows.map((r) => `${r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]!) : c)).join("")}\n`).join("");
}

const trunc = (id: string) => id.replace(/^sha256:/, "").slice(0, 13);

const STATES: Record<string, string> = { CONTAINER_CREATED: "Created", CONTAINER_RUNNING: "Running", CONTAINER_EXITED: "Exited" };

function unavailable(io: CommandIO, now: number): number {
  io.stderr.write(
    `time="${new Date(now).toISOString().replace(/\.\d+Z$/, "Z")}" level=fatal msg="validate service connection: validate CRI v1 runtime API for endpoint \\"unix:///run/containerd/containerd.sock\\": rpc error: code = Unavailable desc = connection error: desc = \\"transport: Error while dialing: dial unix /run/containerd/containerd.sock: connect: no such file or directory\\""\n`,
  );
  return 1;
}

function ps(rt: ContainerRuntime, argv: string[], io: CommandIO, now: number): number {
  let all = false;
  let quiet = false;
  let name: RegExp | undefined;
  let state: string | undefined;
  let pod: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const val = () => (a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[++i]);
    if (a === "-a" || a === "--all") all = true;
    else if (a === "-q" || a === "--quiet") quiet = true;
    else if (a === "-aq" || a === "-qa") all = quiet = true;
    else if (a.startsWith("--name")) name = new RegExp(val() ?? "");
    else if (a.startsWith("--state") || a === "-s") state = (val() ?? "").toLowerCase();
    else if (a.startsWith("--pod") || a === "-p") pod = val();
    else {
      io.stderr.write(`time="${new Date(now).toISOString().replace(/\.\d+Z$/, "Z")}" level=fatal msg="flag provided but not defined: ${a}"\n`);
      return 1;
    }
  }
  const list = rt
    .listContainers()
    .filter((c) => (state ? STATES[c.state]!.toLowerCase() === state : all || c.state === "CONTAINER_RUNNING"))
    .filter((c) => !name || name.test(c.name))
    .filter((c) => !pod || c.sandboxId.startsWith(pod))
    .sort((a, b) => b.createdAt - a.createdAt);
  if (quiet) {
    io.stdout.write(list.map((c) => `${c.id}\n`).join(""));
    return 0;
  }
  const rows = [["CONTAINER", "IMAGE", "CREATED", "STATE", "NAME", "ATTEMPT", "POD ID", "POD", "NAMESPACE"]];
  for (const c of list) {
    rows.push([trunc(c.id), trunc(c.imageId), `${humanDuration(now - c.createdAt)} ago`, STATES[c.state]!, c.name, String(c.attempt), trunc(c.sandboxId), c.pod.name, c.pod.namespace]);
  }
  io.stdout.write(table(rows));
  return 0;
}

function pods(rt: ContainerRuntime, io: CommandIO, now: number): number {
  const rows = [["POD ID", "CREATED", "STATE", "NAME", "NAMESPACE", "ATTEMPT", "RUNTIME"]];
  for (const s of rt.listPodSandbox().sort((a, b) => b.createdAt - a.createdAt)) {
    rows.push([trunc(s.id), `${humanDuration(now - s.createdAt)} ago`, s.state === "SANDBOX_READY" ? "Ready" : "NotReady", s.pod.name, s.pod.namespace, String(s.attempt), "(default)"]);
  }
  io.stdout.write(table(rows));
  return 0;
}

function images(rt: ContainerRuntime, io: CommandIO): number {
  const rows = [["IMAGE", "TAG", "IMAGE ID", "SIZE"]];
  const list = rt.images.list().flatMap((img) =>
    img.repoTags.map((t) => {
      const i = t.lastIndexOf(":");
      return { repo: t.slice(0, i), tag: t.slice(i + 1), img };
    }),
  );
  list.sort((a, b) => (a.repo === b.repo ? a.tag.localeCompare(b.tag) : a.repo < b.repo ? -1 : 1));
  for (const { repo, tag, img } of list) rows.push([repo, tag, trunc(img.id), humanSize(img.size)]);
  io.stdout.write(table(rows));
  return 0;
}

export async function crictl(argv: string[], io: CommandIO, ctx: NodeToolContext): Promise<number> {
  const now = ctx.cluster.clock.now();
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === "help" || verb === "--help" || verb === "-h") {
    io.stdout.write("NAME:\n   crictl - client for CRI\n\nUSAGE:\n   crictl [global options] command [command options]\n\nVERSION:\n   v1.32.0\n\nCOMMANDS:\n   images, image, img  List images\n   pods                List pods\n   ps                  List containers\n   version             Display runtime version information\n");
    return 0;
  }
  const rt = runtimeOf(ctx);
  if (verb === "version") {
    if (!rt?.serving) return unavailable(io, now);
    io.stdout.write("Version:  0.1.0\nRuntimeName:  containerd\nRuntimeVersion:  v1.7.28\nRuntimeApiVersion:  v1\n");
    return 0;
  }
  if (!["ps", "pods", "images", "image", "img"].includes(verb)) {
    io.stderr.write(`No help topic for '${verb}'\n`);
    return 3;
  }
  if (!rt?.serving) return unavailable(io, now);
  if (verb === "ps") return ps(rt, rest, io, now);
  if (verb === "pods") return pods(rt, io, now);
  return images(rt, io);
}
