import { describe, expect, it } from "vitest";
import { APIServer } from "../../src/apiserver/apiserver.ts";
import { inProcessClient } from "../../src/client/inprocess.ts";
import { GVR } from "../../src/client/interface.ts";
import { createChecker, type StepStatus } from "../../src/grading/checker.ts";
import { evaluateCheck, type EvalContext } from "../../src/grading/evaluate.ts";
import { parseFieldPath, readField } from "../../src/grading/fieldpath.ts";
import { parseKubectl, sameMeaning } from "../../src/grading/kubectl-meaning.ts";
import { parseCheck } from "../../src/grading/schema.ts";
import type { Check, UnitEvent } from "../../src/grading/types.ts";
import { FakeClock } from "../../src/utils/clock.ts";
import { seededRand } from "../../src/utils/rand.ts";

const meaning = (line: string) => parseKubectl(line.split(/\s+/).slice(1));
const same = (want: string, got: string) => sameMeaning(meaning(want), meaning(got)).matched;

describe("kubectl meaning", () => {
  it("treats aliases, attached values and flag order as the same request", () => {
    expect(same("kubectl get pods -o wide", "kubectl get po -owide")).toBe(true);
    expect(same("kubectl get pods -o wide", "kubectl get pod --output=wide")).toBe(true);
    expect(same("kubectl get pods -o wide", "kubectl -o wide get pods")).toBe(true);
    expect(same("kubectl get pods -A -o wide", "kubectl get pods --all-namespaces -owide")).toBe(true);
    expect(same("kubectl get deployments", "kubectl get deployments.")).toBe(true);
    expect(same("kubectl get deployments", "kubectl get deploy")).toBe(true);
    expect(same("kubectl get deployments", "kubectl get deployments.apps")).toBe(true);
    expect(same("kubectl describe replicasets", "kubectl describe rs")).toBe(true);
    expect(same("kubectl get pods -n kube-system -l k8s-app=kube-dns", "kubectl -n kube-system get po -l k8s-app=kube-dns -o wide")).toBe(true);
  });

  it("tells different requests apart, with a reason", () => {
    expect(same("kubectl get pods -o wide", "kubectl get pods")).toBe(false);
    expect(same("kubectl get pods -o wide", "kubectl get nodes -o wide")).toBe(false);
    expect(same("kubectl get pods -A", "kubectl get pods")).toBe(false);
    expect(same("kubectl get pods -n kube-system", "kubectl get pods")).toBe(false);
    expect(sameMeaning(meaning("kubectl get pods -o wide"), meaning("kubectl get pods -o yaml")).reason).toBe('--output is "yaml", not "wide"');
  });

  it("reads two-word verbs, TYPE/NAME and placeholders", () => {
    expect(meaning("kubectl create deployment test-web --image=httpd --replicas=2")).toMatchObject({ verb: "create deployment", names: ["test-web"] });
    expect(meaning("kubectl delete pod/test-web-abc")).toMatchObject({ verb: "delete", resources: ["pods"], names: ["test-web-abc"] });
    expect(same("kubectl delete pod <pod>", "kubectl delete po test-web-7c7cd49dbf-x2k9q")).toBe(true);
    expect(same("kubectl delete pod <pod>", "kubectl delete pod")).toBe(false);
    expect(meaning("kubectl exec -it web -- sh").flags.get("stdin")).toBe("true");
  });
});

describe("field paths", () => {
  const node = { status: { conditions: [{ type: "MemoryPressure", status: "False" }, { type: "Ready", status: "True" }] }, metadata: { labels: { "app.kubernetes.io/name": "x" } } };
  it("reads dotted paths, indexes, filters and quoted keys", () => {
    expect(readField(node, parseFieldPath("status.conditions[type=Ready].status"))).toBe("True");
    expect(readField(node, parseFieldPath('{.status.conditions[?(@.type=="Ready")].status}'))).toBe("True");
    expect(readField(node, parseFieldPath("status.conditions[0].type"))).toBe("MemoryPressure");
    expect(readField(node, parseFieldPath('metadata.labels["app.kubernetes.io/name"]'))).toBe("x");
    expect(readField(node, parseFieldPath("status.nothing.here"))).toBeUndefined();
  });
});

