// `kubectl describe resourcequota|limitrange`, after describe.go's
// describeQuota (with the scope help texts), describeLimitRange and
// describeLimitRangeSpec. No events (upstream prints none). `describe
// namespace`'s tables (namespace.ts) share the scope help and limit rows.
// A limit's resources print sorted; kubectl ≤1.33 prints them in Go map
// order, which is random.

import { formatQuantity, LEVEL_0, type Meta, parseQuantity, PrefixWriter, type Quantity } from "./describe.ts";

export interface ResourceQuota {
  metadata: Meta;
  spec?: { hard?: Record<string, string>; scopes?: string[] };
  status?: { hard?: Record<string, string>; used?: Record<string, string> };
}

interface LimitRangeItem {
  type?: string;
  max?: Record<string, string>;
  min?: Record<string, string>;
  default?: Record<string, string>;
  defaultRequest?: Record<string, string>;
  maxLimitRequestRatio?: Record<string, string>;
}

export interface LimitRange {
  metadata: Meta;
  spec?: { limits?: LimitRangeItem[] };
}

export const SCOPE_HELP: Record<string, string> = {
  Terminating: "Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.",
  NotTerminating: "Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.",
  BestEffort: "Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.",
  NotBestEffort: "Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.",
};

const canonical = (q: string | undefined) => formatQuantity(parseQuantity(q));

/** describeQuota prints Used in Hard's format (resource.NewQuantity(used.Value(), hard.Format)). */
function usedInFormatOf(used: string | undefined, hard: string): string {
  const u = parseQuantity(used);
  const h = parseQuantity(hard);
  if (u.format === h.format) return formatQuantity(u);
  const value: Quantity = { milli: Math.ceil(u.milli / 1000) * 1000, format: h.format };
  return formatQuantity(value);
}

const sortedKeys = (r: Record<string, string> | undefined) => Object.keys(r ?? {}).sort();

export function describeResourceQuota(q: ResourceQuota): string {
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${q.metadata.name}\n`);
  w.write(LEVEL_0, `Namespace:\t${q.metadata.namespace ?? ""}\n`);
  const scopes = [...(q.spec?.scopes ?? [])].sort();
  if (scopes.length > 0) {
    w.write(LEVEL_0, `Scopes:\t${scopes.join(", ")}\n`);
    for (const s of scopes) if (SCOPE_HELP[s]) w.write(LEVEL_0, ` * ${SCOPE_HELP[s]}\n`);
  }
  w.write(LEVEL_0, "Resource\tUsed\tHard\n");
  w.write(LEVEL_0, "--------\t----\t----\n");
  const hard = q.status?.hard ?? {};
  for (const name of sortedKeys(hard)) w.write(LEVEL_0, `${name}\t${usedInFormatOf(q.status?.used?.[name], hard[name]!)}\t${canonical(hard[name])}\n`);
  return w.result();
}

/** describeLimitRangeSpec: one row per limit type and resource, "-" where unset. */
export function describeLimitRangeSpec(spec: LimitRange["spec"], prefix: string, w: PrefixWriter): void {
  for (const item of spec?.limits ?? []) {
    const names = new Set([...sortedKeys(item.max), ...sortedKeys(item.min), ...sortedKeys(item.default), ...sortedKeys(item.defaultRequest), ...sortedKeys(item.maxLimitRequestRatio)]);
    const cell = (r: Record<string, string> | undefined, k: string) => (r?.[k] !== undefined ? canonical(r[k]) : "-");
    for (const k of [...names].sort()) {
      w.write(
        LEVEL_0,
        `${prefix}${item.type ?? ""}\t${k}\t${cell(item.min, k)}\t${cell(item.max, k)}\t${cell(item.defaultRequest, k)}\t${cell(item.default, k)}\t${cell(item.maxLimitRequestRatio, k)}\n`,
      );
    }
  }
}

export function describeLimitRange(lr: LimitRange): string {
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${lr.metadata.name}\n`);
  w.write(LEVEL_0, `Namespace:\t${lr.metadata.namespace ?? ""}\n`);
  w.write(LEVEL_0, "Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n");
  w.write(LEVEL_0, "----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n");
  describeLimitRangeSpec(lr.spec, "", w);
  return w.result();
}
