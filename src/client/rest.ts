// client-go's REST layer over a Transport: `RestClient` (raw verbs, Tables,
// watch streams, Status errors decoded into StatusError, after rest.Request)
// and `restClient(transport)`, the `Client` contract (after the dynamic
// client) that components use when they talk HTTP instead of in process.
// Leaves out: protobuf encoding, retries with back-off, rate limiting.

import { StatusError, type Status } from "../apimachinery/errors.ts";
import type { KList, KObject, WatchEvent } from "../apimachinery/meta.ts";
import type {
  Client,
  DeleteOptions,
  GroupVersionResource,
  ListOptions,
  PatchType,
  ResourceClient,
  Watch,
  WatchHandlers,
  WatchOptions,
  WriteOptions,
} from "./interface.ts";
import type { Transport, TransportResponse } from "./transport.ts";

/** kubectl's Accept for server-side Tables (v1, then v1beta1, then plain JSON). */
export const TABLE_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
/** kubectl's Accept for discovery (aggregated v2, v2beta1, then legacy). */
export const DISCOVERY_ACCEPT =
  "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

export type Query = Record<string, string | number | boolean | undefined | string[]>;

/** Appends a query string; undefined values are left out, arrays repeat the key. */
export function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path;
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) p.append(k, x);
    else p.append(k, String(v));
  }
  const s = p.toString();
  return s ? `${path}${path.includes("?") ? "&" : "?"}${s}` : path;
}

