// Stories: a pod that cannot start. A wrong image tag gives ErrImagePull,
// then ImagePullBackOff with retries 10 s, 20 s, 40 s… apart, until the image
// is fixed; a command that exits 1 restarts with the same doubling back-off
// and shows CrashLoopBackOff and a growing RESTARTS count.

import { afterEach, describe, expect, it } from "vitest";
import type { Pod } from "../../src/api/core/v1.ts";
import { GVR } from "../../src/client/interface.ts";
import { type Lab, lab } from "./harness.ts";

let l: Lab | undefined;
afterEach(() => l?.cluster.stop());

/** `kubectl run NAME --image=IMAGE [--command -- …]`. */
async function run(l: Lab, name: string, image: string, command?: string[]): Promise<void> {
  await l.admin.resource<Pod>(GVR.pods).create(
    { metadata: { name, labels: { run: name } }, spec: { containers: [{ name, image, ...(command ? { command } : {}) }] } },
    "default",
  );
}

/** Watches `kubectl get pod NAME` second by second: each change of STATUS/RESTARTS with the time it appeared. */
async function timeline(l: Lab, name: string, seconds: number): Promise<{ at: number; row: string }[]> {
  const t0 = l.clock.now();
  const out: { at: number; row: string }[] = [];
  for (let s = 0; s < seconds; s++) {
    await l.advance(1_000);
    const row = (await l.rows()).find((r) => r.startsWith(`${name} `))!;
    const shown = row.split(" ").slice(1, 4).join(" ");
    if (out.at(-1)?.row !== shown) out.push({ at: Math.round((l.clock.now() - t0) / 1000), row: shown });
  }
  return out;
}

describe("image pull failure", () => {
  it("goes ErrImagePull → ImagePullBackOff with growing back-off, and runs once the image is fixed", async () => {
    l = await lab();
    await run(l, "bad", "httpd:doesnotexist");
    const seen = await timeline(l, "bad", 100);
    expect(seen[0]!.row).toBe("0/1 ContainerCreating 0");
    const states = seen.map((s) => s.row.split(" ")[1]);
    expect(states.slice(1, 5)).toEqual(["ErrImagePull", "ImagePullBackOff", "ErrImagePull", "ImagePullBackOff"]);
    // Each ErrImagePull is a new pull attempt; the gaps between them double (10 s, 20 s, 40 s, plus the pull itself).
    const pulls = seen.filter((s) => s.row.includes("ErrImagePull")).map((s) => s.at);
    const gaps = pulls.slice(1).map((t, i) => t - pulls[i]!);
    expect(gaps.length).toBeGreaterThanOrEqual(3);
    expect(gaps[0]).toBeGreaterThanOrEqual(10);
    expect(gaps[0]).toBeLessThanOrEqual(13);
    expect(gaps[1]).toBeGreaterThanOrEqual(20);
    expect(gaps[1]).toBeLessThanOrEqual(23);
    expect(gaps[2]).toBeGreaterThanOrEqual(40);
    expect(gaps[2]).toBeLessThanOrEqual(43);

    const full = "docker.io/library/httpd:doesnotexist";
    const events = await l.rawEvents("default", "bad");
    const text = events.map((e) => `${e.type} ${e.reason}: ${e.message}`);
    expect(text).toEqual([
      "Normal Scheduled: " + events[0]!.message,
      'Normal Pulling: Pulling image "httpd:doesnotexist"',
      `Warning Failed: Failed to pull image "httpd:doesnotexist": rpc error: code = NotFound desc = failed to pull and unpack image "${full}": failed to resolve reference "${full}": ${full}: not found`,
      "Warning Failed: Error: ErrImagePull",
      'Normal BackOff: Back-off pulling image "httpd:doesnotexist"',
      "Warning Failed: Error: ImagePullBackOff",
    ]);
    expect(events.find((e) => e.reason === "Pulling")!.count).toBe(pulls.length);
    const pod = await l.admin.resource<Pod>(GVR.pods).get("bad", "default");
    expect(pod.status?.containerStatuses?.[0]?.state?.waiting?.reason).toMatch(/^(ErrImagePull|ImagePullBackOff)$/);

    // `kubectl set image pod/bad bad=httpd`: the kubelet pulls the new image at once.
    await l.admin.resource<Pod>(GVR.pods).patch("bad", "default", "application/strategic-merge-patch+json", {
      spec: { containers: [{ name: "bad", image: "httpd" }] },
    });
    await l.advance(20_000);
    expect((await l.rows()).find((r) => r.startsWith("bad "))).toMatch(/^bad 1\/1 Running 0 node0[12]$/);
    expect(await l.events("default", "bad")).toEqual(expect.arrayContaining(['Pulling: Pulling image "httpd"', "Started: Started container bad"]));
  });
});

describe("crash loop", () => {
  it("restarts an exiting container with back-off 10 s, 20 s, 40 s… and shows CrashLoopBackOff", async () => {
    l = await lab();
    await l.advance(0);
    await run(l, "crash", "busybox", ["sh", "-c", "exit 1"]);
    const seen = await timeline(l, "crash", 200);
    const rows = seen.map((s) => s.row);
    expect(rows[0]).toBe("0/1 ContainerCreating 0");
    // Each exit shows as Error for a moment, then the kubelet reports the back-off.
    for (const n of [1, 2, 3, 4]) expect(rows.slice(rows.indexOf(`0/1 Error ${n}`))[1]).toBe(`0/1 CrashLoopBackOff ${n}`);
    // Restarts: the RESTARTS column steps up when the next attempt exits; the waits double.
    const restarts = [1, 2, 3, 4].map((n) => seen.find((s) => s.row.endsWith(` ${n}`))!.at);
    const gaps = restarts.slice(1).map((t, i) => t - restarts[i]!);
    for (const [i, want] of [10, 20, 40].entries()) {
      expect(gaps[i]).toBeGreaterThanOrEqual(want);
      expect(gaps[i]).toBeLessThanOrEqual(want + 3);
    }
    const pod = await l.admin.resource<Pod>(GVR.pods).get("crash", "default");
    const cs = pod.status!.containerStatuses![0]!;
    expect(pod.status?.phase).toBe("Running");
    expect(cs.lastState?.terminated).toMatchObject({ exitCode: 1, reason: "Error" });
    expect(cs.restartCount).toBe(5);
    const events = await l.rawEvents("default", "crash");
    const backoff = events.find((e) => e.reason === "BackOff")!;
    expect(backoff).toMatchObject({ type: "Warning", message: `Back-off restarting failed container crash in pod crash_default(${pod.metadata.uid})` });
    expect(events.find((e) => e.reason === "Started")!.count).toBe(6);
    expect(cs.state?.waiting?.message ?? "").toMatch(/^back-off (40s|1m20s|2m40s) restarting failed container=crash pod=crash_default\(/);
  });
});
