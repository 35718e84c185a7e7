import { afterEach, describe, expect, it } from "vitest";
import type { KObject } from "../../src/apimachinery/meta.ts";
import { rfc3339 } from "../../src/apimachinery/meta.ts";
import type { CronJob, Job } from "../../src/api/batch/v1.ts";
import { GVR } from "../../src/client/interface.ts";
import type { Controller, ControllerContext } from "../../src/controller/context.ts";
import { parseSchedule } from "../../src/controller/cronjob/cron.ts";
import { startCronJobController } from "../../src/controller/cronjob/cronjob-controller.ts";
import { SharedInformerFactory } from "../../src/controller/informers.ts";
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

function cronJob(name: string, spec: Partial<CronJob["spec"]> = {}): KObject {
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name },
    spec: {
      schedule: "*/1 * * * *",
      jobTemplate: { spec: { template: { spec: { restartPolicy: "OnFailure", containers: [{ name: "hello", image: "busybox", command: ["echo", "hi"] }] } } } },
      ...spec,
    },
  };
}

async function jobs(h: Harness): Promise<Job[]> {
  return ((await h.client.resource(GVR.jobs).list("default")).items as Job[]).sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
}

/** What the Job controller would write when the Job's pod succeeded. */
async function complete(h: Harness, name: string, type: "Complete" | "Failed" = "Complete"): Promise<void> {
  const j = (await h.client.resource(GVR.jobs).get(name, "default")) as Job;
  const t = rfc3339(h.clock.now());
  j.status = { startTime: t, ...(type === "Complete" ? { completionTime: t, succeeded: 1 } : { failed: 1 }), conditions: [{ type, status: "True", lastProbeTime: t, lastTransitionTime: t }] };
  await h.client.resource(GVR.jobs).update(j, { subresource: "status" });
}

const minutes = (ms: number) => Math.floor(ms / 60_000);

describe("cron schedules", () => {
  it("find the next activation, with descriptors, names and time zones", () => {
    const t0 = Date.UTC(2026, 10, 25, 9, 0, 0); // a Wednesday
    expect(new Date(parseSchedule("*/15 * * * *").next(t0)).toISOString()).toBe("2026-11-25T09:15:00.000Z");
    expect(new Date(parseSchedule("@hourly").next(t0)).toISOString()).toBe("2026-11-25T10:00:00.000Z");
    expect(new Date(parseSchedule("30 8 * * mon-fri").next(t0)).toISOString()).toBe("2026-11-26T08:30:00.000Z");
    expect(new Date(parseSchedule("0 0 1 */3 *").next(t0)).toISOString()).toBe("2027-01-01T00:00:00.000Z");
    expect(new Date(parseSchedule("0 0 29 2 *").next(t0)).toISOString()).toBe("2028-02-29T00:00:00.000Z");
    // 09:00 in New York is 14:00 UTC in November (EST).
    expect(new Date(parseSchedule("0 9 * * *", "America/New_York").next(t0)).toISOString()).toBe("2026-11-25T14:00:00.000Z");
    expect(() => parseSchedule("* * * *")).toThrow("expected exactly 5 fields, found 4: * * * *");
    expect(() => parseSchedule("61 * * * *")).toThrow("end of range (61) above maximum (59): 61");
  });
});

