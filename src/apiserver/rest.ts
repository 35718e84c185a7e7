// The apiserver's REST front, transport-agnostic, after k8s.io/apiserver's
// endpoints/handlers (get, create, update, patch, delete, watch) and installer
// routes: /version, discovery, /api/v1/…, /apis/<g>/<v>/…, health checks,
// server-side Tables, watch streams, protobuf request bodies and pods/log.
// server.ts puts HTTPS, authentication and /clusters/<id> routing in front;
// the in-process transport calls handleRest directly.
// OpenAPI documents and field validation live in ./openapi/.
// Leaves out: exec/attach/port-forward (upgrade requests), proxy, server-side apply.

import { parse as parseYaml } from "yaml";
import {
  badRequest,
  methodNotSupported,
  notFoundPath,
  type Status,
  StatusError,
} from "../apimachinery/errors.ts";
import type { KList, KObject, WatchEvent } from "../apimachinery/meta.ts";
import type { DeleteOptions, GroupVersionResource, ListOptions, PatchType, WatchOptions, WriteOptions } from "../client/interface.ts";
import type { APIServer } from "./apiserver.ts";
import {
  aggregatedDiscovery,
  aggregatedDiscoveryVersion,
  AGGREGATED_V2_CONTENT_TYPE,
  AGGREGATED_V2BETA1_CONTENT_TYPE,
  apiGroupDoc,
  apiGroupList,
  apiResourceList,
  apiVersions,
  versionInfo,
} from "./discovery.ts";
import { eventsV1ToEvent, eventToEventsV1 } from "./events-conversion.ts";
import { type CheckTarget, checkBodyFields, checkPatchedFields, type FieldValidation, warningHeader } from "./openapi/fieldvalidation.ts";
import { checkBodyTypes, checkPatchedTypes } from "./openapi/typecheck.ts";
import { serveOpenAPIV2 } from "./openapi/handler.ts";
import { serveOpenAPIV3 } from "./openapi/handler3.ts";
import { applyPatch } from "../apimachinery/patch.ts";
import { serveExec, wantsExecProtocol } from "./exec.ts";
import { METRICS_GROUP, serveMetrics } from "./metrics.ts";
import { serveLogs } from "./podlogs.ts";
import { decodeProtobufObject } from "./protobuf.ts";
import type { RequestContext, UserInfo } from "./registry/store.ts";
import { findResource, type ResourceInfo } from "./resources.ts";
import { answerReview, isReview } from "./reviews.ts";
import { type Conversion, conversionFromAccept, type IncludeObject, listTable, objectTable, partialObjectMetadata } from "./table.ts";

export interface RestRequest {
  method: string;
  /** The path without any /clusters/<id> prefix and without the query. */
  path: string;
  query: URLSearchParams;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  body: Buffer;
  /** A body that keeps arriving (exec's stdin); only the in-process transport has one. */
  bodyStream?: AsyncIterable<Uint8Array>;
  /** Who the authenticator says is asking; defaults to the cluster admin. */
  user?: UserInfo;
  /** Aborted when the client goes away (ends watches and log follows). */
  signal?: AbortSignal;
}

/** Where the answer goes: status and headers first (flushed at once), then body chunks. */
export interface RestResponse {
  writeHead(status: number, headers: Record<string, string>): void;
  write(chunk: string | Buffer): void;
  end(): void;
}

export interface RestOptions {
  /** host:port the cluster's apiserver advertises in /api (serverAddressByClientCIDRs). */
  serverAddress?: string;
}

const ADMIN: UserInfo = { username: "kubernetes-admin", groups: ["kubeadm:cluster-admins", "system:authenticated"] };

const JSON_TYPE = "application/json";
const PROTOBUF_TYPE = "application/vnd.kubernetes.protobuf";

function sendJSON(res: RestResponse, status: number, body: unknown, contentType = JSON_TYPE, extra: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": contentType, "cache-control": "no-cache, private", ...extra });
  res.write(`${JSON.stringify(body)}\n`);
  res.end();
}

function sendStatus(res: RestResponse, err: StatusError): void {
  sendJSON(res, err.code, err.status);
}

