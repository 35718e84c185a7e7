// `kubectl describe serviceaccount`, after describe.go's ServiceAccountDescriber
// as of v1.32: image pull, mountable and token secrets (token secrets found by
// their service-account name and uid annotations), "(not found)" for a named
// secret that does not exist, and the events.

import { type DescribeContext, describeEvents, LEVEL_0, type Meta, PrefixWriter, printAnnotationsMultiline, printLabelsMultiline, searchEvents } from "./describe.ts";

export interface ServiceAccount {
  metadata: Meta;
  secrets?: { name: string }[];
  imagePullSecrets?: { name: string }[];
}

interface SecretRef {
  metadata: { name: string; annotations?: Record<string, string> };
  type?: string;
}

export async function describeServiceAccount(ctx: DescribeContext, sa: ServiceAccount): Promise<string> {
  const m = sa.metadata;
  const tokens: string[] = [];
  const missing = new Set<string>();
  try {
    const list = await ctx.rest.json<{ items?: SecretRef[] }>("GET", `/api/v1/namespaces/${encodeURIComponent(m.namespace ?? "")}/secrets`, { query: { limit: 500 } });
    const existing = new Set<string>();
    for (const s of list.items ?? []) {
      const a = s.metadata.annotations ?? {};
      if (s.type === "kubernetes.io/service-account-token" && a["kubernetes.io/service-account.name"] === m.name && (a["kubernetes.io/service-account.uid"] ?? "") === (m.uid ?? "")) {
        tokens.push(s.metadata.name);
      }
      existing.add(s.metadata.name);
    }
    for (const s of [...(sa.secrets ?? []), ...(sa.imagePullSecrets ?? [])]) if (!existing.has(s.name)) missing.add(s.name);
  } catch {
    // Upstream describes the account with the secrets it names even when they cannot be listed.
  }
  const events = ctx.showEvents ? await searchEvents(ctx, { kind: "ServiceAccount", name: m.name, namespace: m.namespace, uid: m.uid }) : undefined;
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${m.name}\n`);
  w.write(LEVEL_0, `Namespace:\t${m.namespace ?? ""}\n`);
  printLabelsMultiline(w, "Labels", m.labels);
  printAnnotationsMultiline(w, "Annotations", m.annotations);
  // The headers are padded to one width and printed in sorted order, continuation lines under blanks.
  const sections: [string, string[]][] = [
    ["Image pull secrets:", (sa.imagePullSecrets ?? []).map((s) => s.name)],
    ["Mountable secrets: ", (sa.secrets ?? []).map((s) => s.name)],
    ["Tokens:            ", tokens],
  ];
  for (const [header, names] of sections) {
    if (names.length === 0) {
      w.write(LEVEL_0, `${header}\t<none>\n`);
      continue;
    }
    names.forEach((name, i) => w.write(LEVEL_0, `${i === 0 ? header : " ".repeat(19)}\t${name}${missing.has(name) ? " (not found)" : ""}\n`));
  }
  if (events) describeEvents(events, w, ctx.now);
  return w.result();
}
