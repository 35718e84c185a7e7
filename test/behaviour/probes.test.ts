// Stories: probes. A liveness probe that fails three times restarts the
// container (with the kubelet's real event texts); the exec probe of the
// Kubernetes docs (`cat /tmp/healthy`, removed after 30 s) fails on time; a
// readiness probe gates the pod's Ready condition and the Service endpoints.

import { afterEach, describe, expect, it } from "vitest";
import type { Container, Endpoints, Pod } from "../../src/api/core/v1.ts";
import { GVR } from "../../src/client/interface.ts";
import { type Lab, condition, lab } from "./harness.ts";

let l: Lab | undefined;
afterEach(() => l?.cluster.stop());

async function pod(l: Lab, name: string, container: Container): Promise<void> {
  await l.admin.resource<Pod>(GVR.pods).create({ metadata: { name, labels: { app: name } }, spec: { containers: [container] } }, "default");
}

const get = (l: Lab, name: string) => l.admin.resource<Pod>(GVR.pods).get(name, "default");
const row = async (l: Lab, name: string) => (await l.rows()).find((r) => r.startsWith(`${name} `))!.split(" ").slice(1, 4).join(" ");

describe("liveness probes", () => {
  it("restarts httpd after three failed httpGet probes of a missing path", async () => {
    l = await lab();
    await pod(l, "web", { name: "httpd", image: "httpd:2.4", livenessProbe: { httpGet: { path: "/healthz", port: 80 }, periodSeconds: 10 } });
    await l.advance(15_000);
    expect(await row(l, "web")).toBe("1/1 Running 0");
    await l.advance(30_000);
    const p = await get(l, "web");
    expect(p.status?.containerStatuses?.[0]?.restartCount).toBe(1);
    expect(p.status?.containerStatuses?.[0]?.lastState?.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
    const events = await l.rawEvents("default", "web");
    // Three failures (failureThreshold) before the kill; the new container's probes fail again on the next ticks.
    expect(events.find((e) => e.reason === "Unhealthy")).toMatchObject({ type: "Warning", message: "Liveness probe failed: HTTP probe failed with statuscode: 404" });
    expect(events.find((e) => e.reason === "Unhealthy")!.count).toBeGreaterThanOrEqual(3);
    expect(events.find((e) => e.reason === "Killing")).toMatchObject({ type: "Normal", message: "Container httpd failed liveness probe, will be restarted" });
    expect(events.find((e) => e.reason === "Started")?.count).toBe(2);
    expect(await row(l, "web")).toBe("1/1 Running 1");
    // The new container fails the same way: the restarts go on, with the crash back-off between them.
    await l.advance(5 * 60_000);
    expect((await get(l, "web")).status?.containerStatuses?.[0]?.restartCount).toBeGreaterThanOrEqual(3);
  });

  it("passes on a path httpd serves, over a named port", async () => {
    l = await lab();
    await pod(l, "web", { name: "httpd", image: "httpd:2.4", ports: [{ name: "http", containerPort: 80 }], livenessProbe: { httpGet: { path: "/", port: "http" } } });
    await l.advance(5 * 60_000);
    expect(await row(l, "web")).toBe("1/1 Running 0");
    expect((await l.rawEvents("default", "web")).map((e) => e.reason)).not.toContain("Unhealthy");
  });

  it("fails the docs' exec probe once /tmp/healthy is removed, and restarts the container", async () => {
    l = await lab();
    await pod(l, "liveness-exec", {
      name: "liveness",
      image: "registry.k8s.io/busybox:1.27.2",
      args: ["/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"],
      livenessProbe: { exec: { command: ["cat", "/tmp/healthy"] }, initialDelaySeconds: 5, periodSeconds: 5 },
    });
    await l.advance(30_000);
    expect((await l.rawEvents("default", "liveness-exec")).map((e) => e.reason)).not.toContain("Unhealthy");
    await l.advance(15_000);
    const events = await l.rawEvents("default", "liveness-exec");
    expect(events.find((e) => e.reason === "Unhealthy")?.message).toBe("Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory");
    expect(events.find((e) => e.reason === "Killing")?.message).toBe("Container liveness failed liveness probe, will be restarted");
    // The shell ignores SIGTERM: the container is killed at the 30 s grace period, then restarted.
    await l.advance(40_000);
    const p = await get(l, "liveness-exec");
    expect(p.status?.containerStatuses?.[0]).toMatchObject({ restartCount: 1, ready: true, lastState: { terminated: { exitCode: 137, reason: "Error" } } });
    expect(await row(l, "liveness-exec")).toBe("1/1 Running 1");
  });
});

describe("readiness probes", () => {
  it("keeps a pod out of Ready and out of the endpoints while its probe fails", async () => {
    l = await lab();
    await l.admin.resource(GVR.services).create({ metadata: { name: "web" }, spec: { selector: { app: "web" }, ports: [{ port: 80 }] } }, "default");
    await pod(l, "web", { name: "httpd", image: "httpd:2.4", readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 5 } });
    await pod(l, "web2", { name: "httpd", image: "httpd:2.4", readinessProbe: { httpGet: { path: "/", port: 80 } } });
    await l.admin.resource<Pod>(GVR.pods).patch("web2", "default", "application/merge-patch+json", { metadata: { labels: { app: "web" } } });
    await l.advance(30_000);
    const bad = await get(l, "web");
    const good = await get(l, "web2");
    expect(await row(l, "web")).toBe("0/1 Running 0");
    expect(await row(l, "web2")).toBe("1/1 Running 0");
    expect(condition(bad, "Ready")).toMatchObject({ status: "False", reason: "ContainersNotReady", message: "containers with unready status: [httpd]" });
    expect(bad.status?.containerStatuses?.[0]).toMatchObject({ ready: false, started: true });
    const events = await l.rawEvents("default", "web");
    expect(events.find((e) => e.reason === "Unhealthy")?.message).toBe(`Readiness probe failed: dial tcp ${bad.status?.podIP}:8080: connect: connection refused`);
    // A readiness failure never restarts the container.
    expect(events.map((e) => e.reason)).not.toContain("Killing");
    const ep = await l.admin.resource<Endpoints>(GVR.endpoints).get("web", "default");
    expect(ep.subsets?.[0]?.addresses?.map((a) => a.ip)).toEqual([good.status?.podIP]);
    expect(ep.subsets?.[0]?.notReadyAddresses?.map((a) => a.ip)).toEqual([bad.status?.podIP]);
  });

  it("marks a pod Ready as soon as its container answers, not a period later", async () => {
    l = await lab();
    await pod(l, "web", { name: "httpd", image: "httpd:2.4", readinessProbe: { httpGet: { path: "/", port: 80 }, periodSeconds: 60 } });
    let runningAt = 0;
    let readyAt = 0;
    for (let s = 0; s < 60 && !readyAt; s++) {
      await l.advance(1_000);
      const p = await get(l, "web");
      if (!runningAt && p.status?.phase === "Running") runningAt = l.clock.now();
      if (condition(p, "Ready")?.status === "True") readyAt = l.clock.now();
    }
    expect(readyAt - runningAt).toBeLessThanOrEqual(1_000);
  });
});

