// ConfigMaps, Secrets and ServiceAccounts, after their strategy.go files:
// Secret type defaults to Opaque and stringData is folded into base64 data
// (as conversion does), the `type` field selector; immutable configmaps and
// secrets refuse data changes.

import type { FieldError } from "../../../apimachinery/errors.ts";
import type { KObject } from "../../../apimachinery/meta.ts";
import { forbiddenField, goString, invalidValue } from "../../../apimachinery/validation.ts";
import type { ConfigMap, Secret } from "../../../api/core/v1.ts";
import type { Strategy } from "../store.ts";
import { validateMetaOf } from "./validation.ts";

const KEY_RE = /^[-._a-zA-Z0-9]+$/;

/** IsConfigMapKey */
function validateKeys(data: Record<string, string> | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of Object.keys(data ?? {})) {
    if (!KEY_RE.test(k)) {
      errs.push(invalidValue(field, goString(k), "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"));
    }
  }
  return errs;
}

function immutableData(now: ConfigMap | Secret, old: ConfigMap | Secret): FieldError[] {
  if (!old.immutable) return [];
  const errs: FieldError[] = [];
  if (!now.immutable) errs.push(forbiddenField("immutable", "field is immutable when `immutable` is set"));
  if (JSON.stringify(now.data ?? {}) !== JSON.stringify(old.data ?? {})) errs.push(forbiddenField("data", "field is immutable when `immutable` is set"));
  return errs;
}

export const configMapStrategy: Strategy = {
  validate(obj: KObject) {
    const cm = obj as ConfigMap;
    return [...validateMetaOf(cm), ...validateKeys(cm.data, "data"), ...validateKeys(cm.binaryData, "binaryData")];
  },
  validateUpdate: (obj: KObject, old: KObject) => immutableData(obj as ConfigMap, old as ConfigMap),
};

function foldStringData(s: Secret): void {
  s.type ??= "Opaque";
  if (s.stringData) {
    s.data = { ...s.data };
    for (const [k, v] of Object.entries(s.stringData)) s.data[k] = Buffer.from(v, "utf8").toString("base64");
    delete s.stringData;
  }
}

export const secretStrategy: Strategy = {
  prepareForCreate: (obj: KObject) => foldStringData(obj as Secret),
  prepareForUpdate: (obj: KObject) => foldStringData(obj as Secret),
  validate(obj: KObject) {
    const s = obj as Secret;
    const errs = [...validateMetaOf(s), ...validateKeys(s.data, "data")];
    if (s.type === "kubernetes.io/service-account-token" && !s.metadata.annotations?.["kubernetes.io/service-account.name"]) {
      errs.push({ type: "FieldValueRequired", field: "metadata.annotations[kubernetes.io/service-account.name]", message: "Required value" });
    }
    return errs;
  },
  validateUpdate(obj: KObject, old: KObject) {
    const errs = immutableData(obj as Secret, old as Secret);
    if ((obj as Secret).type !== (old as Secret).type) errs.push(invalidValue("type", goString((obj as Secret).type ?? ""), "field is immutable"));
    return errs;
  },
  fields: (obj: KObject) => ({ type: (obj as Secret).type ?? "" }),
};

export const serviceAccountStrategy: Strategy = {
  validate: (obj: KObject) => validateMetaOf(obj),
};
