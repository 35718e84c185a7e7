// How the apiserver reaches a node's kubelet for pods/log (and exec), as
// kube-apiserver dials the kubelet's port 10250. Each running kubelet
// registers itself in its apiserver's KubeletConnections; a stopped kubelet
// unregisters, so `kubectl logs` then fails as it does against a dead node.

export interface LogOptions {
  container: string;
  follow?: boolean;
  tailLines?: number;
  previous?: boolean;
  sinceSeconds?: number;
  timestamps?: boolean;
}

export interface LogSink {
  write(chunk: string): void;
}

export interface ExecOptions {
  container: string;
  /** argv, as the exec request's repeated command= parameters. */
  command: string[];
  stdin?: boolean;
  tty?: boolean;
}

export interface ExecIO {
  /** The caller's standard input, when the request asked for stdin. */
  stdin?: AsyncIterable<Uint8Array>;
  stdout: LogSink;
  stderr: LogSink;
}

/** The kubelet's /stats/summary, reduced to what metrics-server reads. */
export interface UsageStats {
  /** RFC 3339: when cAdvisor took the sample. */
  time: string;
  usageNanoCores: number;
  workingSetBytes: number;
}

export interface StatsSummary {
  node: { nodeName: string } & UsageStats;
  pods: { podRef: { name: string; namespace: string; uid: string }; containers: ({ name: string; startTime: string } & UsageStats)[] }[];
}

export interface KubeletClient {
  /** /stats/summary: the node's and each running container's CPU and memory usage. */
  statsSummary(): Promise<StatsSummary>;
  /**
   * Runs a command in a running container (the kubelet's /exec): writes its
   * output to io and resolves with its exit code. Throws StatusError when the
   * pod or a running container is unknown to this kubelet.
   */
  exec(namespace: string, pod: string, opts: ExecOptions, io: ExecIO, signal: AbortSignal): Promise<number>;
  /**
   * Writes the container's log to out. With follow, keeps writing until
   * signal aborts or the container stops. Throws StatusError when the pod or
   * container is unknown to this kubelet.
   */
  containerLogs(namespace: string, pod: string, opts: LogOptions, out: LogSink, signal: AbortSignal): Promise<void>;
}

export class KubeletConnections {
  private readonly byNode = new Map<string, KubeletClient>();

  register(node: string, client: KubeletClient): () => void {
    this.byNode.set(node, client);
    return () => {
      if (this.byNode.get(node) === client) this.byNode.delete(node);
    };
  }

  get(node: string): KubeletClient | undefined {
    return this.byNode.get(node);
  }

  /** The nodes whose kubelet is reachable now. */
  nodes(): string[] {
    return [...this.byNode.keys()];
  }
}
