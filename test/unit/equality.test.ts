// The apiserver's "nothing changed" test and the copy-on-write JSON patch.

import { describe, expect, it } from "vitest";
import { semanticEqual } from "../../src/apimachinery/equality.ts";
import { jsonPatch } from "../../src/apimachinery/patch/jsonpatch.ts";

describe("semanticEqual", () => {
  it("ignores key order and undefined-valued keys, and sees any other difference", () => {
    expect(semanticEqual({ a: 1, b: [1, { c: "x" }] }, { b: [1, { c: "x" }], a: 1, d: undefined })).toBe(true);
    expect(semanticEqual({ a: 1 }, { a: 1, b: null })).toBe(false);
    expect(semanticEqual([1, 2], [2, 1])).toBe(false);
    expect(semanticEqual({ a: [] }, { a: {} })).toBe(false);
    expect(semanticEqual("1", 1)).toBe(false);
  });
});

describe("jsonPatch", () => {
  it("leaves the target untouched and shares what the patch does not touch", () => {
    const target = { spec: { containers: [{ name: "c" }] }, status: { phase: "Pending", conditions: [{ type: "Ready" }] } };
    const frozen = JSON.stringify(target);
    const out = jsonPatch(target, [
      { op: "replace", path: "/status/phase", value: "Running" },
      { op: "add", path: "/status/conditions/-", value: { type: "Initialized" } },
      { op: "remove", path: "/status/conditions/0" },
    ]) as typeof target;
    expect(JSON.stringify(target)).toBe(frozen);
    expect(out.status).toEqual({ phase: "Running", conditions: [{ type: "Initialized" }] });
    expect(out.spec).toBe(target.spec);
    expect(() => jsonPatch(target, [{ op: "add", path: "/missing/x", value: 1 }])).toThrow(/missing/);
  });
});
