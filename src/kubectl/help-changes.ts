// How each bundled kubectl (1.27–1.33) words the help texts the lab stores in
// 1.32's wording (help-text*.ts): the changes each release made to the help of
// the commands implemented here, measured by diffing `kubectl.1.N X --help`
// with `kubectl.1.(N-1) X --help` for every such command. A client newer than
// 1.32 applies the changes up to its own release; an older one undoes them,
// newest first, down to its own. Leaves out commands the lab does not implement.

import type { ClientBehaviour } from "./clientversion.ts";

/** In the help of the commands `in` ("" is `kubectl` itself), the release turned `before` into `after`. */
interface HelpChange {
  in: string[];
  before: string;
  after: string;
}

/** The help texts' wording is 1.32's. */
const STORED = 32;

/** By the release that made them. Each `before`/`after` occurs once in its help text, so it rewrites exactly the lines that changed. */
const CHANGES: Record<number, HelpChange[]> = {
  33: [
    { in: ["get", "describe", "create", "delete", "scale", "logs", "rollout status", "rollout history", "rollout undo", "rollout restart", "rollout pause", "rollout resume", "cordon", "uncordon", "drain", "taint", "top node", "top pod", "apply", "label", "annotate", "set resources", "set image", "set env"], before: "\tSelector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints.\n", after: "\tSelector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.\n" },
    { in: ["get"], before: "\tIf specified, gets the subresource of the requested object. This flag is beta and may change in the future.\n", after: "\tIf specified, gets the subresource of the requested object.\n" },
    { in: ["explain"], before: "\tUse given api-version (group/version) of the resource.\n", after: "\tGet different explanations for particular API version (API group/version)\n" },
    { in: ["explain"], before: "    -o, --output='plaintext':\n\tFormat in which to render the schema. Valid values are: (plaintext, plaintext-openapiv2).\n", after: "    --output='plaintext':\n\tFormat in which to render the schema (plaintext, plaintext-openapiv2)\n" },
    { in: ["explain"], before: "\tWhen true, print the name of all the fields recursively. Otherwise, print the available fields with their description.\n", after: "\tPrint the fields of fields (Currently only 1 level deep)\n" },
    { in: ["apply"], before: "\tIf specified, apply will operate on the subresource of the requested object.  Only allowed when using --server-side. This flag is beta and may change in the future.\n", after: "\tIf specified, apply will operate on the subresource of the requested object.  Only allowed when using --server-side.\n" },
    { in: ["replace"], before: "\tIf specified, replace will operate on the subresource of the requested object. This flag is beta and may change in the future.\n", after: "\tIf specified, replace will operate on the subresource of the requested object.\n" },
    { in: ["patch"], before: "\tIf specified, patch will operate on the subresource of the requested object. This flag is beta and may change in the future.\n", after: "\tIf specified, patch will operate on the subresource of the requested object.\n" },
    { in: ["edit"], before: "\tIf specified, edit will operate on the subresource of the requested object. This flag is beta and may change in the future.\n", after: "\tIf specified, edit will operate on the subresource of the requested object.\n" },
  ],
  32: [
    { in: ["get"], before: "\tIf specified, gets the subresource of the requested object. Must be one of [status scale]. This flag is beta and may change in the future.\n", after: "\tIf specified, gets the subresource of the requested object. This flag is beta and may change in the future.\n" },
    { in: ["create", "create deployment", "create namespace", "taint", "apply", "replace", "edit", "create service clusterip", "create service nodeport", "create service loadbalancer", "create service externalname", "create configmap", "create secret generic", "create secret tls", "create secret docker-registry", "create serviceaccount"], before: "\tMust be one of: strict (or true), warn, ignore (or false). \t\t\"true\" or \"strict\" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. \t\t\"warn\" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as \"ignore\" otherwise. \t\t\"false\" or \"ignore\" will not perform any schema validation, silently dropping any unknown or duplicate fields.\n", after: "\tMust be one of: strict (or true), warn, ignore (or false). \"true\" or \"strict\" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. \"warn\" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as \"ignore\" otherwise. \"false\" or \"ignore\" will not perform any schema validation, silently dropping any unknown or duplicate fields.\n" },
    { in: ["delete"], before: "", after: "  \n  # Delete all pods only if the user confirms the deletion\n  kubectl delete pods --all --interactive\n" },
    { in: ["logs"], before: "", after: "  # Return snapshot logs from pod nginx, prefixing each line with the source pod and container name\n  kubectl logs nginx --prefix\n  \n  # Return snapshot logs from pod nginx, limiting output to 500 bytes\n  kubectl logs nginx --limit-bytes=500\n  \n  # Return snapshot logs from pod nginx, waiting up to 20 seconds for it to start running.\n  kubectl logs nginx --pod-running-timeout=20s\n  \n" },
    { in: ["logs"], before: "", after: "  # Return snapshot logs from all pods in the deployment nginx\n  kubectl logs deployment/nginx --all-pods=true\n  \n" },
    { in: ["logs"], before: "", after: "  # Return snapshot logs from all pods defined by label app=nginx, limiting concurrent log requests to 10 pods\n  kubectl logs -l app=nginx --max-log-requests=10\n  \n" },
    { in: ["logs"], before: "", after: "  # Begin streaming the logs from pod nginx, continuing even if errors occur\n  kubectl logs nginx -f --ignore-errors=true\n  \n" },
    { in: ["logs"], before: "", after: "  # Show all logs with timestamps from pod nginx starting from August 30, 2024, at 06:00:00 UTC\n  kubectl logs nginx --since-time=2024-08-30T06:00:00Z --timestamps=true\n  \n" },
    { in: ["wait"], before: " Alternatively, the command can wait for the given set of resources to be deleted by providing the \"delete\" keyword as the value to the --for flag.\n", after: " Alternatively, the command can wait for the given set of resources to be created or deleted by providing the \"create\" or \"delete\" keyword as the value to the --for flag.\n" },
    { in: ["wait"], before: "", after: "  # Wait for the secret \"busybox1\" to be created, with a timeout of 30s\n  kubectl create secret generic busybox1\n  kubectl wait --for=create secret/busybox1 --timeout=30s\n  \n" },
    { in: ["wait"], before: "\tThe condition to wait on: [delete|condition=condition-name[=condition-value]|jsonpath='{JSONPath expression}'=[JSONPath value]]. The default condition-value is true.  Condition values are compared after Unicode simple case folding, which is a more general form of case-insensitivity.\n", after: "\tThe condition to wait on: [create|delete|condition=condition-name[=condition-value]|jsonpath='{JSONPath expression}'=[JSONPath value]]. The default condition-value is true. Condition values are compared after Unicode simple case folding, which is a more general form of case-insensitivity.\n" },
    { in: ["wait"], before: "\tThe length of time to wait before giving up.  Zero means check once and don't wait, negative means wait for a week.\n", after: "\tThe length of time to wait before giving up. Zero means check once and don't wait, negative means wait for a week.\n" },
    { in: ["wait"], before: "  kubectl wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=delete|--for condition=available|--for=jsonpath='{}'[=value]] [options]\n", after: "  kubectl wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=create|--for=delete|--for condition=available|--for=jsonpath='{}'[=value]] [options]\n" },
    { in: ["explain"], before: "    --output='plaintext':\n", after: "    -o, --output='plaintext':\n" },
    { in: ["explain"], before: "  kubectl explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [--output=plaintext|plaintext-openapiv2] [options]\n", after: "  kubectl explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [-o|--output=plaintext|plaintext-openapiv2] [options]\n" },
    { in: ["apply"], before: "", after: "    --subresource='':\n\tIf specified, apply will operate on the subresource of the requested object.  Only allowed when using --server-side. This flag is beta and may change in the future.\n\n" },
    { in: ["replace"], before: "\tIf specified, replace will operate on the subresource of the requested object. Must be one of [status scale]. This flag is beta and may change in the future.\n", after: "\tIf specified, replace will operate on the subresource of the requested object. This flag is beta and may change in the future.\n" },
    { in: ["patch"], before: "\tIf specified, patch will operate on the subresource of the requested object. Must be one of [status scale]. This flag is beta and may change in the future.\n", after: "\tIf specified, patch will operate on the subresource of the requested object. This flag is beta and may change in the future.\n" },
    { in: ["edit"], before: "\tIf specified, edit will operate on the subresource of the requested object. Must be one of [status]. This flag is beta and may change in the future.\n", after: "\tIf specified, edit will operate on the subresource of the requested object. This flag is beta and may change in the future.\n" },
  ],
  31: [
    { in: ["get"], before: " Prints a table of the most important information about the specified resources. You can filter the list using a label selector and the --selector flag. If the desired resource type is namespaced you will only see results in your current namespace unless you pass --all-namespaces.\n", after: " Prints a table of the most important information about the specified resources. You can filter the list using a label selector and the --selector flag. If the desired resource type is namespaced you will only see results in the current namespace if you don't specify any namespace.\n" },
    { in: ["get"], before: "", after: "  \n  # List all deployments in namespace 'backend'\n  kubectl get deployments.apps --namespace backend\n  \n  # List all pods existing in all namespaces\n  kubectl get pods --all-namespaces\n" },
    { in: ["run"], before: "", after: "    --cascade='background':\n\tMust be \"background\", \"orphan\", or \"foreground\". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background.\n\n" },
    { in: ["run"], before: "", after: "    -f, --filename=[]:\n\tto use to replace the resource.\n\n    --force=false:\n\tIf true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation.\n\n    --grace-period=-1:\n\tPeriod of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion).\n\n" },
    { in: ["run"], before: "", after: "    -k, --kustomize='':\n\tProcess a kustomization directory. This flag can't be used together with -f or -R.\n\n" },
    { in: ["run"], before: "", after: "    -R, --recursive=false:\n\tProcess the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.\n\n" },
    { in: ["run"], before: "", after: "    --timeout=0s:\n\tThe length of time to wait before giving up on a delete, zero means determine a timeout from the size of the object\n\n" },
    { in: ["run"], before: "", after: "    --wait=false:\n\tIf true, wait for resources to be gone before returning. This waits for finalizers.\n\n" },
    { in: ["logs"], before: "", after: "    --all-pods=false:\n\tGet logs from all pod(s). Sets prefix to true.\n\n" },
    { in: ["rollout restart"], before: "  # Restart all deployments in test-namespace namespace\n", after: "  # Restart all deployments in the test-namespace namespace\n" },
    { in: ["wait"], before: "  # Wait for the service \"loadbalancer\" to have ingress.\n", after: "  # Wait for the service \"loadbalancer\" to have ingress\n" },
    { in: ["auth can-i"], before: "  # Check to see if service account \"foo\" of namespace \"dev\" can list pods\n  # in the namespace \"prod\".\n  # You must be allowed to use impersonation for the global option \"--as\".\n", after: "  # Check to see if service account \"foo\" of namespace \"dev\" can list pods in the namespace \"prod\"\n  # You must be allowed to use impersonation for the global option \"--as\"\n" },
    { in: ["auth can-i"], before: "", after: "  # Check to see if I can approve certificates.k8s.io\n  kubectl auth can-i approve certificates.k8s.io\n  \n" },
    { in: ["auth whoami"], before: "  # Get your subject attributes.\n", after: "  # Get your subject attributes\n" },
    { in: ["auth whoami"], before: "  # Get your subject attributes in JSON format.\n", after: "  # Get your subject attributes in JSON format\n" },
    { in: ["create secret docker-registry"], before: "  kubectl create secret docker-registry my-secret --from-file=.dockerconfigjson=path/to/.docker/config.json\n", after: "  kubectl create secret docker-registry my-secret --from-file=path/to/.docker/config.json\n" },
    { in: ["create secret docker-registry"], before: "\tKey files can be specified using their file path, in which case a default name will be given to them, or optionally with a name and file path, in which case the given name will be used.  Specifying a directory will iterate each named file in the directory that is a valid secret key.\n", after: "\tKey files can be specified using their file path, in which case a default name of .dockerconfigjson will be given to them, or optionally with a name and file path, in which case the given name will be used. Specifying a directory will iterate each named file in the directory that is a valid secret key. For this command, the key should always be .dockerconfigjson.\n" },
  ],
  30: [
    { in: ["create deployment"], before: "", after: "  \n  # Create a deployment named my-dep that runs multiple containers\n  kubectl create deployment my-dep --image=busybox:latest --image=ubuntu:latest --image=nginx\n" },
    { in: ["create deployment"], before: "\tImage names to run.\n", after: "\tImage names to run. A deployment can have multiple images set for multi-container pod.\n" },
    { in: ["create deployment"], before: "\tThe port that this container exposes.\n", after: "\tThe containerPort that this deployment exposes.\n" },
    { in: ["delete"], before: "\tIf true, delete resource only when user confirms. This flag is in Alpha.\n", after: "\tIf true, delete resource only when user confirms.\n" },
    { in: ["create secret tls"], before: "  kubectl create secret tls tls-secret --cert=path/to/tls.cert --key=path/to/tls.key\n", after: "  kubectl create secret tls tls-secret --cert=path/to/tls.crt --key=path/to/tls.key\n" },
  ],
  29: [
    { in: [""], before: "", after: "Subcommands provided by plugins:\n\n" },
    { in: ["delete"], before: "", after: "    -i, --interactive=false:\n\tIf true, delete resource only when user confirms. This flag is in Alpha.\n\n" },
    { in: ["rollout restart"], before: "", after: "  # Restart all deployments in test-namespace namespace\n  kubectl rollout restart deployment -n test-namespace\n  \n" },
    { in: ["wait"], before: "", after: "  # Wait for pod \"busybox1\" to be Ready\n  kubectl wait --for='jsonpath={.status.conditions[?(@.type==\"Ready\")].status}=True' pod/busybox1\n  \n" },
  ],
  28: [
    { in: [""], before: "  certificate     Modify certificate resources.\n", after: "  certificate     Modify certificate resources\n" },
    { in: ["get"], before: "  # List status subresource for a single pod.\n", after: "  # List the 'status' subresource for a single pod\n" },
    { in: ["describe"], before: "  $ kubectl describe TYPE NAME_PREFIX\n  \n", after: "        $ kubectl describe TYPE NAME_PREFIX\n        \n" },
    { in: ["describe"], before: "  kubectl describe po -l name=myLabel\n", after: "  kubectl describe pods -l name=myLabel\n" },
    { in: ["create"], before: "  secret                Create a secret using specified subcommand\n", after: "  secret                Create a secret using a specified subcommand\n" },
    { in: ["create"], before: "Use \"kubectl <command> --help\" for more information about a given command.\n", after: "Use \"kubectl create <command> --help\" for more information about a given command.\n" },
    { in: ["delete"], before: "  # Delete resources from all files that end with '.json' - i.e. expand wildcard characters in file names\n", after: "  # Delete resources from all files that end with '.json'\n" },
    { in: ["scale"], before: "  kubectl scale --replicas=5 rc/foo rc/bar rc/baz\n", after: "  kubectl scale --replicas=5 rc/example1 rc/example2 rc/example3\n" },
    { in: ["cluster-info"], before: "Use \"kubectl <command> --help\" for more information about a given command.\n", after: "Use \"kubectl cluster-info <command> --help\" for more information about a given command.\n" },
    { in: ["api-resources"], before: "\tLimit to resources that belong the the specified categories.\n", after: "\tLimit to resources that belong to the specified categories.\n" },
    { in: ["rollout"], before: "  \n", after: "        \n" },
    { in: ["rollout"], before: "  # Restart deployments with the app=nginx label\n", after: "  # Restart deployments with the 'app=nginx' label\n" },
    { in: ["rollout"], before: "Use \"kubectl <command> --help\" for more information about a given command.\n", after: "Use \"kubectl rollout <command> --help\" for more information about a given command.\n" },
    { in: ["rollout restart"], before: "  Resource rollout will be restarted.\n", after: "        Resource rollout will be restarted.\n" },
    { in: ["drain"], before: "  # Drain node \"foo\", even if there are pods not managed by a replication controller, replica set, job, daemon set or stateful set on it\n", after: "  # Drain node \"foo\", even if there are pods not managed by a replication controller, replica set, job, daemon set, or stateful set on it\n" },
    { in: ["drain"], before: "  # As above, but abort if there are pods not managed by a replication controller, replica set, job, daemon set or stateful set, and use a grace period of 15 minutes\n", after: "  # As above, but abort if there are pods not managed by a replication controller, replica set, job, daemon set, or stateful set, and use a grace period of 15 minutes\n" },
    { in: ["taint"], before: "  # Add a taint with key 'dedicated' on nodes having label mylabel=X\n", after: "  # Add a taint with key 'dedicated' on nodes having label myLabel=X\n" },
    { in: ["wait"], before: "  # The default value of status condition is true; you can wait for other targets after an equal delimiter (compared after Unicode simple case folding, which is a more general form of case-insensitivity):\n", after: "  # The default value of status condition is true; you can wait for other targets after an equal delimiter (compared after Unicode simple case folding, which is a more general form of case-insensitivity)\n" },
    { in: ["wait"], before: "  # Wait for the pod \"busybox1\" to contain the status phase to be \"Running\".\n", after: "  # Wait for the pod \"busybox1\" to contain the status phase to be \"Running\"\n" },
    { in: ["wait"], before: "", after: "  # Wait for the service \"loadbalancer\" to have ingress.\n  kubectl wait --for=jsonpath='{.status.loadBalancer.ingress}' service/loadbalancer\n  \n" },
    { in: ["wait"], before: "\tThe condition to wait on: [delete|condition=condition-name[=condition-value]|jsonpath='{JSONPath expression}'=JSONPath Condition]. The default condition-value is true.  Condition values are compared after Unicode simple case folding, which is a more general form of case-insensitivity.\n", after: "\tThe condition to wait on: [delete|condition=condition-name[=condition-value]|jsonpath='{JSONPath expression}'=[JSONPath value]]. The default condition-value is true.  Condition values are compared after Unicode simple case folding, which is a more general form of case-insensitivity.\n" },
    { in: ["wait"], before: "  kubectl wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=delete|--for condition=available|--for=jsonpath='{}'=value] [options]\n", after: "  kubectl wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=delete|--for condition=available|--for=jsonpath='{}'[=value]] [options]\n" },
    { in: ["top"], before: "Display Resource (CPU/Memory) usage.\n", after: "Display resource (CPU/memory) usage.\n" },
    { in: ["top"], before: "Use \"kubectl <command> --help\" for more information about a given command.\n", after: "Use \"kubectl top <command> --help\" for more information about a given command.\n" },
    { in: ["auth"], before: "Inspect authorization\n", after: "Inspect authorization.\n" },
    { in: ["auth"], before: "Use \"kubectl <command> --help\" for more information about a given command.\n", after: "Use \"kubectl auth <command> --help\" for more information about a given command.\n" },
    { in: ["auth whoami"], before: "  This command is helpful to get yourself aware of the current user attributes,\n  especially when dynamic authentication, e.g., token webhook, auth proxy, or OIDC provider,\n  is enabled in the Kubernetes cluster.\n", after: "        This command is helpful to get yourself aware of the current user attributes,\n        especially when dynamic authentication, e.g., token webhook, auth proxy, or OIDC provider,\n        is enabled in the Kubernetes cluster.\n" },
    { in: ["config"], before: "Modify kubeconfig files using subcommands like \"kubectl config set current-context my-context\"\n", after: "Modify kubeconfig files using subcommands like \"kubectl config set current-context my-context\".\n" },
    { in: ["config"], before: "Use \"kubectl <command> --help\" for more information about a given command.\n", after: "Use \"kubectl config <command> --help\" for more information about a given command.\n" },
    { in: ["config view"], before: "  # Show merged kubeconfig settings and raw certificate data and exposed secrets\n", after: "  # Show merged kubeconfig settings, raw certificate data, and exposed secrets\n" },
    { in: ["explain"], before: "List the fields for supported resources.\n", after: "Describe fields and structure of various resources.\n" },
    { in: ["explain"], before: "  <type>.<fieldName>[.<fieldName>]\n  \n Add the --recursive flag to display all of the fields at once without descriptions. Information about each field is retrieved from the server in OpenAPI format.\n", after: "        <type>.<fieldName>[.<fieldName>]\n        \n Information about each field is retrieved from the server in OpenAPI format.\n" },
    { in: ["explain"], before: "", after: "  # Get all the fields in the resource\n  kubectl explain pods --recursive\n  \n  # Get the explanation for deployment in supported api versions\n  kubectl explain deployments --api-version=apps/v1\n  \n" },
    { in: ["explain"], before: "", after: "  \n  # Get the documentation of resources in different format\n  kubectl explain deployment --output=plaintext-openapiv2\n" },
    { in: ["explain"], before: "\tGet different explanations for particular API version (API group/version)\n", after: "\tUse given api-version (group/version) of the resource.\n" },
    { in: ["explain"], before: "\tFormat in which to render the schema (plaintext, plaintext-openapiv2)\n", after: "\tFormat in which to render the schema. Valid values are: (plaintext, plaintext-openapiv2).\n" },
    { in: ["explain"], before: "\tPrint the fields of fields (Currently only 1 level deep)\n", after: "\tWhen true, print the name of all the fields recursively. Otherwise, print the available fields with their description.\n" },
    { in: ["explain"], before: "  kubectl explain RESOURCE [options]\n", after: "  kubectl explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [--output=plaintext|plaintext-openapiv2] [options]\n" },
    { in: ["apply"], before: "  # Apply the configuration from all files that end with '.json' - i.e. expand wildcard characters in file names\n", after: "  # Apply the configuration from all files that end with '.json'\n" },
    { in: ["apply"], before: "Use \"kubectl <command> --help\" for more information about a given command.\n", after: "Use \"kubectl apply <command> --help\" for more information about a given command.\n" },
    { in: ["replace"], before: "  $ kubectl get TYPE NAME -o yaml\n", after: "        $ kubectl get TYPE NAME -o yaml\n" },
    { in: ["patch"], before: "  # Update a deployment's replicas through the scale subresource using a merge patch.\n", after: "  # Update a deployment's replicas through the 'scale' subresource using a merge patch\n" },
    { in: ["set"], before: "Use \"kubectl <command> --help\" for more information about a given command.\n", after: "Use \"kubectl set <command> --help\" for more information about a given command.\n" },
    { in: ["edit"], before: " The edit command allows you to directly edit any API resource you can retrieve via the command-line tools. It will open the editor defined by your KUBE_EDITOR, or EDITOR environment variables, or fall back to 'vi' for Linux or 'notepad' for Windows. You can edit multiple objects, although changes are applied one at a time. The command accepts file names as well as command-line arguments, although the files you point to must be previously saved versions of resources.\n", after: " The edit command allows you to directly edit any API resource you can retrieve via the command-line tools. It will open the editor defined by your KUBE_EDITOR, or EDITOR environment variables, or fall back to 'vi' for Linux or 'notepad' for Windows. When attempting to open the editor, it will first attempt to use the shell that has been defined in the 'SHELL' environment variable. If this is not defined, the default shell will be used, which is '/bin/bash' for Linux or 'cmd' for Windows.\n\n You can edit multiple objects, although changes are applied one at a time. The command accepts file names as well as command-line arguments, although the files you point to must be previously saved versions of resources.\n" },
    { in: ["edit"], before: "  # Edit the deployment/mydeployment's status subresource\n", after: "  # Edit the 'status' subresource for the 'mydeployment' deployment\n" },
    { in: ["set image", "set env"], before: "  pod (po), replicationcontroller (rc), deployment (deploy), daemonset (ds), statefulset (sts), cronjob (cj), replicaset (rs)\n", after: "        pod (po), replicationcontroller (rc), deployment (deploy), daemonset (ds), statefulset (sts), cronjob (cj), replicaset (rs)\n" },
    { in: ["completion"], before: "  for macOS:\n  https://kubernetes.io/docs/tasks/tools/install-kubectl-macos/#enable-shell-autocompletion\n  \n  for linux:\n  https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/#enable-shell-autocompletion\n  \n  for windows:\n  https://kubernetes.io/docs/tasks/tools/install-kubectl-windows/#enable-shell-autocompletion\n  \n", after: "        for macOS:\n        https://kubernetes.io/docs/tasks/tools/install-kubectl-macos/#enable-shell-autocompletion\n        \n        for linux:\n        https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/#enable-shell-autocompletion\n        \n        for windows:\n        https://kubernetes.io/docs/tasks/tools/install-kubectl-windows/#enable-shell-autocompletion\n        \n" },
    { in: ["completion"], before: "  # Kubectl shell completion\n", after: "  # kubectl shell completion\n" },
    { in: ["create service"], before: "Use \"kubectl <command> --help\" for more information about a given command.\n", after: "Use \"kubectl create service <command> --help\" for more information about a given command.\n" },
    { in: ["create secret"], before: "Create a secret using specified subcommand.\n", after: "Create a secret with specified type.\n\n A docker-registry type secret is for accessing a container registry.\n\n A generic type secret indicate an Opaque secret type.\n\n A tls type secret holds TLS certificate and its associated key.\n" },
    { in: ["create secret"], before: "  kubectl create secret [flags] [options]\n", after: "  kubectl create secret (docker-registry | generic | tls) [options]\n" },
    { in: ["create secret"], before: "Use \"kubectl <command> --help\" for more information about a given command.\n", after: "Use \"kubectl create secret <command> --help\" for more information about a given command.\n" },
    { in: ["create secret docker-registry"], before: "  \n  Dockercfg secrets are used to authenticate against Docker registries.\n  \n  When using the Docker command line to push images, you can authenticate to a given registry by running:\n  '$ docker login DOCKER_REGISTRY_SERVER --username=DOCKER_USER --password=DOCKER_PASSWORD --email=DOCKER_EMAIL'.\n  \n", after: "        \n        Dockercfg secrets are used to authenticate against Docker registries.\n        \n        When using the Docker command line to push images, you can authenticate to a given registry by running:\n        '$ docker login DOCKER_REGISTRY_SERVER --username=DOCKER_USER --password=DOCKER_PASSWORD --email=DOCKER_EMAIL'.\n        \n" },
    { in: ["create secret docker-registry"], before: "  When creating applications, you may have a Docker registry that requires authentication.  In order for the\n  nodes to pull images on your behalf, they must have the credentials.  You can provide this information\n  by creating a dockercfg secret and attaching it to your service account.\n", after: "        When creating applications, you may have a Docker registry that requires authentication.  In order for the\n        nodes to pull images on your behalf, they must have the credentials.  You can provide this information\n        by creating a dockercfg secret and attaching it to your service account.\n" },
    { in: ["create secret docker-registry"], before: "  # If you don't already have a .dockercfg file, you can create a dockercfg secret directly by using:\n", after: "  # If you do not already have a .dockercfg file, create a dockercfg secret directly\n" },
  ],
};

/** The help text stored for `path` (in 1.32's wording) as the given client prints it. */
export function helpForClient(path: string, text: string, client: ClientBehaviour): string {
  let out = text;
  const releases = Object.keys(CHANGES).map(Number);
  // Forward from 1.32 to a newer client, oldest change first.
  for (const n of releases.filter((r) => r > STORED && r <= client.minor).sort((a, b) => a - b)) out = rewrite(out, path, n, "forward");
  // Back from 1.32 to an older client, newest change first.
  for (const n of releases.filter((r) => r <= STORED && r > client.minor).sort((a, b) => b - a)) out = rewrite(out, path, n, "back");
  return out;
}

function rewrite(text: string, path: string, release: number, way: "forward" | "back"): string {
  let out = text;
  for (const c of CHANGES[release]!) {
    if (!c.in.includes(path)) continue;
    const [from, to] = way === "forward" ? [c.before, c.after] : [c.after, c.before];
    // A function, so that "$" in a help text is not read as a replacement pattern.
    out = out.replace(from, () => to);
  }
  return out;
}
