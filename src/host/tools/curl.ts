// curl (8.5, as on Ubuntu 24.04) on a node or in a pod: GET or HEAD to a pod
// IP, a Service ClusterIP, a NodePort on any node, a node port such as the
// apiserver's 6443, or a name (node names from /etc/hosts; cluster DNS names
// only inside a pod: a node's own resolver does not know cluster.local).
// Traffic goes through this node's kube-proxy rules. Failures print curl's
// own errors and exit codes (6, 7, 28, 35, 52, 60, 22), after the time the
// kernel would take (EHOSTUNREACH ~3 s, SYN retries ~130 s, or -m/--connect-timeout).
// Flags: -s -S -v -i -I -o -w -m --connect-timeout -k -L -f -X -H.
// Leaves out: request bodies, redirects, cookies, HTTP/2, IPv6, proxies.

import type { CommandIO } from "../../utils/command.ts";
import { hostOf, type NodeToolContext } from "./context.ts";
import { connect } from "./netstack.ts";
import { resolveName } from "./netstack.ts";
import type { HttpResponse } from "./servers.ts";

const VERSION = "8.5.0";
/** When the kernel gives up on an unanswered SYN (tcp_syn_retries=6). */
const SYN_TIMEOUT_MS = 130_542;
/** When an unanswered ARP on the pod bridge gives EHOSTUNREACH. */
const ARP_TIMEOUT_MS = 3_071;

interface Options {
  url?: string;
  silent: boolean;
  showError: boolean;
  verbose: boolean;
  include: boolean;
  head: boolean;
  output?: string;
  writeOut?: string;
  maxTime?: number;
  connectTimeout?: number;
  insecure: boolean;
  fail: boolean;
  noMeter: boolean;
  method?: string;
}

const WITH_ARG = new Set(["o", "w", "m", "X", "H", "A", "e", "d", "u"]);
const LONG_WITH_ARG = new Set(["--output", "--write-out", "--max-time", "--connect-timeout", "--request", "--header", "--user-agent", "--referer", "--data", "--user", "--resolve", "--retry"]);

function parse(argv: string[], io: CommandIO): Options | number {
  const o: Options = { silent: false, showError: false, verbose: false, include: false, head: false, insecure: false, fail: false, noMeter: false };
  const set = (flag: string, v: string | undefined): number | undefined => {
    switch (flag) {
      case "s":
      case "--silent":
        o.silent = true;
        break;
      case "S":
      case "--show-error":
        o.showError = true;
        break;
      case "v":
      case "--verbose":
        o.verbose = true;
        break;
      case "i":
      case "--include":
        o.include = true;
        break;
      case "I":
      case "--head":
        o.head = true;
        break;
      case "k":
      case "--insecure":
        o.insecure = true;
        break;
      case "f":
      case "--fail":
        o.fail = true;
        break;
      case "--no-progress-meter":
        o.noMeter = true;
        break;
      case "L":
      case "--location":
        break;
      case "o":
      case "--output":
        o.output = v;
        break;
      case "w":
      case "--write-out":
        o.writeOut = v;
        break;
      case "m":
      case "--max-time":
        o.maxTime = Number(v);
        break;
      case "--connect-timeout":
        o.connectTimeout = Number(v);
        break;
      case "X":
      case "--request":
        o.method = v;
        break;
      case "H":
      case "--header":
      case "A":
      case "--user-agent":
      case "e":
      case "--referer":
      case "d":
      case "--data":
      case "u":
      case "--user":
      case "--resolve":
      case "--retry":
        break;
      default:
        io.stderr.write(`curl: option ${flag.startsWith("--") ? flag : `-${flag}`}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n`);
        return 2;
    }
    return undefined;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const flag = eq > 0 ? a.slice(0, eq) : a;
      let v: string | undefined;
      if (LONG_WITH_ARG.has(flag)) v = eq > 0 ? a.slice(eq + 1) : argv[++i];
      const r = set(flag, v);
      if (r !== undefined) return r;
    } else if (a.startsWith("-") && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        if (WITH_ARG.has(c)) {
          const v = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
          const r = set(c, v);
          if (r !== undefined) return r;
          break;
        }
        const r = set(c, undefined);
        if (r !== undefined) return r;
      }
    } else o.url ??= a;
  }
  return o;
}

interface Url {
  scheme: "http" | "https";
  host: string;
  port: number;
  path: string;
  /** What curl prints as the URL it used (scheme added, "/" appended). */
  effective: string;
  hostHeader: string;
}

