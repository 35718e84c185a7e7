// kubectl's entry point, after k8s.io/kubectl/pkg/cmd/cmd.go and cobra: find
// the command in argv, parse its flags (global ones anywhere on the line),
// report flag errors as kubectl does, then run the command. Commands live in
// cmd/<verb>.ts and are imported only when used, so start-up stays light
// (the lab shell runs kubectl for every line).
// Leaves out: plugins, shell completion, kuberc, most commands (they answer
// that they are not available here).

import type { Transport } from "../client/transport.ts";
import { type Clock, systemClock } from "../utils/clock.ts";
import type { CommandIO } from "../utils/command.ts";
import { errorMessage, RawError, UsageError } from "./errors.ts";
import { Factory } from "./factory.ts";
import type { ClientBehaviour } from "./clientversion.ts";
import { FlagError, Flags, type FlagSpec, parseFlags } from "./flags.ts";
import { GROUPS_WITH_HELP, OPS_COMMANDS } from "./ops-commands.ts";
import { CREATE_FILE_FLAGS, WRITE_COMMANDS, WRITE_GROUPS } from "./write-commands.ts";
import { CREATE_COMMANDS, CREATE_GROUPS } from "./create-commands.ts";

export interface KubectlDeps {
  transport?: Transport;
  /** Wall-clock time for ages and timestamps (the cluster's clock in the lab). */
  now?: () => number;
  /** Reads kubeconfig and -f files; defaults to the local filesystem. */
  readFile?: (path: string) => string;
  /** Writes the kubeconfig for `config use-context/set-context`; defaults to the local filesystem. */
  writeFile?: (path: string, text: string) => void;
  /** Timers for --timeout and polling (rollout status, wait, drain); defaults to the system clock. */
  clock?: Clock;
}

/** What a command module receives. */
export interface CommandContext {
  io: CommandIO;
  flags: Flags;
  args: string[];
  /** `kubectl get`, `kubectl create deployment`: for messages. */
  commandPath: string;
  factory: Factory;
  now(): number;
  /** For --timeout and polls: the cluster's clock in the lab, the system clock otherwise. */
  clock: Clock;
  /** Whether kubectl ≤1.17 behaviour is wanted (KUBELAB_KUBECTL_LEGACY_RUN=1). */
  legacyRun: boolean;
}

export interface CommandModule {
  run(ctx: CommandContext): Promise<number>;
}

interface CommandDef {
  path: string[];
  flags: FlagSpec[];
  load?: () => Promise<CommandModule>;
  /** Flag names cobra marks required, checked before running. */
  required?: string[];
}

const s = (name: string, shorthand?: string): FlagSpec => ({ name, type: "string", ...(shorthand ? { shorthand } : {}) });
const b = (name: string, shorthand?: string): FlagSpec => ({ name, type: "bool", ...(shorthand ? { shorthand } : {}) });
const i = (name: string, shorthand?: string): FlagSpec => ({ name, type: "int", ...(shorthand ? { shorthand } : {}) });
const sa = (name: string, shorthand?: string): FlagSpec => ({ name, type: "stringArray", ...(shorthand ? { shorthand } : {}) });
const ss = (name: string, shorthand?: string): FlagSpec => ({ name, type: "stringSlice", ...(shorthand ? { shorthand } : {}) });
const d = (name: string): FlagSpec => ({ name, type: "duration" });

/** `kubectl options`: inherited by every command. */
const GLOBAL_FLAGS: FlagSpec[] = [
  s("as"), sa("as-group"), s("as-uid"), s("cache-dir"), s("certificate-authority"), s("client-certificate"), s("client-key"),
  s("cluster"), s("context"), b("disable-compression"), b("insecure-skip-tls-verify"), s("kubeconfig"), d("log-flush-frequency"),
  b("match-server-version"), s("namespace", "n"), s("password"), s("profile"), s("profile-output"), s("request-timeout"),
  s("server", "s"), s("tls-server-name"), s("token"), s("user"), s("username"), s("v", "v"), s("vmodule"), b("warnings-as-errors"),
  b("help", "h"),
];

const PRINT_FLAGS: FlagSpec[] = [s("output", "o"), b("allow-missing-template-keys"), b("show-managed-fields"), s("template")];
const DRY_RUN: FlagSpec = { name: "dry-run", type: "string", noOptDefault: "unknown" };
const FILE_FLAGS: FlagSpec[] = [ss("filename", "f"), s("kustomize", "k"), b("recursive", "R")];

