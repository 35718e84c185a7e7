// A node's operating system, as far as a lab needs it: systemd units that can
// be started, stopped and restarted (kubelet, containerd), a journal per unit,
// and the node's identity and addresses. Components running "on" the node
// (kubelet, kube-proxy, flannel) register as units; the node tools
// (systemctl, journalctl, crictl, ip…) read and drive this object.
// Leaves out: processes, files and users beyond what the tools show.

import type { Clock } from "../utils/clock.ts";

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
  runner: UnitRunner;
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
  private readonly listeners = new Set<(c: UnitChange) => void>();
  private nextPid = 1000;

  constructor(
    readonly name: string,
    /** The node's InternalIP, e.g. 172.30.1.2. */
    readonly ip: string,
    private readonly clock: Clock,
    private readonly journalLimit = 5_000,
  ) {}

  addUnit(name: string, description: string, runner: UnitRunner): void {
    this.units.set(name, { name, description, state: "inactive", since: this.clock.now(), pid: 0, runner });
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
    u.runner.stop();
    u.state = "inactive";
    u.since = this.clock.now();
    u.pid = 0;
    this.log(u.name, "systemd[1]", `Stopped ${u.description}.`);
    this.emit(u, "stop");
  }

  restart(name: string): void {
    const u = this.mustUnit(name);
    if (u.state === "active") {
      u.runner.stop();
      this.log(u.name, "systemd[1]", `Stopping ${u.description}...`);
      this.log(u.name, "systemd[1]", `${u.name}: Deactivated successfully.`);
      this.log(u.name, "systemd[1]", `Stopped ${u.description}.`);
    }
    this.transition(u, "restart");
  }

  /** Appends to the unit's journal (what `journalctl -u` prints). */
  log(unit: string, ident: string, message: string): void {
    this.journal.push({ time: this.clock.now(), unit, ident, message });
    if (this.journal.length > 2 * this.journalLimit) this.journal.splice(0, this.journal.length - this.journalLimit);
  }

  journalFor(unit?: string): JournalEntry[] {
    const u = unit && !unit.includes(".") ? `${unit}.service` : unit;
    return u ? this.journal.filter((e) => e.unit === u) : [...this.journal];
  }

  /** Unit starts, stops and restarts, for lesson checks ("the kubelet on some node was restarted"). */
  onUnitChange(fn: (c: UnitChange) => void): () => void {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  }

  private transition(u: Unit, action: "start" | "restart"): void {
    u.pid = this.nextPid++;
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
