// etcdctl (v3 API, etcd 3.5) on a node: `get KEY [--prefix] [--keys-only]
// [--print-value-only] [-w json]`, `version`, `endpoint health`, `member list`
// against the cluster's store. kubeadm's etcd serves only TLS with client
// certificates, so without --cacert/--cert/--key the call times out with the
// real "context deadline exceeded"; the certificates exist only on the
// control-plane node. Values are printed as JSON: real Kubernetes stores
// built-in types as protobuf ("k8s\0…"), which would print as binary.
// Leaves out: put/del/watch/txn, leases, auth, range ends.

import type { KObject } from "../../apimachinery/meta.ts";
import type { KeyValue } from "../../storage/etcd.ts";
import type { CommandIO } from "../../utils/command.ts";
import type { NodeToolContext } from "./context.ts";

const ETCD_VERSION = "3.5.16";
/** etcdctl's --command-timeout default: a call that gets no answer fails after this. */
const COMMAND_TIMEOUT_MS = 5000;
const MEMBER_ID = "8e9e05c52164694d";

/** The PKI kubeadm writes on the control-plane node. */
const CONTROL_PLANE_FILES = new Set([
  "/etc/kubernetes/pki/etcd/ca.crt",
  "/etc/kubernetes/pki/etcd/ca.key",
  "/etc/kubernetes/pki/etcd/server.crt",
  "/etc/kubernetes/pki/etcd/server.key",
  "/etc/kubernetes/pki/etcd/peer.crt",
  "/etc/kubernetes/pki/etcd/peer.key",
  "/etc/kubernetes/pki/etcd/healthcheck-client.crt",
  "/etc/kubernetes/pki/etcd/healthcheck-client.key",
  "/etc/kubernetes/pki/apiserver-etcd-client.crt",
  "/etc/kubernetes/pki/apiserver-etcd-client.key",
]);

interface Options {
  args: string[];
  prefix: boolean;
  keysOnly: boolean;
  valueOnly: boolean;
  countOnly: boolean;
  limit: number;
  write: "simple" | "json" | "table";
  endpoints: string[];
  tls: { cacert?: string; cert?: string; key?: string };
}

function parse(argv: string[], env: CommandIO["env"], io: CommandIO): Options | number {
  const o: Options = {
    args: [],
    prefix: false,
    keysOnly: false,
    valueOnly: false,
    countOnly: false,
    limit: 0,
    write: "simple",
    endpoints: (env.ETCDCTL_ENDPOINTS ?? "127.0.0.1:2379").split(","),
    tls: { cacert: env.ETCDCTL_CACERT, cert: env.ETCDCTL_CERT, key: env.ETCDCTL_KEY },
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.indexOf("=");
    const flag = a.startsWith("--") && eq > 0 ? a.slice(0, eq) : a;
    const value = (): string | undefined => (a.startsWith("--") && eq > 0 ? a.slice(eq + 1) : argv[++i]);
    switch (flag) {
      case "--prefix":
        o.prefix = true;
        break;
      case "--keys-only":
        o.keysOnly = true;
        break;
      case "--print-value-only":
        o.valueOnly = true;
        break;
      case "--count-only":
        o.countOnly = true;
        break;
      case "--limit":
        o.limit = Number(value() ?? 0);
        break;
      case "-w":
      case "--write-out": {
        const v = value();
        if (v !== "simple" && v !== "json" && v !== "table") {
          io.stderr.write(`Error: unknown output format "${v}"\n`);
          return 1;
        }
        o.write = v;
        break;
      }
      case "--endpoints":
        o.endpoints = (value() ?? "").split(",");
        break;
      case "--cacert":
        o.tls.cacert = value();
        break;
      case "--cert":
        o.tls.cert = value();
        break;
      case "--key":
        o.tls.key = value();
        break;
      case "--insecure-skip-tls-verify":
      case "--debug":
      case "--hex":
        break;
      case "--dial-timeout":
      case "--command-timeout":
      case "--user":
        value();
        break;
      default:
        if (a.startsWith("-") && a !== "-") {
          io.stderr.write(`Error: unknown flag: ${flag}\n`);
          return 1;
        }
        o.args.push(a);
    }
  }
  return o;
}

