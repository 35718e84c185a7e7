// Conformance for `kubectl edit` and `kubectl set resources`: the same steps
// run through the real kubectl (the bundled one of the server's minor: 1.32,
// 1.33, 1.27) against one cluster and through the emulated kubectl against an
// identical second cluster. Editors are small
// shell scripts (KUBE_EDITOR) that record the file they were given and change
// it with sed, so the file kubectl writes (header, YAML, error comments) is
// compared too, as are stdout, stderr and the exit code of every step.

import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildFixture } from "./fixture.ts";
import { haveBundled, type Run, VERSION_CASES, useTwinServers, runEmulatedIn, runRealIn } from "./harness.ts";

/** Editor scripts: each appends what it was given to $EDIT_CAPTURE first. */
const EDITORS: Record<string, string> = {
  // Changes the replicas of the first object.
  "replicas.sh": `sed -i '0,/^  replicas: [0-9]*/s//  replicas: 3/' "$1"`,
  "noop.sh": `true`,
  "empty.sh": `: > "$1"`,
  "fails.sh": `exit 3`,
  // Makes the object invalid; when reopened with the error, gives up (saves unchanged).
  "invalid.sh": `grep -q 'was not valid' "$1" || sed -i 's/^  replicas: [0-9]*/  replicas: -1/' "$1"`,
  // Makes the object invalid, then fixes it when reopened.
  "fixes.sh": `if grep -q 'was not valid' "$1"; then sed -i 's/^  replicas: -1/  replicas: 4/' "$1"; else sed -i 's/^  replicas: [0-9]*/  replicas: -1/' "$1"; fi`,
  // Breaks the YAML, then gives up.
  "syntax.sh": `grep -q 'not valid\\|syntax error' "$1" || printf 'spec:\\n  replicas: [\\n' >> "$1"`,
  "rename.sh": `sed -i 's/^  name: test-web$/  name: other/' "$1"`,
  "image.sh": `sed -i 's/image: httpd$/image: httpd:2.4/' "$1"`,
  "label.sh": `sed -i 's/^    app: test-web$/    app: test-web\\n    tier: front/' "$1"`,
};

type Step = { args: string[]; editor?: string };

const STEPS: Step[] = [
  { args: ["edit", "deployment", "test-web"], editor: "replicas.sh" },
  { args: ["get", "deploy", "test-web", "-o", "jsonpath={.spec.replicas}"] },
  { args: ["edit", "deploy/test-web"], editor: "noop.sh" },
  { args: ["edit", "deploy/test-web"], editor: "empty.sh" },
  { args: ["edit", "deploy/test-web"], editor: "fails.sh" },
  { args: ["edit", "deploy/test-web"], editor: "/nonexistent/editor" },
  { args: ["edit", "deploy/test-web"], editor: "/no-such-editor-in-path" },
  { args: ["edit", "deploy/test-web"], editor: "invalid.sh" },
  { args: ["edit", "deploy/test-web"], editor: "fixes.sh" },
  { args: ["get", "deploy", "test-web", "-o", "jsonpath={.spec.replicas}"] },
  { args: ["edit", "deploy/test-web"], editor: "syntax.sh" },
  { args: ["edit", "deploy/test-web"], editor: "rename.sh" },
  { args: ["edit", "svc", "kubernetes"], editor: "noop.sh" },
  { args: ["edit", "deploy/nosuch"], editor: "noop.sh" },
  { args: ["edit"], editor: "noop.sh" },
  { args: ["edit", "deploy/test-web", "--validate=false"], editor: "empty.sh" },
  // Several objects are edited as one v1 List.
  { args: ["edit", "deploy"], editor: "noop.sh" },
  { args: ["edit", "deploy/test-web", "svc/kubernetes"], editor: "replicas.sh" },
  { args: ["edit", "deploy/test-web", "-o", "wide"], editor: "noop.sh" },
  { args: ["edit", "deploy/test-web", "--subresource=scale"], editor: "noop.sh" },
  { args: ["edit", "deploy/test-web", "--subresource=scale"], editor: "replicas.sh" },
  { args: ["edit", "deploy/test-web", "--subresource=foo"], editor: "noop.sh" },
  { args: ["edit", "deploy/test-web", "--windows-line-endings"], editor: "noop.sh" },
  { args: ["edit", "deploy/test-web", "-o", "name"], editor: "label.sh" },
  { args: ["edit", "deploy/test-web", "-o", "yaml"], editor: "label.sh" },
  { args: ["edit", "deploy/test-web", "--output-patch"], editor: "replicas.sh" },
  // The label is there already: a duplicate key with the same value is no change.
  { args: ["edit", "deploy/test-web"], editor: "label.sh" },
  { args: ["edit", "deploy/test-web", "--save-config"], editor: "image.sh" },
  { args: ["get", "deploy", "test-web", "-o", "jsonpath={.metadata.annotations}"] },
  // set resources
  { args: ["set", "resources", "deployment/test-web", "-c=httpd", "--limits=cpu=200m,memory=512Mi", "--requests=cpu=100m,memory=256Mi"] },
  { args: ["set", "resources", "deployment/test-web", "-c=httpd", "--limits=cpu=200m,memory=512Mi"] },
  { args: ["set", "resources", "deploy", "test-web", "--limits=cpu=0.5,memory=1024Mi"] },
  { args: ["get", "deploy", "test-web", "-o", "jsonpath={.spec.template.spec.containers[0].resources}"] },
  { args: ["set", "resources", "deploy/test-web", "-c=nope", "--limits=cpu=1"] },
  { args: ["set", "resources", "deploy/test-web"] },
  { args: ["set", "resources", "deploy/test-web", "--limits=cpu"] },
  { args: ["set", "resources", "deploy/test-web", "--limits=cpu=abc"] },
  { args: ["set", "resources", "deploy/nosuch", "--limits=cpu=1"] },
  { args: ["set", "resources", "deploy/test-web", "--requests=memory=1Gi", "--dry-run=client"] },
  { args: ["set", "resources", "deploy/test-web", "--requests=memory=64Mi", "-o", "name"] },
  { args: ["set", "resources", "deploy/test-web", "--limits=cpu=-1"] },
  { args: ["set", "resources", "deploy", "--all", "--limits=cpu=300m"] },
  { args: ["set", "resources", "deploy", "-l", "app=test-web", "-c", "h*", "--requests=cpu=50m"] },
  { args: ["set", "resources", "deploy", "--all", "-l", "app=x", "--limits=cpu=1"] },
  { args: ["set", "resources", "deploy", "-l", "app=nomatch", "--limits=cpu=1"] },
  { args: ["set", "resources", "pods", "--all", "--limits=cpu=1"] },
  { args: ["set", "resources", "svc/kubernetes", "--limits=cpu=1"] },
  { args: ["set", "resources", "--limits=cpu=1"] },
];

