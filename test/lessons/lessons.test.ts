// Every lesson, headless, on a fresh cluster: each step's checks fail before
// its solution and pass after it (src/lessons/runner.ts), and the lessons lint
// clean. The same runner backs `kubelab test-lessons DIR`.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createCluster } from "../../src/cluster.ts";
import { fakeClusterFactory } from "../../src/lessons/cluster-env.ts";
import { lintLessons } from "../../src/lessons/lint.ts";
import { loadLessons } from "../../src/lessons/loader.ts";
import { formatReport, testLesson } from "../../src/lessons/runner.ts";

const dir = join(import.meta.dirname, "..", "..", "lessons");
const { lessons, errors } = loadLessons(dir);

describe("lessons, headless", () => {
  it("load and lint without problems", async () => {
    expect(errors).toEqual([]);
    expect(await lintLessons(dir)).toEqual([]);
    expect(lessons.map((l) => l.id)).toEqual(["01-cluster-tour", "02-run-a-workload", "03-self-healing", "04-the-kubelet"]);
  });

  for (const lesson of lessons) {
    it(`${lesson.id}: every step fails before its solution and passes after`, async () => {
      const result = await testLesson(lesson, fakeClusterFactory(createCluster));
      const report = formatReport({ ok: result.ok, loadErrors: [], lessons: [result] });
      expect(result.ok, report).toBe(true);
    }, 300_000);
  }
});
