// Computing strategic merge patches, after k8s.io/apimachinery/pkg/util/
// strategicpatch/patch.go: CreateTwoWayMergePatch (edit) and
// CreateThreeWayMergePatch (apply: the changes from live to the new config,
// plus the deletions from the last-applied config to the new one), with
// $setElementOrder lists, `$patch: delete` items, $deleteFromPrimitiveList and
// $retainKeys. Leaves out conflict detection (kubectl apply overwrites) and the
// exact order of items inside a merged patch list (the server orders the
// result by $setElementOrder, so objects come out the same).

import { EMPTY_PATCH_META, type LookupPatchMeta, type PatchMeta } from "./patchmeta.ts";

export type Obj = Record<string, unknown>;

interface DiffOptions {
  ignoreDeletions?: boolean;
  ignoreChangesAndAdditions?: boolean;
  setElementOrder?: boolean;
  buildRetainKeysDirective?: boolean;
}

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Go's reflect.TypeOf over decoded JSON: map, slice, string, number, bool, nil. */
function typeOf(v: unknown): string {
  if (v === null || v === undefined) return "nil";
  if (Array.isArray(v)) return "slice";
  return typeof v === "object" ? "map" : typeof v;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeOf(a) !== typeOf(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  if (isObj(a)) {
    const bo = b as Obj;
    const ka = Object.keys(a);
    return ka.length === Object.keys(bo).length && ka.every((k) => k in bo && deepEqual(a[k], bo[k]));
  }
  return false;
}

/** fmt.Sprintf("%v") of a merge key value, for ordering. */
function keyString(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

const byteLess = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b)) < 0;

function retainKeysAndStrategy(meta: PatchMeta): { retainKeys: boolean; strategy: string } {
  const s = meta.strategies;
  if (s.length === 0) return { retainKeys: false, strategy: "" };
  if (s.length === 1) return s[0] === "retainKeys" ? { retainKeys: true, strategy: "" } : { retainKeys: false, strategy: s[0]! };
  return { retainKeys: s.includes("retainKeys"), strategy: s.find((x) => x !== "retainKeys") ?? "" };
}

function diffMaps(original: Obj, modified: Obj, schema: LookupPatchMeta, opts: DiffOptions): Obj {
  const patch: Obj = {};
  const retainKeysList: string[] = [];
  for (const [key, modifiedValue] of Object.entries(modified)) {
    if (opts.buildRetainKeysDirective && modifiedValue !== null && modifiedValue !== undefined) retainKeysList.push(key);
    if (!(key in original)) {
      if (!opts.ignoreChangesAndAdditions) patch[key] = modifiedValue;
      continue;
    }
    const originalValue = original[key];
    if (key === "$patch") {
      // A directive marker in the original (never in kubectl's own inputs): keep the modified one.
      if (!deepEqual(originalValue, modifiedValue)) patch[key] = modifiedValue;
      continue;
    }
    if (typeOf(originalValue) !== typeOf(modifiedValue)) {
      if (!opts.ignoreChangesAndAdditions) patch[key] = modifiedValue;
      continue;
    }
    if (isObj(originalValue)) handleMapDiff(key, originalValue, modifiedValue as Obj, patch, schema, opts);
    else if (Array.isArray(originalValue)) handleSliceDiff(key, originalValue, modifiedValue as unknown[], patch, schema, opts);
    else if (!opts.ignoreChangesAndAdditions && !deepEqual(originalValue, modifiedValue)) patch[key] = modifiedValue;
  }
  if (!opts.ignoreDeletions) {
    for (const key of Object.keys(original)) if (!(key in modified)) patch[key] = null;
  }
  if (retainKeysList.length > 0 && (Object.keys(patch).length > 0 || hasAdditionalNewField(original, modified))) {
    patch.$retainKeys = [...retainKeysList].sort((a, b) => (byteLess(a, b) ? -1 : byteLess(b, a) ? 1 : 0));
  }
  return patch;
}

function hasAdditionalNewField(original: Obj, modified: Obj): boolean {
  return Object.entries(original).some(([k, v]) => v !== null && v !== undefined && !(k in modified));
}

function handleMapDiff(key: string, original: Obj, modified: Obj, patch: Obj, schema: LookupPatchMeta, opts: DiffOptions): void {
  const { schema: sub, meta } = schema.forStruct(key);
  const { retainKeys, strategy } = retainKeysAndStrategy(meta);
  const o = { ...opts, buildRetainKeysDirective: retainKeys };
  if (strategy === "replace") {
    if (!o.ignoreChangesAndAdditions) patch[key] = modified;
    return;
  }
  const value = diffMaps(original, modified, sub, o);
  if (Object.keys(value).length > 0) patch[key] = value;
}

