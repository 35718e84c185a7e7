// How a REST client reaches an apiserver, after client-go's rest.Config +
// transport: HTTPS with the cluster CA and a bearer token (what a kubeconfig
// describes), or in process straight into the apiserver's REST handler (the
// lab server's kubectl). Both carry the same bytes, so kubectl behaves the same.
// Leaves out: client certificates, proxies, HTTP/2, exec credential plugins.

import { Agent, request as httpsRequest } from "node:https";
import type { IncomingMessage } from "node:http";
import type { APIServer } from "../apiserver/apiserver.ts";
import type { UserInfo } from "../apiserver/registry/store.ts";
import { handleRest } from "../apiserver/rest.ts";

export interface TransportRequest {
  method: string;
  /** Path and query, relative to the server URL (e.g. "/api/v1/pods?limit=500"). */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** A body that keeps arriving (kubectl exec's stdin); only the in-process transport sends it. */
  bodyStream?: AsyncIterable<Uint8Array>;
}

export interface TransportResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: Buffer;
}

export interface StreamResponse {
  status: number;
  headers: Record<string, string>;
  /** Body chunks as they arrive; ends when the server closes the stream. */
  body: AsyncIterable<Buffer>;
}

export interface Transport {
  /** The server URL as a kubeconfig names it (for messages like cluster-info's). */
  readonly server: string;
  request(req: TransportRequest): Promise<TransportResponse>;
  /** Resolves once the status and headers arrive; aborting signal closes the stream. */
  stream(req: TransportRequest, signal: AbortSignal): Promise<StreamResponse>;
}

async function collect(body: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(c);
  return Buffer.concat(chunks);
}

function lowerHeaders(h: IncomingMessage["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

export interface HttpsTransportOptions {
  /** e.g. https://127.0.0.1:6443 or https://127.0.0.1:8443/clusters/abc */
  server: string;
  caPem?: string;
  token?: string;
  insecureSkipTLSVerify?: boolean;
  userAgent?: string;
}

/** Talks to an apiserver over HTTPS, as client-go does with a kubeconfig. */
export function httpsTransport(options: HttpsTransportOptions): Transport & { close(): void } {
  const base = new URL(options.server);
  if (base.protocol !== "https:") throw new Error(`only https:// servers are supported, got ${options.server}`);
  const prefix = base.pathname.replace(/\/+$/, "");
  const agent = new Agent({ keepAlive: true, ca: options.caPem, rejectUnauthorized: !options.insecureSkipTLSVerify });

  const open = (req: TransportRequest, signal?: AbortSignal): Promise<IncomingMessage> =>
    new Promise((resolve, reject) => {
      const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body);
      const headers: Record<string, string> = {
        ...(options.userAgent ? { "user-agent": options.userAgent } : {}),
        ...req.headers,
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(body ? { "content-length": String(body.length) } : {}),
      };
      const r = httpsRequest(
        {
          protocol: "https:",
          hostname: base.hostname.replace(/^\[|\]$/g, ""),
          port: base.port || 443,
          method: req.method,
          path: `${prefix}${req.path}`,
          headers,
          agent,
          signal,
        },
        resolve,
      );
      r.on("error", reject);
      r.end(body);
    });

  return {
    server: options.server,
    async request(req) {
      const res = await open(req);
      return { status: res.statusCode ?? 0, headers: lowerHeaders(res.headers), body: await collect(res) };
    },
    async stream(req, signal) {
      const res = await open(req, signal);
      // An abort mid-stream ends the iteration instead of throwing into the reader.
      async function* chunks(): AsyncIterable<Buffer> {
        try {
          for await (const c of res) yield c as Buffer;
        } catch (e) {
          if (!signal.aborted) throw e;
        }
      }
      return { status: res.statusCode ?? 0, headers: lowerHeaders(res.headers), body: chunks() };
    },
    close() {
      agent.destroy();
    },
  };
}

/** A queue of chunks a producer pushes and a consumer iterates. */
class ChunkQueue implements AsyncIterable<Buffer> {
  private readonly items: Buffer[] = [];
  private ended = false;
  private wake: (() => void) | undefined;

  push(c: Buffer): void {
    this.items.push(c);
    this.wake?.();
  }

  end(): void {
    this.ended = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    for (;;) {
      const next = this.items.shift();
      if (next) {
        yield next;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}

export interface InProcessTransportOptions {
  /** The identity requests are made as; defaults to kubeadm's kubernetes-admin. */
  user?: UserInfo;
  /** What `server` reports (e.g. the URL the HTTPS listener would have). */
  server?: string;
}

/**
 * Calls the apiserver's REST handler directly: no sockets, same bytes. The
 * lab server's kubectl uses this for the learner's own cluster.
 */
export function inProcessTransport(api: APIServer, options: InProcessTransportOptions = {}): Transport {
  const start = (req: TransportRequest, signal?: AbortSignal): Promise<StreamResponse> =>
    new Promise((resolve) => {
      const url = new URL(req.path, "https://in-process.invalid");
      const queue = new ChunkQueue();
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(req.headers ?? {})) headers[k.toLowerCase()] = v;
      const body = req.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body);
      let headed = false;
      const head = (status: number, h: Record<string, string>) => {
        if (headed) return;
        headed = true;
        resolve({ status, headers: h, body: queue });
      };
      void handleRest(
        api,
        { method: req.method, path: url.pathname, query: url.searchParams, headers, body, ...(req.bodyStream ? { bodyStream: req.bodyStream } : {}), user: options.user, signal },
        {
          writeHead: (status, h) => head(status, Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]))),
          write: (chunk) => queue.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)),
          end: () => {
            head(200, {});
            queue.end();
          },
        },
      ).then(() => {
        head(200, {});
        queue.end();
      });
      signal?.addEventListener("abort", () => queue.end(), { once: true });
    });

  return {
    server: options.server ?? "https://127.0.0.1:6443",
    async request(req) {
      const res = await start(req);
      return { status: res.status, headers: res.headers, body: await collect(res.body) };
    },
    stream: (req, signal) => start(req, signal),
  };
}
