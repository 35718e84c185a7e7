import { afterEach, describe, expect, it } from "vitest";
import { StatusError } from "../../src/apimachinery/errors.ts";
import type { KObject } from "../../src/apimachinery/meta.ts";
import { canonicalQuantity } from "../../src/apimachinery/quantity.ts";
import { GVR } from "../../src/client/interface.ts";
import type { Controller, ControllerContext } from "../../src/controller/context.ts";
import { SharedInformerFactory } from "../../src/controller/informers.ts";
import { startResourceQuotaController } from "../../src/controller/resourcequota/resource-quota-controller.ts";
import { seededRand } from "../../src/utils/rand.ts";
import { type Harness, harness } from "./controller-harness.ts";

const QUOTAS = { group: "", version: "v1", resource: "resourcequotas" };
type Quota = KObject & { status?: { hard?: Record<string, string>; used?: Record<string, string> } };
const LIMITRANGES = { group: "", version: "v1", resource: "limitranges" };

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

function pod(name: string, resources?: { requests?: Record<string, string>; limits?: Record<string, string> }): KObject {
  return { metadata: { name }, spec: { containers: [{ name: "app", image: "nginx", ...(resources ? { resources } : {}) }] } };
}

async function createError(p: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof StatusError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error("expected the create to fail");
}

describe("quantities", () => {
  it("print canonically", () => {
    expect(["1024Mi", "1536Mi", "0.5", "1500m", "2000m", "1000", "1e3", "512Ki", "100"].map(canonicalQuantity)).toEqual([
      "1Gi",
      "1536Mi",
      "500m",
      "1500m",
      "2",
      "1k",
      "1k",
      "512Ki",
      "100",
    ]);
  });
});

describe("resource quota", () => {
  it("counts usage and refuses a create past the hard limit with upstream's message", async () => {
    const h = await harness();
    start(h, startResourceQuotaController);
    await h.client.resource(QUOTAS).create({ metadata: { name: "pods-max" }, spec: { hard: { pods: "2", "requests.cpu": "1", "count/configmaps": "5" } } }, "default");
    await h.settle();
    let q = await h.client.resource<Quota>(QUOTAS).get("pods-max", "default");
    expect(q.status).toEqual({ hard: { pods: "2", "requests.cpu": "1", "count/configmaps": "5" }, used: { pods: "0", "requests.cpu": "0", "count/configmaps": "0" } });

    // A quota on requests.cpu makes every container state a cpu request.
    const missing = await createError(h.client.resource(GVR.pods).create(pod("bare"), "default"));
    expect(missing).toEqual({ code: 403, message: 'pods "bare" is forbidden: failed quota: pods-max: must specify requests.cpu for: app' });

    await h.client.resource(GVR.pods).create(pod("a", { requests: { cpu: "500m" } }), "default");
    // Admission charges at once, before the controller recounts.
    q = await h.client.resource<Quota>(QUOTAS).get("pods-max", "default");
    expect(q.status?.used).toMatchObject({ pods: "1", "requests.cpu": "500m" });
    await h.settle();
    await h.client.resource(GVR.pods).create(pod("b", { requests: { cpu: "250m" } }), "default");
    const over = await createError(h.client.resource(GVR.pods).create(pod("c", { requests: { cpu: "100m" } }), "default"));
    expect(over).toEqual({ code: 403, message: 'pods "c" is forbidden: exceeded quota: pods-max, requested: pods=1, used: pods=2, limited: pods=2' });
    await h.settle();
    q = await h.client.resource<Quota>(QUOTAS).get("pods-max", "default");
    expect(q.status?.used).toEqual({ pods: "2", "requests.cpu": "750m", "count/configmaps": "0" });

    // A finished pod stops counting; a deleted one too.
    const b = await h.client.resource(GVR.pods).get("b", "default");
    await h.client.resource(GVR.pods).update({ ...b, status: { phase: "Succeeded" } }, { subresource: "status" });
    await h.settle();
    q = await h.client.resource<Quota>(QUOTAS).get("pods-max", "default");
    expect(q.status?.used).toMatchObject({ pods: "1", "requests.cpu": "500m" });
    const cpu = await createError(h.client.resource(GVR.pods).create(pod("big", { requests: { cpu: "600m" } }), "default"));
    expect(cpu.message).toBe('pods "big" is forbidden: exceeded quota: pods-max, requested: requests.cpu=600m, used: requests.cpu=500m, limited: requests.cpu=1');

    await h.client.resource(GVR.configmaps).create({ metadata: { name: "cm" }, data: {} }, "default");
    await h.settle();
    q = await h.client.resource<Quota>(QUOTAS).get("pods-max", "default");
    expect(q.status?.used?.["count/configmaps"]).toBe("1");
  });

  it("counts deployments and services by their count names", async () => {
    const h = await harness();
    start(h, startResourceQuotaController);
    await h.client.resource(QUOTAS).create({ metadata: { name: "objects" }, spec: { hard: { "count/deployments.apps": "1", services: "1" } } }, "default");
    await h.settle();
    const tmpl = { metadata: { labels: { app: "x" } }, spec: { containers: [{ name: "x", image: "nginx" }] } };
    await h.client.resource(GVR.deployments).create({ metadata: { name: "one" }, spec: { selector: { matchLabels: { app: "x" } }, template: tmpl } }, "default");
    const err = await createError(h.client.resource(GVR.deployments).create({ metadata: { name: "two" }, spec: { selector: { matchLabels: { app: "x" } }, template: tmpl } }, "default"));
    expect(err.message).toBe('deployments.apps "two" is forbidden: exceeded quota: objects, requested: count/deployments.apps=1, used: count/deployments.apps=1, limited: count/deployments.apps=1');
  });
});

describe("limit ranger", () => {
  it("defaults container requests and limits and enforces max", async () => {
    const h = await harness();
    await h.client.resource(LIMITRANGES).create(
      { metadata: { name: "cpu-limits" }, spec: { limits: [{ type: "Container", default: { cpu: "500m" }, defaultRequest: { cpu: "250m" }, max: { cpu: "1" }, min: { cpu: "100m" } }] } },
      "default",
    );
    const p = (await h.client.resource(GVR.pods).create(pod("defaulted"), "default")) as KObject & { spec: { containers: { resources?: unknown }[] } };
    expect(p.spec.containers[0]!.resources).toEqual({ requests: { cpu: "250m" }, limits: { cpu: "500m" } });
    expect(p.metadata.annotations?.["kubernetes.io/limit-ranger"]).toBe("LimitRanger plugin set: cpu request for container app; cpu limit for container app");
    expect((p.status as { qosClass?: string }).qosClass).toBe("Burstable");

    const tooBig = await createError(h.client.resource(GVR.pods).create(pod("big", { limits: { cpu: "2" } }), "default"));
    expect(tooBig).toEqual({ code: 403, message: 'pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2' });
    const tooSmall = await createError(h.client.resource(GVR.pods).create(pod("small", { requests: { cpu: "50m" } }), "default"));
    expect(tooSmall.message).toBe('pods "small" is forbidden: minimum cpu usage per Container is 100m, but request is 50m');
  });
});
