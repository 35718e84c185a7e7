// `kubectl api-versions`, after k8s.io/kubectl/pkg/cmd/apiresources/apiversions.go:
// every group/version the server's discovery lists (/api and /apis), sorted
// as strings (sort.Strings), one per line.
// Leaves out the on-disk discovery cache.

import type { CommandContext } from "../kubectl.ts";

export async function run(ctx: CommandContext): Promise<number> {
  const rest = await ctx.factory.rest();
  const core = await rest.get<{ versions?: string[] }>("/api", { timeout: "32s" });
  const groups = await rest.get<{ groups?: { versions?: { groupVersion: string }[] }[] }>("/apis", { timeout: "32s" });
  const gvs = [...(core.versions ?? []), ...(groups.groups ?? []).flatMap((g) => (g.versions ?? []).map((v) => v.groupVersion))];
  // sort.Strings compares bytes, not locale.
  gvs.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  ctx.io.stdout.write(gvs.map((gv) => `${gv}\n`).join(""));
  return 0;
}
