// Which kubectl release answers for a given server: the GKE dispatcher on the
// lab image asks the server's /version and runs the bundled kubectl of that
// minor (1.27–1.33), else its built-in v1.32.4. The build facts below were
// read from each bundled binary (`kubectl version --client -o json`).

export interface ClientBuild {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
  kustomizeVersion: string;
}

const KUSTOMIZE_5_0_4 = "v5.0.4-0.20230601165947-6ce0bf390ce3";

const build = (minor: string, gitVersion: string, gitCommit: string, buildDate: string, goVersion: string, kustomizeVersion: string): ClientBuild => ({
  major: "1",
  minor,
  gitVersion,
  gitCommit,
  gitTreeState: "clean",
  buildDate,
  goVersion,
  compiler: "gc",
  platform: "linux/amd64",
  kustomizeVersion,
});

const BUNDLED: Record<string, ClientBuild> = {
  "27": build("27", "v1.27.16", "cbb86e0d7f4a049666fac0551e8b02ef3d6c3d9a", "2024-07-17T01:53:56Z", "go1.22.5", "v5.0.1"),
  "28": build("28", "v1.28.15", "841856557ef0f6a399096c42635d114d6f2cf7f4", "2024-10-22T20:34:56Z", "go1.22.8", KUSTOMIZE_5_0_4),
  "29": build("29", "v1.29.14", "4f359b2e16764ab5e175195ee6992dfb53b36acf", "2025-02-12T21:34:28Z", "go1.22.12", KUSTOMIZE_5_0_4),
  "30": build("30", "v1.30.13", "50af91c466658b6a33d123fae8a487db1630971c", "2025-05-15T09:56:59Z", "go1.23.8", KUSTOMIZE_5_0_4),
  "31": build("31", "v1.31.9", "8f3800390d488f54f74111f22973059e133f9cba", "2025-05-15T09:17:16Z", "go1.23.8", "v5.4.2"),
  "32": build("32", "v1.32.5", "9894294ef13a5b32803e3ca2c0d620a088cc84d1", "2025-05-15T09:12:10Z", "go1.23.8", "v5.5.0"),
  "33": build("33", "v1.33.1", "8adc0f041b8e7ad1d30e29cc59c6ae7a15e19828", "2025-05-15T08:27:33Z", "go1.24.2", "v5.6.0"),
  // Debian's kubernetes-client 1.20.5+really1.20.2 (bookworm): built from the
  // source archive, so "archive"; its `version` reports no kustomize.
  "20": { ...build("20", "v1.20.2", "faecb196815e248d3ecfb03c680a4507229c2a56", "2025-06-08T22:40:27Z", "go1.19.8", ""), gitTreeState: "archive" },
};

/** The client build for a server minor ("32", "32+"); the 1.32 build when none is bundled. */
export function clientBuildFor(serverMinor: string | undefined): ClientBuild {
  return BUNDLED[(serverMinor ?? "").replace(/\D+$/, "")] ?? BUNDLED["32"]!;
}

/**
 * For behaviour that Debian's kubectl 1.20 has and the oldest bundled client
 * (1.27) has not: 1.21–1.26 were not measured, so the change is put at 1.21.
 */
const AFTER_1_20 = 21;

/**
 * What differs between the bundled clients in the commands the lab emulates,
 * measured by running each bundled kubectl.1.XX (1.27–1.33) against the
 * emulated server (test/conformance, KUBECTL_CONFORMANCE_MINORS=27,…,33). Each entry is the first minor with the newer behaviour;
 * a client of a lower minor keeps the older one.
 */
