// A node's operating system, as far as a lab needs it: systemd units that can
// be started, stopped and restarted (kubelet, containerd), a journal per unit,
// and the node's identity and addresses. Components running "on" the node
// (kubelet, kube-proxy, flannel) register as units; the node tools
// (systemctl, journalctl, crictl, ip…) read and drive this object.
// Leaves out: processes, files and users beyond what the tools show.

import type { Clock } from "../utils/clock.ts";
import { flat } from "../utils/flat.ts";

export type UnitState = "active" | "inactive" | "failed" | "activating" | "deactivating";

/** What a systemd unit runs: start and stop are synchronous state changes. */
export interface UnitRunner {
  start(): void;
  stop(): void;
}

export interface JournalEntry {
  /** Cluster time, ms. */
  time: number;
  unit: string;
  /** The process name journalctl prints, e.g. "kubelet[1234]". */
  ident: string;
  message: string;
}

export interface Unit {
  name: string; // "kubelet.service"
  description: string;
  state: UnitState;
  /** Cluster time the unit last entered `state`. */
  since: number;
  pid: number;
  /** The PID the unit ran as before it stopped (`systemctl status` prints it); 0 if never started. */
  lastPid: number;
  /** Started at boot (`systemctl enable`); every unit a node is built with is. */
  enabled: boolean;
  runner: UnitRunner;
}

export type Protocol = "TCP" | "UDP" | "SCTP";

/** Where the node's netfilter tables send a packet addressed to a Service (see src/proxy/proxier.ts). */
export type ServiceRoute =
  | { verdict: "forward"; podIP: string; port: number; service: string }
  /** No endpoints: rejected with icmp-port-unreachable, so the client sees connection refused. */
  | { verdict: "reject"; service: string }
  /** Local traffic policy without a local endpoint: dropped, so the client times out. */
  | { verdict: "drop"; service: string };

/** The Service rules kube-proxy keeps in a node's kernel; they stay when kube-proxy stops. */
export interface ServiceRules {
  route(ip: string, port: number, protocol?: Protocol, opts?: { clientIP?: string }): ServiceRoute | undefined;
}

/** A network interface as `ip addr` shows it. */
export interface NetInterface {
  name: string; // "eth0", "cni0", "flannel.1", "veth1a2b3c4d@if2"
  /** Address with prefix, e.g. 10.244.1.1/24; undefined for an interface without IPv4. */
  cidr?: string;
  mtu: number;
  mac: string;
  state: "UP" | "DOWN" | "UNKNOWN";
  /** Who added it: "system", "flannel", "cni". */
  owner: string;
}

export interface UnitChange {
  node: string;
  unit: string;
  action: "start" | "stop" | "restart";
  time: number;
}

export class Host {
  private readonly units = new Map<string, Unit>();
  private readonly journal: JournalEntry[] = [];
  /** One string per process name ("kubelet[1234]"), however many lines carry it. */
  private readonly idents = new Map<string, string>();
  private readonly listeners = new Set<(c: UnitChange) => void>();
  private readonly journalListeners = new Set<(e: JournalEntry) => void>();
  private readonly netifs = new Map<string, NetInterface>();
  private nextPid = 1000;
  /** kube-proxy installs its rules here; curl on this node consults them. They outlive kube-proxy, as iptables rules do. */
  serviceRules: ServiceRules | undefined;

  constructor(
    readonly name: string,
    /** The node's InternalIP, e.g. 172.30.1.2. */
    readonly ip: string,
    private readonly clock: Clock,
    private readonly journalLimit = 5_000,
  ) {}

  addUnit(name: string, description: string, runner: UnitRunner): void {
    this.units.set(name, { name, description, state: "inactive", since: this.clock.now(), pid: 0, lastPid: 0, enabled: true, runner });
  }

  unit(name: string): Unit | undefined {
    return this.units.get(name.endsWith(".service") ? name : `${name}.service`);
  }

  listUnits(): Unit[] {
    return [...this.units.values()];
  }

  start(name: string): void {
    const u = this.mustUnit(name);
    if (u.state === "active") return;
    this.transition(u, "start");
  }

  stop(name: string): void {
    const u = this.mustUnit(name);
    if (u.state !== "active") return;
    this.log(u.name, "systemd[1]", `Stopping ${u.description}...`);
    u.runner.stop();
    u.state = "inactive";
    u.since = this.clock.now();
    u.pid = 0;
    this.log(u.name, "systemd[1]", `${u.name}: Deactivated successfully.`);
    this.log(u.name, "systemd[1]", `Stopped ${u.description}.`);
    this.emit(u, "stop");
  }

  /** `systemctl enable|disable`: whether the unit starts at boot; changes nothing now. */
  setEnabled(name: string, enabled: boolean): void {
    this.mustUnit(name).enabled = enabled;
  }

  restart(name: string): void {
    const u = this.mustUnit(name);
    if (u.state === "active") {
      this.log(u.name, "systemd[1]", `Stopping ${u.description}...`);
      u.runner.stop();
      this.log(u.name, "systemd[1]", `${u.name}: Deactivated successfully.`);
      this.log(u.name, "systemd[1]", `Stopped ${u.description}.`);
    }
    this.transition(u, "restart");
  }

  /** Appends to the unit's journal (what `journalctl -u` prints). */
  log(unit: string, ident: string, message: string): void {
    // Lines are built from pieces (klog's header, the message) and kept until the journal rotates: store them flat.
    let id = this.idents.get(ident);
    if (id === undefined) this.idents.set(ident, (id = flat(ident)));
    const entry: JournalEntry = { time: this.clock.now(), unit, ident: id, message: flat(message) };
    this.journal.push(entry);
    for (const l of this.journalListeners) l(entry);
    if (this.journal.length > 2 * this.journalLimit) this.journal.splice(0, this.journal.length - this.journalLimit);
  }

  /** New journal entries as they are written (`journalctl -f`). */
  onLog(fn: (e: JournalEntry) => void): () => void {
    this.journalListeners.add(fn);
    return () => void this.journalListeners.delete(fn);
  }

  journalFor(unit?: string): JournalEntry[] {
    const u = unit && !unit.includes(".") ? `${unit}.service` : unit;
    return u ? this.journal.filter((e) => e.unit === u) : [...this.journal];
  }

  /** Adds or replaces a network interface (flannel's flannel.1, the bridge cni0, pod veths). */
  setInterface(iface: NetInterface): void {
    this.netifs.set(iface.name, iface);
  }

  removeInterface(name: string): void {
    this.netifs.delete(name);
  }

  /** Interfaces in the order they were added, as `ip addr` numbers them. */
  interfaces(): NetInterface[] {
    return [...this.netifs.values()];
  }

  /** Unit starts, stops and restarts, for lesson checks ("the kubelet on some node was restarted"). */
  onUnitChange(fn: (c: UnitChange) => void): () => void {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  }

  private transition(u: Unit, action: "start" | "restart"): void {
    u.pid = this.nextPid++;
    u.lastPid = u.pid;
    u.state = "active";
    u.since = this.clock.now();
    this.log(u.name, "systemd[1]", `Started ${u.description}.`);
    u.runner.start();
    this.emit(u, action);
  }

  private emit(u: Unit, action: UnitChange["action"]): void {
    const change: UnitChange = { node: this.name, unit: u.name, action, time: this.clock.now() };
    for (const l of this.listeners) l(change);
  }

  private mustUnit(name: string): Unit {
    const u = this.unit(name);
    if (!u) throw new Error(`Unit ${name.endsWith(".service") ? name : `${name}.service`} not found.`);
    return u;
  }
}