describe("check schema", () => {
  it("accepts the documented forms and names the bad field", () => {
    expect(parseCheck({ kind: "resource", resource: "deployments", name: "x", expect: { "status.readyReplicas": { gte: 2 } } }).problems).toEqual([]);
    expect(parseCheck({ kind: "nope" }).problems[0]!.message).toMatch(/unknown check kind "nope"/);
    expect(parseCheck({ kind: "pods", selector: "a=b", cuont: 2 }).problems[0]).toMatchObject({ path: ["cuont"] });
    expect(parseCheck({ kind: "pods", count: 2 }).problems[0]!.message).toMatch(/exactly one of `selector` or `deployment`/);
    expect(parseCheck({ kind: "resource", resource: "x", name: "y", expect: { a: { bigger: 1 } } }).problems[0]).toMatchObject({ path: ["expect", "a"] });
    expect(parseCheck({ kind: "unit", unit: "kubelet", action: "reload" }).problems[0]!.message).toMatch(/start, stop or restart/);
  });
});

async function apiWithPods() {
  const clock = new FakeClock();
  const api = new APIServer({ clock, rand: seededRand(7) });
  const client = inProcessClient(api, { user: "admin" });
  await client.resource(GVR.namespaces).create({ metadata: { name: "default" } });
  const pod = async (name: string, node: string, phase = "Running") => {
    const created = await client.resource(GVR.pods).create({ metadata: { name, labels: { app: "web" } }, spec: { nodeName: node, containers: [{ name: "c", image: "httpd" }] } } as never, "default");
    await client.resource(GVR.pods).update({ ...created, status: { phase, podIP: `10.244.${node === "node01" ? 1 : 2}.9`, conditions: [{ type: "Ready", status: phase === "Running" ? "True" : "False" }] } } as never, { subresource: "status" });
  };
  return { clock, api, client, pod };
}

describe("checks against an apiserver", () => {
  it("resource: passes on the expected field, says what is missing otherwise", async () => {
    const { client } = await apiWithPods();
    const ctx: EvalContext = { client, commands: [], units: [], snapshot: new Map() };
    const check = parseCheck({ kind: "resource", resource: "ns", name: "default", expect: { "metadata.name": "default" } }).check!;
    expect(await evaluateCheck(check, ctx)).toEqual({ passed: true });
    const missing = parseCheck({ kind: "resource", resource: "deploy", name: "test-web" }).check!;
    expect(await evaluateCheck(missing, ctx)).toEqual({ passed: false, message: 'deployments "test-web" not found in namespace default' });
    const wrong = parseCheck({ kind: "resource", resource: "namespaces", name: "default", expect: { "metadata.name": { matches: "^kube-" } } }).check!;
    expect((await evaluateCheck(wrong, ctx)).message).toBe('namespaces "default": metadata.name is "default", want matching /^kube-/');
    expect(await evaluateCheck({ kind: "resource", resource: "deploy", name: "test-web", absent: true }, ctx)).toEqual({ passed: true });
  });

  it("pods: count, phase and distinct nodes", async () => {
    const { client, pod } = await apiWithPods();
    const ctx: EvalContext = { client, commands: [], units: [], snapshot: new Map() };
    const check: Check = { kind: "pods", selector: "app=web", count: 2, phase: "Running", distinctNodes: 2 };
    await pod("web-1", "node01");
    expect(await evaluateCheck(check, ctx)).toEqual({ passed: false, message: "1 pod of app=web, 1 Running; want 2" });
    await pod("web-2", "node01");
    expect(await evaluateCheck(check, ctx)).toEqual({ passed: false, message: "the pods run on 1 node(s), want 2 different nodes" });
    await client.resource(GVR.pods).delete("web-2", "default", { gracePeriodSeconds: 0 });
    await pod("web-3", "node02");
    expect(await evaluateCheck(check, ctx)).toEqual({ passed: true });
  });

  it("command and unit checks read the learner's history", async () => {
    const { client } = await apiWithPods();
    const units: UnitEvent[] = [{ node: "master", unit: "kubelet.service", action: "restart", time: 0 }];
    const ctx: EvalContext = { client, commands: [{ argv: ["kubectl", "get", "po", "-owide"], node: "master", exitCode: 0, time: 0 }], units, snapshot: new Map() };
    expect(await evaluateCheck({ kind: "command", run: "kubectl get pods -o wide" }, ctx)).toEqual({ passed: true });
    expect((await evaluateCheck({ kind: "command", run: "kubectl get nodes" }, ctx)).message).toBe('run `kubectl get nodes` (last try `kubectl get po -owide`: resource is "pods", not "nodes")');
    expect(await evaluateCheck({ kind: "unit", unit: "kubelet", action: "restart", node: "any" }, ctx)).toEqual({ passed: true });
    expect(await evaluateCheck({ kind: "unit", unit: "kubelet", action: "restart", node: "node01", message: "ssh node01 first" }, ctx)).toEqual({ passed: false, message: "ssh node01 first" });
    ctx.commands = [{ argv: ["systemctl", "status", "kubelet.service"], node: "node01", exitCode: 3, time: 0 }];
    expect(await evaluateCheck({ kind: "command", run: "systemctl status kubelet", node: "node01", anyExitCode: true }, ctx)).toEqual({ passed: true });
  });
});

