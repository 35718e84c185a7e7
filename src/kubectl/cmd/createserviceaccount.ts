// `kubectl create serviceaccount NAME`, after
// k8s.io/kubectl/pkg/cmd/create/create_serviceaccount.go. Leaves out nothing.

import type { CommandContext } from "../kubectl.ts";
import { collectionPath, completeCreate, objectMeta, submit } from "./createsubcommand.ts";

export async function run(ctx: CommandContext): Promise<number> {
  const setup = completeCreate(ctx);
  return submit(ctx, setup, { kind: "ServiceAccount", apiVersion: "v1", metadata: objectMeta(setup) }, {
    path: collectionPath("", "v1", "serviceaccounts", setup.namespace),
    prefix: "serviceaccount",
    failure: (m) => `failed to create serviceaccount: ${m}`,
  });
}
