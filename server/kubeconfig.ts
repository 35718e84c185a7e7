// Writes a session's kubeconfig: the text is src/client/kubeconfig.ts's
// (kubeadm's admin.conf layout, so `kubectl config view` looks real); this
// file only adds the 0600 mode, because the kubeconfig holds the cluster's token.

import { writeFileSync } from "node:fs";
import { writeKubeconfig as kubeconfigText } from "../src/client/kubeconfig.ts";
import type { ClusterEndpoint } from "./lab.ts";

export function writeKubeconfig(file: string, ep: ClusterEndpoint): void {
  writeFileSync(file, kubeconfigText({ server: ep.server, caPem: ep.ca, token: ep.token }), { mode: 0o600 });
}
