// `kubectl describe pod`, after describe.go's describePod, describeContainers,
// describeVolumes and DescribePodTemplate (the latter shared with the workload
// describers): the v1.32 section order, container states, conditions with
// their trailing spaces, volumes, QoS, node selectors, tolerations, events.
// Leaves out probes' gRPC form, ephemeral containers and rarely used volume types.

import {
  controllerOf,
  type DescribeContext,
  describeEvents,
  LEVEL_0,
  LEVEL_1,
  LEVEL_2,
  LEVEL_3,
  type Meta,
  PrefixWriter,
  printAnnotationsMultiline,
  printLabelsMultiline,
  printTolerationsMultiline,
  rfc1123z,
  searchEvents,
  since,
  type Toleration,
} from "./describe.ts";
import type { ClientBehaviour } from "../clientversion.ts";

interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  ports?: { containerPort: number; hostPort?: number; protocol?: string }[];
  env?: { name: string; value?: string; valueFrom?: Record<string, { key?: string; name?: string; fieldPath?: string; apiVersion?: string; resource?: string; optional?: boolean }> }[];
  envFrom?: { prefix?: string; configMapRef?: { name: string; optional?: boolean }; secretRef?: { name: string; optional?: boolean } }[];
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[];
  securityContext?: { seccompProfile?: { type: string; localhostProfile?: string } };
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
}

interface Probe {
  exec?: { command: string[] };
  httpGet?: { path?: string; port: number | string; host?: string; scheme?: string };
  tcpSocket?: { port: number | string; host?: string };
  initialDelaySeconds?: number;
  timeoutSeconds?: number;
  periodSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
}

interface ContainerState {
  running?: { startedAt?: string };
  waiting?: { reason?: string; message?: string };
  terminated?: { reason?: string; message?: string; exitCode?: number; signal?: number; startedAt?: string; finishedAt?: string };
}

interface ContainerStatus {
  name: string;
  containerID?: string;
  imageID?: string;
  state?: ContainerState;
  lastState?: ContainerState;
  ready?: boolean;
  restartCount?: number;
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  volumes?: Volume[];
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  priority?: number;
  priorityClassName?: string;
  runtimeClassName?: string;
  serviceAccountName?: string;
  readinessGates?: { conditionType: string }[];
  securityContext?: { seccompProfile?: { type: string; localhostProfile?: string } };
}

interface Volume {
  name: string;
  hostPath?: { path: string; type?: string };
  emptyDir?: { medium?: string; sizeLimit?: string };
  secret?: { secretName?: string; optional?: boolean };
  configMap?: { name?: string; optional?: boolean };
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  projected?: {
    sources?: {
      secret?: { name?: string; optional?: boolean };
      configMap?: { name?: string; optional?: boolean };
      downwardAPI?: unknown;
      serviceAccountToken?: { expirationSeconds?: number };
    }[];
  };
  downwardAPI?: { items?: { path: string; fieldRef?: { fieldPath: string }; resourceFieldRef?: { resource: string } }[] };
}

export interface Pod {
  metadata: Meta;
  spec: PodSpec;
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    hostIP?: string;
    podIP?: string;
    podIPs?: { ip: string }[];
    startTime?: string;
    nominatedNodeName?: string;
    qosClass?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}

const printBool = (b: boolean | undefined) => (b ? "True" : "False");

function describeProbe(p: Probe): string {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 0}s period=${p.periodSeconds ?? 0}s #success=${p.successThreshold ?? 0} #failure=${p.failureThreshold ?? 0}`;
  if (p.exec) return `exec [${p.exec.command.join(" ")}] ${attrs}`;
  if (p.httpGet) {
    const scheme = (p.httpGet.scheme ?? "").toLowerCase();
    const host = `${p.httpGet.host ?? ""}:${p.httpGet.port}`;
    return `http-get ${scheme ? `${scheme}://` : "//"}${host}${p.httpGet.path ?? ""} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ""}:${p.tcpSocket.port} ${attrs}`;
  return `unknown ${attrs}`;
}

