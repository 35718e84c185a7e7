// The last-applied-configuration annotation, after k8s.io/kubectl/pkg/util/
// apply.go: GetOriginalConfiguration, GetModifiedConfiguration and
// CreateApplyAnnotation. The configuration is the object encoded as
// unstructured JSON (sorted keys, Go's HTML escapes, a trailing newline) with
// the annotation itself taken out, which leaves `"annotations":{}` behind.

import type { Obj } from "../manifest.ts";
import { goJSON } from "../printers/json.ts";

export const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

function annotationsOf(obj: Obj): Record<string, string> {
  const md = obj.metadata as Obj | undefined;
  const a = md?.annotations;
  return typeof a === "object" && a !== null ? { ...(a as Record<string, string>) } : {};
}

function withAnnotations(obj: Obj, annotations: Record<string, string>): Obj {
  return { ...obj, metadata: { ...((obj.metadata as Obj | undefined) ?? {}), annotations } };
}

/** The last-applied configuration stored on a live object, or undefined. */
export function getOriginalConfiguration(obj: Obj): string | undefined {
  return annotationsOf(obj)[LAST_APPLIED];
}

/**
 * The object as JSON without the annotation; with annotate, that JSON is put
 * into the annotation and the object encoded again (what apply sends).
 */
export function getModifiedConfiguration(obj: Obj, annotate: boolean): string {
  const annots = annotationsOf(obj);
  delete annots[LAST_APPLIED];
  const bare = `${goJSON(withAnnotations(obj, annots))}\n`;
  if (!annotate) return bare;
  return `${goJSON(withAnnotations(obj, { ...annots, [LAST_APPLIED]: bare }))}\n`;
}

/** The object with its annotation set to its own configuration (create --save-config, apply's create). */
export function createApplyAnnotation(obj: Obj): Obj {
  const annots = annotationsOf(obj);
  const config = getModifiedConfiguration(obj, false);
  return withAnnotations(obj, { ...annots, [LAST_APPLIED]: config });
}
