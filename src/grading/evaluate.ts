// Evaluates one check against the cluster (through a Client) and the
// learner's history. Checks never throw: an API error or a malformed value
// becomes a failed result whose message says what is not there yet.
// Pods-at-step-start snapshots back `unchanged` and `replaced`.

import type { KObject } from "../apimachinery/meta.ts";
import type { Client, GroupVersionResource } from "../client/interface.ts";
import { parseFieldPath, readField } from "./fieldpath.ts";
import { canonicalResource, parseKubectl, RESOURCE_GROUPS, sameMeaning } from "./kubectl-meaning.ts";
import type { Check, CheckResult, CommandCheck, CommandReport, Expectation, PodsCheck, ReplacedCheck, ResourceCheck, UnitCheck, UnitEvent } from "./types.ts";

/** Pods seen when a step began, per namespace+selector. */
export type PodSnapshot = Map<string, { name: string; ip?: string }[]>;

export interface EvalContext {
  client: Client;
  commands: readonly CommandReport[];
  units: readonly UnitEvent[];
  snapshot: PodSnapshot;
}

interface PodLike extends KObject {
  spec?: { nodeName?: string };
  status?: {
    phase?: string;
    podIP?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: { restartCount?: number }[];
  };
}

export function gvrFor(resource: string): GroupVersionResource | undefined {
  const plural = canonicalResource(resource);
  const gv = RESOURCE_GROUPS[plural];
  return gv ? { group: gv.group, version: gv.version, resource: plural } : undefined;
}

const CLUSTER_SCOPED = new Set(["nodes", "namespaces", "persistentvolumes"]);

/** Which pods a pods/replaced check looks at. */
interface PodSet {
  namespace?: string;
  selector?: string;
  deployment?: string;
}

export function snapshotKey(set: PodSet): string {
  return `${set.namespace ?? "default"}/${set.deployment ? `deployment/${set.deployment}` : set.selector}`;
}

/** "app=test-web" or "deployment test-web": how messages name the set. */
function setName(set: PodSet): string {
  return set.deployment ? `deployment ${set.deployment}` : (set.selector ?? "");
}

/** Records the pods each `unchanged`/`replaced` check of a step will compare against. */
export async function takeSnapshot(checks: readonly Check[], client: Client): Promise<PodSnapshot> {
  const snap: PodSnapshot = new Map();
  for (const c of checks) {
    if (c.kind !== "replaced" && !(c.kind === "pods" && c.unchanged)) continue;
    const key = snapshotKey(c);
    if (snap.has(key)) continue;
    try {
      const pods = await listPods(client, c);
      snap.set(key, pods.filter((p) => !p.metadata.deletionTimestamp).map((p) => ({ name: p.metadata.name!, ip: p.status?.podIP })));
    } catch {
      snap.set(key, []);
    }
  }
  return snap;
}

async function listPods(client: Client, set: PodSet): Promise<PodLike[]> {
  const ns = set.namespace ?? "default";
  let selector = set.selector ?? "";
  if (set.deployment) {
    // Follow the Deployment's own selector, so `kubectl run` (run=…) and `create deployment` (app=…) both count.
    let d: KObject & { spec?: { selector?: { matchLabels?: Record<string, string> } } };
    try {
      d = await client.resource<typeof d>({ group: "apps", version: "v1", resource: "deployments" }).get(set.deployment, ns);
    } catch {
      throw new Error(`deployments "${set.deployment}" not found in namespace ${ns}`);
    }
    selector = Object.entries(d.spec?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(",");
  }
  const list = await client.resource<PodLike>({ group: "", version: "v1", resource: "pods" }).list(ns, { labelSelector: selector });
  return list.items;
}

function show(v: unknown): string {
  return v === undefined ? "not set" : JSON.stringify(v);
}

/** Compares loosely as kubectl jsonpath output would: 2 equals "2". */
function looseEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  if (typeof a === "object" || typeof b === "object") return JSON.stringify(a) === JSON.stringify(b);
  return String(a) === String(b);
}

export function expectationHolds(value: unknown, exp: Expectation): boolean {
  if ("equals" in exp) return looseEquals(value, exp.equals);
  if ("not" in exp) return !looseEquals(value, exp.not);
  if ("gte" in exp) return typeof value === "number" ? value >= exp.gte : Number(value) >= exp.gte;
  if ("lte" in exp) return value !== undefined && Number(value) <= exp.lte;
  if ("exists" in exp) return (value !== undefined && value !== null) === exp.exists;
  return value !== undefined && new RegExp(exp.matches).test(typeof value === "string" ? value : JSON.stringify(value));
}

