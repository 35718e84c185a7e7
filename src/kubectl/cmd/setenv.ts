// `kubectl set env TYPE NAME KEY=VAL… KEY-… [-e KEY=VAL] [-c CONTAINER] [--list]`,
// after k8s.io/kubectl/pkg/cmd/set/set_env.go and env/env_parse.go: the env of
// the matching containers (a glob, default all) is updated in memory as
// updateEnv does and the difference sent as a strategic merge patch with
// fieldManager=kubectl-set; `env updated`, nothing when nothing changed.
// Leaves out --from, --resolve, --prefix, --keys, --local and `-` (stdin).

import { createTwoWayMergePatch } from "../apply/strategicpatch.ts";
import { EMPTY_PATCH_META, OpenAPIV3Root } from "../apply/patchmeta.ts";
import { selectedInfos } from "../builder.ts";
import { dryRunSuffix, parseDryRun } from "../cmdutil.ts";
import { kindPrefix, pathFor } from "../discovery.ts";
import { UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";
import type { Obj } from "../manifest.ts";
import { containersOf, podSpecOf } from "../podspec.ts";
import { parseOutputFormat, printGeneric } from "../printers/generic.ts";
import { goJSON } from "../printers/json.ts";

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** envutil.SplitEnvironmentFromResources. */
function splitEnv(args: string[]): { resources: string[]; envArgs: string[] } {
  const first = args.findIndex((a) => a.includes("=") || a.endsWith("-"));
  if (first < 0) return { resources: args, envArgs: [] };
  const envArgs = args.slice(first);
  const bad = envArgs.find((a) => !(a.includes("=") || a.endsWith("-")));
  if (bad) throw new UsageError(`all resources must be specified before environment changes: ${bad}`);
  return { resources: args.slice(0, first), envArgs };
}

/** envutil.ParseEnv: KEY=VALUE to set, KEY- to remove. */
function parseEnv(specs: string[]): { set: { name: string; value: string }[]; remove: string[] } {
  const set: { name: string; value: string }[] = [];
  const remove: string[] = [];
  for (const spec of specs) {
    const eq = spec.indexOf("=");
    if (eq > 0) {
      const name = spec.slice(0, eq);
      if (!ENV_NAME.test(name)) {
        throw new UsageError(
          `${JSON.stringify(name)} is not a valid key name: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')`,
        );
      }
      set.push({ name, value: spec.slice(eq + 1) });
    } else if (spec.endsWith("-") && spec.length > 1) remove.push(spec.slice(0, -1));
    else throw new UsageError(`unknown environment variable: ${spec}`);
  }
  return { set, remove };
}

function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
  return re.test(name);
}

/** updateEnv: replaced in place, removed, new ones appended. */
function updateEnv(existing: Obj[], add: { name: string; value: string }[], remove: string[]): Obj[] {
  const covered = new Set(remove);
  const out: Obj[] = [];
  for (const e of existing) {
    const name = String(e.name);
    if (covered.has(name)) continue;
    const newer = add.find((a) => a.name === name);
    if (newer) {
      covered.add(name);
      out.push({ ...newer });
      continue;
    }
    out.push(e);
  }
  for (const a of add) {
    if (covered.has(a.name)) continue;
    covered.add(a.name);
    out.push({ ...a });
  }
  return out;
}

export async function run(ctx: CommandContext): Promise<number> {
  const { flags, io } = ctx;
  const { resources, envArgs } = splitEnv(ctx.args);
  if (resources.length < 1 && flags.strings("filename").length === 0) {
    throw new UsageError("one or more resources must be specified as <resource> <name> or <resource>/<name>");
  }
  const { set, remove } = parseEnv([...flags.strings("env"), ...envArgs]);
  const list = flags.bool("list");
  const containerGlob = flags.string("containers", "*") || "*";
  const dryRun = parseDryRun(flags.string("dry-run", "none"));
  const format = parseOutputFormat(flags.string("output"));
  const rest = await ctx.factory.rest();
  const infos = await selectedInfos(ctx, rest, resources, { allNamespaces: false });
  const openapi = new OpenAPIV3Root(rest);
  for (const info of infos) {
    const updated = structuredClone(info.obj);
    const spec = podSpecOf(updated);
    if (!spec) continue;
    const matching = containersOf(spec).filter((c) => globMatch(containerGlob, String(c.name)));
    if (matching.length === 0) {
      io.stderr.write(`Warning: ${String(info.obj.kind)}/${info.name} does not have any containers matching ${JSON.stringify(containerGlob)}\n`);
      continue;
    }
    if (list) {
      for (const c of matching) {
        io.stdout.write(`# ${String(info.obj.kind)} ${info.name}, container ${String(c.name)}\n`);
        for (const e of (c.env ?? []) as Obj[]) {
          if (e.valueFrom) io.stdout.write(`# ${String(e.name)} from a reference\n`);
          else io.stdout.write(`${String(e.name)}=${String(e.value ?? "")}\n`);
        }
      }
      continue;
    }
    for (const c of matching) {
      const env = updateEnv((c.env ?? []) as Obj[], set, remove);
      // A typed Container leaves an empty env out entirely.
      if (env.length > 0) c.env = env;
      else delete c.env;
    }
    const meta = (await openapi.patchMetaFor(info.resource.group, info.resource.version, info.resource.kind)) ?? EMPTY_PATCH_META;
    const patch = createTwoWayMergePatch(info.obj, updated, meta);
    if (Object.keys(patch).length === 0) continue;
    let result = updated;
    if (dryRun !== "client") {
      result = await rest.json<Obj>("PATCH", pathFor(info.resource, info.namespace, info.name), {
        body: goJSON(patch),
        contentType: "application/strategic-merge-patch+json",
        query: { fieldManager: flags.string("field-manager", "kubectl-set"), ...(dryRun === "server" ? { dryRun: "All" } : {}) },
      });
    }
    if (format.kind === "table") io.stdout.write(`${kindPrefix(info.resource)}/${info.name} env updated${dryRunSuffix(dryRun)}\n`);
    else io.stdout.write(printGeneric(result, format));
  }
  return 0;
}
