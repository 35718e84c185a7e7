// Runs a lesson's `setup` before the learner starts, so lessons 3 and 4 work
// on a fresh cluster as well as after lesson 2: `run` lines (skipped when
// their `unless` check already passes), `apply` objects (created when
// missing) and `wait` checks. Shared by the lab server and the headless runner.

import { gvrFor } from "../grading/evaluate.ts";
import { evaluateCheck } from "../grading/evaluate.ts";
import type { Check, CheckResult } from "../grading/types.ts";
import type { KObject } from "../apimachinery/meta.ts";
import type { Client } from "../client/interface.ts";
import { captureIO } from "../utils/command.ts";
import { commandLines } from "./commands.ts";
import type { Lesson } from "./lesson.ts";
import { runLine, type ShellDeps } from "./shell.ts";

export interface SetupDeps {
  client: Client;
  shell: ShellDeps;
  env?: Record<string, string | undefined>;
  /** Waits (in cluster time) until the check passes or the timeout ends; returns the last result. */
  wait(check: Check, timeoutMs: number): Promise<CheckResult>;
}

export interface SetupResult {
  ok: boolean;
  /** What went wrong, with the lesson file line. */
  error?: string;
  /** Commands run and their output, for logs. */
  transcript: string;
}

export async function runSetup(lesson: Lesson, deps: SetupDeps): Promise<SetupResult> {
  let transcript = "";
  const ctx = { client: deps.client, commands: [], units: [], snapshot: new Map() };
  for (const item of lesson.setup) {
    const where = `${lesson.file}:${item.line}`;
    if ("run" in item) {
      if (item.unless && (await evaluateCheck(item.unless, ctx)).passed) continue;
      const state = { node: item.node ?? "master", env: deps.env ?? {} };
      for (const line of commandLines(item.run)) {
        const io = captureIO({ env: state.env });
        const code = await runLine(line, state, { ...deps.shell, onCommand: undefined }, io);
        transcript += `$ ${line}\n${io.out()}${io.err()}`;
        if (code !== 0) return { ok: false, error: `${where}: setup command failed (exit ${code}): ${line}\n${io.err()}`, transcript };
      }
    } else if ("apply" in item) {
      const obj = item.apply as unknown as KObject;
      const gvr = gvrFor(obj.kind ?? "");
      if (!gvr) return { ok: false, error: `${where}: setup cannot apply kind ${obj.kind}`, transcript };
      try {
        await deps.client.resource(gvr).create(obj, obj.metadata.namespace ?? (gvr.resource === "namespaces" || gvr.resource === "nodes" ? undefined : "default"));
        transcript += `created ${gvr.resource}/${obj.metadata.name}\n`;
      } catch (e) {
        if ((e as { code?: number }).code !== 409) return { ok: false, error: `${where}: setup could not create ${gvr.resource}/${obj.metadata.name}: ${(e as Error).message}`, transcript };
      }
    } else {
      const r = await deps.wait(item.wait, (item.timeoutSeconds ?? 300) * 1000);
      if (!r.passed) return { ok: false, error: `${where}: setup wait did not pass: ${r.message ?? ""}`, transcript };
    }
  }
  return { ok: true, transcript };
}
