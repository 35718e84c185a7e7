// Discovery documents: legacy and aggregated, as kubectl asks for them.

import { describe, expect, it } from "vitest";
import { APIServer } from "../../src/apiserver/apiserver.ts";
import { AGGREGATED_V2_CONTENT_TYPE, aggregatedDiscoveryVersion } from "../../src/apiserver/discovery.ts";
import { DISCOVERY_ACCEPT, RestClient } from "../../src/client/rest.ts";
import { inProcessTransport } from "../../src/client/transport.ts";
import { FakeClock } from "../../src/utils/clock.ts";
import { seededRand } from "../../src/utils/rand.ts";

function client() {
  const api = new APIServer({ clock: new FakeClock(), rand: seededRand(1) });
  return new RestClient(inProcessTransport(api));
}

interface Res {
  name: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  group?: string;
  version?: string;
  singularName: string;
}

describe("legacy discovery", () => {
  it("serves /api, /apis and per-group-version resource lists", async () => {
    const rc = client();
    expect(await rc.get("/api")).toEqual({ kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "127.0.0.1:6443" }] });
    const groups = (await rc.get<{ groups: { name: string; preferredVersion: { groupVersion: string } }[] }>("/apis")).groups;
    expect(groups[0]).toMatchObject({ name: "apps", preferredVersion: { groupVersion: "apps/v1", version: "v1" } });
    expect(groups.map((g) => g.name)).toContain("autoscaling");
    expect(await rc.get("/apis/apps")).toMatchObject({ kind: "APIGroup", name: "apps" });

    const core = (await rc.get<{ groupVersion: string; resources: Res[] }>("/api/v1"));
    expect(core.groupVersion).toBe("v1");
    const byName = new Map(core.resources.map((r) => [r.name, r]));
    expect(byName.get("pods")).toMatchObject({ singularName: "pod", namespaced: true, kind: "Pod", shortNames: ["po"], categories: ["all"] });
    expect(byName.get("pods")!.verbs).toEqual(["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]);
    expect(byName.get("pods/log")).toMatchObject({ kind: "Pod", verbs: ["get"] });
    expect(byName.get("pods/eviction")).toMatchObject({ group: "policy", version: "v1", kind: "Eviction" });
    expect(byName.get("nodes")).toMatchObject({ namespaced: false, shortNames: ["no"] });
    const apps = await rc.get<{ resources: Res[] }>("/apis/apps/v1");
    expect(apps.resources.find((r) => r.name === "deployments/scale")).toMatchObject({ group: "autoscaling", version: "v1", kind: "Scale" });

    await expect(rc.get("/apis/nosuch.io/v1")).rejects.toMatchObject({ code: 404 });
    await expect(rc.get("/apis/apps/v2")).rejects.toMatchObject({ code: 404 });
  });
});

describe("aggregated discovery", () => {
  it("answers kubectl's Accept with APIGroupDiscoveryList and its exact Content-Type", async () => {
    const rc = client();
    const res = await rc.raw("GET", "/apis", { accept: DISCOVERY_ACCEPT });
    expect(res.headers["content-type"]).toBe(AGGREGATED_V2_CONTENT_TYPE);
    const doc = JSON.parse(res.body.toString()) as { kind: string; apiVersion: string; items: { metadata: { name?: string }; versions: { version: string; freshness: string; resources: Record<string, unknown>[] }[] }[] };
    expect(doc).toMatchObject({ kind: "APIGroupDiscoveryList", apiVersion: "apidiscovery.k8s.io/v2" });
    const apps = doc.items.find((i) => i.metadata.name === "apps")!;
    expect(apps.versions[0]).toMatchObject({ version: "v1", freshness: "Current" });
    const deploy = apps.versions[0]!.resources.find((r) => r.resource === "deployments")!;
    expect(deploy).toMatchObject({
      responseKind: { group: "apps", version: "v1", kind: "Deployment" },
      scope: "Namespaced",
      singularResource: "deployment",
      shortNames: ["deploy"],
      categories: ["all"],
    });
    expect(deploy.subresources).toContainEqual({ subresource: "scale", responseKind: { group: "autoscaling", version: "v1", kind: "Scale" }, verbs: ["get", "patch", "update"] });

    const core = await rc.raw("GET", "/api", { accept: DISCOVERY_ACCEPT });
    const coreDoc = JSON.parse(core.body.toString()) as { items: { metadata: Record<string, unknown>; versions: { resources: { resource: string; scope: string }[] }[] }[] };
    expect(coreDoc.items).toHaveLength(1);
    expect(coreDoc.items[0]!.metadata).not.toHaveProperty("name");
    // Core resources come in the table's order: `get all` walks them in this order.
    const names = coreDoc.items[0]!.versions[0]!.resources.map((r) => r.resource);
    expect(names.indexOf("pods")).toBeLessThan(names.indexOf("services"));
    expect(coreDoc.items[0]!.versions[0]!.resources.find((r) => r.resource === "namespaces")!.scope).toBe("Cluster");
  });

  it("stays the same between calls, and falls back to legacy for plain JSON", async () => {
    const rc = client();
    const a = (await rc.raw("GET", "/apis", { accept: DISCOVERY_ACCEPT })).body.toString();
    const b = (await rc.raw("GET", "/apis", { accept: DISCOVERY_ACCEPT })).body.toString();
    expect(a).toBe(b);
    const legacy = await rc.raw("GET", "/apis", { accept: "application/json, */*" });
    expect(legacy.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(legacy.body.toString()).kind).toBe("APIGroupList");
  });

  it("reads the requested version from the Accept header", () => {
    expect(aggregatedDiscoveryVersion(DISCOVERY_ACCEPT)).toBe("v2");
    expect(aggregatedDiscoveryVersion("application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json")).toBe("v2beta1");
    expect(aggregatedDiscoveryVersion("application/json, */*")).toBeUndefined();
  });
});
