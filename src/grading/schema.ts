// Validates checks as authors write them (parsed YAML) into typed Checks.
// Problems come back with the path of the offending key (["expect", "status.x"])
// so the lesson loader can point at a file:line; nothing here throws.

import { CHECK_KINDS, type Check, type Expectation } from "./types.ts";

export interface SchemaProblem {
  /** Keys and indexes from the check's root to the bad value. */
  path: (string | number)[];
  message: string;
}

type Raw = Record<string, unknown>;

const FIELDS: Record<Check["kind"], { required: string[]; optional: string[] }> = {
  resource: { required: ["resource", "name"], optional: ["namespace", "absent", "expect"] },
  pods: { required: [], optional: ["selector", "deployment", "namespace", "count", "phase", "ready", "distinctNodes", "node", "maxRestarts", "unchanged"] },
  replaced: { required: ["count"], optional: ["selector", "deployment", "namespace"] },
  command: { required: ["run"], optional: ["node", "exact", "anyExitCode"] },
  unit: { required: ["unit", "action"], optional: ["node"] },
};

const TYPES: Record<string, "string" | "number" | "boolean" | "object"> = {
  resource: "string", name: "string", namespace: "string", absent: "boolean", expect: "object",
  selector: "string", deployment: "string", count: "number", phase: "string", ready: "boolean", distinctNodes: "number",
  node: "string", maxRestarts: "number", unchanged: "boolean", run: "string", exact: "boolean",
  anyExitCode: "boolean", unit: "string", action: "string", message: "string",
};

const OPERATORS = ["equals", "not", "gte", "lte", "exists", "matches"] as const;

function isRecord(v: unknown): v is Raw {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function parseExpectation(v: unknown, path: (string | number)[], problems: SchemaProblem[]): Expectation {
  if (!isRecord(v)) return { equals: v };
  const keys = Object.keys(v);
  if (keys.length !== 1 || !(OPERATORS as readonly string[]).includes(keys[0]!)) {
    problems.push({ path, message: `an expectation is a value or one of {${OPERATORS.join(", ")}}: got {${keys.join(", ")}}` });
    return { equals: v };
  }
  const op = keys[0] as (typeof OPERATORS)[number];
  const arg = v[op];
  if ((op === "gte" || op === "lte") && typeof arg !== "number") problems.push({ path: [...path, op], message: `${op} needs a number` });
  if (op === "exists" && typeof arg !== "boolean") problems.push({ path: [...path, op], message: "exists needs true or false" });
  if (op === "matches") {
    if (typeof arg !== "string") problems.push({ path: [...path, op], message: "matches needs a regular expression string" });
    else {
      try {
        new RegExp(arg);
      } catch (e) {
        problems.push({ path: [...path, op], message: `bad regular expression: ${(e as Error).message}` });
      }
    }
  }
  return { [op]: arg } as Expectation;
}

/** Validates one check. Returns the typed check only when there are no problems. */
export function parseCheck(raw: unknown): { check?: Check; problems: SchemaProblem[] } {
  const problems: SchemaProblem[] = [];
  if (!isRecord(raw)) return { problems: [{ path: [], message: "a check is a mapping with a `kind`" }] };
  const kind = raw.kind;
  if (typeof kind !== "string" || !(CHECK_KINDS as readonly string[]).includes(kind)) {
    return { problems: [{ path: ["kind"], message: `unknown check kind ${JSON.stringify(kind)} (expected one of ${CHECK_KINDS.join(", ")})` }] };
  }
  const spec = FIELDS[kind as Check["kind"]];
  for (const f of spec.required) if (!(f in raw)) problems.push({ path: [], message: `a ${kind} check needs \`${f}\`` });
  for (const [k, v] of Object.entries(raw)) {
    if (k === "kind") continue;
    if (k !== "message" && !spec.required.includes(k) && !spec.optional.includes(k)) {
      problems.push({ path: [k], message: `unknown field \`${k}\` for a ${kind} check (allowed: ${[...spec.required, ...spec.optional, "message"].join(", ")})` });
      continue;
    }
    const want = TYPES[k];
    const got = isRecord(v) ? "object" : typeof v;
    if (want && got !== want) problems.push({ path: [k], message: `\`${k}\` must be a ${want}, got ${Array.isArray(v) ? "list" : got}` });
  }
  if ((kind === "pods" || kind === "replaced") && ("selector" in raw) === ("deployment" in raw)) {
    problems.push({ path: [], message: `a ${kind} check needs exactly one of \`selector\` or \`deployment\`` });
  }
  if (kind === "unit" && typeof raw.action === "string" && !["start", "stop", "restart"].includes(raw.action)) {
    problems.push({ path: ["action"], message: `action must be start, stop or restart, got "${raw.action}"` });
  }
  if (kind === "command" && typeof raw.run === "string" && !/^\s*(kubectl|k|systemctl|ssh|crictl|journalctl|ip|curl|etcdctl|hostname)\b/.test(raw.run)) {
    problems.push({ path: ["run"], message: `a command check matches kubectl or a node tool, got "${raw.run}"` });
  }
  const out: Raw = { ...raw };
  if (kind === "resource" && isRecord(raw.expect)) {
    const expect: Record<string, Expectation> = {};
    for (const [field, v] of Object.entries(raw.expect)) expect[field] = parseExpectation(v, ["expect", field], problems);
    out.expect = expect;
  }
  return problems.length ? { problems } : { check: out as unknown as Check, problems };
}
