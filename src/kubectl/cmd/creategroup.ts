// `kubectl create service` and `kubectl create secret` without a known
// subcommand, after cobra's behaviour for a command with subcommands and no
// Run: the group's help on stderr (exit 1), or "unknown command" naming every
// argument. Leaves out cobra's suggestions (it offers none here).

import { UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";

export async function run(ctx: CommandContext): Promise<number> {
  const group = ctx.commandPath.replace(/^kubectl /, "");
  if (ctx.args.length > 0) throw new UsageError(`unknown command "${ctx.args.join(" ")}"\nSee '${ctx.commandPath} -h' for help and examples`);
  const { commandHelp } = await import("../help.ts");
  ctx.io.stderr.write(commandHelp(group, await ctx.factory.clientBehaviour()));
  return 1;
}