const COMMANDS: CommandDef[] = [
  {
    path: ["get"],
    flags: [
      ...PRINT_FLAGS, ...FILE_FLAGS, b("all-namespaces", "A"), s("selector", "l"), s("field-selector"), b("show-labels"), b("no-headers"),
      b("watch", "w"), b("watch-only"), b("output-watch-events"), ss("label-columns", "L"), b("show-kind"), s("sort-by"), i("chunk-size"),
      b("ignore-not-found"), s("raw"), s("subresource"),
    ],
    load: () => import("./cmd/get.ts"),
  },
  {
    path: ["describe"],
    flags: [...FILE_FLAGS, b("all-namespaces", "A"), s("selector", "l"), b("show-events"), i("chunk-size")],
    load: () => import("./cmd/describe.ts"),
  },
  {
    path: ["run"],
    flags: [
      ...PRINT_FLAGS, ...FILE_FLAGS, DRY_RUN, s("image"), s("port"), s("labels", "l"), sa("env"), s("restart"), b("command"), b("stdin", "i"),
      b("tty", "t"), b("rm"), b("attach"), sa("annotations"), s("image-pull-policy"), s("overrides"), b("privileged"), b("expose"),
      d("pod-running-timeout"), b("quiet", "q"), s("override-type"), s("field-manager"), b("save-config"), b("leave-stdin-open"),
      { name: "cascade", type: "string", noOptDefault: "background" }, i("grace-period"), b("force"), d("timeout"), b("wait"),
    ],
    load: () => import("./cmd/run.ts"),
    required: ["image"],
  },
  { path: ["create"], flags: CREATE_FILE_FLAGS, load: () => import("./cmd/createfile.ts") },
  {
    path: ["create", "deployment"],
    flags: [...PRINT_FLAGS, DRY_RUN, ss("image"), i("replicas", "r"), i("port"), s("field-manager"), b("save-config"), s("validate")],
    load: () => import("./cmd/create.ts"),
    required: ["image"],
  },
  {
    path: ["create", "namespace"],
    flags: [...PRINT_FLAGS, DRY_RUN, s("field-manager"), b("save-config"), s("validate")],
    load: () => import("./cmd/create.ts"),
  },
  {
    path: ["delete"],
    flags: [
      ...FILE_FLAGS, DRY_RUN, b("all"), b("all-namespaces", "A"), { name: "cascade", type: "string", noOptDefault: "background" }, s("field-selector"),
      b("force"), i("grace-period"), b("ignore-not-found"), b("now"), s("output", "o"), s("raw"), s("selector", "l"), d("timeout"), b("wait"),
      b("interactive", "i"),
    ],
    load: () => import("./cmd/delete.ts"),
  },
  {
    path: ["scale"],
    flags: [...PRINT_FLAGS, ...FILE_FLAGS, DRY_RUN, i("replicas"), i("current-replicas"), s("resource-version"), b("all"), s("selector", "l"), d("timeout")],
    load: () => import("./cmd/scale.ts"),
    required: ["replicas"],
  },
  {
    path: ["logs"],
    flags: [
      s("container", "c"), b("follow", "f"), i("tail"), b("previous", "p"), b("timestamps"), d("since"), s("since-time"), b("all-containers"),
      s("selector", "l"), b("prefix"), i("limit-bytes"), i("max-log-requests"), d("pod-running-timeout"), b("ignore-errors"),
      b("insecure-skip-tls-verify-backend"), b("all-pods"),
    ],
    load: () => import("./cmd/logs.ts"),
  },
  {
    path: ["expose"],
    flags: [
      ...PRINT_FLAGS, ...FILE_FLAGS, DRY_RUN, s("port"), s("protocol"), s("target-port"), s("name"), s("type"), s("selector"), s("labels", "l"),
      s("port-name"), s("cluster-ip"), s("external-ip"), s("load-balancer-ip"), s("session-affinity"), s("field-manager"), b("save-config"),
      b("record"), s("container-port"), s("generator"), s("overrides"), s("override-type"),
    ],
    load: () => import("./cmd/expose.ts"),
  },
  { path: ["version"], flags: [b("client"), s("output", "o")], load: () => import("./cmd/version.ts") },
  { path: ["cluster-info"], flags: [], load: () => import("./cmd/clusterinfo.ts") },
  ...OPS_COMMANDS,
  ...WRITE_COMMANDS,
  ...CREATE_COMMANDS,
  {
    path: ["api-resources"],
    flags: [s("api-group"), b("cached"), b("namespaced"), b("no-headers"), s("output", "o"), s("sort-by"), ss("verbs"), ss("categories")],
    load: () => import("./cmd/apiresources.ts"),
  },
];

