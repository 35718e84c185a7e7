import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { formatProblem } from "../../src/lessons/lesson.ts";
import { lintLessons } from "../../src/lessons/lint.ts";
import { loadLessons, parseLesson } from "../../src/lessons/loader.ts";
import { createLessonRenderer, type LessonRenderer } from "../../src/lessons/render.ts";
import { expandWords } from "../../src/lessons/shell.ts";

const root = join(import.meta.dirname, "..", "..");

const LESSON = `---
id: demo
title: Demo
description: A demo lesson.
order: 1
duration: 5 min
cluster:
  clockSpeed: 5
setup:
  - run: kubectl create deployment web --image=httpd
    unless: { kind: resource, resource: deployments, name: web }
---

# Demo

Click \`kubectl get nodes\`{{exec}} or copy \`kubectl version\`{{copy}}.

## Step: List the nodes {#nodes}

\`\`\`bash
kubectl get nodes -o "jsonpath={.items[*].metadata.name}" && echo <done>
\`\`\`

\`\`\`
kubectl get po -owide
\`\`\`{{exec}}

::: warning Careful
Text in a box.
:::

\`\`\`yaml check
kind: command
run: kubectl get nodes
\`\`\`

::: hint
First hint.
:::

::: hint Second
Second hint.
:::

::: solution
\`\`\`bash
# list them
kubectl get nodes \\
  -o wide
\`\`\`
:::

## Step: Two pods

\`\`\`console
$ kubectl get pods
NAME   READY
\`\`\`

\`\`\`yaml check
- kind: pods
  selector: app=web
  count: 2
\`\`\`

::: solution
\`\`\`bash
kubectl scale deployment web --replicas=2
\`\`\`
:::

## Summary

Done.
`;

describe("lesson format", () => {
  it("parses front matter, steps, checks, hints and solutions with their lines", () => {
    const { lesson, problems } = parseLesson("demo/index.md", LESSON, "demo");
    expect(problems).toEqual([]);
    expect(lesson).toMatchObject({ id: "demo", order: 1, duration: 5, cluster: { clockSpeed: 5 } });
    expect(lesson!.setup[0]).toMatchObject({ run: "kubectl create deployment web --image=httpd", unless: { kind: "resource", name: "web" }, line: 10 });
    const [a, b] = lesson!.steps;
    expect(a).toMatchObject({ id: "nodes", title: "List the nodes", line: 18, checks: [{ kind: "command", run: "kubectl get nodes" }] });
    expect(a!.hints.map((h) => h.markdown)).toEqual(["First hint.", "Second hint."]);
    expect(a!.solution!.commands).toEqual(["kubectl get nodes    -o wide"]);
    expect(a!.body.markdown).not.toContain("yaml check");
    expect(a!.body.markdown).not.toContain("First hint");
    expect(b).toMatchObject({ id: "two-pods", checks: [{ kind: "pods", selector: "app=web", count: 2 }] });
    expect(lesson!.finish!.markdown).toBe("## Summary\n\nDone.");
  });

  it("reports problems as file:line", () => {
    const bad = LESSON.replace("clockSpeed: 5", "clockspeed: 5").replace("kind: command", "kind: comand").replace("  count: 2\n", "  count: two\n");
    const { lesson, problems } = parseLesson("demo/index.md", bad, "demo");
    expect(lesson).toBeUndefined();
    expect(problems.map(formatProblem)).toEqual([
      "demo/index.md:8: unknown cluster option `clockspeed` (allowed: version, clockSpeed, legacyKubectlRun)",
      'demo/index.md:33: unknown check kind "comand" (expected one of resource, pods, replaced, command, unit)',
      "demo/index.md:63: `count` must be a number, got string",
    ]);
    const yamlError = parseLesson("x.md", LESSON.replace("order: 1", "order: [1"), "x").problems[0]!;
    expect(formatProblem(yamlError)).toMatch(/^x\.md:\d+: bad YAML in front matter/);
    expect(parseLesson("x.md", "# no front matter", "x").problems.map(formatProblem)).toEqual(["x.md:1: a lesson starts with YAML front matter between --- lines"]);
    const unclosed = parseLesson("x.md", LESSON.replace("Second hint.\n:::", "Second hint."), "x").problems.map(formatProblem);
    const hintLine = LESSON.split("\n").indexOf("::: hint Second") + 1;
    expect(unclosed[0]).toMatch(new RegExp(`^x\\.md:${hintLine}: ::: hint is not closed`));
  });

  it("loads a folder: a broken lesson does not stop the others", () => {
    const dir = mkdtempSync(join(tmpdir(), "lessons-"));
    mkdirSync(join(dir, "01-good"));
    writeFileSync(join(dir, "01-good", "index.md"), LESSON.replace("id: demo", "id: 01-good"));
    writeFileSync(join(dir, "01-good", "app.yaml"), "kind: Pod\n");
    mkdirSync(join(dir, "02-bad"));
    writeFileSync(join(dir, "02-bad", "index.md"), "---\nid: 02-bad\ntitle: x\n---\n");
    const { lessons, errors } = loadLessons(dir);
    expect(lessons.map((l) => [l.id, l.files])).toEqual([["01-good", ["app.yaml"]]]);
    expect(errors.map((e) => e.file)).toEqual(expect.arrayContaining([join(dir, "02-bad", "index.md")]));
    expect(errors.every((e) => e.line > 0)).toBe(true);
  });

  it("the workbook's lessons load and lint clean", async () => {
    const { lessons, errors } = loadLessons(join(root, "lessons"));
    expect(errors.filter((e) => e.severity === "error").map(formatProblem)).toEqual([]);
    expect(lessons.map((l) => l.id)).toEqual(["01-cluster-tour", "02-run-a-workload", "03-self-healing", "04-the-kubelet"]);
    expect(lessons[1]!.cluster.legacyKubectlRun).toBe(true);
    const problems = await lintLessons(join(root, "lessons"));
    expect(problems.filter((p) => p.severity === "error").map(formatProblem)).toEqual([]);
  });
});

