// The environment the kubelet gives a container, after pkg/kubelet/envvars
// (FromServices) and kubelet_pods.go makeEnvironmentVariables: the image's
// PATH, HOSTNAME, the container's env (value and the pod fieldRefs), and
// docker-link style variables for every service with a ClusterIP in the pod's
// namespace (plus `kubernetes` from default) that existed when the pod started.
// Leaves out: envFrom, secret/configMap refs and resourceFieldRef.

import type { Pod, Service } from "../api/core/v1.ts";

/** Variables docker links define for a service, as FromServices builds them. */
export function serviceEnv(services: Service[]): [string, string][] {
  const out: [string, string][] = [];
  for (const svc of services) {
    const ip = svc.spec.clusterIP;
    if (!ip || ip === "None") continue;
    const name = svc.metadata.name!.toUpperCase().replace(/-/g, "_");
    const ports = svc.spec.ports ?? [];
    const first = ports[0];
    out.push([`${name}_SERVICE_HOST`, ip]);
    if (!first) continue;
    out.push([`${name}_SERVICE_PORT`, String(first.port)]);
    for (const p of ports) if (p.name) out.push([`${name}_SERVICE_PORT_${p.name.toUpperCase().replace(/-/g, "_")}`, String(p.port)]);
    const proto = (first.protocol ?? "TCP").toLowerCase();
    out.push([`${name}_PORT`, `${proto}://${ip}:${first.port}`]);
    for (const p of ports) {
      const pr = (p.protocol ?? "TCP").toUpperCase();
      const prefix = `${name}_PORT_${p.port}_${pr}`;
      out.push([prefix, `${pr.toLowerCase()}://${ip}:${p.port}`]);
      out.push([`${prefix}_PROTO`, pr.toLowerCase()]);
      out.push([`${prefix}_PORT`, String(p.port)]);
      out.push([`${prefix}_ADDR`, ip]);
    }
  }
  return out;
}

/** Services visible to a pod: its namespace's, plus default/kubernetes, created before startedMs. */
export function visibleServices(pod: Pod, services: Service[], startedMs: number): Service[] {
  const created = (s: Service) => Date.parse(s.metadata.creationTimestamp ?? "") || 0;
  return services
    .filter((s) => s.metadata.namespace === pod.metadata.namespace || (s.metadata.namespace === "default" && s.metadata.name === "kubernetes"))
    .filter((s) => created(s) <= startedMs)
    .sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
}

/** Env an image sets itself, for the images the lab uses. */
const IMAGE_ENV: Record<string, [string, string][]> = {
  "docker.io/library/httpd": [["HTTPD_PREFIX", "/usr/local/apache2"], ["HTTPD_VERSION", "2.4.65"]],
  "docker.io/library/nginx": [["NGINX_VERSION", "1.29.1"], ["NJS_VERSION", "0.9.1"], ["PKG_RELEASE", "1~bookworm"]],
};

const PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** The whole environment of one container, in the order `env` prints it. */
export function containerEnv(pod: Pod, container: string, repository: string, services: Service[]): [string, string][] {
  const c = pod.spec.containers.find((x) => x.name === container);
  const hostname = pod.spec.hostname ?? pod.metadata.name!;
  const path = repository === "docker.io/library/httpd" ? `/usr/local/apache2/bin:${PATH}` : PATH;
  const own: [string, string][] = [];
  for (const e of c?.env ?? []) {
    const field = e.valueFrom?.fieldRef?.fieldPath;
    if (field !== undefined) own.push([e.name, fieldValue(pod, field)]);
    else if (e.value !== undefined || !e.valueFrom) own.push([e.name, e.value ?? ""]);
  }
  return [["PATH", path], ["HOSTNAME", hostname], ...own, ...serviceEnv(services), ...(IMAGE_ENV[repository] ?? []), ["HOME", "/root"]];
}

function fieldValue(pod: Pod, path: string): string {
  switch (path) {
    case "metadata.name":
      return pod.metadata.name ?? "";
    case "metadata.namespace":
      return pod.metadata.namespace ?? "";
    case "metadata.uid":
      return pod.metadata.uid ?? "";
    case "spec.nodeName":
      return pod.spec.nodeName ?? "";
    case "spec.serviceAccountName":
      return pod.spec.serviceAccountName ?? "";
    case "status.podIP":
      return pod.status?.podIP ?? "";
    case "status.hostIP":
      return pod.status?.hostIP ?? "";
    default:
      return "";
  }
}
