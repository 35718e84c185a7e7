// `kubectl create quota NAME [--hard=key=value,…] [--scopes=Scope,…]`, after
// k8s.io/kubectl/pkg/cmd/create/create_quota.go: hard limits as canonical
// quantities (sorted, as Go prints a map), scopes passed on unchecked (the
// apiserver judges them). Leaves out nothing.

import { formatQuantity, parseQuantity } from "../../apimachinery/quantity.ts";
import { UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";
import type { Obj } from "../manifest.ts";
import { collectionPath, completeCreate, objectMeta, submit } from "./createsubcommand.ts";

const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;

/** populateResourceListV1. */
function resourceList(spec: string): Record<string, string> | undefined {
  if (spec === "") return undefined;
  const out: Record<string, string> = {};
  for (const statement of spec.split(",")) {
    const parts = statement.split("=");
    if (parts.length !== 2) throw new UsageError(`Invalid argument syntax ${statement}, expected <resource>=<value>`);
    const q = QUANTITY.test(parts[1]!) ? parseQuantity(parts[1]!) : undefined;
    if (!q) throw new UsageError(`quantities must match the regular expression '${QUANTITY.source}'`);
    out[parts[0]!] = formatQuantity(q);
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function parseScopes(spec: string): string[] | undefined {
  if (spec === "") return undefined;
  const scopes = spec.split(",");
  if (scopes.includes("")) throw new UsageError('invalid resource quota scope ""');
  return scopes;
}

export async function run(ctx: CommandContext): Promise<number> {
  const setup = completeCreate(ctx);
  const hard = resourceList(ctx.flags.string("hard"));
  const scopes = parseScopes(ctx.flags.string("scopes"));
  const obj: Obj = {
    kind: "ResourceQuota",
    apiVersion: "v1",
    metadata: objectMeta(setup),
    spec: { ...(hard ? { hard } : {}), ...(scopes ? { scopes } : {}) },
    status: {},
  };
  return submit(ctx, setup, obj, {
    path: collectionPath("", "v1", "resourcequotas", setup.namespace),
    prefix: "resourcequota",
    failure: (m) => `failed to create quota: ${m}`,
  });
}
