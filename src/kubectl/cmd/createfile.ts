// `kubectl create -f FILE|DIR|-`, after k8s.io/kubectl/pkg/cmd/create
// (create.go, RunCreate): every object POSTed with fieldManager=kubectl-create
// (with the last-applied annotation under --save-config); `<kind>/<name>
// created`, and each failure as `error when creating "<source>": …` while the
// rest go on. Leaves out --edit, --raw and -k.

import { createApplyAnnotation } from "../apply/lastapplied.ts";
import { fileWrites } from "../builder.ts";
import { dryRunSuffix, withSource } from "../cmdutil.ts";
import { kindPrefix, pathFor } from "../discovery.ts";
import { errorMessage, RawError, UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";
import type { Obj } from "../manifest.ts";
import { printGeneric } from "../printers/generic.ts";

export async function run(ctx: CommandContext): Promise<number> {
  const { flags, io } = ctx;
  const filenames = flags.strings("filename");
  if (filenames.length === 0) {
    if (ctx.args.length > 0) throw new UsageError(`Unexpected args: [${ctx.args.join(" ")}]\nSee 'kubectl create -h' for help and examples`);
    throw new UsageError("must specify one of -f and -k\n");
  }
  const { dryRun, format, rest, infos, query } = await fileWrites(ctx, filenames, "kubectl-create");
  const errors: string[] = [];
  const printed: Obj[] = [];
  for (const info of infos) {
    const obj = flags.bool("save-config") ? createApplyAnnotation(info.obj) : info.obj;
    let created = obj;
    if (dryRun !== "client") {
      try {
        created = await rest.json<Obj>("POST", pathFor(info.resource, info.namespace), { body: obj, query });
      } catch (e) {
        errors.push(errorMessage(withSource("creating", info.source, e)));
        continue;
      }
    }
    if (format.kind === "table") io.stdout.write(`${kindPrefix(info.resource)}/${info.name} created${dryRunSuffix(dryRun)}\n`);
    else printed.push(created);
  }
  if (printed.length > 0) {
    const out = printed.length === 1 ? printed[0]! : { apiVersion: "v1", kind: "List", items: printed, metadata: { resourceVersion: "" } };
    io.stdout.write(printGeneric(out, format));
  }
  if (errors.length > 0) throw new RawError(errors.join("\n"));
  return 0;
}
