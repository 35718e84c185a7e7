// `kubectl create configmap NAME [--from-file] [--from-literal]
// [--from-env-file] [--append-hash]`, after
// k8s.io/kubectl/pkg/cmd/create/create_configmap.go: files first, then
// literals, then env files; UTF-8 content goes to data, anything else to
// binaryData (base64). Leaves out nothing.

import { UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";
import type { Obj } from "../manifest.ts";
import { configMapHash } from "./createhash.ts";
import { configMapKeyErrors, type Entry, envFileSources, fileSources, literalSources, sortedRecord } from "./createsources.ts";
import { collectionPath, completeCreate, objectMeta, submit } from "./createsubcommand.ts";

function isUTF8(b: Buffer): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}

export async function run(ctx: CommandContext): Promise<number> {
  const { flags } = ctx;
  const setup = completeCreate(ctx);
  const files = flags.strings("from-file");
  const literals = flags.strings("from-literal");
  const envFiles = flags.strings("from-env-file");
  if (envFiles.length > 0 && (files.length > 0 || literals.length > 0)) throw new UsageError("from-env-file cannot be combined with from-file or from-literal");

  const data: Record<string, string> = {};
  const binaryData: Record<string, string> = {};
  const add = (e: Entry, fromFile: boolean): void => {
    const errs = configMapKeyErrors(e.key);
    if (errs.length > 0) throw new UsageError(`${JSON.stringify(e.key)} is not a valid key name for a ConfigMap: ${errs.join(",")}`);
    const taken = (where: string) => new UsageError(`cannot add key ${JSON.stringify(e.key)}, another key by that name already exists in ${where} for ConfigMap ${JSON.stringify(setup.name)}`);
    if (Object.hasOwn(data, e.key)) throw taken("Data");
    if (Object.hasOwn(binaryData, e.key)) throw taken("BinaryData");
    if (!fromFile || isUTF8(e.value)) data[e.key] = e.value.toString("utf8");
    else binaryData[e.key] = e.value.toString("base64");
  };
  fileSources(files, ctx.io.cwd, (e) => add(e, true));
  literalSources(literals, (e) => add(e, false));
  envFileSources(envFiles, { cwd: ctx.io.cwd, env: ctx.io.env, what: "config" }, (e) => add(e, false));
  if (flags.bool("append-hash")) setup.name = `${setup.name}-${configMapHash(setup.name, data, binaryData)}`;

  const obj: Obj = {
    kind: "ConfigMap",
    apiVersion: "v1",
    metadata: objectMeta(setup),
    ...(Object.keys(data).length > 0 ? { data: sortedRecord(data) } : {}),
    ...(Object.keys(binaryData).length > 0 ? { binaryData: sortedRecord(binaryData) } : {}),
  };
  return submit(ctx, setup, obj, {
    path: collectionPath("", "v1", "configmaps", setup.namespace),
    prefix: "configmap",
    failure: (m) => `failed to create configmap: ${m}`,
  });
}