function sendText(res: RestResponse, status: number, text: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" });
  res.write(text);
  res.end();
}

/** An unexpected failure: a 500 Status, as the apiserver's panic filter answers. */
function internalError(e: unknown): StatusError {
  const msg = e instanceof Error ? e.message : String(e);
  return new StatusError(500, "InternalError", `Internal error occurred: ${msg}`, { causes: [{ message: msg }] });
}

/** A parsed resource URL. */
interface ResourceRoute {
  info: ResourceInfo;
  gvr: GroupVersionResource;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** The legacy /watch/ path prefix. */
  watchPath: boolean;
}

/**
 * Handles one request. Never throws: every failure becomes a Status answer.
 * Resolves once the response has ended (for watches and log follows, when
 * the stream closes).
 */
export async function handleRest(api: APIServer, req: RestRequest, res: RestResponse, options: RestOptions = {}): Promise<void> {
  try {
    await route(api, req, res, options);
  } catch (e) {
    sendStatus(res, e instanceof StatusError ? e : internalError(e));
  }
}

async function route(api: APIServer, req: RestRequest, res: RestResponse, options: RestOptions): Promise<void> {
  const segs = req.path.split("/").filter((s) => s !== "");
  const method = req.method.toUpperCase();
  const accept = req.headers["accept"];
  const [root, ...rest] = segs;

  if (root === "version" && rest.length === 0) return sendJSON(res, 200, versionInfo(api.version));
  if ((root === "healthz" || root === "livez" || root === "readyz") && rest.length <= 1) return sendText(res, 200, "ok");
  if (root === "openapi" && (method === "GET" || method === "HEAD")) {
    const answer =
      rest[0] === "v3" ? serveOpenAPIV3(rest.slice(1), req.query, req.headers) : rest[0] === "v2" && rest.length === 1 ? serveOpenAPIV2(req.headers) : undefined;
    if (!answer) throw notFoundPath();
    res.writeHead(answer.status, answer.headers);
    if (answer.body.length > 0) res.write(answer.body);
    return res.end();
  }

  if (root === "api") {
    if (rest.length === 0) {
      const v = aggregatedDiscoveryVersion(accept);
      if (v) return sendJSON(res, 200, aggregatedDiscovery(true, v), v === "v2" ? AGGREGATED_V2_CONTENT_TYPE : AGGREGATED_V2BETA1_CONTENT_TYPE);
      return sendJSON(res, 200, apiVersions(options.serverAddress ?? "127.0.0.1:6443"));
    }
    if (rest[0] !== "v1") throw notFoundPath();
    if (rest.length === 1) return sendJSON(res, 200, apiResourceList("", "v1"));
    return serveResource(api, req, res, parseResourcePath("", "v1", rest.slice(1)));
  }
  if (root === "apis") {
    if (rest.length === 0) {
      const v = aggregatedDiscoveryVersion(accept);
      if (v) return sendJSON(res, 200, aggregatedDiscovery(false, v), v === "v2" ? AGGREGATED_V2_CONTENT_TYPE : AGGREGATED_V2BETA1_CONTENT_TYPE);
      return sendJSON(res, 200, apiGroupList());
    }
    const [group, version, ...more] = rest as [string, string | undefined, ...string[]];
    if (version === undefined) {
      const doc = apiGroupDoc(group);
      if (!doc) throw notFoundPath();
      return sendJSON(res, 200, doc);
    }
    if (more.length === 0) {
      const list = apiResourceList(group, version);
      if (!list) throw notFoundPath();
      return sendJSON(res, 200, list);
    }
    return serveResource(api, req, res, parseResourcePath(group, version, more));
  }
  void method;
  throw notFoundPath();
}

