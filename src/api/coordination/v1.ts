// coordination.k8s.io/v1 Lease, after k8s.io/api/coordination/v1/types.go:
// node heartbeats (kube-node-lease) and leader election.

import type { KObject } from "../../apimachinery/meta.ts";

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  /** MicroTime: RFC 3339 with microseconds. */
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export interface Lease extends KObject {
  spec?: LeaseSpec;
}
