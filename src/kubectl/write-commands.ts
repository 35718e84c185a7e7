// The registry entries (paths and flags, as kubectl 1.32 declares them) for
// apply, create -f, replace, patch, label, annotate, set image|env and
// completion. Kept apart from kubectl.ts (as ops-commands.ts is) so
// engineers adding commands do not edit the same lines.

import type { FlagSpec } from "./flags.ts";
import type { CommandModule } from "./kubectl.ts";

export interface WriteCommandDef {
  path: string[];
  flags: FlagSpec[];
  load?: () => Promise<CommandModule>;
  required?: string[];
}

const s = (name: string, shorthand?: string): FlagSpec => ({ name, type: "string", ...(shorthand ? { shorthand } : {}) });
const b = (name: string, shorthand?: string): FlagSpec => ({ name, type: "bool", ...(shorthand ? { shorthand } : {}) });
const i = (name: string, shorthand?: string): FlagSpec => ({ name, type: "int", ...(shorthand ? { shorthand } : {}) });
const ss = (name: string, shorthand?: string): FlagSpec => ({ name, type: "stringSlice", ...(shorthand ? { shorthand } : {}) });
const sa = (name: string, shorthand?: string): FlagSpec => ({ name, type: "stringArray", ...(shorthand ? { shorthand } : {}) });
const d = (name: string): FlagSpec => ({ name, type: "duration" });

const PRINT: FlagSpec[] = [s("output", "o"), b("allow-missing-template-keys"), b("show-managed-fields"), s("template")];
const FILES: FlagSpec[] = [ss("filename", "f"), s("kustomize", "k"), b("recursive", "R")];
const DRY_RUN: FlagSpec = { name: "dry-run", type: "string", noOptDefault: "unknown" };
const VALIDATE: FlagSpec = { name: "validate", type: "string", noOptDefault: "strict" };
const CASCADE: FlagSpec = { name: "cascade", type: "string", noOptDefault: "background" };

/** `kubectl create -f`: the flags of the create command itself. */
export const CREATE_FILE_FLAGS: FlagSpec[] = [...PRINT, ...FILES, DRY_RUN, b("edit"), s("field-manager"), s("raw"), b("save-config"), s("selector", "l"), VALIDATE, b("windows-line-endings")];

const META_FLAGS: FlagSpec[] = [
  ...PRINT, ...FILES, DRY_RUN, b("all"), b("all-namespaces", "A"), s("field-manager"), s("field-selector"), b("list"), b("local"), b("overwrite"),
  s("resource-version"), s("selector", "l"),
];

export const WRITE_COMMANDS: WriteCommandDef[] = [
  {
    path: ["apply"],
    flags: [
      ...PRINT, ...FILES, DRY_RUN, VALIDATE, CASCADE, b("all"), s("field-manager"), b("force"), b("force-conflicts"), i("grace-period"), b("openapi-patch"),
      b("overwrite"), b("prune"), ss("prune-allowlist"), s("selector", "l"), b("server-side"), s("subresource"), d("timeout"), b("wait"),
    ],
    load: () => import("./cmd/apply.ts"),
  },
  {
    path: ["replace"],
    flags: [...PRINT, ...FILES, DRY_RUN, VALIDATE, CASCADE, s("field-manager"), b("force"), i("grace-period"), s("raw"), b("save-config"), s("subresource"), d("timeout"), b("wait")],
    load: () => import("./cmd/replace.ts"),
  },
  {
    path: ["patch"],
    flags: [...PRINT, ...FILES, DRY_RUN, s("field-manager"), b("local"), s("patch", "p"), s("patch-file"), s("subresource"), s("type")],
    load: () => import("./cmd/patch.ts"),
  },
  { path: ["label"], flags: META_FLAGS, load: () => import("./cmd/label.ts") },
  { path: ["annotate"], flags: META_FLAGS, load: () => import("./cmd/annotate.ts") },
  {
    path: ["set", "image"],
    flags: [...PRINT, ...FILES, DRY_RUN, b("all"), s("field-manager"), b("local"), s("selector", "l")],
    load: () => import("./cmd/setimage.ts"),
  },
  {
    path: ["set", "env"],
    flags: [
      ...PRINT, ...FILES, DRY_RUN, b("all"), s("containers", "c"), sa("env", "e"), s("field-manager"), s("from"), ss("keys"), b("list"), b("local"),
      b("overwrite"), s("prefix"), b("resolve"), s("selector", "l"),
    ],
    load: () => import("./cmd/setenv.ts"),
  },
  {
    path: ["set", "resources"],
    flags: [...PRINT, ...FILES, DRY_RUN, b("all"), s("containers", "c"), s("field-manager"), s("limits"), b("local"), s("requests"), s("selector", "l")],
    load: () => import("./cmd/setresources.ts"),
  },
  {
    path: ["edit"],
    flags: [
      ...PRINT, ...FILES, s("field-manager"), b("output-patch"), b("record"), b("save-config"), s("subresource"), VALIDATE, b("windows-line-endings"),
    ],
    load: () => import("./cmd/edit.ts"),
  },
  { path: ["completion"], flags: [], load: () => import("./cmd/completion.ts") },
];

/** Command groups (cobra parents) of these commands, with their subcommands. */
export const WRITE_GROUPS: Record<string, { names: string[]; aliases?: Record<string, string> }> = {
  set: { names: ["env", "image", "resources", "selector", "serviceaccount", "subject"] },
};
