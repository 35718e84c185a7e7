// Conformance for `kubectl run` and `kubectl expose` with --overrides and
// --override-type (merge, json, strategic): the same steps run through the
// real kubectl (the bundled one of the server's minor: 1.32, 1.33, 1.27)
// against one cluster and through the emulated kubectl against an identical
// second cluster; every step's stdout, stderr and exit code must match.
// Printed objects carry their own uid and creation time on each cluster.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildFixture } from "./fixture.ts";
import { dumpPair, haveBundled, type Run, runEmulated, runReal, VERSION_CASES, useTwinServers } from "./harness.ts";

const YC = ["-o", "yaml", "--dry-run=client"];
const ov = (json: unknown) => `--overrides=${typeof json === "string" ? json : JSON.stringify(json)}`;
const NODE01 = ov({ apiVersion: "v1", spec: { nodeName: "node01" } });

/** Each step runs on both clusters in order. */
const STEPS: string[][] = [
  // merge (the default): printed, sent to the server, created.
  ["run", "web", "--image=httpd", NODE01, ...YC],
  ["run", "web", "--image=httpd", NODE01, "-o", "json", "--dry-run=client"],
  ["run", "web", "--image=httpd", ov({ spec: { nodeName: "node01" } }), "--override-type=merge", ...YC],
  ["run", "web", "--image=httpd", ov({ spec: { nodeName: "node01" } }), "--override-type=", ...YC],
  ["run", "web", "--image=httpd", ov({ metadata: { labels: { tier: "front" }, annotations: { note: "x" } } }), ...YC],
  ["run", "web", "--image=httpd", ov({ spec: { containers: [{ name: "web", image: "nginx", resources: {} }] } }), ...YC],
  ["run", "web", "--image=httpd", ov({ metadata: { labels: null } }), "--dry-run=client", "-o", "jsonpath={.metadata}"],
  ["run", "web", "--image=httpd", NODE01, "--dry-run=client"],
  ["run", "web", "--image=httpd", NODE01, "--dry-run=server", "-o", "yaml"],
  ["run", "web", "--image=httpd", "--overrides", JSON.stringify({ spec: { nodeName: "node02" } }), "--dry-run=server"],
  ["run", "web", "--image=httpd", ov({ metadata: { name: "other" } }), "--dry-run=server"],
  ["run", "web", "--image=httpd", ov({ metadata: { name: "other" } }), "--dry-run=client", "-o", "name"],
  ["run", "web", "--image=httpd", NODE01],
  ["get", "pod", "web", "-o", "jsonpath={.spec.nodeName}"],
  ["run", "web", "--image=httpd", NODE01],
  // json (RFC 6902)
  ["run", "api", "--image=httpd", ov([{ op: "add", path: "/spec/nodeName", value: "node02" }]), "--override-type=json", ...YC],
  ["run", "api", "--image=httpd", ov([{ op: "replace", path: "/spec/containers/0/image", value: "nginx" }]), "--override-type=json", ...YC],
  ["run", "api", "--image=httpd", ov([{ op: "add", path: "/metadata/labels/tier", value: "back" }, { op: "remove", path: "/metadata/labels/run" }]), "--override-type=json", ...YC],
  ["run", "api", "--image=httpd", ov([{ op: "test", path: "/spec/restartPolicy", value: "Always" }, { op: "add", path: "/spec/hostname", value: "h1" }]), "--override-type=json", ...YC],
  ["run", "api", "--image=httpd", ov([]), "--override-type=json", ...YC],
  ["run", "api", "--image=httpd", ov([{ op: "add", path: "/spec/nodeName", value: "node02" }]), "--override-type=json"],
  ["get", "pod", "api", "-o", "jsonpath={.spec.nodeName}"],
  // strategic
  ["run", "db", "--image=redis", ov({ spec: { containers: [{ name: "db", stdin: true, tty: true }] } }), "--override-type=strategic", ...YC],
  ["run", "db", "--image=redis", ov({ metadata: { labels: { app: "db" } } }), "--override-type=strategic", "-o", "name", "--dry-run=client"],
  ["run", "db", "--image=redis", ov({ spec: { containers: [{ name: "db", $patch: "delete" }] } }), "--override-type=strategic", ...YC],
  ["run", "db", "--image=redis", ov({ spec: { containers: [{ name: "db", imagePullPolicy: "IfNotPresent" }] } }), "--override-type=strategic"],
  ["get", "pod", "db", "-o", "jsonpath={.spec.containers[0].imagePullPolicy}"],
  // An override type without an override is never looked at.
  ["run", "x", "--image=httpd", "--overrides=", "--override-type=bogus", ...YC],
  // Bad input: the flag's JSON, the override type, a patch that fails, the decode.
  ["run", "x", "--image=httpd", "--overrides={bad", ...YC],
  ["run", "x", "--image=httpd", '--overrides="x"', ...YC],
  ["run", "x", "--image=httpd", "--overrides=null", ...YC],
  ["run", "x", "--image=httpd", "--overrides=[1]", ...YC],
  ["run", "x", "--image=httpd", "--overrides={bad", "--override-type=json", ...YC],
  ["run", "x", "--image=httpd", '--overrides=[{"op":"add",}]', "--override-type=json", ...YC],
  ["run", "x", "--image=httpd", '--overrides=[{"op":"add"', "--override-type=json", ...YC],
  ["run", "x", "--image=httpd", "--overrides=[tru]", "--override-type=json", ...YC],
  ["run", "x", "--image=httpd", ov({ spec: 1 }), "--override-type=json", ...YC],
  ["run", "x", "--image=httpd", ov("x"), "--override-type=json", ...YC],
  ["run", "x", "--image=httpd", ov([1]), "--override-type=json", ...YC],
  ["run", "x", "--image=httpd", ov([{ op: "bogus", path: "/spec" }]), "--override-type=json", ...YC],
  ["run", "x", "--image=httpd", ov([{ path: "/spec" }]), "--override-type=json", ...YC],
  ["run", "x", "--image=httpd", ov([{ op: "test", path: "/spec/restartPolicy", value: "Never" }]), "--override-type=json", ...YC],
  ["run", "x", "--image=httpd", "--overrides={bad", "--override-type=strategic", ...YC],
  ["run", "x", "--image=httpd", "--overrides=[1]", "--override-type=strategic", ...YC],
  ["run", "x", "--image=httpd", NODE01, "--override-type=bogus", ...YC],
  ["run", "x", "--image=httpd", NODE01, "--override-type=JSON", ...YC],
  ["run", "x", "--image=httpd", ov({ apiVersion: "v2" }), ...YC],
  ["run", "x", "--image=httpd", ov({ apiVersion: "apps/v1" }), ...YC],
  ["run", "x", "--image=httpd", ov({ apiVersion: null }), ...YC],
  ["run", "x", "--image=httpd", ov({ kind: null }), ...YC],
  ["run", "x", "--image=httpd", ov({ metadata: { namespace: "kube-system" } }), "--dry-run=server"],
  ["run", "x", "--image=httpd", ov({ metadata: { name: "Bad_Name" } })],
  ["run", "x", "--image=httpd", ov({ spec: { restartPolicy: "Sometimes" } })],
  ["get", "pods"],
  // expose
  ["expose", "pod", "web", "--port=80", ov({ spec: { type: "NodePort" } }), ...YC],
  ["expose", "pod", "web", "--port=80", ov({ spec: { type: "NodePort" } }), "-o", "json", "--dry-run=client"],
  ["expose", "pod", "web", "--port=80", ov([{ op: "replace", path: "/spec/ports/0/targetPort", value: 8080 }]), "--override-type=json", ...YC],
  ["expose", "pod", "web", "--port=80", ov({ spec: { ports: [{ port: 80, name: "http" }] } }), "--override-type=strategic", ...YC],
  ["expose", "pod", "web", "--port=80", ov({ metadata: { name: "web-alt" } }), "--dry-run=server"],
  ["expose", "pod", "web", "--port=80", ov({ spec: { type: "NodePort" } })],
  ["get", "svc", "web", "-o", "jsonpath={.spec.type}"],
  ["expose", "pod", "web", "--port=80", "--name=web2", "--overrides={bad"],
  ["expose", "pod", "web", "--port=80", "--name=web2", ov({ spec: {} }), "--override-type=yaml"],
  ["expose", "pod", "web", "--port=80", "--name=web2", ov([{ op: "remove", path: "/spec/selector/run" }, { op: "test", path: "/spec/selector", value: [] }]), "--override-type=json"],
  ["expose", "pod", "web", "--port=80", "--name=web2", ov({ spec: { type: "Bogus" } })],
  ["get", "svc"],
  // Documented differences (KNOWN_DIFFERENCES): the typed decode's pruning,
  // zero structs and type errors; the shared JSON patch's and strategic
  // merge's texts and list order; a kind change.
  ["run", "x", "--image=httpd", ov({ spec: { foo: 1, nodeName: "" } }), ...YC],
  ["run", "x", "--image=httpd", ov({ status: null }), ...YC],
  ["run", "x", "--image=httpd", ov({ spec: { nodeName: 5 } }), ...YC],
  ["run", "x", "--image=httpd", ov({ spec: { containers: [{ name: "side", image: "busybox" }] } }), "--override-type=strategic", ...YC],
  ["run", "x", "--image=httpd", ov([{ op: "replace", path: "/spec/nope/x", value: 1 }]), "--override-type=json", ...YC],
  ["run", "x", "--image=httpd", ov([{ op: "remove", path: "/spec/nodeName" }]), "--override-type=json", ...YC],
  ["run", "x", "--image=httpd", ov({ kind: "Service" }), ...YC],
];

