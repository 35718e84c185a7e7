// The registry entries (paths and flags, as kubectl 1.32 declares them) for
// the `kubectl create` generators beyond deployment and namespace: service
// (clusterip, nodeport, loadbalancer, externalname), configmap, secret
// (generic, tls, docker-registry), serviceaccount, job, cronjob, role,
// clusterrole, rolebinding, clusterrolebinding, quota, priorityclass and
// poddisruptionbudget. Kept apart from
// kubectl.ts, as write-commands.ts is.

import type { FlagSpec } from "./flags.ts";
import type { CommandModule } from "./kubectl.ts";

export interface CreateCommandDef {
  path: string[];
  flags: FlagSpec[];
  load?: () => Promise<CommandModule>;
  required?: string[];
}

const s = (name: string): FlagSpec => ({ name, type: "string" });
const b = (name: string): FlagSpec => ({ name, type: "bool" });
const i = (name: string): FlagSpec => ({ name, type: "int" });
const ss = (name: string): FlagSpec => ({ name, type: "stringSlice" });
const sa = (name: string): FlagSpec => ({ name, type: "stringArray" });

/** PrintFlags, --save-config, --validate, --field-manager and --dry-run: what every generator adds. */
const COMMON: FlagSpec[] = [
  { name: "output", type: "string", shorthand: "o" }, b("allow-missing-template-keys"), b("show-managed-fields"), s("template"),
  b("save-config"), { name: "validate", type: "string", noOptDefault: "strict" }, s("field-manager"),
  { name: "dry-run", type: "string", noOptDefault: "unknown" },
];
const SOURCES: FlagSpec[] = [ss("from-file"), sa("from-literal"), ss("from-env-file"), b("append-hash")];

const service = () => import("./cmd/createservice.ts");
const secret = () => import("./cmd/createsecret.ts");
const rbacRole = () => import("./cmd/createrole.ts");
const rbacBinding = () => import("./cmd/createrolebinding.ts");

export const CREATE_COMMANDS: CreateCommandDef[] = [
  { path: ["create", "service"], flags: [], load: () => import("./cmd/creategroup.ts") },
  { path: ["create", "service", "clusterip"], flags: [...COMMON, ss("tcp"), s("clusterip")], load: service },
  { path: ["create", "service", "nodeport"], flags: [...COMMON, ss("tcp"), i("node-port")], load: service },
  { path: ["create", "service", "loadbalancer"], flags: [...COMMON, ss("tcp")], load: service },
  { path: ["create", "service", "externalname"], flags: [...COMMON, ss("tcp"), s("external-name")], load: service, required: ["external-name"] },
  { path: ["create", "configmap"], flags: [...COMMON, ...SOURCES], load: () => import("./cmd/createconfigmap.ts") },
  { path: ["create", "secret"], flags: [], load: () => import("./cmd/creategroup.ts") },
  { path: ["create", "secret", "generic"], flags: [...COMMON, ...SOURCES, s("type")], load: secret },
  { path: ["create", "secret", "tls"], flags: [...COMMON, s("cert"), s("key"), b("append-hash")], load: secret },
  {
    path: ["create", "secret", "docker-registry"],
    flags: [...COMMON, s("docker-username"), s("docker-password"), s("docker-email"), s("docker-server"), ss("from-file"), b("append-hash")],
    load: secret,
  },
  { path: ["create", "serviceaccount"], flags: COMMON, load: () => import("./cmd/createserviceaccount.ts") },
  { path: ["create", "job"], flags: [...COMMON, s("image"), s("from")], load: () => import("./cmd/createjob.ts") },
  { path: ["create", "cronjob"], flags: [...COMMON, s("image"), s("schedule"), s("restart")], load: () => import("./cmd/createcronjob.ts"), required: ["image", "schedule"] },
  { path: ["create", "role"], flags: [...COMMON, ss("verb"), ss("resource"), sa("resource-name")], load: rbacRole },
  {
    path: ["create", "clusterrole"],
    // --aggregation-rule is a MapStringString; its pairs are checked when the command runs.
    flags: [...COMMON, ss("verb"), ss("non-resource-url"), ss("resource"), sa("resource-name"), sa("aggregation-rule")],
    load: rbacRole,
  },
  { path: ["create", "rolebinding"], flags: [...COMMON, s("clusterrole"), s("role"), sa("user"), sa("group"), sa("serviceaccount")], load: rbacBinding },
  {
    path: ["create", "clusterrolebinding"],
    flags: [...COMMON, s("clusterrole"), sa("user"), sa("group"), sa("serviceaccount")],
    load: rbacBinding,
    required: ["clusterrole"],
  },
  { path: ["create", "quota"], flags: [...COMMON, s("hard"), s("scopes")], load: () => import("./cmd/createquota.ts") },
  {
    path: ["create", "priorityclass"],
    flags: [...COMMON, i("value"), b("global-default"), s("description"), s("preemption-policy")],
    load: () => import("./cmd/createpriorityclass.ts"),
  },
  {
    path: ["create", "poddisruptionbudget"],
    flags: [...COMMON, s("selector"), s("min-available"), s("max-unavailable")],
    load: () => import("./cmd/createpdb.ts"),
  },
];

/** `create service` and `create secret`: cobra's Find walks one level further into them. */
export const CREATE_GROUPS: Record<string, string[]> = {
  service: ["clusterip", "externalname", "loadbalancer", "nodeport"],
  secret: ["docker-registry", "generic", "tls"],
};
