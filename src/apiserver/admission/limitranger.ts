// The LimitRanger admission plugin, after plugin/pkg/admission/limitranger:
// on pod create, containers missing a request or limit get the namespace's
// LimitRange defaults (and the kubernetes.io/limit-ranger annotation saying
// so); then every Container and Pod min/max/maxLimitRequestRatio is enforced.
// Leaves out: PersistentVolumeClaim limits and init-container defaults.

import { forbidden } from "../../apimachinery/errors.ts";
import type { KObject } from "../../apimachinery/meta.ts";
import { formatQuantity, parseQuantity, type Quantity, quantityOrZero } from "../../apimachinery/quantity.ts";
import type { AdmissionEnv, AdmissionPlugin, Attributes } from "./admission.ts";

interface LimitRangeItem {
  type: string;
  max?: Record<string, string>;
  min?: Record<string, string>;
  default?: Record<string, string>;
  defaultRequest?: Record<string, string>;
  maxLimitRequestRatio?: Record<string, string>;
}

interface LimitRange extends KObject {
  spec?: { limits?: LimitRangeItem[] };
}

interface Resources {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

interface PodLike extends KObject {
  spec?: { containers?: { name: string; resources?: Resources }[] };
}

/**
 * SetDefaults_LimitRangeItem: a Container item's default limit falls back to
 * its max, and its default request to the default limit, then min.
 */
function defaultedItem(item: LimitRangeItem): LimitRangeItem {
  if (item.type !== "Container") return item;
  const def = { ...item.max, ...item.default };
  return { ...item, default: def, defaultRequest: { ...item.min, ...def, ...item.defaultRequest } };
}

/** Compares at milli precision, as requestLimitEnforcedValues does. */
function milli(v: string | undefined): number {
  return quantityOrZero(v).milli;
}

function fmt(v: string): string {
  const q = parseQuantity(v);
  return q ? formatQuantity(q) : v;
}

function minConstraint(type: string, r: string, enforced: string, req: Record<string, string>, lim: Record<string, string>): string | undefined {
  if (req[r] === undefined) return `minimum ${r} usage per ${type} is ${fmt(enforced)}.  No request is specified`;
  if (milli(req[r]) < milli(enforced)) return `minimum ${r} usage per ${type} is ${fmt(enforced)}, but request is ${fmt(req[r])}`;
  if (lim[r] !== undefined && milli(lim[r]) < milli(enforced)) return `minimum ${r} usage per ${type} is ${fmt(enforced)}, but limit is ${fmt(lim[r])}`;
  return undefined;
}

function maxConstraint(type: string, r: string, enforced: string, req: Record<string, string>, lim: Record<string, string>): string | undefined {
  if (lim[r] === undefined) return `maximum ${r} usage per ${type} is ${fmt(enforced)}.  No limit is specified`;
  if (milli(lim[r]) > milli(enforced)) return `maximum ${r} usage per ${type} is ${fmt(enforced)}, but limit is ${fmt(lim[r])}`;
  if (req[r] !== undefined && milli(req[r]) > milli(enforced)) return `maximum ${r} usage per ${type} is ${fmt(enforced)}, but request is ${fmt(req[r])}`;
  return undefined;
}

function ratioConstraint(type: string, r: string, enforced: string, req: Record<string, string>, lim: Record<string, string>): string | undefined {
  if (req[r] === undefined || milli(req[r]) === 0) return `${r} max limit to request ratio per ${type} is ${fmt(enforced)}, but no request is specified or request is 0`;
  if (lim[r] === undefined || milli(lim[r]) === 0) return `${r} max limit to request ratio per ${type} is ${fmt(enforced)}, but no limit is specified or limit is 0`;
  const ratio = milli(lim[r]) / milli(req[r]);
  if (ratio * 1000 > milli(enforced)) return `${r} max limit to request ratio per ${type} is ${fmt(enforced)}, but provided ratio is ${ratio.toFixed(6)}`;
  return undefined;
}

/** The pod's containers summed per resource; a resource missing from any container is left out (limitranger's sum). */
function sumAll(lists: Record<string, string>[]): Record<string, string> {
  const keys = new Set(lists.flatMap((l) => Object.keys(l)));
  const out: Record<string, string> = {};
  for (const k of keys) {
    if (!lists.every((l) => l[k] !== undefined)) continue;
    const total: Quantity = { milli: lists.reduce((s, l) => s + milli(l[k]), 0), format: "DecimalSI" };
    out[k] = formatQuantity(k === "cpu" ? total : { milli: Math.round(total.milli / 1000) * 1000, format: "DecimalSI" });
  }
  return out;
}

/** errors.NewAggregate's text: one message alone, several in brackets. */
function aggregate(errs: string[]): string {
  return errs.length === 1 ? errs[0]! : `[${errs.join(", ")}]`;
}

export function newLimitRanger(env: AdmissionEnv): AdmissionPlugin {
  const rangesIn = (ns: string) =>
    (env.list("", "limitranges") as LimitRange[]).filter((l) => l.metadata.namespace === ns).sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
  const handles = (a: Attributes) => a.group === "" && a.resource === "pods" && !!a.namespace;

  return {
    name: "LimitRanger",
    admit(attrs) {
      if (!handles(attrs)) return;
      const pod = attrs.object as PodLike;
      for (const lr of rangesIn(attrs.namespace!)) {
        const defLimits: Record<string, string> = {};
        const defRequests: Record<string, string> = {};
        for (const item of (lr.spec?.limits ?? []).map(defaultedItem)) {
          if (item.type !== "Container") continue;
          Object.assign(defRequests, item.defaultRequest);
          Object.assign(defLimits, item.default);
        }
        const notes: string[] = [];
        for (const c of pod.spec?.containers ?? []) {
          const res = (c.resources ??= {});
          const limits = (res.limits ??= {});
          const requests = (res.requests ??= {});
          // Decoding would already have copied limits into missing requests (SetDefaults_Pod).
          for (const [k, v] of Object.entries(limits)) requests[k] ??= v;
          const setReq: string[] = [];
          const setLim: string[] = [];
          for (const [k, v] of Object.entries(defLimits)) {
            if (limits[k] === undefined) {
              limits[k] = v;
              setLim.push(k);
            }
          }
          for (const [k, v] of Object.entries(defRequests)) {
            if (requests[k] === undefined) {
              requests[k] = v;
              setReq.push(k);
            }
          }
          if (Object.keys(limits).length === 0) delete res.limits;
          if (Object.keys(requests).length === 0) delete res.requests;
          if (setReq.length > 0) notes.push(`${setReq.sort().join(", ")} request for container ${c.name}`);
          if (setLim.length > 0) notes.push(`${setLim.sort().join(", ")} limit for container ${c.name}`);
        }
        if (notes.length > 0) {
          pod.metadata.annotations = { ...pod.metadata.annotations, "kubernetes.io/limit-ranger": `LimitRanger plugin set: ${notes.join("; ")}` };
        }
      }
    },
    validate(attrs) {
      if (!handles(attrs)) return;
      const pod = attrs.object as PodLike;
      const containers = pod.spec?.containers ?? [];
      for (const lr of rangesIn(attrs.namespace!)) {
        const errs: string[] = [];
        for (const item of (lr.spec?.limits ?? []).map(defaultedItem)) {
          const check = (req: Record<string, string>, lim: Record<string, string>) => {
            for (const [r, v] of Object.entries(item.min ?? {})) {
              const e = minConstraint(item.type, r, v, req, lim);
              if (e) errs.push(e);
            }
            for (const [r, v] of Object.entries(item.max ?? {})) {
              const e = maxConstraint(item.type, r, v, req, lim);
              if (e) errs.push(e);
            }
            for (const [r, v] of Object.entries(item.maxLimitRequestRatio ?? {})) {
              const e = ratioConstraint(item.type, r, v, req, lim);
              if (e) errs.push(e);
            }
          };
          if (item.type === "Container") for (const c of containers) check(c.resources?.requests ?? {}, c.resources?.limits ?? {});
          if (item.type === "Pod") check(sumAll(containers.map((c) => c.resources?.requests ?? {})), sumAll(containers.map((c) => c.resources?.limits ?? {})));
        }
        if (errs.length > 0) throw forbidden({ group: "", resource: "pods" }, attrs.name, aggregate(errs));
      }
    },
  };
}
