// cobra's hidden `__complete` command as kubectl 1.32 answers it (cobra
// completions.go plus kubectl's pkg/util/completion): the candidates for the
// last word, one per line with a tab and a description where cobra gives one,
// then `:<directive>`. Commands, subcommands and flags (with kubectl's own
// descriptions, recorded in kubectl-1.32-complete.json and reworded for the
// client of the server's minor by complete-changes.ts), flag values for
// -n/-o/-f, resource types (api-resources -o name, verb get), object names
// listed from the API (TYPE NAME, TYPE/NAME, TYPE1,TYPE2), pods and their
// containers for logs/exec/attach, nodes for cordon/drain/taint.
// Leaves out the debug line cobra writes to stderr and --context/--cluster values.

import { readFileSync } from "node:fs";
import type { CommandIO } from "../../utils/command.ts";
import { captureIO } from "../../utils/command.ts";
import type { ClientBehaviour } from "../clientversion.ts";
import { pathFor } from "../discovery.ts";
import { Factory } from "../factory.ts";
import { Flags, type FlagSpec, parseFlags } from "../flags.ts";
import type { KubectlDeps } from "../kubectl.ts";
import { completionLinesForClient } from "./complete-changes.ts";

interface CommandData {
  flags: number[];
  subcommands?: [string, string][];
  outputValues?: string[];
}

interface Recorded {
  lines: string[];
  commands: Record<string, CommandData>;
}

/** What kubectl.ts knows about its commands. */
export interface CommandTable {
  commands: { path: string[]; flags: FlagSpec[]; required?: string[] }[];
  all: string[];
  globalFlags: FlagSpec[];
  groups: Record<string, { names: string[]; aliases?: Record<string, string> }>;
  /** `__complete` (with descriptions) or `__completeNoDesc`. */
  descriptions: boolean;
}

const NO_FILE_COMP = 4;
const NO_SPACE = 2;
const FILTER_FILE_EXT = 8;
const DEFAULT = 0;

const CREATE_ALIASES: Record<string, string> = { deploy: "deployment", ns: "namespace", cm: "configmap", sa: "serviceaccount", cj: "cronjob", pdb: "poddisruptionbudget", pc: "priorityclass", svc: "service", quota: "quota" };

/** The commands whose arguments are TYPE [NAME…] (ResourceTypeAndNameCompletionFunc). */
const TYPE_AND_NAME = new Set(["get", "describe", "delete", "edit", "label", "annotate", "patch"]);
/** Commands restricted to a few types (SpecifiedResourceTypeAndNameCompletionFunc). */
const SPECIFIED_TYPES: Record<string, string[]> = {
  scale: ["deployment", "replicaset", "replicationcontroller", "statefulset"],
  expose: ["pod", "service", "replicationcontroller", "deployment", "replicaset"],
  autoscale: ["deployment", "replicaset", "replicationcontroller", "statefulset"],
  "rollout status": ["deployment", "daemonset", "statefulset"],
  "rollout history": ["deployment", "daemonset", "statefulset"],
  "rollout undo": ["deployment", "daemonset", "statefulset"],
  "rollout restart": ["deployment", "daemonset", "statefulset"],
  "rollout pause": ["deployment"],
  "set image": ["daemonsets", "deployments", "pods", "cronjobs", "replicasets", "replicationcontrollers", "statefulsets"],
  "rollout resume": ["deployment"],
};
/** Which of those take several objects (allowRepeat). */
const REPEATABLE = new Set(["scale", "expose", "autoscale"]);
/** Pods, or TYPE/ for the kinds that select pods (PodResourceNameAndContainerCompletionFunc). */
const POD_COMMANDS = new Set(["logs", "exec", "attach", "port-forward"]);
const POD_OWNER_TYPES = ["daemonsets", "deployments", "pods", "jobs", "replicasets", "replicationcontrollers", "services", "statefulsets"];
const NODE_COMMANDS = new Set(["cordon", "uncordon", "drain", "top node"]);

function loadRecorded(): Recorded {
  return JSON.parse(readFileSync(new URL("./kubectl-1.32-complete.json", import.meta.url), "utf8")) as Recorded;
}

