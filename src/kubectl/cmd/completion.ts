// `kubectl completion bash`, after k8s.io/kubectl/pkg/cmd/completion: prints
// cobra's bash completion v2 script for kubectl. The script is kubectl
// 1.32's own output (`kubectl.1.32 completion bash`), kept verbatim as data
// in completion/kubectl-1.32-completion.bash (1.27's, from an older cobra, in
// kubectl-1.27-completion.bash); it calls `kubectl __complete`
// (completion/complete.ts) for every TAB. Leaves out zsh, fish and powershell.

import { readFileSync } from "node:fs";
import type { ClientBehaviour } from "../clientversion.ts";
import { UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";

/** The bash completion script of the given client, 1.32's by default (also written into the lab shell's files). */
export function bashCompletionScript(client?: ClientBehaviour): string {
  const minor = client?.minor ?? 32;
  if (minor < 28) return readFileSync(new URL("../completion/kubectl-1.27-completion.bash", import.meta.url), "utf8");
  const script = readFileSync(new URL("../completion/kubectl-1.32-completion.bash", import.meta.url), "utf8");
  // cobra's comment wording until kubectl 1.31.
  return minor < 31 ? script.replace("allows handling aliases", "allows to handle aliases") : script;
}

export async function run(ctx: CommandContext): Promise<number> {
  const [shell, ...rest] = ctx.args;
  if (!shell) throw new UsageError("Shell not specified.\nSee 'kubectl completion -h' for help and examples");
  if (rest.length > 0) throw new UsageError("Too many arguments. Expected only the shell type.\nSee 'kubectl completion -h' for help and examples");
  if (["zsh", "fish", "powershell"].includes(shell)) throw new UsageError(`completion for ${shell} is not available in kubelab's kubectl`);
  if (shell !== "bash") throw new UsageError(`Unsupported shell type "${shell}".\nSee 'kubectl completion -h' for help and examples`);
  ctx.io.stdout.write(bashCompletionScript(await ctx.factory.clientBehaviour()));
  return 0;
}
