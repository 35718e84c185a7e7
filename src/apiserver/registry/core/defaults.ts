// Defaulting of core/v1 pod specs and pod templates, after
// pkg/apis/core/v1/defaults.go (SetDefaults_PodSpec, _Container, _Probe,
// volumes, SetDefaults_Pod's requests-from-limits). Shared by pods and every
// workload template. Leaves out: ephemeral containers and Windows options.

import type { ObjectMeta } from "../../../apimachinery/meta.ts";
import type { Container, PodSpec, PodTemplateSpec, Probe, ResourceRequirements, Volume } from "../../../api/core/v1.ts";

/** The image's tag, or "" — a digest (`@sha256:`) counts as pinned. */
function imageTag(image: string): string {
  if (image.includes("@")) return "@digest";
  const lastSlash = image.lastIndexOf("/");
  const colon = image.indexOf(":", lastSlash + 1);
  return colon === -1 ? "" : image.slice(colon + 1);
}

function defaultProbe(p: Probe | undefined): void {
  if (!p) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  if (p.httpGet) {
    p.httpGet.path ??= "/";
    p.httpGet.scheme ??= "HTTP";
  }
}

/** SetDefaults_ResourceList for pods: requests copy limits that have no request. */
function defaultRequestsFromLimits(r: ResourceRequirements): void {
  if (!r.limits) return;
  for (const [name, q] of Object.entries(r.limits)) {
    r.requests ??= {};
    if (r.requests[name] === undefined) r.requests[name] = q;
  }
}

export function defaultContainer(c: Container, opts: { hostNetwork: boolean; isPod: boolean }): void {
  if (c.image !== undefined && c.imagePullPolicy === undefined) {
    const tag = imageTag(c.image);
    c.imagePullPolicy = tag === "" || tag === "latest" ? "Always" : "IfNotPresent";
  }
  c.terminationMessagePath ??= "/dev/termination-log";
  c.terminationMessagePolicy ??= "File";
  c.resources ??= {};
  if (opts.isPod) defaultRequestsFromLimits(c.resources);
  for (const p of c.ports ?? []) {
    p.protocol ??= "TCP";
    if (opts.hostNetwork && p.hostPort === undefined) p.hostPort = p.containerPort;
  }
  for (const e of c.env ?? []) {
    if (e.valueFrom?.fieldRef) e.valueFrom.fieldRef.apiVersion ??= "v1";
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
}

function defaultVolume(v: Volume): void {
  // A volume with no source is an emptyDir, as SetDefaults_Volume decides.
  const sources = Object.keys(v).filter((k) => k !== "name");
  if (sources.length === 0) v.emptyDir = {};
  if (v.configMap) v.configMap.defaultMode ??= 420;
  if (v.secret) v.secret.defaultMode ??= 420;
  if (v.projected) v.projected.defaultMode ??= 420;
  if (v.downwardAPI) v.downwardAPI.defaultMode ??= 420;
  if (v.hostPath) v.hostPath.type ??= "";
  for (const s of v.projected?.sources ?? []) {
    if (s.serviceAccountToken) s.serviceAccountToken.expirationSeconds ??= 3600;
    for (const i of s.downwardAPI?.items ?? []) if (i.fieldRef) i.fieldRef.apiVersion ??= "v1";
  }
  for (const i of (v.downwardAPI?.items ?? []) as { fieldRef?: { apiVersion?: string } }[]) if (i.fieldRef) i.fieldRef.apiVersion ??= "v1";
}

/** SetDefaults_PodSpec and friends. `isPod` adds what only real pods get (requests from limits). */
export function defaultPodSpec(spec: PodSpec, opts: { isPod: boolean } = { isPod: true }): void {
  spec.containers ??= [];
  spec.dnsPolicy ??= "ClusterFirst";
  spec.restartPolicy ??= "Always";
  spec.terminationGracePeriodSeconds ??= 30;
  spec.securityContext ??= {};
  spec.schedulerName ??= "default-scheduler";
  spec.enableServiceLinks ??= true;
  // The deprecated serviceAccount field mirrors serviceAccountName (conversion does this).
  if (spec.serviceAccountName === undefined && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName !== undefined) spec.serviceAccount = spec.serviceAccountName;
  const hostNetwork = spec.hostNetwork === true;
  for (const c of spec.initContainers ?? []) defaultContainer(c, { hostNetwork, isPod: opts.isPod });
  for (const c of spec.containers) defaultContainer(c, { hostNetwork, isPod: opts.isPod });
  for (const v of spec.volumes ?? []) defaultVolume(v);
}

/** A pod template inside a workload: spec defaults, and the `creationTimestamp: null` v1.32 serialises. */
export function defaultPodTemplate(t: PodTemplateSpec | undefined): void {
  if (!t) return;
  t.metadata ??= {};
  const meta: ObjectMeta = t.metadata;
  if (meta.creationTimestamp === undefined) meta.creationTimestamp = null;
  if (t.spec) defaultPodSpec(t.spec, { isPod: false });
}
