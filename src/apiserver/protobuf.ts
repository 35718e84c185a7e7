// Decodes Kubernetes protobuf request bodies (application/vnd.kubernetes.protobuf),
// after k8s.io/apimachinery/pkg/runtime/serializer/protobuf: the "k8s\0" magic,
// a runtime.Unknown envelope, then the object's own message. kubectl ≥1.32
// sends these for `create deployment|namespace|configmap|secret|service|job|cronjob`
// and the quota, rbac, priorityclass and poddisruptionbudget generators.
// Leaves out: encoding (the server answers JSON, which kubectl accepts) and
// kinds whose descriptors are not in ./proto.

import { readFileSync } from "node:fs";
import protobuf from "protobufjs";
import { StatusError } from "../apimachinery/errors.ts";
import type { KObject } from "../apimachinery/meta.ts";

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"

const PROTO_FILES = ["runtime", "intstr", "resource", "meta", "core", "apps", "batch", "authorization", "authentication", "rbac", "policy", "scheduling"];

/** apiVersion/kind → fully qualified message name. */
const MESSAGES: Record<string, string> = {
  "v1/Namespace": "k8s.io.api.core.v1.Namespace",
  "v1/ConfigMap": "k8s.io.api.core.v1.ConfigMap",
  "v1/Secret": "k8s.io.api.core.v1.Secret",
  "v1/Service": "k8s.io.api.core.v1.Service",
  "v1/ServiceAccount": "k8s.io.api.core.v1.ServiceAccount",
  "apps/v1/Deployment": "k8s.io.api.apps.v1.Deployment",
  "batch/v1/Job": "k8s.io.api.batch.v1.Job",
  "batch/v1/CronJob": "k8s.io.api.batch.v1.CronJob",
  "v1/ResourceQuota": "k8s.io.api.core.v1.ResourceQuota",
  "rbac.authorization.k8s.io/v1/Role": "k8s.io.api.rbac.v1.Role",
  "rbac.authorization.k8s.io/v1/ClusterRole": "k8s.io.api.rbac.v1.ClusterRole",
  "rbac.authorization.k8s.io/v1/RoleBinding": "k8s.io.api.rbac.v1.RoleBinding",
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": "k8s.io.api.rbac.v1.ClusterRoleBinding",
  "policy/v1/PodDisruptionBudget": "k8s.io.api.policy.v1.PodDisruptionBudget",
  "scheduling.k8s.io/v1/PriorityClass": "k8s.io.api.scheduling.v1.PriorityClass",
  "authorization.k8s.io/v1/SelfSubjectAccessReview": "k8s.io.api.authorization.v1.SelfSubjectAccessReview",
  "authentication.k8s.io/v1/SelfSubjectReview": "k8s.io.api.authentication.v1.SelfSubjectReview",
};

/**
 * Fields that are pointers in the Go types: gogo writes them only when set,
 * so a zero there was meant (`--replicas=0`). Every other scalar is written
 * even when zero, and a zero means "not set", as a JSON client would omit it.
 */
const POINTER_FIELDS = new Set([
  // Not a pointer, but JSON always carries it: `--value=0` means 0.
  "PriorityClass.value",
  "DeploymentSpec.replicas",
  "DeploymentSpec.revisionHistoryLimit",
  "DeploymentSpec.progressDeadlineSeconds",
  "JobSpec.parallelism",
  "JobSpec.completions",
  "JobSpec.activeDeadlineSeconds",
  "JobSpec.backoffLimit",
  "JobSpec.ttlSecondsAfterFinished",
  "JobSpec.manualSelector",
  "JobSpec.suspend",
  "CronJobSpec.startingDeadlineSeconds",
  "CronJobSpec.suspend",
  "CronJobSpec.successfulJobsHistoryLimit",
  "CronJobSpec.failedJobsHistoryLimit",
  "ConfigMap.immutable",
  "Secret.immutable",
  "ServiceAccount.automountServiceAccountToken",
  "ServiceSpec.allocateLoadBalancerNodePorts",
  "PodSpec.terminationGracePeriodSeconds",
  "PodSpec.activeDeadlineSeconds",
  "PodSpec.automountServiceAccountToken",
  "PodSpec.priority",
  "PodSpec.enableServiceLinks",
  "Toleration.tolerationSeconds",
  "ObjectMeta.deletionGracePeriodSeconds",
  "OwnerReference.controller",
  "OwnerReference.blockOwnerDeletion",
]);

function loadRoot(): protobuf.Root {
  const root = new protobuf.Root();
  for (const f of PROTO_FILES) {
    const text = readFileSync(new URL(`./proto/${f}.proto`, import.meta.url), "utf8");
    protobuf.parse(text, root, { keepCase: true });
  }
  root.resolveAll();
  return root;
}

/**
 * The parsed descriptors, read on the first protobuf request (only client-go
 * clients such as kubectl ≥ 1.32 send protobuf; parsing costs ~0.1 s of
 * start-up otherwise) and never changed afterwards.
 */
let root: protobuf.Root | undefined;
function descriptors(): protobuf.Root {
  return (root ??= loadRoot());
}

function unsupported(detail: string): StatusError {
  return new StatusError(
    415,
    "UnsupportedMediaType",
    `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (${detail})`,
  );
}

/** The kinds this decoder understands, as "apps/v1/Deployment". */
export function protobufKinds(): string[] {
  return Object.keys(MESSAGES);
}