function describeStatus(name: string, state: ContainerState | undefined, w: PrefixWriter): void {
  if (state?.running) {
    w.write(LEVEL_2, `${name}:\tRunning\n`);
    w.write(LEVEL_3, `Started:\t${rfc1123z(state.running.startedAt)}\n`);
  } else if (state?.waiting) {
    w.write(LEVEL_2, `${name}:\tWaiting\n`);
    if (state.waiting.reason) w.write(LEVEL_3, `Reason:\t${state.waiting.reason}\n`);
  } else if (state?.terminated) {
    const t = state.terminated;
    w.write(LEVEL_2, `${name}:\tTerminated\n`);
    if (t.reason) w.write(LEVEL_3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(LEVEL_3, `Message:\t${t.message}\n`);
    w.write(LEVEL_3, `Exit Code:\t${t.exitCode ?? 0}\n`);
    if ((t.signal ?? 0) > 0) w.write(LEVEL_3, `Signal:\t${t.signal}\n`);
    w.write(LEVEL_3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(LEVEL_3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else {
    w.write(LEVEL_2, `${name}:\tWaiting\n`);
  }
}

/**
 * EnvValueRetriever: fieldpath.ExtractFieldPathAsString resolves only
 * metadata fields; anything else (spec.nodeName, status.podIP) prints empty.
 */
function fieldValue(pod: Pod, path: string): string {
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (m) return pod.metadata[m[1] as "labels" | "annotations"]?.[m[2]!] ?? "";
  const map: Record<string, string | undefined> = {
    "metadata.name": pod.metadata.name,
    "metadata.namespace": pod.metadata.namespace,
    "metadata.uid": pod.metadata.uid,
  };
  return map[path] ?? "";
}

export function describeContainers(label: string, containers: Container[], statuses: ContainerStatus[] | undefined, w: PrefixWriter, space: string, pod?: Pod): void {
  const byName = new Map((statuses ?? []).map((s) => [s.name, s]));
  w.write(LEVEL_0, `${space}${label}:${containers.length === 0 ? " <none>" : ""}\n`);
  for (const c of containers) {
    const status = byName.get(c.name);
    w.write(LEVEL_1, `${space ? " " : ""}${c.name}:\n`);
    if (status) w.write(LEVEL_2, `Container ID:\t${status.containerID ?? ""}\n`);
    w.write(LEVEL_2, `Image:\t${c.image ?? ""}\n`);
    if (status) w.write(LEVEL_2, `Image ID:\t${status.imageID ?? ""}\n`);
    const ports = (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? "TCP"}`).join(", ");
    const hostPorts = (c.ports ?? []).map((p) => `${p.hostPort ?? 0}/${p.protocol ?? "TCP"}`).join(", ");
    if (ports.includes(",")) w.write(LEVEL_2, `Ports:\t${ports}\n`);
    else w.write(LEVEL_2, `Port:\t${ports || "<none>"}\n`);
    if (hostPorts.includes(",")) w.write(LEVEL_2, `Host Ports:\t${hostPorts}\n`);
    else w.write(LEVEL_2, `Host Port:\t${hostPorts || "<none>"}\n`);
    const cSeccomp = c.securityContext?.seccompProfile;
    if (cSeccomp) {
      w.write(LEVEL_2, `SeccompProfile:\t${cSeccomp.type}\n`);
      if (cSeccomp.type === "Localhost") w.write(LEVEL_3, `LocalhostProfile:\t${cSeccomp.localhostProfile ?? ""}\n`);
    }
    if (c.command?.length) {
      w.write(LEVEL_2, "Command:\n");
      for (const x of c.command) for (const s of x.split("\n")) w.write(LEVEL_3, `${s}\n`);
    }
    if (c.args?.length) {
      w.write(LEVEL_2, "Args:\n");
      for (const x of c.args) for (const s of x.split("\n")) w.write(LEVEL_3, `${s}\n`);
    }
    if (status) {
      describeStatus("State", status.state, w);
      if (status.lastState?.terminated) describeStatus("Last State", status.lastState, w);
      w.write(LEVEL_2, `Ready:\t${printBool(status.ready)}\n`);
      w.write(LEVEL_2, `Restart Count:\t${status.restartCount ?? 0}\n`);
    }
    const limits = c.resources?.limits ?? {};
    const requests = c.resources?.requests ?? {};
    if (Object.keys(limits).length > 0) w.write(LEVEL_2, "Limits:\n");
    for (const k of Object.keys(limits).sort()) w.write(LEVEL_3, `${k}:\t${limits[k]}\n`);
    if (Object.keys(requests).length > 0) w.write(LEVEL_2, "Requests:\n");
    for (const k of Object.keys(requests).sort()) w.write(LEVEL_3, `${k}:\t${requests[k]}\n`);
    if (c.livenessProbe) w.write(LEVEL_2, `Liveness:\t${describeProbe(c.livenessProbe)}\n`);
    if (c.readinessProbe) w.write(LEVEL_2, `Readiness:\t${describeProbe(c.readinessProbe)}\n`);
    if (c.startupProbe) w.write(LEVEL_2, `Startup:\t${describeProbe(c.startupProbe)}\n`);
    if (c.envFrom?.length) {
      w.write(LEVEL_2, "Environment Variables from:\n");
      for (const e of c.envFrom) {
        const [from, ref] = e.configMapRef ? ["ConfigMap", e.configMapRef] : ["Secret", e.secretRef];
        const what = e.prefix ? `${from} with prefix '${e.prefix}'` : from;
        w.write(LEVEL_3, `${ref?.name ?? ""}\t${what}\tOptional: ${!!ref?.optional}\n`);
      }
    }
    w.write(LEVEL_2, `Environment:${c.env?.length ? "" : "\t<none>"}\n`);
    for (const e of c.env ?? []) {
      if (!e.valueFrom) {
        (e.value ?? "").split("\n").forEach((s, i) => w.write(LEVEL_3, i === 0 ? `${e.name}:\t${s}\n` : `\t${s}\n`));
        continue;
      }
      const v = e.valueFrom;
      if (v.fieldRef) w.write(LEVEL_3, `${e.name}:\t${pod ? fieldValue(pod, v.fieldRef.fieldPath ?? "") : ""} (${v.fieldRef.apiVersion ?? "v1"}:${v.fieldRef.fieldPath ?? ""})\n`);
      else if (v.resourceFieldRef) w.write(LEVEL_3, `${e.name}:\t (${v.resourceFieldRef.resource ?? ""})\n`);
      else if (v.secretKeyRef) w.write(LEVEL_3, `${e.name}:\t<set to the key '${v.secretKeyRef.key}' in secret '${v.secretKeyRef.name}'>\tOptional: ${!!v.secretKeyRef.optional}\n`);
      else if (v.configMapKeyRef) w.write(LEVEL_3, `${e.name}:\t<set to the key '${v.configMapKeyRef.key}' of config map '${v.configMapKeyRef.name}'>\tOptional: ${!!v.configMapKeyRef.optional}\n`);
    }
    const mounts = [...(c.volumeMounts ?? [])].sort((a, b) => (a.mountPath < b.mountPath ? -1 : a.mountPath > b.mountPath ? 1 : 0));
    w.write(LEVEL_2, `Mounts:${mounts.length === 0 ? "\t<none>" : ""}\n`);
    for (const m of mounts) {
      const flags = [m.readOnly ? "ro" : "rw", ...(m.subPath ? [`path=${JSON.stringify(m.subPath)}`] : [])];
      w.write(LEVEL_3, `${m.mountPath} from ${m.name} (${flags.join(",")})\n`);
    }
  }
}

export function describeVolumes(volumes: Volume[] | undefined, w: PrefixWriter, space: string, client?: ClientBehaviour): void {
  const optionalValue = client?.has("projectedOptionalValue") ?? false;
  if (!volumes || volumes.length === 0) {
    w.write(LEVEL_0, `${space}Volumes:\t<none>\n`);
    return;
  }
  w.write(LEVEL_0, `${space}Volumes:\n`);
  for (const v of volumes) {
    w.write(LEVEL_1, `${space ? " " : ""}${v.name}:\n`);
    if (v.hostPath) {
      w.write(LEVEL_2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${v.hostPath.path}\n    HostPathType:\t${v.hostPath.type ?? "<none>"}\n`);
    } else if (v.emptyDir) {
      w.write(
        LEVEL_2,
        `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${v.emptyDir.medium ?? ""}\n    SizeLimit:\t${v.emptyDir.sizeLimit && v.emptyDir.sizeLimit !== "0" ? v.emptyDir.sizeLimit : "<unset>"}\n`,
      );
    } else if (v.secret) {
      w.write(LEVEL_2, `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${v.secret.secretName ?? ""}\n    Optional:\t${!!v.secret.optional}\n`);
    } else if (v.configMap) {
      w.write(LEVEL_2, `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${v.configMap.name ?? ""}\n    Optional:\t${!!v.configMap.optional}\n`);
    } else if (v.persistentVolumeClaim) {
      w.write(
        LEVEL_2,
        `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${v.persistentVolumeClaim.claimName}\n    ReadOnly:\t${!!v.persistentVolumeClaim.readOnly}\n`,
      );
    } else if (v.projected) {
      w.write(LEVEL_2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n");
      for (const s of v.projected.sources ?? []) {
        // v1.32 prints the *bool pointer itself: <nil> when unset (an address otherwise; the value is shown here); 1.33 the value.
        if (s.secret && optionalValue) w.write(LEVEL_2, `SecretName:\t${s.secret.name ?? ""}\n    Optional:\t${!!s.secret.optional}\n`);
        else if (s.secret) w.write(LEVEL_2, `SecretName:\t${s.secret.name ?? ""}\n    SecretOptionalName:\t${s.secret.optional ?? "<nil>"}\n`);
        else if (s.downwardAPI) w.write(LEVEL_2, "DownwardAPI:\ttrue\n");
        else if (s.configMap && optionalValue) w.write(LEVEL_2, `ConfigMapName:\t${s.configMap.name ?? ""}\n    Optional:\t${!!s.configMap.optional}\n`);
        else if (s.configMap) w.write(LEVEL_2, `ConfigMapName:\t${s.configMap.name ?? ""}\n    ConfigMapOptional:\t${s.configMap.optional ?? "<nil>"}\n`);
        else if (s.serviceAccountToken) w.write(LEVEL_2, `TokenExpirationSeconds:\t${s.serviceAccountToken.expirationSeconds ?? 0}\n`);
      }
    } else if (v.downwardAPI) {
      w.write(LEVEL_2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n");
      for (const it of v.downwardAPI.items ?? []) {
        if (it.fieldRef) w.write(LEVEL_3, `${it.fieldRef.fieldPath} -> ${it.path}\n`);
        if (it.resourceFieldRef) w.write(LEVEL_3, `${it.resourceFieldRef.resource} -> ${it.path}\n`);
      }
    } else {
      w.write(LEVEL_1, "<unknown>\n");
    }
  }
}

/** qos.GetPodQOS: the status field, else computed from requests and limits. */
function podQOS(pod: Pod): string {
  if (pod.status?.qosClass) return pod.status.qosClass;
  const cs = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])];
  const any = cs.some((c) => Object.keys(c.resources?.requests ?? {}).length || Object.keys(c.resources?.limits ?? {}).length);
  if (!any) return "BestEffort";
  const guaranteed = cs.every((c) =>
    ["cpu", "memory"].every((r) => c.resources?.limits?.[r] !== undefined && (c.resources?.requests?.[r] ?? c.resources?.limits?.[r]) === c.resources?.limits?.[r]),
  );
  return guaranteed ? "Guaranteed" : "Burstable";
}

export function describePodTemplate(template: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: PodSpec } | undefined, w: PrefixWriter, client?: ClientBehaviour): void {
  w.write(LEVEL_0, "Pod Template:\n");
  if (!template) {
    w.write(LEVEL_1, "<unset>");
    return;
  }
  printLabelsMultiline(w, "  Labels", template.metadata?.labels);
  if (Object.keys(template.metadata?.annotations ?? {}).length > 0) printAnnotationsMultiline(w, "  Annotations", template.metadata?.annotations);
  if (template.spec.serviceAccountName) w.write(LEVEL_1, `Service Account:\t${template.spec.serviceAccountName}\n`);
  if (template.spec.initContainers?.length) describeContainers("Init Containers", template.spec.initContainers, undefined, w, "  ");
  describeContainers("Containers", template.spec.containers ?? [], undefined, w, "  ");
  describeVolumes(template.spec.volumes, w, "  ", client);
  if (template.spec.priorityClassName) w.write(LEVEL_1, `Priority Class Name:\t${template.spec.priorityClassName}\n`);
  if (client?.has("templateScheduling") ?? true) {
    printLabelsMultiline(w, "  Node-Selectors", template.spec.nodeSelector);
    printTolerationsMultiline(w, "  Tolerations", template.spec.tolerations);
  }
}

