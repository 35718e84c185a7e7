// The small cluster picture the UI draws: nodes (Ready or not) and the pods
// bound to each, with the status word kubectl would print. Kept current by two
// informers on the session's cluster (a watch, no polling) and sent at most
// every 150 ms, so a burst of pod changes is one update.

import type { KObject } from "../src/apimachinery/meta.ts";
import { Informer } from "../src/client/informer.ts";
import { type Client, GVR } from "../src/client/interface.ts";

export interface PicturePod {
  namespace: string;
  name: string;
  /** Running, Pending, ContainerCreating, Terminating, CrashLoopBackOff… */
  status: string;
}

export interface PictureNode {
  name: string;
  ready: boolean;
  pods: PicturePod[];
}

export interface ClusterPicture {
  nodes: PictureNode[];
  /** Pods not yet bound to a node. */
  pending: PicturePod[];
}

interface PodLike extends KObject {
  spec?: { nodeName?: string };
  status?: {
    phase?: string;
    reason?: string;
    containerStatuses?: { state?: { waiting?: { reason?: string }; terminated?: { reason?: string } } }[];
  };
}

interface NodeLike extends KObject {
  status?: { conditions?: { type: string; status: string }[] };
}

/** The STATUS word, in the order kubectl's printer decides it. */
export function podStatus(p: PodLike): string {
  if (p.metadata.deletionTimestamp) return "Terminating";
  let status = p.status?.reason ?? p.status?.phase ?? "Pending";
  for (const cs of p.status?.containerStatuses ?? []) {
    const r = cs.state?.waiting?.reason ?? cs.state?.terminated?.reason;
    if (r) status = r;
  }
  return status;
}

export function buildPicture(nodes: NodeLike[], pods: PodLike[]): ClusterPicture {
  const byNode = new Map<string, PictureNode>();
  for (const n of [...nodes].sort((a, b) => (a.metadata.name ?? "").localeCompare(b.metadata.name ?? ""))) {
    const ready = n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
    byNode.set(n.metadata.name!, { name: n.metadata.name!, ready, pods: [] });
  }
  const pending: PicturePod[] = [];
  const sorted = [...pods].sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
  for (const p of sorted) {
    const pp = { namespace: p.metadata.namespace ?? "default", name: p.metadata.name ?? "", status: podStatus(p) };
    const node = p.spec?.nodeName ? byNode.get(p.spec.nodeName) : undefined;
    if (node) node.pods.push(pp);
    else pending.push(pp);
  }
  return { nodes: [...byNode.values()], pending };
}

/** Watches a cluster and calls onChange with a fresh picture after changes settle. */
export function watchPicture(client: Client, onChange: (p: ClusterPicture) => void, delayMs = 150): { stop(): void } {
  const nodes = new Informer<NodeLike>(client, GVR.nodes);
  const pods = new Informer<PodLike>(client, GVR.pods);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  // Node heartbeats update objects every few seconds without changing the picture: send only differences.
  let last = "";
  const changed = () => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      if (stopped) return;
      const p = buildPicture(nodes.list(), pods.list());
      const key = JSON.stringify(p);
      if (key === last) return;
      last = key;
      onChange(p);
    }, delayMs);
  };
  const h = { add: changed, update: changed, delete: changed };
  nodes.addEventHandler(h);
  pods.addEventHandler(h);
  void Promise.all([nodes.start(), pods.start()]).then(changed, () => {});
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      nodes.stop();
      pods.stop();
    },
  };
}
