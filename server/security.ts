// Who may talk to the lab server, after Jupyter's model: a random token
// printed with the URL, exchanged once for an HttpOnly SameSite=Strict cookie
// naming the learner's session; a Host check against DNS rebinding; an Origin
// check on WebSocket upgrades and state-changing requests.
// Leaves out: user accounts (a session is one browser profile).

import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

export const SESSION_COOKIE = "kubelab_session";

export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString("base64url");
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Cookie value `<sessionId>.<hmac>`: survives a restart because the secret is stored. */
export function signSession(secret: string, sessionId: string): string {
  return `${sessionId}.${createHmac("sha256", secret).update(sessionId).digest("base64url")}`;
}

export function verifySession(secret: string, value: string | undefined): string | undefined {
  if (!value) return undefined;
  const dot = value.lastIndexOf(".");
  if (dot <= 0) return undefined;
  const id = value.slice(0, dot);
  return safeEqual(signSession(secret, id), value) ? id : undefined;
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    try {
      out.set(k, decodeURIComponent(v));
    } catch {
      // A malformed cookie is ignored rather than failing the request.
    }
  }
  return out;
}

export interface HostPolicy {
  /** Host header values accepted, e.g. "127.0.0.1:8080", "localhost:8080". Empty = any (--host given). */
  allowedHosts: Set<string>;
}

/** The Host values a server listening on host:port accepts. */
export function allowedHostsFor(host: string, port: number, explicitHost: boolean): Set<string> {
  if (explicitHost && host !== "127.0.0.1" && host !== "localhost" && host !== "::1") return new Set();
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
}

export function hostAllowed(policy: HostPolicy, hostHeader: string | undefined): boolean {
  if (policy.allowedHosts.size === 0) return true;
  return hostHeader !== undefined && policy.allowedHosts.has(hostHeader.toLowerCase());
}

/**
 * Same-origin check: the Origin (if the browser sent one) must name the host
 * the request was sent to. Browsers always send Origin on WebSocket upgrades
 * and cross-site POSTs; non-browser clients (curl, tests) may omit it.
 */
export function originAllowed(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    const u = new URL(origin);
    return (u.protocol === "http:" || u.protocol === "https:") && u.host === (req.headers.host ?? "").toLowerCase();
  } catch {
    return false;
  }
}

/** The bearer token from `Authorization: Bearer` or `Authorization: token` (Jupyter spelling). */
export function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  const m = h && /^(?:Bearer|token)\s+(\S+)$/i.exec(h);
  return m?.[1];
}
