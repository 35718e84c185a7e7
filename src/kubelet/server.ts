// The kubelet's read-only API for the apiserver, after pkg/kubelet/server
// (/containerLogs on :10250): `kubectl logs` with --previous, --tail,
// --since, --timestamps and -f, answered from containerd's log of the
// container. Errors carry the kubelet's wording.
// Leaves out: exec, attach, port-forward and the stats endpoints.

import { StatusError } from "../apimachinery/errors.ts";
import type { KubeletClient, LogOptions, LogSink } from "../apiserver/kubelet-client.ts";
import type { Container, ContainerRuntime, LogLine } from "../cri/runtime.ts";
import type { Clock } from "../utils/clock.ts";

export interface PodLookup {
  /** The pod's uid and the kubelet's waiting reason for a container, if the kubelet runs it. */
  find(namespace: string, name: string): { uid: string; waiting(container: string): string | undefined } | undefined;
}

/** RFC 3339 with nanoseconds, as containerd's CRI log format stamps each line. */
function nanoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000000Z");
}

export class KubeletServer implements KubeletClient {
  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly pods: PodLookup,
    private readonly clock: Clock,
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
}
