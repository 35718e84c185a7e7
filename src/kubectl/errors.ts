// How kubectl reports a failed command, after k8s.io/kubectl/pkg/cmd/util
// helpers.go (CheckErr / StandardErrorMessage): API Status errors become
// `Error from server (Reason): message`, connection failures name the host,
// everything else is `error: message`. Exit code 1 throughout.

import { StatusError } from "../apimachinery/errors.ts";

/** An error whose text kubectl prints exactly as given (no "error: " prefix added). */
export class RawError extends Error {}

/** A usage error from a command: printed as `error: <msg>` (plus the command's usage hint in the text). */
export class UsageError extends Error {}

/** cmdutil.StandardErrorMessage plus checkErr's default `error: ` prefix. */
export function errorMessage(err: unknown, server?: string): string {
  if (err instanceof StatusError && err.status.reason === "Invalid") {
    // checkErr's IsInvalid branch: "The Kind "name" is invalid: " and one cause, or a "* field: msg" list.
    const d = err.status.details;
    if (!d) return `The request is invalid${err.status.message ? `: ${err.status.message}` : ""}`;
    const head = d.kind || d.name ? `The ${d.kind ?? ""} ${JSON.stringify(d.name ?? "")} is invalid` : "The request is invalid";
    const causes = [...new Set((d.causes ?? []).map((c) => `${c.field ?? ""}: ${c.message ?? ""}`))];
    if (causes.length === 0) return head;
    if (causes.length === 1) return `${head}: ${causes[0]}`;
    return `${head}: \n${causes.map((c) => `* ${c}`).join("\n")}`;
  }
  if (err instanceof StatusError) {
    const s = err.status;
    if (s.reason === "Unauthorized") return `error: You must be logged in to the server (${s.message})`;
    if (s.reason) return `Error from server (${s.reason}): ${s.message}`;
    return `Error from server: ${s.message}`;
  }
  if (err instanceof RawError) return err.message;
  const code = (err as { code?: string } | undefined)?.code;
  if (code === "ECONNREFUSED" && server) {
    let host = server;
    try {
      host = new URL(server).host;
    } catch {
      /* keep the raw server string */
    }
    return `The connection to the server ${host} was refused - did you specify the right host or port?`;
  }
  if (code && server && /^E[A-Z]+$/.test(code)) return `Unable to connect to the server: ${(err as Error).message}`;
  const msg = err instanceof Error ? err.message : String(err);
  return msg.startsWith("error: ") ? msg : `error: ${msg}`;
}
