// `kubectl scale TYPE NAME --replicas=N`, after k8s.io/kubectl/pkg/cmd/scale:
// GET the object, then a merge patch of spec.replicas on its /scale
// subresource; `deployment.apps/NAME scaled`.
// Leaves out --current-replicas/--resource-version preconditions and -f.

import { StatusError } from "../../apimachinery/errors.ts";
import { kindPrefix, pathFor } from "../discovery.ts";
import { UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";
import { resolveResourceArgs } from "../resource.ts";

export async function run(ctx: CommandContext): Promise<number> {
  const { flags } = ctx;
  if (ctx.args.length === 0) throw new UsageError("Required resource not specified.\nSee 'kubectl scale -h' for help and examples");
  const replicas = flags.int("replicas");
  if (replicas < 0) throw new UsageError("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0");
  const rest = await ctx.factory.rest();
  const disco = await ctx.factory.discovery();
  const { namespace } = ctx.factory.namespace();
  const requests = await resolveResourceArgs(disco, ctx.args);
  for (const req of requests) {
    const r = req.resource;
    for (const name of req.names) {
      try {
        await rest.json("GET", pathFor(r, namespace, name));
      } catch (e) {
        const client = await ctx.factory.clientBehaviour();
        // kubectl ≤1.20 lets the server's NotFound through.
        if (e instanceof StatusError && e.code === 404 && client.has("scaleNoObjects")) {
          const detail = client.has("scaleNotFoundDetail") ? ` ${e.status.message}` : "";
          throw new UsageError(`no objects passed to scale${detail}`);
        }
        throw e;
      }
      await rest.json("PATCH", pathFor(r, namespace, name, "scale"), {
        body: { spec: { replicas } },
        contentType: "application/merge-patch+json",
      });
      ctx.io.stdout.write(`${kindPrefix(r)}/${name} scaled\n`);
    }
  }
  return 0;
}
