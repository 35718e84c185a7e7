// `kubectl describe role|clusterrole|rolebinding|clusterrolebinding`, after
// describe.go's Role/ClusterRole/RoleBinding/ClusterRoleBinding describers and
// kubectl's util/rbac (BreakdownRule, CompactRules, SortableRuleSlice): rules
// are broken down to one verb each, simple ones merged back per resource,
// then sorted by the generated PolicyRule.String(). No events, no Namespace
// line (upstream prints neither).

import { LEVEL_0, LEVEL_1, type Meta, PrefixWriter, printAnnotationsMultiline, printLabelsMultiline } from "./describe.ts";

export interface PolicyRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface Role {
  metadata: Meta;
  rules?: PolicyRule[] | null;
}

export interface RoleBinding {
  metadata: Meta;
  roleRef: { kind: string; name: string };
  subjects?: { kind: string; name: string; namespace?: string }[];
}

/** BreakdownRule: one rule per group × resource × verb (× name), then one per URL × verb. */
function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs ?? []) {
        if ((rule.resourceNames ?? []).length > 0) {
          for (const name of rule.resourceNames!) out.push({ apiGroups: [group], resources: [resource], verbs: [verb], resourceNames: [name] });
        } else out.push({ apiGroups: [group], resources: [resource], verbs: [verb] });
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) for (const verb of rule.verbs ?? []) out.push({ nonResourceURLs: [url], verbs: [verb] });
  return out;
}

/** isSimpleResourceRule's key: one group, one resource, at most one name, no URLs. */
function simpleKey(rule: PolicyRule): string | undefined {
  if ((rule.resourceNames ?? []).length > 1 || (rule.nonResourceURLs ?? []).length > 0) return undefined;
  if ((rule.apiGroups ?? []).length !== 1 || (rule.resources ?? []).length !== 1) return undefined;
  const name = rule.resourceNames?.[0];
  return JSON.stringify([rule.apiGroups![0], rule.resources![0], name === undefined ? null : name]);
}

/**
 * CompactRules: verbs of simple rules for the same resource (and name) are
 * merged into the first such rule. Upstream appends the merged rules in Go
 * map order; the stable sort that follows makes the printed order fixed.
 */
function compactRules(rules: PolicyRule[]): PolicyRule[] {
  const compacted: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const rule of rules) {
    const key = simpleKey(rule);
    if (key === undefined) compacted.push(rule);
    else if (simple.has(key)) simple.get(key)!.verbs!.push(...(rule.verbs ?? []));
    else simple.set(key, { ...rule, verbs: [...(rule.verbs ?? [])] });
  }
  return [...compacted, ...simple.values()];
}

/** fmt's %v of a []string. */
const goList = (l: string[] | undefined) => `[${(l ?? []).join(" ")}]`;

/** The protobuf-generated PolicyRule.String(), which SortableRuleSlice compares. */
function ruleString(r: PolicyRule): string {
  return `&PolicyRule{Verbs:${goList(r.verbs)},APIGroups:${goList(r.apiGroups)},Resources:${goList(r.resources)},ResourceNames:${goList(r.resourceNames)},NonResourceURLs:${goList(r.nonResourceURLs)},}`;
}

/** CombineResourceGroup: `resource.group/subresource` from a rule's first resource and group. */
function combineResourceGroup(resources: string[] | undefined, groups: string[] | undefined): string {
  if (!resources || resources.length === 0) return "";
  const first = resources[0]!;
  const slash = first.indexOf("/");
  let combined = slash < 0 ? first : first.slice(0, slash);
  if (groups && groups.length > 0 && groups[0] !== "") combined += `.${groups[0]}`;
  if (slash >= 0) combined += `/${first.slice(slash + 1)}`;
  return combined;
}

/** Role and ClusterRole print the same. */
export function describeRole(role: Role): string {
  const rules = compactRules((role.rules ?? []).flatMap(breakdownRule))
    .map((rule, i) => ({ rule, key: ruleString(rule), i }))
    // Go compares strings by bytes; these are ASCII, where code units agree.
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i))
    .map((x) => x.rule);
  const m = role.metadata;
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${m.name}\n`);
  printLabelsMultiline(w, "Labels", m.labels);
  printAnnotationsMultiline(w, "Annotations", m.annotations);
  w.write(LEVEL_0, "PolicyRule:\n");
  w.write(LEVEL_1, "Resources\tNon-Resource URLs\tResource Names\tVerbs\n");
  w.write(LEVEL_1, "---------\t-----------------\t--------------\t-----\n");
  for (const r of rules) {
    w.write(LEVEL_1, `${combineResourceGroup(r.resources, r.apiGroups)}\t${goList(r.nonResourceURLs)}\t${goList(r.resourceNames)}\t${goList(r.verbs)}\n`);
  }
  return w.result();
}

/** RoleBinding and ClusterRoleBinding print the same. */
export function describeRoleBinding(binding: RoleBinding): string {
  const m = binding.metadata;
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${m.name}\n`);
  printLabelsMultiline(w, "Labels", m.labels);
  printAnnotationsMultiline(w, "Annotations", m.annotations);
  w.write(LEVEL_0, "Role:\n");
  w.write(LEVEL_1, `Kind:\t${binding.roleRef.kind}\n`);
  w.write(LEVEL_1, `Name:\t${binding.roleRef.name}\n`);
  w.write(LEVEL_0, "Subjects:\n");
  w.write(LEVEL_1, "Kind\tName\tNamespace\n");
  w.write(LEVEL_1, "----\t----\t---------\n");
  for (const s of binding.subjects ?? []) w.write(LEVEL_1, `${s.kind}\t${s.name}\t${s.namespace ?? ""}\n`);
  return w.result();
}
