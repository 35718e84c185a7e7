// `kubectl replace -f FILE|DIR|-`, after k8s.io/kubectl/pkg/cmd/replace: each
// object PUT over the live one (its resourceVersion fetched first when the
// file has none, as resource.Helper.Replace does), fieldManager=kubectl-replace;
// `<kind>/<name> replaced`. Leaves out --force (delete and re-create), --raw, -k.

import { StatusError } from "../../apimachinery/errors.ts";
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
  if (filenames.length === 0) throw new UsageError("must specify --filename to replace");
  if (flags.bool("force")) throw new UsageError("--force is not available in kubelab's kubectl");
  const { dryRun, format, rest, infos, query } = await fileWrites(ctx, filenames, "kubectl-replace");
  const errors: string[] = [];
  const printed: Obj[] = [];
  for (const info of infos) {
    let obj = flags.bool("save-config") ? createApplyAnnotation(info.obj) : info.obj;
    let replaced = obj;
    if (dryRun !== "client") {
      try {
        const path = pathFor(info.resource, info.namespace, info.name);
        const md = (obj.metadata ?? {}) as Obj;
        if (!md.resourceVersion) {
          const live = await rest.json<Obj>("GET", path);
          obj = { ...obj, metadata: { ...md, resourceVersion: (live.metadata as Obj | undefined)?.resourceVersion } };
        }
        replaced = await rest.json<Obj>("PUT", path, { body: obj, query });
      } catch (e) {
        if (!(e instanceof StatusError)) throw e;
        errors.push(errorMessage(withSource("replacing", info.source, e)));
        continue;
      }
    }
    if (format.kind === "table") io.stdout.write(`${kindPrefix(info.resource)}/${info.name} replaced${dryRunSuffix(dryRun)}\n`);
    else printed.push(replaced);
  }
  if (printed.length > 0) {
    const out = printed.length === 1 ? printed[0]! : { apiVersion: "v1", kind: "List", items: printed, metadata: { resourceVersion: "" } };
    io.stdout.write(printGeneric(out, format));
  }
  if (errors.length > 0) throw new RawError(errors.join("\n"));
  return 0;
}
