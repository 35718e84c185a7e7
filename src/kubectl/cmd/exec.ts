// `kubectl exec POD [-c CONTAINER] [-i] [-t] -- COMMAND [ARGS…]`, after
// k8s.io/kubectl/pkg/cmd/exec: get the pod, refuse a completed one, default
// the container (`Defaulted container …` on stderr when there are several),
// then stream the command over kubelab's exec protocol (src/apiserver/exec.ts,
// in-process transport only) and exit with the command's code.
// TYPE/NAME picks one of a workload's pods as AttachablePodForObject does
// (sort.Reverse(ActivePods): scheduled, running, ready, oldest first).
// Leaves out: SPDY/WebSocket (so it cannot exec over HTTPS), resize, waiting
// --pod-running-timeout for a pod to start.

import { StatusError } from "../../apimachinery/errors.ts";
import { pathFor } from "../discovery.ts";
import { RawError, UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";

interface Pod {
  metadata: { name: string; annotations?: Record<string, string>; creationTimestamp?: string };
  spec: { containers: { name: string }[]; initContainers?: { name: string }[]; ephemeralContainers?: { name: string }[] };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}

type Frame = { stdout?: string; stderr?: string; status?: { status: string; message?: string; reason?: string; details?: { causes?: { reason?: string; message?: string }[] } } };

const POD = { group: "", version: "v1", resource: "pods", namespaced: true };

export async function run(ctx: CommandContext): Promise<number> {
  const { flags, io } = ctx;
  const [target, ...command] = ctx.args;
  if (!target) throw new UsageError("pod or type/name must be specified\nSee 'kubectl exec -h' for help and examples");
  if (flags.argsLenAtDash === -1 && command.length > 0) {
    throw new UsageError("exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples");
  }
  if (command.length === 0) throw new RawError("error: you must specify at least one command for the container");
  const rest = await ctx.factory.rest();
  const { namespace } = ctx.factory.namespace();
  const name = target.includes("/") ? await podForObject(ctx, namespace, target) : target;
  let pod: Pod;
  try {
    pod = await rest.json<Pod>("GET", pathFor(POD, namespace, name));
  } catch (e) {
    if (e instanceof StatusError && e.code === 404) throw new RawError(`Error from server (NotFound): pods "${name}" not found`);
    throw e;
  }
  const phase = pod.status?.phase;
  if (phase === "Succeeded" || phase === "Failed") throw new RawError(`error: cannot exec into a container in a completed pod; current phase is ${phase}`);
  let container = flags.string("container");
  if (!container) {
    const def = pod.metadata.annotations?.["kubectl.kubernetes.io/default-container"];
    container = def ?? pod.spec.containers[0]?.name ?? "";
    if (!def && pod.spec.containers.length > 1 && !flags.bool("quiet")) {
      const all = [...pod.spec.containers, ...(pod.spec.initContainers ?? []), ...(pod.spec.ephemeralContainers ?? [])].map((c) => c.name);
      io.stderr.write(`Defaulted container "${container}" out of: ${all.join(", ")}\n`);
    }
  }
  const stdin = flags.bool("stdin");
  let tty = flags.bool("tty");
  if (tty && !stdin) {
    if (!flags.bool("quiet")) io.stderr.write("Unable to use a TTY - input is not a terminal or the right kind of file\n");
    tty = false;
  }
  const params = new URLSearchParams();
  for (const c of command) params.append("command", c);
  params.set("container", container);
  if (stdin) params.set("stdin", "true");
  params.set("stdout", "true");
  if (!tty) params.set("stderr", "true");
  if (tty) params.set("tty", "true");
  const path = `${pathFor(POD, namespace, pod.metadata.name, "exec")}?${params.toString()}`;
  const res = await rest.transport.stream(
    {
      method: "POST",
      path,
      headers: { "x-kubelab-exec-protocol": "kubelab.exec.v1", "user-agent": "kubectl/v1.32.5 (linux/amd64) kubernetes/kubelab" },
      ...(stdin ? { bodyStream: io.stdin } : {}),
    },
    io.signal,
  );
  if (res.status !== 200) {
    const chunks: Buffer[] = [];
    for await (const c of res.body) chunks.push(c);
    const body = Buffer.concat(chunks).toString("utf8");
    let status: { message?: string; reason?: string; code?: number } = {};
    try {
      status = JSON.parse(body) as typeof status;
    } catch {
      status = { message: body.trim() };
    }
    if (res.status === 404 && status.reason === "NotFound" && !status.message?.startsWith("pods ")) {
      throw new RawError(`error: unable to upgrade connection: ${status.message}`);
    }
    throw new RawError(`Error from server${status.reason ? ` (${status.reason})` : ""}: ${status.message ?? body}`);
  }
  let pending = "";
  let final: Frame["status"];
  const dec = new TextDecoder();
  for await (const chunk of res.body) {
    pending += dec.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (!line) continue;
      const f = JSON.parse(line) as Frame;
      if (f.stdout !== undefined) io.stdout.write(f.stdout);
      if (f.stderr !== undefined) io.stderr.write(f.stderr);
      if (f.status) final = f.status;
    }
  }
  if (io.signal.aborted) return 130;
  if (!final || final.status === "Success") return 0;
  if (final.reason === "NonZeroExitCode") {
    const code = Number(final.details?.causes?.find((c) => c.reason === "ExitCode")?.message ?? 1);
    io.stderr.write(`command terminated with exit code ${code}\n`);
    return code;
  }
  throw new RawError(`error: ${final.message ?? "exec failed"}`);
}

/** The pod a TYPE/NAME means: itself for pod/NAME, else the best of the workload's pods. */
async function podForObject(ctx: CommandContext, namespace: string, target: string): Promise<string> {
  const type = target.slice(0, target.indexOf("/"));
  const name = target.slice(target.indexOf("/") + 1);
  const disco = await ctx.factory.discovery();
  const r = await disco.resolve(type);
  if (r.kind === "Pod") return name;
  const rest = await ctx.factory.rest();
  const obj = await rest.json<{ spec?: { selector?: { matchLabels?: Record<string, string> } | Record<string, string> } }>("GET", pathFor(r, namespace, name));
  const sel = obj.spec?.selector as { matchLabels?: Record<string, string> } | undefined;
  const labels = sel?.matchLabels ?? (obj.spec?.selector as Record<string, string> | undefined) ?? {};
  const labelSelector = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(",");
  const list = await rest.json<{ items?: (Pod & { spec: { nodeName?: string } })[] }>("GET", pathFor(POD, namespace), { query: { labelSelector } });
  const rank = (p: Pod & { spec: { nodeName?: string } }) => [
    p.spec.nodeName ? 0 : 1,
    p.status?.phase === "Running" ? 0 : p.status?.phase === "Unknown" ? 1 : 2,
    p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ? 0 : 1,
    Date.parse(p.metadata.creationTimestamp ?? "") || 0,
  ];
  const pods = [...(list.items ?? [])].sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return 0;
  });
  if (pods.length === 0) throw new RawError(`error: cannot attach to ${r.kind} ${name}: no pods found`);
  return pods[0]!.metadata.name;
}