export async function complete(argv: string[], io: CommandIO, deps: KubectlDeps, table: CommandTable): Promise<number> {
  const recorded = loadRecorded();
  const toComplete = argv.length > 0 ? argv[argv.length - 1]! : "";
  const before = argv.slice(0, -1);

  // Find the command and its positional arguments (cobra's Find + flag stripping).
  const path: string[] = [];
  const positional: string[] = [];
  const given = new Map<string, string>();
  let pendingFlag: FlagSpec | undefined;
  const specsFor = () => [...table.globalFlags, ...(table.commands.find((c) => c.path.join(" ") === path.join(" "))?.flags ?? [])];
  const lookup = (token: string): FlagSpec | undefined => {
    const specs = specsFor();
    if (token.startsWith("--")) return specs.find((s) => s.name === token.slice(2).split("=")[0]);
    return specs.find((s) => s.shorthand === token.slice(1, 2));
  };
  for (let k = 0; k < before.length; k++) {
    const a = before[k]!;
    if (a.startsWith("-") && a !== "-") {
      const spec = lookup(a);
      if (!spec) continue;
      const eq = a.indexOf("=");
      if (eq >= 0) given.set(spec.name, a.slice(eq + 1));
      else if (!a.startsWith("--") && a.length > 2) given.set(spec.name, a.slice(2));
      else if (spec.type !== "bool" && spec.noOptDefault === undefined) {
        if (k + 1 < before.length) given.set(spec.name, before[++k]!);
        else pendingFlag = spec;
      } else given.set(spec.name, "true");
      continue;
    }
    const key = path.join(" ");
    const verb = path[0];
    const alias = verb === "create" ? CREATE_ALIASES[a] : verb ? table.groups[verb]?.aliases?.[a] : undefined;
    const sub = [key, alias ?? a].filter(Boolean).join(" ");
    if (positional.length === 0 && recorded.commands[sub] && (path.length === 0 || recorded.commands[key]?.subcommands)) path.push(alias ?? a);
    else positional.push(a);
  }
  const key = path.join(" ");
  const data = recorded.commands[key] ?? recorded.commands[""]!;
  const out: string[] = [];
  let directive = NO_FILE_COMP;
  const emit = (line: string) => out.push(table.descriptions ? line : line.split("\t")[0]!);

  const lister = new Lister(io, deps, given);
  try {
    // The descriptions as the client the dispatcher would run words them.
    const minor = (await lister.client()).minor;
    const flagLinesHere = () => flagLines(completionLinesForClient(key, data.flags.map((i) => recorded.lines[i]!), minor), specsFor());
    if (pendingFlag || (toComplete.startsWith("-") && toComplete.includes("="))) {
      // A flag's value.
      let spec = pendingFlag;
      let prefix = toComplete;
      if (!spec) {
        spec = lookup(toComplete);
        prefix = toComplete.slice(toComplete.indexOf("=") + 1);
      }
      const values = await flagValues(spec?.name ?? "", data, lister);
      if (values === undefined) directive = DEFAULT;
      else if (values.kind === "ext") {
        values.items.forEach((v) => out.push(v));
        directive = FILTER_FILE_EXT;
      } else values.items.filter((v) => v.startsWith(prefix)).forEach((v) => out.push(v));
    } else if (toComplete.startsWith("-")) {
      for (const line of flagLinesHere()) if (line.split("\t")[0]!.startsWith(toComplete)) emit(line);
    } else {
      if (positional.length === 0 && data.subcommands) {
        const subs = completionLinesForClient(key, data.subcommands.map(([name, desc]) => `${name}\t${desc}`), minor);
        for (const line of subs) if (line.split("\t")[0]!.startsWith(toComplete)) emit(line);
      }
      const def = table.commands.find((c) => c.path.join(" ") === key);
      for (const r of def?.required ?? []) {
        if (given.has(r) || !`--${r}`.startsWith(toComplete)) continue;
        const line = flagLinesHere().find((l) => l.startsWith(`--${r}\t`));
        if (line) emit(line);
      }
      const args = await argCompletions(key, positional, toComplete, lister);
      if (args) {
        args.items.forEach((v) => out.push(v));
        directive = args.directive;
      } else if (!data.subcommands || positional.length > 0) directive = DEFAULT;
    }
  } finally {
    lister.close();
  }
  io.stdout.write(out.map((l) => `${l}\n`).join("") + `:${directive}\n`);
  // kubectl's `options` command sets its output (cobra's SetOutput) to stdout, stderr included.
  (key === "options" ? io.stdout : io.stderr).write(`Completion ended with directive: ${directiveName(directive)}\n`);
  return 0;
}

