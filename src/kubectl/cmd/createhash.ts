// --append-hash's name suffix, after k8s.io/kubectl/pkg/util/hash/hash.go:
// SHA-256 over json.Marshal of a map of the object's kind, name and data
// (sorted keys), its first ten hex digits with 0, 1, 3, a and e swapped for
// letters so the suffix never spells words. Leaves out nothing.

import { createHash } from "node:crypto";
import { goJSON } from "../printers/json.ts";

function encodeHash(hex: string): string {
  const swap: Record<string, string> = { "0": "g", "1": "h", "3": "k", a: "m", e: "t" };
  return [...hex.slice(0, 10)].map((c) => swap[c] ?? c).join("");
}

function hashOf(value: unknown): string {
  return encodeHash(createHash("sha256").update(goJSON(value)).digest("hex"));
}

/** ConfigMapHash: binaryData joins only when it has entries. */
export function configMapHash(name: string, data: Record<string, string>, binaryData: Record<string, string>): string {
  return hashOf({ kind: "ConfigMap", name, data, ...(Object.keys(binaryData).length > 0 ? { binaryData } : {}) });
}

/** SecretHash: data as base64, as Go marshals []byte. */
export function secretHash(name: string, type: string, data: Record<string, string>): string {
  return hashOf({ kind: "Secret", type, name, data });
}
