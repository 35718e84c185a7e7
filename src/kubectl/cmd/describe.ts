// `kubectl describe`, after k8s.io/kubectl/pkg/cmd/describe: resolve the
// resource arguments, fetch each object, run its describer, print them
// separated by a blank line; `describe TYPE PREFIX` describes every object
// whose name starts with PREFIX when none is named exactly that.

import { StatusError } from "../../apimachinery/errors.ts";
import type { RestClient } from "../../client/rest.ts";
import { type APIResource, pathFor } from "../discovery.ts";
import { UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";
import { errorMessage } from "../errors.ts";
import { resolveResourceArgs } from "../resource.ts";
import { type DaemonSet, describeDaemonSet, describeDeployment, describeReplicaSet, describeStatefulSet, type Deployment, type ReplicaSet, type StatefulSet } from "../describe/apps.ts";
import { type CronJob, describeCronJob, describeJob, type Job } from "../describe/batch.ts";
import type { DescribeContext, Meta } from "../describe/describe.ts";
import { describeGeneric } from "../describe/generic.ts";
import { describeNode, type Node } from "../describe/node.ts";
import { describePod, type Pod } from "../describe/pod.ts";
import { describeLimitRange, describeResourceQuota, type LimitRange, type ResourceQuota } from "../describe/quota.ts";
import { describeRole, describeRoleBinding, type Role, type RoleBinding } from "../describe/rbac.ts";
import { describeSecret, type Secret } from "../describe/secret.ts";
import { describeServiceAccount, type ServiceAccount } from "../describe/serviceaccount.ts";
import { describeNamespace, type Namespace } from "../describe/namespace.ts";
import { describeEndpoints, describeService, type Endpoints, type Service } from "../describe/service.ts";
import { describePersistentVolumeClaim, type PersistentVolumeClaim } from "../describe/storage.ts";

type Obj = Record<string, unknown> & { metadata: Meta; kind?: string };

async function describeObject(ctx: DescribeContext, r: APIResource, obj: Obj): Promise<string> {
  const key = `${r.group}/${r.kind}`;
  switch (key) {
    case "/Pod":
      return describePod(ctx, obj as unknown as Pod);
    case "apps/Deployment":
      return describeDeployment(ctx, obj as unknown as Deployment);
    case "apps/ReplicaSet":
      return describeReplicaSet(ctx, obj as unknown as ReplicaSet);
    case "apps/DaemonSet":
      return describeDaemonSet(ctx, obj as unknown as DaemonSet);
    case "/Node":
      return describeNode(ctx, obj as unknown as Node);
    case "/Service":
      return describeService(ctx, obj as unknown as Service);
    case "/Endpoints":
      return describeEndpoints(ctx, obj as unknown as Endpoints);
    case "/Namespace":
      return describeNamespace(ctx, obj as unknown as Namespace);
    case "apps/StatefulSet":
      return describeStatefulSet(ctx, obj as unknown as StatefulSet);
    case "batch/Job":
      return describeJob(ctx, obj as unknown as Job);
    case "batch/CronJob":
      return describeCronJob(ctx, obj as unknown as CronJob);
    case "/Secret":
      return describeSecret(obj as unknown as Secret);
    case "/ServiceAccount":
      return describeServiceAccount(ctx, obj as unknown as ServiceAccount);
    case "/PersistentVolumeClaim":
      return describePersistentVolumeClaim(ctx, obj as unknown as PersistentVolumeClaim);
    case "/ResourceQuota":
      return describeResourceQuota(obj as unknown as ResourceQuota);
    case "/LimitRange":
      return describeLimitRange(obj as unknown as LimitRange);
    case "rbac.authorization.k8s.io/Role":
    case "rbac.authorization.k8s.io/ClusterRole":
      return describeRole(obj as unknown as Role);
    case "rbac.authorization.k8s.io/RoleBinding":
    case "rbac.authorization.k8s.io/ClusterRoleBinding":
      return describeRoleBinding(obj as unknown as RoleBinding);
    default:
      return describeGeneric(ctx, { ...obj, kind: obj.kind ?? r.kind });
  }
}

async function list(rest: RestClient, r: APIResource, namespace: string | undefined, selector: string): Promise<Obj[]> {
  const l = await rest.json<{ items?: Obj[] }>("GET", pathFor(r, namespace), { query: { labelSelector: selector || undefined, limit: 500 } });
  return (l.items ?? []).map((i) => ({ ...i, kind: r.kind, apiVersion: r.group ? `${r.group}/${r.version}` : r.version }));
}

export async function run(ctx: CommandContext): Promise<number> {
  const { flags, io } = ctx;
  if (ctx.args.length === 0) {
    throw new UsageError('You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.');
  }
  const rest = await ctx.factory.rest();
  const disco = await ctx.factory.discovery();
  const { namespace } = ctx.factory.namespace();
  const allNamespaces = flags.bool("all-namespaces");
  const requests = await resolveResourceArgs(disco, ctx.args);
  const dctx: DescribeContext = { rest, now: ctx.now(), showEvents: flags.bool("show-events", true), client: await ctx.factory.clientBehaviour() };
  const selector = flags.string("selector");
  const errors: string[] = [];
  let first = true;
  let described = 0;
  const print = (s: string) => {
    io.stdout.write(first ? s : `\n\n${s}`);
    first = false;
    described++;
  };
  for (const req of requests) {
    const r = req.resource;
    const ns = r.namespaced ? (allNamespaces ? undefined : namespace) : undefined;
    if (req.names.length === 0) {
      for (const obj of await list(rest, r, ns, selector)) print(await describeObject(dctx, r, obj));
      continue;
    }
    for (const name of req.names) {
      let obj: Obj;
      try {
        obj = await rest.json<Obj>("GET", pathFor(r, ns, name));
      } catch (e) {
        if (e instanceof StatusError && e.code === 404 && ctx.args.length === 2 && !ctx.args.some((a) => a.includes("/"))) {
          // DescribeMatchingResources: describe everything whose name starts with the argument.
          // It maps the type again in a new Builder, which repeats a short-name warning.
          await resolveResourceArgs(disco, [ctx.args[0]!]);
          const matches = (await list(rest, r, ns, "")).filter((o) => o.metadata.name.startsWith(name));
          if (matches.length === 0) throw e;
          for (const o of matches) io.stdout.write(`${await describeObject(dctx, r, o)}\n`);
          return 0;
        }
        if (e instanceof StatusError) {
          const msg = errorMessage(e);
          if (!errors.includes(msg)) errors.push(msg);
          continue;
        }
        throw e;
      }
      print(await describeObject(dctx, r, { ...obj, kind: obj.kind ?? r.kind }));
    }
  }
  if (described === 0 && errors.length === 0) {
    io.stderr.write(allNamespaces ? "No resources found\n" : `No resources found in ${namespace} namespace.\n`);
  }
  if (errors.length > 0) {
    io.stderr.write(errors.join("\n") + "\n");
    return 1;
  }
  return 0;
}
