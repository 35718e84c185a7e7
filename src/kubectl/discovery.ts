// Resource-type resolution as kubectl does it through discovery, after
// client-go's discovery client (aggregated /api + /apis, legacy fallback),
// restmapper's shortcut expander and priority mapper, and cli-runtime's
// resource-argument parsing: short names, singular/plural/kind, `res.group`,
// `res.version.group`, a trailing dot, categories such as `all`, and the
// shortcut expander's warning when a short name means resources in two groups.
// Leaves out the on-disk discovery cache (one fetch per process instead).

import type { RestClient } from "../client/rest.ts";
import { DISCOVERY_ACCEPT } from "../client/rest.ts";

export interface APIResource {
  group: string;
  version: string;
  /** Plural name, e.g. "deployments". */
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames: string[];
  categories: string[];
  /** The preferred version of its group. */
  preferred: boolean;
}

interface AggregatedResource {
  resource: string;
  responseKind?: { group?: string; version?: string; kind?: string };
  scope?: string;
  singularResource?: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
}

interface AggregatedGroup {
  metadata?: { name?: string };
  versions?: { version: string; resources?: AggregatedResource[] }[];
}

interface LegacyResource {
  name: string;
  singularName?: string;
  namespaced?: boolean;
  kind: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
}

export class NoResourceTypeError extends Error {
  constructor(readonly resource: string) {
    super(`the server doesn't have a resource type "${resource}"`);
  }
}

/** The discovered resources of one apiserver, in discovery order. */
export class Discovery {
  private resources: APIResource[] | undefined;

  /** `warn` receives the shortcut expander's warnings (kubectl ≥1.29 prints them); none when absent. */
  constructor(
    private readonly rest: RestClient,
    private readonly warn?: (message: string) => void,
  ) {}

  async all(): Promise<APIResource[]> {
    if (!this.resources) this.resources = await this.fetch();
    return this.resources;
  }

  private async fetch(): Promise<APIResource[]> {
    const out: APIResource[] = [];
    for (const root of ["/api", "/apis"]) {
      const res = await this.rest.raw("GET", root, { accept: DISCOVERY_ACCEPT, query: { timeout: "32s" } });
      const body = JSON.parse(res.body.toString("utf8")) as { kind?: string; items?: AggregatedGroup[]; versions?: string[]; groups?: { name: string; versions: { version: string }[] }[] };
      if (body.kind === "APIGroupDiscoveryList") {
        for (const g of body.items ?? []) {
          const group = g.metadata?.name ?? "";
          (g.versions ?? []).forEach((v, vi) => {
            for (const r of v.resources ?? []) {
              out.push({
                group,
                version: v.version,
                resource: r.resource,
                singular: r.singularResource ?? r.resource,
                kind: r.responseKind?.kind ?? "",
                namespaced: r.scope === "Namespaced",
                verbs: r.verbs ?? [],
                shortNames: r.shortNames ?? [],
                categories: r.categories ?? [],
                preferred: vi === 0,
              });
            }
          });
        }
        continue;
      }
      // Legacy discovery: one APIResourceList per group version.
      const gvs: { group: string; version: string; preferred: boolean }[] =
        root === "/api"
          ? (body.versions ?? []).map((v, i) => ({ group: "", version: v, preferred: i === 0 }))
          : (body.groups ?? []).flatMap((g) => g.versions.map((v, i) => ({ group: g.name, version: v.version, preferred: i === 0 })));
      for (const gv of gvs) {
        const list = await this.rest.get<{ resources?: LegacyResource[] }>(gv.group ? `/apis/${gv.group}/${gv.version}` : `/api/${gv.version}`, { timeout: "32s" });
        for (const r of list.resources ?? []) {
          if (r.name.includes("/")) continue;
          out.push({
            group: gv.group,
            version: gv.version,
            resource: r.name,
            singular: r.singularName || r.kind.toLowerCase(),
            kind: r.kind,
            namespaced: !!r.namespaced,
            verbs: r.verbs ?? [],
            shortNames: r.shortNames ?? [],
            categories: r.categories ?? [],
            preferred: gv.preferred,
          });
        }
      }
    }
    return out;
  }