describe("rendering", () => {
  let renderer: LessonRenderer;
  beforeAll(async () => {
    renderer = await createLessonRenderer();
  });

  it("puts Run and Copy on shell blocks with the command HTML-escaped in data-command", () => {
    const { lesson } = parseLesson("demo/index.md", LESSON, "demo");
    const r = renderer.renderLesson(lesson!);
    const step = r.steps[0]!;
    expect(step.html).toContain(
      '<div class="code-block command language-bash" data-command="kubectl get nodes -o &quot;jsonpath={.items[*].metadata.name}&quot; &amp;&amp; echo &lt;done&gt;"><div class="code-actions"><button class="run" data-action="run">Run</button><button class="copy" data-action="copy">Copy</button></div><pre class="shiki github-light"',
    );
    // Killercoda's ```{{exec}} closer: a runnable block, highlighted as plain text.
    expect(step.html).toContain('data-command="kubectl get po -owide"><div class="code-actions"><button class="run" data-action="run">Run</button>');
    expect(step.html).toContain('<div class="custom-block warning"><p class="custom-block-title">Careful</p>');
    expect(step.hints).toEqual(["<p>First hint.</p>\n", "<p>Second hint.</p>\n"]);
    expect(step.solution!.commands).toEqual(["kubectl get nodes    -o wide"]);
    expect(step.solution!.html).toContain("data-command=");
    // console blocks run only their prompt lines.
    expect(r.steps[1]!.html).toContain('data-command="kubectl get pods"');
    expect(r.html).toContain('<code class="inline-command run" data-action="run" data-command="kubectl get nodes" title="Click to run">kubectl get nodes</code> or copy <code class="inline-command copy" data-action="copy"');
    expect(r.finishHtml).toContain('<h2 id="summary"');
    expect(renderer.renderLesson(lesson!)).toBe(r);
  });

  it("shows an unknown language as plain text and warns with the file line", () => {
    const { html, warnings } = renderer.renderMarkdown({ markdown: "text\n\n```rust\nfn main() {}\n```\n", line: 40 }, "x.md");
    expect(html).toContain("<span>fn main() {}</span>");
    expect(warnings.map(formatProblem)).toEqual(['x.md:42: warning: unknown code language "rust", shown as plain text (known: bash, shell, console, yaml, json, text)']);
  });

  it("renders tip, info, danger and details containers", () => {
    const { html } = renderer.renderMarkdown({ markdown: "::: tip\nA\n:::\n\n::: details Why?\nB\n:::\n", line: 1 });
    expect(html).toBe('<div class="custom-block tip"><p class="custom-block-title">TIP</p>\n<p>A</p>\n</div>\n<details class="custom-block details"><summary>Why?</summary>\n<p>B</p>\n</details>\n');
  });
});

describe("lesson shell words", () => {
  it("honours quotes and substitutes $(…)", async () => {
    const sub = async (inner: string) => (inner.startsWith("kubectl") ? "pod-a\n" : "");
    expect(await expandWords(`kubectl get pods -o jsonpath='{.items[0].metadata.name}'`, sub)).toEqual(["kubectl", "get", "pods", "-o", "jsonpath={.items[0].metadata.name}"]);
    expect(await expandWords(`kubectl delete pod $(kubectl get pods -o name)`, sub)).toEqual(["kubectl", "delete", "pod", "pod-a"]);
    expect(await expandWords(`echo "a $(kubectl x) b"`, sub)).toEqual(["echo", "a pod-a b"]);
    await expect(expandWords("kubectl get pods | grep web", sub)).rejects.toThrow(/does not support `\|`/);
  });
});
