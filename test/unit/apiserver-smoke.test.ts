import { describe, expect, it } from "vitest";
import { APIServer } from "../../src/apiserver/apiserver.ts";
import { inProcessClient } from "../../src/client/inprocess.ts";
import { GVR } from "../../src/client/interface.ts";
import { FakeClock } from "../../src/utils/clock.ts";
import { seededRand } from "../../src/utils/rand.ts";

describe("apiserver core", () => {
  it("creates, lists, watches and deletes through the in-process client", async () => {
    const api = new APIServer({ clock: new FakeClock(), rand: seededRand(1) });
    const c = inProcessClient(api, { user: "admin" });
    await c.resource(GVR.namespaces).create({ metadata: { name: "default" } });
    const seen: string[] = [];
    c.resource(GVR.pods).watch("default", {}, { onEvent: (e) => seen.push(`${e.type} ${e.object.metadata.name}`) });
    const pod = await c.resource(GVR.pods).create({ metadata: { generateName: "web-" }, spec: { containers: [{ name: "c", image: "httpd" }] } }, "default");
    expect(pod.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    await expect(c.resource(GVR.pods).create(pod, "default")).rejects.toThrow(`pods "${pod.metadata.name}" already exists`);
    await expect(c.resource(GVR.pods).get("nosuch", "default")).rejects.toThrow('pods "nosuch" not found');
    const list = await c.resource(GVR.pods).list("default", { labelSelector: "" });
    expect(list.items.map((p) => p.metadata.name)).toEqual([pod.metadata.name]);
    await c.resource(GVR.pods).delete(pod.metadata.name!, "default");
    expect(seen).toEqual([`ADDED ${pod.metadata.name}`, `DELETED ${pod.metadata.name}`]);
  });
});
