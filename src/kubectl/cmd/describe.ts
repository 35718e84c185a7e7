import type { CommandContext } from "../kubectl.ts";
export async function run(_ctx: CommandContext): Promise<number> {
  return 1;
}