/**
 * Documented differences, by client minor, run as `it.fails` (1-based
 * positions in STEPS, as a command line may repeat).
 */
const KNOWN_DIFFERENCES: Record<string, number[]> = {};

for (const vc of VERSION_CASES) describe.skipIf(!haveBundled(vc.minor))(`kubectl conformance: edit, set resources, server ${vc.server}, kubectl 1.${vc.minor}`, () => {
  const suite = useTwinServers({
    name: "edit",
    minor: vc.minor,
    build: (wall) => buildFixture(wall, vc.server),
    prepare: (root) => {
      mkdirSync(join(root, "editors"));
      for (const [name, body] of Object.entries(EDITORS)) {
        writeFileSync(join(root, "editors", name), `#!/bin/sh\ncat "$1" >> "$EDIT_CAPTURE"\n${body}\n`);
        chmodSync(join(root, "editors", name), 0o755);
      }
      for (const who of ["real", "emulated"]) mkdirSync(join(root, who, "tmp"), { recursive: true });
    },
  });
  const env = (who: string, editor?: string) => ({
    // Both clients look editors up on the host's PATH.
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: join(suite.dir, who),
    KUBECONFIG: join(suite.dir, `${who}.config`),
    TMPDIR: join(suite.dir, who, "tmp"),
    EDIT_CAPTURE: join(suite.dir, who, "seen.txt"),
    ...(editor ? { KUBE_EDITOR: editor.startsWith("/no-such") ? editor.slice(1) : editor.startsWith("/") ? editor : join(suite.dir, "editors", editor) } : {}),
  });


  const norm = (s: string, who: string) =>
    s
      .replaceAll(join(suite.dir, who), "DIR")
      .replace(/kubectl-edit-\d+\.yaml/g, "kubectl-edit-N.yaml")
      .replace(/uid: [0-9a-f-]+/g, "uid: X")
      .replace(/\\"uid\\":\\"[0-9a-f-]+\\"/g, "UID")
      .replace(/\\"creationTimestamp\\":\\"[^\\]+\\"/g, "CREATED")
      // go-yaml and the yaml package word syntax errors differently (and count lines a little differently).
      .replace(/yaml: line \d+: [^\n]*/g, "yaml: line N: …")
      .replace(/creationTimestamp: "[^"]+"/g, "creationTimestamp: X");
  const seen = (who: string) => {
    try {
      return norm(readFileSync(join(suite.dir, who, "seen.txt"), "utf8"), who);
    } catch {
      return "";
    }
  };
  for (const [k, step] of STEPS.entries()) {
    const differs = (KNOWN_DIFFERENCES[vc.minor] ?? []).includes(k + 1);
    (differs ? it.fails : it)(`${k + 1}: kubectl ${step.args.join(" ")}${step.editor ? ` (editor ${step.editor})` : ""}${differs ? " (documented difference)" : ""}`, async () => {
      for (const who of ["real", "emulated"]) writeFileSync(join(suite.dir, who, "seen.txt"), "");
      const want = await runRealIn(suite.oracle, step.args, env("real", step.editor), suite.dir);
      const got = await runEmulatedIn(step.args, env("emulated", step.editor), suite.dir);
      const view = (r: Run, who: string) => ({ code: r.code, stdout: norm(r.stdout, who), stderr: norm(r.stderr, who), editorSaw: seen(who) });
      expect(view(got, "emulated")).toEqual(view(want, "real"));
    });
  }
});
