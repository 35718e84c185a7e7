// The ResourceQuota admission plugin, after
// apiserver/pkg/admission/plugin/resourcequota/controller.go (CheckRequest):
// a create is refused when it would take a namespace's usage past a quota's
// status.hard, or when the quota needs requests/limits the pod does not state;
// an admitted create is charged to status.used at once, so the next create
// sees it before the quota controller recounts.
// Leaves out: updates (pod resize), limitedResources config, scope selectors with values.

import { forbidden } from "../../apimachinery/errors.ts";
import type { KObject } from "../../apimachinery/meta.ts";
import { addQuantity, formatQuantity, type Quantity, quantityOrZero } from "../../apimachinery/quantity.ts";
import { evaluatorFor, prettyPrint, quotaMatches, type ResourceQuota } from "../../controller/resourcequota/evaluator.ts";
import type { AdmissionEnv, AdmissionPlugin, Attributes } from "./admission.ts";

function toMap(rl: Record<string, string> | undefined): Map<string, Quantity> {
  const m = new Map<string, Quantity>();
  for (const [k, v] of Object.entries(rl ?? {})) m.set(k, quantityOrZero(v));
  return m;
}

function mask(m: Map<string, Quantity>, names: Iterable<string>): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  for (const n of names) {
    const q = m.get(n);
    if (q) out.set(n, q);
  }
  return out;
}

export function newResourceQuotaAdmission(env: AdmissionEnv): AdmissionPlugin {
  return {
    name: "ResourceQuota",
    validate(attrs: Attributes) {
      const ns = attrs.namespace;
      if (!ns) return;
      const quotas = (env.list("", "resourcequotas") as ResourceQuota[])
        .filter((q) => q.metadata.namespace === ns)
        .sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
      if (quotas.length === 0) return;
      const gr = { group: attrs.group, resource: attrs.resource };
      const ev = evaluatorFor(gr);
      const reject = (msg: string) => forbidden(gr, attrs.name, msg);

      const interesting: ResourceQuota[] = [];
      for (const q of quotas) {
        const hard = Object.keys(q.status?.hard ?? {});
        if (!quotaMatches(ev, q, hard, attrs.object)) continue;
        const restricted = ev.matchingResources(hard);
        const err = ev.constraints?.(restricted, attrs.object);
        if (err) throw reject(`failed quota: ${q.metadata.name}: ${err}`);
        if (restricted.some((r) => q.status?.used?.[r] === undefined)) {
          throw reject(`status unknown for quota: ${q.metadata.name}, resources: ${[...restricted].sort().join(",")}`);
        }
        interesting.push(q);
      }
      if (interesting.length === 0) return;

      const usage = new Map([...ev.usage(attrs.object)].filter(([, q]) => q.milli !== 0));
      if (usage.size === 0) return;
      const updates: ResourceQuota[] = [];
      for (const q of interesting) {
        const hard = toMap(q.status?.hard);
        const used = toMap(q.status?.used);
        const requested = mask(usage, hard.keys());
        if (requested.size === 0) continue;
        const newUsed = new Map(used);
        for (const [k, v] of requested) newUsed.set(k, used.has(k) ? addQuantity(used.get(k)!, v) : v);
        const exceeded = [...requested.keys()].filter((k) => newUsed.get(k)!.milli > hard.get(k)!.milli);
        if (exceeded.length > 0) {
          throw reject(
            `exceeded quota: ${q.metadata.name}, requested: ${prettyPrint(mask(requested, exceeded), formatQuantity)}, ` +
              `used: ${prettyPrint(mask(used, exceeded), formatQuantity)}, limited: ${prettyPrint(mask(hard, exceeded), formatQuantity)}`,
          );
        }
        const usedOut: Record<string, string> = { ...q.status?.used };
        for (const k of requested.keys()) usedOut[k] = formatQuantity(newUsed.get(k)!);
        updates.push({ ...q, status: { ...q.status, used: usedOut } });
      }
      // Charged only once every quota agreed, and never for a dry run.
      if (attrs.dryRun) return;
      for (const q of updates) env.updateQuotaStatus(q as KObject);
    },
  };
}

