// What `systemctl status` shows of a unit beyond its state: the unit file and
// drop-ins kubeadm's packages install, the documentation link, the command
// line systemd runs, and typical task/memory/CPU figures. Data from the
// kubelet and containerd packages on Ubuntu 22.04 (systemd 249).
// Units the lab does not know get a plain /etc/systemd/system entry.

export interface UnitFile {
  path: string;
  dropIns?: { dir: string; files: string[] };
  docs: string;
  /** ExecStart as written in the unit (what "Process:" prints after exit). */
  execStart: string;
  /** ExecStartPre lines, printed as "Process:" lines while running. */
  execStartPre?: string[];
  /** The main process's command line under CGroup. */
  cmdline: string;
  comm: string;
  tasks: number;
  /** Resident memory in MiB at start, and how much it grows per hour of uptime. */
  memoryMiB: number;
  /** Average CPU use, as a fraction of one core, for the CPU: line. */
  cpuShare: number;
}

const FILES: Record<string, UnitFile> = {
  "kubelet.service": {
    path: "/lib/systemd/system/kubelet.service",
    dropIns: { dir: "/usr/lib/systemd/system/kubelet.service.d", files: ["10-kubeadm.conf"] },
    docs: "https://kubernetes.io/docs/",
    execStart: "/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS",
    cmdline:
      "/usr/bin/kubelet --bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf --config=/var/lib/kubelet/config.yaml --container-runtime-endpoint=unix:///var/run/containerd/containerd.sock --pod-infra-container-image=registry.k8s.io/pause:3.10",
    comm: "kubelet",
    tasks: 11,
    memoryMiB: 36.2,
    cpuShare: 0.012,
  },
  "containerd.service": {
    path: "/lib/systemd/system/containerd.service",
    docs: "https://containerd.io",
    execStart: "/usr/bin/containerd",
    execStartPre: ["/sbin/modprobe overlay"],
    cmdline: "/usr/bin/containerd",
    comm: "containerd",
    tasks: 9,
    memoryMiB: 41.8,
    cpuShare: 0.004,
  },
};

export function unitFile(name: string): UnitFile {
  return (
    FILES[name] ?? {
      path: `/etc/systemd/system/${name}`,
      docs: "",
      execStart: `/usr/bin/${name.replace(/\.service$/, "")}`,
      cmdline: `/usr/bin/${name.replace(/\.service$/, "")}`,
      comm: name.replace(/\.service$/, "").slice(0, 15),
      tasks: 5,
      memoryMiB: 12.4,
      cpuShare: 0.002,
    }
  );
}
