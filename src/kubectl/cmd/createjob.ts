// `kubectl create job NAME --image=IMAGE [-- COMMAND…]` and
// `kubectl create job NAME --from=cronjob/NAME`, after
// k8s.io/kubectl/pkg/cmd/create/create_job.go: a Job with one container
// named after it (restartPolicy Never), or a copy of a CronJob's job template
// owned by the CronJob and annotated cronjob.kubernetes.io/instantiate=manual.
// Leaves out --from with a bare type or several names (the builder's list).

import { UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";
import type { Obj } from "../manifest.ts";
import { type CreateSetup, collectionPath, completeCreate, submit } from "./createsubcommand.ts";

/** The arguments after NAME: the container's command. */
export function commandFromArgs(ctx: CommandContext): string[] {
  return ctx.args.slice(1);
}

/** The Job a CronJob's template makes: ObjectMeta in Go field order, then the template's spec as is. */
async function jobFromCronJob(ctx: CommandContext, setup: CreateSetup, from: string): Promise<Obj> {
  const slash = from.indexOf("/");
  if (slash <= 0 || slash === from.length - 1) throw new UsageError("from must be an existing cronjob");
  const disco = await ctx.factory.discovery();
  const res = await disco.resolve(from.slice(0, slash));
  const rest = await ctx.factory.rest();
  const path = collectionPath(res.group, res.version, res.resource, res.namespaced ? setup.namespace : undefined);
  const obj = await rest.get<Obj>(`${path}/${encodeURIComponent(from.slice(slash + 1))}`);
  if (res.kind !== "CronJob" || res.group !== "batch") throw new UsageError(`unknown object type *${res.version}.${res.kind}`);
  const meta = (obj.metadata ?? {}) as Obj;
  const spec = (obj.spec ?? {}) as Obj;
  const template = (spec.jobTemplate ?? {}) as Obj;
  const tmeta = (template.metadata ?? {}) as Obj;
  const annotations = { "cronjob.kubernetes.io/instantiate": "manual", ...((tmeta.annotations as Record<string, string> | undefined) ?? {}) };
  return {
    kind: "Job",
    apiVersion: "batch/v1",
    metadata: {
      name: setup.name,
      ...(setup.enforceNamespace ? { namespace: setup.namespace } : {}),
      creationTimestamp: null,
      ...(tmeta.labels ? { labels: tmeta.labels } : {}),
      annotations: Object.fromEntries(Object.entries(annotations).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      ownerReferences: [{ apiVersion: "batch/v1", kind: "CronJob", name: meta.name, uid: meta.uid, controller: true }],
    },
    spec: template.spec ?? {},
    status: {},
  };
}

export async function run(ctx: CommandContext): Promise<number> {
  const { flags } = ctx;
  const setup = completeCreate(ctx);
  const command = commandFromArgs(ctx);
  const image = flags.string("image");
  const from = flags.string("from");
  if ((image === "") === (from === "")) throw new UsageError("either --image or --from must be specified");
  if (command.length > 0 && from !== "") throw new UsageError("cannot specify --from and command");

  let job: Obj;
  if (image !== "") {
    job = {
      kind: "Job",
      apiVersion: "batch/v1",
      metadata: { name: setup.name, ...(setup.enforceNamespace ? { namespace: setup.namespace } : {}), creationTimestamp: null },
      spec: {
        template: {
          metadata: { creationTimestamp: null },
          spec: { containers: [{ name: setup.name, image, ...(command.length > 0 ? { command } : {}), resources: {} }], restartPolicy: "Never" },
        },
      },
      status: {},
    };
  } else {
    // The builder's errors (a NotFound cronjob) come out as the API's, unwrapped.
    job = await jobFromCronJob(ctx, setup, from);
  }
  return submit(ctx, setup, job, {
    path: collectionPath("batch", "v1", "jobs", setup.namespace),
    prefix: "job.batch",
    failure: (m) => `failed to create job: ${m}`,
  });
}