function directiveName(d: number): string {
  if (d === DEFAULT) return "ShellCompDirectiveDefault";
  const names: string[] = [];
  if (d & 1) names.push("ShellCompDirectiveError");
  if (d & NO_SPACE) names.push("ShellCompDirectiveNoSpace");
  if (d & NO_FILE_COMP) names.push("ShellCompDirectiveNoFileComp");
  if (d & FILTER_FILE_EXT) names.push("ShellCompDirectiveFilterFileExt");
  return names.join(", ");
}

/** The `--flag\tusage` lines cobra lists, each followed by its `-x` shorthand line. */
function flagLines(lines: string[], specs: FlagSpec[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    out.push(line);
    const name = line.split("\t")[0]!.slice(2);
    const short = specs.find((s) => s.name === name)?.shorthand;
    if (short) out.push(`-${short}\t${line.split("\t").slice(1).join("\t")}`);
  }
  return out;
}

async function flagValues(name: string, data: CommandData, lister: Lister): Promise<{ kind: "values" | "ext"; items: string[] } | undefined> {
  switch (name) {
    case "namespace":
      return { kind: "values", items: await lister.names("namespaces", "") };
    case "output":
      return data.outputValues ? { kind: "values", items: data.outputValues.filter((l) => !l.startsWith(":")) } : undefined;
    case "filename":
      return { kind: "ext", items: ["json", "yaml", "yml"] };
    default:
      return undefined;
  }
}

async function argCompletions(key: string, args: string[], toComplete: string, lister: Lister): Promise<{ items: string[]; directive: number } | undefined> {
  if (TYPE_AND_NAME.has(key)) return typeAndName(args, toComplete, lister, undefined);
  // `set image` completes resources from 1.31 on; before, cobra's default (files).
  if (key === "set image" && !(await lister.client()).has("setImageCompletion")) return undefined;
  if (SPECIFIED_TYPES[key]) return typeAndName(args, toComplete, lister, SPECIFIED_TYPES[key], REPEATABLE.has(key));
  if (POD_COMMANDS.has(key)) {
    if (args.length === 0) {
      const slash = toComplete.indexOf("/");
      if (slash >= 0) {
        const type = toComplete.slice(0, slash);
        return { items: (await lister.names(type, "")).map((n) => `${type}/${n}`).filter((c) => c.startsWith(toComplete)), directive: NO_FILE_COMP };
      }
      const pods = (await lister.names("pods", "")).filter((n) => n.startsWith(toComplete));
      const owners = POD_OWNER_TYPES.map((t) => `${t}/`).filter((t) => t.startsWith(toComplete));
      return { items: [...pods, ...owners], directive: pods.length === 0 ? NO_FILE_COMP | NO_SPACE : NO_FILE_COMP };
    }
    if (args.length === 1 && !args[0]!.includes("/") && key === "logs") {
      return { items: (await lister.containers(args[0]!)).filter((c) => c.startsWith(toComplete)), directive: NO_FILE_COMP };
    }
    return { items: [], directive: NO_FILE_COMP };
  }
  if (key === "top pod") return { items: (await lister.names("pods", "")).filter((n) => n.startsWith(toComplete) && !args.includes(n)), directive: NO_FILE_COMP };
  if (key === "taint" && args.length === 0) return { items: ["node"].filter((t) => t.startsWith(toComplete)), directive: NO_FILE_COMP };
  if (key === "taint" && args.length === 1) return { items: (await lister.names("nodes", "")).filter((n) => n.startsWith(toComplete)), directive: NO_FILE_COMP };
  if (NODE_COMMANDS.has(key)) {
    if (args.length > 0) return { items: [], directive: NO_FILE_COMP };
    return { items: (await lister.names("nodes", "")).filter((n) => n.startsWith(toComplete) && !args.includes(n)), directive: NO_FILE_COMP };
  }
  return undefined;
}

