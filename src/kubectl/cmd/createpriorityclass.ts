// `kubectl create priorityclass NAME --value=N [--global-default]
// [--description] [--preemption-policy]`, after
// k8s.io/kubectl/pkg/cmd/create/create_priorityclass.go: a cluster-scoped
// PriorityClass, preemption policy PreemptLowerPriority unless told
// otherwise. Leaves out nothing.

import type { CommandContext } from "../kubectl.ts";
import type { Obj } from "../manifest.ts";
import { collectionPath, completeCreate, objectMeta, submit } from "./createsubcommand.ts";

export async function run(ctx: CommandContext): Promise<number> {
  const { flags } = ctx;
  const setup = completeCreate(ctx);
  const description = flags.string("description");
  const obj: Obj = {
    kind: "PriorityClass",
    apiVersion: "scheduling.k8s.io/v1",
    // Cluster-scoped: the object never names a namespace.
    metadata: objectMeta({ ...setup, enforceNamespace: false }),
    value: flags.int("value", 0),
    ...(flags.bool("global-default") ? { globalDefault: true } : {}),
    ...(description ? { description } : {}),
    preemptionPolicy: flags.string("preemption-policy") || "PreemptLowerPriority",
  };
  return submit(ctx, setup, obj, {
    path: collectionPath("scheduling.k8s.io", "v1", "priorityclasses"),
    prefix: "priorityclass.scheduling.k8s.io",
    failure: (m) => `failed to create priorityclass: ${m}`,
  });
}
