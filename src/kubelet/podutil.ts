// Small pod facts the kubelet asks often, after pkg/kubelet/types and
// pkg/api/v1/pod: mirror-pod detection, the container list in run order,
// the effective restart and pull policies, and the `name_namespace(uid)`
// form the kubelet uses in messages.

import type { Container, Pod } from "../api/core/v1.ts";
import { parseImageRef } from "../cri/images.ts";

export function isMirror(pod: Pod): boolean {
  return Boolean(pod.metadata.annotations?.["kubernetes.io/config.mirror"]);
}

/** The pod as the kubelet names it in messages: web_default(3f1c…). */
export function podFullName(pod: Pod): string {
  return `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
}

export function restartPolicy(pod: Pod): "Always" | "OnFailure" | "Never" {
  return pod.spec.restartPolicy ?? "Always";
}

/** imagePullPolicy, defaulted as the apiserver would: Always for :latest or no tag. */
export function pullPolicy(c: Container): "Always" | "IfNotPresent" | "Never" {
  if (c.imagePullPolicy) return c.imagePullPolicy;
  const ref = parseImageRef(c.image ?? "");
  return ref.tag === "latest" ? "Always" : "IfNotPresent";
}

export function gracePeriodSeconds(pod: Pod): number {
  return pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
}
