// A kubeconfig for one emulated cluster, named as kubeadm names admin.conf
// (cluster "kubernetes", user "kubernetes-admin"), so `kubectl config view`
// looks like the real thing. Written 0600: it holds the cluster's token.

import { writeFileSync } from "node:fs";
import type { ClusterEndpoint } from "./lab.ts";

export function kubeconfigYAML(ep: ClusterEndpoint): string {
  return `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${Buffer.from(ep.ca).toString("base64")}
    server: ${ep.server}
  name: kubernetes
contexts:
- context:
    cluster: kubernetes
    user: kubernetes-admin
  name: kubernetes-admin@kubernetes
current-context: kubernetes-admin@kubernetes
kind: Config
preferences: {}
users:
- name: kubernetes-admin
  user:
    token: ${ep.token}
`;
}

export function writeKubeconfig(file: string, ep: ClusterEndpoint): void {
  writeFileSync(file, kubeconfigYAML(ep), { mode: 0o600 });
}
