// What answers on a socket a curl can reach: the servers inside well-known
// images (httpd's "It works!", nginx's welcome page, their 404 pages, and the
// non-HTTP ports of redis or postgres), and the control-plane and node
// daemons' ports (kube-apiserver 6443, kubelet 10250/10248, kube-proxy 10256).
// Versions match the startup lines in src/cri/behaviour.ts.
// Leaves out: request bodies, methods beyond GET/HEAD, keep-alive.

import { HTTPD_INDEX, NGINX_INDEX } from "../../cri/webroot.ts";

export interface HttpRequest {
  method: string;
  path: string;
  /** Cluster time, for the Date header. */
  now: number;
}

export interface HttpResponse {
  status: number;
  reason: string;
  headers: [string, string][];
  body: string;
}

/** A listening socket: an HTTP server, or a server that closes on an HTTP request. */
export type Listener =
  | {
      kind: "http";
      tls: boolean;
      serve(req: HttpRequest): HttpResponse;
      /** The line a server in a container logs to stdout for a request (httpd's and nginx's access log). */
      accessLog?(req: HttpRequest, res: HttpResponse, client: { ip: string; userAgent: string }): string;
    }
  | { kind: "closes" };

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const p2 = (n: number) => String(n).padStart(2, "0");

/** RFC 7231 IMF-fixdate: Wed, 25 Nov 2026 09:00:00 GMT */
export function httpDate(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]}, ${p2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} GMT`;
}

const HTTPD_404 =
  '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n';
const NGINX_VERSION = "1.29.3";
const NGINX_404 = `<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/${NGINX_VERSION}</center>\r\n</body>\r\n</html>\r\n`;

/** Common Log Format time: 25/Nov/2026:09:00:07 +0000 */
function clfTime(ms: number): string {
  const d = new Date(ms);
  return `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
}

function isIndex(path: string): boolean {
  const p = path.split("?")[0]!;
  return p === "/" || p === "" || p === "/index.html";
}

const httpd: Listener = {
  kind: "http",
  tls: false,
  serve(req) {
    const ok = isIndex(req.path);
    const body = ok ? HTTPD_INDEX : HTTPD_404;
    const headers: [string, string][] = [
      ["Date", httpDate(req.now)],
      ["Server", "Apache/2.4.65 (Unix)"],
    ];
    if (ok) headers.push(["Last-Modified", "Mon, 11 Jun 2007 18:53:14 GMT"], ["ETag", '"2d-432a5e4a73a80"'], ["Accept-Ranges", "bytes"]);
    headers.push(["Content-Length", String(body.length)], ["Content-Type", ok ? "text/html" : "text/html; charset=iso-8859-1"]);
    return { status: ok ? 200 : 404, reason: ok ? "OK" : "Not Found", headers, body };
  },
  // The httpd image's CustomLog is "common" to /proc/self/fd/1.
  accessLog: (req, res, client) => `${client.ip} - - [${clfTime(req.now)}] "${req.method} ${req.path} HTTP/1.1" ${res.status} ${req.method === "HEAD" ? "-" : res.body.length}`,
};

const nginx: Listener = {
  kind: "http",
  tls: false,
  serve(req) {
    const ok = isIndex(req.path);
    const body = ok ? NGINX_INDEX : NGINX_404;
    const headers: [string, string][] = [
      ["Server", `nginx/${NGINX_VERSION}`],
      ["Date", httpDate(req.now)],
      ["Content-Type", "text/html"],
      ["Content-Length", String(body.length)],
    ];
    if (ok) headers.push(["Last-Modified", "Tue, 28 Oct 2025 12:05:10 GMT"]);
    headers.push(["Connection", "keep-alive"]);
    if (ok) headers.push(["ETag", '"6900b176-267"'], ["Accept-Ranges", "bytes"]);
    return { status: ok ? 200 : 404, reason: ok ? "OK" : "Not Found", headers, body };
  },
  // nginx's "main" log format, with access.log linked to stdout in the image.
  accessLog: (req, res, client) =>
    `${client.ip} - - [${clfTime(req.now)}] "${req.method} ${req.path} HTTP/1.1" ${res.status} ${req.method === "HEAD" ? 0 : res.body.length} "-" "${client.userAgent}" "-"`,
};

