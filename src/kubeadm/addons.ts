// The addons `kubeadm init` installs, after cmd/kubeadm/app/phases/addons:
// kube-proxy (DaemonSet, ConfigMap, ServiceAccount) and CoreDNS (Deployment
// of 2 with kubeadm's control-plane tolerations, ConfigMap with the
// Corefile, the kube-dns Service at 10.96.0.10). Plus the flannel manifest a
// lab applies next (kube-flannel.yml, v0.26): its namespace, ConfigMap,
// ServiceAccount and DaemonSet with the two CNI-installing init containers.
// Leaves out: RBAC objects (authorization is not emulated).

import type { ConfigMap, Namespace, Service, ServiceAccount } from "../api/core/v1.ts";
import type { KObject } from "../apimachinery/meta.ts";

export const COREDNS_IMAGE = "registry.k8s.io/coredns/coredns:v1.11.3";
export const FLANNEL_IMAGE = "docker.io/flannel/flannel:v0.26.7";
export const FLANNEL_CNI_IMAGE = "docker.io/flannel/flannel-cni-plugin:v1.6.2-flannel1";
export const PAUSE_IMAGE = "registry.k8s.io/pause:3.10";

const sa = (name: string, namespace: string): ServiceAccount => ({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace } });

export function kubeProxyObjects(version: string, apiServer: string, podSubnet: string): KObject[] {
  const config: ConfigMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "kube-proxy", namespace: "kube-system", labels: { app: "kube-proxy" } },
    data: {
      "config.conf": [
        "apiVersion: kubeproxy.config.k8s.io/v1alpha1",
        "bindAddress: 0.0.0.0",
        "clientConnection:",
        "  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf",
        `clusterCIDR: ${podSubnet}`,
        "kind: KubeProxyConfiguration",
        'mode: ""',
        "",
      ].join("\n"),
      "kubeconfig.conf": [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- cluster:",
        "    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt",
        `    server: https://${apiServer}:6443`,
        "  name: default",
        "",
      ].join("\n"),
    },
  };
  const ds: KObject = {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "kube-proxy", namespace: "kube-system", labels: { "k8s-app": "kube-proxy" } },
    spec: {
      selector: { matchLabels: { "k8s-app": "kube-proxy" } },
      template: {
        metadata: { labels: { "k8s-app": "kube-proxy" } },
        spec: {
          containers: [
            {
              name: "kube-proxy",
              image: `registry.k8s.io/kube-proxy:${version}`,
              imagePullPolicy: "IfNotPresent",
              command: ["/usr/local/bin/kube-proxy", "--config=/var/lib/kube-proxy/config.conf", "--hostname-override=$(NODE_NAME)"],
              env: [{ name: "NODE_NAME", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "spec.nodeName" } } }],
              securityContext: { privileged: true },
              volumeMounts: [
                { name: "kube-proxy", mountPath: "/var/lib/kube-proxy" },
                { name: "xtables-lock", mountPath: "/run/xtables.lock" },
                { name: "lib-modules", mountPath: "/lib/modules", readOnly: true },
              ],
            },
          ],
          hostNetwork: true,
          nodeSelector: { "kubernetes.io/os": "linux" },
          priorityClassName: "system-node-critical",
          serviceAccountName: "kube-proxy",
          tolerations: [{ operator: "Exists" }],
          volumes: [
            { name: "kube-proxy", configMap: { name: "kube-proxy", defaultMode: 420 } },
            { name: "xtables-lock", hostPath: { path: "/run/xtables.lock", type: "FileOrCreate" } },
            { name: "lib-modules", hostPath: { path: "/lib/modules", type: "" } },
          ],
        },
      },
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
    },
  };
  return [sa("kube-proxy", "kube-system"), config, ds];
}

