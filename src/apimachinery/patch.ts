// PATCH bodies, after k8s.io/apimachinery/pkg/util/{jsonmergepatch,strategicpatch}
// and RFC 6902: JSON merge patch, strategic merge patch and JSON patch.

import { badRequest } from "./errors.ts";
import type { KObject } from "./meta.ts";
import type { PatchType } from "../client/interface.ts";
import { jsonPatch } from "./patch/jsonpatch.ts";
import { strategicMergePatch } from "./patch/strategic.ts";
import { deepCopy } from "./deepcopy.ts";

/** RFC 7386: objects merge recursively, null deletes, everything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) return deepCopy(patch);
  const out: Record<string, unknown> =
    typeof target === "object" && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export function applyPatch(current: KObject, type: PatchType, patch: unknown, kind: string): KObject {
  switch (type) {
    case "application/merge-patch+json":
      return mergePatch(current, patch) as KObject;
    case "application/strategic-merge-patch+json":
      return strategicMergePatch(current, patch, kind) as KObject;
    case "application/json-patch+json":
      return jsonPatch(current, patch) as KObject;
    default:
      throw badRequest(`the server does not support patch type ${String(type)}`);
  }
}
