// The interner behind stored objects: equal subtrees become one frozen
// instance, metadata stays each version's own, and nothing that differs —
// however the keys could be confused — is ever shared.

import { describe, expect, it } from "vitest";
import type { Pod } from "../../src/api/core/v1.ts";
import { GVR } from "../../src/client/interface.ts";
import { Interner } from "../../src/storage/intern.ts";
import { lab } from "../behaviour/harness.ts";

const pod = (name: string, nodeName: string) => ({
  metadata: { name, labels: { app: "web" } },
  spec: { nodeName, containers: [{ name: "web", image: "httpd", ports: [{ containerPort: 80 }] }], tolerations: [{ key: "a", operator: "Exists" }] },
});

describe("Interner", () => {
  it("shares equal subtrees as one frozen instance and keeps metadata unshared and unfrozen", () => {
    const i = new Interner();
    const a = i.internChildren(pod("a", "node01"), ["metadata"]);
    const b = i.internChildren(pod("b", "node02"), ["metadata"]);
    expect(a.spec).not.toBe(b.spec);
    expect(a.spec.containers).toBe(b.spec.containers);
    expect(a.spec.tolerations).toBe(b.spec.tolerations);
    expect(a.metadata.labels).toBe(b.metadata.labels);
    expect(Object.isFrozen(a.spec.containers[0])).toBe(true);
    expect(Object.isFrozen(a.metadata)).toBe(false);
    expect(a.metadata).not.toBe(b.metadata);
    expect(JSON.stringify(b)).toBe(JSON.stringify(pod("b", "node02")));
  });

  it("never shares values that differ only in ways a naive key would hide", () => {
    const i = new Interner();
    const cases: Record<string, unknown>[] = [
      { v: { a: 'x","b":"y' } },
      { v: { a: "x", b: "y" } },
      { v: { a: "1" } },
      { v: { a: 1 } },
      { v: { a: true } },
      { v: { a: "t" } },
      { v: { a: null } },
      { v: { a: undefined } },
      { v: {} },
      { v: [] },
      { v: [[]] },
      { v: { "1:a": "" } },
      { v: { 1: "a" } },
      { v: { b: "y", a: "x" } },
    ];
    const before = cases.map((c) => JSON.stringify(c));
    const interned = cases.map((c) => i.internChildren({ ...c }, []));
    for (let x = 0; x < cases.length; x++) {
      for (let y = x + 1; y < cases.length; y++) expect(interned[x]!.v, `${before[x]} vs ${before[y]}`).not.toBe(interned[y]!.v);
    }
    expect(interned.map((c) => JSON.stringify(c))).toEqual(before);
    expect(Object.keys(interned[13]!.v as object)).toEqual(["b", "a"]);
  });

  it("keeps the version before's parts where a write left them unchanged, to the letter (key order included)", () => {
    const i = new Interner();
    const status = (ready: string, ip: string) => ({ conditions: [{ type: "Ready", status: ready }], podIPs: [{ ip }], hostIP: "10.0.0.1" });
    const v1 = i.internChildren({ metadata: { name: "a" }, status: status("False", "10.244.1.7") }, ["metadata"]);
    const v2 = i.internChildren({ metadata: { name: "a" }, status: status("True", "10.244.1.7") }, ["metadata"], v1);
    expect(v2.status.podIPs).toBe(v1.status.podIPs);
    expect(v2.status.conditions).not.toBe(v1.status.conditions);
    expect(v2.status.conditions[0]!.status).toBe("True");
    // The same values in another key order are not the old part: the stored JSON keeps the writer's order.
    const v3 = i.internChildren({ metadata: { name: "a" }, status: { podIPs: [{ ip: "10.244.1.7" }], conditions: [{ status: "True", type: "Ready" }], hostIP: "10.0.0.1" } }, ["metadata"], v2);
    expect(JSON.stringify(v3.status)).toBe('{"podIPs":[{"ip":"10.244.1.7"}],"conditions":[{"status":"True","type":"Ready"}],"hostIP":"10.0.0.1"}');
  });

  it("leaves what is not JSON-shaped alone", () => {
    const i = new Interner();
    const bytes = new Uint8Array([1, 2]);
    const out = i.internChildren({ data: { raw: bytes } }, []);
    expect(out.data.raw).toBe(bytes);
    expect(Object.isFrozen(out.data)).toBe(false);
  });

  it("re-keys a frozen shared subtree under a new parent without changing it", () => {
    const i = new Interner();
    const first = i.internChildren(pod("a", "node01"), ["metadata"]);
    // A patch builds a new spec around the old, frozen containers.
    const patched = i.internChildren({ metadata: { name: "a" }, spec: { ...first.spec, nodeName: "node02" } }, ["metadata"]);
    expect(patched.spec.containers).toBe(first.spec.containers);
    expect(patched.spec.nodeName).toBe("node02");
  });
});

describe("stored objects", () => {
  it("share a Deployment's template parts across its pods, and refuse to be changed in place", async () => {
    const l = await lab();
    try {
      await l.createDeployment("web", "httpd", 2);
      await l.advance(30_000);
      const stored = [...l.cluster.api.etcd.range("/registry/pods/default/")].map((kv) => kv.value as Pod);
      expect(stored).toHaveLength(2);
      expect(stored[0]!.spec.tolerations).toBe(stored[1]!.spec.tolerations);
      expect(stored[0]!.metadata.ownerReferences).toBe(stored[1]!.metadata.ownerReferences);
      expect(() => {
        stored[0]!.spec.tolerations![0]!.tolerationSeconds = 1;
      }).toThrow(TypeError);
      // What clients read are copies, free to change.
      const read = await l.admin.resource<Pod>(GVR.pods).get(stored[0]!.metadata.name!, "default");
      read.spec.tolerations![0]!.tolerationSeconds = 1;
      expect(stored[0]!.spec.tolerations![0]!.tolerationSeconds).toBe(300);
    } finally {
      l.cluster.stop();
    }
  });
});
