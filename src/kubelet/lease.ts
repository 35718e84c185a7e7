// The node lease heartbeat, after k8s.io/component-helpers/apimachinery/lease
// (the kubelet's nodeLeaseController): a Lease named after the node in
// kube-node-lease, owned by the Node, renewed every 10 s with a 40 s
// duration. The node lifecycle controller reads renewTime to decide the node
// is alive; when the kubelet stops, renewals stop.
// Leaves out: the backoff on renewal errors (it retries at the next tick).

import type { Lease } from "../api/coordination/v1.ts";
import { isAlreadyExists, isNotFound } from "../apimachinery/errors.ts";
import { rfc3339Micro } from "../apimachinery/meta.ts";
import { type Client, GVR } from "../client/interface.ts";
import type { Clock, Timer } from "../utils/clock.ts";
import type { Activity } from "../utils/activity.ts";

export const LEASE_DURATION_SECONDS = 40;
export const LEASE_RENEW_INTERVAL_MS = 10_000;
export const LEASE_NAMESPACE = "kube-node-lease";

export interface LeaseOptions {
  client: Client;
  clock: Clock;
  activity: Activity;
  node: string;
  /** The Node's uid, for the ownerReference (looked up lazily when absent). */
  nodeUid(): string | undefined;
  log(msg: string): void;
}

export class NodeLeaseController {
  private timer: Timer | undefined;
  private running = false;
  private cached: Lease | undefined;

  constructor(private readonly o: LeaseOptions) {}

  start(): void {
    this.running = true;
    this.tick();
  }

  stop(): void {
    this.running = false;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private tick(): void {
    if (!this.running) return;
    this.o.activity.begin();
    void this.renew()
      .catch((e: unknown) => this.o.log(`"Failed to update lease" err="${(e as Error).message}"`))
      .finally(() => {
        this.o.activity.end();
        if (this.running) this.timer = this.o.clock.setTimer(LEASE_RENEW_INTERVAL_MS, () => this.tick());
      });
  }

  private async renew(): Promise<void> {
    const leases = this.o.client.resource<Lease>(GVR.leases);
    const now = rfc3339Micro(this.o.clock.now());
    if (this.cached) {
      try {
        const next = structuredClone(this.cached);
        next.spec = { ...next.spec, holderIdentity: this.o.node, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: now };
        this.cached = await leases.update(next);
        return;
      } catch (e) {
        // Conflict or gone: re-read and try from scratch.
        this.cached = undefined;
        if (!isNotFound(e)) throw e;
      }
    }
    try {
      const got = await leases.get(this.o.node, LEASE_NAMESPACE);
      got.spec = { ...got.spec, holderIdentity: this.o.node, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: now };
      this.cached = await leases.update(got);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      const uid = this.o.nodeUid();
      const lease: Lease = {
        apiVersion: "coordination.k8s.io/v1",
        kind: "Lease",
        metadata: {
          name: this.o.node,
          namespace: LEASE_NAMESPACE,
          ...(uid ? { ownerReferences: [{ apiVersion: "v1", kind: "Node", name: this.o.node, uid }] } : {}),
        },
        spec: { holderIdentity: this.o.node, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: now },
      };
      try {
        this.cached = await leases.create(lease, LEASE_NAMESPACE);
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
    }
  }
}
