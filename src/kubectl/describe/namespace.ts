// `kubectl describe namespace`, after describe.go's describeNamespace with
// DescribeResourceQuotas and DescribeLimitRanges: the namespace's quotas (by
// name, each with its scopes and a Resource/Used/Hard table from status) and
// one table of every LimitRange's items. A list kubectl may not read leaves
// its section out, as upstream does when the list call fails.

import { type DescribeContext, LEVEL_0, LEVEL_1, type Meta, PrefixWriter, printAnnotationsMultiline, printLabelsMultiline, rfc1123z } from "./describe.ts";
import { formatQuantity, parseQuantity } from "./describe.ts";
import { describeLimitRangeSpec, type LimitRange, type ResourceQuota, SCOPE_HELP } from "./quota.ts";

export interface Namespace {
  metadata: Meta;
  status?: { phase?: string; conditions?: { type: string; status: string; lastTransitionTime?: string; reason?: string; message?: string }[] };
}

const canonical = (q: string | undefined) => formatQuantity(parseQuantity(q));

/** DescribeResourceQuotas: Used prints as stored (no reformatting to Hard's format, unlike describe quota). */
function describeResourceQuotas(quotas: ResourceQuota[], w: PrefixWriter): void {
  if (quotas.length === 0) {
    w.write(LEVEL_0, "No resource quota.\n");
    return;
  }
  w.write(LEVEL_0, "Resource Quotas\n");
  for (const q of [...quotas].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0))) {
    w.write(LEVEL_1, `Name:\t${q.metadata.name}\n`);
    const scopes = [...(q.spec?.scopes ?? [])].sort();
    if (scopes.length > 0) {
      w.write(LEVEL_1, `Scopes:\t${scopes.join(", ")}\n`);
      for (const s of scopes) if (SCOPE_HELP[s]) w.write(LEVEL_1, `* ${SCOPE_HELP[s]}\n`);
    }
    w.write(LEVEL_1, "Resource\tUsed\tHard\n");
    w.write(LEVEL_1, "--------\t---\t---\n");
    const hard = q.status?.hard ?? {};
    for (const name of Object.keys(hard).sort()) w.write(LEVEL_1, `${name}\t${canonical(q.status?.used?.[name])}\t${canonical(hard[name])}\n`);
  }
}

/** DescribeLimitRanges: one table, each item's rows prefixed by a space. */
function describeLimitRanges(limits: LimitRange[], w: PrefixWriter): void {
  if (limits.length === 0) {
    w.write(LEVEL_0, "No LimitRange resource.\n");
    return;
  }
  w.write(LEVEL_0, "Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n");
  w.write(LEVEL_0, " ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n");
  for (const lr of limits) describeLimitRangeSpec(lr.spec, " ", w);
}

export async function describeNamespace(ctx: DescribeContext, ns: Namespace): Promise<string> {
  const m = ns.metadata;
  const listOf = async <T>(resource: string): Promise<T[] | undefined> => {
    try {
      const l = await ctx.rest.json<{ items?: T[] }>("GET", `/api/v1/namespaces/${encodeURIComponent(m.name)}/${resource}`, { query: { limit: 500 } });
      return l.items ?? [];
    } catch {
      return undefined;
    }
  };
  const quotas = await listOf<ResourceQuota>("resourcequotas");
  const limits = await listOf<LimitRange>("limitranges");
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${m.name}\n`);
  printLabelsMultiline(w, "Labels", m.labels);
  printAnnotationsMultiline(w, "Annotations", m.annotations);
  w.write(LEVEL_0, `Status:\t${ns.status?.phase ?? ""}\n`);
  if (ns.status?.conditions?.length) {
    w.write(LEVEL_0, "Conditions:\n");
    w.write(LEVEL_1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n");
    w.write(LEVEL_1, "----\t------\t------------------\t------\t-------\n");
    for (const c of ns.status.conditions) {
      w.write(LEVEL_1, `${c.type}\t${c.status}\t${rfc1123z(c.lastTransitionTime)}\t${c.reason ?? ""}\t${c.message ?? ""}\n`);
    }
  }
  if (quotas) {
    w.write(LEVEL_0, "\n");
    describeResourceQuotas(quotas, w);
  }
  if (limits) {
    w.write(LEVEL_0, "\n");
    describeLimitRanges(limits, w);
  }
  return w.result();
}
