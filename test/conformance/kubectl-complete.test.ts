// Conformance for shell completion: `kubectl __complete …` (what the bash
// script `kubectl completion bash` runs on every TAB) through the real kubectl
// (the bundled one of the server's minor: 1.32, 1.33, 1.27) and the emulated
// one against the same fixture cluster over HTTPS; stdout (candidates and the
// :directive line) and stderr must match. Also: `kubectl completion bash`
// prints that kubectl's own script.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApiServer } from "../../src/apiserver/server.ts";
import { buildFixture } from "./fixture.ts";
import { dumpPair, haveBundled, oracleBinary, runEmulated, runReal, VERSION_CASES, serveOne } from "./harness.ts";

const CASES: string[][] = [
  [""], ["g"], ["get", ""], ["get", "po"], ["get", "pods,s"], ["get", "pods", ""], ["get", "pods", "t"], ["get", "pod", "test-web-7c7cd49dbf-x2k9q", ""],
  ["get", "deploy/"], ["get", "-n", ""], ["get", "-n=kube"], ["get", "--namespace=kube-system", "svc", ""], ["-n", "kube-system", "get", "svc", ""],
  ["get", "-A", "pods", ""], ["get", "--o"], ["get", "-o", ""], ["get", "-o", "j"], ["get", "--"], ["get", "-"], ["describe", "deploy", ""],
  ["describe", "deploy/test-web", ""], ["delete", "pod,svc", ""], ["create", ""], ["create", "deployment", "--"], ["create", "deploy", "x", "--image", ""],
  ["set", ""], ["set", "image", ""], ["set", "image", "deploy", ""], ["set", "image", "deploy/test-web", ""], ["set", "env", ""], ["logs", ""],
  ["logs", "test-web-7c7cd49dbf-x2k9q", ""], ["logs", "deployments/"], ["exec", ""], ["apply", "-f", ""], ["apply", ""], ["label", "deploy", ""],
  ["annotate", "deploy", "test-web", "a", ""], ["scale", ""], ["scale", "deploy", "test-web", ""], ["scale", "deploy/test-web", ""], ["edit", ""],
  ["patch", "deploy", ""], ["rollout", ""], ["rollout", "status", ""], ["cordon", ""], ["top", "node", ""], ["taint", "node", ""], ["config", ""],
  ["version", ""], ["--namespace", ""],
];

/** Every command path kubectl 1.32 has (the recording's), for the listings of each one's flags and subcommands. */
const PATHS = Object.keys(
  (JSON.parse(readFileSync(new URL("../../src/kubectl/completion/kubectl-1.32-complete.json", import.meta.url), "utf8")) as { commands: Record<string, unknown> }).commands,
);

for (const vc of VERSION_CASES) describe.skipIf(!haveBundled(vc.minor))(`kubectl conformance: shell completion, server ${vc.server}, kubectl 1.${vc.minor}`, () => {
  let dir: string;
  let oracle: string;
  let server: RunningApiServer;
  const env = () => ({ HOME: join(dir, "home"), KUBECONFIG: join(dir, "config") });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kubelab-conformance-complete-"));
    mkdirSync(join(dir, "home"), { recursive: true });
    oracle = oracleBinary(dir, vc.minor);
    const wall = Date.now();
    const fx = await buildFixture(wall, vc.server);
    const token = "tok-conformance-0123456789abcdef";
    server = await serveOne({ dir, api: fx.api, token, wallClockMs: wall });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const args of CASES) {
    it(`kubectl __complete ${args.join(" ")}`, async () => {
      const want = await runReal(oracle, ["__complete", ...args], env());
      const got = await runEmulated(["__complete", ...args], env());
      dumpPair(`complete${vc.minor}`, ["__complete", ...args], want, got);
      expect(got).toEqual(want);
    });
  }

  // Each client's own descriptions of every command's flags (`PATH --`) and subcommands (`PATH ''`, where it has some).
  for (const kind of ["--", ""]) {
    it(`kubectl __complete PATH ${kind === "" ? "''" : kind} for the ${PATHS.length} command paths`, async () => {
      const paths = kind === "--" ? PATHS : PATHS.filter((p) => p === "" || PATHS.some((q) => q.startsWith(`${p} `)));
      const want: string[] = [];
      const got: string[] = [];
      for (const p of paths) {
        const args = ["__complete", ...(p ? p.split(" ") : []), kind];
        const real = await runReal(oracle, args, env());
        const emulated = await runEmulated(args, env());
        dumpPair(`complete${vc.minor}`, args, real, emulated);
        want.push(`$ kubectl ${args.join(" ")}\n${real.stdout}`);
        got.push(`$ kubectl ${args.join(" ")}\n${emulated.stdout}`);
      }
      expect(got).toEqual(want);
    }, 300_000);
  }

  it("completion bash prints kubectl's own script", async () => {
    const want = execFileSync(oracle, ["completion", "bash"], { encoding: "utf8" });
    const got = await runEmulated(["completion", "bash"], env());
    expect(got).toEqual({ code: 0, stdout: want, stderr: "" });
  });
});
