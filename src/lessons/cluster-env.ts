// A LessonCluster for the headless runner: a fresh emulated cluster on a
// FakeClock, with kubectl (in-process transport, same bytes as over HTTPS)
// and the node tools wired the way the lab shell wires them. createCluster is
// passed in (src/cluster.ts), so this file depends only on its contract.

import { readdirSync } from "node:fs";
import type { APIServer } from "../apiserver/apiserver.ts";
import type { Client } from "../client/interface.ts";
import { inProcessTransport } from "../client/transport.ts";
import type { Host } from "../host/host.ts";
import { nodeTools, resolveNode, type ToolCluster } from "../host/tools/tools.ts";
import { kubectlMain } from "../kubectl/kubectl.ts";
import { type Clock, FakeClock } from "../utils/clock.ts";
import type { CommandIO } from "../utils/command.ts";
import type { Lesson } from "./lesson.ts";
import type { ClusterFactory, LessonCluster } from "./runner.ts";

/** The part of src/cluster.ts's Cluster the runner needs. */
export interface RunnableCluster extends ToolCluster {
  api: APIServer;
  hosts: Map<string, Host>;
  client(user: string): Client;
  settle(): Promise<void>;
  stop(): void;
}

/** How long a solution command may wait on the cluster (`kubectl delete` waits out the grace period). */
const COMMAND_TIME_LIMIT_MS = 5 * 60_000;

export type CreateCluster = (options: { clock: Clock; seed: number; version?: string }) => Promise<RunnableCluster>;

/**
 * kubectl imports each command's module on first use. Loading a module takes
 * real I/O time, during which the runner would otherwise keep stepping the
 * cluster clock; load them all once, up front.
 */
async function prewarmKubectl(): Promise<void> {
  const dir = new URL("../kubectl/cmd/", import.meta.url);
  for (const f of readdirSync(dir).sort()) if (f.endsWith(".ts")) await import(new URL(f, dir).href);
  await import("../kubectl/help.ts").catch(() => undefined);
}

export function fakeClusterFactory(createCluster: CreateCluster, options: { seed?: number } = {}): ClusterFactory {
  return async (lesson: Lesson): Promise<LessonCluster> => {
    await prewarmKubectl();
    const clock = new FakeClock();
    const cluster = await createCluster({ clock, seed: options.seed ?? 1, ...(lesson.cluster.version ? { version: lesson.cluster.version } : {}) });
    // Let the bootstrap finish: nodes Ready, system pods Running.
    await clock.advance(120_000, () => cluster.settle());
    const transport = inProcessTransport(cluster.api);
    return {
      client: cluster.client("kubernetes-admin"),
      hosts: cluster.hosts.values(),
      now: () => clock.now(),
      resolveNode: (t) => resolveNode(cluster, t),
      advance: (ms) => clock.advance(ms, () => cluster.settle()),
      stop: () => cluster.stop(),
      async exec(argv: string[], node: string, io: CommandIO): Promise<number> {
        const [cmd, ...args] = argv as [string, ...string[]];
        let run: Promise<number>;
        if (cmd === "kubectl" || cmd === "k") run = kubectlMain(args, io, { transport, now: () => clock.now(), clock });
        else {
          const tool = nodeTools[cmd];
          if (!tool) {
            io.stderr.write(`bash: ${cmd}: command not found\n`);
            return 127;
          }
          run = tool(args, io, { cluster, node });
        }
        // Some commands wait on the cluster (`kubectl delete` waits for the pod
        // to be gone, which takes its grace period): let time pass meanwhile,
        // as it would for a learner, up to a bound.
        let done = false;
        const finished = run.finally(() => void (done = true));
        await cluster.settle();
        for (let waited = 0; !done && waited < COMMAND_TIME_LIMIT_MS; waited += 1000) await clock.advance(1000, () => cluster.settle());
        if (!done) {
          io.stderr.write(`kubelab: ${cmd} still running after ${COMMAND_TIME_LIMIT_MS / 1000}s of cluster time\n`);
          return 124;
        }
        return finished;
      },
    };
  };
}
