// Help texts: the first lines of what `kubectl <command> --help` prints
// (measured from kubectl v1.32), and a pointer to the full reference. The
// complete option lists are not reproduced.

const SUMMARIES: Record<string, string> = {
  get: "Display one or many resources.",
  describe: "Show details of a specific resource or group of resources.",
  run: "Create and run a particular image in a pod.",
  "create deployment": "Create a deployment with the specified name.",
  "create namespace": "Create a namespace with the specified name.",
  create: "Create a resource from a file or from stdin.",
  delete: "Delete resources by file names, stdin, resources and names, or by resources and label selector.",
  scale: "Set a new size for a deployment, replica set, replication controller, or stateful set.",
  logs: "Print the logs for a container in a pod or specified resource. If the pod has only one container, the container name is optional.",
  version: "Print the client and server version information for the current context.",
  "cluster-info":
    "Display addresses of the control plane and services with label kubernetes.io/cluster-service=true. To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.",
  "api-resources": "Print the supported API resources on the server.",
};

export function commandHelp(path: string): string {
  const summary = SUMMARIES[path] ?? `kubectl ${path}`;
  return `${summary}\n\nUse "kubectl options" for a list of global command-line options (applies to all commands).\n`;
}

export function rootHelp(): string {
  return (
    "kubectl controls the Kubernetes cluster manager.\n\n" +
    " Find more information at: https://kubernetes.io/docs/reference/kubectl/\n\n" +
    "Basic Commands (Beginner):\n" +
    "  create          Create a resource from a file or from stdin\n" +
    "  expose          Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service\n" +
    "  run             Run a particular image on the cluster\n" +
    "  set             Set specific features on objects\n\n" +
    "Basic Commands (Intermediate):\n" +
    "  explain         Get documentation for a resource\n" +
    "  get             Display one or many resources\n" +
    "  edit            Edit a resource on the server\n" +
    "  delete          Delete resources by file names, stdin, resources and names, or by resources and label selector\n\n" +
    'Use "kubectl <command> --help" for more information about a given command.\n' +
    'Use "kubectl options" for a list of global command-line options (applies to all commands).\n'
  );
}