function parseUrl(raw: string): Url | string {
  const m = raw.match(/^(?:([a-zA-Z][a-zA-Z0-9+.-]*):\/\/)?([^/:?#]*)(?::(\d*))?([^#]*)?/);
  if (!m) return "URL rejected: Malformed input to a URL function";
  const scheme = (m[1] ?? "http").toLowerCase();
  if (scheme !== "http" && scheme !== "https") return `Protocol "${scheme}" not supported`;
  const host = m[2]!;
  if (!host) return "URL rejected: No host part in the URL";
  const port = m[3] ? Number(m[3]) : scheme === "https" ? 443 : 80;
  if (port > 65535) return "URL rejected: Port number was not a decimal number between 0 and 65535";
  const path = m[4] || "/";
  const defaultPort = (scheme === "https" ? 443 : 80) === port;
  return {
    scheme,
    host,
    port,
    path: path.startsWith("/") ? path : `/${path}`,
    effective: `${scheme}://${host}${m[3] ? `:${m[3]}` : ""}${path.startsWith("/") ? path : `/${path}`}`,
    hostHeader: defaultPort ? host : `${host}:${port}`,
  } as Url;
}

/** curl's max5data: a 5-wide number, with k/M suffixes past 99999. */
function max5(n: number): string {
  if (n < 100_000) return String(Math.round(n)).padStart(5);
  if (n < 10_000 * 1024) return `${Math.floor(n / 1024)}k`.padStart(5);
  return `${Math.floor(n / 1024 / 1024)}M`.padStart(5);
}

function timeCol(ms: number): string {
  if (ms < 1000) return "--:--:--";
  const s = Math.floor(ms / 1000);
  return `${String(Math.floor(s / 3600)).padStart(2)}:${String(Math.floor(s / 60) % 60).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}

function meter(bytes: number, ms: number): string {
  const pct = bytes > 0 ? "100" : "  0";
  const speed = bytes > 0 ? bytes * 1000 : 0;
  return (
    "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n" +
    "                                 Dload  Upload   Total   Spent    Left  Speed\n" +
    `${pct} ${max5(bytes)}  ${pct} ${max5(bytes)}    0     0  ${max5(speed)}      0 --:--:-- ${timeCol(ms)} --:--:-- ${max5(speed)}\n`
  );
}

function sleep(ctx: NodeToolContext, io: CommandIO, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (io.signal.aborted) return resolve(false);
    const t = ctx.cluster.clock.setTimer(ms, () => resolve(true));
    io.signal.addEventListener(
      "abort",
      () => {
        t.cancel();
        resolve(false);
      },
      { once: true },
    );
  });
}

function writeOut(fmt: string, vars: Record<string, string>): string {
  return fmt
    .replace(/%\{([a-z_]+)\}/g, (all, k: string) => vars[k] ?? all)
    .replace(/\\n/g, "\n")
    .replace(/\\t/g, "\t")
    .replace(/\\r/g, "\r");
}

export async function curl(argv: string[], io: CommandIO, ctx: NodeToolContext): Promise<number> {
  const parsed = parse(argv, io);
  if (typeof parsed === "number") return parsed;
  const o = parsed;
  if (!o.url) {
    io.stderr.write("curl: no URL specified\ncurl: try 'curl --help' or 'curl --manual' for more information\n");
    return 2;
  }
  const url = parseUrl(o.url);
  const showErrors = !o.silent || o.showError;
  // curl draws its progress meter on stderr when the body is not going to a terminal.
  const showMeter = !o.silent && !o.noMeter && !o.verbose && (!io.isTTY || o.output !== undefined);
  const vars: Record<string, string> = { http_code: "000", remote_ip: "", remote_port: "", size_download: "0", url_effective: o.url, content_type: "", time_total: "0.000000" };
  let spent = 0;
  const fail = (code: number, msg: string): number => {
    if (showMeter) io.stderr.write(meter(0, spent));
    if (o.verbose) io.stderr.write(`* ${msg}\n* Closing connection\n`);
    if (showErrors) io.stderr.write(`curl: (${code}) ${msg}\n`);
    vars.time_total = (spent / 1000).toFixed(6);
    if (o.writeOut !== undefined) io.stdout.write(writeOut(o.writeOut, vars));
    return code;
  };
  if (typeof url === "string") return fail(url.startsWith("Protocol") ? 1 : 3, url);
  vars.url_effective = url.effective;

  const ip = await resolveName(ctx, url.host);
  if (!ip) return fail(6, `Could not resolve host: ${url.host}`);
  if (o.verbose) io.stderr.write(`*   Trying ${ip}:${url.port}...\n`);
  const conn = await connect(ctx, ip, url.port);
  const limitS = [o.connectTimeout, o.maxTime].filter((v): v is number => v !== undefined && v > 0);
  const limitMs = limitS.length ? Math.min(...limitS) * 1000 : undefined;
  const failConnect = (after: number) => `Failed to connect to ${url.host} port ${url.port} after ${after} ms: Couldn't connect to server`;
  if (conn.kind === "refused") {
    if (o.verbose) io.stderr.write(`* connect to ${ip} port ${url.port} from ${hostOf(ctx).ip} port 45678 failed: Connection refused\n`);
    return fail(7, failConnect(0));
  }
  if (conn.kind === "unreachable" || conn.kind === "timeout") {
    const natural = conn.kind === "unreachable" ? ARP_TIMEOUT_MS : SYN_TIMEOUT_MS;
    const wait = limitMs !== undefined && limitMs < natural ? limitMs + 1 : natural;
    if (!(await sleep(ctx, io, wait))) return 130;
    spent = wait;
    if (wait !== natural) return fail(28, `Failed to connect to ${url.host} port ${url.port} after ${wait} ms: Timeout was reached`);
    if (o.verbose) io.stderr.write(`* connect to ${ip} port ${url.port} from ${hostOf(ctx).ip} port 45678 failed: ${conn.kind === "unreachable" ? "No route to host" : "Connection timed out"}\n`);
    return fail(7, failConnect(wait));
  }
  vars.remote_ip = ip;
  vars.remote_port = String(url.port);
  if (o.verbose) io.stderr.write(`* Connected to ${url.host} (${ip}) port ${url.port}\n`);
  const listener = conn.listener;
  if (listener.kind === "closes") return fail(52, "Empty reply from server");
  if (url.scheme === "https" && !listener.tls) return fail(35, "OpenSSL/3.0.13: error:0A00010B:SSL routines::wrong version number");
  if (url.scheme === "https" && !o.insecure) {
    if (showMeter) io.stderr.write(meter(0, 0));
    if (showErrors) {
      io.stderr.write(
        "curl: (60) SSL certificate problem: unable to get local issuer certificate\nMore details here: https://curl.se/docs/sslcerts.html\n\n" +
          "curl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it. To learn more about this situation and\nhow to fix it, please visit the web page mentioned above.\n",
      );
    }
    if (o.writeOut !== undefined) io.stdout.write(writeOut(o.writeOut, vars));
    return 60;
  }

  const method = o.head ? "HEAD" : (o.method ?? "GET");
  const now = ctx.cluster.clock.now();
  let res: HttpResponse & { proto?: string };
  if (url.scheme === "http" && listener.tls) {
    // Go's TLS listener answers a plain-text request itself, with HTTP/1.0.
    res = { proto: "HTTP/1.0", status: 400, reason: "Bad Request", headers: [], body: "Client sent an HTTP request to an HTTPS server.\n" };
  } else {
    const req = { method, path: url.path, now };
    res = listener.serve(req);
    if (conn.server && listener.accessLog) {
      conn.server.runtime.writeLog(conn.server.containerId, listener.accessLog(req, res, { ip: conn.server.peerIP, userAgent: `curl/${VERSION}` }));
    }
  }
  const statusLine = `${res.proto ?? "HTTP/1.1"} ${res.status} ${res.reason}`;
  const headerText = `${statusLine}\r\n${res.headers.map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n`;
  vars.http_code = String(res.status);
  vars.size_download = String(method === "HEAD" ? 0 : res.body.length);
  vars.content_type = res.headers.find(([k]) => k === "Content-Type")?.[1] ?? "";
  vars.time_total = "0.001204";

  if (o.verbose) {
    io.stderr.write(`> ${method} ${url.path} HTTP/1.1\r\n> Host: ${url.hostHeader}\r\n> User-Agent: curl/${VERSION}\r\n> Accept: */*\r\n> \r\n`);
    io.stderr.write(headerText.split("\r\n").slice(0, -1).map((l) => `< ${l}\r\n`).join(""));
  }
  if (o.fail && res.status >= 400) return fail(22, `The requested URL returned error: ${res.status}`);
  let out = "";
  if (o.head || o.include) out += headerText;
  if (method !== "HEAD") out += res.body;
  if (showMeter) io.stderr.write(meter(method === "HEAD" ? 0 : res.body.length, 0));
  if (o.output === undefined || o.output === "-") io.stdout.write(out);
  if (o.verbose) io.stderr.write(`* Connection #0 to host ${url.host} left intact\n`);
  if (o.writeOut !== undefined) io.stdout.write(writeOut(o.writeOut, vars));
  return 0;
}
