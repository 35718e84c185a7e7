// LabClock, the clock a learner's cluster runs on: real time × speed, stepped
// jumps ("Skip 1 min") and catching up from a start in the past (a cluster
// that looks bootstrapped minutes ago). The wall clock is a FakeClock passed
// as LabClock's time source, so nothing here sleeps.

import { describe, expect, it } from "vitest";
import { createCluster } from "../../src/cluster.ts";
import { inProcessTransport } from "../../src/client/transport.ts";
import { kubectlMain } from "../../src/kubectl/kubectl.ts";
import { FakeClock, LabClock } from "../../src/utils/clock.ts";
import { captureIO } from "../../src/utils/command.ts";

const WALL = Date.UTC(2026, 10, 25, 9, 0, 0);
const MIN = 60_000;

/** A settle that waits for the "cluster's" in-flight promises, as Activity.settle does. */
function workTracker() {
  const inflight = new Set<Promise<unknown>>();
  return {
    /** Runs fn after a few microtask hops, like an API round trip. */
    later(fn: () => void) {
      const p = Promise.resolve()
        .then(() => undefined)
        .then(fn);
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
    },
    async settle() {
      while (inflight.size > 0) await Promise.all([...inflight]);
    },
  };
}

describe("LabClock in real time", () => {
  it("follows the wall clock and fires timers when their time comes", async () => {
    const wall = new FakeClock(WALL);
    const clock = new LabClock({ source: wall });
    const fired: number[] = [];
    clock.setTimer(10_000, () => fired.push(clock.now()));
    await wall.advance(9_999);
    expect(fired).toEqual([]);
    await wall.advance(1);
    expect(fired).toEqual([WALL + 10_000]);
    expect(clock.now()).toBe(WALL + 10_000);
  });

  it("runs faster at a higher speed, from the moment the speed changes", async () => {
    const wall = new FakeClock(WALL);
    const clock = new LabClock({ source: wall });
    await wall.advance(1_000);
    clock.setSpeed(10);
    const fired: number[] = [];
    clock.setTimer(60_000, () => fired.push(clock.now()));
    await wall.advance(6_000);
    expect(fired).toEqual([WALL + 1_000 + 60_000]);
    expect(() => clock.setSpeed(0)).toThrow(/positive/);
  });

  it("arms no host timer once stopped", async () => {
    const wall = new FakeClock(WALL);
    const clock = new LabClock({ source: wall });
    let fired = false;
    clock.setTimer(1_000, () => void (fired = true));
    clock.stop();
    expect(wall.nextDue()).toBeUndefined();
    await wall.advance(5_000);
    expect(fired).toBe(false);
  });
});

describe("LabClock.jump (Skip)", () => {
  it("fires a chain of timers in order, settling in between, at their own times", async () => {
    const wall = new FakeClock(WALL);
    const clock = new LabClock({ source: wall });
    const work = workTracker();
    const log: string[] = [];
    const at = () => `${(clock.now() - WALL) / 1000}s`;
    // "Pull the image" for 10 s; when the pull is recorded (after a round trip), "start" 2 s later.
    clock.setTimer(10_000, () => {
      log.push(`pulled ${at()}`);
      work.later(() => clock.setTimer(2_000, () => log.push(`started ${at()}`)));
    });
    clock.setTimer(30_000, () => log.push(`heartbeat ${at()}`));
    await clock.jump(MIN, () => work.settle());
    expect(log).toEqual(["pulled 10s", "started 12s", "heartbeat 30s"]);
    expect(clock.now()).toBe(WALL + MIN);
  });

  it("stands still while stepping, then runs in real time again", async () => {
    const wall = new FakeClock(WALL);
    const clock = new LabClock({ source: wall });
    const seen: number[] = [];
    clock.setTimer(5_000, () => seen.push(clock.now()));
    await clock.jump(MIN, async () => void seen.push(clock.now()));
    // settle saw the held time before and after the batch at +5 s.
    expect(seen).toEqual([WALL, WALL + 5_000, WALL + 5_000]);
    let later = 0;
    clock.setTimer(1_000, () => void (later = clock.now()));
    await wall.advance(1_000);
    expect(later).toBe(WALL + MIN + 1_000);
  });

  it("runs two jumps one after the other", async () => {
    const wall = new FakeClock(WALL);
    const clock = new LabClock({ source: wall });
    const fired: number[] = [];
    for (let s = 10; s <= 120; s += 10) clock.setTimer(s * 1000, () => fired.push((clock.now() - WALL) / 1000));
    await Promise.all([clock.jump(MIN), clock.jump(MIN)]);
    expect(fired).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]);
    expect(clock.now()).toBe(WALL + 2 * MIN);
  });
});

describe("LabClock.catchUp (a cluster that has been up a while)", () => {
  it("steps from a start in the past to the wall clock, then runs in real time", async () => {
    const wall = new FakeClock(WALL);
    const clock = new LabClock({ source: wall, startMs: WALL - 20 * MIN });
    const work = workTracker();
    let beats = 0;
    const heartbeat = () => {
      beats++;
      work.later(() => clock.setTimer(10_000, heartbeat));
    };
    clock.setTimer(10_000, heartbeat);
    await clock.catchUp(() => work.settle());
    expect(beats).toBe(120);
    expect(clock.now()).toBe(WALL);
    await wall.advance(10_000);
    expect(beats).toBe(121);
    // Already caught up: nothing to do.
    await clock.catchUp();
    expect(beats).toBe(121);
  });

  it("gives a learner's cluster nodes and system pods that are 20 minutes old", async () => {
    const wall = new FakeClock(WALL);
    const clock = new LabClock({ source: wall, startMs: WALL - 20 * MIN });
    const cluster = await createCluster({ clock, seed: 1 });
    try {
      await clock.catchUp(() => cluster.settle());
      const kubectl = async (...argv: string[]) => {
        const io = captureIO();
        const code = await kubectlMain(argv, io, { transport: inProcessTransport(cluster.api), now: () => clock.now() });
        expect(io.err()).toBe("");
        expect(code).toBe(0);
        return io.out();
      };
      const nodes = await kubectl("get", "nodes");
      expect(nodes.split("\n").slice(1, 4).map((l) => l.split(/\s+/).slice(0, 4).join(" "))).toEqual([
        "master Ready control-plane 20m",
        "node01 Ready <none> 20m",
        "node02 Ready <none> 20m",
      ]);
      const pods = await kubectl("get", "pods", "-n", "kube-system");
      const rows = pods.trim().split("\n").slice(1);
      expect(rows.length).toBe(9) // coredns ×2, etcd, apiserver, controller-manager, scheduler, kube-proxy ×3;
      for (const row of rows) {
        const [name, ready, status, restarts, age] = row.split(/\s+/);
        expect({ name, status, restarts }).toEqual({ name, status: "Running", restarts: "0" });
        expect(ready).toMatch(/^(\d+)\/\1$/);
        expect(age).toMatch(/^(19|20)m$/);
      }
    } finally {
      cluster.stop();
      clock.stop();
    }
  });
});
