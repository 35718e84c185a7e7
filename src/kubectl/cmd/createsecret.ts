// `kubectl create secret generic|tls|docker-registry NAME`, after
// k8s.io/kubectl/pkg/cmd/create (create_secret.go, create_secret_tls.go,
// create_secret_docker.go): generic takes files, literals or env files and
// --type; tls reads --cert/--key and checks they pair up (crypto/tls
// X509KeyPair's first checks); docker-registry writes a .dockerconfigjson
// from the --docker-* flags, or takes --from-file. Leaves out X509KeyPair's
// rarer messages (non-key PEM blocks, unsupported key types).

import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { UsageError } from "../errors.ts";
import type { CommandContext } from "../kubectl.ts";
import type { Obj } from "../manifest.ts";
import { goJSON } from "../printers/json.ts";
import { secretHash } from "./createhash.ts";
import { configMapKeyErrors, type Entry, envFileSources, fileSources, literalSources, sortedRecord } from "./createsources.ts";
import { collectionPath, completeCreate, type CreateSetup, objectMeta, submit } from "./createsubcommand.ts";

const ENV_CONFLICT = "from-env-file cannot be combined with from-file or from-literal";

/** The secret's data, keyed as added; addKeyFromLiteralToSecret's checks. */
class SecretData {
  readonly data: Record<string, string> = {};

  add(e: Entry): void {
    const errs = configMapKeyErrors(e.key);
    if (errs.length > 0) throw new UsageError(`${JSON.stringify(e.key)} is not valid key name for a Secret ${errs.join(";")}`);
    if (Object.hasOwn(this.data, e.key)) throw new UsageError(`cannot add key ${e.key}, another key by that name already exists`);
    this.data[e.key] = e.value.toString("base64");
  }
}

/** readFile in create_secret_tls.go: os.Open's error, prefixed as it wraps it. */
function readFileOrOpenError(path: string, cwd: string): Buffer {
  try {
    return readFileSync(isAbsolute(path) ? path : join(cwd, path));
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === "ENOENT" ? "no such file or directory" : code === "EACCES" ? "permission denied" : (e as Error).message;
    throw new UsageError(`Cannot read file ${path}, open ${path}: ${why}`);
  }
}

/** The first checks of crypto/tls X509KeyPair: PEM present in both, and the key matches the certificate. */
function checkKeyPair(cert: Buffer, key: Buffer): void {
  const pem = /-----BEGIN [^-]+-----/;
  if (!pem.test(cert.toString("latin1"))) throw new UsageError("tls: failed to find any PEM data in certificate input");
  if (!pem.test(key.toString("latin1"))) throw new UsageError("tls: failed to find any PEM data in key input");
  let ok: boolean;
  try {
    ok = new X509Certificate(cert).checkPrivateKey(createPrivateKey(key));
  } catch {
    ok = false;
  }
  if (!ok) throw new UsageError("tls: private key does not match public key");
}

/** generateDockerConfigJSONContent: one auths entry with the base64 of user:password. */
function dockerConfigJSON(username: string, password: string, email: string, server: string): Buffer {
  const entry = {
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    ...(email ? { email } : {}),
    auth: Buffer.from(`${username}:${password}`).toString("base64"),
  };
  return Buffer.from(goJSON({ auths: { [server]: entry } }, false));
}

function build(ctx: CommandContext, kind: string, setup: CreateSetup, secrets: SecretData): string {
  const { flags } = ctx;
  const cwd = ctx.io.cwd;
  switch (kind) {
    case "generic": {
      const files = flags.strings("from-file");
      const literals = flags.strings("from-literal");
      const envFiles = flags.strings("from-env-file");
      if (envFiles.length > 0 && (files.length > 0 || literals.length > 0)) throw new UsageError(ENV_CONFLICT);
      fileSources(files, cwd, (e) => secrets.add(e));
      literalSources(literals, (e) => secrets.add(e));
      envFileSources(envFiles, { cwd, env: ctx.io.env, what: "secret" }, (e) => secrets.add(e));
      return flags.string("type");
    }
    case "tls": {
      const certPath = flags.string("cert");
      const keyPath = flags.string("key");
      if (!certPath || !keyPath) throw new UsageError("key and cert must be specified");
      const cert = readFileOrOpenError(certPath, cwd);
      const key = readFileOrOpenError(keyPath, cwd);
      checkKeyPair(cert, key);
      secrets.add({ key: "tls.crt", value: cert });
      secrets.add({ key: "tls.key", value: key });
      return "kubernetes.io/tls";
    }
    default: {
      const files = flags.strings("from-file");
      const username = flags.string("docker-username");
      const password = flags.string("docker-password");
      const server = flags.string("docker-server", "https://index.docker.io/v1/");
      if (files.length === 0 && (!username || !password || !server)) {
        throw new UsageError("either --from-file or the combination of --docker-username, --docker-password and --docker-server is required");
      }
      if (files.length > 0) fileSources(files, cwd, (e) => secrets.add(e));
      else secrets.add({ key: ".dockerconfigjson", value: dockerConfigJSON(username, password, flags.string("docker-email"), server) });
      return "kubernetes.io/dockerconfigjson";
    }
  }
}

export async function run(ctx: CommandContext): Promise<number> {
  const kind = ctx.commandPath.split(" ").pop()!;
  const setup = completeCreate(ctx);
  const secrets = new SecretData();
  const type = build(ctx, kind, setup, secrets);
  if (ctx.flags.bool("append-hash")) setup.name = `${setup.name}-${secretHash(setup.name, type, secrets.data)}`;
  const obj: Obj = {
    kind: "Secret",
    apiVersion: "v1",
    metadata: objectMeta(setup),
    ...(Object.keys(secrets.data).length > 0 ? { data: sortedRecord(secrets.data) } : {}),
    ...(type ? { type } : {}),
  };
  return submit(ctx, setup, obj, {
    path: collectionPath("", "v1", "secrets", setup.namespace),
    prefix: "secret",
    failure: (m) => `failed to create secret ${m}`,
  });
}