/** ResourceTypeAndNameCompletionFunc / SpecifiedResourceTypeAndNameCompletionFunc. */
async function typeAndName(args: string[], toComplete: string, lister: Lister, allowed: string[] | undefined, repeat = true): Promise<{ items: string[]; directive: number }> {
  // The specified-types form completes one object only (allowRepeat=false).
  if (allowed && !repeat && (args.length > 1 || (args.length === 1 && args[0]!.includes("/")))) return { items: [], directive: NO_FILE_COMP };
  if (args.length > 0 && !args[0]!.includes("/")) {
    // TYPE NAME…: names of the type(s), without those already given.
    const names: string[] = [];
    for (const t of args[0]!.split(",")) names.push(...(await lister.names(t, "")));
    return { items: names.filter((n) => n.startsWith(toComplete) && !args.slice(1).includes(n)), directive: NO_FILE_COMP };
  }
  const slash = toComplete.indexOf("/");
  if (slash >= 0) {
    const type = toComplete.slice(0, slash);
    return { items: (await lister.names(type, "")).map((n) => `${type}/${n}`).filter((c) => c.startsWith(toComplete)), directive: NO_FILE_COMP };
  }
  if (args.length > 0) {
    // After TYPE/NAME, more TYPE/NAME arguments.
    const types = allowed ?? (await lister.resourceTypes());
    return { items: types.map((t) => `${t}/`).filter((t) => t.startsWith(toComplete)), directive: NO_FILE_COMP | NO_SPACE };
  }
  if (allowed) return { items: allowed.filter((t) => t.startsWith(toComplete)), directive: NO_FILE_COMP };
  const comma = toComplete.lastIndexOf(",");
  const prefix = comma >= 0 ? toComplete.slice(0, comma + 1) : "";
  const suffix = toComplete.slice(comma + 1);
  return { items: (await lister.resourceTypes()).filter((r) => r.startsWith(suffix)).map((r) => prefix + r), directive: NO_FILE_COMP };
}

/** Talks to the cluster the way the completed command would (same kubeconfig, -n, --context). */
class Lister {
  private readonly factory: Factory;

  constructor(
    private readonly io: CommandIO,
    private readonly deps: KubectlDeps,
    private readonly given: Map<string, string>,
  ) {
    const argv = [...given].flatMap(([k, v]) => (["namespace", "kubeconfig", "context", "server", "token", "insecure-skip-tls-verify"].includes(k) ? [`--${k}=${v}`] : []));
    const specs: FlagSpec[] = [
      { name: "namespace", type: "string" },
      { name: "kubeconfig", type: "string" },
      { name: "context", type: "string" },
      { name: "server", type: "string" },
      { name: "token", type: "string" },
      { name: "insecure-skip-tls-verify", type: "bool" },
    ];
    const quiet = { ...io, stderr: { write: () => {} } };
    this.factory = new Factory({ io: quiet, flags: new Flags(parseFlags(argv, specs)), deps });
  }

  /** The client the dispatcher runs for this server. */
  client(): Promise<ClientBehaviour> {
    return this.factory.clientBehaviour();
  }

  /** `kubectl api-resources -o name --cached --verbs=get`. */
  async resourceTypes(): Promise<string[]> {
    const { kubectlMain } = await import("../kubectl.ts");
    const cap = captureIO({ env: this.io.env, cwd: this.io.cwd });
    const extra = [...this.given].flatMap(([k, v]) => (["kubeconfig", "context", "server", "token"].includes(k) ? [`--${k}=${v}`] : []));
    await kubectlMain(["api-resources", "-o", "name", "--cached", "--verbs=get", ...extra], cap, this.deps);
    return cap.out().split("\n").filter(Boolean);
  }

  /** The names of one type's objects in the namespace (CompGetResource's go-template over `get`). */
  async names(type: string, _unused: string): Promise<string[]> {
    try {
      const disco = await this.factory.discovery();
      const r = await disco.resolve(type);
      const rest = await this.factory.rest();
      const ns = r.namespaced ? this.factory.namespace().namespace : undefined;
      const list = await rest.json<{ items?: { metadata?: { name?: string } }[] }>("GET", pathFor(r, ns), { query: { limit: 500 } });
      return (list.items ?? []).map((i) => i.metadata?.name ?? "").filter(Boolean);
    } catch {
      return [];
    }
  }

  async containers(pod: string): Promise<string[]> {
    try {
      const rest = await this.factory.rest();
      const ns = this.factory.namespace().namespace;
      const p = await rest.json<{ spec?: { containers?: { name: string }[]; initContainers?: { name: string }[] } }>("GET", `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(pod)}`);
      return [...(p.spec?.initContainers ?? []), ...(p.spec?.containers ?? [])].map((c) => c.name);
    } catch {
      return [];
    }
  }

  close(): void {
    this.factory.close();
  }
}
