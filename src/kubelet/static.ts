// Static pods, after pkg/kubelet/config/file.go and pkg/kubelet/pod/mirror_client.go:
// the kubelet runs the manifests in /etc/kubernetes/manifests itself (no
// apiserver needed: that is how the control plane starts), and publishes each
// as a mirror pod `<name>-<node>` so kubectl can see it. Deleting a mirror
// pod does not stop the static pod; the kubelet recreates the mirror.
// Leaves out: watching the manifest directory for edits.

import { createHash } from "node:crypto";
import type { Pod } from "../api/core/v1.ts";
import { isMirror as isMirrorAnnotation } from "./podutil.ts";

export const CONFIG_HASH = "kubernetes.io/config.hash";
export const CONFIG_MIRROR = "kubernetes.io/config.mirror";
export const CONFIG_SEEN = "kubernetes.io/config.seen";
export const CONFIG_SOURCE = "kubernetes.io/config.source";

export const isMirror = isMirrorAnnotation;

/** The pod the kubelet builds from a manifest file (applyDefaults in config/common.go). */
export function staticPodFromManifest(manifest: Pod, node: string, seenAt: string): Pod {
  const pod = structuredClone(manifest);
  const name = `${manifest.metadata.name}-${node}`;
  // The hash is the pod's UID: the same manifest always yields the same static pod.
  const hash = createHash("md5").update(JSON.stringify({ ...manifest, node })).digest("hex");
  pod.metadata = {
    ...pod.metadata,
    name,
    namespace: manifest.metadata.namespace ?? "default",
    uid: hash,
    annotations: { ...pod.metadata.annotations, [CONFIG_HASH]: hash, [CONFIG_SEEN]: seenAt, [CONFIG_SOURCE]: "file" },
  };
  pod.spec = {
    ...pod.spec,
    nodeName: node,
    tolerations: pod.spec.tolerations ?? [{ operator: "Exists", effect: "NoExecute" }],
  };
  return pod;
}

/** The mirror pod the kubelet creates in the apiserver for a static pod. */
export function mirrorPodFor(staticPod: Pod, nodeUid: string | undefined): Pod {
  const { uid: _uid, resourceVersion: _rv, ...meta } = staticPod.metadata;
  const hash = staticPod.metadata.annotations![CONFIG_HASH]!;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      ...meta,
      annotations: { ...meta.annotations, [CONFIG_MIRROR]: hash },
      ...(nodeUid ? { ownerReferences: [{ apiVersion: "v1", kind: "Node", name: staticPod.spec.nodeName!, uid: nodeUid, controller: true }] } : {}),
    },
    spec: structuredClone(staticPod.spec),
  };
}