describe("checker", () => {
  it("completes steps in order, re-evaluating on commands and watch events, and keeps them completed", async () => {
    const { client, pod } = await apiWithPods();
    const seen: StepStatus[] = [];
    const done: string[] = [];
    const listeners = new Set<(u: UnitEvent) => void>();
    const host = { name: "node01", onUnitChange: (fn: (u: UnitEvent) => void) => (listeners.add(fn), () => void listeners.delete(fn)) };
    const lesson = {
      steps: [
        { id: "look", checks: [{ kind: "command", run: "kubectl get pods" }] as Check[] },
        { id: "two", checks: [{ kind: "pods", selector: "app=web", count: 2, phase: "Running" }] as Check[] },
        { id: "restart", checks: [{ kind: "unit", unit: "kubelet", action: "restart", node: "node01" }] as Check[] },
      ],
    };
    const checker = createChecker({ lesson, client, hosts: [host], onStatus: (s) => seen.push(s), onComplete: (id) => done.push(id) });
    await checker.start();
    expect(checker.currentStep()).toBe("look");
    expect(seen.at(-1)).toEqual({ stepId: "look", passed: false, message: "run `kubectl get pods`" });
    // Pods appear first: step two must not go green before step one.
    await pod("web-1", "node01");
    await pod("web-2", "node02");
    await checker.idle();
    expect(done).toEqual([]);
    checker.reportCommand({ argv: ["kubectl", "get", "po"], node: "master", exitCode: 0, time: 1 });
    await checker.idle();
    expect(done).toEqual(["look", "two"]);
    expect(checker.currentStep()).toBe("restart");
    for (const l of listeners) l({ node: "node01", unit: "kubelet.service", action: "restart", time: 2 });
    await checker.idle();
    expect(done).toEqual(["look", "two", "restart"]);
    // A completed step stays completed when the state it checked goes away.
    await client.resource(GVR.pods).delete("web-1", "default", { gracePeriodSeconds: 0 });
    await checker.check();
    expect(checker.statuses().map((s) => s.passed)).toEqual([true, true, true]);
    checker.stop();
  });

  it("watch events re-evaluate without any report", async () => {
    const { client, pod } = await apiWithPods();
    const done: string[] = [];
    const checker = createChecker({
      lesson: { steps: [{ id: "one", checks: [{ kind: "pods", selector: "app=web", count: 1, phase: "Running" }] }] },
      client,
      onStatus: () => {},
      onComplete: (id) => done.push(id),
    });
    await checker.start();
    await pod("web-1", "node01");
    for (let i = 0; i < 10 && !done.length; i++) await checker.idle().then(() => new Promise((r) => setImmediate(r)));
    expect(done).toEqual(["one"]);
    checker.stop();
  });

  it("starts from persisted progress", async () => {
    const { client } = await apiWithPods();
    const checker = createChecker({
      lesson: { steps: [{ id: "a", checks: [{ kind: "command", run: "kubectl get nodes" }] }, { id: "b", checks: [{ kind: "command", run: "kubectl get pods" }] }] },
      client,
      completed: ["a"],
      onStatus: () => {},
    });
    await checker.start();
    expect(checker.currentStep()).toBe("b");
    expect(checker.statuses()[0]).toEqual({ stepId: "a", passed: true });
    checker.stop();
  });
});