/**
 * Shorthands only some clients have, by command: the others parse the line
 * without them (and so reject it).
 */
const SHORTHANDS_OF_SOME_CLIENTS: Record<string, { flag: string; has: (client: ClientBehaviour) => boolean }[]> = {
  explain: [{ flag: "output", has: (c) => c.has("explainOutputShorthand") && !c.has("explainOutputShorthandDropped") }],
};

/**
 * Flags only kubectl ≤1.20 has, by command: deprecated ones that 1.20 still
 * parses (printing pflag's deprecation note) and newer clients reject as
 * unknown. `run --replicas` had no effect since 1.18; --generator neither.
 */
const OLD_CLIENT_FLAGS: Record<string, { spec: FlagSpec; deprecated: string }[]> = {
  run: [
    { spec: i("replicas", "r"), deprecated: "has no effect and will be removed in the future." },
    { spec: s("generator"), deprecated: "has no effect and will be removed in the future." },
  ],
};

/**
 * Every top-level kubectl 1.32 command in registration order (kubectl turns
 * cobra's command sorting off, so suggestions come out in this order).
 */
const ALL_COMMANDS = [
  "create", "expose", "run", "set", "explain", "get", "edit", "delete", "rollout", "scale", "autoscale", "certificate", "cluster-info",
  "top", "cordon", "uncordon", "drain", "taint", "describe", "logs", "attach", "exec", "port-forward", "proxy", "cp", "auth", "debug",
  "events", "diff", "apply", "patch", "replace", "wait", "kustomize", "label", "annotate", "completion", "alpha", "config", "plugin",
  "version", "api-versions", "api-resources", "options", "help",
];

/** Commands that take subcommands (cobra's Find walks into them). */
const CREATE_SUBCOMMANDS = [
  "clusterrole", "clusterrolebinding", "configmap", "cronjob", "deployment", "ingress", "job", "namespace", "poddisruptionbudget",
  "priorityclass", "quota", "role", "rolebinding", "secret", "service", "serviceaccount", "token",
];
/** Command groups whose subcommands cobra's Find walks into, with their aliases. */
const GROUP_SUBCOMMANDS: Record<string, { names: string[]; aliases?: Record<string, string> }> = {
  rollout: { names: ["history", "pause", "restart", "resume", "status", "undo"] },
  top: { names: ["node", "pod"], aliases: { nodes: "node", no: "node", pods: "pod", po: "pod" } },
  auth: { names: ["can-i", "reconcile", "whoami"] },
  config: {
    names: ["current-context", "delete-cluster", "delete-context", "delete-user", "get-clusters", "get-contexts", "get-users", "rename-context", "set", "set-cluster", "set-context", "set-credentials", "unset", "use-context", "view"],
    aliases: { use: "use-context" },
  },
  ...WRITE_GROUPS,
};
const SUBCOMMAND_ALIASES: Record<string, string> = { deploy: "deployment", ns: "namespace", cm: "configmap", sa: "serviceaccount", cj: "cronjob", pdb: "poddisruptionbudget", pc: "priorityclass", svc: "service" };

function levenshtein(a: string, b: string): number {
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) dp[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      dp[i]![j] = Math.min(dp[i - 1]![j]! + 1, dp[i]![j - 1]! + 1, dp[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return dp[a.length]![b.length]!;
}

/** cobra's SuggestionsFor: distance ≤ 2 or a prefix match. */
function suggestionsFor(typed: string): string[] {
  return ALL_COMMANDS.filter((c) => levenshtein(typed.toLowerCase(), c.toLowerCase()) <= 2 || c.startsWith(typed.toLowerCase()));
}

/**
 * The words of argv that name the command, skipping flags and the values of
 * global flags that take one (cobra's stripFlags).
 */
function commandWords(argv: string[]): string[] {
  const words: string[] = [];
  const valued = new Set(GLOBAL_FLAGS.filter((f) => f.type !== "bool").flatMap((f) => [`--${f.name}`, ...(f.shorthand ? [`-${f.shorthand}`] : [])]));
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k]!;
    if (a === "--") break;
    if (a.startsWith("-")) {
      if (!a.includes("=") && valued.has(a)) k++;
      continue;
    }
    words.push(a);
  }
  return words;
}