/**
 * Documented differences (docs/fidelity.md), the same for every client minor,
 * run as `it.fails` (1-based positions in STEPS): the last seven steps.
 */
const DIFFERING = [67, 68, 69, 70, 71, 72, 73];
const KNOWN_DIFFERENCES: Record<string, number[]> = { "32": DIFFERING, "33": DIFFERING, "27": DIFFERING };

for (const vc of VERSION_CASES) describe.skipIf(!haveBundled(vc.minor))(`kubectl conformance: run and expose --overrides, server ${vc.server}, kubectl 1.${vc.minor} (${STEPS.length} steps)`, () => {
  const suite = useTwinServers({ name: "overrides", minor: vc.minor, build: (wall) => buildFixture(wall, vc.server) });
  const env = (who: string) => ({ HOME: join(suite.dir, who), KUBECONFIG: join(suite.dir, `${who}.config`) });

  const norm = (r: Run) => ({
    ...r,
    stdout: r.stdout
      .replace(/uid: [0-9a-f-]+/g, "uid: X")
      .replace(/creationTimestamp: "[^"]+"/g, "creationTimestamp: X")
      .replace(/kube-api-access-[a-z0-9]{5}/g, "kube-api-access-X"),
  });

  for (const [k, args] of STEPS.entries()) {
    const n = k + 1;
    const differs = (KNOWN_DIFFERENCES[vc.minor] ?? []).includes(n);
    // Steps build on each other (the pod expose selects, the second create of a name): they run in order.
    (differs ? it.fails : it)(`${n}: kubectl ${args.join(" ")}${differs ? " (documented difference)" : ""}`, async () => {
      const want = await runReal(suite.oracle, args, env("real"));
      const got = await runEmulated(args, env("emulated"));
      dumpPair(`overrides-${vc.minor}-${n}`, args, want, got);
      expect(norm(got)).toEqual(norm(want));
    }, 60_000);
  }
});
