// Every lesson, headless, on a fresh cluster: each step's checks fail before
// its solution and pass after it (src/lessons/runner.ts). Waits for
// src/cluster.ts: until the cluster exists the suite is skipped.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type CreateCluster, fakeClusterFactory } from "../../src/lessons/cluster-env.ts";
import { loadLessons } from "../../src/lessons/loader.ts";
import { formatReport, testLesson } from "../../src/lessons/runner.ts";

const root = join(import.meta.dirname, "..", "..");
const clusterFile = join(root, "src", "cluster.ts");
const { lessons } = loadLessons(join(root, "lessons"));

describe.skipIf(!existsSync(clusterFile))("lessons, headless", () => {
  for (const lesson of lessons) {
    it(`${lesson.id}: every step fails before its solution and passes after`, async () => {
      const mod = (await import(/* @vite-ignore */ clusterFile)) as { createCluster: CreateCluster };
      const result = await testLesson(lesson, fakeClusterFactory(mod.createCluster));
      const report = formatReport({ ok: result.ok, loadErrors: [], lessons: [result] });
      expect(result.ok, report).toBe(true);
    }, 300_000);
  }
});