/** Splits `[watch/][namespaces/<ns>/]<resource>[/<name>[/<sub>]]` into a route. */
function parseResourcePath(group: string, version: string, segs: string[]): ResourceRoute {
  let watchPath = false;
  if (segs[0] === "watch") {
    watchPath = true;
    segs = segs.slice(1);
  }
  let namespace: string | undefined;
  // /namespaces/<name>/<sub> is the namespace's own subresource (status, finalize)
  // unless <sub> is a namespaced resource type.
  if (segs[0] === "namespaces" && segs.length >= 3) {
    const nsSub = group === "" && segs.length === 3 && !findResource(group, segs[2]!) ;
    if (!nsSub) {
      namespace = segs[1];
      segs = segs.slice(2);
    }
  }
  const [resource, name, subresource, ...extra] = segs;
  if (!resource || extra.length > 0) throw notFoundPath();
  const info = findResource(group, resource);
  if (!info || info.version !== version) throw notFoundPath();
  if (namespace !== undefined && !info.namespaced) throw notFoundPath();
  if (info.namespaced && namespace === undefined && name !== undefined) throw notFoundPath();
  if (subresource !== undefined && !info.subresources?.some((s) => s.name === subresource)) throw notFoundPath();
  return { info, gvr: { group, version, resource }, namespace, name, subresource, watchPath };
}

function contextFor(req: RestRequest): RequestContext {
  return { user: req.user ?? ADMIN, userAgent: req.headers["user-agent"] };
}

function boolParam(q: URLSearchParams, key: string): boolean | undefined {
  const v = q.get(key);
  if (v === null) return undefined;
  return v === "true" || v === "1";
}

function intParam(q: URLSearchParams, key: string): number | undefined {
  const v = q.get(key);
  if (v === null || v === "") return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`invalid value for ${key}: ${v}`);
  return n;
}

function listOptions(q: URLSearchParams): WatchOptions {
  return {
    labelSelector: q.get("labelSelector") ?? undefined,
    fieldSelector: q.get("fieldSelector") ?? undefined,
    resourceVersion: q.get("resourceVersion") ?? undefined,
    timeoutSeconds: intParam(q, "timeoutSeconds"),
    allowWatchBookmarks: boolParam(q, "allowWatchBookmarks"),
    sendInitialEvents: boolParam(q, "sendInitialEvents"),
  };
}

function writeOptions(q: URLSearchParams, subresource: string | undefined): WriteOptions {
  const dryRun = q.getAll("dryRun");
  for (const d of dryRun) if (d !== "All") throw badRequest(`Invalid dry run value: ${d}; supported values are [All]`);
  const fv = q.get("fieldValidation");
  if (fv !== null && fv !== "Strict" && fv !== "Warn" && fv !== "Ignore" && fv !== "") {
    throw badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", got ${fv}`);
  }
  return {
    ...(dryRun.length > 0 ? { dryRun } : {}),
    ...(q.get("fieldManager") ? { fieldManager: q.get("fieldManager")! } : {}),
    ...(fv ? { fieldValidation: fv as WriteOptions["fieldValidation"] } : {}),
    ...(subresource ? { subresource } : {}),
  };
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

/** Decodes a request body by Content-Type: JSON, YAML or Kubernetes protobuf. */
function decodeBody(req: RestRequest, what: string): unknown {
  const type = mediaType(req.headers["content-type"]);
  if (type === PROTOBUF_TYPE) return decodeProtobufObject(req.body);
  const text = req.body.toString("utf8");
  if (type === "application/yaml" || type === "application/apply-patch+yaml") {
    try {
      return parseYaml(text) as unknown;
    } catch (e) {
      throw badRequest(`error converting YAML to JSON: ${(e as Error).message}`);
    }
  }
  if (text.trim() === "") throw badRequest(`${what}: request body is empty`);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}

function decodeObject(req: RestRequest, info: ResourceInfo): KObject {
  const body = decodeBody(req, info.kind);
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw badRequest(`Object '${info.kind}' is not a JSON object`);
  }
  const obj = body as KObject;
  if (obj.metadata !== undefined && (typeof obj.metadata !== "object" || obj.metadata === null)) {
    throw badRequest(`${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}: metadata must be an object`);
  }
  obj.metadata ??= {};
  return obj;
}

/**
 * How a resource's URL maps to storage: most serve their stored objects as
 * they are; events.k8s.io/v1 events are core/v1 events renamed on the way.
 */
