// Namespaces, after pkg/registry/core/namespace/strategy.go: spec.finalizers
// ["kubernetes"], status.phase Active, the immutable
// kubernetes.io/metadata.name label, DNS-1123 label names, and the
// status.phase field selector.
// Deleting a namespace keeps it, phase Terminating, until the namespace
// controller has emptied it and removed "kubernetes" through /finalize.

import type { KObject } from "../../../apimachinery/meta.ts";
import { isDNS1123Label } from "../../../apimachinery/validation.ts";
import type { Namespace } from "../../../api/core/v1.ts";
import type { Strategy } from "../store.ts";
import { validateMetaOf } from "./validation.ts";

const NAME_LABEL = "kubernetes.io/metadata.name";

function setNameLabel(ns: Namespace): void {
  // The apiserver owns this label: it always equals the name.
  ns.metadata.labels = { ...ns.metadata.labels, [NAME_LABEL]: ns.metadata.name ?? "" };
}

export const namespaceStrategy: Strategy = {
  prepareForCreate(obj: KObject) {
    const ns = obj as Namespace;
    setNameLabel(ns);
    ns.spec = { ...ns.spec, finalizers: ns.spec?.finalizers?.length ? ns.spec.finalizers : ["kubernetes"] };
    ns.status = { phase: "Active" };
  },
  prepareForUpdate(obj: KObject, old: KObject) {
    const ns = obj as Namespace;
    setNameLabel(ns);
    // spec.finalizers change only through the finalize subresource.
    ns.spec = structuredClone((old as Namespace).spec);
  },
  validate: (obj: KObject) => validateMetaOf(obj, isDNS1123Label),
  deletionBlockers: (obj: KObject) => (obj as Namespace).spec?.finalizers ?? [],
  prepareForDelete(obj: KObject) {
    const ns = obj as Namespace;
    ns.status = { ...ns.status, phase: "Terminating" };
  },
  fields: (obj: KObject) => ({ "status.phase": (obj as Namespace).status?.phase ?? "" }),
};