/** The URL of a resource collection or object, as client-go builds it. */
export function resourcePath(gvr: GroupVersionResource, namespace?: string, name?: string, subresource?: string): string {
  let p = gvr.group ? `/apis/${gvr.group}/${gvr.version}` : `/api/${gvr.version}`;
  if (namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${gvr.resource}`;
  if (name !== undefined) p += `/${encodeURIComponent(name)}`;
  if (subresource) p += `/${subresource}`;
  return p;
}

/**
 * The error a non-2xx answer means: the server's Status when it sent one,
 * else what client-go's newUnstructuredResponseError makes of the status code.
 */
export function errorFromResponse(res: TransportResponse): StatusError {
  const text = res.body.toString("utf8");
  try {
    const s = JSON.parse(text) as Partial<Status>;
    if (s && s.kind === "Status" && typeof s.code === "number") {
      const err = new StatusError(s.code, s.reason ?? "", s.message ?? "", s.details);
      if (!s.reason) delete err.status.reason;
      return err;
    }
  } catch {
    // not JSON: fall through
  }
  const body = text.trim();
  switch (res.status) {
    case 404:
      return new StatusError(404, "NotFound", "the server could not find the requested resource", {});
    case 401:
      return new StatusError(401, "Unauthorized", "Unauthorized");
    case 403:
      return new StatusError(403, "Forbidden", body || "forbidden");
    case 409:
      return new StatusError(409, "Conflict", body || "the server reported a conflict");
    case 405:
      return new StatusError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
    default:
      return new StatusError(
        res.status,
        "InternalError",
        `an error on the server (${JSON.stringify(body.slice(0, 1000))}) has prevented the request from succeeding`,
      );
  }
}

export interface RequestOptions {
  query?: Query;
  accept?: string;
  contentType?: string;
  body?: unknown;
}

/** Raw verbs against paths; JSON in and out. */
export class RestClient {
  constructor(
    readonly transport: Transport,
    private readonly userAgent = "kubectl/v1.32.4 (linux/amd64) kubernetes/kubelab",
  ) {}

  /** Sends a request and returns the raw answer, whatever its status. */
  async raw(method: string, path: string, opts: RequestOptions = {}): Promise<TransportResponse> {
    const headers: Record<string, string> = { accept: opts.accept ?? "application/json", "user-agent": this.userAgent };
    let body: Buffer | undefined;
    if (opts.body !== undefined) {
      headers["content-type"] = opts.contentType ?? "application/json";
      body = Buffer.from(typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body));
    }
    return this.transport.request({ method, path: withQuery(path, opts.query), headers, body });
  }

  /** Sends a request; a non-2xx answer throws StatusError; the body is parsed as JSON. */
  async json<T = unknown>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.raw(method, path, opts);
    if (res.status < 200 || res.status > 299) throw errorFromResponse(res);
    const text = res.body.toString("utf8");
    return (text.trim() === "" ? {} : JSON.parse(text)) as T;
  }

  get<T = unknown>(path: string, query?: Query): Promise<T> {
    return this.json<T>("GET", path, { query });
  }

  /** GET with kubectl's Table Accept: a meta.k8s.io/v1 Table. */
  getTable<T = unknown>(path: string, query?: Query): Promise<T> {
    return this.json<T>("GET", path, { query, accept: TABLE_ACCEPT });
  }

  /** GET returning text (pods/log); errors still throw StatusError. */
  async getText(path: string, query?: Query): Promise<string> {
    const res = await this.raw("GET", path, { query, accept: "*/*" });
    if (res.status < 200 || res.status > 299) throw errorFromResponse(res);
    return res.body.toString("utf8");
  }

  /**
   * Streams a GET's body (pods/log?follow=true): onChunk per chunk, resolving
   * when the server ends it or signal aborts.
   */
  async stream(path: string, query: Query | undefined, onChunk: (text: string) => void, signal: AbortSignal, accept = "*/*"): Promise<void> {
    const res = await this.transport.stream({ method: "GET", path: withQuery(path, query), headers: { accept, "user-agent": this.userAgent } }, signal);
    if (res.status < 200 || res.status > 299) {
      const chunks: Buffer[] = [];
      for await (const c of res.body) chunks.push(c);
      throw errorFromResponse({ status: res.status, headers: res.headers, body: Buffer.concat(chunks) });
    }
    const decoder = new TextDecoder();
    for await (const c of res.body) onChunk(decoder.decode(c, { stream: true }));
  }

  /**
   * A watch: GET ?watch=true and one event per line. Resolves when the
   * stream ends (timeout, server close, abort); an error answer throws.
   */
  async watch<T = KObject>(path: string, query: Query, onEvent: (ev: WatchEvent<T>) => void, signal: AbortSignal, accept = "application/json"): Promise<void> {
    let buffered = "";
    await this.stream(
      path,
      { ...query, watch: "true" },
      (text) => {
        buffered += text;
        let nl: number;
        while ((nl = buffered.indexOf("\n")) >= 0) {
          const line = buffered.slice(0, nl).trim();
          buffered = buffered.slice(nl + 1);
          if (line) onEvent(JSON.parse(line) as WatchEvent<T>);
        }
      },
      signal,
      accept,
    );
    const last = buffered.trim();
    if (last) onEvent(JSON.parse(last) as WatchEvent<T>);
  }
}

function listQuery(opts: ListOptions | undefined): Query {
  return {
    labelSelector: opts?.labelSelector || undefined,
    fieldSelector: opts?.fieldSelector || undefined,
    resourceVersion: opts?.resourceVersion,
    limit: opts?.limit,
  };
}

function writeQuery(opts: WriteOptions | undefined): Query {
  return { dryRun: opts?.dryRun, fieldManager: opts?.fieldManager, fieldValidation: opts?.fieldValidation };
}

/** The `Client` contract over HTTP(S) or the in-process transport. */
export function restClient(transport: Transport, userAgent?: string): Client {
  const rc = new RestClient(transport, userAgent);
  return {
    resource<T extends KObject = KObject>(gvr: GroupVersionResource): ResourceClient<T> {
      return {
        get: (name, ns, sub) => rc.get<T>(resourcePath(gvr, ns, name, sub)),
        list: (ns, opts) => rc.get<KList<T>>(resourcePath(gvr, ns), listQuery(opts)),
        create: (obj, ns, opts) => {
          const namespace = ns ?? obj.metadata.namespace;
          const path = opts?.subresource ? resourcePath(gvr, namespace, obj.metadata.name, opts.subresource) : resourcePath(gvr, namespace);
          return rc.json<T>("POST", path, { body: obj, query: writeQuery(opts) });
        },
        update: (obj, opts) =>
          rc.json<T>("PUT", resourcePath(gvr, obj.metadata.namespace, obj.metadata.name, opts?.subresource), { body: obj, query: writeQuery(opts) }),
        patch: (name, ns, type: PatchType, patch, opts) =>
          rc.json<T>("PATCH", resourcePath(gvr, ns, name, opts?.subresource), { body: patch, contentType: type, query: writeQuery(opts) }),
        delete: (name, ns, opts?: DeleteOptions) => rc.json<T | Status>("DELETE", resourcePath(gvr, ns, name), { body: opts ?? {} }),
        deleteCollection: (ns, opts) => {
          const { labelSelector, fieldSelector, resourceVersion, limit, ...del } = opts ?? {};
          return rc.json<KList<T>>("DELETE", resourcePath(gvr, ns), { body: del, query: listQuery({ labelSelector, fieldSelector, resourceVersion, limit }) });
        },
        watch(ns, opts: WatchOptions, handlers: WatchHandlers<T>): Watch {
          const abort = new AbortController();
          let closed = false;
          const close = (err?: Error) => {
            if (closed) return;
            closed = true;
            handlers.onClose?.(err);
          };
          const query: Query = {
            ...listQuery(opts),
            allowWatchBookmarks: opts.allowWatchBookmarks || undefined,
            timeoutSeconds: opts.timeoutSeconds,
            sendInitialEvents: opts.sendInitialEvents,
          };
          rc.watch<T>(
            resourcePath(gvr, ns),
            query,
            (ev) => {
              if (!closed) handlers.onEvent(ev);
            },
            abort.signal,
          ).then(
            () => close(),
            (e: unknown) => close(abort.signal.aborted ? undefined : (e as Error)),
          );
          return {
            stop: () => {
              abort.abort();
              close();
            },
          };
        },
      };
    },
  };
}
