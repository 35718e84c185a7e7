// `kubectl --help` and `kubectl <command> --help`: kubectl 1.32's text for the
// commands implemented here (help-text.ts); other commands get a short note.

import { HELP } from "./help-text.ts";
import { OPS_HELP } from "./help-text-ops.ts";
import { WRITE_HELP } from "./help-text-write.ts";

export function commandHelp(path: string): string {
  return HELP[path] ?? OPS_HELP[path] ?? WRITE_HELP[path] ?? `"kubectl ${path}" is not available in kubelab's kubectl.\n`;
}

export function rootHelp(): string {
  return HELP[""]!;
}
