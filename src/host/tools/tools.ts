// The node tools a lab shell offers on master, node01 and node02, by the name
// typed at the prompt. `ssh` is the terminal's own (a nested shell on another
// node); resolveNode gives it the targets a node's /etc/hosts would.

import type { NodeTool, ToolCluster } from "./context.ts";
import { crictl } from "./crictl.ts";
import { curl } from "./curl.ts";
import { etcdctl } from "./etcdctl.ts";
import { hostname } from "./hostname.ts";
import { ip } from "./ip.ts";
import { journalctl } from "./journalctl.ts";
import { systemctl } from "./systemctl.ts";

export type { NodeTool, NodeToolContext, ToolCluster } from "./context.ts";

export const nodeTools: Record<string, NodeTool> = {
  systemctl,
  journalctl,
  crictl,
  hostname,
  ip,
  curl,
  etcdctl,
};

/**
 * The node an `ssh TARGET` reaches: a node name (as kubeadm labs put them in
 * /etc/hosts), optionally user@-prefixed, or a node's IP. Undefined for
 * anything else, where ssh prints
 * `ssh: Could not resolve hostname TARGET: Name or service not known` (exit 255).
 */
export function resolveNode(cluster: Pick<ToolCluster, "hosts">, target: string): string | undefined {
  const name = target.includes("@") ? target.slice(target.lastIndexOf("@") + 1) : target;
  if (cluster.hosts.has(name)) return name;
  for (const [n, h] of cluster.hosts) if (h.ip === name) return n;
  return undefined;
}
