// Conformance for `kubectl get -w` with the generic printers (-o json, yaml,
// name, jsonpath=…, go-template=…), --watch-only and --output-watch-events:
// the real kubectl (bundled 1.32) and the emulated one watch the same full
// emulated cluster over HTTPS at the same time; the test waits until both
// watches are open, then scales the deployment test-web and deletes one of its
// pods on the cluster's FakeClock, settling after each change, and compares
// what both printed (stdout and stderr) byte for byte. The exit codes are not
// compared: an interrupted watch ends the real kubectl with 1 (its interrupt
// handler) and the lab's with 130 (the shell's ^C); a watch that ends by
// itself (a template failing on an object) must end with the same code.

import { type ChildProcess, spawn } from "node:child_process";
import type { IncomingMessage } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningApiServer } from "../../src/apiserver/server.ts";
import { type Cluster, createCluster } from "../../src/cluster.ts";
import { GVR } from "../../src/client/interface.ts";
import { inProcessTransport } from "../../src/client/transport.ts";
import { kubectlMain } from "../../src/kubectl/kubectl.ts";
import { captureIO } from "../../src/utils/command.ts";
import { FakeClock } from "../../src/utils/clock.ts";
import { dumpPair, haveBundled, oracleBinary, serveOne } from "./harness.ts";

const WATCHES: string[][] = [
  ["get", "deployments", "-w", "-o", "json"],
  ["get", "deployments", "-w", "-o", "yaml"],
  ["get", "pods", "-w", "-o", "name"],
  ["get", "pods", "--watch", "-o", "jsonpath={.metadata.name} {.status.phase}{\"\\n\"}"],
  ["get", "pods", "-w", "-o", "jsonpath={.metadata.name}{\"\\t\"}{.status.phase}{\"\\n\"}"],
  ["get", "pods", "-w", "-o", "go-template={{.metadata.name}} {{.status.phase}} {{len .status.conditions}}\n"],
  ["get", "deployments", "--watch-only", "-o", "yaml"],
  ["get", "pods", "-w", "--watch-only", "-o", "name"],
  ["get", "deployments", "-w", "--output-watch-events", "-o", "json"],
  ["get", "deployments", "-w", "--output-watch-events", "-o", "yaml"],
  ["get", "pods", "-w", "--output-watch-events", "-o", "name"],
  ["get", "pods", "-w", "--output-watch-events", "-o", "jsonpath={.type} {.object.metadata.name}{\"\\n\"}"],
  ["get", "deployment", "test-web", "-w", "-o", "json"],
  ["get", "deploy/test-web", "-w", "--output-watch-events", "-o", "yaml"],
  ["get", "pods", "-l", "app=test-web", "-w", "-o", "name", "--show-managed-fields"],
  ["get", "deployments", "-w", "-o", "json", "--show-managed-fields"],
];

const MINOR = "32";

/** Polls (real time: the real kubectl is another process) until check() holds or about 30s pass. */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 100));
}

describe.skipIf(!haveBundled(MINOR))(`kubectl conformance: get -w with the generic printers, kubectl 1.${MINOR}`, () => {
  let dir: string;
  let oracle: string;
  let server: RunningApiServer;
  let cluster: Cluster;
  let clock: FakeClock;
  let watchRequests = 0;
  const token = "tok-conformance-watch-0123456789";
  const env = () => ({ HOME: dir, KUBECONFIG: join(dir, "config") });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kubelab-conformance-watch-"));
    oracle = oracleBinary(dir, MINOR);
    const wall = Date.now();
    clock = new FakeClock(wall - 9.5 * 3600_000);
    cluster = await createCluster({ clock, seed: 1, version: "v1.32.4" });
    await clock.advance(60_000, () => cluster.settle());
    const io = captureIO({ env: { HOME: dir } });
    const code = await kubectlMain(["create", "deployment", "test-web", "--image=httpd", "--replicas=2"], io, { transport: inProcessTransport(cluster.api), now: () => clock.now() });
    if (code !== 0) throw new Error(io.err());
    await clock.advance(120_000, () => cluster.settle());
    server = await serveOne({ dir, api: cluster.api, token, wallClockMs: wall });
    // Counts the watches opened, so the changes start only once both clients watch.
    server.server.on("request", (req: IncomingMessage) => {
      if (/[?&]watch=(true|1)/.test(req.url ?? "")) watchRequests++;
    });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  let step = 0;
  for (const args of WATCHES) {
    it(`kubectl ${args.join(" ")}`, async () => {
      step++;
      const opened = watchRequests;
      const real = { stdout: "", stderr: "" };
      const child: ChildProcess = spawn(oracle, args, { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env() } });
      child.stdout!.on("data", (d: Buffer) => (real.stdout += d.toString()));
      child.stderr!.on("data", (d: Buffer) => (real.stderr += d.toString()));
      let ownExit: number | null | undefined;
      const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
      child.on("exit", (code) => (ownExit ??= code));
      const stop = new AbortController();
      const io = captureIO({ env: { PATH: "/usr/bin:/bin", ...env() }, signal: stop.signal });
      const running = kubectlMain(args, io, { now: () => clock.now() });
      const got = () => ({ stdout: io.out(), stderr: io.err() });
      const same = () => real.stdout === io.out() && real.stderr === io.err();

      await until(() => watchRequests >= opened + 2);
      // Scale test-web (3 replicas, then back to 2, alternately) and let the new pods start.
      const client = cluster.client("test");
      const replicas = step % 2 === 1 ? 3 : 2;
      await client.resource(GVR.deployments).patch("test-web", "default", "application/merge-patch+json", { spec: { replicas } });
      await clock.advance(60_000, () => cluster.settle());
      await until(same);
      // Delete the first of its pods by name: a MODIFIED with a deletionTimestamp, then DELETED and a replacement.
      const pods = (await client.resource(GVR.pods).list("default")).items.map((p) => p.metadata.name).sort();
      await client.resource(GVR.pods).delete(pods[0]!, "default");
      await clock.advance(60_000, () => cluster.settle());
      await until(same);
      // Both outputs equal: wait a little longer for anything still on its way.
      for (let i = 0; i < 3; i++) {
        const before = `${real.stdout}${io.out()}`;
        await new Promise((r) => setTimeout(r, 200));
        if (`${real.stdout}${io.out()}` !== before) await until(same);
      }

      const ended = ownExit;
      child.kill("SIGINT");
      stop.abort();
      await exited;
      const code = await running;
      dumpPair("watch", args, { code: ended ?? -1, ...real }, { code, ...got() });
      expect(got()).toEqual(real);
      if (ended !== undefined) expect(code).toBe(ended);
      expect(real.stdout).not.toBe("");
    }, 120_000);
  }
});