interface View {
  /** The resource that owns the storage. */
  gvr: GroupVersionResource;
  /** group/resource whose printer makes the Table (printers work on the stored form). */
  printer: { group: string; resource: string };
  out(obj: KObject): KObject;
  in(obj: KObject): KObject;
  listKind?: { apiVersion: string; kind: string };
}

function viewFor(r: ResourceRoute): View {
  if (r.info.group === "events.k8s.io" && r.info.resource === "events") {
    return {
      gvr: { group: "", version: "v1", resource: "events" },
      printer: { group: "", resource: "events" },
      out: eventToEventsV1,
      in: eventsV1ToEvent,
      listKind: { apiVersion: "events.k8s.io/v1", kind: "EventList" },
    };
  }
  const same = (o: KObject) => o;
  return { gvr: r.gvr, printer: { group: r.info.group, resource: r.info.resource }, out: same, in: same };
}

function outOf(view: View, v: KObject | Status): KObject | Status {
  return (v as Status).kind === "Status" ? v : view.out(v as KObject);
}

const PATCH_TYPES: PatchType[] = ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json"];

async function serveResource(api: APIServer, req: RestRequest, res: RestResponse, r: ResourceRoute): Promise<void> {
  const method = req.method.toUpperCase();
  const ctx = contextFor(req);
  const q = req.query;
  const conv = conversionFromAccept(req.headers["accept"]);
  const { namespace, name, subresource } = r;

  // Virtual resources with a handler of their own.
  if (r.info.virtual) return serveVirtual(api, req, res, r, ctx);
  const view = viewFor(r);
  const gvr = view.gvr;

  if (method === "GET" || method === "HEAD") {
    if (name === undefined) {
      if (r.watchPath || boolParam(q, "watch")) return serveWatch(api, req, res, r, view, conv);
      const list = api.list(ctx, gvr, namespace, listOptions(q));
      return sendJSON(res, 200, convertList(api, list, view, conv, q));
    }
    if (r.watchPath) {
      // GET /watch/…/<name>: a watch on one object.
      return serveWatch(api, { ...req, query: withFieldSelector(q, name) }, res, r, view, conv);
    }
    if (subresource === "log") return serveLogs(api, ctx, req, res, namespace!, name);
    if (subresource === "exec" && wantsExecProtocol(req)) return serveExec(api, ctx, req, res, namespace!, name);
    if (subresource === "exec" || subresource === "attach" || subresource === "portforward") throw badRequest("Upgrade request required");
    if (subresource && subresource !== "status" && subresource !== "scale") throw methodNotSupported();
    const obj = api.get(ctx, gvr, namespace, name, subresource === "status" ? undefined : subresource);
    if (subresource === "scale") return sendJSON(res, 200, obj);
    return sendJSON(res, 200, convertObject(api, obj, view, conv, q));
  }

  if (method === "POST") {
    if (name === undefined) {
      const obj = decodeObject(req, r.info);
      const warnings = bodyFieldWarnings(req, fieldTarget(r), obj);
      checkNamespace(obj, namespace);
      const created = api.create(ctx, gvr, namespace, view.in(obj), writeOptions(q, undefined));
      return sendJSON(res, 201, view.out(created), JSON_TYPE, warnings);
    }
    if (subresource === "binding" || subresource === "eviction") {
      const body = decodeObject(req, r.info);
      const out = api.createSubresource(ctx, gvr, namespace, name, subresource, body);
      return sendJSON(res, 201, out);
    }
    if (subresource === "exec" && wantsExecProtocol(req)) return serveExec(api, ctx, req, res, namespace!, name);
    if (subresource === "exec" || subresource === "attach" || subresource === "portforward") throw badRequest("Upgrade request required");
    throw methodNotSupported();
  }

  if (method === "PUT") {
    if (name === undefined) throw methodNotSupported();
    if (subresource && subresource !== "status" && subresource !== "scale") throw methodNotSupported();
    const obj = decodeObject(req, r.info);
    const warnings = bodyFieldWarnings(req, fieldTarget(r), obj);
    if (obj.metadata.name && obj.metadata.name !== name) {
      throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
    }
    obj.metadata.name = name;
    checkNamespace(obj, namespace);
    if (r.info.namespaced) obj.metadata.namespace = namespace;
    if (subresource === "scale") return sendJSON(res, 200, api.update(ctx, gvr, namespace, obj, writeOptions(q, subresource)), JSON_TYPE, warnings);
    const updated = api.update(ctx, gvr, namespace, view.in(obj), writeOptions(q, subresource));
    return sendJSON(res, 200, view.out(updated), JSON_TYPE, warnings);
  }

  if (method === "PATCH") {
    if (name === undefined) throw methodNotSupported();
    if (subresource && subresource !== "status" && subresource !== "scale") throw methodNotSupported();
    const type = mediaType(req.headers["content-type"]) as PatchType;
    if (!PATCH_TYPES.includes(type)) {
      throw new StatusError(
        415,
        "UnsupportedMediaType",
        `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(", ")}`,
      );
    }
    const opts = writeOptions(q, subresource);
    const { patch, warnings } = patchFieldWarnings(api, ctx, r, view, q, type, decodeBody(req, "patch"));
    if (view.gvr !== r.gvr) {
      // A renamed view: patch what this URL shows, then store it back in storage form.
      const current = view.out(api.get(ctx, gvr, namespace, name));
      const next = applyPatch(current, type, patch, r.info.kind);
      const rv = (patch as { metadata?: { resourceVersion?: string } } | null)?.metadata?.resourceVersion;
      next.metadata = { ...next.metadata, name, resourceVersion: rv ?? current.metadata.resourceVersion };
      return sendJSON(res, 200, view.out(api.update(ctx, gvr, namespace, view.in(next), opts)), JSON_TYPE, warnings);
    }
    const out = api.patch(ctx, gvr, namespace, name, type, patch, opts);
    return sendJSON(res, 200, out, JSON_TYPE, warnings);
  }

  if (method === "DELETE") {
    const opts = deleteOptions(req);
    if (name === undefined) {
      const list = api.deleteCollection(ctx, gvr, namespace, { ...listOptions(q), ...opts });
      return sendJSON(res, 200, { ...list, ...view.listKind, items: list.items.map(view.out) });
    }
    if (subresource) throw methodNotSupported();
    const out = api.delete(ctx, gvr, namespace, name, opts);
    // 202 when the object is still there (graceful deletion or finalizers), as handlers/delete.go answers.
    const stillThere = api.storeFor(gvr.group, gvr.resource).tryGet(namespace, name) !== undefined;
    return sendJSON(res, stillThere && !opts.dryRun ? 202 : 200, outOf(view, out));
  }

  throw methodNotSupported();
}

