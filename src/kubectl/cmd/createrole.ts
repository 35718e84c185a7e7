// `kubectl create role` and `kubectl create clusterrole`, after
// k8s.io/kubectl/pkg/cmd/create/create_role.go and create_clusterrole.go: one
// rule per API group (groups sorted) carrying the de-duplicated verbs, the
// resources as discovery names them (short names expanded, `/subresource`
// kept) and the resource names; a clusterrole may add --non-resource-url
// (its own rule) or be only an --aggregation-rule. Unknown resources pass
// through unless a special verb (use, bind, escalate, impersonate) needs its
// group. Leaves out nothing.

import { RawError, UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";
import type { Obj } from "../manifest.ts";
import { collectionPath, completeCreate, objectMeta, submit } from "./createsubcommand.ts";

const VALID_RESOURCE_VERBS = ["*", "get", "delete", "list", "create", "update", "patch", "watch", "proxy", "deletecollection", "use", "bind", "escalate", "impersonate"];
const VALID_NON_RESOURCE_VERBS = ["*", "get", "post", "put", "delete", "patch", "head", "options"];

/** The group/resources each special verb may be used on. */
const SPECIAL_VERBS: Record<string, [string, string][]> = {
  use: [["policy", "podsecuritypolicies"], ["extensions", "podsecuritypolicies"]],
  bind: [["rbac.authorization.k8s.io", "roles"], ["rbac.authorization.k8s.io", "clusterroles"]],
  escalate: [["rbac.authorization.k8s.io", "roles"], ["rbac.authorization.k8s.io", "clusterroles"]],
  impersonate: [["", "users"], ["", "serviceaccounts"], ["", "groups"], ["authentication.k8s.io", "userextras"]],
};

interface ResourceOption {
  group: string;
  resource: string;
  subresource: string;
}

const unique = (xs: string[]): string[] => [...new Set(xs)];

/** `--resource=pods,deployments.apps,pods/status`: a bare `*` stands for every resource and ends the list. */
function parseResources(specs: string[]): ResourceOption[] {
  const out: ResourceOption[] = [];
  for (const r of specs) {
    const slash = r.indexOf("/");
    const head = slash >= 0 ? r.slice(0, slash) : r;
    const dot = head.indexOf(".");
    const opt = { group: dot >= 0 ? head.slice(dot + 1) : "", resource: dot >= 0 ? head.slice(0, dot) : head, subresource: slash >= 0 ? r.slice(slash + 1) : "" };
    if (opt.resource === "*" && dot < 0 && slash < 0) return [opt];
    out.push(opt);
  }
  return out;
}

/** mapper.ResourceFor: the discovered group and plural name, or the input as given (and why not). */
async function resourceFor(ctx: CommandContext, r: ResourceOption): Promise<{ group: string; resource: string; error?: string }> {
  const disco = await ctx.factory.discovery();
  try {
    const found = await disco.resolve(r.group ? `${r.resource}.${r.group}` : r.resource);
    return { group: found.group, resource: found.resource };
  } catch {
    return { group: r.group, resource: r.resource, error: `the server doesn't have a resource type "${r.resource}"` };
  }
}

async function validateResources(ctx: CommandContext, verbs: string[], resources: ResourceOption[]): Promise<void> {
  for (const r of resources) {
    if (r.resource === "") throw new UsageError("resource must be specified if apiGroup/subresource specified");
    if (r.resource === "*") return;
    const found = await resourceFor(ctx, r);
    let error = found.error;
    for (const v of verbs) {
      const allowed = SPECIAL_VERBS[v];
      if (!allowed) continue;
      if (!allowed.some(([g, res]) => g === found.group && res === found.resource)) throw new UsageError(`can not perform '${v}' on '${found.resource}' in group '${found.group}'`);
      error = undefined;
    }
    // The mapper's error reaches CheckErr as is: printed without "error: ".
    if (error) throw new RawError(error);
  }
}

/** generateResourcePolicyRules: one rule per group, in sorted group order, then the non-resource rule. */
async function policyRules(ctx: CommandContext, verbs: string[], resources: ResourceOption[], names: string[], urls: string[]): Promise<Obj[]> {
  const byGroup = new Map<string, string[]>();
  for (const r of resources) {
    const found = await resourceFor(ctx, r);
    const name = r.subresource ? `${found.resource}/${r.subresource}` : found.resource;
    const list = byGroup.get(found.group) ?? [];
    if (!list.includes(name)) list.push(name);
    byGroup.set(found.group, list);
  }
  const rules: Obj[] = [...byGroup.keys()].sort().map((g) => ({ verbs, apiGroups: [g], resources: byGroup.get(g), ...(names.length > 0 ? { resourceNames: names } : {}) }));
  if (urls.length > 0) rules.push({ verbs, nonResourceURLs: urls });
  return rules;
}

/** cliflag.MapStringString: `k=v[,k=v…]` per occurrence, later keys win; Go prints the map sorted. */
function aggregationRule(values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values) {
    for (const pair of value.split(",")) {
      if (pair.length === 0) continue;
      const eq = pair.indexOf("=");
      if (eq < 0) throw new UsageError(`invalid argument ${JSON.stringify(value)} for "--aggregation-rule" flag: malformed pair, expect string=string`);
      out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
    }
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export async function run(ctx: CommandContext): Promise<number> {
  const { flags } = ctx;
  const cluster = ctx.commandPath.endsWith("clusterrole");
  const urls = cluster ? unique(flags.strings("non-resource-url")) : [];
  const aggregation = cluster ? aggregationRule(flags.strings("aggregation-rule")) : {};
  const setup = completeCreate(ctx);
  let verbs: string[] = [];
  for (const v of flags.strings("verb")) {
    if (v === "*") {
      verbs = ["*"];
      break;
    }
    if (!verbs.includes(v)) verbs.push(v);
  }
  const resources = parseResources(flags.strings("resource"));
  const names = unique(flags.strings("resource-name"));
  const warn = () => {
    for (const v of verbs) if (!VALID_RESOURCE_VERBS.includes(v)) ctx.io.stderr.write(`Warning: '${v}' is not a standard resource verb\n`);
  };

  if (!cluster) {
    if (verbs.length === 0) throw new UsageError("at least one verb must be specified");
    warn();
    if (resources.length === 0) throw new UsageError("at least one resource must be specified");
    await validateResources(ctx, verbs, resources);
  } else if (Object.keys(aggregation).length > 0) {
    if (urls.length > 0 || verbs.length > 0 || resources.length > 0 || names.length > 0) {
      throw new UsageError("aggregation rule must be specified without nonResourceURLs, verbs, resources or resourceNames");
    }
  } else {
    if (verbs.length === 0) throw new UsageError("at least one verb must be specified");
    if (resources.length === 0 && urls.length === 0) throw new UsageError("one of resource or nonResourceURL must be specified");
    if (resources.length > 0) {
      warn();
      await validateResources(ctx, verbs, resources);
    }
    if (urls.length > 0) {
      for (const v of verbs) if (!VALID_NON_RESOURCE_VERBS.includes(v)) throw new UsageError(`invalid verb: '${v}' for nonResourceURL`);
      for (const u of urls) {
        if (u === "*") continue;
        if (!u.startsWith("/")) throw new UsageError("nonResourceURL should start with /");
        if (u.slice(0, -1).includes("*")) throw new UsageError("nonResourceURL only supports wildcard matches when '*' is at the end");
      }
    }
  }

  const kind = cluster ? "ClusterRole" : "Role";
  const body: Obj =
    Object.keys(aggregation).length > 0
      ? // Rules has no omitempty: the nil slice prints as null.
        { rules: null, aggregationRule: { clusterRoleSelectors: [{ matchLabels: aggregation }] } }
      : { rules: await policyRules(ctx, verbs, resources, names, urls) };
  const obj: Obj = { kind, apiVersion: "rbac.authorization.k8s.io/v1", metadata: objectMeta({ ...setup, enforceNamespace: !cluster && setup.enforceNamespace }), ...body };
  return submit(ctx, setup, obj, {
    path: collectionPath("rbac.authorization.k8s.io", "v1", cluster ? "clusterroles" : "roles", cluster ? undefined : setup.namespace),
    prefix: `${kind.toLowerCase()}.rbac.authorization.k8s.io`,
  });
}
