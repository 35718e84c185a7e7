// `kubectl cluster-info`, after k8s.io/kubectl/pkg/cmd/clusterinfo: the
// control plane URL, then every kube-system Service labelled
// kubernetes.io/cluster-service=true with its proxy URL. v1.32 prints no
// colours, ≤1.31 always does. Leaves out `cluster-info dump`.

import type { CommandContext } from "../kubectl.ts";

interface Service {
  metadata: { name: string; labels?: Record<string, string> };
  spec?: { ports?: { name?: string; port: number }[]; type?: string };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

export async function run(ctx: CommandContext): Promise<number> {
  const rest = await ctx.factory.rest();
  const server = (ctx.factory.serverURL() ?? "").replace(/\/+$/, "");
  const list = await rest.get<{ items?: Service[] }>("/api/v1/namespaces/kube-system/services", { labelSelector: "kubernetes.io/cluster-service=true" });
  // kubectl ≤1.31 colours the names and URLs whatever stdout is.
  const colour = !(await ctx.factory.clientBehaviour()).has("plainClusterInfo");
  const green = (s: string) => (colour ? `\x1b[0;32m${s}\x1b[0m` : s);
  const yellow = (s: string) => (colour ? `\x1b[0;33m${s}\x1b[0m` : s);
  let out = `${green("Kubernetes control plane")} is running at ${yellow(server)}\n`;
  for (const svc of list.items ?? []) {
    let link = "";
    const name = svc.metadata.labels?.["kubernetes.io/name"] || svc.metadata.name;
    const ingress = svc.status?.loadBalancer?.ingress ?? [];
    if (ingress.length > 0) {
      for (const ing of ingress) link += `http://${ing.ip || ing.hostname}:${svc.spec?.ports?.[0]?.port ?? ""} `;
    } else {
      const port = svc.spec?.ports?.[0];
      const portName = port?.name || String(port?.port ?? "");
      link = `${server}/api/v1/namespaces/kube-system/services/${portName ? `${svc.metadata.name}:${portName}` : svc.metadata.name}/proxy`;
    }
    out += `${green(name)} is running at ${yellow(link)}\n`;
  }
  out += "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n";
  ctx.io.stdout.write(out);
  return 0;
}