describe("startup probes", () => {
  it("holds liveness and readiness back until the container started, and restarts one that never starts", async () => {
    l = await lab();
    await pod(l, "slow", {
      name: "httpd",
      image: "httpd:2.4",
      startupProbe: { tcpSocket: { port: 8080 }, periodSeconds: 5, failureThreshold: 4 },
      livenessProbe: { httpGet: { path: "/healthz", port: 80 }, periodSeconds: 1, failureThreshold: 1 },
    });
    await l.advance(20_000);
    const p = await get(l, "slow");
    // Not started: not ready either, and the failing liveness probe is not run yet.
    expect(p.status?.containerStatuses?.[0]).toMatchObject({ started: false, ready: false, restartCount: 0 });
    expect(await row(l, "slow")).toBe("0/1 Running 0");
    await l.advance(15_000);
    const events = await l.rawEvents("default", "slow");
    expect(events.filter((e) => e.reason === "Unhealthy").map((e) => e.message)).toEqual([
      `Startup probe failed: dial tcp ${p.status?.podIP}:8080: connect: connection refused`,
    ]);
    expect(events.find((e) => e.reason === "Killing")?.message).toBe("Container httpd failed startup probe, will be restarted");
    expect((await get(l, "slow")).status?.containerStatuses?.[0]?.restartCount).toBe(1);
  });
});
