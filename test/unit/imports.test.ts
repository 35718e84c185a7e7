// The import rules of docs/architecture.md, checked: components talk through
// the apiserver (a Client), never to each other, and nothing in src/ reads
// the wall clock or unseeded randomness behind the cluster clock's back.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (p.endsWith(".ts")) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gms)) out.push(m[1]!);
  for (const m of text.matchAll(/import\(\s*"([^"]+)"\s*\)/g)) out.push(m[1]!);
  return out;
}

/** The top-level area of a src/ path: "controller", "kubelet", "apiserver"… */
function area(rel: string): string {
  const parts = rel.split("/");
  return parts[1]!.replace(/\.ts$/, "");
}

const COMPONENTS = ["controller", "controller-manager", "scheduler", "kubelet", "proxy", "flannel", "kubectl", "grading", "cri"];
// Data and plumbing every component may use.
const SHARED = new Set(["apimachinery", "utils", "client", "api", "printers"]);
// Narrow, documented exceptions: the kubelet serves pods/log to the apiserver
// (the real kubelet's :10250), and it runs containers through the CRI and the
// CNI plugin, as on a real node.
const ALLOWED: Record<string, string[]> = {
  kubelet: ["apiserver/kubelet-client.ts", "cri", "flannel", "host"],
  proxy: ["host"],
  flannel: ["host"],
  "controller-manager": ["controller"],
};

describe("import rules", () => {
  const srcFiles = files(join(root, "src")).map((f) => relative(root, f));

  it("keeps components apart: they share only data types and the client", () => {
    const violations: string[] = [];
    for (const rel of srcFiles) {
      const from = area(rel);
      if (!COMPONENTS.includes(from)) continue;
      for (const spec of imports(join(root, rel))) {
        if (!spec.startsWith(".")) continue;
        const target = relative(join(root, "src"), join(root, rel, "..", spec));
        const to = target.split("/")[0]!.replace(/\.ts$/, "");
        if (to === from || SHARED.has(to)) continue;
        if ((ALLOWED[from] ?? []).some((a) => target === a || to === a)) continue;
        violations.push(`${rel} imports ${target}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("never imports the web server from src/", () => {
    const bad = srcFiles.filter((rel) => imports(join(root, rel)).some((s) => s.includes("/server/") || s.startsWith("../../server")));
    expect(bad).toEqual([]);
  });

  it("reads time and randomness only through the injected clock and seeded source", () => {
    const bad: string[] = [];
    const allowed = new Set(["src/utils/clock.ts", "src/utils/activity.ts"]);
    for (const rel of srcFiles) {
      if (allowed.has(rel)) continue;
      const text = readFileSync(join(root, rel), "utf8")
        .replace(/\/\/.*$/gm, "")
        .replace(/\/\*[\s\S]*?\*\//g, "");
      for (const pat of [/\bDate\.now\(/, /\bsetTimeout\(/, /\bsetInterval\(/, /\bMath\.random\(/]) {
        if (pat.test(text)) bad.push(`${rel}: ${pat.source}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
