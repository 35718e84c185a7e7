// kubeconfig files, after client-go/tools/clientcmd: load ($KUBECONFIG, a
// colon-separated list merged first-wins, else ~/.kube/config), resolve the
// current context to a server, CA and token; and write one the way kubeadm
// writes admin.conf (here with a bearer token instead of a client certificate).
// Leaves out: client certificates, exec/auth-provider plugins, proxy-url.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";

interface NamedCluster {
  name: string;
  cluster: { server?: string; "certificate-authority-data"?: string; "certificate-authority"?: string; "insecure-skip-tls-verify"?: boolean };
}

interface NamedUser {
  name: string;
  user: { token?: string; tokenFile?: string };
}

interface NamedContext {
  name: string;
  context: { cluster?: string; user?: string; namespace?: string };
}

export interface KubeconfigFile {
  apiVersion?: string;
  kind?: string;
  clusters?: NamedCluster[];
  users?: NamedUser[];
  contexts?: NamedContext[];
  "current-context"?: string;
  preferences?: Record<string, unknown>;
}

/** What a client needs to reach the current context's cluster. */
export interface ResolvedKubeconfig {
  contextName: string;
  clusterName: string;
  userName: string;
  server: string;
  caPem?: string;
  token?: string;
  insecureSkipTLSVerify?: boolean;
  /** The context's namespace, or "default". */
  namespace: string;
  /** The files that were read, in order. */
  files: string[];
}

export interface LoadOptions {
  env: Record<string, string | undefined>;
  /** An explicit --kubeconfig path (wins over $KUBECONFIG). */
  path?: string;
  /** --context */
  context?: string;
  readFile?: (path: string) => string;
}

/** An error kubectl would print as is (e.g. a missing configuration). */
export class KubeconfigError extends Error {
  override name = "KubeconfigError";
}

function merge(into: KubeconfigFile, add: KubeconfigFile): void {
  const mergeList = <T extends { name: string }>(a: T[] | undefined, b: T[] | undefined): T[] => {
    const out = [...(a ?? [])];
    for (const x of b ?? []) if (!out.some((y) => y.name === x.name)) out.push(x);
    return out;
  };
  into.clusters = mergeList(into.clusters, add.clusters);
  into.users = mergeList(into.users, add.users);
  into.contexts = mergeList(into.contexts, add.contexts);
  if (!into["current-context"] && add["current-context"]) into["current-context"] = add["current-context"];
}

/** The kubeconfig files to read, as clientcmd's loading rules choose them. */
export function kubeconfigPaths(opts: Pick<LoadOptions, "env" | "path">): string[] {
  if (opts.path) return [opts.path];
  const kc = opts.env.KUBECONFIG;
  if (kc) return kc.split(":").filter((p) => p !== "");
  const home = opts.env.HOME ?? "/root";
  return [join(home, ".kube", "config")];
}

/** Reads and merges the kubeconfig files (missing ones from $KUBECONFIG are skipped, as clientcmd does). */
export function readKubeconfig(opts: LoadOptions): { config: KubeconfigFile; files: string[] } {
  const read = opts.readFile ?? ((p: string) => readFileSync(p, "utf8"));
  const config: KubeconfigFile = {};
  const files: string[] = [];
  const paths = kubeconfigPaths(opts);
  for (const p of paths) {
    let text: string;
    try {
      text = read(p);
    } catch (e) {
      // An explicit --kubeconfig must exist; $KUBECONFIG entries and the default may not.
      if (opts.path) throw new KubeconfigError(`stat ${p}: no such file or directory`);
      void e;
      continue;
    }
    let doc: unknown;
    try {
      doc = parseYaml(text);
    } catch (e) {
      throw new KubeconfigError(`error loading config file "${p}": ${(e as Error).message}`);
    }
    if (doc && typeof doc === "object") merge(config, doc as KubeconfigFile);
    files.push(p);
  }
  return { config, files };
}

/** Loads the kubeconfig and resolves the current (or given) context. */
export function loadKubeconfig(opts: LoadOptions): ResolvedKubeconfig {
  const { config, files } = readKubeconfig(opts);
  const contextName = opts.context ?? config["current-context"] ?? "";
  if (!contextName) {
    throw new KubeconfigError("The connection to the server localhost:8080 was refused - did you specify the right host or port?");
  }
  const ctx = config.contexts?.find((c) => c.name === contextName);
  if (!ctx) throw new KubeconfigError(`context was not found for specified context: ${contextName}`);
  const clusterName = ctx.context.cluster ?? "";
  const userName = ctx.context.user ?? "";
  const cluster = config.clusters?.find((c) => c.name === clusterName);
  if (!cluster) throw new KubeconfigError(`cluster has no server defined`);
  const user = config.users?.find((u) => u.name === userName);
  const read = opts.readFile ?? ((p: string) => readFileSync(p, "utf8"));
  let caPem: string | undefined;
  const caData = cluster.cluster["certificate-authority-data"];
  if (caData) caPem = Buffer.from(caData, "base64").toString("utf8");
  else if (cluster.cluster["certificate-authority"]) caPem = read(cluster.cluster["certificate-authority"]);
  let token = user?.user.token;
  if (!token && user?.user.tokenFile) token = read(user.user.tokenFile).trim();
  if (!cluster.cluster.server) throw new KubeconfigError("cluster has no server defined");
  return {
    contextName,
    clusterName,
    userName,
    server: cluster.cluster.server,
    ...(caPem ? { caPem } : {}),
    ...(token ? { token } : {}),
    ...(cluster.cluster["insecure-skip-tls-verify"] ? { insecureSkipTLSVerify: true } : {}),
    namespace: ctx.context.namespace || "default",
    files,
  };
}

export interface WriteKubeconfigOptions {
  server: string;
  caPem: string;
  token: string;
  clusterName?: string;
  userName?: string;
  contextName?: string;
  namespace?: string;
}

/**
 * The text of a kubeconfig as kubeadm writes admin.conf: one cluster
 * ("kubernetes"), one user ("kubernetes-admin"), one context
 * ("kubernetes-admin@kubernetes"), keys in the same order.
 */
export function writeKubeconfig(opts: WriteKubeconfigOptions): string {
  const clusterName = opts.clusterName ?? "kubernetes";
  const userName = opts.userName ?? "kubernetes-admin";
  const contextName = opts.contextName ?? `${userName}@${clusterName}`;
  const doc = {
    apiVersion: "v1",
    clusters: [
      {
        cluster: {
          "certificate-authority-data": Buffer.from(opts.caPem).toString("base64"),
          server: opts.server,
        },
        name: clusterName,
      },
    ],
    contexts: [
      {
        context: { cluster: clusterName, ...(opts.namespace ? { namespace: opts.namespace } : {}), user: userName },
        name: contextName,
      },
    ],
    "current-context": contextName,
    kind: "Config",
    preferences: {},
    users: [{ name: userName, user: { token: opts.token } }],
  };
  // Go's yaml writer puts "- " at the parent's indentation; so does indentSeq: false.
  return stringifyYaml(doc, { lineWidth: 0, indentSeq: false });
}
