// The go-template engine against what kubectl 1.32 prints for the same
// template over `kubectl create deployment foo --image=nginx --replicas=3
// --dry-run=client` (each expectation was measured with the real binary).

import { describe, expect, it } from "vitest";
import { formatFloat, sprintf, GoInt } from "../../src/kubectl/printers/gotemplate-fmt.ts";
import { parseOutputFormat, printGeneric } from "../../src/kubectl/printers/generic.ts";
import { TemplateExecutionFailed } from "../../src/kubectl/printers/gotemplate.ts";

const DEPLOYMENT = {
  kind: "Deployment",
  apiVersion: "apps/v1",
  metadata: { name: "foo", creationTimestamp: null, labels: { app: "foo" } },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: "foo" } },
    template: { metadata: { creationTimestamp: null, labels: { app: "foo" } }, spec: { containers: [{ name: "nginx", image: "nginx", resources: {} }] } },
    strategy: {},
  },
  status: {},
};

function run(template: string, allowMissingKeys = true): string {
  return printGeneric(DEPLOYMENT, parseOutputFormat(`go-template=${template}`, { allowMissingKeys }), { typed: true });
}

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("no error");
}

describe("go-template output", () => {
  it("prints fields, JSON numbers as int64 and null as <no value>", () => {
    expect(run("{{.metadata.name}} {{.spec.replicas}} {{.metadata.creationTimestamp}} {{.nope.deeper}}")).toBe("foo 3 <no value> <no value>");
  });

  it("prints maps and slices as Go's fmt does", () => {
    expect(run("{{.spec}}")).toBe(
      "map[replicas:3 selector:map[matchLabels:map[app:foo]] strategy:map[] template:map[metadata:map[creationTimestamp:<nil> labels:map[app:foo]] spec:map[containers:[map[image:nginx name:nginx resources:map[]]]]]]",
    );
  });

  it("prints constants as Go prints int and float64", () => {
    expect(run("{{1000000.0}} {{1e6}} {{0.000001}} {{123456789.5}} {{-0.0}} {{1e21}} {{0x10}} {{1_000}} {{'a'}}")).toBe(
      "1e+06 1e+06 1e-06 1.234567895e+08 -0 1e+21 16 1000 97",
    );
  });

  it("ranges over maps in key order, runs else for nothing, trims around - markers", () => {
    expect(run("{{range $k, $v := .metadata.labels}}{{$k}}={{$v}};{{end}}{{range .missing}}x{{else}}empty{{end}}")).toBe("app=foo;empty");
    expect(run("{{- .metadata.name -}}   {{  .kind  }}")).toBe("fooDeployment");
  });

  it("supports define/template and else with", () => {
    expect(run('{{template "t" .metadata}}{{define "t"}}[{{.name}}]{{end}}')).toBe("[foo]");
    expect(run("{{with .x}}a{{else with .spec}}b{{end}}")).toBe("b");
  });

  it("has kubectl's exists and base64decode", () => {
    expect(run('{{exists .missing}}|{{exists .spec.replicas}}|{{exists .metadata.creationTimestamp}}|{{exists . "metadata" "creationTimestamp"}}')).toBe("true|true|true|false");
    expect(run('{{"aGVsbG8=" | base64decode}}')).toBe("hello");
  });

  it("reports parse errors as kubectl does", () => {
    expect(errorOf(() => run("{{.metadata.name}"))).toBe("error parsing template {{.metadata.name}, template: output:1: bad character U+007D '}'");
    expect(errorOf(() => run('{{"x" | "y"}}'))).toBe('error parsing template {{"x" | "y"}}, template: output:1: non executable command in pipeline stage 2');
    expect(errorOf(() => run("{{continue}}"))).toBe("error parsing template {{continue}}, template: output:1: {{continue}} outside {{range}}");
    expect(errorOf(() => run('{{"unterminated}}'))).toBe("error parsing template {{\"unterminated}}, template: output:1: unterminated quoted string");
    expect(errorOf(() => run("{{upper .kind}}"))).toBe('error parsing template {{upper .kind}}, template: output:1: function "upper" not defined');
    expect(errorOf(() => parseOutputFormat("go-template"))).toBe("template format specified but no template given");
  });

  it("reports execution errors with their position and context", () => {
    expect(errorOf(() => run("{{.metadata.name 1}}"))).toBe(
      'error executing template "{{.metadata.name 1}}": template: output:1:11: executing "output" at <.metadata.name>: name is not a method but has arguments',
    );
    expect(errorOf(() => run("{{nil}}"))).toBe('error executing template "{{nil}}": template: output:1:2: executing "output" at <nil>: nil is not a command');
    expect(errorOf(() => run("{{index .metadata 1}}"))).toBe(
      'error executing template "{{index .metadata 1}}": template: output:1:2: executing "output" at <index .metadata 1>: error calling index: value has type int; should be string',
    );
    expect(errorOf(() => run("{{len 1 2}}"))).toBe('error executing template "{{len 1 2}}": template: output:1:2: executing "output" at <len>: wrong number of args for len: want 1 got 2');
    expect(errorOf(() => run("{{index .spec.replicas 0}}"))).toBe(
      'error executing template "{{index .spec.replicas 0}}": template: output:1:2: executing "output" at <index .spec.replicas 0>: error calling index: can\'t index item of type int64',
    );
  });

  it("fails on a missing key with --allow-missing-template-keys=false, with the debugging block on stdout", () => {
    let failure: TemplateExecutionFailed | undefined;
    try {
      run("A{{.metadata.name}}{{.spec.replicas.x}}B", false);
    } catch (e) {
      failure = e as TemplateExecutionFailed;
    }
    expect(failure?.message).toBe(
      'error executing template "A{{.metadata.name}}{{.spec.replicas.x}}B": template: output:1:26: executing "output" at <.spec.replicas.x>: can\'t evaluate field x in type interface {}',
    );
    expect(failure?.output).toBe(
      "AfooError executing template: template: output:1:26: executing \"output\" at <.spec.replicas.x>: can't evaluate field x in type interface {}. Printing more information for debugging the template:\n" +
        "\ttemplate was:\n\t\tA{{.metadata.name}}{{.spec.replicas.x}}B\n" +
        '\traw data was:\n\t\t{"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"foo","creationTimestamp":null,"labels":{"app":"foo"}},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"foo"}},"template":{"metadata":{"creationTimestamp":null,"labels":{"app":"foo"}},"spec":{"containers":[{"name":"nginx","image":"nginx","resources":{}}]}},"strategy":{}},"status":{}}\n' +
        "\tobject given to template engine was:\n\t\tmap[apiVersion:apps/v1 kind:Deployment metadata:map[creationTimestamp:<nil> labels:map[app:foo] name:foo] spec:map[replicas:3 selector:map[matchLabels:map[app:foo]] strategy:map[] template:map[metadata:map[creationTimestamp:<nil> labels:map[app:foo]] spec:map[containers:[map[image:nginx name:nginx resources:map[]]]]]] status:map[]]\n\n",
    );
    expect(errorOf(() => run("{{.spec.paused}}", false))).toContain('executing "output" at <.spec.paused>: map has no entry for key "paused"');
  });
});