/** The fieldValidation directive; the apiserver's default is Warn. */
function fieldValidationOf(q: URLSearchParams): FieldValidation {
  const v = q.get("fieldValidation");
  return v === "Strict" || v === "Ignore" ? v : "Warn";
}

/** The kind a body at this URL decodes into: autoscaling/v1 Scale on /scale. */
function fieldTarget(r: ResourceRoute): CheckTarget {
  if (r.subresource === "scale") return { group: "autoscaling", version: "v1", kind: "Scale" };
  return { group: r.info.group, version: r.info.version, kind: r.info.kind };
}

/** Unknown fields of a POST/PUT body per fieldValidation (throws on Strict); protobuf bodies cannot carry any. */
function bodyFieldWarnings(req: RestRequest, target: CheckTarget, obj: KObject): Record<string, string> {
  if (mediaType(req.headers["content-type"]) === PROTOBUF_TYPE) return {};
  checkBodyTypes(obj as unknown as Record<string, unknown>, target);
  const errs = checkBodyFields(fieldValidationOf(req.query), obj as unknown as Record<string, unknown>, target);
  return errs.length > 0 ? { warning: warningHeader(errs) } : {};
}

/**
 * Unknown fields the patch would add, checked on the patched object as patch.go
 * does (throws on Strict); the patch comes back without them, as decoding drops them.
 */
