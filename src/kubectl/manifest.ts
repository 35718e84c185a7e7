// The objects `-f FILE|DIR|-` names, after cli-runtime's resource visitors
// (visitor.go: FileVisitor, StreamVisitor, ExpandPathsToFileVisitors) and
// YAMLOrJSONDecoder: directories list their .json/.yaml/.yml files (-R walks
// down), `-` is stdin ("STDIN"), a stream is JSON objects or `---`-separated
// YAML documents, and List kinds are flattened into their items.
// Leaves out URLs and kustomize (-k).

import { readdirSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { parseAllDocuments, type Tags } from "yaml";
import { jsonValueWord } from "../apimachinery/gojson.ts";
import type { CommandIO } from "../utils/command.ts";
import { UsageError } from "./errors.ts";

export type Obj = Record<string, unknown>;

export interface ManifestObject {
  /** The decoded object (an item, for List kinds). */
  obj: Obj;
  /** Where it came from, as kubectl names it in messages: the path given, or "STDIN". */
  source: string;
}

const EXTENSIONS = [".json", ".yaml", ".yml"];

/**
 * sigs.k8s.io/yaml decodes with go-yaml v2: YAML 1.1 booleans (yes/on) and
 * octals, but timestamps and base-60 numbers stay strings.
 */
function goYAMLTags(tags: Tags): Tags {
  return tags.filter((t) => {
    if (typeof t === "string") return !t.endsWith("timestamp");
    return !t.tag.endsWith("timestamp") && (t as { format?: string }).format !== "TIME";
  });
}

/**
 * The documents of one stream, in order; empty documents are skipped. A
 * document that is not an object fails client-side validation when that is
 * on (the schema validator gets no object), else the unstructured decoder's
 * probe for apiVersion and kind.
 */
export function decodeStream(text: string, source: string, validate = false): Obj[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    return decodeJSONStream(trimmed, source);
  }
  const out: Obj[] = [];
  for (const doc of parseAllDocuments(text, { version: "1.1", customTags: goYAMLTags, merge: true, uniqueKeys: false })) {
    if ("errors" in doc && doc.errors.length > 0) {
      const e = doc.errors[0]!;
      const line = e.linePos?.[0]?.line ?? 0;
      throw new UsageError(`error converting YAML to JSON: yaml: line ${line}: ${e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}`);
    }
    const value: unknown = doc.toJS({ maxAliasCount: -1 });
    if (value === null || value === undefined) continue;
    if (typeof value !== "object" || Array.isArray(value)) {
      if (validate) {
        throw new UsageError(`error validating "${source}": error validating data: invalid object to validate; if you choose to ignore these errors, turn validation off with --validate=false`);
      }
      throw new UsageError(`unable to decode "${source}": json: cannot unmarshal ${jsonValueWord(value)} into Go value of type unstructured.detector`);
    }
    out.push(value as Obj);
  }
  return out;
}

/** Concatenated JSON values (json.Decoder reads one after another). */
function decodeJSONStream(text: string, source: string): Obj[] {
  const out: Obj[] = [];
  let rest = text;
  while (rest.trim() !== "") {
    const end = jsonValueEnd(rest);
    let value: unknown;
    try {
      value = JSON.parse(rest.slice(0, end));
    } catch (e) {
      throw new UsageError(`error parsing ${source}: ${(e as Error).message}`);
    }
    if (typeof value === "object" && value !== null && !Array.isArray(value)) out.push(value as Obj);
    rest = rest.slice(end).trimStart();
  }
  return out;
}

/** The index just past the first complete JSON object or array in text. */
function jsonValueEnd(text: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return text.length;
}

/** Flattens List kinds (v1 List, DeploymentList…) into their items, as the builder's Flatten does. */
export function flatten(objs: Obj[]): Obj[] {
  const out: Obj[] = [];
  for (const o of objs) {
    const kind = typeof o.kind === "string" ? o.kind : "";
    if (kind.endsWith("List") && Array.isArray(o.items)) {
      const itemVersion = typeof o.apiVersion === "string" ? o.apiVersion : undefined;
      for (const item of o.items as Obj[]) {
        // Items of a typed list (DeploymentList) may leave out kind/apiVersion.
        if (item && typeof item === "object" && !item.kind && kind !== "List") out.push({ apiVersion: itemVersion, kind: kind.slice(0, -4), ...item });
        else out.push(...flatten([item]));
      }
    } else out.push(o);
  }
  return out;
}

async function readStdin(io: CommandIO): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const c of io.stdin) chunks.push(c);
  return Buffer.concat(chunks).toString("utf8");
}

/** The files one -f argument expands to (FileVisitor per file, walk order for directories). */
function expandPath(path: string, given: string, recursive: boolean): { path: string; source: string }[] {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new UsageError(`the path "${given}" does not exist`);
  }
  if (!st.isDirectory()) return [{ path, source: given }];
  const out: { path: string; source: string }[] = [];
  const walk = (dir: string, shown: string, top: boolean) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const label = join(shown, name);
      const s = statSync(full);
      if (s.isDirectory()) {
        if (recursive || top) {
          if (recursive) walk(full, label, false);
        }
        continue;
      }
      if (EXTENSIONS.some((e) => name.endsWith(e))) out.push({ path: full, source: label });
    }
  };
  walk(path, given, true);
  return out;
}

/**
 * Reads every -f argument: the decoded, flattened objects in order. Throws
 * UsageError with kubectl's text when a path is missing.
 */
export async function readManifests(opts: { filenames: string[]; recursive: boolean; io: CommandIO; validate?: boolean }): Promise<ManifestObject[]> {
  const out: ManifestObject[] = [];
  for (const f of opts.filenames) {
    if (f === "-") {
      const text = await readStdin(opts.io);
      for (const obj of flatten(decodeStream(text, "STDIN", opts.validate))) out.push({ obj, source: "STDIN" });
      continue;
    }
    const full = isAbsolute(f) ? f : join(opts.io.cwd, f);
    for (const file of expandPath(full, f, opts.recursive)) {
      const text = readFileSync(file.path, "utf8");
      for (const obj of flatten(decodeStream(text, file.source, opts.validate))) out.push({ obj, source: file.source });
    }
  }
  return out;
}