/** Removes the first occurrence of each command word, as cobra does before parsing flags. */
function withoutWords(argv: string[], words: string[]): string[] {
  const out = [...argv];
  for (const w of words) {
    const at = out.indexOf(w);
    if (at >= 0) out.splice(at, 1);
  }
  return out;
}

/**
 * The behaviour of the client the dispatcher would run, for errors found
 * before the command's flags parse: the server is found from the kubeconfig
 * alone, as flags on the line may be the ones in error.
 */
async function behaviourBeforeFlags(io: CommandIO, deps: KubectlDeps): Promise<ClientBehaviour> {
  const factory = new Factory({ io, flags: new Flags(parseFlags([], GLOBAL_FLAGS)), deps });
  try {
    return await factory.clientBehaviour();
  } finally {
    factory.close();
  }
}

/**
 * kubectl ≤1.20 let cobra print its own errors (flag parsing, unknown
 * command, flags cobra marks required) as "Error: …"; later clients print
 * them as kubectl's "error: …".
 */
function cobraPrefix(client: ClientBehaviour): string {
  return client.has("kubectlCommandErrors") ? "error:" : "Error:";
}

/**
 * The client whose help is printed: the lab's dispatcher runs the client of
 * the server's minor for help too (with no command as well), and 1.32 when
 * the server does not answer.
 */
async function dispatchedClient(io: CommandIO, deps: KubectlDeps, flags: Flags): Promise<ClientBehaviour> {
  const factory = new Factory({ io, flags, deps });
  try {
    return await factory.clientBehaviour();
  } finally {
    factory.close();
  }
}

/** The global flags on a line that has no command (or only a group's name). */
function globalFlags(argv: string[]): Flags {
  try {
    return new Flags(parseFlags(argv, GLOBAL_FLAGS));
  } catch {
    // Some other flag: the kubeconfig alone names the server.
    return new Flags(parseFlags([], GLOBAL_FLAGS));
  }
}

