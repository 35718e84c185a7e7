// How each bundled kubectl (1.27–1.33) words the descriptions `__complete`
// prints, where kubectl-1.32-complete.json holds 1.32's: the changes each
// release made to the `--flag\tusage` and `subcommand\tshort` lines, measured
// by diffing `kubectl.1.N __complete <path> --` and `__complete <path> ''` with
// 1.(N-1)'s for every command path in the recording. The usage strings are not
// the help texts' (cobra keeps a usage's first line only, and the command lists
// are shorts), so help-changes.ts cannot be reused. Leaves out the order of
// `completion`'s arguments, which 1.28 takes from a Go map.

/** In the listings of the commands `in` ("" is `kubectl` itself), the release turned the line `before` into `after`, or added the flag `added`. */
type CompletionChange = { in: string[]; before: string; after: string } | { in: string[]; added: string };

/** The recording is 1.32's; a flag a later release adds would go in the recording with its `added` entry. */
const RECORDED = 32;

/** By the release that made them. */
const CHANGES: Record<number, CompletionChange[]> = {
  33: [
    { in: ["annotate", "apply", "apply view-last-applied", "cordon", "create", "delete", "describe", "diff", "drain", "get", "label", "logs", "rollout history", "rollout pause", "rollout restart", "rollout resume", "rollout status", "rollout undo", "set env", "set image", "set resources", "set subject", "taint", "top node", "top pod", "uncordon"], before: "--selector\tSelector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints.", after: "--selector\tSelector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints." },
    { in: ["apply"], before: "--subresource\tIf specified, apply will operate on the subresource of the requested object.  Only allowed when using --server-side. This flag is beta and may change in the future.", after: "--subresource\tIf specified, apply will operate on the subresource of the requested object.  Only allowed when using --server-side." },
    { in: ["edit"], before: "--subresource\tIf specified, edit will operate on the subresource of the requested object. This flag is beta and may change in the future.", after: "--subresource\tIf specified, edit will operate on the subresource of the requested object." },
    { in: ["explain"], before: "--api-version\tUse given api-version (group/version) of the resource.", after: "--api-version\tGet different explanations for particular API version (API group/version)" },
    { in: ["explain"], before: "--output\tFormat in which to render the schema. Valid values are: (plaintext, plaintext-openapiv2).", after: "--output\tFormat in which to render the schema (plaintext, plaintext-openapiv2)" },
    { in: ["explain"], before: "--recursive\tWhen true, print the name of all the fields recursively. Otherwise, print the available fields with their description.", after: "--recursive\tPrint the fields of fields (Currently only 1 level deep)" },
    { in: ["get"], before: "--subresource\tIf specified, gets the subresource of the requested object. This flag is beta and may change in the future.", after: "--subresource\tIf specified, gets the subresource of the requested object." },
    { in: ["patch"], before: "--subresource\tIf specified, patch will operate on the subresource of the requested object. This flag is beta and may change in the future.", after: "--subresource\tIf specified, patch will operate on the subresource of the requested object." },
    { in: ["replace"], before: "--subresource\tIf specified, replace will operate on the subresource of the requested object. This flag is beta and may change in the future.", after: "--subresource\tIf specified, replace will operate on the subresource of the requested object." },
  ],
  32: [
    { in: ["apply", "apply edit-last-applied", "create", "create clusterrole", "create configmap", "create ingress", "create job", "create namespace", "create poddisruptionbudget", "create priorityclass", "create quota", "create role", "create rolebinding", "create secret docker-registry", "create secret generic", "create secret tls", "create service clusterip", "create service loadbalancer", "create service nodeport", "create serviceaccount", "edit", "replace", "taint"], before: "--validate\tMust be one of: strict (or true), warn, ignore (or false).", after: "--validate\tMust be one of: strict (or true), warn, ignore (or false). \"true\" or \"strict\" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. \"warn\" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as \"ignore\" otherwise. \"false\" or \"ignore\" will not perform any schema validation, silently dropping any unknown or duplicate fields." },
    { in: ["edit"], before: "--subresource\tIf specified, edit will operate on the subresource of the requested object. Must be one of [status]. This flag is beta and may change in the future.", after: "--subresource\tIf specified, edit will operate on the subresource of the requested object. This flag is beta and may change in the future." },
    { in: ["get"], before: "--subresource\tIf specified, gets the subresource of the requested object. Must be one of [status scale]. This flag is beta and may change in the future.", after: "--subresource\tIf specified, gets the subresource of the requested object. This flag is beta and may change in the future." },
    { in: ["patch"], before: "--subresource\tIf specified, patch will operate on the subresource of the requested object. Must be one of [status scale]. This flag is beta and may change in the future.", after: "--subresource\tIf specified, patch will operate on the subresource of the requested object. This flag is beta and may change in the future." },
    { in: ["replace"], before: "--subresource\tIf specified, replace will operate on the subresource of the requested object. Must be one of [status scale]. This flag is beta and may change in the future.", after: "--subresource\tIf specified, replace will operate on the subresource of the requested object. This flag is beta and may change in the future." },
    { in: ["wait"], before: "--for\tThe condition to wait on: [delete|condition=condition-name[=condition-value]|jsonpath='{JSONPath expression}'=[JSONPath value]]. The default condition-value is true.  Condition values are compared after Unicode simple case folding, which is a more general form of case-insensitivity.", after: "--for\tThe condition to wait on: [create|delete|condition=condition-name[=condition-value]|jsonpath='{JSONPath expression}'=[JSONPath value]]. The default condition-value is true. Condition values are compared after Unicode simple case folding, which is a more general form of case-insensitivity." },
    { in: ["wait"], before: "--timeout\tThe length of time to wait before giving up.  Zero means check once and don't wait, negative means wait for a week.", after: "--timeout\tThe length of time to wait before giving up. Zero means check once and don't wait, negative means wait for a week." },
    { in: ["apply"], added: "--subresource" },
    { in: ["kustomize"], added: "--helm-debug" },
  ],
  31: [
    { in: ["create secret docker-registry"], before: "--from-file\tKey files can be specified using their file path, in which case a default name will be given to them, or optionally with a name and file path, in which case the given name will be used.  Specifying a directory will iterate each named file in the directory that is a valid secret key.", after: "--from-file\tKey files can be specified using their file path, in which case a default name of .dockerconfigjson will be given to them, or optionally with a name and file path, in which case the given name will be used. Specifying a directory will iterate each named file in the directory that is a valid secret key. For this command, the key should always be .dockerconfigjson." },
    { in: ["create token"], before: "--bound-object-kind\tKind of an object to bind the token to. Supported kinds are Pod, Secret. If set, --bound-object-name must be provided.", after: "--bound-object-kind\tKind of an object to bind the token to. Supported kinds are Node, Pod, Secret. If set, --bound-object-name must be provided." },
    { in: ["debug"], added: "--custom" },
    { in: ["debug"], added: "--keep-annotations" },
    { in: ["debug"], added: "--keep-init-containers" },
    { in: ["debug"], added: "--keep-labels" },
    { in: ["debug"], added: "--keep-liveness" },
    { in: ["debug"], added: "--keep-readiness" },
    { in: ["debug"], added: "--keep-startup" },
    { in: ["kustomize"], added: "--helm-api-versions" },
    { in: ["kustomize"], added: "--helm-kube-version" },
    { in: ["logs"], added: "--all-pods" },
  ],
  30: [
    { in: ["create deployment"], before: "--image\tImage names to run.", after: "--image\tImage names to run. A deployment can have multiple images set for multi-container pod." },
    { in: ["create token"], before: "--duration\tRequested lifetime of the issued token. If not set, the lifetime will be determined by the server automatically. The server may return a token with a longer or shorter lifetime.", after: "--duration\tRequested lifetime of the issued token. If not set or if set to 0, the lifetime will be determined by the server automatically. The server may return a token with a longer or shorter lifetime." },
    { in: ["debug"], before: "--profile\tDebugging profile. Options are \"legacy\", \"general\", \"baseline\", \"netadmin\", or \"restricted\".", after: "--profile\tOptions are \"legacy\", \"general\", \"baseline\", \"netadmin\", \"restricted\" or \"sysadmin\"." },
    { in: ["delete"], before: "--interactive\tIf true, delete resource only when user confirms. This flag is in Alpha.", after: "--interactive\tIf true, delete resource only when user confirms." },
    { in: ["diff"], before: "--prune-allowlist\tOverwrite the default whitelist with <group/version/kind> for --prune", after: "--prune-allowlist\tOverwrite the default allowlist with <group/version/kind> for --prune" },
    { in: ["config set-credentials"], added: "--exec-interactive-mode" },
    { in: ["config set-credentials"], added: "--exec-provide-cluster-info" },
  ],
  29: [
    { in: ["create token"], before: "--duration\tRequested lifetime of the issued token. The server may return a token with a longer or shorter lifetime.", after: "--duration\tRequested lifetime of the issued token. If not set, the lifetime will be determined by the server automatically. The server may return a token with a longer or shorter lifetime." },
    { in: ["delete"], added: "--interactive" },
  ],
  28: [
    { in: [""], before: "certificate\tModify certificate resources.", after: "certificate\tModify certificate resources" },
    { in: ["api-resources"], before: "--categories\tLimit to resources that belong the the specified categories.", after: "--categories\tLimit to resources that belong to the specified categories." },
    { in: ["create"], before: "secret\tCreate a secret using specified subcommand", after: "secret\tCreate a secret using a specified subcommand" },
    { in: ["explain"], before: "--api-version\tGet different explanations for particular API version (API group/version)", after: "--api-version\tUse given api-version (group/version) of the resource." },
    { in: ["explain"], before: "--output\tFormat in which to render the schema (plaintext, plaintext-openapiv2)", after: "--output\tFormat in which to render the schema. Valid values are: (plaintext, plaintext-openapiv2)." },
    { in: ["explain"], before: "--recursive\tPrint the fields of fields (Currently only 1 level deep)", after: "--recursive\tWhen true, print the name of all the fields recursively. Otherwise, print the available fields with their description." },
    { in: ["wait"], before: "--for\tThe condition to wait on: [delete|condition=condition-name[=condition-value]|jsonpath='{JSONPath expression}'=JSONPath Condition]. The default condition-value is true.  Condition values are compared after Unicode simple case folding, which is a more general form of case-insensitivity.", after: "--for\tThe condition to wait on: [delete|condition=condition-name[=condition-value]|jsonpath='{JSONPath expression}'=[JSONPath value]]. The default condition-value is true.  Condition values are compared after Unicode simple case folding, which is a more general form of case-insensitivity." },
    { in: ["diff"], added: "--concurrency" },
  ],
};