/** Decodes a protobuf request body into the object a JSON client would have sent. */
export function decodeProtobufObject(body: Buffer): KObject {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) {
    throw new StatusError(400, "BadRequest", "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
  }
  let apiVersion = "";
  let kind = "";
  let raw: Uint8Array;
  try {
    const unknown = descriptors().lookupType("k8s.io.apimachinery.pkg.runtime.Unknown").decode(body.subarray(4)) as unknown as {
      typeMeta?: { apiVersion?: string; kind?: string };
      raw?: Uint8Array;
    };
    apiVersion = unknown.typeMeta?.apiVersion ?? "";
    kind = unknown.typeMeta?.kind ?? "";
    raw = unknown.raw ?? new Uint8Array();
  } catch (e) {
    throw new StatusError(400, "BadRequest", `unable to decode protobuf envelope: ${(e as Error).message}`);
  }
  const name = MESSAGES[`${apiVersion}/${kind}`];
  if (!name) throw unsupported(`no protobuf descriptor for ${apiVersion}, Kind=${kind}`);
  const type = descriptors().lookupType(name);
  let msg: protobuf.Message;
  try {
    msg = type.decode(raw);
  } catch (e) {
    throw new StatusError(400, "BadRequest", `${kind} in version "${apiVersion.split("/").pop()}" cannot be handled as a ${kind}: ${(e as Error).message}`);
  }
  const obj = toJSON(type, msg) as Record<string, unknown>;
  return { apiVersion, kind, ...obj, metadata: (obj.metadata as KObject["metadata"]) ?? {} };
}

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

function has(msg: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(msg, key);
}

function toNumber(v: unknown): number {
  if (typeof v === "number") return v;
  if (v && typeof v === "object" && "low" in v) return protobuf.util.LongBits.from(v as protobuf.Long).toNumber();
  return Number(v);
}

function rfc3339Time(t: { seconds?: unknown; nanos?: unknown }, micro: boolean): string | undefined {
  const s = toNumber(t.seconds ?? 0);
  const n = toNumber(t.nanos ?? 0);
  if (s === 0 && n === 0) return undefined; // the zero Time means "absent"
  const iso = new Date(s * 1000 + Math.floor(n / 1e6)).toISOString();
  if (!micro) return iso.replace(/\.\d{3}Z$/, "Z");
  return `${iso.slice(0, 19)}.${String(Math.floor(n / 1000)).padStart(6, "0")}Z`;
}

/** A well-known message that has a non-object JSON form; undefined = drop the field. */
function special(type: protobuf.Type, msg: Record<string, unknown>): { value: Json | undefined } | undefined {
  switch (type.fullName) {
    case ".k8s.io.apimachinery.pkg.apis.meta.v1.Time":
      return { value: rfc3339Time(msg, false) };
    case ".k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime":
      return { value: rfc3339Time(msg, true) };
    case ".k8s.io.apimachinery.pkg.util.intstr.IntOrString": {
      if (toNumber(msg.type ?? 0) === 1) return { value: (msg.strVal as string) || undefined };
      const n = toNumber(msg.intVal ?? 0);
      return { value: n === 0 ? undefined : n };
    }
    case ".k8s.io.apimachinery.pkg.api.resource.Quantity":
      return { value: (msg.string as string) || undefined };
    case ".k8s.io.apimachinery.pkg.runtime.RawExtension":
    case ".k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1": {
      const raw = (msg.raw ?? msg.Raw) as Uint8Array | undefined;
      if (!raw || raw.length === 0) return { value: undefined };
      try {
        return { value: JSON.parse(Buffer.from(raw).toString("utf8")) as Json };
      } catch {
        return { value: undefined };
      }
    }
    default:
      return undefined;
  }
}

function scalar(field: protobuf.Field, v: unknown, keepZero: boolean): Json | undefined {
  switch (field.type) {
    case "bytes":
      return Buffer.from(v as Uint8Array).toString("base64");
    case "string":
      return v === "" && !keepZero ? undefined : (v as string);
    case "bool":
      return v === false && !keepZero ? undefined : (v as boolean);
    default: {
      const n = toNumber(v);
      return n === 0 && !keepZero ? undefined : n;
    }
  }
}

function value(field: protobuf.Field, v: unknown, keepZero: boolean): Json | undefined {
  if (field.resolvedType instanceof protobuf.Type) return toJSON(field.resolvedType, v as protobuf.Message);
  if (field.resolvedType instanceof protobuf.Enum) return v as number;
  return scalar(field, v, keepZero);
}

/** The JSON form of a decoded message, with gogo's zero values dropped. */
function toJSON(type: protobuf.Type, msg: protobuf.Message): Json | undefined {
  const m = msg as unknown as Record<string, unknown>;
  const sp = special(type, m);
  if (sp) return sp.value;
  const out: { [k: string]: Json } = {};
  for (const field of type.fieldsArray) {
    if (!has(m, field.name)) continue;
    const v = m[field.name];
    const keep = POINTER_FIELDS.has(`${type.name}.${field.name}`);
    if (field instanceof protobuf.MapField) {
      const entries: { [k: string]: Json } = {};
      for (const [k, mv] of Object.entries(v as Record<string, unknown>)) {
        // Map values are kept even when empty: `data: {k: ""}` is meaningful.
        const j = value(field, mv, true);
        entries[k] = j === undefined ? "" : j;
      }
      // protobufjs gives every map field an own {}: an empty map was not on the wire.
      if (Object.keys(entries).length > 0) out[field.name] = entries;
    } else if (field.repeated) {
      const items = (v as unknown[]).map((x) => value(field, x, true)).filter((x): x is Json => x !== undefined);
      if (items.length > 0) out[field.name] = items;
    } else {
      const j = value(field, v, keep);
      if (j !== undefined) out[field.name] = j;
    }
  }
  return out;
}
