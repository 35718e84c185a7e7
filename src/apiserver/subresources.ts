// Subresources that are not plain status writes: pods/binding (what the
// scheduler posts), pods/eviction (drain), */scale (kubectl scale). After
// pkg/registry/core/pod/storage and pkg/registry/apps/deployment/storage.
// Leaves out: PodDisruptionBudget checks on eviction.

import { badRequest, conflict, invalid, type Status } from "../apimachinery/errors.ts";
import { formatRequirements, selectorFromSpec } from "../apimachinery/labels.ts";
import { type KObject, rfc3339 } from "../apimachinery/meta.ts";
import type { APIServer } from "./apiserver.ts";
import type { RequestContext } from "./registry/store.ts";
import type { ResourceInfo } from "./resources.ts";
import { deepCopy } from "../apimachinery/deepcopy.ts";

export interface SubresourceHandler {
  get?(api: APIServer, ctx: RequestContext, info: ResourceInfo, ns: string | undefined, name: string): KObject;
  create?(api: APIServer, ctx: RequestContext, info: ResourceInfo, ns: string | undefined, body: KObject): KObject | Status;
  update?(api: APIServer, ctx: RequestContext, info: ResourceInfo, ns: string | undefined, name: string, body: KObject): KObject;
}

interface Condition {
  type: string;
  status: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

const success = (details: Status["details"]): Status => ({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details, code: 201 });

const binding: SubresourceHandler = {
  create(api, ctx, info, ns, body) {
    const name = body.metadata.name!;
    const target = (body as KObject & { target?: { kind?: string; name?: string } }).target;
    if (!target?.name) throw badRequest("Binding target must be specified");
    const store = api.storeFor(info.group, info.resource);
    const pod = store.get(ns, name) as KObject & { spec: { nodeName?: string }; status?: { conditions?: Condition[] } };
    if (pod.metadata.deletionTimestamp) throw conflict({ group: "", resource: "pods" }, name, "pod is being deleted, cannot be assigned to a host");
    if (pod.spec.nodeName) throw conflict({ group: "", resource: "pods" }, name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
    // Everything but nodeName and the PodScheduled condition is the stored pod's, shared, not copied.
    const now = rfc3339(api.clock.now());
    const conds = pod.status?.conditions ?? [];
    const scheduled = (c?: Condition): Condition => {
      if (!c) return { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: now };
      const out: Condition = { ...c, status: "True", lastTransitionTime: now, lastProbeTime: null };
      delete out.reason;
      delete out.message;
      return out;
    };
    const existing = conds.some((c) => c.type === "PodScheduled");
    const next = {
      ...pod,
      spec: { ...pod.spec, nodeName: target.name },
      status: { ...pod.status, conditions: existing ? conds.map((c) => (c.type === "PodScheduled" ? scheduled(c) : c)) : [...conds, scheduled()] },
    };
    // Binding writes spec and status at once, bypassing the status/spec split: one write, one watch event.
    store.update(ns, next, ctx, { subresource: "binding" });
    return success({ name, kind: "pods" });
  },
};

const eviction: SubresourceHandler = {
  create(api, ctx, info, ns, body) {
    const name = body.metadata.name!;
    const opts = (body as KObject & { deleteOptions?: { gracePeriodSeconds?: number } }).deleteOptions ?? {};
    api.storeFor(info.group, info.resource).delete(ns, name, ctx, opts);
    return success({ name, kind: "pods" });
  },
};

interface Scalable {
  spec?: { replicas?: number; selector?: { matchLabels?: Record<string, string> } };
  status?: { replicas?: number };
}

const scale: SubresourceHandler = {
  get(api, _ctx, info, ns, name) {
    const obj = api.storeFor(info.group, info.resource).get(ns, name) as KObject & Scalable;
    return {
      kind: "Scale",
      apiVersion: "autoscaling/v1",
      metadata: {
        name,
        namespace: obj.metadata.namespace,
        uid: obj.metadata.uid,
        resourceVersion: obj.metadata.resourceVersion,
        creationTimestamp: obj.metadata.creationTimestamp,
      },
      spec: { replicas: obj.spec?.replicas ?? 0 },
      status: {
        replicas: obj.status?.replicas ?? 0,
        selector: formatRequirements(selectorFromSpec(obj.spec?.selector).requirements),
      },
    };
  },
  update(api, ctx, info, ns, name, body) {
    const replicas = (body as KObject & Scalable).spec?.replicas;
    if (typeof replicas !== "number" || replicas < 0 || !Number.isInteger(replicas)) {
      throw invalid("Scale", "autoscaling", name, [{ type: "FieldValueInvalid", field: "spec.replicas", message: `Invalid value: ${replicas}: must be greater than or equal to 0` }]);
    }
    const store = api.storeFor(info.group, info.resource);
    const obj = deepCopy(store.get(ns, name)) as KObject & Scalable;
    const rv = body.metadata?.resourceVersion;
    if (rv && rv !== obj.metadata.resourceVersion) {
      throw conflict({ group: info.group, resource: info.resource }, name, "the object has been modified; please apply your changes to the latest version and try again");
    }
    obj.spec = { ...obj.spec, replicas };
    store.update(ns, obj, ctx, {});
    return scale.get!(api, ctx, info, ns, name);
  },
};

export const subresourceHandlers: Record<string, SubresourceHandler> = { binding, eviction, scale };
