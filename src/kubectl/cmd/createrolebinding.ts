// `kubectl create rolebinding` and `kubectl create clusterrolebinding`, after
// k8s.io/kubectl/pkg/cmd/create/create_rolebinding.go and
// create_clusterrolebinding.go: a binding of exactly one role (a rolebinding
// may name a Role or a ClusterRole) to users, groups and
// `namespace:name` service accounts, in that order. Leaves out nothing.

import { UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";
import type { Obj } from "../manifest.ts";
import { collectionPath, completeCreate, objectMeta, submit } from "./createsubcommand.ts";

const RBAC = "rbac.authorization.k8s.io";

function subjects(ctx: CommandContext): Obj[] {
  const out: Obj[] = [];
  for (const name of ctx.flags.strings("user")) out.push({ kind: "User", apiGroup: RBAC, name });
  for (const name of ctx.flags.strings("group")) out.push({ kind: "Group", apiGroup: RBAC, name });
  for (const sa of ctx.flags.strings("serviceaccount")) {
    const tokens = sa.split(":");
    if (tokens.length !== 2 || tokens[0] === "" || tokens[1] === "") throw new UsageError("serviceaccount must be <namespace>:<name>");
    out.push({ kind: "ServiceAccount", name: tokens[1], namespace: tokens[0] });
  }
  return out;
}

export async function run(ctx: CommandContext): Promise<number> {
  const { flags } = ctx;
  const cluster = ctx.commandPath.endsWith("clusterrolebinding");
  const setup = completeCreate(ctx);
  const clusterRole = flags.string("clusterrole");
  const role = cluster ? "" : flags.string("role");
  if (!cluster && (clusterRole === "") === (role === "")) throw new UsageError("exactly one of clusterrole or role must be specified");
  const subs = subjects(ctx);
  const kind = cluster ? "ClusterRoleBinding" : "RoleBinding";
  const obj: Obj = {
    kind,
    apiVersion: `${RBAC}/v1`,
    metadata: objectMeta({ ...setup, enforceNamespace: !cluster && setup.enforceNamespace }),
    ...(subs.length > 0 ? { subjects: subs } : {}),
    roleRef: { apiGroup: RBAC, kind: role ? "Role" : "ClusterRole", name: role || clusterRole },
  };
  return submit(ctx, setup, obj, {
    path: collectionPath(RBAC, "v1", cluster ? "clusterrolebindings" : "rolebindings", cluster ? undefined : setup.namespace),
    prefix: `${kind.toLowerCase()}.${RBAC}`,
    failure: (m) => `failed to create ${kind.toLowerCase()}: ${m}`,
  });
}
