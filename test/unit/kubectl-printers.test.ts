// kubectl's client-side printers: go-yaml v2 output (quoting, key order,
// literal blocks, folding at 80 columns), Go's JSON and client-go's jsonpath.

import { describe, expect, it } from "vitest";
import { goJSON, goJSONIndent } from "../../src/kubectl/printers/json.ts";
import { JSONPath } from "../../src/kubectl/printers/jsonpath.ts";
import { toYAML, yamlKeyLess } from "../../src/kubectl/printers/yaml.ts";

describe("yaml (go-yaml v2 via sigs.k8s.io/yaml)", () => {
  it("quotes strings that would read back as another type", () => {
    expect(toYAML({ a: "80", b: "true", c: "", d: "2024-01-01T00:00:00Z", e: "y", f: "1.5", g: "httpd", h: "10.244.0.0/24", i: "null", j: "0x1F", k: "1e3" })).toBe(
      'a: "80"\nb: "true"\nc: ""\nd: "2024-01-01T00:00:00Z"\ne: "y"\nf: "1.5"\ng: httpd\nh: 10.244.0.0/24\ni: "null"\nj: "0x1F"\nk: "1e3"\n',
    );
  });

  it("single-quotes strings plain style cannot carry", () => {
    expect(toYAML({ a: "*", b: "a: b", c: "- x", d: "x #y", e: "it's" })).toBe("a: '*'\nb: 'a: b'\nc: '- x'\nd: 'x #y'\ne: it's\n");
  });

  it("uses literal blocks for multi-line strings with the right chomping", () => {
    expect(toYAML({ a: "x\ny\n", b: "x\ny", c: "x\n\n" })).toBe("a: |\n  x\n  y\nb: |-\n  x\n  y\nc: |+\n  x\n\n");
  });

  it("sorts keys naturally and lays out lists at the parent's indent", () => {
    expect(toYAML({ k10: 1, k9: 2, "k.a": 3, kA: 4, list: [{ b: 1, a: [] }, "x"], empty: {} })).toBe(
      "empty: {}\nk.a: 3\nk9: 2\nk10: 1\nkA: 4\nlist:\n- a: []\n  b: 1\n- x\n",
    );
    expect(yamlKeyLess("a2", "a10")).toBe(true);
  });

  it("folds long plain and quoted scalars after column 80", () => {
    const message = "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu.";
    expect(toYAML({ status: { message } })).toBe(
      "status:\n  message: '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane:\n    }, 2 Insufficient cpu.'\n",
    );
  });

  it("writes the List wrapper kubectl prints for several objects", () => {
    expect(toYAML({ apiVersion: "v1", items: [], kind: "List", metadata: { resourceVersion: "" } })).toBe(
      'apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: ""\n',
    );
  });
});

describe("json (encoding/json)", () => {
  it("sorts keys, indents by four and escapes HTML characters", () => {
    expect(goJSONIndent({ b: "<a&b>", a: [1, {}], c: [] })).toBe('{\n    "a": [\n        1,\n        {}\n    ],\n    "b": "\\u003ca\\u0026b\\u003e",\n    "c": []\n}\n');
    expect(goJSON({ z: 1, a: { y: true } })).toBe('{"a":{"y":true},"z":1}');
  });
});

describe("jsonpath (client-go)", () => {
  const data = {
    kind: "List",
    items: [
      { metadata: { name: "a", labels: { app: "x" } }, spec: { containers: [{ name: "c1", image: "i1", ports: [{ containerPort: 80 }] }, { name: "c2", image: "i2" }] }, status: { phase: "Running" } },
      { metadata: { name: "b" }, spec: { containers: [{ name: "c3", image: "i3" }] }, status: { phase: "Pending" } },
    ],
  };
  const run = (t: string) => new JSONPath(t).execute(data);

  it("joins several results with spaces and prints maps as JSON", () => {
    expect(run("{.items[*].metadata.name}")).toBe("a b");
    expect(run("{.items[0].metadata.labels}")).toBe('{"app":"x"}');
    expect(run("{.items[0].spec.containers[0].ports[0].containerPort}")).toBe("80");
  });

  it("supports range/end, literals, filters, slices, unions and recursive descent", () => {
    expect(run('{range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}')).toBe("a\tRunning\nb\tPending\n");
    expect(run('{.items[?(@.status.phase=="Pending")].metadata.name}')).toBe("b");
    expect(run("{.items[*].spec.containers[?(@.ports)].name}")).toBe("c1");
    expect(run("{.items[-1:].metadata.name}")).toBe("b");
    expect(run("{.items[0].spec.containers[0,1].image}")).toBe("i1 i2");
    expect(run("{..image}")).toBe("i1 i2 i3");
    expect(run("{.items[0].metadata['name']}")).toBe("a");
  });

  it("prints text outside braces as is and missing keys as nothing", () => {
    expect(run("name={.items[0].metadata.name} x={.nosuch}")).toBe("name=a x=");
  });
});
