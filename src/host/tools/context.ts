// What a node tool runs against: the cluster it lives in and the node whose
// shell it was typed in. The tools need only a slice of the Cluster contract
// (docs/architecture.md), named here so they can be tested with a hand-built
// cluster too.

import type { KObject } from "../../apimachinery/meta.ts";
import type { Client } from "../../client/interface.ts";
import type { ContainerRuntime } from "../../cri/runtime.ts";
import type { Etcd } from "../../storage/etcd.ts";
import type { CommandIO } from "../../utils/command.ts";
import type { Clock } from "../../utils/clock.ts";
import type { Host } from "../host.ts";

export interface ToolCluster {
  hosts: Map<string, Host>;
  api: { etcd: Etcd<KObject>; version: string };
  clock: Clock;
  client(user: string): Client;
  /** Each node's containerd, when the cluster exposes them (crictl, and curl to pod IPs). */
  runtimes?: Map<string, ContainerRuntime>;
}

export interface NodeToolContext {
  cluster: ToolCluster;
  /** The node the shell runs on: "master", "node01"… */
  node: string;
  /**
   * Set when the tool runs inside a pod (kubectl exec): DNS then goes to
   * CoreDNS with the pod's search path instead of the node's own resolver.
   */
  pod?: { namespace: string; ip: string };
}

export type NodeTool = (argv: string[], io: CommandIO, ctx: NodeToolContext) => Promise<number>;

export function hostOf(ctx: NodeToolContext): Host {
  const h = ctx.cluster.hosts.get(ctx.node);
  if (!h) throw new Error(`no such node ${ctx.node}`);
  return h;
}

/** The node's containerd: from the cluster's runtime map, or one attached to the host. */
export function runtimeOf(ctx: NodeToolContext, node = ctx.node): ContainerRuntime | undefined {
  return ctx.cluster.runtimes?.get(node);
}