function describeExpectation(exp: Expectation): string {
  if ("equals" in exp) return show(exp.equals);
  if ("not" in exp) return `anything but ${show(exp.not)}`;
  if ("gte" in exp) return `at least ${exp.gte}`;
  if ("lte" in exp) return `at most ${exp.lte}`;
  if ("exists" in exp) return exp.exists ? "set" : "not set";
  return `matching /${exp.matches}/`;
}

async function evalResource(c: ResourceCheck, ctx: EvalContext): Promise<CheckResult> {
  const gvr = gvrFor(c.resource);
  if (!gvr) return { passed: false, message: `unknown resource type "${c.resource}"` };
  const ns = CLUSTER_SCOPED.has(gvr.resource) ? undefined : (c.namespace ?? "default");
  const where = ns ? ` in namespace ${ns}` : "";
  let obj: KObject | undefined;
  try {
    obj = await ctx.client.resource(gvr).get(c.name, ns);
  } catch (e) {
    if ((e as { code?: number }).code !== 404 && !/not found/.test(String((e as Error).message))) {
      return { passed: false, message: `could not read ${gvr.resource} "${c.name}": ${(e as Error).message}` };
    }
  }
  if (c.absent) return obj ? { passed: false, message: `${gvr.resource} "${c.name}" still exists${where}` } : { passed: true };
  if (!obj) return { passed: false, message: `${gvr.resource} "${c.name}" not found${where}` };
  for (const [field, exp] of Object.entries(c.expect ?? {})) {
    let value: unknown;
    try {
      value = readField(obj, parseFieldPath(field));
    } catch (e) {
      return { passed: false, message: (e as Error).message };
    }
    if (!expectationHolds(value, exp)) {
      return { passed: false, message: `${gvr.resource} "${c.name}": ${field} is ${show(value)}, want ${describeExpectation(exp)}` };
    }
  }
  return { passed: true };
}

function podReady(p: PodLike): boolean {
  return p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}

async function evalPods(c: PodsCheck, ctx: EvalContext): Promise<CheckResult> {
  let pods: PodLike[];
  try {
    pods = (await listPods(ctx.client, c)).filter((p) => !p.metadata.deletionTimestamp);
  } catch (e) {
    return { passed: false, message: (e as Error).message };
  }
  const wanted = pods.filter(
    (p) =>
      (c.phase === undefined || p.status?.phase === c.phase) &&
      (c.ready === undefined || podReady(p) === c.ready) &&
      (c.node === undefined || p.spec?.nodeName === c.node),
  );
  const what = [c.phase, c.ready === undefined ? undefined : c.ready ? "Ready" : "not Ready", c.node && `on ${c.node}`].filter(Boolean).join(", ");
  const total = `${pods.length} pod${pods.length === 1 ? "" : "s"} of ${setName(c)}`;
  if (c.count !== undefined && wanted.length !== c.count) {
    return { passed: false, message: `${total}${what ? `, ${wanted.length} ${what}` : ""}; want ${c.count}` };
  }
  if (c.count === undefined && wanted.length === 0) return { passed: false, message: `${total}${what ? `, none ${what}` : ""}` };
  if (c.distinctNodes !== undefined) {
    const nodes = new Set(wanted.map((p) => p.spec?.nodeName).filter(Boolean));
    if (nodes.size < c.distinctNodes) return { passed: false, message: `the pods run on ${nodes.size} node(s), want ${c.distinctNodes} different nodes` };
  }
  if (c.maxRestarts !== undefined) {
    for (const p of wanted) {
      const r = Math.max(0, ...(p.status?.containerStatuses ?? []).map((s) => s.restartCount ?? 0));
      if (r > c.maxRestarts) return { passed: false, message: `pod ${p.metadata.name} restarted ${r} time(s)` };
    }
  }
  if (c.unchanged) {
    const before = ctx.snapshot.get(snapshotKey(c)) ?? [];
    const now = new Map(wanted.map((p) => [p.metadata.name!, p.status?.podIP]));
    for (const b of before) {
      if (!now.has(b.name)) return { passed: false, message: `pod ${b.name} is gone` };
      if (b.ip && now.get(b.name) !== b.ip) return { passed: false, message: `pod ${b.name} changed IP from ${b.ip} to ${now.get(b.name)}` };
    }
  }
  return { passed: true };
}