const SINCE = {
  /** `kubectl version` prints plain versions, not version.Info Go structs plus a deprecation warning. */
  shortVersion: 28,
  /** `cluster-info` stops printing ANSI colours when stdout is no terminal. */
  plainClusterInfo: 32,
  /** describe's pod template prints Node-Selectors and Tolerations. */
  templateScheduling: 30,
  /** describe service prints the Internal Traffic Policy line. */
  serviceTrafficPolicy: 31,
  /** `logs` of a missing pod: "error: error from server (NotFound): … in namespace". */
  logsNamespacedNotFound: 30,
  /** `scale` of a missing object appends the server's message to "no objects passed to scale". */
  scaleNotFoundDetail: 32,
  /** describe's projected configMap/secret sources print "Optional: <bool>" instead of the *bool pointer. */
  projectedOptionalValue: 33,
  /** describe daemonset prints a Namespace line. */
  daemonSetNamespace: 33,
  /** `annotate` reports "annotated" (1.27 printed the verb, "annotate"). */
  annotatedMessage: 28,
  /** `wait --for=jsonpath={…}` without a value waits for the path to exist (1.27 requires `=value`). */
  waitJSONPathWithoutValue: 28,
  /** `auth whoami` posts an authentication.k8s.io/v1 SelfSubjectReview (1.27 tries v1alpha1, then v1beta1). */
  selfSubjectReviewV1: 28,
  /** explain's template has enum sections (`ENUM:` under FIELD, and the blank line after it even without one). */
  explainEnums: 30,
  /** `__complete set image …` lists workload types and names (before, cobra's default file completion). */
  setImageCompletion: 31,
  /** `top node` heads its percentages CPU(%) and MEMORY(%) (before, CPU% and MEMORY%). */
  topNodeParenthesisedPercent: 32,
  /** `edit --subresource` takes any subresource (before, only "status"). */
  editAnySubresource: 32,
  /** explain has `-o` for --output… */
  explainOutputShorthand: 32,
  /** …and 1.33 dropped it again. */
  explainOutputShorthandDropped: 33,
  /** describe job prints Suspend, Backoff Limit and TTL Seconds After Finished lines. */
  jobSuspendBackoffLimit: 30,
  /** A short name two groups share (`ev`) warns that it could also mean the lower-priority group's resource. */
  shortNameWarning: 29,
  /** `kubectl version` prints a "Kustomize Version" line (and -o json|yaml a kustomizeVersion). */
  kustomizeVersion: AFTER_1_20,
  /** `kubectl version` with version.Info structs warns on stderr that the output is deprecated. */
  versionDeprecationWarning: AFTER_1_20,
  /** Flag, unknown-command and required-flag errors print as kubectl's "error: …", not cobra's "Error: …". */
  kubectlCommandErrors: AFTER_1_20,
  /** Deprecated flags 1.20 still parsed (`run --replicas`, `--generator`) are unknown flags. */
  removedDeprecatedFlags: AFTER_1_20,
  /** `scale` of a missing object says "no objects passed to scale", not the server's NotFound. */
  scaleNoObjects: AFTER_1_20,
  /** describe pod prints a Service Account line. */
  podServiceAccount: AFTER_1_20,
  /** describe node's pod table heads its last column "Age", not "AGE". */
  nodePodsAgeTitle: AFTER_1_20,
  /** get -o yaml|json of several objects prints the List's metadata without `selfLink: ""`. */
  listWithoutSelfLink: AFTER_1_20,
  /** `label` that removes a label says "unlabeled", not "labeled". */
  unlabeledMessage: AFTER_1_20,
  /** delete --force warns "Warning: Immediate deletion …", not "warning: …". */
  forceDeleteWarningCapitalised: AFTER_1_20,
} as const;

export type ClientFeature = keyof typeof SINCE;

/** Behaviour of the client the dispatcher runs for a server minor. */
export interface ClientBehaviour {
  minor: number;
  has(feature: ClientFeature): boolean;
}

/** The behaviour of the bundled client for a server minor; unknown minors act as 1.32 does. */
export function clientBehaviourFor(serverMinor: string | number | undefined): ClientBehaviour {
  const minor = Number(clientBuildFor(String(serverMinor ?? "")).minor);
  return { minor, has: (f) => minor >= SINCE[f] };
}

// Help texts in each client's wording: help-changes.ts.
