// What commands get their cluster access from, after kubectl's cmdutil.Factory
// and clientcmd: the kubeconfig (or --kubeconfig/--context/--server/--token),
// the namespace (-n, else the context's, else "default"), one REST client and
// one discovery cache per process.
// Leaves out client certificates and impersonation (--as is accepted, unused).

import { KubeconfigError, loadKubeconfig, type ResolvedKubeconfig } from "../client/kubeconfig.ts";
import { RestClient } from "../client/rest.ts";
import type { Transport } from "../client/transport.ts";
import type { CommandIO } from "../utils/command.ts";
import { type ClientBehaviour, clientBehaviourFor } from "./clientversion.ts";
import { Discovery } from "./discovery.ts";
import { RawError } from "./errors.ts";
import type { Flags } from "./flags.ts";
import type { KubectlDeps } from "./kubectl.ts";
import { warningTransport } from "./warnings.ts";

export class Factory {
  private readonly io: CommandIO;
  private readonly flags: Flags;
  readonly deps: KubectlDeps;
  private config: ResolvedKubeconfig | undefined;
  private configError: unknown;
  private client: RestClient | undefined;
  private disco: Discovery | undefined;
  private closer: (() => void) | undefined;
  private behaviour: Promise<ClientBehaviour> | undefined;

  constructor(opts: { io: CommandIO; flags: Flags; deps: KubectlDeps }) {
    this.io = opts.io;
    this.flags = opts.flags;
    this.deps = opts.deps;
    try {
      this.config = loadKubeconfig({
        env: this.io.env,
        ...(this.flags.string("kubeconfig") ? { path: this.flags.string("kubeconfig") } : {}),
        ...(this.flags.string("context") ? { context: this.flags.string("context") } : {}),
        ...(this.deps.readFile ? { readFile: this.deps.readFile } : {}),
      });
    } catch (e) {
      this.configError = e;
    }
  }

  /** The server URL kubectl talks to (for messages such as cluster-info's). */
  serverURL(): string | undefined {
    return this.flags.string("server") || this.deps.transport?.server || this.config?.server;
  }

  /** The namespace commands act in, and whether the user chose it with -n. */
  namespace(): { namespace: string; explicit: boolean } {
    const flag = this.flags.string("namespace");
    if (flag) return { namespace: flag, explicit: true };
    return { namespace: this.config?.namespace ?? "default", explicit: false };
  }

  async rest(): Promise<RestClient> {
    if (this.client) return this.client;
    let transport: Transport;
    if (this.deps.transport) transport = this.deps.transport;
    else {
      const server = this.flags.string("server") || this.config?.server;
      if (!server) {
        const e = this.configError;
        if (e instanceof KubeconfigError && !e.message.startsWith("The connection")) throw new Error(e.message);
        throw new RawError("The connection to the server localhost:8080 was refused - did you specify the right host or port?");
      }
      const { httpsTransport } = await import("../client/transport.ts");
      const token = this.flags.string("token") || this.config?.token;
      const t = httpsTransport({
        server,
        ...(this.config?.caPem ? { caPem: this.config.caPem } : {}),
        ...(token ? { token } : {}),
        insecureSkipTLSVerify: this.flags.bool("insecure-skip-tls-verify") || !!this.config?.insecureSkipTLSVerify,
        userAgent: "kubectl/v1.32.5 (linux/amd64) kubernetes/kubelab",
      });
      this.closer = () => t.close();
      transport = t;
    }
    this.client = new RestClient(warningTransport(transport, this.io.stderr), "kubectl/v1.32.5 (linux/amd64) kubernetes/kubelab");
    return this.client;
  }

  async discovery(): Promise<Discovery> {
    if (!this.disco) {
      const rest = await this.rest();
      const warns = (await this.clientBehaviour()).has("shortNameWarning");
      this.disco = new Discovery(rest, warns ? (message) => this.io.stderr.write(`Warning: ${message}\n`) : undefined);
    }
    return this.disco;
  }

  /**
   * The behaviour of the client the lab's dispatcher would run for this
   * server (it asks /version once); 1.32's when the server does not answer.
   */
  clientBehaviour(): Promise<ClientBehaviour> {
    this.behaviour ??= this.rest()
      .then((rest) => rest.get<{ minor?: string }>("/version", { timeout: "32s" }))
      .then((v) => clientBehaviourFor(v.minor), () => clientBehaviourFor(undefined));
    return this.behaviour;
  }

  close(): void {
    this.closer?.();
  }
}