describe("Go's fmt", () => {
  const i = (n: number) => new GoInt(BigInt(n));

  it("formats verbs, widths and flags", () => {
    expect(
      sprintf("%5d|%-5s|%05.1f|%x|%X|%o|%c|%U|%#U|%+d|% d|%e|%g|%.3g|%8.3e", [
        i(42), "ab", 3.14159, i(255), "hi", i(8), i(65), i(65), i(9731), i(5), i(5), 123456.789, 0.00001234, 3.14159, 1234.5678,
      ]),
    ).toBe("   42|ab   |003.1|ff|6869|10|A|U+0041|U+2603 '☃'|+5| 5|1.234568e+05|1.234e-05|3.14|1.235e+03");
  });

  it("reports bad verbs, missing and extra operands", () => {
    expect(sprintf("%d %s", ["x"])).toBe("%!d(string=x) %!s(MISSING)");
    expect(sprintf("%d", [i(1), i(2)])).toBe("1%!(EXTRA int=2)");
    expect(sprintf("%[2]d %[1]d|%*d", [i(1), i(2)])).toBe("2 1|%!d(MISSING)");
    expect(sprintf("%[3]d", [i(1)])).toBe("%!d(BADINDEX)");
  });

  it("rounds exact halves to even, as strconv does", () => {
    expect(sprintf("%.0f %.0f %.1f %.2f", [0.5, 1.5, 0.25, 1.005])).toBe("0 2 0.2 1.00");
    expect(formatFloat(2.5, "f", 0)).toBe("2");
    expect(formatFloat(1e21, "g", -1)).toBe("1e+21");
    expect(formatFloat(100000, "g", -1)).toBe("100000");
  });
});
