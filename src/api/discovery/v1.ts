// discovery.k8s.io/v1 EndpointSlice, after k8s.io/api/discovery/v1/types.go.
// Leaves out: topology hints.

import type { KObject } from "../../apimachinery/meta.ts";
import type { ObjectReference } from "../core/v1.ts";

export interface Endpoint {
  addresses: string[];
  conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
  hostname?: string;
  targetRef?: ObjectReference;
  nodeName?: string;
  zone?: string;
}

export interface EndpointPort {
  name?: string;
  protocol?: "TCP" | "UDP" | "SCTP";
  port?: number;
  appProtocol?: string;
}

export interface EndpointSlice extends KObject {
  addressType: "IPv4" | "IPv6" | "FQDN";
  endpoints: Endpoint[];
  ports?: EndpointPort[];
}