export async function describePod(ctx: DescribeContext, pod: Pod): Promise<string> {
  const m = pod.metadata;
  const st = pod.status ?? {};
  const events = ctx.showEvents
    ? await searchEvents(ctx, { name: m.name, namespace: m.namespace, uid: m.annotations?.["kubernetes.io/config.mirror"] ?? m.uid })
    : undefined;
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${m.name}\n`);
  w.write(LEVEL_0, `Namespace:\t${m.namespace ?? ""}\n`);
  if (pod.spec.priority !== undefined) w.write(LEVEL_0, `Priority:\t${pod.spec.priority}\n`);
  if (pod.spec.priorityClassName) w.write(LEVEL_0, `Priority Class Name:\t${pod.spec.priorityClassName}\n`);
  if (pod.spec.runtimeClassName) w.write(LEVEL_0, `Runtime Class Name:\t${pod.spec.runtimeClassName}\n`);
  if (pod.spec.serviceAccountName && (ctx.client?.has("podServiceAccount") ?? true)) w.write(LEVEL_0, `Service Account:\t${pod.spec.serviceAccountName}\n`);
  w.write(LEVEL_0, pod.spec.nodeName ? `Node:\t${pod.spec.nodeName}/${st.hostIP ?? ""}\n` : "Node:\t<none>\n");
  if (st.startTime) w.write(LEVEL_0, `Start Time:\t${rfc1123z(st.startTime)}\n`);
  printLabelsMultiline(w, "Labels", m.labels);
  printAnnotationsMultiline(w, "Annotations", m.annotations);
  if (m.deletionTimestamp && st.phase !== "Failed" && st.phase !== "Succeeded") {
    w.write(LEVEL_0, `Status:\tTerminating (lasts ${since(m.deletionTimestamp, ctx.now)})\n`);
    w.write(LEVEL_0, `Termination Grace Period:\t${m.deletionGracePeriodSeconds ?? 0}s\n`);
  } else {
    w.write(LEVEL_0, `Status:\t${st.phase ?? ""}\n`);
  }
  if (st.reason) w.write(LEVEL_0, `Reason:\t${st.reason}\n`);
  if (st.message) w.write(LEVEL_0, `Message:\t${st.message}\n`);
  const seccomp = pod.spec.securityContext?.seccompProfile;
  if (seccomp) {
    w.write(LEVEL_0, `SeccompProfile:\t${seccomp.type}\n`);
    if (seccomp.type === "Localhost") w.write(LEVEL_0, `LocalhostProfile:\t${seccomp.localhostProfile ?? ""}\n`);
  }
  w.write(LEVEL_0, `IP:\t${st.podIP ?? ""}\n`);
  if (!st.podIPs || st.podIPs.length === 0) w.write(LEVEL_0, "IPs:\t<none>\n");
  else {
    w.write(LEVEL_0, "IPs:\n");
    for (const ip of st.podIPs) w.write(LEVEL_1, `IP:\t${ip.ip}\n`);
  }
  const ctrl = controllerOf(m);
  if (ctrl) w.write(LEVEL_0, `Controlled By:\t${ctrl}\n`);
  if (st.nominatedNodeName) w.write(LEVEL_0, `NominatedNodeName:\t${st.nominatedNodeName}\n`);
  if (pod.spec.initContainers?.length) describeContainers("Init Containers", pod.spec.initContainers, st.initContainerStatuses, w, "", pod);
  describeContainers("Containers", pod.spec.containers, st.containerStatuses, w, "", pod);
  if (pod.spec.readinessGates?.length) {
    w.write(LEVEL_0, "Readiness Gates:\n  Type\tStatus\n");
    for (const g of pod.spec.readinessGates) {
      const c = st.conditions?.find((x) => x.type === g.conditionType);
      w.write(LEVEL_1, `${g.conditionType} \t${c ? c.status : "<none>"} \n`);
    }
  }
  if (st.conditions?.length) {
    w.write(LEVEL_0, "Conditions:\n  Type\tStatus\n");
    for (const c of st.conditions) w.write(LEVEL_1, `${c.type} \t${c.status} \n`);
  }
  describeVolumes(pod.spec.volumes, w, "", ctx.client);
  w.write(LEVEL_0, `QoS Class:\t${podQOS(pod)}\n`);
  printLabelsMultiline(w, "Node-Selectors", pod.spec.nodeSelector);
  printTolerationsMultiline(w, "Tolerations", pod.spec.tolerations);
  if (events) describeEvents(events, w, ctx.now);
  return w.result();
}
