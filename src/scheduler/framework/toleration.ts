// Toleration matching, after k8s.io/component-helpers/scheduling/corev1 and
// core/v1 helper ToleratesTaint: an empty key with Exists tolerates
// everything; an empty effect matches every effect.

import type { Taint, Toleration } from "../../api/core/v1.ts";

export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key !== undefined && t.key !== "" && t.key !== taint.key) return false;
  const op = t.operator ?? "Equal";
  if (op === "Exists") return true;
  if (!t.key && op === "Equal") return false;
  return (t.value ?? "") === (taint.value ?? "");
}

export function tolerates(tolerations: Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}