function handleSliceDiff(key: string, original: unknown[], modified: unknown[], patch: Obj, schema: LookupPatchMeta, opts: DiffOptions): void {
  const { schema: sub, meta } = schema.forSlice(key);
  const { retainKeys, strategy } = retainKeysAndStrategy(meta);
  if (strategy !== "merge") {
    if (!opts.ignoreChangesAndAdditions && !deepEqual(original, modified)) patch[key] = modified;
    return;
  }
  const { add, del, order } = diffLists(original, modified, sub, meta.mergeKey, { ...opts, buildRetainKeysDirective: retainKeys });
  if (add.length > 0) patch[key] = add;
  if (del.length > 0) patch[`$deleteFromPrimitiveList/${key}`] = del;
  if (order.length > 0) patch[`$setElementOrder/${key}`] = order;
}

function diffLists(original: unknown[], modified: unknown[], schema: LookupPatchMeta, mergeKey: string, opts: DiffOptions): { add: unknown[]; del: unknown[]; order: unknown[] } {
  const first = [...original, ...modified].find((x) => x !== null && x !== undefined);
  if (isObj(first)) {
    const { patch, deletions } = diffListsOfMaps(original, modified, schema, mergeKey, opts);
    const add = [...normalizeOrder(patch, modified, mergeKey), ...deletions];
    const orderSame = original.length === modified.length && modified.every((m, i) => keyString((original[i] as Obj)?.[mergeKey]) === keyString((m as Obj)?.[mergeKey]));
    let order: unknown[] = [];
    if (opts.setElementOrder && ((!opts.ignoreChangesAndAdditions && (add.length > 0 || !orderSame)) || (!opts.ignoreDeletions && add.length > 0))) {
      order = modified.map((m) => ({ [mergeKey]: (m as Obj)[mergeKey] }));
    }
    return { add, del: [], order };
  }
  const { add, del } = diffListsOfScalars(original, modified, opts);
  const sortedAdd = normalizeOrder(add, modified, "");
  let order: unknown[] = [];
  if (opts.setElementOrder && ((!opts.ignoreDeletions && del.length > 0) || (!opts.ignoreChangesAndAdditions && !deepEqual(original, modified)))) order = modified;
  return { add: sortedAdd, del, order };
}

/** Sorts items by where their key (or value) sits in `order`; delete directives go last. */
function normalizeOrder(items: unknown[], order: unknown[], mergeKey: string): unknown[] {
  const pos = (x: unknown) =>
    mergeKey ? order.findIndex((o) => keyString((o as Obj)[mergeKey]) === keyString((x as Obj)[mergeKey])) : order.findIndex((o) => deepEqual(o, x));
  const isDelete = (x: unknown) => isObj(x) && x.$patch === "delete";
  const keep = items.filter((x) => !isDelete(x));
  const dels = items.filter(isDelete);
  return [...keep.map((x, i) => ({ x, i, p: pos(x) })).sort((a, b) => a.p - b.p || a.i - b.i).map((e) => e.x), ...dels];
}

function sortByKey(list: unknown[], mergeKey: string): Obj[] {
  return list
    .map((x, i) => ({ x: x as Obj, i, k: keyString((x as Obj)[mergeKey]) }))
    .sort((a, b) => (byteLess(a.k, b.k) ? -1 : byteLess(b.k, a.k) ? 1 : a.i - b.i))
    .map((e) => e.x);
}

function diffListsOfMaps(original: unknown[], modified: unknown[], schema: LookupPatchMeta, mergeKey: string, opts: DiffOptions): { patch: unknown[]; deletions: unknown[] } {
  const patch: unknown[] = [];
  const deletions: unknown[] = [];
  const o = sortByKey(original, mergeKey);
  const m = sortByKey(modified, mergeKey);
  let oi = 0;
  let mi = 0;
  while (oi < o.length || mi < m.length) {
    const ok = oi < o.length ? keyString(o[oi]![mergeKey]) : undefined;
    const mk = mi < m.length ? keyString(m[mi]![mergeKey]) : undefined;
    if (ok !== undefined && mk !== undefined && ok === mk) {
      const value = diffMaps(o[oi]!, m[mi]!, schema, opts);
      if (Object.keys(value).length > 0) {
        value[mergeKey] = m[mi]![mergeKey];
        patch.push(value);
      }
      oi++;
      mi++;
    } else if (ok === undefined || (mk !== undefined && byteLess(mk, ok))) {
      if (!opts.ignoreChangesAndAdditions) patch.push(m[mi]);
      mi++;
    } else {
      if (!opts.ignoreDeletions) deletions.push({ $patch: "delete", [mergeKey]: o[oi]![mergeKey] });
      oi++;
    }
  }
  return { patch, deletions };
}

