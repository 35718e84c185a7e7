// `kubectl create poddisruptionbudget NAME --selector=… --min-available=N|N%
// or --max-unavailable=N|N%`, after
// k8s.io/kubectl/pkg/cmd/create/create_pdb.go: a policy/v1
// PodDisruptionBudget with a zero status, as Go's struct prints it. Leaves
// out set-based selectors (`app in (a,b)`): equality and inequality only.

import { UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";
import type { Obj } from "../manifest.ts";
import { collectionPath, completeCreate, objectMeta, submit } from "./createsubcommand.ts";

/** metav1.ParseToLabelSelector for `k=v`, `k==v` and `k!=v` terms. */
function labelSelector(text: string): Obj {
  const matchLabels: Record<string, string> = {};
  const matchExpressions: Obj[] = [];
  for (const term of text.split(",")) {
    const ne = /^\s*([^!=\s]+)\s*!=\s*(\S*)\s*$/.exec(term);
    const eq = /^\s*([^!=\s]+)\s*==?\s*(\S*)\s*$/.exec(term);
    if (ne) matchExpressions.push({ key: ne[1], operator: "NotIn", values: [ne[2]] });
    else if (eq) matchLabels[eq[1]!] = eq[2]!;
    else throw new UsageError(`set-based selector ${JSON.stringify(term)} is not available in kubelab's kubectl`);
  }
  return {
    ...(Object.keys(matchLabels).length > 0 ? { matchLabels: Object.fromEntries(Object.entries(matchLabels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) } : {}),
    ...(matchExpressions.length > 0 ? { matchExpressions } : {}),
  };
}

/** intstr.Parse: a number when it is one, else the string. */
function intOrString(s: string): number | string {
  return /^-?[0-9]+$/.test(s) ? Number(s) : s;
}

export async function run(ctx: CommandContext): Promise<number> {
  const { flags } = ctx;
  const setup = completeCreate(ctx);
  const selector = flags.string("selector");
  const min = flags.string("min-available");
  const max = flags.string("max-unavailable");
  if (selector === "") throw new UsageError("a selector must be specified");
  if (min === "" && max === "") throw new UsageError("one of min-available or max-unavailable must be specified");
  if (min !== "" && max !== "") throw new UsageError("min-available and max-unavailable cannot be both specified");
  // 10 or 30%, never 10Gb.
  if (min !== "" && !/^[0-9]+%?$/.test(min)) throw new UsageError("invalid format specified for min-available");
  if (max !== "" && !/^[0-9]+%?$/.test(max)) throw new UsageError("invalid format specified for max-unavailable");
  const obj: Obj = {
    kind: "PodDisruptionBudget",
    apiVersion: "policy/v1",
    metadata: objectMeta(setup),
    spec: { ...(min ? { minAvailable: intOrString(min) } : {}), selector: labelSelector(selector), ...(max ? { maxUnavailable: intOrString(max) } : {}) },
    status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 },
  };
  return submit(ctx, setup, obj, {
    path: collectionPath("policy", "v1", "poddisruptionbudgets", setup.namespace),
    prefix: "poddisruptionbudget.policy",
    failure: (m) => `failed to create poddisruptionbudgets: ${m}`,
  });
}
