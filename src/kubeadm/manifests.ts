// The static pod manifests `kubeadm init` writes to /etc/kubernetes/manifests
// on the control-plane node, after cmd/kubeadm/app/phases/controlplane and
// phases/etcd: etcd, kube-apiserver, kube-controller-manager and
// kube-scheduler with kubeadm's flags, probes trimmed to what `describe` shows.
// Leaves out: volume mounts of certificates beyond their names.

import type { Container, Pod } from "../api/core/v1.ts";

export interface ControlPlaneConfig {
  /** The control plane's advertise address, e.g. 172.30.1.2. */
  advertiseAddress: string;
  /** v1.32.4 */
  version: string;
  podSubnet: string;
  serviceSubnet: string;
}

export const ETCD_VERSION = "3.5.16-0";

function staticPod(name: string, component: string, container: Container, annotations: Record<string, string> = {}): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "kube-system", labels: { component, tier: "control-plane" }, annotations },
    spec: {
      containers: [{ imagePullPolicy: "IfNotPresent", resources: { requests: { cpu: component === "etcd" ? "100m" : component === "kube-apiserver" ? "250m" : component === "kube-controller-manager" ? "200m" : "100m", ...(component === "etcd" ? { memory: "100Mi" } : {}) } }, ...container }],
      hostNetwork: true,
      priority: 2000001000,
      priorityClassName: "system-node-critical",
      securityContext: { seccompProfile: { type: "RuntimeDefault" } },
      dnsPolicy: "ClusterFirst",
      restartPolicy: "Always",
      schedulerName: "default-scheduler",
      terminationGracePeriodSeconds: 30,
      enableServiceLinks: true,
      preemptionPolicy: "PreemptLowerPriority",
    },
  };
}

export function controlPlaneManifests(c: ControlPlaneConfig): Pod[] {
  const ip = c.advertiseAddress;
  return [
    staticPod(
      "etcd",
      "etcd",
      {
        name: "etcd",
        image: `registry.k8s.io/etcd:${ETCD_VERSION}`,
        command: [
          "etcd",
          `--advertise-client-urls=https://${ip}:2379`,
          "--cert-file=/etc/kubernetes/pki/etcd/server.crt",
          "--client-cert-auth=true",
          "--data-dir=/var/lib/etcd",
          "--experimental-initial-corrupt-check=true",
          "--experimental-watch-progress-notify-interval=5s",
          `--initial-advertise-peer-urls=https://${ip}:2380`,
          `--initial-cluster=master=https://${ip}:2380`,
          "--key-file=/etc/kubernetes/pki/etcd/server.key",
          `--listen-client-urls=https://127.0.0.1:2379,https://${ip}:2379`,
          "--listen-metrics-urls=http://127.0.0.1:2381",
          `--listen-peer-urls=https://${ip}:2380`,
          "--name=master",
          "--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt",
          "--peer-client-cert-auth=true",
          "--peer-key-file=/etc/kubernetes/pki/etcd/peer.key",
          "--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt",
          "--snapshot-count=10000",
          "--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt",
        ],
      },
      { "kubeadm.kubernetes.io/etcd.advertise-client-urls": `https://${ip}:2379` },
    ),
    staticPod(
      "kube-apiserver",
      "kube-apiserver",
      {
        name: "kube-apiserver",
        image: `registry.k8s.io/kube-apiserver:${c.version}`,
        command: [
          "kube-apiserver",
          `--advertise-address=${ip}`,
          "--allow-privileged=true",
          "--authorization-mode=Node,RBAC",
          "--client-ca-file=/etc/kubernetes/pki/ca.crt",
          "--enable-admission-plugins=NodeRestriction",
          "--enable-bootstrap-token-auth=true",
          "--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt",
          "--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt",
          "--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key",
          "--etcd-servers=https://127.0.0.1:2379",
          "--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt",
          "--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key",
          "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname",
          "--secure-port=6443",
          "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
          "--service-account-key-file=/etc/kubernetes/pki/sa.pub",
          "--service-account-signing-key-file=/etc/kubernetes/pki/sa.key",
          `--service-cluster-ip-range=${c.serviceSubnet}`,
          "--tls-cert-file=/etc/kubernetes/pki/apiserver.crt",
          "--tls-private-key-file=/etc/kubernetes/pki/apiserver.key",
        ],
      },
      { "kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint": `${ip}:6443` },
    ),
    staticPod("kube-controller-manager", "kube-controller-manager", {
      name: "kube-controller-manager",
      image: `registry.k8s.io/kube-controller-manager:${c.version}`,
      command: [
        "kube-controller-manager",
        "--allocate-node-cidrs=true",
        "--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf",
        "--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf",
        "--bind-address=127.0.0.1",
        "--client-ca-file=/etc/kubernetes/pki/ca.crt",
        `--cluster-cidr=${c.podSubnet}`,
        "--cluster-name=kubernetes",
        "--cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt",
        "--cluster-signing-key-file=/etc/kubernetes/pki/ca.key",
        "--controllers=*,bootstrapsigner,tokencleaner",
        "--kubeconfig=/etc/kubernetes/controller-manager.conf",
        "--leader-elect=true",
        "--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt",
        "--root-ca-file=/etc/kubernetes/pki/ca.crt",
        "--service-account-private-key-file=/etc/kubernetes/pki/sa.key",
        `--service-cluster-ip-range=${c.serviceSubnet}`,
        "--use-service-account-credentials=true",
      ],
    }),
    staticPod("kube-scheduler", "kube-scheduler", {
      name: "kube-scheduler",
      image: `registry.k8s.io/kube-scheduler:${c.version}`,
      command: [
        "kube-scheduler",
        "--authentication-kubeconfig=/etc/kubernetes/scheduler.conf",
        "--authorization-kubeconfig=/etc/kubernetes/scheduler.conf",
        "--bind-address=127.0.0.1",
        "--kubeconfig=/etc/kubernetes/scheduler.conf",
        "--leader-elect=true",
      ],
    }),
  ];
}
