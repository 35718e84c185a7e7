// `kubectl describe secret`, after describe.go's describeSecret: the sizes of
// the data values, never the values themselves, except a service account
// token secret's token. No events (upstream does not look them up).
// Keys print sorted; kubectl ≤1.33 prints them in Go map order, which is random.

import { LEVEL_0, type Meta, PrefixWriter, printAnnotationsMultiline, printLabelsMultiline } from "./describe.ts";

export interface Secret {
  metadata: Meta;
  type?: string;
  /** base64, as the API serves it. */
  data?: Record<string, string>;
}

export function describeSecret(secret: Secret): string {
  const m = secret.metadata;
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${m.name}\n`);
  w.write(LEVEL_0, `Namespace:\t${m.namespace ?? ""}\n`);
  printLabelsMultiline(w, "Labels", m.labels);
  printAnnotationsMultiline(w, "Annotations", m.annotations);
  w.write(LEVEL_0, `\nType:\t${secret.type ?? ""}\n`);
  w.write(LEVEL_0, "\nData\n====\n");
  const data = secret.data ?? {};
  for (const key of Object.keys(data).sort()) {
    const bytes = Buffer.from(data[key] ?? "", "base64");
    if (key === "token" && secret.type === "kubernetes.io/service-account-token") w.write(LEVEL_0, `${key}:\t${bytes.toString("utf8")}\n`);
    else w.write(LEVEL_0, `${key}:\t${bytes.length} bytes\n`);
  }
  return w.result();
}
