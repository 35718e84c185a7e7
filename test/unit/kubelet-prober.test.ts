// The probe handlers and ExecSync's command set on their own: what each
// handler answers for an emulated container, and what `cat`/`test` see of the
// files a container's script touches and removes over time.

import { describe, expect, it } from "vitest";
import type { Container } from "../../src/api/core/v1.ts";
import { execSync } from "../../src/cri/exec.ts";
import { containerListeners } from "../../src/host/tools/servers.ts";
import { PROBE_HANDLERS, type ProbeTarget } from "../../src/kubelet/prober.ts";

const files = [
  { path: "/tmp/healthy", atMs: 0, exists: true },
  { path: "/tmp/healthy", atMs: 30_000, exists: false },
];

function target(repo: string, elapsedMs = 0): ProbeTarget {
  return {
    containerId: "c1",
    startedAt: 0,
    podIP: "10.244.1.5",
    now: elapsedMs,
    listener: (port) => containerListeners(repo).get(port),
    exec: (cmd) => execSync({ repository: repo, elapsedMs, files }, cmd),
  };
}

const run = (probe: object, repo = "docker.io/library/httpd", c: Partial<Container> = {}, elapsedMs = 0) =>
  PROBE_HANDLERS.find((h) => h.applies(probe))!.run(probe, { name: "c", ...c }, target(repo, elapsedMs));

describe("probe handlers", () => {
  it("httpGet: 2xx/3xx pass, other codes and closed ports fail with upstream's messages", () => {
    expect(run({ httpGet: { path: "/", port: 80 } })).toEqual({ ok: true });
    expect(run({ httpGet: { path: "/healthz", port: 80 } })).toEqual({ ok: false, output: "HTTP probe failed with statuscode: 404" });
    expect(run({ httpGet: { path: "/", port: 8080 } })).toEqual({ ok: false, output: 'Get "http://10.244.1.5:8080/": dial tcp 10.244.1.5:8080: connect: connection refused' });
    expect(run({ httpGet: { path: "/", port: "web" } }, undefined, { ports: [{ name: "web", containerPort: 80 }] })).toEqual({ ok: true });
    expect(run({ httpGet: { path: "/", port: 6379 } }, "docker.io/library/redis")).toEqual({ ok: false, output: 'Get "http://10.244.1.5:6379/": EOF' });
  });

  it("tcpSocket and grpc: anything listening passes", () => {
    expect(run({ tcpSocket: { port: 6379 } }, "docker.io/library/redis")).toEqual({ ok: true });
    expect(run({ tcpSocket: { port: 80 } }, "docker.io/library/redis")).toEqual({ ok: false, output: "dial tcp 10.244.1.5:80: connect: connection refused" });
    expect(run({ grpc: { port: 9000 } })).toMatchObject({ ok: false });
  });

  it("exec: the docs' cat /tmp/healthy passes for 30 s, then fails with busybox's message", () => {
    const busybox = "registry.k8s.io/busybox";
    expect(run({ exec: { command: ["cat", "/tmp/healthy"] } }, busybox, {}, 29_000)).toEqual({ ok: true });
    expect(run({ exec: { command: ["cat", "/tmp/healthy"] } }, busybox, {}, 30_000)).toEqual({ ok: false, output: "cat: can't open '/tmp/healthy': No such file or directory" });
    expect(run({ exec: { command: ["cat", "/tmp/healthy"] } }, "docker.io/library/ubuntu", {}, 31_000)).toEqual({ ok: false, output: "cat: /tmp/healthy: No such file or directory" });
    expect(run({ exec: { command: ["sh", "-c", "test -f /tmp/healthy && true"] } }, busybox, {}, 31_000)).toEqual({ ok: false, output: "" });
    expect(run({ exec: { command: ["redis-cli", "ping"] } }, "docker.io/library/redis")).toEqual({ ok: true });
  });
});