  /**
   * The resource one type argument names (`po`, `pods`, `pod`, `Pod`,
   * `deployments.apps`, `deployment.v1.apps`, `deployments.`).
   */
  async resolve(arg: string): Promise<APIResource> {
    const all = await this.all();
    const lower = arg.toLowerCase();
    // Shortcut expansion first (restmapper.shortcutExpander).
    const short = all.find((r) => r.shortNames.includes(lower));
    if (short) this.warnAmbiguous(all, lower, short);
    const name = short ? short.resource : lower;
    const candidates: { resource: string; group?: string; version?: string }[] = [];
    if (short) candidates.push({ resource: short.resource, group: short.group });
    const dot = name.indexOf(".");
    // A short name qualified by its group (`ev.events.k8s.io`) expands within that group.
    const grouped = !short && dot > 0 ? all.find((r) => r.group === name.slice(dot + 1) && r.shortNames.includes(name.slice(0, dot))) : undefined;
    if (grouped) candidates.push({ resource: grouped.resource, group: grouped.group });
    if (dot >= 0) {
      const res = name.slice(0, dot);
      const rest = name.slice(dot + 1);
      // resource.version.group when the middle part is a served version of that group.
      const parts = rest.split(".");
      if (parts.length >= 2 && all.some((r) => r.version === parts[0] && r.group === parts.slice(1).join("."))) {
        candidates.push({ resource: res, version: parts[0], group: parts.slice(1).join(".") });
      }
      candidates.push({ resource: res, group: rest });
    } else candidates.push({ resource: name });
    for (const c of candidates) {
      const matches = all.filter(
        (r) =>
          (c.resource === r.resource || c.resource === r.singular || c.resource === r.kind.toLowerCase()) &&
          (c.group === undefined || c.group === "" || c.group === r.group) &&
          (c.version === undefined ? r.preferred : c.version === r.version),
      );
      // The priority mapper prefers the group that comes first in discovery (core first).
      if (matches.length > 0) return matches[0]!;
    }
    throw new NoResourceTypeError(arg);
  }

  /**
   * expandResourceShortcut: the first resource (in discovery order) carrying
   * the short name wins; every other group/resource that carries it is named
   * once in a warning. A full resource name is never a shortcut.
   */
  private warnAmbiguous(all: APIResource[], short: string, chosen: APIResource): void {
    if (!this.warn || all.some((r) => r.resource === short || r.singular === short)) return;
    const warned = new Set<string>([`${chosen.resource}.${chosen.group}`]);
    for (const r of all) {
      const long = r.group ? `${r.resource}.${r.group}` : r.resource;
      if (!r.shortNames.includes(short) || warned.has(`${r.resource}.${r.group}`)) continue;
      warned.add(`${r.resource}.${r.group}`);
      this.warn(`short name "${short}" could also match lower priority resource ${long}`);
    }
  }

  /** The resources in a category (`all`), preferred versions, discovery order. */
  async category(name: string): Promise<APIResource[] | undefined> {
    const all = await this.all();
    const found = all.filter((r) => r.preferred && r.categories.includes(name));
    return found.length > 0 ? found : undefined;
  }
}

/** `deployment.apps`, `pod`: how names are prefixed when several kinds print. */
export function kindPrefix(r: Pick<APIResource, "kind" | "group">): string {
  return r.group ? `${r.kind.toLowerCase()}.${r.group}` : r.kind.toLowerCase();
}

/** `deployments.apps`, `pods`: the group-qualified resource errors name. */
export function qualifiedResource(r: Pick<APIResource, "resource" | "group">): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

/** The REST path of a resource collection or object. */
export function pathFor(r: Pick<APIResource, "group" | "version" | "resource" | "namespaced">, namespace?: string, name?: string, subresource?: string): string {
  let p = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  if (r.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${r.resource}`;
  if (name !== undefined) p += `/${encodeURIComponent(name)}`;
  if (subresource) p += `/${subresource}`;
  return p;
}