describe("cronjob controller", () => {
  it("creates a Job at each scheduled minute and tracks it in status", async () => {
    const h = await harness();
    start(h, startCronJobController);
    await h.client.resource(GVR.cronjobs).create(cronJob("hello"), "default");
    await h.settle();
    expect(await jobs(h)).toHaveLength(0);
    // The controller wakes 100 ms after the minute (nextScheduleDelta).
    await h.advance(60_000);
    expect(await jobs(h)).toHaveLength(0);
    await h.advance(100);
    const scheduled = Date.UTC(2026, 10, 25, 9, 1, 0);
    let js = await jobs(h);
    expect(js.map((j) => j.metadata.name)).toEqual([`hello-${minutes(scheduled)}`]);
    expect(js[0]!.metadata.annotations).toEqual({ "batch.kubernetes.io/cronjob-scheduled-timestamp": "2026-11-25T09:01:00Z" });
    expect(js[0]!.metadata.ownerReferences?.[0]).toMatchObject({ kind: "CronJob", name: "hello", controller: true });
    let cj = (await h.client.resource(GVR.cronjobs).get("hello", "default")) as CronJob;
    expect(cj.status?.lastScheduleTime).toBe("2026-11-25T09:01:00Z");
    expect(cj.status?.active).toEqual([expect.objectContaining({ kind: "Job", name: `hello-${minutes(scheduled)}`, namespace: "default", uid: js[0]!.metadata.uid })]);

    await h.advance(4_900);
    await complete(h, js[0]!.metadata.name!);
    await h.settle();
    cj = (await h.client.resource(GVR.cronjobs).get("hello", "default")) as CronJob;
    expect(cj.status).toEqual({ lastScheduleTime: "2026-11-25T09:01:00Z", lastSuccessfulTime: "2026-11-25T09:01:05Z" });

    await h.advance(55_100);
    js = await jobs(h);
    expect(js).toHaveLength(2);
    const events = (await h.events("default")).filter((e) => e.source === "cronjob-controller").map((e) => `${e.reason} ${e.message}`);
    expect(events).toEqual([
      `SuccessfulCreate Created job hello-${minutes(scheduled)}`,
      `SawCompletedJob Saw completed job: hello-${minutes(scheduled)}, condition: Complete`,
      `SuccessfulCreate Created job hello-${minutes(scheduled) + 1}`,
    ]);
  });

  it("keeps successfulJobsHistoryLimit finished Jobs and deletes older ones", async () => {
    const h = await harness();
    start(h, startCronJobController);
    await h.client.resource(GVR.cronjobs).create(cronJob("hist", { successfulJobsHistoryLimit: 1 }), "default");
    await h.advance(60_100);
    const first = (await jobs(h))[0]!.metadata.name!;
    await complete(h, first);
    await h.advance(60_000);
    const second = (await jobs(h)).find((j) => j.metadata.name !== first)!.metadata.name!;
    await complete(h, second);
    await h.settle();
    expect((await jobs(h)).map((j) => j.metadata.name)).toEqual([second]);
    expect((await h.events("default")).map((e) => `${e.reason} ${e.message}`)).toContain(`SuccessfulDelete Deleted job ${first}`);
  });

  it("does not start a Job while one runs under Forbid, and honours suspend", async () => {
    const h = await harness();
    start(h, startCronJobController);
    await h.client.resource(GVR.cronjobs).create(cronJob("one", { concurrencyPolicy: "Forbid" }), "default");
    await h.advance(120_100);
    expect(await jobs(h)).toHaveLength(1);
    expect((await h.events("default")).map((e) => `${e.reason} ${e.message}`)).toContain("JobAlreadyActive Not starting job because prior execution is running and concurrency policy is Forbid");

    const cj = (await h.client.resource(GVR.cronjobs).get("one", "default")) as CronJob;
    cj.spec.suspend = true;
    await h.client.resource(GVR.cronjobs).update(cj);
    await complete(h, (await jobs(h))[0]!.metadata.name!);
    await h.advance(300_000);
    expect(await jobs(h)).toHaveLength(1);
  });

  it("replaces the running Job under Replace", async () => {
    const h = await harness();
    start(h, startCronJobController);
    await h.client.resource(GVR.cronjobs).create(cronJob("swap", { concurrencyPolicy: "Replace" }), "default");
    await h.advance(60_100);
    const first = (await jobs(h))[0]!.metadata.name!;
    await h.advance(60_000);
    const names = (await jobs(h)).filter((j) => !j.metadata.deletionTimestamp).map((j) => j.metadata.name);
    expect(names).not.toContain(first);
    expect(names).toHaveLength(1);
    expect((await h.events("default")).map((e) => `${e.reason} ${e.message}`)).toContain(`SuccessfulDelete Deleted job ${first}`);
  });
});
