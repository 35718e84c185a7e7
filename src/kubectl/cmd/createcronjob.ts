// `kubectl create cronjob NAME --image=IMAGE --schedule=SPEC [--restart]
// [-- COMMAND…]`, after k8s.io/kubectl/pkg/cmd/create/create_cronjob.go: a
// CronJob whose job template runs one container named after it, restart
// policy OnFailure unless --restart says otherwise (the apiserver judges the
// schedule and the policy). Leaves out nothing.

import type { CommandContext } from "../kubectl.ts";
import type { Obj } from "../manifest.ts";
import { commandFromArgs } from "./createjob.ts";
import { collectionPath, completeCreate, objectMeta, submit } from "./createsubcommand.ts";

export async function run(ctx: CommandContext): Promise<number> {
  const { flags } = ctx;
  const setup = completeCreate(ctx);
  const command = commandFromArgs(ctx);
  const container = { name: setup.name, image: flags.string("image"), ...(command.length > 0 ? { command } : {}), resources: {} };
  const obj: Obj = {
    kind: "CronJob",
    apiVersion: "batch/v1",
    metadata: objectMeta(setup),
    spec: {
      schedule: flags.string("schedule"),
      jobTemplate: {
        metadata: { name: setup.name, creationTimestamp: null },
        spec: { template: { metadata: { creationTimestamp: null }, spec: { containers: [container], restartPolicy: flags.string("restart") || "OnFailure" } } },
      },
    },
    status: {},
  };
  return submit(ctx, setup, obj, {
    path: collectionPath("batch", "v1", "cronjobs", setup.namespace),
    prefix: "cronjob.batch",
    failure: (m) => `failed to create cronjob: ${m}`,
  });
}
