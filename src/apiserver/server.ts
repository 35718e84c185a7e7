// kube-apiserver's secure port, after k8s.io/apiserver's handler chain:
// TLS, bearer-token authentication, a request-body cap and panic recovery in
// front of the REST handler. One listener serves many clusters: a
// /clusters/<id> path prefix picks the cluster, and each cluster has its own
// token, so one learner's token never reaches another's cluster. Unprefixed
// paths go to the cluster whose token the request bears.
// Leaves out: client certificates, authorization, HTTP/2, audit webhooks.

import { timingSafeEqual } from "node:crypto";
import { EXEC_PROTOCOL_HEADER } from "./exec.ts";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { StatusError, unauthorized } from "../apimachinery/errors.ts";
import type { APIServer } from "./apiserver.ts";
import type { UserInfo } from "./registry/store.ts";
import { handleRest, type RestResponse } from "./rest.ts";
import type { ServingCertificate } from "./tls.ts";

/** kube-apiserver's default --max-request-body-bytes (3 MiB). */
export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

export interface ClusterEntry {
  api: APIServer;
  token: string;
  user: UserInfo;
}

/** kubeadm's admin.conf identity. */
export const CLUSTER_ADMIN: UserInfo = { username: "kubernetes-admin", groups: ["kubeadm:cluster-admins", "system:authenticated"] };

/** The clusters one listener serves, by id. */
export class ClusterRegistry {
  private readonly clusters = new Map<string, ClusterEntry>();

  /** Serves api under /clusters/<id> (and unprefixed), for requests bearing token. */
  add(id: string, api: APIServer, token: string, options: { user?: UserInfo } = {}): void {
    if (!/^[A-Za-z0-9._-]+$/.test(id)) throw new Error(`invalid cluster id ${JSON.stringify(id)}`);
    if (token.length < 16) throw new Error("cluster tokens must be at least 16 characters");
    for (const [other, e] of this.clusters) if (other !== id && e.token === token) throw new Error(`token already serves cluster ${other}`);
    this.clusters.set(id, { api, token, user: options.user ?? CLUSTER_ADMIN });
  }

  remove(id: string): void {
    this.clusters.delete(id);
  }

  get(id: string): ClusterEntry | undefined {
    return this.clusters.get(id);
  }

  /**
   * The cluster a request addresses, and the path with any prefix removed.
   * /clusters/<id>/… names the cluster; the bearer token must be its token.
   * An unprefixed path goes to the cluster whose token the request bears
   * (kubectl's `get --raw /…` drops the server URL's path). Undefined
   * means 401.
   */
  resolve(path: string, authorization: string | undefined): { entry: ClusterEntry; path: string } | undefined {
    const m = /^\/clusters\/([^/]+)(\/.*)?$/.exec(path);
    if (m) {
      const entry = this.clusters.get(m[1]!);
      return entry && tokenMatches(authorization, entry.token) ? { entry, path: m[2] ?? "/" } : undefined;
    }
    for (const entry of this.clusters.values()) if (tokenMatches(authorization, entry.token)) return { entry, path };
    return undefined;
  }
}

export interface ApiServerHttpsOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  clusters: ClusterRegistry;
  cert: ServingCertificate;
  maxBodyBytes?: number;
}

export interface RunningApiServer {
  server: Server;
  port: number;
  host: string;
  /** https://host:port */
  url: string;
  close(): Promise<void>;
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  if (!m) return false;
  const a = Buffer.from(m[1]!);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function sendError(res: ServerResponse, err: StatusError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = `${JSON.stringify(err.status)}\n`;
  res.writeHead(err.code, { "content-type": "application/json", "content-length": Buffer.byteLength(body), "cache-control": "no-cache, private" });
  res.end(body);
}

/** Reads the body up to max bytes; undefined if it was larger (the request is then answered 413). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? "0");
    if (declared > max) {
      resolve(undefined);
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > max) {
        over = true;
        chunks.length = 0;
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(over ? undefined : Buffer.concat(chunks)));
    req.on("error", reject);
    // A client that hangs up mid-body: settle, so nothing waits on it forever.
    req.on("close", () => {
      if (!req.complete) reject(new Error("client closed the connection"));
    });
  });
}

function headersOf(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  // kubelab's exec protocol is for the in-process transport only: real clients must upgrade (SPDY/WebSocket).
  delete out[EXEC_PROTOCOL_HEADER];
  return out;
}

/** Adapts a node response to the REST sink: headers flushed at once, chunks as they come. */
function sink(res: ServerResponse): RestResponse {
  return {
    writeHead(status, headers) {
      const h = { ...headers };
      // Node chooses chunked encoding itself when no length is set.
      delete h["transfer-encoding"];
      res.writeHead(status, h);
      res.flushHeaders();
    },
    write(chunk) {
      if (!res.writableEnded && !res.destroyed) res.write(chunk);
    },
    end() {
      if (!res.writableEnded) res.end();
    },
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, opts: ApiServerHttpsOptions): Promise<void> {
  let url: URL;
  try {
    url = new URL(req.url ?? "/", "https://apiserver.invalid");
  } catch {
    return sendError(res, new StatusError(400, "BadRequest", "malformed request URL"));
  }
  // An unknown cluster id answers 401, not 404, so ids cannot be probed without a token.
  const target = opts.clusters.resolve(url.pathname, req.headers.authorization);
  if (!target) return sendError(res, unauthorized());

  const max = opts.maxBodyBytes ?? MAX_REQUEST_BODY_BYTES;
  const body = await readBody(req, max);
  if (body === undefined) {
    return sendError(res, new StatusError(413, "RequestEntityTooLarge", `Request entity too large: limit is ${max}`));
  }
  const abort = new AbortController();
  res.on("close", () => abort.abort());
  const host = req.headers.host ?? "127.0.0.1:6443";
  await handleRest(
    target.entry.api,
    { method: req.method ?? "GET", path: target.path, query: url.searchParams, headers: headersOf(req), body, user: target.entry.user, signal: abort.signal },
    sink(res),
    { serverAddress: host },
  );
}

/** Starts the HTTPS listener; resolves once it is listening. */
export function startApiServerHttps(opts: ApiServerHttpsOptions): Promise<RunningApiServer> {
  const host = opts.host ?? "127.0.0.1";
  const server = createServer({ cert: opts.cert.certPem, key: opts.cert.keyPem }, (req, res) => {
    handle(req, res, opts).catch((e: unknown) => {
      sendError(res, new StatusError(500, "InternalError", `Internal error occurred: ${e instanceof Error ? e.message : String(e)}`));
    });
  });
  // A client that breaks the TLS handshake or the HTTP framing must not take the server down.
  server.on("clientError", (_err, socket) => socket.destroy());
  server.on("tlsClientError", () => undefined);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      const port = (server.address() as AddressInfo).port;
      const urlHost = host.includes(":") ? `[${host}]` : host;
      resolve({
        server,
        port,
        host,
        url: `https://${urlHost}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
