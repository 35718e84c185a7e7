import { afterEach, describe, expect, it } from "vitest";
import type { KObject } from "../../src/apimachinery/meta.ts";
import { rfc3339 } from "../../src/apimachinery/meta.ts";
import type { Job } from "../../src/api/batch/v1.ts";
import { GVR } from "../../src/client/interface.ts";
import type { Controller, ControllerContext } from "../../src/controller/context.ts";
import { SharedInformerFactory } from "../../src/controller/informers.ts";
import { startJobController } from "../../src/controller/job/job-controller.ts";
import { startTTLAfterFinishedController } from "../../src/controller/ttlafterfinished/ttlafterfinished-controller.ts";
import { seededRand } from "../../src/utils/rand.ts";
import { type Harness, harness } from "./controller-harness.ts";

const stops: (() => void)[] = [];
afterEach(() => {
  while (stops.length) stops.pop()!();
});

function start(h: Harness, ...fns: ((ctx: ControllerContext) => Controller)[]): void {
  const informers = new SharedInformerFactory(h.client, h.activity);
  const ctx: ControllerContext = { client: h.client, clock: h.clock, rand: seededRand(7), activity: h.activity, informers, version: "v1.32.4", log: () => {} };
  const running = fns.map((f) => f(ctx));
  informers.start();
  stops.push(() => {
    for (const c of running) c.stop();
    informers.stop();
  });
}

function job(name: string, spec: Partial<Job["spec"]> = {}): KObject {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name },
    spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox", command: ["sh", "-c", "exit 0"] }] } }, ...spec },
  };
}

async function pods(h: Harness): Promise<KObject[]> {
  return (await h.client.resource(GVR.pods).list("default")).items.sort((a, b) => (a.metadata.creationTimestamp! < b.metadata.creationTimestamp! ? -1 : 1));
}

/** What the kubelet would report for a pod whose container exited. */
async function finish(h: Harness, name: string, phase: "Succeeded" | "Failed"): Promise<void> {
  const pod = await h.client.resource(GVR.pods).get(name, "default");
  const exitCode = phase === "Succeeded" ? 0 : 1;
  pod.status = {
    phase,
    containerStatuses: [{ name: "c", ready: false, restartCount: 0, state: { terminated: { exitCode, reason: phase === "Succeeded" ? "Completed" : "Error", finishedAt: rfc3339(h.clock.now()) } } }],
  };
  await h.client.resource(GVR.pods).update(pod, { subresource: "status" });
}

async function getJob(h: Harness, name: string): Promise<Job> {
  return (await h.client.resource(GVR.jobs).get(name, "default")) as Job;
}

