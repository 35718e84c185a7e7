// The key/value sources of `kubectl create configmap` and `create secret
// generic|docker-registry`, after k8s.io/kubectl/pkg/util (ParseFileSource,
// ParseLiteralSource, env_file.go) and the handle*Sources helpers of
// create_configmap.go and create_secret.go: --from-file=[key=]path (a
// directory gives one key per regular file), --from-literal=key=value and
// --from-env-file lines, each checked against the config-key rules.
// Leaves out nothing; the key checks and duplicate messages are the callers'.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join, posix } from "node:path";
import { UsageError } from "../errors.ts";

/** A map with sorted keys: Go marshals map[string]… sorted, even inside a typed object. */
export function sortedRecord(r: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(r).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))).map((k) => [k, r[k]!]));
}

export interface Entry {
  key: string;
  value: Buffer;
}

/** Go's os.PathError text for the errno the read failed with. */
function pathErrorText(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === "ENOENT") return "no such file or directory";
  if (code === "EACCES") return "permission denied";
  if (code === "EISDIR") return "is a directory";
  if (code === "ENOTDIR") return "not a directory";
  return (e as Error).message;
}

/** validation.IsConfigMapKey's messages. */
export function configMapKeyErrors(key: string): string[] {
  const errs: string[] = [];
  if (key.length > 253) errs.push("must be no more than 253 characters");
  if (!/^[-._a-zA-Z0-9]+$/.test(key)) {
    errs.push(
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    );
  }
  if (key === ".") errs.push("must not be '.'");
  else if (key === "..") errs.push("must not be '..'");
  else if (key.startsWith("..")) errs.push("must not start with '..'");
  return errs;
}

/** util.ParseLiteralSource: key=value (the value may hold more "="), each added before the next is parsed. */
export function literalSources(sources: string[], add: (e: Entry) => void): void {
  for (const source of sources) {
    const eq = source.indexOf("=");
    if (eq < 0) throw new UsageError(`invalid literal source ${source}, expected key=value`);
    add({ key: source.slice(0, eq), value: Buffer.from(source.slice(eq + 1)) });
  }
}

/** util.ParseFileSource: `path` (key = base name) or `key=path`. */
function parseFileSource(source: string): { key: string; path: string } {
  const n = source.split("=").length - 1;
  if (n === 0) return { key: posix.basename(source), path: source };
  if (n === 1 && source.startsWith("=")) throw new UsageError(`key name for file path ${source.slice(1)} missing`);
  if (n === 1 && source.endsWith("=")) throw new UsageError(`file path for key name ${source.slice(0, -1)} missing`);
  if (n > 1) throw new UsageError("key names or file paths cannot contain '='");
  const [key, path] = source.split("=");
  return { key: key!, path: path! };
}

/**
 * handle*FromFileSources: each source's file, or a directory's regular files
 * by name (os.ReadDir order: sorted). add receives each key in turn, so a bad
 * key stops the walk where kubectl stops.
 */
export function fileSources(sources: string[], cwd: string, add: (e: Entry) => void): void {
  const abs = (p: string) => (isAbsolute(p) ? p : join(cwd, p));
  const read = (p: string): Buffer => {
    try {
      return readFileSync(abs(p));
    } catch (e) {
      throw new UsageError(`error reading ${p}: ${pathErrorText(e)}`);
    }
  };
  for (const source of sources) {
    const { key, path } = parseFileSource(source);
    let isDir: boolean;
    try {
      isDir = statSync(abs(path)).isDirectory();
    } catch (e) {
      throw new UsageError(`error reading ${path}: ${pathErrorText(e)}`);
    }
    if (!isDir) {
      add({ key, value: read(path) });
      continue;
    }
    if (source.includes("=")) throw new UsageError("cannot give a key name for a directory path");
    for (const d of readdirSync(abs(path), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (d.isFile()) add({ key: d.name, value: read(posix.join(path, d.name)) });
    }
  }
}

/** validation.IsEnvVarName's message. */
function envVarNameErrors(key: string): string[] {
  const errs: string[] = [];
  if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(key)) {
    errs.push(
      "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
    );
  }
  if (key === ".") errs.push("must not be '.'");
  else if (key === "..") errs.push("must not be '..'");
  else if (key.startsWith("..")) errs.push("must not start with '..'");
  return errs;
}

/**
 * env_file.go AddFromEnvFile: per line (a leading BOM dropped), left-trimmed;
 * blank lines and `#` comments skipped; KEY=VALUE, or KEY alone for the
 * value of KEY in kubectl's own environment (empty when unset).
 */
export function envFileSources(
  sources: string[],
  opts: { cwd: string; env: Record<string, string | undefined>; what: "config" | "secret" },
  add: (e: Entry) => void,
): void {
  const { cwd, env } = opts;
  for (const source of sources) {
    let text: string;
    try {
      const st = statSync(isAbsolute(source) ? source : join(cwd, source));
      if (st.isDirectory()) throw new UsageError(`env ${opts.what} file cannot be a directory`);
      text = readFileSync(isAbsolute(source) ? source : join(cwd, source), "utf8");
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`error reading ${source}: ${pathErrorText(e)}`);
    }
    const lines = text.split("\n");
    lines.forEach((raw, i) => {
      let line = i === 0 ? raw.replace(/^\ufeff/, "") : raw;
      line = line.replace(/\r$/, "");
      line = line.replace(/^[\t\n\v\f\r \u0085\u00a0]+/, "");
      if (line.length === 0 || line.startsWith("#")) return;
      const eq = line.indexOf("=");
      const key = eq >= 0 ? line.slice(0, eq) : line;
      const errs = envVarNameErrors(key);
      if (errs.length > 0) throw new UsageError(`${JSON.stringify(key)} is not a valid key name: ${errs.join(";")}`);
      // KEY alone takes kubectl's own environment, empty when unset.
      add({ key, value: Buffer.from(eq >= 0 ? line.slice(eq + 1) : (env[key] ?? "")) });
    });
  }
}
