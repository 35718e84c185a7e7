// The admission chain, after k8s.io/apiserver/pkg/admission: mutating plugins
// run on a create before the kind's defaulting and validation, validating
// plugins after them and before the object is stored; a plugin rejects by
// throwing a StatusError (403 Forbidden for LimitRanger and ResourceQuota).
// Leaves out: updates (only creates are admitted here) and webhooks.

import type { KObject } from "../../apimachinery/meta.ts";
import type { StrategyEnv } from "../registry/store.ts";
import { newLimitRanger } from "./limitranger.ts";
import { newResourceQuotaAdmission } from "./resourcequota.ts";

export interface Attributes {
  operation: "CREATE";
  group: string;
  resource: string;
  namespace?: string;
  /** The object's name (generated already for generateName creates). */
  name: string;
  object: KObject;
  dryRun: boolean;
}

export interface AdmissionPlugin {
  name: string;
  /** Mutating admission: may change attrs.object. */
  admit?(attrs: Attributes): void;
  /** Validating admission: may only reject. */
  validate?(attrs: Attributes): void;
}

/** What the plugins may do beyond reading: ResourceQuota charges usage to quota status. */
export interface AdmissionEnv extends StrategyEnv {
  /** Writes a ResourceQuota's status (a CAS update; throws 409 on a stale resourceVersion). */
  updateQuotaStatus(quota: KObject): void;
}

export class AdmissionChain {
  constructor(private readonly plugins: AdmissionPlugin[]) {}

  admit(attrs: Attributes): void {
    for (const p of this.plugins) p.admit?.(attrs);
  }

  validate(attrs: Attributes): void {
    for (const p of this.plugins) p.validate?.(attrs);
  }
}

/**
 * The plugins kube-apiserver enables by default that this emulator has, in
 * the order of its --enable-admission-plugins list: LimitRanger defaults
 * container resources before ResourceQuota measures them.
 */
export function newAdmissionChain(env: AdmissionEnv): AdmissionChain {
  return new AdmissionChain([newLimitRanger(env), newResourceQuotaAdmission(env)]);
}
