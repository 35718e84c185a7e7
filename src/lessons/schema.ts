// The lesson front matter schema: which keys a lesson may set, their types,
// and the setup list. Every problem carries the file line of the offending
// key. Unknown keys are errors, so a typo (`clockspeed`) is caught, not ignored.

import { parseCheck } from "../grading/schema.ts";
import type { Check } from "../grading/types.ts";
import type { ClusterOptions, LessonProblem, SetupItem } from "./lesson.ts";
import type { EmbeddedYaml } from "./yaml-lines.ts";

export interface FrontMatter {
  id: string;
  title: string;
  description: string;
  order: number;
  duration?: number;
  cluster: ClusterOptions;
  setup: SetupItem[];
}

const KEYS = ["id", "title", "description", "order", "duration", "cluster", "setup"];
const CLUSTER_KEYS: Record<keyof ClusterOptions, "string" | "number" | "boolean"> = {
  version: "string",
  clockSpeed: "number",
  legacyKubectlRun: "boolean",
};

type Raw = Record<string, unknown>;
const isRecord = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);

/** Validates a check found at `path` of an embedded YAML document, reporting problems with lines. */
export function checkAt(raw: unknown, y: EmbeddedYaml, path: (string | number)[], file: string, problems: LessonProblem[]): Check | undefined {
  const { check, problems: ps } = parseCheck(raw);
  for (const p of ps) problems.push({ file, line: y.lineOf([...path, ...p.path]), message: p.message, severity: "error" });
  return check;
}

/** "15 min", "15m", "1h", 15 → minutes. */
function parseDuration(v: unknown): number | undefined {
  if (typeof v === "number" && v > 0) return v;
  if (typeof v !== "string") return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(m|min|mins|minutes|h|hour|hours)?\s*$/.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2]?.startsWith("h") ? n * 60 : n;
}

export function validateFrontMatter(y: EmbeddedYaml, file: string, problems: LessonProblem[]): FrontMatter | undefined {
  const err = (path: (string | number)[], message: string) => problems.push({ file, line: y.lineOf(path), message, severity: "error" });
  const fm = y.value;
  if (!isRecord(fm)) {
    err([], "front matter must be a YAML mapping (id, title, description, order…)");
    return undefined;
  }
  for (const k of Object.keys(fm)) if (!KEYS.includes(k)) err([k], `unknown front matter key \`${k}\` (allowed: ${KEYS.join(", ")})`);
  const str = (k: string): string => {
    const v = fm[k];
    if (typeof v !== "string" || !v.trim()) {
      err([k], `\`${k}\` is required and must be text`);
      return "";
    }
    return v;
  };
  const id = str("id");
  if (id && !/^[a-z0-9][a-z0-9-]*$/.test(id)) err(["id"], `id "${id}" must be lower-case letters, digits and dashes`);
  const title = str("title");
  const description = str("description");
  const order = fm.order;
  if (typeof order !== "number") err(["order"], "`order` is required and must be a number");
  let duration: number | undefined;
  if (fm.duration !== undefined) {
    duration = parseDuration(fm.duration);
    if (duration === undefined) err(["duration"], `duration must be minutes (15) or text like "15 min", got ${JSON.stringify(fm.duration)}`);
  }
  const cluster: ClusterOptions = {};
  if (fm.cluster !== undefined) {
    if (!isRecord(fm.cluster)) err(["cluster"], "`cluster` must be a mapping (version, clockSpeed, legacyKubectlRun)");
    else {
      for (const [k, v] of Object.entries(fm.cluster)) {
        const want = CLUSTER_KEYS[k as keyof ClusterOptions];
        if (!want) err(["cluster", k], `unknown cluster option \`${k}\` (allowed: ${Object.keys(CLUSTER_KEYS).join(", ")})`);
        else if (typeof v !== want) err(["cluster", k], `cluster.${k} must be a ${want}`);
        else (cluster as Record<string, unknown>)[k] = v;
      }
      if (cluster.version !== undefined && !/^v1\.\d+\.\d+$/.test(cluster.version)) err(["cluster", "version"], `cluster.version must look like v1.32.4, got "${cluster.version}"`);
      if (cluster.clockSpeed !== undefined && !(cluster.clockSpeed > 0 && cluster.clockSpeed <= 100)) err(["cluster", "clockSpeed"], "cluster.clockSpeed must be between 0 and 100");
    }
  }
  const setup: SetupItem[] = [];
  if (fm.setup !== undefined) {
    if (!Array.isArray(fm.setup)) err(["setup"], "`setup` must be a list of { run | apply | wait } items");
    else {
      fm.setup.forEach((item: unknown, i: number) => {
        const line = y.lineOf(["setup", i]);
        if (!isRecord(item)) return err(["setup", i], "a setup item is a mapping with `run`, `apply` or `wait`");
        const kinds = ["run", "apply", "wait"].filter((k) => k in item);
        if (kinds.length !== 1) return err(["setup", i], "a setup item has exactly one of `run`, `apply`, `wait`");
        const allowed: Record<string, string[]> = { run: ["run", "unless", "node"], apply: ["apply"], wait: ["wait", "timeoutSeconds"] };
        for (const k of Object.keys(item)) if (!allowed[kinds[0]!]!.includes(k)) err(["setup", i, k], `unknown key \`${k}\` in a ${kinds[0]} setup item`);
        if (kinds[0] === "run") {
          if (typeof item.run !== "string") return err(["setup", i, "run"], "`run` must be shell commands (text)");
          const unless = item.unless === undefined ? undefined : checkAt(item.unless, y, ["setup", i, "unless"], file, problems);
          setup.push({ run: item.run, unless, node: typeof item.node === "string" ? item.node : undefined, line });
        } else if (kinds[0] === "apply") {
          const obj = item.apply;
          if (!isRecord(obj) || typeof obj.kind !== "string" || !isRecord(obj.metadata)) return err(["setup", i, "apply"], "`apply` must be a Kubernetes object with kind and metadata");
          setup.push({ apply: obj, line });
        } else {
          const check = checkAt(item.wait, y, ["setup", i, "wait"], file, problems);
          const t = item.timeoutSeconds;
          if (t !== undefined && typeof t !== "number") err(["setup", i, "timeoutSeconds"], "timeoutSeconds must be a number");
          if (check) setup.push({ wait: check, timeoutSeconds: typeof t === "number" ? t : undefined, line });
        }
      });
    }
  }
  return { id, title, description, order: typeof order === "number" ? order : 0, duration, cluster, setup };
}
