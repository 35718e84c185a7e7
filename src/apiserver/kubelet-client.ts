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

export interface KubeletClient {
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
}
