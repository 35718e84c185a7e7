// RFC 6902 JSON Patch, as `kubectl patch --type=json` sends it.
// Copy-on-write: each operation copies the containers on its path and shares
// the rest with the target, so patching a pod's status does not deep-copy
// its spec (the stored target is never changed).

import { badRequest, StatusError } from "../errors.ts";
import { deepCopy } from "../deepcopy.ts";

interface Op {
  op: "add" | "remove" | "replace" | "move" | "copy" | "test";
  path: string;
  value?: unknown;
  from?: string;
}

function pointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw badRequest(`json patch path must start with "/": ${path}`);
  return path
    .slice(1)
    .split("/")
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
}

type Container = Record<string, unknown> | unknown[];

function shallow(v: unknown): unknown {
  if (Array.isArray(v)) return v.slice();
  if (typeof v === "object" && v !== null) return { ...(v as Record<string, unknown>) };
  return v;
}

/** The container holding the path's last part; containers on the way are copied (doc itself already is). */
function walk(doc: unknown, parts: string[], path: string): { parent: Container; key: string } {
  let cur: unknown = doc;
  for (const p of parts.slice(0, -1)) {
    let next: unknown;
    if (Array.isArray(cur)) {
      next = shallow(cur[Number(p)]);
      if (next !== undefined) cur[Number(p)] = next;
    } else if (typeof cur === "object" && cur !== null) {
      next = shallow((cur as Record<string, unknown>)[p]);
      if (next !== undefined) (cur as Record<string, unknown>)[p] = next;
    }
    cur = next;
    if (cur === undefined) throw new StatusError(422, "Invalid", `doc is missing path: "${path}": missing value`);
  }
  if (typeof cur !== "object" || cur === null) throw new StatusError(422, "Invalid", `doc is missing path: "${path}": missing value`);
  return { parent: cur as Container, key: parts[parts.length - 1]! };
}

function getAt(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const p of pointer(path)) {
    if (Array.isArray(cur)) cur = cur[Number(p)];
    else if (typeof cur === "object" && cur !== null) cur = (cur as Record<string, unknown>)[p];
    else return undefined;
  }
  return cur;
}

function add(doc: unknown, path: string, value: unknown): unknown {
  const parts = pointer(path);
  if (parts.length === 0) return value;
  const { parent, key } = walk(doc, parts, path);
  if (Array.isArray(parent)) {
    const i = key === "-" ? parent.length : Number(key);
    if (!(i >= 0 && i <= parent.length)) throw new StatusError(422, "Invalid", `add operation does not apply: doc is missing path: "${path}": missing value`);
    parent.splice(i, 0, value);
  } else parent[key] = value;
  return doc;
}

function remove(doc: unknown, path: string): unknown {
  const parts = pointer(path);
  const { parent, key } = walk(doc, parts, path);
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!(i >= 0 && i < parent.length)) throw new StatusError(422, "Invalid", `remove operation does not apply: doc is missing path: "${path}": missing value`);
    parent.splice(i, 1);
  } else {
    if (!(key in parent)) throw new StatusError(422, "Invalid", `remove operation does not apply: doc is missing path: "${path}": missing value`);
    delete parent[key];
  }
  return doc;
}

export function jsonPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) throw badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  let doc = shallow(target);
  for (const raw of patch as Op[]) {
    switch (raw.op) {
      case "add":
        doc = add(doc, raw.path, deepCopy(raw.value));
        break;
      case "remove":
        doc = remove(doc, raw.path);
        break;
      case "replace":
        doc = remove(doc, raw.path);
        doc = add(doc, raw.path, deepCopy(raw.value));
        break;
      case "move": {
        const v = getAt(doc, raw.from ?? "");
        doc = remove(doc, raw.from ?? "");
        doc = add(doc, raw.path, v);
        break;
      }
      case "copy":
        doc = add(doc, raw.path, deepCopy(getAt(doc, raw.from ?? "")));
        break;
      case "test":
        if (JSON.stringify(getAt(doc, raw.path)) !== JSON.stringify(raw.value)) {
          throw new StatusError(422, "Invalid", `testing value ${raw.path} failed: test failed`);
        }
        break;
      default:
        throw badRequest(`Unexpected kind: ${String((raw as { op: unknown }).op)}`);
    }
  }
  return doc;
}
