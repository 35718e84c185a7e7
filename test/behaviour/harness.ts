// The lab as a learner meets it, for the behaviour stories: a fresh
// createCluster() a minute after install, an admin client, the node tools
// typed on a node, and the views a learner reads — `get pods` rows (the
// server's pod printer), events per object, endpoints.

import type { Deployment } from "../../src/api/apps/v1.ts";
import type { Node, Pod } from "../../src/api/core/v1.ts";
import type { KObject } from "../../src/apimachinery/meta.ts";
import { type Client, GVR } from "../../src/client/interface.ts";
import { inProcessTransport } from "../../src/client/transport.ts";
import { type Cluster, createCluster } from "../../src/cluster.ts";
import { nodeTools } from "../../src/host/tools/tools.ts";
import { kubectlMain } from "../../src/kubectl/kubectl.ts";
import { podCells } from "../../src/printers/pod.ts";
import { FakeClock } from "../../src/utils/clock.ts";
import { captureIO } from "../../src/utils/command.ts";

export interface Lab {
  cluster: Cluster;
  clock: FakeClock;
  admin: Client;
  /** Moves cluster time forward, letting every component settle between timers. */
  advance(ms: number): Promise<void>;
  /** A node tool typed in node's shell. */
  run(node: string, line: string[]): Promise<{ code: number; out: string; err: string }>;
  /** The emulated kubectl, as the lab shell runs it (in-process transport). */
  kubectl(argv: string[]): Promise<{ code: number; out: string; err: string }>;
  pods(namespace?: string, labelSelector?: string): Promise<Pod[]>;
  /** NAME READY STATUS RESTARTS NODE, as `kubectl get pods -o wide` shows them (AGE left out). */
  rows(namespace?: string, labelSelector?: string): Promise<string[]>;
  /** "Reason: message" of the events about one object, oldest first. */
  events(namespace: string, name: string, kind?: string): Promise<string[]>;
  /** The Events themselves, for counts and types. */
  rawEvents(namespace: string, name: string): Promise<EventView[]>;
  node(name: string): Promise<Node>;
  /** `kubectl create deployment NAME --image=IMAGE --replicas=N`. */
  createDeployment(name: string, image: string, replicas: number, namespace?: string): Promise<Deployment>;
}

export interface EventView {
  type: string;
  reason: string;
  message: string;
  count?: number;
  kind: string;
  source?: string;
}

type EventObject = KObject & {
  type: string;
  reason: string;
  message: string;
  count?: number;
  involvedObject: { kind: string; name: string };
  source?: { component?: string };
  reportingComponent?: string;
  firstTimestamp?: string | null;
  eventTime?: string | null;
};

export async function lab(seed = 7): Promise<Lab> {
  const clock = new FakeClock();
  const cluster = await createCluster({ clock, seed, version: "v1.32.4" });
  const admin = cluster.client("kubernetes-admin");
  const advance = (ms: number) => clock.advance(ms, () => cluster.settle());
  const transport = inProcessTransport(cluster.api);
  await advance(60_000);
  const pods = async (namespace = "default", labelSelector?: string) =>
    (await admin.resource<Pod>(GVR.pods).list(namespace, labelSelector ? { labelSelector } : {})).items;
  const rawEvents = async (namespace: string, name: string): Promise<EventView[]> => {
    const list = await admin.resource<EventObject>(GVR.events).list(namespace, { fieldSelector: `involvedObject.name=${name}` });
    const at = (e: EventObject) => Date.parse(e.firstTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? "");
    return list.items
      .map((e, i) => ({ e, i }))
      .sort((a, b) => at(a.e) - at(b.e) || a.i - b.i)
      .map(({ e }) => ({
        type: e.type,
        reason: e.reason,
        message: e.message,
        count: e.count,
        kind: e.involvedObject.kind,
        source: e.source?.component || e.reportingComponent,
      }));
  };
  return {
    cluster,
    clock,
    admin,
    advance,
    async run(node, line) {
      const [name, ...argv] = line;
      const io = captureIO();
      const code = await nodeTools[name!]!(argv, io, { cluster, node });
      return { code, out: io.out(), err: io.err() };
    },
    async kubectl(argv) {
      const io = captureIO();
      const code = await kubectlMain(argv, io, { transport, now: () => clock.now() });
      return { code, out: io.out(), err: io.err() };
    },
    pods,
    async rows(namespace, labelSelector) {
      const now = clock.now();
      return (await pods(namespace, labelSelector)).map((p) => {
        const [name, ready, status, restarts] = podCells(p, now) as string[];
        return `${name} ${ready} ${status} ${String(restarts).replace(/ \(.*\)$/, "")} ${p.spec.nodeName ?? "<none>"}`;
      });
    },
    rawEvents,
    async events(namespace, name, kind) {
      return (await rawEvents(namespace, name)).filter((e) => !kind || e.kind === kind).map((e) => `${e.reason}: ${e.message}`);
    },
    node: (name) => admin.resource<Node>(GVR.nodes).get(name),
    async createDeployment(name, image, replicas, namespace = "default") {
      const labels = { app: name };
      const container = image.split("/").pop()!.split(":")[0]!.split("@")[0]!;
      return admin.resource<Deployment>(GVR.deployments).create(
        {
          apiVersion: "apps/v1",
          kind: "Deployment",
          metadata: { name, namespace, labels },
          spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: container, image }] } } },
        },
        namespace,
      );
    },
  };
}

/** The condition of a node or pod by type. */
export function condition(obj: { status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] } }, type: string) {
  return obj.status?.conditions?.find((c) => c.type === type);
}
