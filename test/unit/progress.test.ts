import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../src/progress/migrations.ts";
import { ProgressStore } from "../../src/progress/store.ts";

const dirs: string[] = [];
function tempDb(): string {
  const d = mkdtempSync(join(tmpdir(), "kubelab-progress-"));
  dirs.push(d);
  return join(d, "kubelab.db");
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("ProgressStore", () => {
  it("keeps sessions, finished steps and the current lesson across a reopen (server restart)", () => {
    const file = tempDb();
    const a = new ProgressStore(file);
    a.createSession("s1", 1000);
    a.setCurrentLesson("s1", "01-run");
    expect(a.markDone("s1", "01-run", "create-deployment", 2000)).toBe(true);
    expect(a.markDone("s1", "01-run", "create-deployment", 3000)).toBe(false);
    a.markDone("s1", "02-get", "nodes", 2500);
    const secret = a.setting("cookie-secret", () => "abc");
    a.close();

    const b = new ProgressStore(file);
    expect(b.version).toBe(MIGRATIONS.length);
    expect(b.session("s1")).toEqual({ id: "s1", created: 1000, currentLesson: "01-run" });
    expect(b.progress("s1", "01-run")).toEqual([{ lesson: "01-run", step: "create-deployment", doneAt: 2000 }]);
    expect(b.progress("s1").map((p) => p.step)).toEqual(["create-deployment", "nodes"]);
    expect(b.setting("cookie-secret", () => "other")).toBe(secret);
    b.close();
  });

  it("resets one lesson's steps and leaves the others", () => {
    const s = new ProgressStore(":memory:");
    s.createSession("s1", 0);
    s.markDone("s1", "a", "x", 1);
    s.markDone("s1", "b", "y", 2);
    s.resetLesson("s1", "a");
    expect(s.progress("s1")).toEqual([{ lesson: "b", step: "y", doneAt: 2 }]);
  });

  it("records commands per session, oldest first, bounded by limit", () => {
    const s = new ProgressStore(":memory:");
    s.createSession("s1", 0);
    s.createSession("s2", 0);
    s.addCommand("s1", { time: 1, node: "master", argv: ["kubectl", "get", "pods"], exitCode: 0 });
    s.addCommand("s1", { time: 2, node: "node01", argv: ["systemctl", "restart", "kubelet"], exitCode: 0 });
    s.addCommand("s1", { time: 3, node: "master", argv: [], exitCode: null, line: "ls | wc -l" });
    s.addCommand("s2", { time: 4, node: "master", argv: ["hostname"], exitCode: 0 });
    expect(s.commands("s1").map((c) => c.time)).toEqual([1, 2, 3]);
    expect(s.commands("s1", 2).map((c) => c.time)).toEqual([2, 3]);
    expect(s.commands("s1")[2]).toEqual({ time: 3, node: "master", argv: [], exitCode: null, line: "ls | wc -l" });
    expect(s.commands("s2")).toHaveLength(1);
  });

  it("refuses a database written by a newer kubelab instead of corrupting it", () => {
    const file = tempDb();
    const a = new ProgressStore(file);
    a.close();
    const raw = new ProgressStore(file);
    (raw as unknown as { db: { pragma(s: string): void } }).db.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    raw.close();
    expect(() => new ProgressStore(file)).toThrow(/newer than this kubelab/);
  });
});