export async function kubectlMain(argv: string[], io: CommandIO, deps: KubectlDeps = {}): Promise<number> {
  const err = (text: string) => io.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
  if (argv[0] === "__complete" || argv[0] === "__completeNoDesc") {
    const { complete } = await import("./completion/complete.ts");
    return complete(argv.slice(1), io, deps, { commands: COMMANDS, all: ALL_COMMANDS, globalFlags: GLOBAL_FLAGS, groups: GROUP_SUBCOMMANDS, descriptions: argv[0] === "__complete" });
  }
  const words = commandWords(argv);
  const legacyRun = io.env.KUBELAB_KUBECTL_LEGACY_RUN === "1";

  if (words.length === 0) {
    if (argv.some((a) => a === "-h" || a === "--help") || argv.length === 0) {
      // The dispatcher asks the server even here, and runs 1.32 when it does not answer.
      const { rootHelp } = await import("./help.ts");
      io.stdout.write(rootHelp(await dispatchedClient(io, deps, globalFlags(argv))));
      return 0;
    }
  }
  const verb = words[0] ?? "";
  let path = [verb];
  if (verb === "create" && words[1]) {
    const sub = SUBCOMMAND_ALIASES[words[1]] ?? words[1];
    if (CREATE_SUBCOMMANDS.includes(sub)) path = ["create", sub];
    // `create service clusterip`, `create secret generic`: one level further.
    if (words[2] && CREATE_GROUPS[sub]?.includes(words[2])) path = ["create", sub, words[2]];
  }
  const group = GROUP_SUBCOMMANDS[verb];
  if (group && words[1]) {
    const sub = group.aliases?.[words[1]] ?? words[1];
    if (group.names.includes(sub)) path = [verb, sub];
  }
  let def = COMMANDS.find((c) => c.path.join(" ") === path.join(" "));
  if (!def) {
    if (!ALL_COMMANDS.includes(verb)) {
      const sugg = suggestionsFor(verb);
      const client = await behaviourBeforeFlags(io, deps);
      let text = `${cobraPrefix(client)} unknown command "${verb}" for "kubectl"`;
      if (sugg.length > 0) text += `\n\nDid you mean this?\n${sugg.map((x) => `\t${x}\n`).join("")}`;
      // cobra's ExecuteC: Println of the error, then where to find usage.
      if (!client.has("kubectlCommandErrors")) text += `\nRun 'kubectl --help' for usage.`;
      err(text);
      return 1;
    }
    if (GROUPS_WITH_HELP.includes(verb) && !argv.some((a) => a === "-h" || a === "--help")) {
      // cobra's DefaultSubCommandRun: a group without a (known) subcommand.
      if (words[1]) {
        err(`error: unknown command "${words[1]}"\nSee 'kubectl ${verb} -h' for help and examples`);
        return 1;
      }
      const { commandHelp } = await import("./help.ts");
      (verb === "rollout" ? io.stdout : io.stderr).write(commandHelp(verb, await dispatchedClient(io, deps, globalFlags(argv))));
      return 1;
    }
    def = { path, flags: [] };
  }
  if (legacyRun && def.path[0] === "run") def = { ...def, flags: [...def.flags, i("replicas", "r"), s("generator"), s("schedule"), s("service-generator"), s("serviceaccount"), b("record"), b("hostport")] };
  const commandPath = `kubectl ${def.path.join(" ")}`;
  const rest = withoutWords(argv, path.map((w, k) => (k === 1 ? (words[1] ?? w) : w)));

  let flags: Flags;
  try {
    flags = new Flags(parseFlags(rest, [...GLOBAL_FLAGS, ...def.flags]));
  } catch (e) {
    if (!(e instanceof FlagError)) throw e;
    const old = OLD_CLIENT_FLAGS[def.path.join(" ")] ?? [];
    let withOld: Flags | undefined;
    try {
      if (old.length > 0) withOld = new Flags(parseFlags(rest, [...GLOBAL_FLAGS, ...def.flags, ...old.map((o) => o.spec)]));
    } catch {
      /* not (only) an old client's flag: report the first error */
    }
    let client: ClientBehaviour;
    if (withOld) {
      const f = new Factory({ io, flags: withOld, deps });
      client = await f.clientBehaviour();
      f.close();
    } else client = await behaviourBeforeFlags(io, deps);
    if (!withOld || client.has("removedDeprecatedFlags")) {
      err(`${cobraPrefix(client)} ${e.message}\nSee '${commandPath} --help' for usage.`);
      return 1;
    }
    // An old client parses its deprecated flags; pflag notes each one used.
    for (const o of old) if (withOld.changed(o.spec.name)) err(`Flag --${o.spec.name} has been deprecated, ${o.deprecated}`);
    flags = withOld;
  }
  for (const gated of SHORTHANDS_OF_SOME_CLIENTS[def.path.join(" ")] ?? []) {
    const without = def.flags.map(({ shorthand, ...f }) => (f.name === gated.flag ? f : { ...f, ...(shorthand ? { shorthand } : {}) }));
    try {
      parseFlags(rest, [...GLOBAL_FLAGS, ...without]);
    } catch (e) {
      if (!(e instanceof FlagError) || gated.has(await dispatchedClient(io, deps, flags))) continue;
      err(`error: ${e.message}\nSee '${commandPath} --help' for usage.`);
      return 1;
    }
  }
  if (flags.bool("help")) {
    const { commandHelp } = await import("./help.ts");
    // The lab's dispatcher runs the client of the server's minor, help included.
    io.stdout.write(commandHelp(def.path.join(" "), await dispatchedClient(io, deps, flags)));
    return 0;
  }
  if (!def.load) {
    err(`error: "${commandPath}" is not available in kubelab's kubectl`);
    return 1;
  }
  const factory = new Factory({ io, flags, deps });
  const missing = (def.required ?? []).filter((f) => !flags.changed(f));
  if (missing.length > 0) {
    err(`${cobraPrefix(await factory.clientBehaviour())} required flag(s) ${missing.map((m) => `"${m}"`).join(", ")} not set`);
    factory.close();
    return 1;
  }
  const ctx: CommandContext = {
    io,
    flags,
    args: flags.args,
    commandPath,
    factory,
    now: deps.now ?? (() => systemClock.now()),
    clock: deps.clock ?? systemClock,
    legacyRun,
  };
  try {
    const mod = await def.load();
    return await mod.run(ctx);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`error: ${e.message}`);
      return 1;
    }
    if (e instanceof RawError) {
      err(e.message);
      return 1;
    }
    err(errorMessage(e, factory.serverURL()));
    return 1;
  } finally {
    factory.close();
  }
}