function endpointHost(ep: string): string {
  return ep.replace(/^https?:\/\//, "").replace(/:\d+$/, "");
}

/** The timeout etcdctl prints when its gRPC connection never completes. */
function deadlineError(now: number, ep: string, cause: string): string {
  const ts = new Date(now).toISOString();
  const target = `etcd-endpoints://0xc000390000/${ep.replace(/^https?:\/\//, "")}`;
  return (
    `{"level":"warn","ts":"${ts}","logger":"etcd-client","caller":"v3@v3.5.16/retry_interceptor.go:63","msg":"retrying of unary invoker failed","target":"${target}","attempt":0,"error":"rpc error: code = DeadlineExceeded desc = latest balancer error: last connection error: connection error: desc = \\"${cause}\\""}\n` +
    "Error: context deadline exceeded\n"
  );
}

function waitTimeout(ctx: NodeToolContext, io: CommandIO): Promise<boolean> {
  return new Promise((resolve) => {
    if (io.signal.aborted) return resolve(false);
    const timer = ctx.cluster.clock.setTimer(COMMAND_TIMEOUT_MS, () => resolve(true));
    io.signal.addEventListener(
      "abort",
      () => {
        timer.cancel();
        resolve(false);
      },
      { once: true },
    );
  });
}

/** Stored objects as the apiserver would encode them: resourceVersion lives in etcd's revision, not the value. */
function encode(kv: KeyValue<KObject>): string {
  const { resourceVersion: _rv, ...metadata } = kv.value.metadata;
  return JSON.stringify({ ...kv.value, metadata });
}

export async function etcdctl(argv: string[], io: CommandIO, ctx: NodeToolContext): Promise<number> {
  const parsed = parse(argv, io.env, io);
  if (typeof parsed === "number") return parsed;
  const o = parsed;
  const cluster = ctx.cluster;
  // kubeadm init ran on the first node: etcd's static pod and its PKI are there.
  const [etcdNode, etcdHost] = [...cluster.hosts][0]!;
  const verb = o.args.shift();
  if (verb === "version") {
    io.stdout.write(`etcdctl version: ${ETCD_VERSION}\nAPI version: 3.5\n`);
    return 0;
  }
  if (verb === undefined) {
    io.stdout.write("NAME:\n\tetcdctl - A simple command line client for etcd3.\n\nUSAGE:\n\tetcdctl [flags]\n");
    return 0;
  }
  for (const file of [o.tls.cacert, o.tls.cert, o.tls.key]) {
    if (file !== undefined && !(ctx.node === etcdNode && CONTROL_PLANE_FILES.has(file))) {
      io.stderr.write(`Error: open ${file}: no such file or directory\n`);
      return 1;
    }
  }
  const ep = o.endpoints[0] ?? "127.0.0.1:2379";
  const target = endpointHost(ep);
  const reachesEtcd = ((target === "127.0.0.1" || target === "localhost") && ctx.node === etcdNode) || target === etcdHost.ip;
  const withCerts = o.tls.cacert !== undefined && o.tls.cert !== undefined && o.tls.key !== undefined;
  if (!reachesEtcd || !withCerts || !ep.startsWith("https://")) {
    const cause = !reachesEtcd
      ? `transport: Error while dialing: dial tcp ${target === "localhost" ? "127.0.0.1" : target}:2379: connect: connection refused`
      : "error reading server preface: EOF";
    if (!(await waitTimeout(ctx, io))) return 130;
    io.stderr.write(deadlineError(cluster.clock.now(), ep, cause));
    return 1;
  }
  const etcd = cluster.api.etcd;
  switch (verb) {
    case "get": {
      const key = o.args[0];
      if (key === undefined) {
        io.stderr.write("Error: get command needs one argument as key and an optional argument as range_end\n");
        return 1;
      }
      let kvs = o.prefix ? etcd.range(key) : [etcd.get(key)].filter((kv): kv is KeyValue<KObject> => kv !== undefined);
      const count = kvs.length;
      if (o.limit > 0) kvs = kvs.slice(0, o.limit);
      if (o.write === "json") {
        const b64 = (s: string) => Buffer.from(s).toString("base64");
        const body = {
          header: "__HEADER__",
          kvs: kvs.map((kv) => ({
            key: b64(kv.key),
            create_revision: kv.createRevision,
            mod_revision: kv.modRevision,
            version: 1,
            ...(o.keysOnly ? {} : { value: b64(encode(kv)) }),
          })),
          count,
        };
        // cluster_id and member_id are uint64s: printed as bare numbers, too big for a JS number.
        const h = `{"cluster_id":14841639068965178418,"member_id":10276657743932975437,"revision":${etcd.revision},"raft_term":2}`;
        io.stdout.write(`${JSON.stringify(body).replace('"__HEADER__"', h)}\n`);
        return 0;
      }
      if (o.countOnly) {
        io.stdout.write(`${count}\n`);
        return 0;
      }
      for (const kv of kvs) {
        if (o.keysOnly) io.stdout.write(`${kv.key}\n\n`);
        else if (o.valueOnly) io.stdout.write(`${encode(kv)}\n`);
        else io.stdout.write(`${kv.key}\n${encode(kv)}\n`);
      }
      return 0;
    }
    case "endpoint": {
      if (o.args[0] !== "health" && o.args[0] !== "status") {
        io.stderr.write(`Error: unknown command "${o.args[0] ?? ""}" for "etcdctl endpoint"\n`);
        return 1;
      }
      if (o.args[0] === "health") io.stdout.write(`${ep} is healthy: successfully committed proposal: took = 9.215307ms\n`);
      else io.stdout.write(`${ep}, ${MEMBER_ID}, ${ETCD_VERSION}, ${(etcd.size * 2.1 / 1024).toFixed(1)} MB, true, false, 2, ${etcd.revision}, ${etcd.revision}, \n`);
      return 0;
    }
    case "member": {
      if (o.args[0] !== "list") {
        io.stderr.write(`Error: unknown command "${o.args[0] ?? ""}" for "etcdctl member"\n`);
        return 1;
      }
      io.stdout.write(`${MEMBER_ID}, started, ${etcdNode}, https://${etcdHost.ip}:2380, https://${etcdHost.ip}:2379, false\n`);
      return 0;
    }
    default:
      io.stderr.write(`Error: unknown command "${verb}" for "etcdctl"\nRun 'etcdctl --help' for usage.\n`);
      return 1;
  }
}
