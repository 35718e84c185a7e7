// What a kubectl command line means, for command checks: `kubectl get po -owide`
// and `kubectl get pods -o wide` are the same request. Parses argv the way
// kubectl's cobra/pflag front end does (shorthands, `=` values, attached values,
// flags before or after the verb) and names resources by their plural.
// Leaves out: plugins, kubectl's full flag set (unknown flags are kept by name).

/** Resource aliases → plural, as discovery gives them (short names, singular, kind, plural, `.group`). */
const RESOURCE_ALIASES: Record<string, string[]> = {
  pods: ["po", "pod"],
  nodes: ["no", "node"],
  namespaces: ["ns", "namespace"],
  services: ["svc", "service"],
  endpoints: ["ep", "endpoint"],
  events: ["ev", "event"],
  configmaps: ["cm", "configmap"],
  secrets: ["secret"],
  serviceaccounts: ["sa", "serviceaccount"],
  deployments: ["deploy", "deployment"],
  replicasets: ["rs", "replicaset"],
  daemonsets: ["ds", "daemonset"],
  statefulsets: ["sts", "statefulset"],
  jobs: ["job"],
  cronjobs: ["cj", "cronjob"],
  leases: ["lease"],
  endpointslices: ["endpointslice"],
  controllerrevisions: ["controllerrevision"],
  replicationcontrollers: ["rc", "replicationcontroller"],
  persistentvolumeclaims: ["pvc", "persistentvolumeclaim"],
  persistentvolumes: ["pv", "persistentvolume"],
  horizontalpodautoscalers: ["hpa", "horizontalpodautoscaler"],
  ingresses: ["ing", "ingress"],
  componentstatuses: ["cs", "componentstatus"],
  all: [],
};

/** Where each plural lives, so a check can reach it through the Client. */
export const RESOURCE_GROUPS: Record<string, { group: string; version: string }> = {
  pods: { group: "", version: "v1" },
  nodes: { group: "", version: "v1" },
  namespaces: { group: "", version: "v1" },
  services: { group: "", version: "v1" },
  endpoints: { group: "", version: "v1" },
  events: { group: "", version: "v1" },
  configmaps: { group: "", version: "v1" },
  secrets: { group: "", version: "v1" },
  serviceaccounts: { group: "", version: "v1" },
  replicationcontrollers: { group: "", version: "v1" },
  persistentvolumeclaims: { group: "", version: "v1" },
  persistentvolumes: { group: "", version: "v1" },
  deployments: { group: "apps", version: "v1" },
  replicasets: { group: "apps", version: "v1" },
  daemonsets: { group: "apps", version: "v1" },
  statefulsets: { group: "apps", version: "v1" },
  controllerrevisions: { group: "apps", version: "v1" },
  jobs: { group: "batch", version: "v1" },
  cronjobs: { group: "batch", version: "v1" },
  leases: { group: "coordination.k8s.io", version: "v1" },
  endpointslices: { group: "discovery.k8s.io", version: "v1" },
  horizontalpodautoscalers: { group: "autoscaling", version: "v2" },
  ingresses: { group: "networking.k8s.io", version: "v1" },
};

const ALIAS_TO_PLURAL = new Map<string, string>();
for (const [plural, aliases] of Object.entries(RESOURCE_ALIASES)) {
  ALIAS_TO_PLURAL.set(plural, plural);
  for (const a of aliases) ALIAS_TO_PLURAL.set(a, plural);
}

/** `po` → `pods`, `deployments.apps` → `deployments`, `deployments.` → `deployments`, `Deployment` → `deployments`. */
export function canonicalResource(word: string): string {
  const lower = word.toLowerCase();
  // `deployments.` and `deployments.apps` / `deployments.v1.apps` name the same resource.
  const base = lower.split(".")[0]!;
  return ALIAS_TO_PLURAL.get(base) ?? base;
}

/** Flags that take a value (long names, then shorthands), so `-n kube-system get` parses right. */
const VALUE_FLAGS = new Set([
  "output", "namespace", "selector", "field-selector", "filename", "image", "replicas", "container", "sort-by",
  "context", "kubeconfig", "cluster", "user", "server", "token", "template", "port", "target-port", "type",
  "labels", "env", "restart", "grace-period", "timeout", "for", "patch", "tail", "since", "request-timeout",
  "chunk-size", "label-columns", "overrides", "dry-run", "cascade", "field-manager", "name", "protocol",
  "schedule", "from", "from-literal", "from-file", "limits", "requests", "max-unavailable", "min-available",
  "to-revision", "revision", "subresource", "as", "as-group", "v", "show-managed-fields", "raw", "path",
]);
const SHORT_TO_LONG: Record<string, string> = {
  o: "output", n: "namespace", l: "selector", f: "filename", c: "container", A: "all-namespaces",
  w: "watch", i: "stdin", t: "tty", p: "patch", L: "label-columns", R: "recursive", k: "kustomize", v: "v",
};
/** Booleans among the shorthands (so `-it` splits into -i -t). */
const SHORT_BOOLS = new Set(["A", "w", "i", "t", "R"]);

/** Verbs whose positional arguments after the verb are TYPE [NAME…] or TYPE/NAME. */
const TYPED_VERBS = new Set(["get", "describe", "delete", "edit", "label", "annotate", "patch", "scale", "expose", "explain", "wait", "autoscale", "logs", "rollout", "top", "cordon", "uncordon", "drain", "taint"]);

export interface KubectlMeaning {
  /** "get", "describe", "run", "create deployment", "rollout status"… */
  verb: string;
  /** Resource plurals in order (`get pod,svc` → ["pods","services"]); empty when none. */
  resources: string[];
  names: string[];
  /** Flags by long name; booleans are "true". Namespace, output and all-namespaces are kept here too. */
  flags: Map<string, string>;
  /** Words after `--` (the command of `exec`/`run`). */
  trailing: string[];
}

