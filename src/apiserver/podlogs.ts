// GET pods/<name>/log, after pkg/registry/core/pod/rest/log.go and
// pod.LogLocation: pick the container, find the pod's node, and stream the
// kubelet's containerLogs answer back as text/plain. A node whose kubelet is
// not running fails the way kube-apiserver's dial to port 10250 does.
// Leaves out: limitBytes and insecureSkipTLSVerifyBackend.

import { badRequest, StatusError } from "../apimachinery/errors.ts";
import type { KObject } from "../apimachinery/meta.ts";
import type { APIServer } from "./apiserver.ts";
import type { LogOptions } from "./kubelet-client.ts";
import type { RequestContext } from "./registry/store.ts";
import type { RestRequest, RestResponse } from "./rest.ts";

interface PodShape {
  spec?: { nodeName?: string; containers?: { name: string }[]; initContainers?: { name: string }[]; ephemeralContainers?: { name: string }[] };
}

interface NodeShape {
  status?: { addresses?: { type: string; address: string }[] };
}

function names(list: { name: string }[] | undefined): string {
  return (list ?? []).map((c) => c.name).join(" ");
}

/** The container to read, as LogLocation chooses it. */
function chooseContainer(pod: KObject & PodShape, name: string, requested: string | null): string {
  const spec = pod.spec ?? {};
  if (requested) {
    const all = [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])];
    if (!all.some((c) => c.name === requested)) throw badRequest(`container ${requested} is not valid for pod ${name}`);
    return requested;
  }
  const containers = spec.containers ?? [];
  if (containers.length === 1) return containers[0]!.name;
  if (containers.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
  let msg = `a container name must be specified for pod ${name}, choose one of: [${names(containers)}]`;
  if ((spec.initContainers ?? []).length > 0) msg += ` or one of the init containers: [${names(spec.initContainers)}]`;
  throw badRequest(msg);
}

function intParam(q: URLSearchParams, key: string): number | undefined {
  const v = q.get(key);
  if (v === null || v === "") return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`invalid value for ${key}: ${v}`);
  return n;
}

function boolParam(q: URLSearchParams, key: string): boolean {
  const v = q.get(key);
  return v === "true" || v === "1";
}

/** Waits one turn of the event loop (not time): lets a log source fail fast before headers go out. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export async function serveLogs(api: APIServer, ctx: RequestContext, req: RestRequest, res: RestResponse, namespace: string, name: string): Promise<void> {
  const pod = api.get(ctx, { group: "", version: "v1", resource: "pods" }, namespace, name) as KObject & PodShape;
  const q = req.query;
  const container = chooseContainer(pod, name, q.get("container"));
  const tailLines = intParam(q, "tailLines");
  const sinceSeconds = intParam(q, "sinceSeconds");
  if (tailLines !== undefined && tailLines < 0) throw badRequest("tailLines: Invalid value: " + tailLines + ": must be greater than or equal to 0");
  if (sinceSeconds !== undefined && sinceSeconds < 1) throw badRequest("sinceSeconds: Invalid value: " + sinceSeconds + ": must be greater than 0");
  const opts: LogOptions = {
    container,
    follow: boolParam(q, "follow"),
    previous: boolParam(q, "previous"),
    timestamps: boolParam(q, "timestamps"),
    ...(tailLines !== undefined ? { tailLines } : {}),
    ...(sinceSeconds !== undefined ? { sinceSeconds } : {}),
  };
  const headers = { "content-type": "text/plain", "cache-control": "no-cache, private", "transfer-encoding": "chunked" };
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) {
    // An unscheduled pod has no log location: the apiserver answers an empty stream.
    res.writeHead(200, headers);
    res.end();
    return;
  }
  const kubelet = api.kubelets.get(nodeName);
  if (!kubelet) {
    const node = tryNode(api, ctx, nodeName);
    const ip = node?.status?.addresses?.find((a) => a.type === "InternalIP")?.address ?? nodeName;
    const params = new URLSearchParams();
    if (opts.follow) params.set("follow", "true");
    if (opts.previous) params.set("previous", "true");
    if (opts.timestamps) params.set("timestamps", "true");
    if (tailLines !== undefined) params.set("tailLines", String(tailLines));
    if (sinceSeconds !== undefined) params.set("sinceSeconds", String(sinceSeconds));
    const query = params.toString() ? `?${params.toString()}` : "";
    const url = `https://${ip}:10250/containerLogs/${namespace}/${name}/${container}${query}`;
    const err = new StatusError(500, "", `Get "${url}": dial tcp ${ip}:10250: connect: connection refused`);
    delete err.status.reason; // StatusReasonUnknown is sent as no reason at all
    throw err;
  }

  const abort = new AbortController();
  const onAbort = () => abort.abort();
  req.signal?.addEventListener("abort", onAbort);
  let started = false;
  const begin = () => {
    if (started) return;
    started = true;
    res.writeHead(200, headers);
  };
  let settled = false;
  const running = kubelet
    .containerLogs(namespace, name, opts, {
      write(chunk: string) {
        if (abort.signal.aborted) return;
        begin();
        res.write(chunk);
      },
    }, abort.signal)
    .finally(() => {
      settled = true;
    });
  // Observed below; this keeps a fast refusal from counting as unhandled meanwhile.
  running.catch(() => undefined);
  try {
    // Give the kubelet a turn to refuse (unknown container, not started): that is
    // answered as a Status, which needs the headers unsent.
    if (opts.follow) {
      await nextTurn();
      if (!settled) begin();
    }
    await running;
    begin();
    res.end();
  } catch (e) {
    if (!started) throw e;
    res.end(); // headers are out: the stream just ends, as a broken kubelet stream does
  } finally {
    req.signal?.removeEventListener("abort", onAbort);
  }
}

function tryNode(api: APIServer, ctx: RequestContext, name: string): (KObject & NodeShape) | undefined {
  try {
    return api.get(ctx, { group: "", version: "v1", resource: "nodes" }, undefined, name) as KObject & NodeShape;
  } catch {
    return undefined;
  }
}
