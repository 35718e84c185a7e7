// Conformance: -o go-template / go-template-file / template / templatefile,
// --template and --allow-missing-template-keys, the emulated kubectl against
// the real one (the bundled kubectl of the server's minor), both talking HTTPS
// to the same emulated apiserver. stdout, stderr and the exit code must be
// identical, including parse and execution errors and the debugging block an
// execution error prints. Skipped when /usr/bin/kubectl is not installed.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApiServer } from "../../src/apiserver/server.ts";
import { buildFixture, type Fixture } from "./fixture.ts";
import { dumpPair, haveBundled, oracleBinary, runEmulated, runReal, VERSION_CASES, serveOne } from "./harness.ts";

const POD = "test-web-7c7cd49dbf-x2k9q";
const GT = (t: string) => `--output=go-template=${t}`;

/** Command lines; FILE stands for a template file written by the suite, MISSING for one that does not exist. */
const COMMANDS: string[][] = [
  ["get", "pods", GT('{{range .items}}{{.metadata.name}}{{"\\n"}}{{end}}')],
  ["get", "pod", POD, GT("{{.status.podIP}}")],
  ["get", "pod", POD, "-o", "go-template={{.metadata.name}} on {{.spec.nodeName}}"],
  ["get", "pods", "-o", "template={{range .items}}{{.spec.nodeName}} {{end}}"],
  ["get", "pods", "-o", "go-template", "--template={{len .items}}"],
  ["get", "pods", "-o", "template", "--template={{.kind}} {{.apiVersion}}"],
  ["get", "pods", "--template={{range .items}}{{.status.phase}};{{end}}"],
  ["get", "nodes", GT('{{range .items}}{{.metadata.name}}{{"\\t"}}{{index .metadata.labels "kubernetes.io/hostname"}}{{"\\n"}}{{end}}')],
  ["get", "deploy", "test-web", GT("{{.spec.replicas}}/{{.status.readyReplicas}} ready, strategy {{.spec.strategy.type}}")],
  ["get", "pods", GT('{{range .items}}{{$pod := .metadata.name}}{{range .spec.containers}}{{$pod}}:{{.name}}={{.image}}{{"\\n"}}{{end}}{{end}}')],
  ["get", "nodes", GT('{{range .items}}{{.metadata.name}} {{if .spec.taints}}tainted{{else}}schedulable{{end}}{{"\\n"}}{{end}}')],
  ["get", "pods", GT('{{range .items}}{{printf "%-30s|%8s|%3d\\n" .metadata.name .status.phase (len .spec.containers)}}{{end}}')],
  ["get", "deploy", "test-web", GT("paused={{.spec.paused}} {{.metadata.nosuch.deeper}}")],
  ["get", "deploy", "test-web", GT("{{.metadata.name}} {{.spec.paused}}"), "--allow-missing-template-keys=false"],
  ["get", "pods", GT("{{.metadata.name}")],
  ["get", "pods", GT("{{upper .kind}}")],
  ["get", "pods", GT("{{range .items}}{{.metadata.name}}")],
  ["get", "pods", GT("{{if}}x{{end}}")],
  ["get", "pods", GT("{{$undefined}}")],
  ["get", "pods", "-o", "go-template"],
  ["get", "pods", "-o", "go-template-file=FILE"],
  ["get", "pods", "-o", "go-template-file", "--template=FILE"],
  ["get", "pods", "-o", "templatefile=FILE"],
  ["get", "pods", "-o", "go-template-file=MISSING"],
  ["get", "pods", GT('{{range .items}}{{index .metadata.labels "pod-template-hash"}} {{index .metadata.labels "app"}}{{"\\n"}}{{end}}')],
  ["get", "node", "master", GT('{{range $k, $v := .metadata.labels}}{{$k}}={{$v}}{{"\\n"}}{{end}}')],
  ["get", "svc", "kube-dns", "-n", "kube-system", GT('{{with .spec.ports}}{{range $i, $p := .}}{{$i}}:{{$p.name}} {{$p.port}}/{{$p.protocol}}{{"\\n"}}{{end}}{{end}}')],
  ["get", "deploy", "test-web", GT('{{if exists .metadata "annotations"}}annotated{{end}} {{exists . "spec" "nosuch"}} {{"aGVsbG8gd29ybGQ=" | base64decode}}')],
  ["get", "pods", GT("{{$n := len .items}}{{$n}} pods, first {{(index .items 0).metadata.name}}")],
  ["get", "pods", GT('{{range .items}}{{if and (eq .status.phase "Running") (ne .spec.nodeName "master")}}{{.metadata.name}}{{"\\n"}}{{end}}{{end}}')],
  ["get", "pods", GT("{{/* names only */}}{{range .items -}}\n  {{ .metadata.name }}\n{{- end}}\n")],
  ["get", "pods", GT("{{range .items}}{{.metadata.name.first}}{{end}}")],
  ["get", "pod", POD, GT("{{.metadata.name}} {{index .spec.containers 3}}")],
  ["get", "pods", "-A", GT('{{range .items}}{{.metadata.namespace}}/{{.metadata.name}}{{"\\n"}}{{end}}')],
  ["get", "pods,deploy", GT("{{range .items}}{{.kind}}/{{.metadata.name}} {{end}}")],
  ["get", "deploy", "test-web", GT("{{.metadata.labels}} {{.spec.selector}} {{.status.conditions}}")],
  ["get", "pods", GT("{{range .items}}{{range .status.containerStatuses}}{{.name}} restarts={{.restartCount}} ready={{.ready}}{{end}}{{\"\\n\"}}{{end}}")],
  ["get", "nodes", GT('{{range .items}}{{printf "%s %v %d %05d %x\\n" .metadata.name .status.daemonEndpoints.kubeletEndpoint.Port .status.daemonEndpoints.kubeletEndpoint.Port .status.daemonEndpoints.kubeletEndpoint.Port .status.daemonEndpoints.kubeletEndpoint.Port}}{{end}}')],
  ["get", "pods", GT("{{range .items}}{{.metadata.name}}{{break}}{{end}}")],
  ["get", "pods", GT("{{range $i, $p := .items}}{{if $i}},{{end}}{{$p.metadata.name}}{{end}}")],
  ["get", "pods", "-n", "kube-public", GT("{{.kind}} {{len .items}}")],
  ["get", "pod", "nosuch", GT("{{.metadata.name}}")],
  ["get", "nodes", GT('{{range .items}}{{.metadata.name}} {{.status.capacity.cpu}} {{.status.allocatable.memory}}{{"\\n"}}{{end}}')],
  ["get", "deploy", "test-web", GT("{{print 1 2 \"a\" 3.5 .spec.replicas}} {{println .kind}}{{html \"<b>&\"}} {{js \"it's\"}} {{urlquery \"a b\"}}")],
  ["get", "pods", "-o", "jsonpath", "--template={.items[*].metadata.name}"],
  ["create", "deployment", "web", "--image=nginx", "--dry-run=client", GT("{{.metadata.name}} {{.spec.replicas}} {{.metadata.creationTimestamp}} {{.spec.template.spec.containers}}")],
  ["create", "deployment", "web", "--image=nginx", "--replicas=3", "--dry-run=client", "-o", "go-template", "--template={{.kind}} {{.spec.replicas}}"],
  ["create", "deployment", "web", "--image=nginx", "--dry-run=client", GT("{{.spec.replicas.x}")],
  ["create", "namespace", "scratch", "--dry-run=client", "-o", "template={{.kind}}/{{.metadata.name}}"],
];

