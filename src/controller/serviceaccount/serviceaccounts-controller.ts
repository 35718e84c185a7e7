// The service account controller, after
// pkg/controller/serviceaccount/serviceaccounts_controller.go: every active
// namespace has a ServiceAccount named "default"; deleting it brings it back.

import { isAlreadyExists } from "../../apimachinery/errors.ts";
import { GVR } from "../../client/interface.ts";
import type { KObject } from "../../apimachinery/meta.ts";
import { type Controller, type ControllerContext, newQueue } from "../context.ts";
import type { Namespace } from "../types.ts";

export function startServiceAccountsController(ctx: ControllerContext): Controller {
  const nsInformer = ctx.informers.for<Namespace>(GVR.namespaces);
  const saInformer = ctx.informers.for(GVR.serviceaccounts);
  const queue = newQueue(ctx, "serviceaccount", sync);
  nsInformer.addEventHandler({ add: (ns) => queue.add(ns.metadata.name!), update: (_o, ns) => queue.add(ns.metadata.name!) });
  saInformer.addEventHandler({
    delete: (sa) => {
      if (sa.metadata.name === "default") queue.add(sa.metadata.namespace!);
    },
  });

  async function sync(name: string): Promise<void> {
    const ns = nsInformer.get(name);
    if (!ns || ns.metadata.deletionTimestamp || ns.status?.phase === "Terminating") return;
    if (saInformer.get(`${name}/default`)) return;
    const sa: KObject = { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace: name } };
    await ctx.client
      .resource(GVR.serviceaccounts)
      .create(sa, name)
      .catch((e) => (isAlreadyExists(e) ? undefined : Promise.reject(e)));
  }

  return { stop: () => queue.shutdown() };
}
