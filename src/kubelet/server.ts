// The kubelet's read-only API for the apiserver, after pkg/kubelet/server
// (/containerLogs on :10250): `kubectl logs` with --previous, --tail,
// --since, --timestamps and -f, answered from containerd's log of the
// container. Errors carry the kubelet's wording. /exec runs a command (or an
// interactive shell reading stdin line by line) through containerd's ExecSync
// with the pod's identity and environment (envvars.ts).
// Leaves out: attach, port-forward, resize and the stats endpoints.

import { StatusError } from "../apimachinery/errors.ts";
import type { Pod, Service } from "../api/core/v1.ts";
import type { ExecIO, ExecOptions, KubeletClient, LogOptions, LogSink, StatsSummary } from "../apiserver/kubelet-client.ts";
import { containerUsage, SAMPLE_MS, systemOverhead } from "../cri/stats.ts";
import type { PodIdentity } from "../cri/exec.ts";
import type { Container, ContainerRuntime, LogLine } from "../cri/runtime.ts";
import { containerEnv, visibleServices } from "./envvars.ts";
import type { Clock } from "../utils/clock.ts";
import type { CommandIO } from "../utils/command.ts";

export interface PodLookup {
  /** The pod's uid and the kubelet's waiting reason for a container, if the kubelet runs it. */
  find(namespace: string, name: string): { uid: string; pod?: Pod; waiting(container: string): string | undefined } | undefined;
  /** Every service (the kubelet's service lister), for the env it injects. */
  services?(): Promise<Service[]>;
}

/**
 * A program that needs the pod's network namespace (curl, nslookup): the
 * cluster supplies them, since the kubelet itself has no network stack.
 */
export type PodCommand = (argv: string[], io: CommandIO, pod: { namespace: string; ip: string }) => Promise<number>;

const SHELLS = new Set(["sh", "bash", "ash"]);
const CLUSTER_DNS = "10.96.0.10";
const CLUSTER_DOMAIN = "cluster.local";

/** RFC 3339 with nanoseconds, as containerd's CRI log format stamps each line. */
function nanoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000000Z");
}

