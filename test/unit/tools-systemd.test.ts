// systemctl, journalctl and hostname on a node, as a learner sees them.

import { describe, expect, it } from "vitest";
import { resolveNode } from "../../src/host/tools/tools.ts";
import { toolCluster } from "./tools-harness.ts";

describe("systemctl", () => {
  it("prints the systemd 249 status block for a running kubelet", async () => {
    const t = toolCluster();
    const h = t.hosts.get("node01")!;
    h.start("containerd");
    h.start("kubelet");
    h.log("kubelet.service", `kubelet[${h.unit("kubelet")!.pid}]`, 'I1125 09:00:00.123456    1001 server.go:484] "Kubelet version" kubeletVersion="v1.32.4"');
    await t.clock.advance(5 * 60_000 + 12_000);
    const r = await t.run("node01", ["systemctl", "status", "kubelet"]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        "● kubelet.service - kubelet: The Kubernetes Node Agent",
        "     Loaded: loaded (/lib/systemd/system/kubelet.service; enabled; vendor preset: enabled)",
        "    Drop-In: /usr/lib/systemd/system/kubelet.service.d",
        "             └─10-kubeadm.conf",
        "     Active: active (running) since Wed 2026-11-25 09:00:00 UTC; 5min ago",
        "       Docs: https://kubernetes.io/docs/",
        "   Main PID: 1001 (kubelet)",
        "      Tasks: 13 (limit: 4557)",
        "     Memory: 36.3M",
        "        CPU: 3.924s",
        "     CGroup: /system.slice/kubelet.service",
        "             └─1001 /usr/bin/kubelet --bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf --config=/var/lib/kubelet/config.yaml --container-runtime-endpoint=unix:///var/run/containerd/containerd.sock --pod-infra-container-image=registry.k8s.io/pause:3.10",
        "",
        "Nov 25 09:00:00 node01 systemd[1]: Started kubelet: The Kubernetes Node Agent.",
        'Nov 25 09:00:00 node01 kubelet[1001]: I1125 09:00:00.123456    1001 server.go:484] "Kubelet version" kubeletVersion="v1.32.4"',
        "",
      ].join("\n"),
    );
  });

  it("restart changes the PID and logs the stop and start; stop leaves it inactive (dead) with exit 3", async () => {
    const t = toolCluster();
    const h = t.hosts.get("node01")!;
    h.start("kubelet");
    await t.clock.advance(60_000);
    expect(await t.run("node01", ["systemctl", "restart", "kubelet.service"])).toEqual({ code: 0, out: "", err: "" });
    expect(h.unit("kubelet")!.pid).toBe(1001);
    await t.clock.advance(30_000);
    expect(await t.run("node01", ["systemctl", "stop", "kubelet"])).toEqual({ code: 0, out: "", err: "" });
    await t.clock.advance(10_000);
    const r = await t.run("node01", ["systemctl", "status", "kubelet"]);
    expect(r.code).toBe(3);
    expect(r.out).toBe(
      [
        "○ kubelet.service - kubelet: The Kubernetes Node Agent",
        "     Loaded: loaded (/lib/systemd/system/kubelet.service; enabled; vendor preset: enabled)",
        "    Drop-In: /usr/lib/systemd/system/kubelet.service.d",
        "             └─10-kubeadm.conf",
        "     Active: inactive (dead) since Wed 2026-11-25 09:01:30 UTC; 10s ago",
        "       Docs: https://kubernetes.io/docs/",
        "    Process: 1001 ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS (code=exited, status=0/SUCCESS)",
        "   Main PID: 1001 (code=exited, status=0/SUCCESS)",
        "        CPU: 540ms",
        "",
        "Nov 25 09:00:00 node01 systemd[1]: Started kubelet: The Kubernetes Node Agent.",
        "Nov 25 09:01:00 node01 systemd[1]: Stopping kubelet: The Kubernetes Node Agent...",
        "Nov 25 09:01:00 node01 systemd[1]: kubelet.service: Deactivated successfully.",
        "Nov 25 09:01:00 node01 systemd[1]: Stopped kubelet: The Kubernetes Node Agent.",
        "Nov 25 09:01:00 node01 systemd[1]: Started kubelet: The Kubernetes Node Agent.",
        "Nov 25 09:01:30 node01 systemd[1]: Stopping kubelet: The Kubernetes Node Agent...",
        "Nov 25 09:01:30 node01 systemd[1]: kubelet.service: Deactivated successfully.",
        "Nov 25 09:01:30 node01 systemd[1]: Stopped kubelet: The Kubernetes Node Agent.",
        "",
      ].join("\n"),
    );
    expect(await t.run("node01", ["systemctl", "is-active", "kubelet"])).toEqual({ code: 3, out: "inactive\n", err: "" });
    await t.run("node01", ["systemctl", "start", "kubelet"]);
    expect(await t.run("node01", ["systemctl", "is-active", "kubelet"])).toEqual({ code: 0, out: "active\n", err: "" });
  });

  it("colours the dot and state on a terminal", async () => {
    const t = toolCluster();
    t.hosts.get("master")!.start("kubelet");
    const r = await t.run("master", ["systemctl", "status", "kubelet"], { isTTY: true });
    expect(r.out.split("\n")[0]).toBe("\x1b[0;1;32m●\x1b[0m kubelet.service - kubelet: The Kubernetes Node Agent");
    expect(r.out).toContain("Active: \x1b[0;1;32mactive (running)\x1b[0m since");
  });

  it("answers unknown units, verbs and missing arguments as systemd does", async () => {
    const t = toolCluster();
    expect(await t.run("node01", ["systemctl", "status", "nosuch"])).toEqual({ code: 4, out: "", err: "Unit nosuch.service could not be found.\n" });
    expect(await t.run("node01", ["systemctl", "start", "nosuch"])).toEqual({ code: 5, out: "", err: "Failed to start nosuch.service: Unit nosuch.service not found.\n" });
    expect(await t.run("node01", ["systemctl", "stop", "nosuch"])).toEqual({ code: 5, out: "", err: "Failed to stop nosuch.service: Unit nosuch.service not loaded.\n" });
    expect(await t.run("node01", ["systemctl", "is-active", "nosuch"])).toEqual({ code: 3, out: "inactive\n", err: "" });
    expect(await t.run("node01", ["systemctl", "frobnicate", "kubelet"])).toEqual({ code: 1, out: "", err: "Unknown command verb frobnicate.\n" });
    expect(await t.run("node01", ["systemctl", "restart"])).toEqual({ code: 1, out: "", err: "Too few arguments.\n" });
  });

  it("enables and disables with the symlink messages, and is-enabled follows", async () => {
    const t = toolCluster();
    expect(await t.run("node01", ["systemctl", "is-enabled", "kubelet"])).toEqual({ code: 0, out: "enabled\n", err: "" });
    expect(await t.run("node01", ["systemctl", "disable", "kubelet"])).toEqual({ code: 0, out: "", err: "Removed /etc/systemd/system/multi-user.target.wants/kubelet.service.\n" });
    expect(await t.run("node01", ["systemctl", "is-enabled", "kubelet"])).toEqual({ code: 1, out: "disabled\n", err: "" });
    expect((await t.run("node01", ["systemctl", "enable", "--now", "kubelet"])).err).toBe(
      "Created symlink /etc/systemd/system/multi-user.target.wants/kubelet.service → /lib/systemd/system/kubelet.service.\n",
    );
    expect(t.hosts.get("node01")!.unit("kubelet")!.state).toBe("active");
  });

  it("lists loaded units with no arguments", async () => {
    const t = toolCluster();
    t.hosts.get("node02")!.start("containerd");
    t.hosts.get("node02")!.start("kubelet");
    const r = await t.run("node02", ["systemctl"]);
    expect(r.out).toBe(
      [
        "  UNIT               LOAD   ACTIVE SUB     DESCRIPTION",
        "  containerd.service loaded active running containerd container runtime",
        "  kubelet.service    loaded active running kubelet: The Kubernetes Node Agent",
        "",
        "LOAD   = Reflects whether the unit definition was properly loaded.",
        "ACTIVE = The high-level unit activation state, i.e. generalization of SUB.",
        "SUB    = The low-level unit activation state, values depend on unit type.",
        "2 loaded units listed. Pass --all to see loaded but inactive units, too.",
        "To show all installed unit files use 'systemctl list-unit-files'.",
        "",
      ].join("\n"),
    );
  });
});

