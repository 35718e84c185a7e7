// `kubectl describe persistentvolumeclaim`, after describe.go's
// describePersistentVolumeClaim, printPersistentVolumeClaim, getPodsForPVC and
// printPodsMultiline, and describeVolumeClaimTemplates (a StatefulSet's claim
// templates), with kubectl's storage util (GetPersistentVolumeClaimClass,
// GetAccessModesAsString).
// Leaves out PersistentVolumes and StorageClasses (generic describer).

import {
  type DescribeContext,
  describeEvents,
  formatQuantity,
  LEVEL_0,
  LEVEL_1,
  type Meta,
  parseQuantity,
  PrefixWriter,
  printAnnotationsMultiline,
  printLabelsMultiline,
  rfc1123z,
  searchEvents,
  since,
} from "./describe.ts";

interface ClaimSpec {
  accessModes?: string[];
  resources?: { requests?: Record<string, string> };
  storageClassName?: string;
  volumeName?: string;
  volumeMode?: string;
  dataSource?: { apiGroup?: string; kind: string; name: string };
}

export interface ClaimTemplate {
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: ClaimSpec;
}

export interface PersistentVolumeClaim {
  metadata: Meta & { finalizers?: string[] };
  spec?: ClaimSpec;
  status?: {
    phase?: string;
    accessModes?: string[];
    capacity?: Record<string, string>;
    conditions?: { type: string; status: string; lastProbeTime?: string | null; lastTransitionTime?: string | null; reason?: string; message?: string }[];
  };
}

interface PodRef {
  metadata: { name: string; uid?: string };
  spec?: { volumes?: { persistentVolumeClaim?: { claimName: string } }[] };
}

/** storageutil.GetPersistentVolumeClaimClass: the beta annotation wins over the field. */
function claimClass(c: { metadata?: { annotations?: Record<string, string> }; spec?: ClaimSpec }): string {
  return c.metadata?.annotations?.["volume.beta.kubernetes.io/storage-class"] ?? c.spec?.storageClassName ?? "";
}

/** storageutil.GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order, each once. */
export function accessModesAsString(modes: string[] | undefined): string {
  const set = new Set(modes ?? []);
  const out: string[] = [];
  if (set.has("ReadWriteOnce")) out.push("RWO");
  if (set.has("ReadOnlyMany")) out.push("ROX");
  if (set.has("ReadWriteMany")) out.push("RWX");
  if (set.has("ReadWriteOncePod")) out.push("RWOP");
  return out.join(",");
}

/** A metav1.Time in RFC1123Z; Go's zero time when unset (a condition never probed). */
const timeOrZero = (t: string | null | undefined) => (t ? rfc1123z(t) : "Mon, 01 Jan 0001 00:00:00 +0000");

/** Quantity.String() of a stored quantity. */
const canonical = (q: string) => formatQuantity(parseQuantity(q));

/** describeVolumeClaimTemplates: annotations print like labels here (key=value). */
export function describeVolumeClaimTemplates(templates: ClaimTemplate[] | undefined, w: PrefixWriter): void {
  if (!templates || templates.length === 0) {
    w.write(LEVEL_0, "Volume Claims:\t<none>\n");
    return;
  }
  w.write(LEVEL_0, "Volume Claims:\n");
  for (const t of templates) {
    w.write(LEVEL_1, `Name:\t${t.metadata?.name ?? ""}\n`);
    w.write(LEVEL_1, `StorageClass:\t${claimClass(t)}\n`);
    printLabelsMultiline(w, "Labels", t.metadata?.labels, "  ", "\t");
    printLabelsMultiline(w, "Annotations", t.metadata?.annotations, "  ", "\t");
    const storage = t.spec?.resources?.requests?.storage;
    w.write(LEVEL_1, `Capacity:\t${storage !== undefined ? canonical(storage) : "<default>"}\n`);
    // fmt's %s of a []PersistentVolumeAccessMode.
    w.write(LEVEL_1, `Access Modes:\t[${(t.spec?.accessModes ?? []).join(" ")}]\n`);
  }
}

