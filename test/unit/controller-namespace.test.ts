import { afterEach, describe, expect, it } from "vitest";
import { GVR } from "../../src/client/interface.ts";
import { startControllerManager } from "../../src/controller-manager.ts";
import { harness } from "./controller-harness.ts";

let stop: (() => void) | undefined;
afterEach(() => stop?.());

describe("namespace, serviceaccount and root CA controllers", () => {
  it("gives every namespace a default ServiceAccount and kube-root-ca.crt, and empties deleted namespaces", async () => {
    const h = await harness();
    const cm = startControllerManager({ client: h.client, clock: h.clock, activity: h.activity, version: "v1.32.4", rootCA: "-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----\n" });
    stop = () => cm.stop();
    await h.client.resource(GVR.namespaces).create({ metadata: { name: "team" } });
    await h.settle();
    for (const ns of ["default", "kube-system", "team"]) {
      expect((await h.client.resource(GVR.serviceaccounts).get("default", ns)).metadata.name).toBe("default");
      const cm = (await h.client.resource(GVR.configmaps).get("kube-root-ca.crt", ns)) as { data?: Record<string, string> };
      expect(cm.data).toEqual({ "ca.crt": "-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----\n" });
    }
    // Deleting the default ServiceAccount brings it back.
    await h.client.resource(GVR.serviceaccounts).delete("default", "team");
    await h.settle();
    expect((await h.client.resource(GVR.serviceaccounts).get("default", "team")).metadata.uid).toBeDefined();

    await h.client.resource(GVR.configmaps).create({ metadata: { name: "app" }, data: { a: "1" } }, "team");
    await h.client.resource(GVR.pods).create({ metadata: { name: "p" }, spec: { containers: [{ name: "c", image: "httpd" }] } }, "team");
    await h.client.resource(GVR.namespaces).delete("team");
    await h.settle();
    expect((await h.client.resource(GVR.configmaps).list("team")).items).toEqual([]);
    expect((await h.client.resource(GVR.pods).list("team")).items).toEqual([]);
    await expect(h.client.resource(GVR.namespaces).get("team")).rejects.toThrow(/not found/);
  });
});
