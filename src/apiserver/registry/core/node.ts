// Nodes, after pkg/registry/core/node/strategy.go: a node may be created with
// its status (kubelets register that way); DNS-1123 subdomain names; the
// spec.unschedulable field selector.
// Leaves out: podCIDR immutability checks and dynamic config sources.

import type { KObject } from "../../../apimachinery/meta.ts";
import type { Node } from "../../../api/core/v1.ts";
import type { Strategy } from "../store.ts";
import { validateMetaOf } from "./validation.ts";

export const nodeStrategy: Strategy = {
  prepareForCreate(obj: KObject) {
    const n = obj as Node;
    n.spec ??= {};
  },
  validate: (obj: KObject) => validateMetaOf(obj),
  fields: (obj: KObject) => ({ "spec.unschedulable": String((obj as Node).spec?.unschedulable ?? false) }),
};
