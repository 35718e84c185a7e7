// Story: a Deployment heals itself. A learner deletes one of test-web's pods
// and watches the ReplicaSet replace it with a new pod on a worker.

import { afterEach, describe, expect, it } from "vitest";
import type { ReplicaSet } from "../../src/api/apps/v1.ts";
import { GVR } from "../../src/client/interface.ts";
import { type Lab, lab } from "./harness.ts";

let l: Lab | undefined;
afterEach(() => l?.cluster.stop());

describe("self-healing", () => {
  it("replaces a deleted pod from the same ReplicaSet, Running on a worker", async () => {
    l = await lab();
    await l.createDeployment("test-web", "httpd", 2);
    await l.advance(30_000);
    const before = await l.pods("default", "app=test-web");
    expect(before.map((p) => p.status?.phase)).toEqual(["Running", "Running"]);
    expect(before.map((p) => p.spec.nodeName).sort()).toEqual(["node01", "node02"]);
    const [rs] = (await l.admin.resource<ReplicaSet>(GVR.replicasets).list("default")).items;
    const victim = before[0]!;

    await l.admin.resource(GVR.pods).delete(victim.metadata.name!, "default");
    // Right after the delete the pod shows Terminating while httpd stops.
    expect((await l.rows("default", "app=test-web")).find((r) => r.startsWith(victim.metadata.name!))).toMatch(/ 1\/1 Terminating 0 /);
    await l.advance(15_000);

    const after = await l.pods("default", "app=test-web");
    expect(after).toHaveLength(2);
    const replacement = after.find((p) => p.metadata.uid !== before[1]!.metadata.uid)!;
    expect(replacement.metadata.name).not.toBe(victim.metadata.name);
    expect(replacement.metadata.name).toMatch(new RegExp(`^${rs!.metadata.name}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
    expect(replacement.metadata.ownerReferences?.[0]).toMatchObject({ kind: "ReplicaSet", name: rs!.metadata.name, controller: true });
    expect(["node01", "node02"]).toContain(replacement.spec.nodeName);
    expect(await l.rows("default", "app=test-web")).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^${replacement.metadata.name} 1/1 Running 0 node0[12]$`))]),
    );

    expect(await l.events("default", victim.metadata.name!)).toContain("Killing: Stopping container httpd");
    // The ReplicaSet's events: two creates for the rollout, one for the replacement.
    expect(await l.events("default", rs!.metadata.name!)).toEqual(
      [...before.map((p) => `SuccessfulCreate: Created pod: ${p.metadata.name}`).sort(), `SuccessfulCreate: Created pod: ${replacement.metadata.name}`],
    );
    // httpd has no tag, so imagePullPolicy is Always: the kubelet re-resolves the image it already has.
    const podEvents = await l.events("default", replacement.metadata.name!);
    expect(podEvents[0]).toBe(`Scheduled: Successfully assigned default/${replacement.metadata.name} to ${replacement.spec.nodeName}`);
    expect(podEvents[1]).toBe('Pulling: Pulling image "httpd"');
    expect(podEvents[2]).toMatch(/^Pulled: Successfully pulled image "httpd" in \d+ms \(\d+ms including waiting\)\. Image size: 58383529 bytes\.$/);
    expect(podEvents.slice(3)).toEqual(["Created: Created container httpd", "Started: Started container httpd"]);
  });
});
