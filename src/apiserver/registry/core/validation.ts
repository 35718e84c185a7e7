// Validation of object metadata and pod specs, after
// pkg/apis/core/validation/validation.go (ValidateObjectMeta, ValidatePodSpec,
// ValidateContainers, ValidatePodTemplateSpec), with upstream's messages.
// Leaves out: most volume-source, probe-handler and security-context checks.

import type { FieldError } from "../../../apimachinery/errors.ts";
import type { KObject, ObjectMeta } from "../../../apimachinery/meta.ts";
import {
  duplicate,
  goInt,
  goString,
  invalidValue,
  isDNS1123Label,
  isDNS1123Subdomain,
  notFoundField,
  notSupported,
  required,
  validateAnnotationKeys,
  validateLabels,
} from "../../../apimachinery/validation.ts";
import type { Container, PodSpec, PodTemplateSpec } from "../../../api/core/v1.ts";

export type NameValidator = (name: string) => string[];

/** ValidateObjectMeta: the name by the kind's rule, then labels and annotation keys. */
export function validateObjectMeta(meta: ObjectMeta, nameFn: NameValidator, field = "metadata"): FieldError[] {
  const errs: FieldError[] = [];
  if (!meta.name) {
    if (!meta.generateName) errs.push(required(`${field}.name`, "name or generateName is required"));
  } else {
    for (const m of nameFn(meta.name)) errs.push(invalidValue(`${field}.name`, goString(meta.name), m));
  }
  errs.push(...validateLabels(meta.labels, `${field}.labels`));
  errs.push(...validateAnnotationKeys(meta.annotations, `${field}.annotations`));
  return errs;
}

export function validateMetaOf(obj: KObject, nameFn: NameValidator = isDNS1123Subdomain): FieldError[] {
  return validateObjectMeta(obj.metadata, nameFn);
}

const PULL_POLICIES = ["Always", "IfNotPresent", "Never"];
const PROTOCOLS = ["SCTP", "TCP", "UDP"];

function validateContainers(containers: Container[] | undefined, field: string, volumes: Set<string>, names: Set<string>, requireSome: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const list = containers ?? [];
  if (requireSome && list.length === 0) errs.push(required(field));
  list.forEach((c, i) => {
    const p = `${field}[${i}]`;
    if (!c.name) errs.push(required(`${p}.name`));
    else {
      for (const m of isDNS1123Label(c.name)) errs.push(invalidValue(`${p}.name`, goString(c.name), m));
      if (names.has(c.name)) errs.push(duplicate(`${p}.name`, goString(c.name)));
      names.add(c.name);
    }
    // Image is optional in the API only for templates being filled in later; the apiserver requires it.
    if (!c.image || c.image.trim() === "") errs.push(required(`${p}.image`));
    if (c.imagePullPolicy !== undefined && !PULL_POLICIES.includes(c.imagePullPolicy)) {
      errs.push(notSupported(`${p}.imagePullPolicy`, goString(c.imagePullPolicy), PULL_POLICIES));
    }
    const portNames = new Set<string>();
    (c.ports ?? []).forEach((port, j) => {
      const pp = `${p}.ports[${j}]`;
      if (port.name) {
        if (portNames.has(port.name)) errs.push(duplicate(`${pp}.name`, goString(port.name)));
        portNames.add(port.name);
      }
      if (port.containerPort === undefined || port.containerPort === 0) errs.push(required(`${pp}.containerPort`));
      else if (!(port.containerPort >= 1 && port.containerPort <= 65535)) {
        errs.push(invalidValue(`${pp}.containerPort`, goInt(port.containerPort), "must be between 1 and 65535, inclusive"));
      }
      if (port.hostPort !== undefined && port.hostPort !== 0 && !(port.hostPort >= 1 && port.hostPort <= 65535)) {
        errs.push(invalidValue(`${pp}.hostPort`, goInt(port.hostPort), "must be between 1 and 65535, inclusive"));
      }
      if (port.protocol !== undefined && !PROTOCOLS.includes(port.protocol)) errs.push(notSupported(`${pp}.protocol`, goString(port.protocol), PROTOCOLS));
    });
    (c.volumeMounts ?? []).forEach((vm, j) => {
      const vp = `${p}.volumeMounts[${j}]`;
      if (!vm.name) errs.push(required(`${vp}.name`));
      else if (!volumes.has(vm.name)) errs.push(notFoundField(`${vp}.name`, goString(vm.name)));
      if (!vm.mountPath) errs.push(required(`${vp}.mountPath`));
    });
    (c.env ?? []).forEach((e, j) => {
      if (!e.name) errs.push(required(`${p}.env[${j}].name`));
    });
  });
  return errs;
}

