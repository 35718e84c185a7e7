// kube-controller-manager: one process running every controller over one set
// of shared informers, after cmd/kube-controller-manager/app. This file holds
// the one list of controllers and the order they start in.
// Leaves out: leader election, per-controller enable flags, cloud controllers.

import type { Client } from "./client/interface.ts";
import { type Controller, type ControllerContext } from "./controller/context.ts";
import { startDeploymentController } from "./controller/deployment/deployment-controller.ts";
import { startEndpointsController } from "./controller/endpoint/endpoints-controller.ts";
import { startEndpointSliceController } from "./controller/endpointslice/endpointslice-controller.ts";
import { startNodeLifecycleController } from "./controller/nodelifecycle/node-lifecycle-controller.ts";
import { startTaintEvictionController } from "./controller/tainteviction/taint-eviction.ts";
import { startDaemonSetController } from "./controller/daemon/daemon-controller.ts";
import { startNamespaceController } from "./controller/namespace/namespace-controller.ts";
import { startRootCAPublisher } from "./controller/serviceaccount/root-ca-publisher.ts";
import { startServiceAccountsController } from "./controller/serviceaccount/serviceaccounts-controller.ts";
import { startGarbageCollector } from "./controller/garbagecollector/garbagecollector.ts";
import { SharedInformerFactory } from "./controller/informers.ts";
import { startReplicaSetController } from "./controller/replicaset/replica-set.ts";
import { startStatefulSetController } from "./controller/statefulset/stateful-set.ts";
import { startJobController } from "./controller/job/job-controller.ts";
import { startCronJobController } from "./controller/cronjob/cronjob-controller.ts";
import { startTTLAfterFinishedController } from "./controller/ttlafterfinished/ttlafterfinished-controller.ts";
import { startResourceQuotaController } from "./controller/resourcequota/resource-quota-controller.ts";
import type { Activity } from "./utils/activity.ts";
import type { Clock } from "./utils/clock.ts";
import { type Rand, seededRand } from "./utils/rand.ts";

export interface ControllerManagerOptions {
  client: Client;
  clock: Clock;
  rand?: Rand;
  activity: Activity;
  /** Control-plane version, e.g. "v1.32.4": some defaults changed between releases. */
  version: string;
  log?: (msg: string) => void;
  /** The cluster CA (PEM) published as kube-root-ca.crt in every namespace; without it that controller does not run. */
  rootCA?: string;
}

/**
 * The controllers, in start order. Handlers are registered before the shared
 * informers list, so the order only decides who sees the initial list first;
 * each line says why it sits where it does.
 */
const CONTROLLERS: { name: string; start: (ctx: ControllerContext) => Controller }[] = [
  // Namespace contents: every namespace gets its default ServiceAccount ahead of the workloads whose pods use it.
  { name: "serviceaccount", start: startServiceAccountsController },
  { name: "namespace", start: startNamespaceController },
  // Workloads: the ReplicaSet controller before Deployments, so a new ReplicaSet finds its pod maker ready.
  { name: "replicaset", start: startReplicaSetController },
  { name: "deployment", start: startDeploymentController },
  { name: "daemonset", start: startDaemonSetController },
  { name: "statefulset", start: startStatefulSetController },
  // Batch: Jobs before CronJobs, so the first scheduled Job gets its pods at once; TTL cleanup reads finished Jobs.
  { name: "job", start: startJobController },
  { name: "cronjob", start: startCronJobController },
  { name: "ttl-after-finished", start: startTTLAfterFinishedController },
  // Quota recounts what the workloads above create; admission charges creates in between.
  { name: "resourcequota", start: startResourceQuotaController },
  // Service plumbing: both follow pods and Services; Endpoints first, as kube-proxy in old clusters read them.
  { name: "endpoint", start: startEndpointsController },
  { name: "endpointslice", start: startEndpointSliceController },
  // Node health: lifecycle writes the taints that taint eviction acts on.
  { name: "nodelifecycle", start: startNodeLifecycleController },
  { name: "taint-eviction-controller", start: startTaintEvictionController },
  // The garbage collector only deletes; it can start anywhere, and after the workloads it reads their owners warm.
  { name: "garbagecollector", start: startGarbageCollector },
];

export function startControllerManager(options: ControllerManagerOptions): { stop(): void } {
  const informers = new SharedInformerFactory(options.client, options.activity);
  const ctx: ControllerContext = {
    client: options.client,
    clock: options.clock,
    rand: options.rand ?? seededRand(0x6b636d),
    activity: options.activity,
    informers,
    version: options.version,
    log: options.log ?? (() => {}),
  };
  const running = CONTROLLERS.map((c) => c.start(ctx));
  // root-ca-cert-publisher needs the CA the apiserver serves with (kube-controller-manager's --root-ca-file).
  if (options.rootCA !== undefined) running.push(startRootCAPublisher(ctx, options.rootCA));
  informers.start();
  return {
    stop() {
      for (const c of running) c.stop();
      informers.stop();
    },
  };
}