/** A Go net/http server's plain-text answer. */
function goText(status: number, reason: string, body: string, now: number, contentType = "text/plain; charset=utf-8"): HttpResponse {
  return {
    status,
    reason,
    headers: [
      ["Content-Type", contentType],
      ["X-Content-Type-Options", "nosniff"],
      ["Date", httpDate(now)],
      ["Content-Length", String(body.length)],
    ],
    body,
  };
}

/** kube-apiserver as an anonymous client sees it: health and version are public, the rest is 403. */
function apiserver(version: string): Listener {
  return {
    kind: "http",
    tls: true,
    serve(req) {
      const path = req.path.split("?")[0]!;
      if (["/healthz", "/livez", "/readyz"].includes(path)) return goText(200, "OK", "ok", req.now);
      if (path === "/version") {
        const [maj, min] = version.replace(/^v/, "").split(".");
        const body = `{\n  "major": "${maj}",\n  "minor": "${min}",\n  "emulationMajor": "${maj}",\n  "emulationMinor": "${min}",\n  "minCompatibilityMajor": "${maj}",\n  "minCompatibilityMinor": "${Number(min) - 1}",\n  "gitVersion": "${version}",\n  "gitTreeState": "clean",\n  "goVersion": "go1.23.8",\n  "compiler": "gc",\n  "platform": "linux/amd64"\n}`;
        return goText(200, "OK", body, req.now, "application/json");
      }
      const body = `{\n  "kind": "Status",\n  "apiVersion": "v1",\n  "metadata": {},\n  "status": "Failure",\n  "message": "forbidden: User \\"system:anonymous\\" cannot get path \\"${path}\\"",\n  "reason": "Forbidden",\n  "details": {},\n  "code": 403\n}`;
      return goText(403, "Forbidden", body, req.now, "application/json");
    },
  };
}

function healthz(tls: boolean): Listener {
  return {
    kind: "http",
    tls,
    serve(req) {
      const path = req.path.split("?")[0]!;
      if (path === "/healthz") return goText(200, "OK", "ok", req.now);
      if (tls) return goText(401, "Unauthorized", "Unauthorized", req.now);
      return goText(404, "Not Found", "404 page not found\n", req.now);
    },
  };
}

/** What listens in a container of this image (repository without tag), port → listener. */
export function containerListeners(repository: string): Map<number, Listener> {
  const repo = repository.split("/").pop()!;
  const m = new Map<number, Listener>();
  switch (repo) {
    case "httpd":
      m.set(80, httpd);
      break;
    case "nginx":
      m.set(80, nginx);
      break;
    case "nginx-unprivileged":
      m.set(8080, nginx);
      break;
    case "redis":
      m.set(6379, { kind: "closes" });
      break;
    case "memcached":
      m.set(11211, { kind: "closes" });
      break;
    case "postgres":
      m.set(5432, { kind: "closes" });
      break;
    case "mysql":
      m.set(3306, { kind: "closes" });
      break;
    case "coredns":
      m.set(53, { kind: "closes" });
      m.set(8080, { kind: "http", tls: false, serve: (req) => goText(200, "OK", "OK", req.now) });
      m.set(8181, { kind: "http", tls: false, serve: (req) => goText(200, "OK", "OK", req.now) });
      break;
  }
  return m;
}

/** Daemons listening on the node itself (hostNetwork): the kubelet and kube-proxy everywhere, the control plane on the first node. */
export function hostListeners(opts: { controlPlane: boolean; kubeletRunning: boolean; version: string }): Map<number, Listener> {
  const m = new Map<number, Listener>();
  if (opts.kubeletRunning) {
    m.set(10250, healthz(true));
    m.set(10248, healthz(false));
  }
  m.set(10256, healthz(false));
  m.set(22, { kind: "closes" });
  if (opts.controlPlane) {
    m.set(6443, apiserver(opts.version));
    m.set(2379, { kind: "closes" });
    m.set(2380, { kind: "closes" });
    m.set(10257, healthz(true));
    m.set(10259, healthz(true));
  }
  return m;
}
