// pods/<name>/exec, after pkg/registry/core/pod/rest/subresources.go and
// pod.ExecLocation: choose the container, find the pod's node and run the
// command through its kubelet. Real clients must upgrade to SPDY or
// WebSocket; kubelab answers those with the real `400 Upgrade request
// required`. Only the in-process transport may ask (header EXEC_PROTOCOL_HEADER,
// which the HTTPS front strips) for kubelab's own streamed protocol:
//
//   request:  GET/POST …/exec?command=…&container=…&stdin=…&stdout=…&stderr=…&tty=…
//             stdin, if asked for, is the request's body stream
//   response: 200, content-type EXEC_CONTENT_TYPE, one JSON frame per line:
//             {"stdout":"…"} | {"stderr":"…"} | {"status":Status}
//   The last frame is the v4.channel.k8s.io error channel's Status: Success,
//   or Failure with reason NonZeroExitCode and the code in details.causes.
// Errors before the command starts (pod, container, kubelet) are plain Status answers.

import { badRequest, StatusError } from "../apimachinery/errors.ts";
import type { KObject } from "../apimachinery/meta.ts";
import type { APIServer } from "./apiserver.ts";
import type { RequestContext } from "./registry/store.ts";
import type { RestRequest, RestResponse } from "./rest.ts";

export const EXEC_PROTOCOL_HEADER = "x-kubelab-exec-protocol";
export const EXEC_PROTOCOL = "kubelab.exec.v1";
export const EXEC_CONTENT_TYPE = "application/x-kubelab-exec+jsonl";

interface PodShape {
  spec?: { nodeName?: string; containers?: { name: string }[]; initContainers?: { name: string }[]; ephemeralContainers?: { name: string }[] };
  status?: { phase?: string };
}

/** The frames the protocol carries, as the client reads them. */
export type ExecFrame = { stdout: string } | { stderr: string } | { status: { status: string; message?: string; reason?: string; details?: { causes?: { reason?: string; message?: string }[] } } };

/** Whether this request speaks kubelab's exec protocol (only the in-process transport can send the header). */
export function wantsExecProtocol(req: RestRequest): boolean {
  return req.headers[EXEC_PROTOCOL_HEADER] === EXEC_PROTOCOL;
}

function flag(q: URLSearchParams, key: string): boolean {
  const v = q.get(key);
  return v === "true" || v === "1";
}

export async function serveExec(api: APIServer, ctx: RequestContext, req: RestRequest, res: RestResponse, namespace: string, name: string): Promise<void> {
  const pod = api.get(ctx, { group: "", version: "v1", resource: "pods" }, namespace, name) as KObject & PodShape;
  const q = req.query;
  const command = q.getAll("command");
  if (command.length === 0) throw badRequest("you must specify at least one command for the container");
  const containers = pod.spec?.containers ?? [];
  let container = q.get("container") ?? "";
  if (!container) {
    if (containers.length !== 1) throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.map((c) => c.name).join(" ")}]`);
    container = containers[0]!.name;
  }
  const all = [...containers, ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])];
  if (!all.some((c) => c.name === container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
  const phase = pod.status?.phase;
  if (phase === "Succeeded" || phase === "Failed") throw badRequest(`cannot exec into a container in a completed pod; current phase is ${phase}`);
  const node = pod.spec?.nodeName;
  if (!node) throw badRequest(`pod ${name} does not have a host assigned`);
  const kubelet = api.kubelets.get(node);
  if (!kubelet) throw new StatusError(500, "InternalError", `error dialing backend: dial tcp ${node}:10250: connect: connection refused`);

  const abort = new AbortController();
  const onAbort = () => abort.abort();
  req.signal?.addEventListener("abort", onAbort);
  let started = false;
  const frame = (f: ExecFrame) => {
    if (!started) {
      started = true;
      res.writeHead(200, { "content-type": EXEC_CONTENT_TYPE, "cache-control": "no-cache, private", "transfer-encoding": "chunked" });
    }
    res.write(`${JSON.stringify(f)}\n`);
  };
  const tty = flag(q, "tty");
  const stdin = flag(q, "stdin");
  try {
    const code = await kubelet.exec(
      namespace,
      name,
      { container, command, stdin, tty },
      {
        ...(stdin && req.bodyStream ? { stdin: req.bodyStream } : {}),
        stdout: { write: (s) => frame({ stdout: s }) },
        stderr: { write: (s) => frame({ stderr: s }) },
      },
      abort.signal,
    );
    frame({
      status:
        code === 0
          ? { status: "Success" }
          : {
              status: "Failure",
              message: `command terminated with non-zero exit code: error executing command [${command.join(" ")}], exit code ${code}`,
              reason: "NonZeroExitCode",
              details: { causes: [{ reason: "ExitCode", message: String(code) }] },
            },
    });
    res.end();
  } catch (e) {
    if (!started) throw e;
    frame({ status: { status: "Failure", message: e instanceof Error ? e.message : String(e) } });
    res.end();
  } finally {
    req.signal?.removeEventListener("abort", onAbort);
  }
}
