// Resource arguments as cli-runtime's resource.Builder reads them:
// `TYPE`, `TYPE NAME…`, `TYPE1,TYPE2 [NAME…]`, `TYPE/NAME…`, categories
// (`all`), each type resolved through discovery once per call, as the
// Builder maps each distinct type string once (so a short-name warning
// prints once per command line).

import { type APIResource, type Discovery } from "./discovery.ts";
import { UsageError } from "./errors.ts";

export interface ResourceRequest {
  resource: APIResource;
  /** Empty: the whole collection. */
  names: string[];
}

export async function resolveResourceArgs(disco: Discovery, args: string[]): Promise<ResourceRequest[]> {
  const mapped = new Map<string, Promise<APIResource>>();
  const resolve = (type: string) => {
    if (!mapped.has(type)) mapped.set(type, disco.resolve(type));
    return mapped.get(type)!;
  };
  if (args.some((a) => a.includes("/"))) {
    const out: ResourceRequest[] = [];
    for (const a of args) {
      const slash = a.indexOf("/");
      if (slash < 0) {
        throw new UsageError(
          "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'",
        );
      }
      const type = a.slice(0, slash);
      const name = a.slice(slash + 1);
      if (!type || !name) throw new UsageError(`arguments in resource/name form must have a single resource and name`);
      const resource = await resolve(type);
      const prev = out[out.length - 1];
      if (prev && prev.resource === resource) prev.names.push(name);
      else out.push({ resource, names: [name] });
    }
    return out;
  }
  const [types, ...names] = args;
  const out: ResourceRequest[] = [];
  for (const t of types!.split(",")) {
    if (t === "") continue;
    const cat = await disco.category(t.toLowerCase());
    const resources = cat && !(await isResource(resolve, t)) ? cat : [await resolve(t)];
    for (const resource of resources) {
      if (!out.some((o) => o.resource === resource)) out.push({ resource, names: [...names] });
    }
  }
  return out;
}

async function isResource(resolve: (type: string) => Promise<APIResource>, t: string): Promise<boolean> {
  try {
    await resolve(t);
    return true;
  } catch {
    return false;
  }
}
