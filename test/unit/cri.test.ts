// containerd as the kubelet sees it: references, pulls on the clock, and
// processes that outlive whoever started them.

import { describe, expect, it } from "vitest";
import { parseImageRef, resolvable } from "../../src/cri/images.ts";
import { ContainerRuntime, type PullResult } from "../../src/cri/runtime.ts";
import { FakeClock } from "../../src/utils/clock.ts";
import { seededRand } from "../../src/utils/rand.ts";

describe("cri", () => {
  it("normalises references as containerd does", () => {
    expect(parseImageRef("httpd").full).toBe("docker.io/library/httpd:latest");
    expect(parseImageRef("nginx:1.27").full).toBe("docker.io/library/nginx:1.27");
    expect(parseImageRef("kodekloud/webapp-color").full).toBe("docker.io/kodekloud/webapp-color:latest");
    expect(parseImageRef("registry.k8s.io/pause:3.10").full).toBe("registry.k8s.io/pause:3.10");
    expect(resolvable(parseImageRef("nginx:doesnotexist"))).toBe(false);
    expect(resolvable(parseImageRef("nosuchimage"))).toBe(false);
    expect(resolvable(parseImageRef("nginx:1.27-alpine"))).toBe(true);
  });

  it("pulls on the cluster clock and fails unknown repositories with containerd's message", async () => {
    const clock = new FakeClock();
    const rt = new ContainerRuntime({ node: "node01", clock, rand: seededRand(1) });
    const results: PullResult[] = [];
    rt.pullImage("httpd", (r) => results.push(r));
    rt.pullImage("nosuchimage", (r) => results.push(r));
    await clock.advance(5_000);
    expect(results.map((r) => r.ok)).toEqual([false]);
    expect(results[0]).toMatchObject({ ok: false, error: expect.stringContaining("pull access denied, repository does not exist or may require authorization") });
    await clock.advance(5_000);
    expect(results[1]).toMatchObject({ ok: true });
    expect(rt.images.get("httpd")?.size).toBe(58_383_529);
  });

  it("runs a busybox loop, writes its output, and stops it at SIGKILL after the grace period", async () => {
    const clock = new FakeClock();
    const rt = new ContainerRuntime({ node: "node01", clock, rand: seededRand(1) });
    rt.pullImage("busybox:1.36", () => {});
    await clock.advance(5_000);
    const sb = rt.runPodSandbox({ uid: "u1", name: "bb", namespace: "default" }, "10.244.1.2", false);
    const c = rt.createContainer(sb.id, { name: "bb", image: "busybox:1.36", command: ["sh", "-c", "while true; do echo tick; sleep 2; done"] }, 0);
    rt.startContainer(c.id);
    await clock.advance(5_000);
    expect(c.logs.map((l) => l.text)).toEqual(["tick", "tick", "tick"]);
    let stopped = false;
    rt.stopContainer(c.id, 30, () => (stopped = true));
    await clock.advance(29_000);
    expect(c.state).toBe("CONTAINER_RUNNING");
    await clock.advance(1_000);
    expect(stopped).toBe(true);
    expect(c).toMatchObject({ state: "CONTAINER_EXITED", exitCode: 137, reason: "Error" });
    expect(c.id).toMatch(/^[0-9a-f]{64}$/);
  });
});