export class KubeletServer implements KubeletClient {
  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly pods: PodLookup,
    private readonly clock: Clock,
    private readonly podCommands: Record<string, PodCommand> = {},
  ) {}

  async containerLogs(namespace: string, pod: string, opts: LogOptions, out: LogSink, signal: AbortSignal): Promise<void> {
    const found = this.pods.find(namespace, pod);
    if (!found) throw new StatusError(404, "NotFound", `pods "${pod}" not found`);
    const all = this.runtime
      .listContainers({ podUid: found.uid })
      .filter((c) => c.name === opts.container)
      .sort((a, b) => a.attempt - b.attempt);
    let c: Container | undefined;
    if (opts.previous) {
      c = all.length >= 2 ? all[all.length - 2] : undefined;
      if (!c) throw new StatusError(400, "BadRequest", `previous terminated container "${opts.container}" in pod "${pod}" not found`);
    } else {
      c = all[all.length - 1];
      if (!c || c.state === "CONTAINER_CREATED") {
        const reason = found.waiting(opts.container) ?? "ContainerCreating";
        const why = reason === "ErrImagePull" || reason === "ImagePullBackOff" ? "trying and failing to pull image" : reason;
        throw new StatusError(400, "BadRequest", `container "${opts.container}" in pod "${pod}" is waiting to start: ${why}`);
      }
    }
    const fmt = (l: LogLine) => `${opts.timestamps ? `${nanoTime(l.time)} ` : ""}${l.text}\n`;
    let lines = c.logs;
    if (opts.sinceSeconds !== undefined) {
      const from = this.clock.now() - opts.sinceSeconds * 1000;
      lines = lines.filter((l) => l.time >= from);
    }
    if (opts.tailLines !== undefined) lines = opts.tailLines > 0 ? lines.slice(-opts.tailLines) : [];
    for (const l of lines) out.write(fmt(l));
    if (!opts.follow || c.state !== "CONTAINER_RUNNING" || signal.aborted) return;
    await new Promise<void>((resolve) => {
      const stop = this.runtime.followLogs(c.id, (line) => {
        if (line) out.write(fmt(line));
        else finish();
      });
      const finish = () => {
        stop();
        signal.removeEventListener("abort", finish);
        resolve();
      };
      signal.addEventListener("abort", finish);
    });
  }

  async exec(namespace: string, pod: string, opts: ExecOptions, io: ExecIO, signal: AbortSignal): Promise<number> {
    const found = this.pods.find(namespace, pod);
    if (!found?.pod) throw new StatusError(404, "NotFound", "pod does not exist");
    const c = this.runtime
      .listContainers({ podUid: found.uid })
      .filter((x) => x.name === opts.container && x.state === "CONTAINER_RUNNING")
      .sort((a, b) => b.attempt - a.attempt)[0];
    if (!c) throw new StatusError(404, "NotFound", `container not found ("${opts.container}")`);
    const identity = await this.identity(found.pod, c);
    const write = (out: LogSink, text: string) => {
      if (text) out.write(opts.tty ? text.replace(/\r?\n/g, "\r\n") : text);
    };
    const stderr = opts.tty ? io.stdout : io.stderr;
    const run = async (argv: string[]): Promise<number> => {
      const net = this.networked(argv);
      if (net) {
        const tool = this.podCommands[net[0]!.split("/").pop()!]!;
        const cio: CommandIO = {
          stdout: { write: (c) => write(io.stdout, typeof c === "string" ? c : new TextDecoder().decode(c)) },
          stderr: { write: (c) => write(stderr, typeof c === "string" ? c : new TextDecoder().decode(c)) },
          stdin: (async function* () {})(),
          env: Object.fromEntries(identity.env),
          cwd: "/",
          isTTY: opts.tty ?? false,
          signal,
        };
        return tool(net, cio, { namespace: identity.namespace, ip: identity.ip });
      }
      const r = this.runtime.execSync(c.id, argv, { ...identity, nowMs: this.clock.now() });
      write(io.stdout, r.stdout);
      write(stderr, r.stderr);
      return r.exitCode;
    };
    const bin = opts.command[0]?.split("/").pop() ?? "";
    if (!(SHELLS.has(bin) && opts.command.length === 1 && opts.stdin && io.stdin)) return run(opts.command);
    return this.shell(bin, identity, c, opts, io, signal, run);
  }

  /** An interactive shell: a prompt (with a TTY), one command per stdin line, until exit or EOF. */
  private async shell(bin: string, id: PodIdentity, c: Container, opts: ExecOptions, io: ExecIO, signal: AbortSignal, run: (argv: string[]) => Promise<number>): Promise<number> {
    const workdir = c.image.startsWith("docker.io/library/httpd") ? "/usr/local/apache2" : "/";
    const prompt = bin === "bash" ? `root@${id.hostname}:${workdir}# ` : "# ";
    const dec = new TextDecoder();
    let last = 0;
    let pending = "";
    if (opts.tty) io.stdout.write(prompt);
    for await (const chunk of io.stdin!) {
      if (signal.aborted) break;
      pending += dec.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = pending.search(/\r?\n|\r/)) >= 0) {
        const line = pending.slice(0, nl).trim();
        pending = pending.slice(nl + (pending.slice(nl, nl + 2) === "\r\n" ? 2 : 1));
        const exit = /^exit(?:\s+(\d+))?$/.exec(line);
        if (exit) {
          if (opts.tty && bin === "bash") io.stdout.write("exit\r\n");
          return exit[1] === undefined ? last : Number(exit[1]);
        }
        if (line) {
          try {
            last = await run(["sh", "-c", line]);
          } catch (e) {
            io.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
            return 137;
          }
        }
        if (opts.tty) io.stdout.write(prompt);
      }
    }
    if (opts.tty && bin === "bash") io.stdout.write("exit\r\n");
    return last;
  }

  /** /stats/summary: the latest cAdvisor sample of every running container and the node's total. */
  async statsSummary(): Promise<StatsSummary> {
    const sampled = Math.floor(this.clock.now() / SAMPLE_MS) * SAMPLE_MS;
    const time = new Date(sampled).toISOString().replace(/\.\d{3}Z$/, "Z");
    const byPod = new Map<string, StatsSummary["pods"][number]>();
    let cpu = 0;
    let mem = 0;
    let controlPlane = false;
    for (const c of this.runtime.listContainers()) {
      if (c.state !== "CONTAINER_RUNNING") continue;
      if (/kube-apiserver:/.test(c.image)) controlPlane = true;
      const u = containerUsage(c, sampled);
      cpu += u.usageNanoCores;
      mem += u.workingSetBytes;
      let pod = byPod.get(c.pod.uid);
      if (!pod) byPod.set(c.pod.uid, (pod = { podRef: { name: c.pod.name, namespace: c.pod.namespace, uid: c.pod.uid }, containers: [] }));
      const startTime = new Date(c.startedAt ?? c.createdAt).toISOString().replace(/\.\d{3}Z$/, "Z");
      pod.containers.push({ name: c.name, startTime, time, ...u });
    }
    const sys = systemOverhead(this.runtime.node, controlPlane, sampled);
    return {
      node: { nodeName: this.runtime.node, time, usageNanoCores: cpu + sys.usageNanoCores, workingSetBytes: mem + sys.workingSetBytes },
      pods: [...byPod.values()],
    };
  }

  /** The argv of a network program this command runs, directly or as `sh -c "curl …"`. */
  private networked(argv: string[]): string[] | undefined {
    const isNet = (words: string[]) => words.length > 0 && this.podCommands[words[0]!.split("/").pop()!] !== undefined;
    if (isNet(argv)) return argv;
    if (SHELLS.has(argv[0]?.split("/").pop() ?? "") && argv[1] === "-c" && argv.length === 3 && !/[;&|<>]/.test(argv[2]!)) {
      const words = argv[2]!.trim().split(/\s+/).map((w) => w.replace(/^(['"])(.*)\1$/, "$2"));
      if (isNet(words)) return words;
    }
    return undefined;
  }

  private async identity(pod: Pod, c: Container): Promise<PodIdentity> {
    const repository = c.image.replace(/:[^:/]*$/, "");
    const started = c.startedAt ?? this.clock.now();
    const services = visibleServices(pod, (await this.pods.services?.()) ?? [], started);
    const spec = pod.spec.containers.find((x) => x.name === c.name);
    const command = [...(spec?.command ?? []), ...(spec?.args ?? [])].join(" ") || DEFAULT_COMMAND[repository] || "sh";
    return {
      hostname: pod.spec.hostname ?? pod.metadata.name!,
      namespace: pod.metadata.namespace ?? "default",
      ip: pod.status?.podIP ?? "",
      env: containerEnv(pod, c.name, repository, services),
      command,
      nowMs: this.clock.now(),
      startedMs: started,
      dnsIP: CLUSTER_DNS,
      clusterDomain: CLUSTER_DOMAIN,
    };
  }
}

/** The image's default command line, as ps shows PID 1. */
const DEFAULT_COMMAND: Record<string, string> = {
  "docker.io/library/httpd": "httpd -DFOREGROUND",
  "docker.io/library/nginx": "nginx: master process nginx -g daemon off;",
  "docker.io/library/busybox": "sh",
  "registry.k8s.io/coredns/coredns": "/coredns -conf /etc/coredns/Corefile",
};
