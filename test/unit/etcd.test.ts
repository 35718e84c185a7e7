// The store's range and watch contracts that the per-resource buckets and
// routed watches must keep: key order, prefix ranges, routed delivery.

import { describe, expect, it } from "vitest";
import { Etcd, type StoreEvent } from "../../src/storage/etcd.ts";

interface V {
  node?: string;
}

describe("Etcd", () => {
  it("ranges one resource in key order, by resource or namespace, and after deletes", () => {
    const e = new Etcd<V>();
    for (const k of ["/registry/pods/ns2/b", "/registry/pods/ns1/z", "/registry/nodes/n1", "/registry/pods/ns1/a"]) e.create(k, () => ({}));
    expect(e.range("/registry/pods/").map((kv) => kv.key)).toEqual(["/registry/pods/ns1/a", "/registry/pods/ns1/z", "/registry/pods/ns2/b"]);
    expect(e.range("/registry/pods/ns1/").map((kv) => kv.key)).toEqual(["/registry/pods/ns1/a", "/registry/pods/ns1/z"]);
    expect(e.range("/registry/").length).toBe(4);
    expect(e.range("/registry/services/")).toEqual([]);
    e.delete("/registry/pods/ns1/a");
    e.update("/registry/pods/ns1/z", () => ({ node: "x" }));
    expect(e.range("/registry/pods/").map((kv) => [kv.key, kv.value.node])).toEqual([
      ["/registry/pods/ns1/z", "x"],
      ["/registry/pods/ns2/b", undefined],
    ]);
    expect(e.count("/registry/pods/")).toBe(2);
    expect(e.count("/registry/pods/ns2/")).toBe(1);
  });

  it("routes a watch to writes whose new or previous value has the index value, and replays history the same way", () => {
    const e = new Etcd<V>();
    const index = (v: V) => v.node;
    e.create("/registry/pods/ns/early", () => ({ node: "n1" }));
    e.create("/registry/pods/ns/other", () => ({ node: "n2" }));
    const seen: string[] = [];
    const fn = (ev: StoreEvent<V>) => seen.push(`${ev.type} ${ev.kv.key} ${ev.kv.value.node}`);
    const stop = e.watch("/registry/pods/", fn, 1, { index, value: "n1" });
    e.create("/registry/pods/ns/a", () => ({}));
    e.update("/registry/pods/ns/a", () => ({ node: "n1" }));
    e.update("/registry/pods/ns/a", () => ({ node: "n2" }));
    e.update("/registry/pods/ns/a", () => ({ node: "n3" }));
    e.delete("/registry/pods/ns/early");
    stop();
    e.create("/registry/pods/ns/late", () => ({ node: "n1" }));
    expect(seen).toEqual([
      "PUT /registry/pods/ns/early n1",
      "PUT /registry/pods/ns/a n1",
      "PUT /registry/pods/ns/a n2",
      "DELETE /registry/pods/ns/early n1",
    ]);
  });
});