function patchFieldWarnings(
  api: APIServer,
  ctx: RequestContext,
  r: ResourceRoute,
  view: View,
  q: URLSearchParams,
  type: PatchType,
  patch: unknown,
): { patch: unknown; warnings: Record<string, string> } {
  if (r.name === undefined || typeof patch !== "object" || patch === null) return { patch, warnings: {} };
  const sub = r.subresource === "scale" ? "scale" : undefined;
  const target = fieldTarget(r);
  let patched: unknown;
  try {
    patched = applyPatch(view.out(api.get(ctx, view.gvr, r.namespace, r.name, sub)), type, patch, target.kind);
  } catch (e) {
    // A missing object or a malformed patch: the patch itself answers it (and the audit log records it).
    if (e instanceof StatusError) return { patch, warnings: {} };
    throw e;
  }
  const kind = type === "application/strategic-merge-patch+json" ? "strategic" : type === "application/merge-patch+json" ? "merge" : "json";
  checkPatchedTypes(patched, patch, kind, target);
  const out = checkPatchedFields(fieldValidationOf(q), patched, patch, kind, target);
  return { patch: out.patch, warnings: out.warnings.length > 0 ? { warning: warningHeader(out.warnings) } : {} };
}

/** bindings (POST /namespaces/<ns>/bindings) is pods/binding by another path. */
async function serveVirtual(api: APIServer, req: RestRequest, res: RestResponse, r: ResourceRoute, ctx: RequestContext): Promise<void> {
  if (r.info.group === METRICS_GROUP && !r.subresource && (req.method.toUpperCase() === "GET" || req.method.toUpperCase() === "HEAD")) {
    return sendJSON(res, 200, await serveMetrics(api, ctx, r.info.resource, r.namespace, r.name, req.query));
  }
  if (r.info.group === "" && r.info.resource === "bindings" && req.method.toUpperCase() === "POST" && r.name === undefined) {
    const body = decodeObject(req, r.info);
    const podName = body.metadata.name;
    if (!podName) throw badRequest("name is required in the Binding's metadata");
    const out = api.createSubresource(ctx, { group: "", version: "v1", resource: "pods" }, r.namespace, podName, "binding", body);
    return sendJSON(res, 201, out);
  }
  if (isReview(r.info) && req.method.toUpperCase() === "POST" && r.name === undefined) {
    return sendJSON(res, 201, answerReview(ctx, r.info, decodeObject(req, r.info)));
  }
  throw methodNotSupported();
}

function checkNamespace(obj: KObject, namespace: string | undefined): void {
  if (namespace !== undefined && obj.metadata.namespace && obj.metadata.namespace !== namespace) {
    throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
  }
}

function deleteOptions(req: RestRequest): DeleteOptions {
  let opts: DeleteOptions = {};
  if (req.body.length > 0 && req.body.toString("utf8").trim() !== "") {
    const body = decodeBody(req, "DeleteOptions");
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw badRequest("DeleteOptions must be a JSON object");
    opts = body as DeleteOptions;
  }
  const q = req.query;
  const pp = q.get("propagationPolicy");
  if (pp !== null) {
    if (pp !== "Background" && pp !== "Foreground" && pp !== "Orphan") {
      throw badRequest(`DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${pp}": supported values: "Foreground", "Background", "Orphan", "nil"`);
    }
    opts.propagationPolicy = pp;
  }
  const grace = intParam(q, "gracePeriodSeconds");
  if (grace !== undefined) opts.gracePeriodSeconds = grace;
  const dryRun = q.getAll("dryRun");
  if (dryRun.length > 0) opts.dryRun = dryRun;
  if (opts.gracePeriodSeconds !== undefined && opts.gracePeriodSeconds < 0) opts.gracePeriodSeconds = 0;
  return opts;
}

function includeObject(q: URLSearchParams): IncludeObject {
  const v = q.get("includeObject");
  if (v === "None" || v === "Object") return v;
  return "Metadata";
}

function convertObject(api: APIServer, obj: KObject, view: View, conv: Conversion, q: URLSearchParams): unknown {
  if (!conv) return view.out(obj);
  if (conv.as === "Table") {
    return objectTable(obj, { ...view.printer, nowMs: api.clock.now(), includeObject: includeObject(q), apiVersion: conv.apiVersion });
  }
  return partialObjectMetadata(obj, conv.apiVersion);
}

