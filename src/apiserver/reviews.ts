// The review resources kubectl's `auth can-i` and `auth whoami` create:
// authorization.k8s.io/v1 SelfSubjectAccessReview and authentication.k8s.io/v1
// SelfSubjectReview, after pkg/registry/authorization/selfsubjectaccessreview
// and pkg/registry/authentication/selfsubjectreview. Nothing is stored: the
// answer is computed from the requesting user.
// This apiserver authorizes every authenticated request (apiserver.ts), so
// every review is allowed; the reason names the binding kubeadm creates for
// its admin group, as RBAC would report it.

import { badRequest } from "../apimachinery/errors.ts";
import type { KObject } from "../apimachinery/meta.ts";
import type { RequestContext } from "./registry/store.ts";
import type { ResourceInfo } from "./resources.ts";

interface AccessReviewSpec {
  resourceAttributes?: Record<string, unknown>;
  nonResourceAttributes?: Record<string, unknown>;
}

/** Whether info is a review resource this file answers. */
export function isReview(info: ResourceInfo): boolean {
  return (
    (info.group === "authorization.k8s.io" && info.resource === "selfsubjectaccessreviews") ||
    (info.group === "authentication.k8s.io" && info.resource === "selfsubjectreviews")
  );
}

/** The created review (201), status filled in. */
export function answerReview(ctx: RequestContext, info: ResourceInfo, body: KObject): KObject {
  const user = ctx.user;
  if (info.resource === "selfsubjectreviews") {
    return {
      kind: "SelfSubjectReview",
      apiVersion: "authentication.k8s.io/v1",
      metadata: { creationTimestamp: null } as unknown as KObject["metadata"],
      status: { userInfo: { username: user.username, ...(user.groups?.length ? { groups: user.groups } : {}) } },
    } as KObject;
  }
  const spec = (body as KObject & { spec?: AccessReviewSpec }).spec ?? {};
  const hasResource = spec.resourceAttributes !== undefined;
  const hasNonResource = spec.nonResourceAttributes !== undefined;
  if (hasResource === hasNonResource) {
    throw badRequest(
      hasResource
        ? 'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.nonResourceAttributes: Invalid value: "": cannot be specified in combination with resourceAttributes'
        : 'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "": exactly one of nonResourceAttributes or resourceAttributes must be specified',
    );
  }
  const groups = user.groups ?? [];
  // system:masters is let through before RBAC runs (no reason); kubeadm's admin group through its binding.
  const reason = groups.includes("system:masters")
    ? ""
    : groups.includes("kubeadm:cluster-admins")
      ? 'RBAC: allowed by ClusterRoleBinding "kubeadm:cluster-admins" of ClusterRole "cluster-admin" to Group "kubeadm:cluster-admins"'
      : "";
  return {
    kind: "SelfSubjectAccessReview",
    apiVersion: "authorization.k8s.io/v1",
    metadata: { creationTimestamp: null } as unknown as KObject["metadata"],
    spec,
    status: { allowed: true, ...(reason ? { reason } : {}) },
  } as KObject;
}
