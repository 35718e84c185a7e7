// `kubectl api-resources`, after k8s.io/kubectl/pkg/cmd/apiresources:
// discovery's preferred versions, sorted by group (core first) then name,
// printed through the get tab writer (NAME SHORTNAMES APIVERSION NAMESPACED
// KIND; -o wide adds VERBS and CATEGORIES; -o name prints name.group).

import { UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";
import { newGetTabWriter } from "../printers/tabwriter.ts";

export async function run(ctx: CommandContext): Promise<number> {
  const { flags } = ctx;
  const output = flags.string("output");
  if (output && output !== "wide" && output !== "name") throw new UsageError(`--output ${output} is not available`);
  const disco = await ctx.factory.discovery();
  let resources = (await disco.all()).filter((r) => r.preferred);
  if (flags.changed("namespaced")) resources = resources.filter((r) => r.namespaced === flags.bool("namespaced"));
  if (flags.changed("api-group")) resources = resources.filter((r) => r.group === flags.string("api-group"));
  const verbs = flags.strings("verbs");
  if (verbs.length > 0) resources = resources.filter((r) => verbs.every((v) => r.verbs.includes(v)));
  const cats = flags.strings("categories");
  if (cats.length > 0) resources = resources.filter((r) => cats.every((c) => r.categories.includes(c)));
  resources.sort((a, b) => (a.group === b.group ? (a.resource < b.resource ? -1 : 1) : a.group < b.group ? -1 : 1));
  if (output === "name") {
    ctx.io.stdout.write(resources.map((r) => (r.group ? `${r.resource}.${r.group}\n` : `${r.resource}\n`)).join(""));
    return 0;
  }
  const tw = newGetTabWriter((s) => ctx.io.stdout.write(s));
  const wide = output === "wide";
  if (!flags.bool("no-headers")) tw.write(`NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND${wide ? "\tVERBS\tCATEGORIES" : ""}\n`);
  for (const r of resources) {
    const gv = r.group ? `${r.group}/${r.version}` : r.version;
    let line = `${r.resource}\t${r.shortNames.join(",")}\t${gv}\t${r.namespaced}\t${r.kind}`;
    if (wide) line += `\t${r.verbs.join(",")}\t${r.categories.join(",")}`;
    tw.write(`${line}\n`);
  }
  tw.flush();
  return 0;
}
