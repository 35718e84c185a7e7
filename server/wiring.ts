// The real Lab: plugs the emulated cluster (src/cluster.ts), kubectl over the
// in-process transport, the node tools, the HTTPS API server (one listener,
// one /clusters/<id> prefix and token per session), the lesson loader and
// renderer and the step checker into the web server's one `Lab` interface.

import { createCluster, type Cluster } from "../src/cluster.ts";
import { ClusterRegistry, type RunningApiServer, startApiServerHttps } from "../src/apiserver/server.ts";
import { createCA, DEFAULT_SERVING_HOSTS, generateKeyPem, issueServingCert } from "../src/apiserver/tls.ts";
import { inProcessTransport } from "../src/client/transport.ts";
import { createChecker } from "../src/grading/checker.ts";
import { evaluateCheck } from "../src/grading/evaluate.ts";
import type { Check, CheckResult } from "../src/grading/types.ts";
import { nodeTools, resolveNode } from "../src/host/tools/tools.ts";
import { kubectlMain } from "../src/kubectl/kubectl.ts";
import type { Lesson } from "../src/lessons/lesson.ts";
import { loadLessons } from "../src/lessons/loader.ts";
import { createLessonRenderer } from "../src/lessons/render.ts";
import { lessonEnv } from "../src/lessons/runner.ts";
import { runSetup } from "../src/lessons/setup.ts";
import type { CommandIO } from "../src/utils/command.ts";
import type { Grader, Lab, LabCluster, LessonCatalog } from "./lab.ts";
import { randomToken } from "./security.ts";

export interface LabOptions {
  lessonsDir: string;
  /** Port of the HTTPS API server (0 = any free port). */
  apiPort?: number;
  version?: string;
  log?: (msg: string) => void;
}

export interface RealLab extends Lab {
  api: RunningApiServer;
  /** Lesson load errors, each with file:line. */
  problems: string[];
  close(): Promise<void>;
}

/** Runs kubectl or a node tool against one cluster, as if on `node`. */
export function runOn(cluster: Cluster, server: string, name: string, argv: string[], io: CommandIO, node: string): Promise<number> | undefined {
  if (name === "kubectl") {
    return kubectlMain(argv, io, { transport: inProcessTransport(cluster.api, { server }), now: () => cluster.clock.now(), clock: cluster.clock });
  }
  const tool = nodeTools[name];
  return tool ? tool(argv, io, { cluster, node }) : undefined;
}

export async function createLab(options: LabOptions): Promise<RealLab> {
  const log = options.log ?? (() => {});
  // The two RSA keys (the slowest part of start-up) are made on other threads while lessons load.
  const keys = Promise.all([generateKeyPem(), generateKeyPem()]);
  const loaded = loadLessons(options.lessonsDir);
  const problems = loaded.errors.map((p) => `${p.file}:${p.line}: ${p.severity}: ${p.message}`);
  const byId = new Map<string, Lesson>(loaded.lessons.map((l) => [l.id, l]));
  const renderer = await createLessonRenderer();

  const [caKey, servingKey] = await keys;
  const ca = createCA({ wallClockMs: Date.now(), days: 3650, keyPem: caKey });
  const cert = issueServingCert(ca, DEFAULT_SERVING_HOSTS, { wallClockMs: Date.now(), days: 365, keyPem: servingKey });
  const registry = new ClusterRegistry();
  const api = await startApiServerHttps({ host: "127.0.0.1", port: options.apiPort ?? 0, clusters: registry, cert });
  const clusters = new WeakMap<LabCluster, Cluster>();

  const lessons: LessonCatalog = {
    async list() {
      return loaded.lessons.map((l) => ({ id: l.id, title: l.title }));
    },
    async get(id) {
      const l = byId.get(id);
      if (!l) return undefined;
      const r = renderer.renderLesson(l);
      return {
        id: r.id,
        title: r.title,
        description: r.description,
        html: r.html,
        steps: r.steps.map((s) => ({ id: s.id, title: s.title, html: s.html, hints: s.hints, ...(s.solution ? { solution: s.solution } : {}) })),
        ...(r.finishHtml ? { finishHtml: r.finishHtml } : {}),
        ...(l.cluster.clockSpeed ? { speed: l.cluster.clockSpeed } : {}),
      };
    },
    env(id) {
      const l = byId.get(id);
      return l ? lessonEnv(l) : {};
    },
  };

  const grader: Grader = {
    watch(o) {
      const lesson = byId.get(o.lesson);
      const cluster = clusters.get(o.cluster);
      let stopped = false;
      let checker: ReturnType<typeof createChecker> | undefined;
      if (lesson && cluster) {
        const client = cluster.client("system:kubelab-checker");
        void (async () => {
          const ctx = { client, commands: [], units: [], snapshot: new Map() };
          // Wait in cluster time by re-checking on the cluster's clock: no busy polling.
          const wait = (check: Check, timeoutMs: number) =>
            new Promise<CheckResult>((resolve) => {
              const deadline = cluster.clock.now() + timeoutMs;
              const again = () =>
                void evaluateCheck(check, ctx).then((r) => {
                  if (r.passed || stopped || cluster.clock.now() >= deadline) resolve(r);
                  else cluster.clock.setTimer(500, again);
                });
              again();
            });
          // The checker starts first, so what the learner does while the
          // lesson's setup is still running (pulling images…) is not missed.
          checker = createChecker({
            lesson,
            client,
            hosts: cluster.hosts.values(),
            completed: o.completed,
            clock: cluster.clock,
            onStatus: (st) => o.onStep(st.stepId, st.passed, st.message),
          });
          await checker.start();
          const setup = await runSetup(lesson, {
            client,
            env: lessonEnv(lesson),
            wait,
            shell: {
              exec: (argv, node, io) => runOn(cluster, o.cluster.endpoint.server, argv[0]!, argv.slice(1), io, node) ?? Promise.resolve(127),
              resolveNode: (t) => resolveNode(cluster, t),
              sleep: (s) => new Promise((r) => setTimeout(r, s * 1000)),
            },
          });
          if (!setup.ok) log(`lesson ${lesson.id} setup: ${setup.error}`);
        })().catch((e: unknown) => log(`lesson ${o.lesson} checker: ${String(e)}`));
      }
      return {
        command(ev) {
          if (ev.argv.length > 0) checker?.reportCommand({ argv: ev.argv, node: ev.node, exitCode: ev.exitCode ?? 0, time: cluster?.clock.now() ?? ev.time });
        },
        stop() {
          stopped = true;
          checker?.stop();
        },
      };
    },
  };

  return {
    api,
    problems,
    lessons,
    grader,
    async startCluster({ id, clock, seed }) {
      const cluster = await createCluster({ clock, seed, ...(options.version ? { version: options.version } : {}) });
      const token = randomToken(24);
      registry.add(id, cluster.api, token);
      const endpoint = { server: `${api.url}/clusters/${id}`, ca: cert.caPem, token };
      const lc: LabCluster = {
        nodes: [...cluster.hosts.values()].map((h) => ({ name: h.name, ip: h.ip })),
        endpoint,
        client: (user) => cluster.client(user),
        run: (name, argv, io, node) => runOn(cluster, endpoint.server, name, argv, io, node),
        settle: () => cluster.settle(),
        stop() {
          registry.remove(id);
          cluster.stop();
        },
      };
      clusters.set(lc, cluster);
      return lc;
    },
    close: () => api.close(),
  };
}
