// The root CA publisher, after pkg/controller/certificates/rootcacertpublisher:
// every active namespace gets the ConfigMap kube-root-ca.crt holding the
// cluster CA (what a pod's projected service-account volume mounts as ca.crt),
// and edits to it are put back.

import { isAlreadyExists } from "../../apimachinery/errors.ts";
import { GVR } from "../../client/interface.ts";
import type { KObject } from "../../apimachinery/meta.ts";
import { type Controller, type ControllerContext, newQueue } from "../context.ts";
import type { Namespace } from "../types.ts";

export const ROOT_CA_CONFIGMAP = "kube-root-ca.crt";
const DESCRIPTION =
  "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";

type ConfigMap = KObject & { data?: Record<string, string> };

export function startRootCAPublisher(ctx: ControllerContext, rootCA: string): Controller {
  const nsInformer = ctx.informers.for<Namespace>(GVR.namespaces);
  const cmInformer = ctx.informers.for<ConfigMap>(GVR.configmaps);
  const cmClient = ctx.client.resource<ConfigMap>(GVR.configmaps);
  const queue = newQueue(ctx, "root-ca-cert-publisher", sync);
  nsInformer.addEventHandler({ add: (ns) => queue.add(ns.metadata.name!), update: (_o, ns) => queue.add(ns.metadata.name!) });
  cmInformer.addEventHandler({
    update: (_o, cm) => {
      if (cm.metadata.name === ROOT_CA_CONFIGMAP) queue.add(cm.metadata.namespace!);
    },
    delete: (cm) => {
      if (cm.metadata.name === ROOT_CA_CONFIGMAP) queue.add(cm.metadata.namespace!);
    },
  });

  async function sync(name: string): Promise<void> {
    const ns = nsInformer.get(name);
    if (!ns || ns.metadata.deletionTimestamp) return;
    const cm = cmInformer.get(`${name}/${ROOT_CA_CONFIGMAP}`);
    const data = { "ca.crt": rootCA };
    if (!cm) {
      await cmClient
        .create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: ROOT_CA_CONFIGMAP, namespace: name, annotations: { "kubernetes.io/description": DESCRIPTION } }, data }, name)
        .catch((e) => (isAlreadyExists(e) ? undefined : Promise.reject(e)));
      return;
    }
    if (cm.data?.["ca.crt"] === rootCA && Object.keys(cm.data).length === 1 && cm.metadata.annotations?.["kubernetes.io/description"] === DESCRIPTION) return;
    await cmClient.update({ ...structuredClone(cm), metadata: { ...cm.metadata, annotations: { ...cm.metadata.annotations, "kubernetes.io/description": DESCRIPTION } }, data });
  }

  return { stop: () => queue.shutdown() };
}
