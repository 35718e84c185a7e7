// `kubectl version`, after k8s.io/kubectl/pkg/cmd/version: client, kustomize
// and server versions (or -o json|yaml), and the skew warning when the minors
// differ by more than one. The client version is the release the lab image's
// dispatcher would run for this server (see ../clientversion.ts).

import type { CommandContext } from "../kubectl.ts";
import { clientBehaviourFor, clientBuildFor, type ClientBuild } from "../clientversion.ts";
import { goJSONIndent } from "../printers/json.ts";
import { toYAML } from "../printers/yaml.ts";
import { UsageError } from "../errors.ts";

type ServerVersion = Record<string, string> & { minor?: string; gitVersion?: string };

function clientInfo(b: ClientBuild): Record<string, string> {
  const { kustomizeVersion: _k, ...info } = b;
  void _k;
  return info;
}

const GO_FIELDS = ["major", "minor", "gitVersion", "gitCommit", "gitTreeState", "buildDate", "goVersion", "compiler", "platform"];

/** Go's %#v of apimachinery's version.Info (field names capitalised, values quoted). */
function goVersionInfo(v: Record<string, string>): string {
  const quote = (s: string) => JSON.stringify(s);
  return `version.Info{${GO_FIELDS.map((f) => `${f[0]!.toUpperCase()}${f.slice(1)}:${quote(v[f] ?? "")}`).join(", ")}}`;
}

export async function run(ctx: CommandContext): Promise<number> {
  const output = ctx.flags.string("output");
  if (output && output !== "json" && output !== "yaml") throw new UsageError(`--output must be 'yaml' or 'json'`);
  let server: ServerVersion | undefined;
  let serverError: unknown;
  if (!ctx.flags.bool("client")) {
    try {
      const rest = await ctx.factory.rest();
      server = await rest.get<ServerVersion>("/version", { timeout: "32s" });
    } catch (e) {
      serverError = e;
    }
  }
  const client = clientBuildFor(server?.minor ?? "32");
  const behaviour = clientBehaviourFor(client.minor);
  // kubectl ≤1.20 reports no kustomize version.
  const kustomize = behaviour.has("kustomizeVersion") ? `Kustomize Version: ${client.kustomizeVersion}\n` : "";
  if (output) {
    const doc: Record<string, unknown> = { clientVersion: clientInfo(client) };
    if (behaviour.has("kustomizeVersion")) doc.kustomizeVersion = client.kustomizeVersion;
    if (server) doc.serverVersion = server;
    ctx.io.stdout.write(output === "json" ? goJSONIndent(doc) : toYAML(doc));
  } else if (!behaviour.has("shortVersion")) {
    // kubectl ≤1.27: %#v of version.Info, then (from some release after 1.20) a deprecation note on stderr.
    let text = `Client Version: ${goVersionInfo(clientInfo(client))}\n${kustomize}`;
    if (server) text += `Server Version: ${goVersionInfo(server)}\n`;
    ctx.io.stdout.write(text);
    if (behaviour.has("versionDeprecationWarning")) {
      ctx.io.stderr.write("WARNING: This version information is deprecated and will be replaced with the output from kubectl version --short.  Use --output=yaml|json to get the full version.\n");
    }
  } else {
    let text = `Client Version: ${client.gitVersion}\nKustomize Version: ${client.kustomizeVersion}\n`;
    if (server) text += `Server Version: ${server.gitVersion}\n`;
    ctx.io.stdout.write(text);
  }
  if (server) {
    const skew = Math.abs(Number(client.minor) - Number((server.minor ?? "").replace(/\D+$/, "")));
    if (skew > 1) {
      ctx.io.stderr.write(
        `WARNING: version difference between client (${client.major}.${client.minor}) and server (${server.major}.${server.minor}) exceeds the supported minor version skew of +/-1\n`,
      );
    }
  }
  if (serverError) throw serverError;
  return 0;
}