describe("job controller", () => {
  it("runs a pod to completion and marks the Job Complete", async () => {
    const h = await harness();
    start(h, startJobController);
    await h.client.resource(GVR.jobs).create(job("pi"), "default");
    await h.settle();
    let [pod] = await pods(h);
    const j0 = await getJob(h, "pi");
    expect(pod!.metadata.name).toMatch(/^pi-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(pod!.metadata.labels).toMatchObject({
      "batch.kubernetes.io/controller-uid": j0.metadata.uid,
      "batch.kubernetes.io/job-name": "pi",
      "controller-uid": j0.metadata.uid,
      "job-name": "pi",
    });
    expect(pod!.metadata.finalizers).toEqual(["batch.kubernetes.io/job-tracking"]);
    expect(j0.status).toMatchObject({ active: 1, ready: 0, terminating: 0, startTime: rfc3339(h.clock.now()) });

    await h.advance(5000);
    await finish(h, pod!.metadata.name!, "Succeeded");
    await h.settle();
    const j = await getJob(h, "pi");
    const at = rfc3339(h.clock.now());
    expect(j.status).toEqual({
      startTime: j0.status!.startTime,
      completionTime: at,
      succeeded: 1,
      ready: 0,
      terminating: 0,
      uncountedTerminatedPods: {},
      conditions: [
        { type: "SuccessCriteriaMet", status: "True", reason: "CompletionsReached", message: "Reached expected number of succeeded pods", lastProbeTime: at, lastTransitionTime: at },
        { type: "Complete", status: "True", reason: "CompletionsReached", message: "Reached expected number of succeeded pods", lastProbeTime: at, lastTransitionTime: at },
      ],
    });
    [pod] = await pods(h);
    expect(pod!.metadata.finalizers).toBeUndefined();
    const events = (await h.events("default")).filter((e) => e.source === "job-controller").map((e) => `${e.type} ${e.reason} ${e.message}`);
    expect(events).toEqual([`Normal SuccessfulCreate Created pod: ${pod!.metadata.name}`, "Normal Completed Job completed"]);
  });

  it("runs completions with parallelism", async () => {
    const h = await harness();
    start(h, startJobController);
    await h.client.resource(GVR.jobs).create(job("batch", { completions: 3, parallelism: 2 }), "default");
    await h.settle();
    let ps = await pods(h);
    expect(ps).toHaveLength(2);
    await finish(h, ps[0]!.metadata.name!, "Succeeded");
    await h.settle();
    ps = await pods(h);
    expect(ps).toHaveLength(3);
    expect((await getJob(h, "batch")).status).toMatchObject({ active: 2, succeeded: 1 });
    for (const p of ps) if ((p.status as { phase?: string }).phase !== "Succeeded") await finish(h, p.metadata.name!, "Succeeded");
    await h.settle();
    const j = await getJob(h, "batch");
    expect(j.status?.succeeded).toBe(3);
    expect(j.status?.conditions?.map((c) => c.type)).toEqual(["SuccessCriteriaMet", "Complete"]);
    expect(await pods(h)).toHaveLength(3);
  });

  it("backs off 10 s, 20 s between failed pods and fails past backoffLimit", async () => {
    const h = await harness();
    start(h, startJobController);
    await h.client.resource(GVR.jobs).create(job("flaky", { backoffLimit: 2 }), "default");
    await h.settle();
    await finish(h, (await pods(h))[0]!.metadata.name!, "Failed");
    await h.settle();
    expect(await pods(h)).toHaveLength(1);
    expect((await getJob(h, "flaky")).status).toMatchObject({ failed: 1 });
    await h.advance(9_999);
    expect(await pods(h)).toHaveLength(1);
    await h.advance(1);
    expect(await pods(h)).toHaveLength(2);

    await finish(h, (await pods(h))[1]!.metadata.name!, "Failed");
    await h.advance(19_999);
    expect(await pods(h)).toHaveLength(2);
    await h.advance(1);
    expect(await pods(h)).toHaveLength(3);

    await finish(h, (await pods(h))[2]!.metadata.name!, "Failed");
    await h.settle();
    const j = await getJob(h, "flaky");
    const at = rfc3339(h.clock.now());
    expect(j.status?.failed).toBe(3);
    expect(j.status?.conditions).toEqual([
      { type: "FailureTarget", status: "True", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit", lastProbeTime: at, lastTransitionTime: at },
      { type: "Failed", status: "True", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit", lastProbeTime: at, lastTransitionTime: at },
    ]);
    expect(j.status?.completionTime).toBeUndefined();
    const warn = (await h.events("default")).filter((e) => e.type === "Warning");
    expect(warn.map((e) => `${e.reason} ${e.message}`)).toEqual(["BackoffLimitExceeded Job has reached the specified backoff limit"]);
    await h.advance(60_000);
    expect(await pods(h)).toHaveLength(3);
  });

  it("fails a Job past activeDeadlineSeconds and stops its pods", async () => {
    const h = await harness();
    start(h, startJobController);
    await h.client.resource(GVR.jobs).create(job("slow", { activeDeadlineSeconds: 30 }), "default");
    await h.settle();
    const name = (await pods(h))[0]!.metadata.name!;
    await h.advance(29_000);
    expect((await getJob(h, "slow")).status?.conditions).toBeUndefined();
    await h.advance(1_000);
    const j = await getJob(h, "slow");
    expect(j.status?.conditions?.map((c) => `${c.type} ${c.reason} ${c.message}`)).toEqual([
      "FailureTarget DeadlineExceeded Job was active longer than specified deadline",
      "Failed DeadlineExceeded Job was active longer than specified deadline",
    ]);
    expect(j.status).toMatchObject({ failed: 1, terminating: 0 });
    expect(await pods(h)).toHaveLength(0);
    const events = (await h.events("default")).map((e) => `${e.reason} ${e.message}`);
    expect(events).toContain(`SuccessfulDelete Deleted pod: ${name}`);
    expect(events).toContain("DeadlineExceeded Job was active longer than specified deadline");
  });

  it("deletes a finished Job after ttlSecondsAfterFinished", async () => {
    const h = await harness();
    start(h, startJobController, startTTLAfterFinishedController);
    await h.client.resource(GVR.jobs).create(job("short", { ttlSecondsAfterFinished: 100 }), "default");
    await h.settle();
    await finish(h, (await pods(h))[0]!.metadata.name!, "Succeeded");
    await h.settle();
    await h.advance(99_000);
    expect((await getJob(h, "short")).metadata.deletionTimestamp).toBeUndefined();
    await h.advance(1_000);
    const j = await getJob(h, "short");
    // Foreground deletion: the garbage collector (not running here) removes the pods, then the Job.
    expect(j.metadata.deletionTimestamp).toBe(rfc3339(h.clock.now()));
    expect(j.metadata.finalizers).toEqual(["foregroundDeletion"]);
  });
});

describe("jobs on a full cluster", () => {
  it("a busybox Job runs on a node, completes, and a failing one backs off to Failed", async () => {
    const { createCluster } = await import("../../src/cluster.ts");
    const { FakeClock } = await import("../../src/utils/clock.ts");
    const clock = new FakeClock();
    const cluster = await createCluster({ clock, seed: 3 });
    stops.push(() => cluster.stop());
    const settle = () => cluster.settle();
    await clock.advance(60_000, settle);
    const client = cluster.client("kubernetes-admin");
    const spec = (cmd: string, backoffLimit?: number) => ({
      ...(backoffLimit !== undefined ? { backoffLimit } : {}),
      template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox", command: ["sh", "-c", cmd] }] } },
    });
    await client.resource(GVR.jobs).create({ metadata: { name: "ok" }, spec: spec("exit 0") }, "default");
    await client.resource(GVR.jobs).create({ metadata: { name: "bad" }, spec: spec("exit 1", 1) }, "default");
    await clock.advance(120_000, settle);
    const ok = (await client.resource(GVR.jobs).get("ok", "default")) as Job;
    expect(ok.status?.succeeded).toBe(1);
    expect(ok.status?.conditions?.map((c) => c.type)).toEqual(["SuccessCriteriaMet", "Complete"]);
    const bad = (await client.resource(GVR.jobs).get("bad", "default")) as Job;
    expect(bad.status?.failed).toBe(2);
    expect(bad.status?.conditions?.map((c) => `${c.type} ${c.reason}`)).toEqual(["FailureTarget BackoffLimitExceeded", "Failed BackoffLimitExceeded"]);
    const pods = (await client.resource(GVR.pods).list("default")).items;
    expect(pods.map((p) => (p.status as { phase?: string }).phase).sort()).toEqual(["Failed", "Failed", "Succeeded"]);
    expect(pods.every((p) => !p.metadata.finalizers)).toBe(true);
  });
});