for (const vc of VERSION_CASES) describe.skipIf(!haveBundled(vc.minor))(`kubectl conformance: go-template output, server ${vc.server}, kubectl 1.${vc.minor} (${COMMANDS.length} commands)`, () => {
  let dir: string;
  let server: RunningApiServer;
  let fx: Fixture;
  let oracle: string;
  const token = "tok-conformance-template-0123456789";

  const env = () => ({ HOME: dir, KUBECONFIG: join(dir, "config") });
  const resolve = (args: string[]) => args.map((a) => a.replace("FILE", join(dir, "names.tmpl")).replace("MISSING", join(dir, "missing.tmpl")));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kubelab-template-"));
    oracle = oracleBinary(dir, vc.minor);
    fx = await buildFixture(Date.now(), vc.server);
    const now = Date.now();
    server = await serveOne({ dir, api: fx.api, token, wallClockMs: now });
    writeFileSync(join(dir, "names.tmpl"), '{{- range .items}}\n{{.metadata.name}}\t{{.status.phase}}\n{{- end}}\n');
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const args of COMMANDS) {
    it(`kubectl ${args.join(" ")}`, async () => {
      const argv = resolve(args);
      const want = await runReal(oracle, argv, env());
      const got = await runEmulated(argv, env());
      dumpPair(`template${vc.minor}`, argv, want, got);
      // The template file lives in a per-run directory; its name reads the same to both.
      expect(got).toEqual(want);
    }, 60_000);
  }
});
