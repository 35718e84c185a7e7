// `--overrides` and `--override-type` of `kubectl run` and `kubectl expose`,
// after k8s.io/kubectl/pkg/cmd/util/override_options.go and helpers.go
// (Merge, JSONPatch, StrategicMerge): the generated object is patched with
// the inline JSON (merge: RFC 7386, the default; json: RFC 6902; strategic:
// strategic merge patch) and decoded back into a typed object. The patching
// itself is the apiserver's (src/apimachinery/patch.ts); this file adds what
// kubectl does around it: decoding the flag, the libraries' error texts and
// the decode's apiVersion/kind checks.
// Leaves out the typed decode's pruning (unknown fields, empty optional
// fields) and its type errors, and an override that changes the kind.

import { StatusError } from "../../apimachinery/errors.ts";
import { goSyntaxError, jsonValueWord } from "../../apimachinery/gojson.ts";
import type { KObject } from "../../apimachinery/meta.ts";
import { applyPatch } from "../../apimachinery/patch.ts";
import type { PatchType } from "../../client/interface.ts";
import { RawError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";
import { goJSON } from "../printers/json.ts";

export interface OverrideOptions {
  overrides: string;
  overrideType: string;
  /** The client's minor: the scheme's name in decode errors changed with 1.30. */
  clientMinor: number;
}

/** The flags, and (only when there is an override) the client release the lab's dispatcher would run. */
export async function overrideOptions(ctx: CommandContext): Promise<OverrideOptions> {
  const overrides = ctx.flags.string("overrides");
  const clientMinor = overrides ? (await ctx.factory.clientBehaviour()).minor : 0;
  return { overrides, overrideType: ctx.flags.string("override-type", "merge"), clientMinor };
}

/**
 * The name runtime.NewScheme takes from its caller: kubectl's scheme.go from
 * 1.30 on, apimachinery's scheme.go before (measured with kubectl 1.27–1.33).
 */
const schemeName = (minor: number) => (minor >= 30 ? "pkg/scheme/scheme.go:28" : "pkg/runtime/scheme.go:100");

type Obj = Record<string, unknown>;

function parse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** The patch libraries report plain errors; the shared code throws API Status errors. */
function patched(obj: Obj, type: PatchType, patch: unknown): unknown {
  try {
    return applyPatch(obj as KObject, type, patch, String(obj.kind ?? ""));
  } catch (e) {
    if (e instanceof StatusError) throw new RawError(`error: ${e.message}`);
    throw e;
  }
}

/** jsonpatch.MergePatch (evanphx/json-patch): only an object merges; an array replaces the document. */
function merge(obj: Obj, text: string): unknown {
  const p = parse(text);
  if (!p.ok || p.value === null || (typeof p.value !== "object" && !Array.isArray(p.value))) throw new RawError("error: Invalid JSON Patch");
  if (Array.isArray(p.value)) return p.value.filter((v) => v !== null);
  return patched(obj, "application/merge-patch+json", p.value);
}

/** jsonpatch.DecodePatch then Apply: a list of operations, an op that is not a string reads as "unknown". */
function jsonPatch(obj: Obj, text: string): unknown {
  const p = parse(text);
  // Go's scanner names the offending character; JSON.parse does not say it the same way.
  if (!p.ok) throw new RawError(`error: ${goSyntaxError(text)}`);
  if (p.value === null) return obj;
  if (!Array.isArray(p.value)) throw new RawError(`error: json: cannot unmarshal ${jsonValueWord(p.value)} into Go value of type jsonpatch.Patch`);
  const ops = p.value.map((op: unknown) => {
    if (op === null) return {};
    if (typeof op !== "object" || Array.isArray(op)) throw new RawError(`error: json: cannot unmarshal ${jsonValueWord(op)} into Go value of type jsonpatch.Operation`);
    const o = op as Obj;
    return typeof o.op === "string" ? o : { ...o, op: "unknown" };
  });
  return patched(obj, "application/json-patch+json", ops);
}

/** strategicpatch.StrategicMergePatch: anything but a JSON object is mergepatch.ErrBadJSONDoc. */
function strategic(obj: Obj, text: string): unknown {
  const p = parse(text);
  if (!p.ok || typeof p.value !== "object" || p.value === null || Array.isArray(p.value)) throw new RawError("error: invalid JSON document");
  return patched(obj, "application/strategic-merge-patch+json", p.value);
}

/**
 * The codec's decode of the patched JSON: apiVersion and kind must be there
 * and name the generated object's type (kubectl's scheme has each kind run
 * and expose make in one version only).
 */
function decode(result: unknown, generated: Obj, clientMinor: number): Obj {
  if (typeof result !== "object" || result === null || Array.isArray(result)) {
    throw new RawError(
      `error: couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonValueWord(result)} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`,
    );
  }
  const o = result as Obj;
  for (const field of ["apiVersion", "kind"]) {
    const v = o[field];
    if (v !== undefined && v !== null && typeof v !== "string") {
      throw new RawError(`error: couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonValueWord(v)} into Go struct field .${field} of type string`);
    }
  }
  if (!o.kind) throw new RawError(`error: Object 'Kind' is missing in '${goJSON(o, false)}'`);
  if (!o.apiVersion) throw new RawError(`error: Object 'apiVersion' is missing in '${goJSON(o, false)}'`);
  if (o.kind !== generated.kind) throw new RawError(`error: an override that changes the kind (to ${String(o.kind)}) is not available in kubelab's kubectl`);
  if (o.apiVersion !== generated.apiVersion) {
    throw new RawError(`error: no kind "${String(o.kind)}" is registered for version "${String(o.apiVersion)}" in scheme "${schemeName(clientMinor)}"`);
  }
  return o;
}

/** Overrider.Apply: the object unchanged without --overrides, else patched and decoded. */
export function applyOverrides(obj: Obj, options: OverrideOptions): Obj {
  if (options.overrides === "") return obj;
  const type = options.overrideType || "merge";
  switch (type) {
    case "merge":
      return decode(merge(obj, options.overrides), obj, options.clientMinor);
    case "json":
      return decode(jsonPatch(obj, options.overrides), obj, options.clientMinor);
    case "strategic":
      return decode(strategic(obj, options.overrides), obj, options.clientMinor);
    default:
      throw new RawError(`error: invalid override type: ${type}`);
  }
}
