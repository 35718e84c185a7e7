// `kubectl edit TYPE NAME` / `TYPE/NAME`, after k8s.io/kubectl/pkg/cmd/util/
// editor (editoptions.go, editor.go): the objects are written as YAML under
// kubectl's header comment to $TMPDIR/kubectl-edit-N.yaml, $KUBE_EDITOR,
// $EDITOR or vi edits it in the learner's terminal (io.runInTerminal, or
// spawned directly when kubectl runs standalone), and each changed object is
// sent as a strategic merge patch; an invalid edit reopens the editor with the
// server's reasons on top. Leaves out -f, --record (deprecated) and
// client-side OpenAPI validation (1.32 skips it when the server validates).

import { spawnSync } from "node:child_process";
import { randomInt } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { StatusError } from "../../apimachinery/errors.ts";
import { deepEqual, createTwoWayMergePatch } from "../apply/strategicpatch.ts";
import { createApplyAnnotation } from "../apply/lastapplied.ts";
import { EMPTY_PATCH_META, OpenAPIV3Root } from "../apply/patchmeta.ts";
import { buildInfos, fetchInfos, type Info } from "../builder.ts";
import { validationDirective } from "../cmdutil.ts";
import { kindPrefix, pathFor, qualifiedResource } from "../discovery.ts";
import { UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";
import { decodeStream, flatten, type Obj } from "../manifest.ts";
import { parseOutputFormat, printGeneric } from "../printers/generic.ts";
import { goJSON, goJSONIndent } from "../printers/json.ts";
import { toYAML } from "../printers/yaml.ts";
import type { CommandIO } from "../../utils/command.ts";

const HEADER =
  "# Please edit the object below. Lines beginning with a '#' will be ignored,\n" +
  "# and an empty file will abort the edit. If an error occurs while saving this file will be\n" +
  "# reopened with the relevant failures.\n" +
  "#\n";

/** Why the file is being reopened: a head line and, for invalid objects, one line per cause. */
interface EditReason {
  head: string;
  other: string[];
}

/** defaultEnvEditor: the editor's argv, and whether it must go through a shell (it has quotes). */
export function editorCommand(env: Record<string, string | undefined>): { args: string[]; shell: boolean } {
  const editor = env.KUBE_EDITOR || env.EDITOR || "vi";
  if (!editor.includes(" ")) return { args: [editor], shell: false };
  if (!/["'\\]/.test(editor)) return { args: editor.split(" "), shell: false };
  // Rather than parse shell quoting, kubectl hands the line to the shell.
  return { args: [env.SHELL || "/bin/bash", "-c", editor], shell: true };
}

/** Editor.Launch: runs the editor on path in the learner's terminal; throws kubectl's messages. */
async function launch(io: CommandIO, editor: { args: string[]; shell: boolean }, path: string): Promise<void> {
  const argv = [...editor.args];
  if (editor.shell) argv[argv.length - 1] = `${argv.at(-1)} ${JSON.stringify(path)}`;
  else argv.push(path);
  let code: number;
  let notFound = false;
  if (io.runInTerminal) {
    code = await io.runInTerminal(argv);
    notFound = code === 127 && !editor.shell;
  } else {
    // Standalone kubelab kubectl is a real process on the learner's own terminal.
    const r = spawnSync(argv[0]!, argv.slice(1), { stdio: "inherit", env: { ...process.env, ...io.env } });
    notFound = (r.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT";
    code = r.error ? 1 : (r.status ?? 1);
  }
  // Go's exec reports "not found" only for a bare name looked up in PATH.
  if (notFound && !argv[0]!.includes("/")) throw new UsageError(`unable to launch the editor ${JSON.stringify(editor.args.join(" "))}`);
  if (code !== 0) throw new UsageError(`there was a problem with the editor ${JSON.stringify(editor.args.join(" "))}`);
}

/** os.CreateTemp(dir, "kubectl-edit-*.yaml"): a new file with a random decimal part. */
function createTemp(dir: string, text: string): string {
  for (;;) {
    const path = join(dir, `kubectl-edit-${randomInt(0, 2 ** 32)}.yaml`);
    try {
      writeFileSync(path, text, { flag: "wx", mode: 0o600 });
      return path;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
}

/** cmdutil.ManualStrip: drops lines whose first non-blank is `#` (but not `#!`). */
function manualStrip(text: string): string {
  return text
    .split("\n")
    .filter((l) => !(l.trim().startsWith("#") && !l.trim().startsWith("#!")))
    .join("\n");
}

/** cmdutil.StripComments: the file as JSON (so comments and formatting do not count), else manually stripped. */
function stripComments(text: string): string {
  try {
    return JSON.stringify(parse(text, { version: "1.1", uniqueKeys: false }) ?? null);
  } catch {
    return manualStrip(text);
  }
}

/**
 * The client-side check that stays on when the server validates fields
 * (paramVerifyingSchema): the file must be one object with apiVersion and
 * kind. The reason it is not, or undefined.
 */
function validateBytes(text: string): string | undefined {
  let value: unknown;
  try {
    value = parse(text, { version: "1.1", uniqueKeys: false });
  } catch {
    try {
      decodeStream(manualStrip(text), "edited-file");
    } catch (e) {
      // yaml.ToJSON's own error here, without the builder's prefix.
      return (e as Error).message.replace(/^error converting YAML to JSON: /, "");
    }
    return undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "invalid object to validate";
  const o = value as Obj;
  const errs: string[] = [];
  if (o.apiVersion === undefined || o.apiVersion === null) errs.push("apiVersion not set");
  else if (typeof o.apiVersion !== "string") errs.push("apiVersion isn't string type");
  if (o.kind === undefined || o.kind === null) errs.push("kind not set");
  else if (typeof o.kind !== "string") errs.push("kind isn't string type");
  if (errs.length === 0) return undefined;
  return errs.length === 1 ? errs[0] : `[${errs.join(", ")}]`;
}

/** hasLines: whether any line holds something other than blanks and comments. */
function hasLines(text: string): boolean {
  return text.split("\n").some((l) => l.trim() !== "" && !l.trim().startsWith("#"));
}

/** hashOnLineBreak: continues a multi-line message as comment lines. */
function hashOnLineBreak(s: string): string {
  let r = "";
  for (let k = 0; k < s.length; k++) r += s[k] === "\n" && k + 1 < s.length && s[k + 1] !== "#" ? "\n# " : s[k];
  return r;
}

function headerWith(reasons: EditReason[]): string {
  let h = HEADER;
  for (const r of reasons) {
    h += r.other.length > 0 ? `# ${hashOnLineBreak(r.head)}:\n` : `# ${hashOnLineBreak(r.head)}\n`;
    for (const o of r.other) h += `# * ${hashOnLineBreak(o)}\n`;
    h += "#\n";
  }
  return h;
}

function withoutManagedFields(obj: Obj): Obj {
  const copy = structuredClone(obj);
  const md = copy.metadata as Obj | undefined;
  if (md) delete md.managedFields;
  return copy;
}

const uidOf = (o: Obj) => String((o.metadata as Obj | undefined)?.uid ?? "");

/** preservedFile: tells where the edit was kept, then fails with err. */
function preserved(io: CommandIO, err: Error, path: string): Error {
  if (path && existsSync(path)) io.stderr.write(`A copy of your changes has been stored to ${JSON.stringify(path)}\n`);
  return err;
}

export async function run(ctx: CommandContext): Promise<number> {
  const { flags, io } = ctx;
  if (flags.strings("filename").length > 0) throw new UsageError("-f is not available for edit in kubelab's kubectl");
  const format = flags.string("output");
  const asJSON = format === "json";
  if (format && format !== "json" && format !== "yaml") {
    throw new UsageError(`unable to match a printer suitable for the output format ${JSON.stringify(format)}, allowed formats are: json,yaml`);
  }
  const validation = validationDirective(flags.string("validate", "strict"));
  const subresource = flags.string("subresource");
  // EditOptions.Validate before 1.32 knew one subresource.
  if (subresource && subresource !== "status" && !(await ctx.factory.clientBehaviour()).has("editAnySubresource")) {
    throw new UsageError(`invalid subresource value: ${JSON.stringify(subresource)}. Must be one of [status]`);
  }
  const { namespace } = ctx.factory.namespace();
  if (ctx.args.length === 0) {
    throw new UsageError(
      "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
    );
  }
  const rest = await ctx.factory.rest();
  const disco = await ctx.factory.discovery();
  // ResourceTypeOrNameArgs(true, …): a bare TYPE edits every object of it.
  const infos = await fetchInfos({ rest, disco, args: ctx.args, namespace, selector: flags.string("selector"), all: true, allNamespaces: false });
  if (infos.length === 0) throw new UsageError("edit cancelled, no objects found");
  // The builder's Subresource() (1.32 checks no name; the server answers for unknown ones): what is edited is the subresource's own object (a Scale, or the object via /status).
  if (subresource) {
    for (const info of infos) info.obj = await rest.json<Obj>("GET", pathFor(info.resource, info.namespace, info.name, subresource));
  }

  const editor = editorCommand(io.env);
  const dir = io.env.TMPDIR || "/tmp";
  const originals = infos.map((i) => withoutManagedFields(i.obj));
  const shown: Obj =
    originals.length === 1 ? originals[0]! : { apiVersion: "v1", kind: "List", metadata: {}, items: originals };
  const body = (o: Obj) => (asJSON ? goJSONIndent(o, true) : toYAML(o));
  const openapi = new OpenAPIV3Root(rest);

  let reasons: EditReason[] = [];
  let containsError = false;
  let original = "";
  let edited = "";
  let previousFile = "";
  for (;;) {
    let text = asJSON ? "" : headerWith(reasons);
    if (!containsError) {
      text += body(shown);
      original = text;
    } else {
      // Reopen what the learner wrote, under the new header.
      text += manualStrip(edited);
    }
    const before = edited;
    // crlf.NewCRLFWriter: what kubectl on Windows writes by default.
    if (flags.bool("windows-line-endings")) text = text.replace(/\r?\n/g, "\r\n");
    const file = createTemp(dir, text);
    try {
      await launch(io, editor, file);
    } catch (e) {
      throw preserved(io, e as Error, previousFile);
    }
    edited = readFileSync(file, "utf8");
    if (containsError && stripComments(before) === stripComments(edited)) {
      throw preserved(io, new Error("Edit cancelled, no valid changes were saved."), file);
    }
    if (previousFile) rmSync(previousFile, { force: true });

    const invalid = validation === "Ignore" ? undefined : validateBytes(edited);
    if (invalid !== undefined) {
      previousFile = file;
      containsError = true;
      const what = qualifiedResource(infos[0]!.resource);
      const name = JSON.stringify(infos[0]!.name);
      reasons = [{ head: `${what} ${name} was not valid`, other: [`<nil>: Invalid value: "The edited file failed validation": ${invalid}`] }];
      io.stderr.write(`error: ${what} ${name} is invalid\n`);
      continue;
    }

    if (stripComments(original) === stripComments(edited)) {
      rmSync(file, { force: true });
      io.stderr.write("Edit cancelled, no changes made.\n");
      return 0;
    }
    if (!hasLines(edited)) {
      rmSync(file, { force: true });
      io.stderr.write("Edit cancelled, saved file was empty.\n");
      return 0;
    }
    previousFile = file;
    reasons = [];

    let updated: Obj[];
    try {
      // Mapped as the builder maps a stream: an object of a kind the server does not serve is an error here.
      const objs = flatten(decodeStream(edited, "edited-file"));
      await buildInfos(
        objs.map((obj) => ({ obj, source: "edited-file" })),
        { disco, namespace, explicitNamespace: false, validate: false },
      );
      updated = objs;
    } catch (e) {
      containsError = true;
      reasons.push({ head: `The edited file had a syntax error: ${(e as Error).message}`, other: [] });
      continue;
    }
    containsError = false;

    const result = await patchAll(ctx, { infos, originals, updated, namespace, validation, openapi, file });
    if (result.retryable > 0) {
      io.stderr.write(`You can run \`kubectl replace -f ${file}\` to try this update again.\n`);
      return 1;
    }
    if (result.notfound > 0) {
      io.stderr.write(`The edits you made on deleted resources have been saved to ${JSON.stringify(file)}\n`);
      return 1;
    }
    if (result.reasons.length === 0) {
      rmSync(file, { force: true });
      return 0;
    }
    reasons = result.reasons;
    containsError = true;
  }
}

/** visitToPatch: patches each edited object that changed; invalid ones become reasons to reopen. */
async function patchAll(
  ctx: CommandContext,
  o: { infos: Info[]; originals: Obj[]; updated: Obj[]; namespace: string; validation: string; openapi: OpenAPIV3Root; file: string },
): Promise<{ reasons: EditReason[]; retryable: number; notfound: number }> {
  const { io, flags } = ctx;
  const rest = await ctx.factory.rest();
  const out = { reasons: [] as EditReason[], retryable: 0, notfound: 0 };
  const fail = (err: Error) => preserved(io, err, o.file);
  for (const obj of o.updated) {
    const md = (obj.metadata ?? {}) as Obj;
    const ns = typeof md.namespace === "string" ? md.namespace : "";
    const at = o.originals.findIndex((x) => uidOf(x) === uidOf(obj));
    if (at < 0) throw fail(new Error(`no original object found for ${JSON.stringify(obj)}`));
    const info = o.infos[at]!;
    if (info.resource.namespaced && ns && ns !== o.namespace) {
      throw fail(
        new Error(`the namespace from the provided object ${JSON.stringify(ns)} does not match the namespace ${JSON.stringify(o.namespace)}. You must pass '--namespace=${ns}' to perform this operation.`),
      );
    }
    const originalObj = o.originals[at]!;
    // --save-config: the edited object becomes its own last-applied configuration (visitAnnotation).
    const editedObj = flags.bool("save-config") ? createApplyAnnotation(withoutManagedFields(obj)) : withoutManagedFields(obj);
    const name = `${kindPrefix(info.resource)}/${info.name}`;
    if (deepEqual(originalObj, editedObj)) {
      io.stdout.write(`${name} skipped\n`);
      continue;
    }
    const om = (originalObj.metadata ?? {}) as Obj;
    if (originalObj.apiVersion !== editedObj.apiVersion || originalObj.kind !== editedObj.kind || om.name !== ((editedObj.metadata ?? {}) as Obj).name) {
      throw fail(new Error("At least one of apiVersion, kind and name was changed"));
    }
    const meta = (await o.openapi.patchMetaFor(info.resource.group, info.resource.version, info.resource.kind)) ?? EMPTY_PATCH_META;
    const patch = createTwoWayMergePatch(originalObj, editedObj, meta);
    if (flags.bool("output-patch")) io.stdout.write(`Patch: ${goJSON(patch)}\n`);
    let patched: Obj;
    try {
      patched = await rest.json<Obj>("PATCH", pathFor(info.resource, info.namespace, info.name, flags.string("subresource") || undefined), {
        body: goJSON(patch),
        contentType: "application/strategic-merge-patch+json",
        query: { fieldManager: flags.string("field-manager", "kubectl-edit"), fieldValidation: o.validation },
      });
    } catch (e) {
      io.stderr.write(`${addError(e, info, out)}\n`);
      continue;
    }
    const format = flags.string("output");
    io.stdout.write(format ? printGeneric(patched, parseOutputFormat(format)) : `${name} edited\n`);
  }
  return out;
}

/** editResults.addError: what kubectl prints for a failed patch, and what it does next. */
function addError(err: unknown, info: Info, r: { reasons: EditReason[]; retryable: number; notfound: number }): string {
  const what = qualifiedResource(info.resource);
  if (err instanceof StatusError && err.status.reason === "Invalid") {
    const causes = (err.status.details?.causes ?? []).map((c) => `${c.field ?? ""}: ${c.message ?? ""}`);
    r.reasons.push({ head: `${what} ${JSON.stringify(info.name)} was not valid`, other: causes });
    return `error: ${what} ${JSON.stringify(info.name)} is invalid`;
  }
  if (err instanceof StatusError && err.status.reason === "NotFound") {
    r.notfound++;
    return `error: ${what} ${JSON.stringify(info.name)} could not be found on the server`;
  }
  r.retryable++;
  return `error: ${what} ${JSON.stringify(info.name)} could not be patched: ${err instanceof StatusError ? err.status.message : (err as Error).message}`;
}
