import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Conformance and browser suites start real processes; two cores are all CI has.
    maxWorkers: 2,
  },
});