const RESTART_POLICIES = ["Always", "Never", "OnFailure"];
const DNS_POLICIES = ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"];

/** ValidatePodSpec, for `field` ("spec" for pods, "spec.template.spec" for templates). */
export function validatePodSpec(spec: PodSpec | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const s: Partial<PodSpec> = spec ?? {};
  const volumes = new Set<string>();
  (s.volumes ?? []).forEach((v, i) => {
    const vp = `${field}.volumes[${i}]`;
    if (!v.name) errs.push(required(`${vp}.name`));
    else {
      for (const m of isDNS1123Label(v.name)) errs.push(invalidValue(`${vp}.name`, goString(v.name), m));
      if (volumes.has(v.name)) errs.push(duplicate(`${vp}.name`, goString(v.name)));
      volumes.add(v.name);
    }
  });
  const names = new Set<string>();
  errs.push(...validateContainers(s.initContainers, `${field}.initContainers`, volumes, names, false));
  errs.push(...validateContainers(s.containers, `${field}.containers`, volumes, names, true));
  if (s.restartPolicy !== undefined && !RESTART_POLICIES.includes(s.restartPolicy)) {
    errs.push(notSupported(`${field}.restartPolicy`, goString(s.restartPolicy), RESTART_POLICIES));
  }
  if (s.dnsPolicy !== undefined && !DNS_POLICIES.includes(s.dnsPolicy)) errs.push(notSupported(`${field}.dnsPolicy`, goString(s.dnsPolicy), DNS_POLICIES));
  if (s.terminationGracePeriodSeconds !== undefined && s.terminationGracePeriodSeconds < 0) {
    errs.push(invalidValue(`${field}.terminationGracePeriodSeconds`, goInt(s.terminationGracePeriodSeconds), "must be greater than or equal to 0"));
  }
  if (s.activeDeadlineSeconds !== undefined && s.activeDeadlineSeconds <= 0) {
    errs.push(invalidValue(`${field}.activeDeadlineSeconds`, goInt(s.activeDeadlineSeconds), "must be between 1 and 2147483647, inclusive"));
  }
  if (s.serviceAccountName) {
    for (const m of isDNS1123Subdomain(s.serviceAccountName)) errs.push(invalidValue(`${field}.serviceAccountName`, goString(s.serviceAccountName), m));
  }
  if (s.nodeName) {
    for (const m of isDNS1123Subdomain(s.nodeName)) errs.push(invalidValue(`${field}.nodeName`, goString(s.nodeName), m));
  }
  errs.push(...validateLabels(s.nodeSelector, `${field}.nodeSelector`));
  return errs;
}

/** ValidatePodTemplateSpec under `field` (e.g. "spec.template"). */
export function validatePodTemplate(t: PodTemplateSpec | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!t) return [required(field)];
  errs.push(...validateLabels(t.metadata?.labels, `${field}.metadata.labels`));
  errs.push(...validateAnnotationKeys(t.metadata?.annotations, `${field}.metadata.annotations`));
  errs.push(...validatePodSpec(t.spec, `${field}.spec`));
  return errs;
}