/** The lines (flags or subcommands, with descriptions) recorded for `path` as the given client lists them. */
export function completionLinesForClient(path: string, lines: string[], minor: number): string[] {
  let out = lines;
  for (const [release, changes] of Object.entries(CHANGES).map(([n, c]) => [Number(n), c] as const)) {
    for (const c of changes) {
      if (!c.in.includes(path) || !("added" in c) || minor >= release) continue;
      out = out.filter((l) => l.split("\t")[0] !== c.added);
    }
  }
  const releases = Object.keys(CHANGES).map(Number);
  // Forward from 1.32 to a newer client, oldest change first.
  for (const n of releases.filter((r) => r > RECORDED && r <= minor).sort((a, b) => a - b)) out = reword(out, path, n, "forward");
  // Back from 1.32 to an older client, newest change first.
  for (const n of releases.filter((r) => r <= RECORDED && r > minor).sort((a, b) => b - a)) out = reword(out, path, n, "back");
  return out;
}

function reword(lines: string[], path: string, release: number, way: "forward" | "back"): string[] {
  let out = lines;
  for (const c of CHANGES[release]!) {
    if (!c.in.includes(path) || "added" in c) continue;
    const [from, to] = way === "forward" ? [c.before, c.after] : [c.after, c.before];
    out = out.map((l) => (l === from ? to : l));
  }
  return out;
}
