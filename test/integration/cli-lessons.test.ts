// The instructor's commands, as run from a shell: `kubelab lint-lessons DIR`
// reports file:line problems and exits 1; `kubelab test-lessons DIR` proves a
// lesson's steps and ends with the "N passed, N failed" line.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const cli = join(import.meta.dirname, "..", "..", "server", "bin", "kubelab.mjs");
const dir = mkdtempSync(join(tmpdir(), "kubelab-lessons-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function kubelab(...args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 120_000 });
}

function lesson(name: string, text: string): string {
  const d = join(dir, name);
  mkdirSync(join(d, "l"), { recursive: true });
  writeFileSync(join(d, "l", "index.md"), text);
  return d;
}

describe("kubelab lint-lessons and test-lessons", () => {
  it("reports a broken lesson with file and line, and fails", () => {
    const d = lesson("broken", "---\nid: l\ntitle: L\ndescription: d\norder: 1\nbogus: 1\n---\n\n## Step: A {#a}\n\n```yaml check\nkind: nosuch\n```\n");
    const r = kubelab("lint-lessons", d);
    expect(r.status).toBe(1);
    const file = join(d, "l", "index.md");
    expect(r.stdout).toContain(`${file}:6: unknown front matter key \`bogus\``);
    expect(r.stdout).toContain(`${file}:12: unknown check kind "nosuch"`);
  });

  it("proves a good lesson: its check fails before the solution and passes after", () => {
    const d = lesson(
      "good",
      [
        "---",
        "id: l",
        "title: L",
        "description: d",
        "order: 1",
        "---",
        "",
        "## Step: Make a namespace {#ns}",
        "",
        "```yaml check",
        "kind: resource",
        "resource: namespaces",
        "name: shop",
        "```",
        "",
        "::: solution",
        "```bash",
        "kubectl create namespace shop",
        "```",
        ":::",
        "",
      ].join("\n"),
    );
    expect(kubelab("lint-lessons", d).status).toBe(0);
    const r = kubelab("test-lessons", d);
    expect(r.stdout.trim().split("\n").at(-1)).toBe("1 passed, 0 failed");
    expect(r.status).toBe(0);
  });
});
