// The nodes Table, after printNode in pkg/printers/internalversion/printers.go:
// STATUS from the Ready condition (+SchedulingDisabled), ROLES from
// node-role.kubernetes.io/* and kubernetes.io/role labels, and the wide
// address and system-info columns.

import type { KObject } from "../apimachinery/meta.ts";
import type { Node } from "../api/core/v1.ts";
import { DOC } from "./descriptions.ts";
import { AGE_COLUMN, ageOf, col, NAME_COLUMN } from "./helpers.ts";
import type { TablePrinter } from "./printers.ts";

const LABEL_NODE_ROLE_PREFIX = "node-role.kubernetes.io/";
const NODE_LABEL_ROLE = "kubernetes.io/role";

/** findNodeRoles, sorted as sets.List returns them. */
export function nodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith(LABEL_NODE_ROLE_PREFIX)) {
      const role = k.slice(LABEL_NODE_ROLE_PREFIX.length);
      if (role) roles.add(role);
    } else if (k === NODE_LABEL_ROLE && v !== "") {
      roles.add(v);
    }
  }
  return [...roles].sort();
}

function address(node: Node, type: string): string {
  return node.status?.addresses?.find((a) => a.type === type)?.address ?? "<none>";
}

export function nodeStatus(node: Node): string {
  const status: string[] = [];
  const ready = node.status?.conditions?.find((c) => c.type === "Ready");
  if (ready) status.push(ready.status === "True" ? "Ready" : "NotReady");
  else status.push("Unknown");
  if (node.spec?.unschedulable) status.push("SchedulingDisabled");
  return status.join(",");
}

export const nodePrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    col("Status", "string", "The status of the node"),
    col("Roles", "string", "The roles of the node"),
    AGE_COLUMN,
    col("Version", "string", DOC.kubeletVersion),
    col("Internal-IP", "string", DOC.nodeAddresses, { wide: true }),
    col("External-IP", "string", DOC.nodeAddresses, { wide: true }),
    col("OS-Image", "string", DOC.osImage, { wide: true }),
    col("Kernel-Version", "string", DOC.kernelVersion, { wide: true }),
    col("Container-Runtime", "string", DOC.containerRuntimeVersion, { wide: true }),
  ],
  cells(obj: KObject, nowMs: number) {
    const node = obj as Node;
    const info = node.status?.nodeInfo;
    return [
      node.metadata.name,
      nodeStatus(node),
      nodeRoles(node).join(",") || "<none>",
      ageOf(node, nowMs),
      info?.kubeletVersion ?? "",
      address(node, "InternalIP"),
      address(node, "ExternalIP"),
      info?.osImage || "<unknown>",
      info?.kernelVersion || "<unknown>",
      info?.containerRuntimeVersion || "<unknown>",
    ];
  },
};
