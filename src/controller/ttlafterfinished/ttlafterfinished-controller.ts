// The TTL-after-finished controller, after pkg/controller/ttlafterfinished:
// a finished Job with spec.ttlSecondsAfterFinished is deleted (foreground, so
// its pods go first) that many seconds after its Complete/Failed condition.
// One timer per Job on the cluster clock, no polling.
// Leaves out: clock-skew warnings.

import { isNotFound } from "../../apimachinery/errors.ts";
import { objectKey } from "../../apimachinery/meta.ts";
import type { Job } from "../../api/batch/v1.ts";
import { GVR } from "../../client/interface.ts";
import { type Controller, type ControllerContext, newQueue, splitKey } from "../context.ts";

function finishTime(job: Job): number | undefined {
  const c = job.status?.conditions?.find((x) => (x.type === "Complete" || x.type === "Failed") && x.status === "True");
  return c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : undefined;
}

export function startTTLAfterFinishedController(ctx: ControllerContext): Controller {
  const jobInformer = ctx.informers.for<Job>(GVR.jobs);
  const jobClient = ctx.client.resource<Job>(GVR.jobs);
  const queue = newQueue(ctx, "ttl-after-finished", sync);

  const enqueue = (job: Job) => {
    if (job.spec?.ttlSecondsAfterFinished !== undefined && job.spec.ttlSecondsAfterFinished !== null && !job.metadata.deletionTimestamp && finishTime(job) !== undefined) {
      queue.add(objectKey(job));
    }
  };
  jobInformer.addEventHandler({ add: enqueue, update: (_o, j) => enqueue(j) });

  async function sync(key: string): Promise<void> {
    const job = jobInformer.get(key);
    if (!job || job.metadata.deletionTimestamp) return;
    const ttl = job.spec.ttlSecondsAfterFinished;
    const finished = finishTime(job);
    if (ttl === undefined || ttl === null || finished === undefined) return;
    const left = finished + ttl * 1000 - ctx.clock.now();
    if (left > 0) {
      queue.addAfter(key, left);
      return;
    }
    const [ns, name] = splitKey(key);
    try {
      await jobClient.delete(name, ns, { propagationPolicy: "Foreground", preconditions: { uid: job.metadata.uid } });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  return { stop: () => queue.shutdown() };
}