export function corednsObjects(): KObject[] {
  const corefile = [
    ".:53 {",
    "    errors",
    "    health {",
    "       lameduck 5s",
    "    }",
    "    ready",
    "    kubernetes cluster.local in-addr.arpa ip6.arpa {",
    "       pods insecure",
    "       fallthrough in-addr.arpa ip6.arpa",
    "       ttl 30",
    "    }",
    "    prometheus :9153",
    "    forward . /etc/resolv.conf {",
    "       max_concurrent 1000",
    "    }",
    "    cache 30 {",
    "       disable success cluster.local",
    "       disable denial cluster.local",
    "    }",
    "    loop",
    "    reload",
    "    loadbalance",
    "}",
    "",
  ].join("\n");
  const cm: ConfigMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "coredns", namespace: "kube-system" }, data: { Corefile: corefile } };
  const deploy: KObject = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "coredns", namespace: "kube-system", labels: { "k8s-app": "kube-dns" } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { "k8s-app": "kube-dns" } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels: { "k8s-app": "kube-dns" } },
        spec: {
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                { weight: 100, podAffinityTerm: { labelSelector: { matchExpressions: [{ key: "k8s-app", operator: "In", values: ["kube-dns"] }] }, topologyKey: "kubernetes.io/hostname" } },
              ],
            },
          },
          containers: [
            {
              name: "coredns",
              image: COREDNS_IMAGE,
              imagePullPolicy: "IfNotPresent",
              args: ["-conf", "/etc/coredns/Corefile"],
              ports: [
                { name: "dns", containerPort: 53, protocol: "UDP" },
                { name: "dns-tcp", containerPort: 53, protocol: "TCP" },
                { name: "metrics", containerPort: 9153, protocol: "TCP" },
              ],
              resources: { limits: { memory: "170Mi" }, requests: { cpu: "100m", memory: "70Mi" } },
              volumeMounts: [{ name: "config-volume", mountPath: "/etc/coredns", readOnly: true }],
              livenessProbe: { httpGet: { path: "/health", port: 8080, scheme: "HTTP" }, initialDelaySeconds: 60, timeoutSeconds: 5, successThreshold: 1, failureThreshold: 5 },
              readinessProbe: { httpGet: { path: "/ready", port: 8181, scheme: "HTTP" } },
            },
          ],
          dnsPolicy: "Default",
          nodeSelector: { "kubernetes.io/os": "linux" },
          priorityClassName: "system-cluster-critical",
          serviceAccountName: "coredns",
          tolerations: [
            { key: "CriticalAddonsOnly", operator: "Exists" },
            { key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" },
          ],
          volumes: [{ name: "config-volume", configMap: { name: "coredns", items: [{ key: "Corefile", path: "Corefile" }], defaultMode: 420 } }],
        },
      },
    },
  };
  const svc: Service = {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: "kube-dns",
      namespace: "kube-system",
      labels: { "k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS" },
      annotations: { "prometheus.io/port": "9153", "prometheus.io/scrape": "true" },
    },
    spec: {
      selector: { "k8s-app": "kube-dns" },
      clusterIP: "10.96.0.10",
      ports: [
        { name: "dns", port: 53, protocol: "UDP", targetPort: 53 },
        { name: "dns-tcp", port: 53, protocol: "TCP", targetPort: 53 },
        { name: "metrics", port: 9153, protocol: "TCP", targetPort: 9153 },
      ],
    },
  };
  return [sa("coredns", "kube-system"), cm, deploy, svc];
}

export function flannelObjects(podSubnet: string): KObject[] {
  const ns: Namespace = {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: "kube-flannel", labels: { "k8s-app": "flannel", "pod-security.kubernetes.io/enforce": "privileged" } },
  };
  const cm: ConfigMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "kube-flannel-cfg", namespace: "kube-flannel", labels: { app: "flannel", "k8s-app": "flannel", tier: "node" } },
    data: {
      "cni-conf.json": JSON.stringify(
        { name: "cbr0", cniVersion: "0.3.1", plugins: [{ type: "flannel", delegate: { hairpinMode: true, isDefaultGateway: true } }, { type: "portmap", capabilities: { portMappings: true } }] },
        null,
        2,
      ),
      "net-conf.json": JSON.stringify({ Network: podSubnet, EnableNFTables: false, Backend: { Type: "vxlan" } }, null, 2),
    },
  };
  const ds: KObject = {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "kube-flannel-ds", namespace: "kube-flannel", labels: { app: "flannel", "k8s-app": "flannel", tier: "node" } },
    spec: {
      selector: { matchLabels: { app: "flannel" } },
      template: {
        metadata: { labels: { app: "flannel", tier: "node" } },
        spec: {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/os", operator: "In", values: ["linux"] }] }],
              },
            },
          },
          initContainers: [
            { name: "install-cni-plugin", image: FLANNEL_CNI_IMAGE, command: ["cp"], args: ["-f", "/flannel", "/opt/cni/bin/flannel"], volumeMounts: [{ name: "cni-plugin", mountPath: "/opt/cni/bin" }] },
            {
              name: "install-cni",
              image: FLANNEL_IMAGE,
              command: ["cp"],
              args: ["-f", "/etc/kube-flannel/cni-conf.json", "/etc/cni/net.d/10-flannel.conflist"],
              volumeMounts: [
                { name: "cni", mountPath: "/etc/cni/net.d" },
                { name: "flannel-cfg", mountPath: "/etc/kube-flannel/" },
              ],
            },
          ],
          containers: [
            {
              name: "kube-flannel",
              image: FLANNEL_IMAGE,
              command: ["/opt/bin/flanneld"],
              args: ["--ip-masq", "--kube-subnet-mgr"],
              env: [
                { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
                { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
                { name: "EVENT_QUEUE_DEPTH", value: "5000" },
              ],
              resources: { requests: { cpu: "100m", memory: "50Mi" } },
              securityContext: { privileged: false, capabilities: { add: ["NET_ADMIN", "NET_RAW"] } },
              volumeMounts: [
                { name: "run", mountPath: "/run/flannel" },
                { name: "flannel-cfg", mountPath: "/etc/kube-flannel/" },
                { name: "xtables-lock", mountPath: "/run/xtables.lock" },
              ],
            },
          ],
          hostNetwork: true,
          priorityClassName: "system-node-critical",
          serviceAccountName: "flannel",
          tolerations: [{ operator: "Exists", effect: "NoSchedule" }],
          volumes: [
            { name: "run", hostPath: { path: "/run/flannel" } },
            { name: "cni-plugin", hostPath: { path: "/opt/cni/bin" } },
            { name: "cni", hostPath: { path: "/etc/cni/net.d" } },
            { name: "flannel-cfg", configMap: { name: "kube-flannel-cfg" } },
            { name: "xtables-lock", hostPath: { path: "/run/xtables.lock", type: "FileOrCreate" } },
          ],
        },
      },
    },
  };
  return [ns, sa("flannel", "kube-flannel"), cm, ds];
}
