// Helpers the writing commands share, after k8s.io/kubectl/pkg/cmd/util
// (helpers.go): GetDryRunStrategy, GetValidationDirective and AddSourceToErr.

import { StatusError } from "../apimachinery/errors.ts";
import { UsageError } from "./errors.ts";

export type DryRun = "none" | "client" | "server";

/** --dry-run's value as GetDryRunStrategy reads it. */
export function parseDryRun(value: string): DryRun {
  switch (value) {
    case "":
    case "none":
    case "false":
      return "none";
    case "client":
    case "true":
      return "client";
    case "server":
      return "server";
    case "unknown":
      throw new UsageError(`--dry-run flag without a value was specified. A value must be set: "none", "server", or "client".`);
    default:
      throw new UsageError(`Invalid dry-run value (${value}). Must be "none", "server", or "client".`);
  }
}

/** What printers append to the operation: "" / " (dry run)" / " (server dry run)". */
export function dryRunSuffix(d: DryRun): string {
  return d === "client" ? " (dry run)" : d === "server" ? " (server dry run)" : "";
}

/** --validate's value as the fieldValidation query parameter (GetValidationDirective). */
export function validationDirective(value: string): "Strict" | "Warn" | "Ignore" {
  switch (value.toLowerCase()) {
    case "strict":
    case "true":
      return "Strict";
    case "warn":
      return "Warn";
    case "ignore":
    case "false":
      return "Ignore";
    default:
      throw new UsageError(`invalid - validate option "${value}"; must be one of: strict (or true), warn, ignore (or false)`);
  }
}

/** AddSourceToErr: `error when <verb> "<source>": <message>` inside the Status, or a plain error. */
export function withSource(verb: string, source: string, err: unknown): unknown {
  if (!source) return err;
  if (err instanceof StatusError) {
    const e = new StatusError(err.status.code ?? err.code, err.status.reason ?? "", `error when ${verb} "${source}": ${err.status.message ?? ""}`, err.status.details);
    if (!err.status.reason) delete e.status.reason;
    return e;
  }
  return new Error(`error when ${verb} "${source}": ${err instanceof Error ? err.message : String(err)}`);
}

/**
 * GetResourcesAndPairs: the resource arguments, then the KEY=VALUE / KEY-
 * pairs (labels, annotations, images); a resource after a pair is an error.
 */
export function resourcesAndPairs(args: string[], pairType: string): { resources: string[]; pairs: string[] } {
  const resources: string[] = [];
  const pairs: string[] = [];
  for (const a of args) {
    const isPair = (a.includes("=") && !a.startsWith("=")) || (a.endsWith("-") && a !== "-");
    if (isPair) pairs.push(a);
    else if (pairs.length > 0) throw new UsageError(`all resources must be specified before ${pairType} changes: ${a}`);
    else resources.push(a);
  }
  return { resources, pairs };
}