describe("journalctl", () => {
  it("prints the unit's lines with the journal header, -n cuts, and an empty unit says so", async () => {
    const t = toolCluster();
    const h = t.hosts.get("node01")!;
    h.start("kubelet");
    await t.clock.advance(2000);
    h.log("kubelet.service", "kubelet[1000]", "I1125 09:00:02.000000    1000 kubelet.go:2469] \"SyncLoop ADD\" source=\"api\" pods=[]");
    const r = await t.run("node01", ["journalctl", "-u", "kubelet", "--no-pager"]);
    expect(r.out).toBe(
      [
        "-- Journal begins at Wed 2026-11-25 09:00:00 UTC, ends at Wed 2026-11-25 09:00:02 UTC. --",
        "Nov 25 09:00:00 node01 systemd[1]: Started kubelet: The Kubernetes Node Agent.",
        'Nov 25 09:00:02 node01 kubelet[1000]: I1125 09:00:02.000000    1000 kubelet.go:2469] "SyncLoop ADD" source="api" pods=[]',
        "",
      ].join("\n"),
    );
    expect((await t.run("node01", ["journalctl", "-u", "kubelet", "-n", "1", "-q"])).out).toBe(
      'Nov 25 09:00:02 node01 kubelet[1000]: I1125 09:00:02.000000    1000 kubelet.go:2469] "SyncLoop ADD" source="api" pods=[]\n',
    );
    expect((await t.run("node01", ["journalctl", "-u", "containerd"])).out).toBe(
      "-- Journal begins at Wed 2026-11-25 09:00:00 UTC, ends at Wed 2026-11-25 09:00:02 UTC. --\n-- No entries --\n",
    );
  });

  it("follows with -f until aborted", async () => {
    const t = toolCluster();
    const h = t.hosts.get("node02")!;
    h.start("kubelet");
    const ac = new AbortController();
    const running = t.run("node02", ["journalctl", "-fu", "kubelet"], { signal: ac.signal });
    await t.clock.advance(1000);
    h.log("kubelet.service", "kubelet[1000]", "after");
    h.log("containerd.service", "containerd[999]", "not shown");
    ac.abort();
    const r = await running;
    expect(r.code).toBe(0);
    expect(r.out.split("\n").slice(1)).toEqual([
      "Nov 25 09:00:00 node02 systemd[1]: Started kubelet: The Kubernetes Node Agent.",
      "Nov 25 09:00:01 node02 kubelet[1000]: after",
      "",
    ]);
  });
});

describe("hostname and ssh targets", () => {
  it("prints the node name and IP, and resolves ssh targets by name or IP", async () => {
    const t = toolCluster();
    expect((await t.run("node02", ["hostname"])).out).toBe("node02\n");
    expect((await t.run("node02", ["hostname", "-i"])).out).toBe("172.30.2.3\n");
    expect(resolveNode(t.cluster, "node01")).toBe("node01");
    expect(resolveNode(t.cluster, "root@172.30.1.2")).toBe("master");
    expect(resolveNode(t.cluster, "node03")).toBeUndefined();
  });
});