async function evalReplaced(c: ReplacedCheck, ctx: EvalContext): Promise<CheckResult> {
  const before = ctx.snapshot.get(snapshotKey(c)) ?? [];
  let all: PodLike[];
  try {
    all = await listPods(ctx.client, c);
  } catch (e) {
    return { passed: false, message: (e as Error).message };
  }
  const live = new Set(all.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name!));
  const gone = before.filter((b) => !live.has(b.name));
  if (gone.length === 0) return { passed: false, message: `no pod of ${setName(c)} has been deleted yet` };
  const running = all.filter((p) => !p.metadata.deletionTimestamp && p.status?.phase === "Running" && podReady(p));
  const fresh = running.filter((p) => !before.some((b) => b.name === p.metadata.name));
  if (fresh.length === 0) return { passed: false, message: `pod ${gone[0]!.name} is gone; no replacement is Running yet` };
  if (running.length !== c.count) return { passed: false, message: `${running.length} pod(s) of ${setName(c)} are Running and Ready; want ${c.count}` };
  return { passed: true };
}

function evalCommand(c: CommandCheck, ctx: EvalContext): CheckResult {
  const want = splitWords(c.run);
  const wantTool = toolName(want[0]!);
  let nearest: string | undefined;
  for (const r of ctx.commands) {
    if (!r.argv.length || toolName(r.argv[0]!) !== wantTool) continue;
    if (c.node && c.node !== "any" && r.node !== c.node) {
      nearest = `you ran it on ${r.node}, not ${c.node}`;
      continue;
    }
    if (!c.anyExitCode && r.exitCode !== 0) {
      nearest = `\`${r.argv.join(" ")}\` failed (exit code ${r.exitCode})`;
      continue;
    }
    if (wantTool === "kubectl") {
      const m = sameMeaning(parseKubectl(want.slice(1)), parseKubectl(r.argv.slice(1)), c.exact);
      if (m.matched) return { passed: true };
      nearest = `\`${r.argv.join(" ")}\`: ${m.reason}`;
    } else if (sameToolCall(want, r.argv)) return { passed: true };
  }
  return { passed: false, message: `run \`${c.run}\`${c.node && c.node !== "any" ? ` on ${c.node}` : ""}${nearest ? ` (last try ${nearest})` : ""}` };
}

function toolName(word: string): string {
  const base = word.split("/").pop()!;
  return base === "k" ? "kubectl" : base;
}

/** Node tools: same words, `.service` optional on unit names, flags in any order. */
function sameToolCall(want: string[], got: string[]): boolean {
  const norm = (w: string[]) => w.slice(1).map((x) => x.replace(/\.service$/, "")).filter((x) => x !== "--no-pager");
  const a = norm(want);
  const b = norm(got);
  const flags = (w: string[]) => w.filter((x) => x.startsWith("-")).sort().join(" ");
  const words = (w: string[]) => w.filter((x) => !x.startsWith("-")).join(" ");
  return words(a) === words(b) && flags(b).includes(flags(a));
}

/** Splits an author's command into words, honouring quotes. */
export function splitWords(text: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (const m of text.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

function evalUnit(c: UnitCheck, ctx: EvalContext): CheckResult {
  const unit = c.unit.endsWith(".service") ? c.unit : `${c.unit}.service`;
  const hit = ctx.units.some((u) => u.unit === unit && u.action === c.action && (!c.node || c.node === "any" || u.node === c.node));
  if (hit) return { passed: true };
  const verb = { start: "start", stop: "stop", restart: "restart" }[c.action];
  return { passed: false, message: `${verb} ${unit}${c.node && c.node !== "any" ? ` on ${c.node}` : " on a node"} (systemctl ${verb} ${c.unit})` };
}

/** Evaluates one check. Never throws. */
export async function evaluateCheck(check: Check, ctx: EvalContext): Promise<CheckResult> {
  let r: CheckResult;
  try {
    switch (check.kind) {
      case "resource":
        r = await evalResource(check, ctx);
        break;
      case "pods":
        r = await evalPods(check, ctx);
        break;
      case "replaced":
        r = await evalReplaced(check, ctx);
        break;
      case "command":
        r = evalCommand(check, ctx);
        break;
      case "unit":
        r = evalUnit(check, ctx);
        break;
    }
  } catch (e) {
    r = { passed: false, message: `check failed to run: ${(e as Error).message}` };
  }
  return !r.passed && check.message ? { passed: false, message: check.message } : r;
}

/** A step passes when all its checks pass; the message is the first failure's. */
export async function evaluateChecks(checks: readonly Check[], ctx: EvalContext): Promise<CheckResult> {
  for (const c of checks) {
    const r = await evaluateCheck(c, ctx);
    if (!r.passed) return r;
  }
  return { passed: true };
}
