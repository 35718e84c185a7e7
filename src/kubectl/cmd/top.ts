// `kubectl top node|pod`, after k8s.io/kubectl/pkg/cmd/top: kubectl first
// asks discovery whether metrics.k8s.io/v1beta1 is served and, when it is not
// (a fresh kubeadm cluster has no metrics-server), answers `error: Metrics API
// not available`. kubelab's clusters serve no metrics API yet, so that is
// all this command does; the NODE/POD usage tables are left out.

import { RawError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";

export async function run(ctx: CommandContext): Promise<number> {
  const disco = await ctx.factory.discovery();
  const served = (await disco.all()).some((r) => r.group === "metrics.k8s.io" && r.version === "v1beta1");
  if (!served) throw new RawError("error: Metrics API not available");
  throw new RawError(`error: "${ctx.commandPath}" is not available in kubelab's kubectl`);
}
