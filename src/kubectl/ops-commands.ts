// The registry entries (paths and flags, as kubectl 1.32 declares them) for
// rollout, cordon/uncordon/drain/taint, wait, top, auth and config.
// Kept apart from kubectl.ts so engineers adding other commands do not edit
// the same lines; kubectl.ts splices this list into its command table.

import type { FlagSpec } from "./flags.ts";
import type { CommandModule } from "./kubectl.ts";

export interface OpsCommandDef {
  path: string[];
  flags: FlagSpec[];
  load?: () => Promise<CommandModule>;
  required?: string[];
}

const s = (name: string, shorthand?: string): FlagSpec => ({ name, type: "string", ...(shorthand ? { shorthand } : {}) });
const b = (name: string, shorthand?: string): FlagSpec => ({ name, type: "bool", ...(shorthand ? { shorthand } : {}) });
const i = (name: string, shorthand?: string): FlagSpec => ({ name, type: "int", ...(shorthand ? { shorthand } : {}) });
const ss = (name: string, shorthand?: string): FlagSpec => ({ name, type: "stringSlice", ...(shorthand ? { shorthand } : {}) });
const d = (name: string): FlagSpec => ({ name, type: "duration" });

const PRINT: FlagSpec[] = [s("output", "o"), b("allow-missing-template-keys"), b("show-managed-fields"), s("template")];
const FILES: FlagSpec[] = [ss("filename", "f"), s("kustomize", "k"), b("recursive", "R")];
const DRY_RUN: FlagSpec = { name: "dry-run", type: "string", noOptDefault: "unknown" };

const rollout = () => import("./cmd/rollout.ts");
const drain = () => import("./cmd/drain.ts");
const config = () => import("./cmd/config.ts");

export const OPS_COMMANDS: OpsCommandDef[] = [
  { path: ["rollout", "status"], flags: [...FILES, i("revision"), s("selector", "l"), d("timeout"), b("watch", "w")], load: rollout },
  { path: ["rollout", "history"], flags: [...PRINT, ...FILES, i("revision"), s("selector", "l")], load: rollout },
  { path: ["rollout", "undo"], flags: [...PRINT, ...FILES, DRY_RUN, s("selector", "l"), i("to-revision")], load: rollout },
  { path: ["rollout", "restart"], flags: [...PRINT, ...FILES, s("field-manager"), s("selector", "l")], load: rollout },
  { path: ["rollout", "pause"], flags: [...PRINT, ...FILES, s("field-manager"), s("selector", "l")], load: rollout },
  { path: ["rollout", "resume"], flags: [...PRINT, ...FILES, s("field-manager"), s("selector", "l")], load: rollout },
  { path: ["cordon"], flags: [DRY_RUN, s("selector", "l")], load: drain },
  { path: ["uncordon"], flags: [DRY_RUN, s("selector", "l")], load: drain },
  {
    path: ["drain"],
    flags: [
      i("chunk-size"), b("delete-emptydir-data"), b("disable-eviction"), DRY_RUN, b("force"), i("grace-period"), b("ignore-daemonsets"),
      s("pod-selector"), s("selector", "l"), i("skip-wait-for-delete-timeout"), d("timeout"), b("delete-local-data"),
    ],
    load: drain,
  },
  {
    path: ["taint"],
    flags: [...PRINT, b("all"), DRY_RUN, s("field-manager"), b("overwrite"), s("selector", "l"), { name: "validate", type: "string", noOptDefault: "strict" }],
    load: () => import("./cmd/taint.ts"),
  },
  {
    path: ["wait"],
    flags: [...PRINT, ...FILES, b("all"), b("all-namespaces", "A"), s("field-selector"), s("for"), b("local"), s("selector", "l"), d("timeout")],
    load: () => import("./cmd/wait.ts"),
  },
  {
    path: ["exec"],
    flags: [s("container", "c"), b("stdin", "i"), b("tty", "t"), b("quiet", "q"), ss("filename", "f"), d("pod-running-timeout")],
    load: () => import("./cmd/exec.ts"),
  },
  { path: ["top", "node"], flags: [b("no-headers"), s("selector", "l"), b("show-capacity"), s("sort-by"), b("use-protocol-buffers")], load: () => import("./cmd/top.ts") },
  {
    path: ["top", "pod"],
    flags: [b("all-namespaces", "A"), b("containers"), s("field-selector"), b("no-headers"), s("selector", "l"), s("sort-by"), b("sum"), b("use-protocol-buffers")],
    load: () => import("./cmd/top.ts"),
  },
  { path: ["auth", "can-i"], flags: [b("all-namespaces", "A"), b("list"), b("no-headers"), b("quiet", "q"), s("subresource")], load: () => import("./cmd/auth.ts") },
  { path: ["auth", "whoami"], flags: [...PRINT], load: () => import("./cmd/auth.ts") },
  { path: ["config", "view"], flags: [...PRINT, b("flatten"), b("merge"), b("minify"), b("raw")], load: config },
  { path: ["config", "get-contexts"], flags: [b("no-headers"), s("output", "o")], load: config },
  { path: ["config", "current-context"], flags: [], load: config },
  { path: ["config", "use-context"], flags: [], load: config },
  { path: ["config", "set-context"], flags: [s("cluster"), b("current"), s("namespace"), s("user")], load: config },
  { path: ["api-versions"], flags: [], load: () => import("./cmd/apiversions.ts") },
  { path: ["explain"], flags: [s("api-version"), s("output", "o"), b("recursive")], load: () => import("./cmd/explain.ts") },
];

/** Groups that answer with their help (exit 1) when no subcommand is given; rollout's goes to stdout. */
export const GROUPS_WITH_HELP = ["rollout", "top", "auth", "config"];