function uniqueSortedScalars(list: unknown[]): unknown[] {
  const seen = new Set<string>();
  const out: unknown[] = [];
  for (const x of list) {
    const k = keyString(x);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(x);
    }
  }
  return out.sort((a, b) => (byteLess(keyString(a), keyString(b)) ? -1 : byteLess(keyString(b), keyString(a)) ? 1 : 0));
}

function diffListsOfScalars(original: unknown[], modified: unknown[], opts: DiffOptions): { add: unknown[]; del: unknown[] } {
  const o = uniqueSortedScalars(original);
  const m = uniqueSortedScalars(modified);
  const add: unknown[] = [];
  const del: unknown[] = [];
  let oi = 0;
  let mi = 0;
  while (oi < o.length || mi < m.length) {
    const os = oi < o.length ? keyString(o[oi]) : undefined;
    const ms = mi < m.length ? keyString(m[mi]) : undefined;
    if (os !== undefined && ms !== undefined && os === ms) {
      oi++;
      mi++;
    } else if (os === undefined || (ms !== undefined && byteLess(ms, os))) {
      if (!opts.ignoreChangesAndAdditions) add.push(m[mi]);
      mi++;
    } else {
      if (!opts.ignoreDeletions) del.push(o[oi]);
      oi++;
    }
  }
  return { add, del };
}

/**
 * Merges the delta patch into the deletions patch (mergeMap with
 * MergeParallelList=false): directives are carried over, lists with a merge
 * strategy merge item by item, nulls are kept so the server deletes.
 */
function mergePatches(original: Obj, patch: Obj, schema: LookupPatchMeta): Obj {
  const out: Obj = { ...original };
  for (const [k, v] of Object.entries(patch)) {
    if (k === "$retainKeys" || k.startsWith("$setElementOrder/") || k.startsWith("$deleteFromPrimitiveList/")) {
      out[k] = v;
      continue;
    }
    if (!(k in out) || typeOf(out[k]) !== typeOf(v) || v === null) {
      out[k] = v;
      continue;
    }
    if (isObj(v)) {
      const { schema: sub, meta } = schema.forStruct(k);
      out[k] = retainKeysAndStrategy(meta).strategy === "replace" ? v : mergePatches(out[k] as Obj, v, sub);
    } else if (Array.isArray(v)) {
      const { schema: sub, meta } = schema.forSlice(k);
      const { strategy } = retainKeysAndStrategy(meta);
      out[k] = strategy === "merge" ? mergeLists(out[k] as unknown[], v, sub, meta.mergeKey) : v;
    } else out[k] = v;
  }
  return out;
}

function mergeLists(original: unknown[], patch: unknown[], schema: LookupPatchMeta, mergeKey: string): unknown[] {
  const out = [...original];
  for (const item of patch) {
    if (mergeKey && isObj(item)) {
      const at = out.findIndex((x) => isObj(x) && keyString(x[mergeKey]) === keyString(item[mergeKey]));
      if (at >= 0) out[at] = mergePatches(out[at] as Obj, item, schema);
      else out.push(item);
    } else if (!out.some((x) => deepEqual(x, item))) out.push(item);
  }
  return out;
}

/** CreateTwoWayMergePatch: what turns original into modified. */
export function createTwoWayMergePatch(original: Obj, modified: Obj, schema: LookupPatchMeta): Obj {
  return diffMaps(original, modified, schema, { setElementOrder: true });
}

/**
 * CreateThreeWayMergePatch(original=last-applied, modified=new config,
 * current=live): the changes from current to modified (without deletions)
 * merged with the deletions from original to modified.
 */
export function createThreeWayMergePatch(original: Obj, modified: Obj, current: Obj, schema: LookupPatchMeta): Obj {
  const delta = diffMaps(current, modified, schema, { ignoreDeletions: true, setElementOrder: true });
  const deletions = diffMaps(original, modified, schema, { ignoreChangesAndAdditions: true, setElementOrder: true });
  return mergePatches(deletions, delta, schema);
}

/**
 * A JSON merge patch from original to modified (evanphx/json-patch's
 * CreateMergePatch): the same walk with no patch metadata, so lists replace.
 */
export function createJSONMergePatch(original: Obj, modified: Obj): Obj {
  return diffMaps(original, modified, EMPTY_PATCH_META, {});
}
