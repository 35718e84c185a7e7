// kubectl rollout on a whole emulated cluster (controllers, scheduler,
// kubelets on a FakeClock): status follows a restart to the end, history
// lists the ReplicaSet revisions, undo goes back, pause/resume.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, createCluster } from "../../src/cluster.ts";
import { inProcessTransport } from "../../src/client/transport.ts";
import { kubectlMain } from "../../src/kubectl/kubectl.ts";
import { FakeClock } from "../../src/utils/clock.ts";
import { captureIO } from "../../src/utils/command.ts";

let cluster: Cluster;
let clock: FakeClock;

function start(args: string[]) {
  const io = captureIO({ env: { HOME: "/nonexistent" } });
  const done = kubectlMain(args, io, { transport: inProcessTransport(cluster.api), now: () => clock.now(), clock });
  return { io, done };
}

async function kubectl(args: string[]) {
  const { io, done } = start(args);
  const code = await done;
  return { code, out: io.out(), err: io.err() };
}

beforeAll(async () => {
  clock = new FakeClock(Date.parse("2025-05-01T10:00:00Z"));
  cluster = await createCluster({ clock, seed: 3 });
  await clock.advance(60_000, () => cluster.settle());
  expect((await kubectl(["create", "deployment", "web", "--image=httpd", "--replicas=2"])).code).toBe(0);
  await clock.advance(120_000, () => cluster.settle());
}, 60_000);

afterAll(() => cluster?.stop());

describe("kubectl rollout", () => {
  it("status of a finished rollout returns at once", async () => {
    expect(await kubectl(["rollout", "status", "deployment/web"])).toEqual({ code: 0, out: 'deployment "web" successfully rolled out\n', err: "" });
  });

  it("restart, then status follows the new ReplicaSet until it is done", async () => {
    expect(await kubectl(["rollout", "restart", "deployment/web"])).toEqual({ code: 0, out: "deployment.apps/web restarted\n", err: "" });
    const status = start(["rollout", "status", "deploy/web"]);
    for (let i = 0; i < 12; i++) await clock.advance(10_000, () => cluster.settle());
    expect(await status.done).toBe(0);
    const lines = status.io.out().trimEnd().split("\n");
    expect(lines.at(-1)).toBe('deployment "web" successfully rolled out');
    expect(lines.some((l) => l.startsWith('Waiting for deployment "web" rollout to finish: '))).toBe(true);
    expect(lines.every((l) => l.startsWith("Waiting for deployment") || l === 'deployment "web" successfully rolled out')).toBe(true);
  }, 30_000);

  it("history lists both revisions; --revision shows the template", async () => {
    const h = await kubectl(["rollout", "history", "deployment/web"]);
    expect(h.out).toBe("deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n");
    const r2 = await kubectl(["rollout", "history", "deployment/web", "--revision=2"]);
    expect(r2.out).toMatch(/^deployment\.apps\/web with revision #2\nPod Template:\n  Labels:\tapp=web\n\tpod-template-hash=\w+\n  Annotations:\tkubectl\.kubernetes\.io\/restartedAt: 2025-05-01T10:0\d:\d\dZ\n  Containers:\n   httpd:\n    Image:\thttpd\n/);
  });

  it("undo goes back to revision 1 (which becomes revision 3), and a second undo to 2", async () => {
    expect(await kubectl(["rollout", "undo", "deployment/web"])).toEqual({ code: 0, out: "deployment.apps/web rolled back\n", err: "" });
    await clock.advance(120_000, () => cluster.settle());
    const h = await kubectl(["rollout", "history", "deployment/web"]);
    expect(h.out).toBe("deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n");
    expect((await kubectl(["rollout", "undo", "deployment/web", "--to-revision=3"])).out).toBe("deployment.apps/web skipped rollback (current template already matches revision 3)\n");
    expect((await kubectl(["rollout", "status", "deployment/web", "--watch=false"])).out).toBe('deployment "web" successfully rolled out\n');
  });

  it("pause and resume", async () => {
    expect((await kubectl(["rollout", "pause", "deployment/web"])).out).toBe("deployment.apps/web paused\n");
    expect(await kubectl(["rollout", "restart", "deployment/web"])).toEqual({ code: 1, out: "", err: 'error: deployments.apps "web" can\'t restart paused deployment (run rollout resume first)\n' });
    expect((await kubectl(["rollout", "undo", "deployment/web"])).err).toBe("error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again\n");
    expect((await kubectl(["rollout", "resume", "deployment/web"])).out).toBe("deployment.apps/web resumed\n");
    expect((await kubectl(["rollout", "resume", "deployment/web"])).err).toBe('error: deployments.apps "web" is not paused\n');
  });

  it("status --timeout gives up on the cluster's clock", async () => {
    await kubectl(["rollout", "pause", "deployment/web"]);
    const patched = await cluster.client("test").resource({ group: "apps", version: "v1", resource: "deployments" }).patch(
      "web",
      "default",
      "application/strategic-merge-patch+json",
      { spec: { template: { spec: { containers: [{ name: "httpd", image: "httpd:2.4" }] } } } },
    );
    expect(patched.metadata.generation).toBeGreaterThan(1);
    await clock.advance(1000, () => cluster.settle());
    const status = start(["rollout", "status", "deployment/web", "--timeout=30s"]);
    await clock.advance(31_000, () => cluster.settle());
    expect(await status.done).toBe(1);
    expect(status.io.err()).toBe("error: timed out waiting for the condition\n");
    await kubectl(["rollout", "resume", "deployment/web"]);
  });

  it("daemon sets: status and restart", async () => {
    expect((await kubectl(["rollout", "status", "ds/kube-proxy", "-n", "kube-system"])).out).toBe('daemon set "kube-proxy" successfully rolled out\n');
    expect((await kubectl(["rollout", "restart", "ds/kube-proxy", "-n", "kube-system"])).out).toBe("daemonset.apps/kube-proxy restarted\n");
  });
});
