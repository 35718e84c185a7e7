// `kubectl --help` and `kubectl <command> --help`: kubectl 1.32's text for the
// commands implemented here (help-text*.ts), in the wording of the client the
// lab's dispatcher runs for the server (help-changes.ts); other commands get a short note.

import type { ClientBehaviour } from "./clientversion.ts";
import { helpForClient } from "./help-changes.ts";
import { HELP } from "./help-text.ts";
import { OPS_HELP } from "./help-text-ops.ts";
import { WRITE_HELP } from "./help-text-write.ts";

export function commandHelp(path: string, client: ClientBehaviour): string {
  const text = HELP[path] ?? OPS_HELP[path] ?? WRITE_HELP[path];
  return text === undefined ? `"kubectl ${path}" is not available in kubelab's kubectl.\n` : helpForClient(path, text, client);
}

export function rootHelp(client: ClientBehaviour): string {
  return helpForClient("", HELP[""]!, client);
}