/** getPodsForPVC: pods mounting the claim (once per volume), then owner pods not yet listed. */
async function podsForClaim(ctx: DescribeContext, pvc: PersistentVolumeClaim): Promise<PodRef[]> {
  const list = await ctx.rest.json<{ items?: PodRef[] }>("GET", `/api/v1/namespaces/${encodeURIComponent(pvc.metadata.namespace ?? "")}/pods`, { query: { limit: 500 } });
  const all = list.items ?? [];
  const pods: PodRef[] = [];
  for (const pod of all) {
    for (const v of pod.spec?.volumes ?? []) if (v.persistentVolumeClaim?.claimName === pvc.metadata.name) pods.push(pod);
  }
  for (const ref of pvc.metadata.ownerReferences ?? []) {
    if (ref.kind !== "Pod") continue;
    const owner = all.find((p) => p.metadata.uid === ref.uid);
    if (owner && !pods.some((p) => p.metadata.uid === owner.metadata.uid)) pods.push(owner);
  }
  return pods;
}

function printPodsMultiline(w: PrefixWriter, title: string, pods: PodRef[]): void {
  w.write(LEVEL_0, `${title}:\t`);
  if (pods.length === 0) {
    w.writeLine("<none>");
    return;
  }
  const names = pods.map((p) => p.metadata.name).sort();
  names.forEach((name, i) => {
    if (i !== 0) w.write(LEVEL_0, "\t");
    w.write(LEVEL_0, `${name}\n`);
  });
}

export async function describePersistentVolumeClaim(ctx: DescribeContext, pvc: PersistentVolumeClaim): Promise<string> {
  const m = pvc.metadata;
  const pods = await podsForClaim(ctx, pvc);
  const events = ctx.showEvents ? await searchEvents(ctx, { kind: "PersistentVolumeClaim", name: m.name, namespace: m.namespace, uid: m.uid }) : undefined;
  const spec = pvc.spec ?? {};
  const st = pvc.status ?? {};
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${m.name}\n`);
  w.write(LEVEL_0, `Namespace:\t${m.namespace ?? ""}\n`);
  w.write(LEVEL_0, `StorageClass:\t${claimClass(pvc)}\n`);
  w.write(LEVEL_0, m.deletionTimestamp ? `Status:\tTerminating (lasts ${since(m.deletionTimestamp, ctx.now)})\n` : `Status:\t${st.phase ?? ""}\n`);
  w.write(LEVEL_0, `Volume:\t${spec.volumeName ?? ""}\n`);
  printLabelsMultiline(w, "Labels", m.labels);
  printAnnotationsMultiline(w, "Annotations", m.annotations);
  w.write(LEVEL_0, `Finalizers:\t[${(m.finalizers ?? []).join(" ")}]\n`);
  // Capacity and access modes are the bound volume's, so empty until bound.
  const bound = !!spec.volumeName;
  const capacity = bound ? canonical(st.capacity?.storage ?? "0") : "";
  w.write(LEVEL_0, `Capacity:\t${capacity}\n`);
  w.write(LEVEL_0, `Access Modes:\t${bound ? accessModesAsString(st.accessModes) : ""}\n`);
  if (spec.volumeMode) w.write(LEVEL_0, `VolumeMode:\t${spec.volumeMode}\n`);
  if (spec.dataSource) {
    w.write(LEVEL_0, "DataSource:\n");
    if (spec.dataSource.apiGroup !== undefined) w.write(LEVEL_1, `APIGroup:\t${spec.dataSource.apiGroup}\n`);
    w.write(LEVEL_1, `Kind:\t${spec.dataSource.kind}\n`);
    w.write(LEVEL_1, `Name:\t${spec.dataSource.name}\n`);
  }
  printPodsMultiline(w, "Used By", pods);
  if (st.conditions?.length) {
    w.write(LEVEL_0, "Conditions:\n");
    w.write(LEVEL_1, "Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n");
    w.write(LEVEL_1, "----\t------\t-----------------\t------------------\t------\t-------\n");
    for (const c of st.conditions) {
      w.write(LEVEL_1, `${c.type} \t${c.status} \t${timeOrZero(c.lastProbeTime)} \t${timeOrZero(c.lastTransitionTime)} \t${c.reason ?? ""} \t${c.message ?? ""}\n`);
    }
  }
  if (events) describeEvents(events, w, ctx.now);
  return w.result();
}
