// `kubectl --help` and `kubectl <command> --help`: kubectl 1.32's text for the
// commands implemented here (help-text.ts); other commands get a short note.

import { HELP } from "./help-text.ts";

export function commandHelp(path: string): string {
  return HELP[path] ?? `"kubectl ${path}" is not available in kubelab's kubectl.\n`;
}

export function rootHelp(): string {
  return HELP[""]!;
}
