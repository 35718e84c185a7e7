// API discovery, after k8s.io/apiserver/pkg/endpoints/discovery: the legacy
// documents (/api APIVersions, /apis APIGroupList, /apis/<g> APIGroup,
// per-group-version APIResourceList) and aggregated discovery
// (apidiscovery.k8s.io/v2 APIGroupDiscoveryList), all generated from the one
// resource table so they agree and stay the same for the life of the process.
// Leaves out: ETag caching and the peer-aggregated ("unknown group") views.

import { createHash } from "node:crypto";
import { GROUP_ORDER, groupVersion, RESOURCES, type ResourceInfo } from "./resources.ts";

export const AGGREGATED_V2_CONTENT_TYPE = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
export const AGGREGATED_V2BETA1_CONTENT_TYPE = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

/** Which aggregated discovery version an Accept header asks for, if any (first listed wins). */
export function aggregatedDiscoveryVersion(accept: string | undefined): "v2" | "v2beta1" | undefined {
  for (const part of (accept ?? "").split(",")) {
    const params = new Map(
      part
        .split(";")
        .slice(1)
        .map((p) => p.trim().split("=") as [string, string]),
    );
    if (params.get("as") !== "APIGroupDiscoveryList" || params.get("g") !== "apidiscovery.k8s.io") continue;
    const v = params.get("v");
    if (v === "v2" || v === "v2beta1") return v;
  }
  return undefined;
}

/** The group's resources in table order. */
function resourcesOf(group: string): ResourceInfo[] {
  return RESOURCES.filter((r) => r.group === group);
}

/** Served groups (named ones, i.e. not core), in discovery order. */
function namedGroups(): string[] {
  const served = new Set(RESOURCES.map((r) => r.group));
  const ordered = GROUP_ORDER.filter((g) => g !== "" && served.has(g));
  // A group in the table but missing from GROUP_ORDER still gets served, last.
  for (const g of served) if (g !== "" && !ordered.includes(g)) ordered.push(g);
  return ordered;
}

function versionsOf(group: string): string[] {
  return [...new Set(resourcesOf(group).map((r) => r.version))];
}

/**
 * The storage version hash, as the apiserver computes it: the first 8 bytes
 * of sha256("<group>/<version>/<kind>"), base64.
 */
function storageVersionHash(info: ResourceInfo): string {
  return createHash("sha256").update(`${info.group}/${info.version}/${info.kind}`).digest().subarray(0, 8).toString("base64");
}

export function versionInfo(version: string): Record<string, string> {
  const m = /^v(\d+)\.(\d+)\.(\d+)/.exec(version);
  return {
    major: m?.[1] ?? "1",
    minor: m?.[2] ?? "32",
    gitVersion: version,
    // The commit and build date of the emulated release are not known here;
    // clients only read major/minor/gitVersion.
    gitCommit: createHash("sha1").update(version).digest("hex"),
    gitTreeState: "clean",
    buildDate: "2025-04-22T15:54:04Z",
    goVersion: "go1.23.6",
    compiler: "gc",
    platform: "linux/amd64",
  };
}

/** GET /api (legacy). */
export function apiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

function apiGroup(group: string): Record<string, unknown> {
  const versions = versionsOf(group).map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
  return { name: group, versions, preferredVersion: versions[0] };
}

/** GET /apis (legacy). */
export function apiGroupList(): Record<string, unknown> {
  return { kind: "APIGroupList", apiVersion: "v1", groups: namedGroups().map(apiGroup) };
}

/** GET /apis/<group>, or undefined if the group is not served. */
export function apiGroupDoc(group: string): Record<string, unknown> | undefined {
  if (!namedGroups().includes(group)) return undefined;
  return { kind: "APIGroup", apiVersion: "v1", ...apiGroup(group) };
}

/** GET /api/v1 or /apis/<g>/<v>: the APIResourceList, or undefined if not served. */
export function apiResourceList(group: string, version: string): Record<string, unknown> | undefined {
  const infos = resourcesOf(group).filter((r) => r.version === version);
  if (infos.length === 0) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const r of infos) {
    resources.push({
      name: r.resource,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      ...(r.categories ? { categories: r.categories } : {}),
      ...(r.virtual ? {} : { storageVersionHash: storageVersionHash(r) }),
    });
    for (const s of r.subresources ?? []) {
      resources.push({
        name: `${r.resource}/${s.name}`,
        singularName: "",
        namespaced: r.namespaced,
        ...(s.group ? { group: s.group, version: s.version } : {}),
        kind: s.kind,
        verbs: s.verbs,
      });
    }
  }
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion: group ? `${group}/${version}` : version, resources };
}

function discoveryResource(r: ResourceInfo): Record<string, unknown> {
  return {
    resource: r.resource,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? "Namespaced" : "Cluster",
    singularResource: r.singular,
    verbs: r.verbs,
    ...(r.shortNames ? { shortNames: r.shortNames } : {}),
    ...(r.categories ? { categories: r.categories } : {}),
    ...(r.subresources
      ? {
          subresources: r.subresources.map((s) => ({
            subresource: s.name,
            responseKind: { group: s.group ?? r.group, version: s.version ?? r.version, kind: s.kind },
            verbs: s.verbs,
          })),
        }
      : {}),
  };
}

function groupDiscovery(group: string): Record<string, unknown> {
  return {
    metadata: group ? { name: group, creationTimestamp: null } : { creationTimestamp: null },
    versions: versionsOf(group).map((v) => ({
      version: v,
      resources: resourcesOf(group)
        .filter((r) => r.version === v)
        .map(discoveryResource),
      freshness: "Current",
    })),
  };
}

/** GET /api or /apis with an aggregated-discovery Accept. */
export function aggregatedDiscovery(legacy: boolean, version: "v2" | "v2beta1"): Record<string, unknown> {
  const groups = legacy ? [""] : namedGroups();
  return {
    kind: "APIGroupDiscoveryList",
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map(groupDiscovery),
  };
}

/** All group-versions served, "v1" first, for tests and tools. */
export function servedGroupVersions(): string[] {
  return ["v1", ...namedGroups().flatMap((g) => versionsOf(g).map((v) => groupVersion({ group: g, version: v })))];
}