/** Parses a kubectl argv (without the leading `kubectl`/`k`). */
export function parseKubectl(args: string[]): KubectlMeaning {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  const trailing: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      trailing.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      if (eq >= 0) flags.set(name, a.slice(eq + 1));
      else if (VALUE_FLAGS.has(name) && i + 1 < args.length) flags.set(name, args[++i]!);
      else flags.set(name, "true");
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      const body = a.slice(1);
      // Run of boolean shorthands: -it, -Aw.
      if ([...body].every((ch) => SHORT_BOOLS.has(ch))) {
        for (const ch of body) flags.set(SHORT_TO_LONG[ch] ?? ch, "true");
        continue;
      }
      const ch = body[0]!;
      const long = SHORT_TO_LONG[ch] ?? ch;
      let rest = body.slice(1);
      if (rest.startsWith("=")) rest = rest.slice(1);
      if (rest) flags.set(long, rest); // -owide, -n=kube-system
      else if (i + 1 < args.length) flags.set(long, args[++i]!);
      else flags.set(long, "");
      continue;
    }
    positional.push(a);
  }
  let verb = positional.shift() ?? "";
  // Two-word verbs: `create deployment`, `rollout status`, `config view`, `set image`.
  if (["create", "rollout", "config", "set", "auth", "certificate", "top"].includes(verb) && positional.length > 0) {
    const sub = positional.shift()!;
    verb = verb === "create" ? `create ${canonicalResource(sub).replace(/s$/, "")}` : `${verb} ${sub}`;
    if (verb.startsWith("create ") && sub === "deploy") verb = "create deployment";
  }
  const resources: string[] = [];
  const names: string[] = [];
  const typed = TYPED_VERBS.has(verb.split(" ")[0]!) || verb.startsWith("rollout ") || verb === "top node" || verb === "top pod";
  if (typed && !["logs", "cordon", "uncordon", "drain", "taint"].includes(verb) && !verb.startsWith("top ")) {
    for (const p of positional) {
      if (p.includes("/")) {
        const [type, name] = p.split("/", 2) as [string, string];
        const r = canonicalResource(type);
        if (!resources.includes(r)) resources.push(r);
        names.push(name);
      } else if (resources.length === 0) {
        for (const t of p.split(",")) if (t) resources.push(canonicalResource(t));
      } else names.push(p);
    }
  } else {
    if (verb === "cordon" || verb === "uncordon" || verb === "drain" || verb === "taint") resources.push("nodes");
    if (verb === "logs" && positional[0]?.includes("/")) {
      const [type, name] = positional[0].split("/", 2) as [string, string];
      resources.push(canonicalResource(type));
      names.push(name, ...positional.slice(1));
    } else {
      if (verb === "logs") resources.push("pods");
      names.push(...positional);
    }
  }
  return { verb, resources, names, flags, trailing };
}

/** Values that mean the same thing written differently. */
function normalFlag(name: string, value: string): string {
  if (name === "output") return value.startsWith("jsonpath") ? value.replace(/^jsonpath=/, "jsonpath=") : value;
  if (name === "replicas" || name === "port") return String(Number(value));
  return value;
}

export interface MeaningMatch {
  matched: boolean;
  /** Why not, in the learner's words ("you ran `kubectl get pods` without `-o wide`"). */
  reason?: string;
}

/**
 * Whether `actual` does what `expected` asks: same verb, same resources and
 * names, and every flag `expected` names with the same value. Extra flags in
 * `actual` are fine (`get pods -o wide -A` is still "get pods -o wide") unless
 * `exact` is set.
 */
export function sameMeaning(expected: KubectlMeaning, actual: KubectlMeaning, exact = false): MeaningMatch {
  if (expected.verb !== actual.verb) return { matched: false, reason: `verb is "${actual.verb}", not "${expected.verb}"` };
  if (expected.resources.join(",") !== actual.resources.join(",")) {
    return { matched: false, reason: `resource is "${actual.resources.join(",")}", not "${expected.resources.join(",")}"` };
  }
  for (let i = 0; i < expected.names.length; i++) {
    const want = expected.names[i]!;
    // `<name>` / `<pod>` placeholders stand for any one name.
    if (/^<[^>]+>$/.test(want) ? actual.names[i] === undefined : actual.names[i] !== want) {
      return { matched: false, reason: `names are "${actual.names.join(" ")}", not "${expected.names.join(" ")}"` };
    }
  }
  const ns = (m: KubectlMeaning) => (m.flags.get("all-namespaces") === "true" ? "*" : (m.flags.get("namespace") ?? "default"));
  if ((expected.flags.has("namespace") || expected.flags.has("all-namespaces")) && ns(expected) !== ns(actual)) {
    return { matched: false, reason: `namespace is ${ns(actual) === "*" ? "all namespaces" : ns(actual)}` };
  }
  for (const [name, value] of expected.flags) {
    if (name === "namespace" || name === "all-namespaces") continue;
    const got = actual.flags.get(name);
    if (got === undefined) return { matched: false, reason: `missing --${name}` };
    if (normalFlag(name, got) !== normalFlag(name, value)) return { matched: false, reason: `--${name} is "${got}", not "${value}"` };
  }
  if (exact) {
    for (const name of actual.flags.keys()) if (!expected.flags.has(name)) return { matched: false, reason: `extra flag --${name}` };
    if (actual.names.length !== expected.names.length) return { matched: false, reason: "different names" };
  }
  if (expected.trailing.length > 0 && expected.trailing.join(" ") !== actual.trailing.join(" ")) {
    return { matched: false, reason: `command after -- is "${actual.trailing.join(" ")}"` };
  }
  return { matched: true };
}