function convertList(api: APIServer, list: KList, view: View, conv: Conversion, q: URLSearchParams): unknown {
  if (!conv) return view.listKind ? { ...list, ...view.listKind, items: list.items.map(view.out) } : list;
  if (conv.as === "Table") {
    return listTable(list, { ...view.printer, nowMs: api.clock.now(), includeObject: includeObject(q), apiVersion: conv.apiVersion });
  }
  return {
    kind: "PartialObjectMetadataList",
    apiVersion: conv.apiVersion,
    metadata: list.metadata,
    items: list.items.map((o) => partialObjectMetadata(o, conv.apiVersion)),
  };
}

function withFieldSelector(q: URLSearchParams, name: string): URLSearchParams {
  const out = new URLSearchParams(q);
  const fs = q.get("fieldSelector");
  out.set("fieldSelector", fs ? `${fs},metadata.name=${name}` : `metadata.name=${name}`);
  out.set("watch", "true");
  return out;
}

/**
 * A watch stream: 200 and headers at once, then one JSON event per line.
 * Ends after timeoutSeconds of cluster time, when the client goes away, or
 * (410 Gone) with an ERROR event carrying the Status.
 */
function serveWatch(api: APIServer, req: RestRequest, res: RestResponse, r: ResourceRoute, view: View, conv: Conversion): Promise<void> {
  const ctx = contextFor(req);
  const opts = listOptions(req.query);
  const include = includeObject(req.query);
  let first = true;
  const encode = (ev: WatchEvent<KObject>): unknown => {
    if (ev.type === "ERROR" || ev.type === "BOOKMARK") return ev;
    if (!conv) return { type: ev.type, object: view.out(ev.object) };
    if (conv.as === "Table") {
      const table = objectTable(ev.object, {
        ...view.printer,
        nowMs: api.clock.now(),
        includeObject: include,
        apiVersion: conv.apiVersion,
        noHeaders: !first,
      });
      first = false;
      return { type: ev.type, object: table };
    }
    return { type: ev.type, object: partialObjectMetadata(ev.object, conv.apiVersion) };
  };

  return new Promise<void>((resolve) => {
    let open = false;
    let done = false;
    let cancel: (() => void) | undefined;
    let timer: { cancel(): void } | undefined;
    const pending: string[] = [];
    const send = (ev: WatchEvent<KObject>) => {
      if (done) return;
      const line = `${JSON.stringify(encode(ev))}\n`;
      if (!open) pending.push(line);
      else safeWrite(line);
    };
    const safeWrite = (chunk: string) => {
      try {
        res.write(chunk);
      } catch {
        finish();
      }
    };
    const onAbort = () => finish();
    function finish(): void {
      if (done) return;
      done = true;
      cancel?.();
      timer?.cancel();
      req.signal?.removeEventListener("abort", onAbort);
      try {
        res.end();
      } catch {
        // the client is gone already
      }
      resolve();
    }
    const start = () => {
      res.writeHead(200, { "content-type": JSON_TYPE, "cache-control": "no-cache, private", "transfer-encoding": "chunked" });
      open = true;
      for (const line of pending.splice(0)) safeWrite(line);
    };

    try {
      // Initial events arrive synchronously and are queued until the headers go out,
      // so a bad selector can still be answered with a plain 400.
      cancel = api.watch(ctx, view.gvr, r.namespace, opts, send);
    } catch (e) {
      if (e instanceof StatusError && e.code === 410) {
        start();
        safeWrite(`${JSON.stringify({ type: "ERROR", object: e.status satisfies Status })}\n`);
        finish();
        return;
      }
      done = true;
      sendStatus(res, e instanceof StatusError ? e : internalError(e));
      resolve();
      return;
    }
    start();
    if (req.signal?.aborted) return finish();
    req.signal?.addEventListener("abort", onAbort);
    if (opts.timeoutSeconds !== undefined && opts.timeoutSeconds > 0) {
      timer = api.clock.setTimer(opts.timeoutSeconds * 1000, finish);
    }
  });
}
