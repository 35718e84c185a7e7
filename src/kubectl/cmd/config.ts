// `kubectl config view|get-contexts|current-context|use-context|set-context`,
// after k8s.io/kubectl/pkg/cmd/config and client-go's clientcmd: the merged
// kubeconfig as the typed clientcmd/v1 Config (unknown fields dropped, keys
// sorted as sigs.k8s.io/yaml prints them), secrets shown as DATA+OMITTED and
// REDACTED unless --raw, --minify to the current context; edits rewrite the
// file that defines the context (or the first one).
// Leaves out the other config subcommands, --flatten's file inlining and extensions.

import { readFileSync, writeFileSync } from "node:fs";
import { type KubeconfigFile, kubeconfigPaths, readKubeconfig } from "../../client/kubeconfig.ts";
import { UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";
import { goJSONIndent } from "../printers/json.ts";
import { JSONPath } from "../printers/jsonpath.ts";
import { newGetTabWriter } from "../printers/tabwriter.ts";
import { toYAML } from "../printers/yaml.ts";
import { parse as parseYaml } from "yaml";

type Fields = Record<string, unknown>;

const CLUSTER_FIELDS = ["server", "tls-server-name", "insecure-skip-tls-verify", "certificate-authority", "certificate-authority-data", "proxy-url", "disable-compression"];
const USER_FIELDS = [
  "client-certificate", "client-certificate-data", "client-key", "client-key-data", "token", "tokenFile", "as", "as-uid", "as-groups",
  "as-user-extra", "username", "password", "auth-provider", "exec",
];
const CONTEXT_FIELDS = ["cluster", "user", "namespace"];
const DATA_FIELDS = new Set(["certificate-authority-data", "client-certificate-data", "client-key-data"]);
const SECRET_FIELDS = new Set(["token", "password"]);

/** Keeps the typed fields with non-empty values (omitempty), redacting unless raw. */
function typed(obj: Fields | undefined, fields: string[], raw: boolean): Fields {
  const out: Fields = {};
  for (const f of fields) {
    const v = obj?.[f];
    if (v === undefined || v === null || v === "" || v === false) continue;
    if (!raw && DATA_FIELDS.has(f)) out[f] = "DATA+OMITTED";
    else if (!raw && SECRET_FIELDS.has(f)) out[f] = "REDACTED";
    else out[f] = v;
  }
  return out;
}

interface Loaded {
  config: KubeconfigFile;
  files: string[];
  paths: string[];
}

function load(ctx: CommandContext): Loaded {
  const explicit = ctx.flags.string("kubeconfig");
  const opts = { env: ctx.io.env, ...(explicit ? { path: explicit } : {}) };
  const { config, files } = readKubeconfig(opts);
  return { config, files, paths: kubeconfigPaths(opts) };
}

/** The clientcmd/v1 Config kubectl prints. */
function view(ctx: CommandContext, config: KubeconfigFile): Fields {
  const raw = ctx.flags.bool("raw") || ctx.flags.bool("flatten");
  let clusters = config.clusters ?? [];
  let users = config.users ?? [];
  let contexts = config.contexts ?? [];
  let current = config["current-context"] ?? "";
  if (ctx.flags.string("context")) current = ctx.flags.string("context");
  if (ctx.flags.bool("minify")) {
    if (!current) throw new UsageError("current-context must exist in order to minify");
    const c = contexts.find((x) => x.name === current);
    if (!c) throw new UsageError(`cannot locate context ${current}`);
    contexts = [c];
    clusters = clusters.filter((x) => x.name === c.context.cluster);
    users = users.filter((x) => x.name === c.context.user);
  }
  const byName = <T extends { name: string }>(list: T[]) => [...list].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const list = <T>(xs: T[]) => (xs.length === 0 ? null : xs);
  // clientcmd/v1's struct order (JSON keeps it; YAML sorts keys).
  return {
    kind: "Config",
    apiVersion: "v1",
    preferences: {},
    clusters: list(byName(clusters).map((c) => ({ name: c.name, cluster: typed(c.cluster as Fields, CLUSTER_FIELDS, raw) }))),
    users: list(byName(users).map((u) => ({ name: u.name, user: typed(u.user as Fields, USER_FIELDS, raw) }))),
    contexts: list(byName(contexts).map((c) => ({ name: c.name, context: typed(c.context as Fields, CONTEXT_FIELDS, raw) }))),
    "current-context": current,
  };
}

function viewCmd(ctx: CommandContext): number {
  const { config } = load(ctx);
  const doc = view(ctx, config);
  const output = ctx.flags.string("output") || "yaml";
  if (output === "json") ctx.io.stdout.write(goJSONIndent(doc, false));
  else if (output === "yaml") ctx.io.stdout.write(toYAML(doc));
  else if (output.startsWith("jsonpath=")) ctx.io.stdout.write(new JSONPath(output.slice("jsonpath=".length)).execute(doc));
  else throw new UsageError(`unable to match a printer suitable for the output format "${output}", allowed formats are: json,yaml`);
  return 0;
}

function getContexts(ctx: CommandContext): number {
  const { config } = load(ctx);
  const current = config["current-context"] ?? "";
  const wanted = ctx.args;
  const contexts = [...(config.contexts ?? [])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const output = ctx.flags.string("output");
  if (output !== "" && output !== "name") throw new UsageError(`output must be one of '' or 'name': ${output}`);
  const missing = wanted.filter((n) => !contexts.some((c) => c.name === n));
  const shown = wanted.length > 0 ? contexts.filter((c) => wanted.includes(c.name)) : contexts;
  if (output === "name") for (const c of shown) ctx.io.stdout.write(`${c.name}\n`);
  else {
    let out = "";
    const tw = newGetTabWriter((s) => (out += s));
    if (!ctx.flags.bool("no-headers")) tw.write("CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE\n");
    for (const c of shown) tw.write(`${c.name === current ? "*" : ""}\t${c.name}\t${c.context.cluster ?? ""}\t${c.context.user ?? ""}\t${c.context.namespace ?? ""}\n`);
    tw.flush();
    ctx.io.stdout.write(out);
  }
  if (missing.length > 0) throw new UsageError(`context ${missing.join(", ")} not found`);
  return 0;
}

/** Reads the file an edit goes to, applies change, writes it back. */
function edit(ctx: CommandContext, loaded: Loaded, contextName: string | undefined, change: (file: KubeconfigFile) => void): void {
  const read = ctx.factory.deps.readFile ?? ((p: string) => readFileSync(p, "utf8"));
  const write = ctx.factory.deps.writeFile ?? ((p: string, t: string) => writeFileSync(p, t, { mode: 0o600 }));
  const docs = loaded.files.map((p) => ({ path: p, doc: (parseYaml(read(p)) ?? {}) as KubeconfigFile }));
  const target = docs.find((d) => contextName && d.doc.contexts?.some((c) => c.name === contextName)) ?? docs[0] ?? { path: loaded.paths[0]!, doc: {} };
  change(target.doc);
  const out = {
    apiVersion: "v1",
    clusters: target.doc.clusters ?? null,
    contexts: target.doc.contexts ?? null,
    "current-context": target.doc["current-context"] ?? "",
    kind: "Config",
    preferences: target.doc.preferences ?? {},
    users: target.doc.users ?? null,
  };
  write(target.path, toYAML(out));
}

async function useContext(ctx: CommandContext): Promise<number> {
  if (ctx.args.length !== 1) {
    // cobra prints the command's help (to stdout) before the error.
    const { commandHelp } = await import("../help.ts");
    ctx.io.stdout.write(commandHelp("config use-context", await ctx.factory.clientBehaviour()));
    throw new UsageError(`Unexpected args: [${ctx.args.join(" ")}]`);
  }
  const name = ctx.args[0]!;
  const loaded = load(ctx);
  if (!loaded.config.contexts?.some((c) => c.name === name)) throw new UsageError(`no context exists with the name: ${JSON.stringify(name)}`);
  // current-context lives in the first file that sets it (or the first file).
  const read = ctx.factory.deps.readFile ?? ((p: string) => readFileSync(p, "utf8"));
  const owner = loaded.files.find((p) => (parseYaml(read(p)) as KubeconfigFile | null)?.["current-context"]);
  edit(ctx, { ...loaded, files: owner ? [owner] : loaded.files }, undefined, (f) => void (f["current-context"] = name));
  ctx.io.stdout.write(`Switched to context ${JSON.stringify(name)}.\n`);
  return 0;
}

function setContext(ctx: CommandContext): number {
  const loaded = load(ctx);
  const current = ctx.flags.bool("current");
  if (current && ctx.args.length > 0) throw new UsageError("you cannot specify both a context name and --current");
  const name = current ? (loaded.config["current-context"] ?? "") : (ctx.args[0] ?? "");
  if (current && !name) throw new UsageError("no current context is set");
  if (!name) throw new UsageError("you must specify a non-empty context name or --current");
  const exists = !!loaded.config.contexts?.some((c) => c.name === name);
  edit(ctx, loaded, name, (f) => {
    f.contexts ??= [];
    let entry = f.contexts.find((c) => c.name === name);
    if (!entry) {
      entry = { name, context: {} };
      f.contexts.push(entry);
    }
    for (const field of ["cluster", "user", "namespace"] as const) {
      if (ctx.flags.changed(field)) {
        const v = ctx.flags.string(field);
        if (v) entry.context[field] = v;
        else delete entry.context[field];
      }
    }
  });
  ctx.io.stdout.write(`Context ${JSON.stringify(name)} ${exists ? "modified" : "created"}.\n`);
  return 0;
}

export async function run(ctx: CommandContext): Promise<number> {
  switch (ctx.commandPath.split(" ")[2]) {
    case "view":
      return viewCmd(ctx);
    case "get-contexts":
      return getContexts(ctx);
    case "current-context": {
      const { config } = load(ctx);
      if (!config["current-context"]) throw new UsageError("current-context is not set");
      ctx.io.stdout.write(`${config["current-context"]}\n`);
      return 0;
    }
    case "use-context":
      return await useContext(ctx);
    case "set-context":
      return setContext(ctx);
    default:
      throw new UsageError(`unknown command "${ctx.commandPath}"`);
  }
}
