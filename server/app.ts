// The kubelab web server, built without listening (after hono's app-as-value):
// createApp(deps) returns the express app, attach(httpServer) for WebSocket
// upgrades, and close(). Tests drive it in process on an ephemeral port.
// Every request is checked here, in this order: Host (DNS rebinding), token or
// session cookie, Origin on state changes and WebSockets.

import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import express, { type NextFunction, type Request, type Response } from "express";
import { type WebSocket, WebSocketServer } from "ws";
import type { ProgressStore } from "../src/progress/store.ts";
import { Assets } from "./assets.ts";
import { errorHandler, HttpError } from "./http-error.ts";
import type { Lab } from "./lab.ts";
import type { SandboxOptions } from "./sandbox.ts";
import { bearer, originAllowed, parseCookies, randomToken, SESSION_COOKIE, safeEqual, signSession, verifySession } from "./security.ts";
import { type Session, SessionManager } from "./sessions.ts";
import { CLOSE, type FlowOptions, type TerminalPeer } from "./terminal.ts";
import { prepareThinClient, type ThinClient } from "./thin-client.ts";

export interface AppDeps {
  lab: Lab;
  store: ProgressStore;
  /** The server's token (printed in the URL); random per start. */
  token: string;
  /** Private (0700) directory for per-session files. */
  runtimeDir: string;
  /** Accept any Host header (the user gave --host): the DNS-rebinding check is off. */
  anyHost?: boolean;
  thinClient?: ThinClient;
  flow?: FlowOptions;
  /** How long a terminal connection may wait before its init message, ms. */
  initTimeoutMs?: number;
  log?: (msg: string) => void;
  /** Run each session's shell in bubblewrap (`kubelab serve --sandbox`). */
  sandbox?: SandboxOptions;
  /** New clusters look as if bootstrapped this long ago (`kubelab serve --age`). */
  clusterAgeMs?: number;
}

export interface KubelabApp {
  app: express.Express;
  sessions: SessionManager;
  attach(server: Server): void;
  close(): Promise<void>;
}

const COOKIE_MAX_AGE_S = 365 * 24 * 3600;
const SPEEDS = new Set([1, 2, 5, 10, 30, 60]);

export function createApp(deps: AppDeps): KubelabApp {
  const log = deps.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const secret = deps.store.setting("cookie-secret", () => randomToken(32));
  const sessions = new SessionManager({
    lab: deps.lab,
    store: deps.store,
    runtimeDir: deps.runtimeDir,
    thinClient: deps.thinClient ?? prepareThinClient(deps.runtimeDir),
    log,
    ...(deps.flow ? { flow: deps.flow } : {}),
    ...(deps.sandbox ? { sandbox: deps.sandbox } : {}),
    ...(deps.clusterAgeMs ? { clusterAgeMs: deps.clusterAgeMs } : {}),
  });
  const assets = new Assets();
  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");

  /** The session id the request's cookie names, if the signature holds. */
  const cookieSession = (req: IncomingMessage) => verifySession(secret, parseCookies(req.headers.cookie).get(SESSION_COOKIE));
  const hostOK = (req: IncomingMessage) => {
    if (deps.anyHost) return true;
    const port = req.socket.localPort;
    const host = (req.headers.host ?? "").toLowerCase();
    return host === `127.0.0.1:${port}` || host === `localhost:${port}` || host === `[::1]:${port}`;
  };
  const tokenOK = (given: string | undefined) => given !== undefined && safeEqual(given, deps.token);

  app.use((req: Request, res: Response, next: NextFunction) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "no-referrer");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Content-Security-Policy", "default-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'");
    if (!hostOK(req)) throw new HttpError(403, `Host ${JSON.stringify(req.headers.host ?? "")} is not allowed (kubelab answers only on 127.0.0.1 and localhost unless started with --host)`);
    const queryToken = typeof req.query.token === "string" ? req.query.token : undefined;
    const authed = cookieSession(req) !== undefined || tokenOK(queryToken) || tokenOK(bearer(req));
    if (!authed) throw new HttpError(401, "kubelab needs its token: open the URL kubelab printed when it started (…/?token=…)");
    if (req.method !== "GET" && req.method !== "HEAD" && !originAllowed(req)) throw new HttpError(403, "cross-origin request refused");
    // Exchange a URL token for the cookie and drop it from the address bar and history.
    if (queryToken !== undefined && req.method === "GET" && !req.path.startsWith("/api/")) {
      const url = new URL(req.originalUrl, "http://x");
      url.searchParams.delete("token");
      if (cookieSession(req) === undefined) {
        sessions
          .create()
          .then((s) => {
            setSessionCookie(res, s.id);
            res.redirect(302, url.pathname + url.search);
          })
          .catch(next);
        return;
      }
      res.redirect(302, url.pathname + url.search);
      return;
    }
    next();
  });

  const setSessionCookie = (res: Response, id: string) =>
    res.setHeader("Set-Cookie", `${SESSION_COOKIE}=${encodeURIComponent(signSession(secret, id))}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${COOKIE_MAX_AGE_S}`);

  /** The request's session: from the cookie, or a new one (token-authenticated clients). */
  async function sessionOf(req: Request, res: Response): Promise<Session> {
    const id = cookieSession(req);
    const existing = id === undefined ? undefined : sessions.get(id);
    if (existing) return existing;
    const s = await sessions.create();
    setSessionCookie(res, s.id);
    return s;
  }

  const route = (fn: (req: Request, res: Response) => Promise<unknown>) => (req: Request, res: Response, next: NextFunction) => {
    fn(req, res).catch(next);
  };

  app.get("/", route(async (_req, res) => send(res, await assets.page())));
  app.get("/assets/app.js", route(async (_req, res) => send(res, await assets.script())));
  app.get("/assets/app.css", route(async (_req, res) => send(res, await assets.style())));

  app.get(
    "/api/session",
    route(async (req, res) => {
      const s = await sessionOf(req, res);
      res.json({
        terminalToken: s.terminalToken,
        restored: s.restored,
        lesson: s.currentLesson ?? null,
        generation: s.generation,
        speed: s.clock.speed,
        nodes: s.cluster.nodes.map((n) => n.name),
      });
    }),
  );

  app.get(
    "/api/lessons",
    route(async (req, res) => {
      const s = await sessionOf(req, res);
      const done = deps.store.progress(s.id);
      const lessons = await deps.lab.lessons.list();
      res.json(lessons.map((l) => ({ ...l, done: done.filter((d) => d.lesson === l.id).length })));
    }),
  );

  app.get(
    "/api/lessons/:id",
    route(async (req, res) => {
      const s = await sessionOf(req, res);
      const id = String(req.params.id);
      const lesson = await deps.lab.lessons.get(id);
      if (!lesson) throw new HttpError(404, `lesson ${JSON.stringify(id)} not found`);
      const done = new Set(deps.store.progress(s.id, id).map((p) => p.step));
      res.json({ ...lesson, steps: lesson.steps.map((st) => ({ ...st, done: done.has(st.id) || (s.currentLesson === id && s.steps.get(st.id) === true) })) });
    }),
  );

  app.post(
    "/api/lessons/:id/open",
    route(async (req, res) => {
      const s = await sessionOf(req, res);
      const id = String(req.params.id);
      const lesson = await deps.lab.lessons.get(id);
      if (!lesson) throw new HttpError(404, `lesson ${JSON.stringify(id)} not found`);
      s.selectLesson(id);
      if (lesson.speed && lesson.speed !== s.clock.speed) s.setSpeed(lesson.speed);
      res.json({ lesson: id });
    }),
  );

  app.post(
    "/api/reset",
    route(async (req, res) => {
      const s = await sessionOf(req, res);
      await s.reset();
      res.json({ generation: s.generation, lesson: s.currentLesson ?? null });
    }),
  );

  app.post(
    "/api/clock",
    express.json({ limit: "4kb" }),
    route(async (req, res) => {
      const s = await sessionOf(req, res);
      const body = (req.body ?? {}) as { speed?: unknown; skipSeconds?: unknown };
      if (body.speed !== undefined) {
        if (typeof body.speed !== "number" || !SPEEDS.has(body.speed)) throw new HttpError(400, `speed must be one of ${[...SPEEDS].join(", ")}`);
        s.setSpeed(body.speed);
      }
      if (body.skipSeconds !== undefined) {
        if (typeof body.skipSeconds !== "number" || !(body.skipSeconds > 0) || body.skipSeconds > 3600) throw new HttpError(400, "skipSeconds must be between 0 and 3600");
        await s.skip(body.skipSeconds * 1000);
      }
      res.json({ speed: s.clock.speed, now: s.clock.now() });
    }),
  );

  app.use((req: Request) => {
    throw new HttpError(404, `${req.method} ${req.path} not found`);
  });
  app.use(errorHandler(log));

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname !== "/ws/terminal" && url.pathname !== "/ws/events") {
      socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
      return;
    }
    const ws = await new Promise<WebSocket>((resolve) => wss.handleUpgrade(req, socket, head, resolve));
    // Refusals are close codes, not HTTP statuses, so the page can tell the learner why.
    if (!hostOK(req)) return ws.close(CLOSE.forbidden, "host not allowed");
    if (!originAllowed(req)) return ws.close(CLOSE.forbidden, "origin not allowed");
    const id = cookieSession(req);
    if (id === undefined) return ws.close(CLOSE.badToken, "no session cookie");
    const session = await sessions.running(id)?.catch(() => undefined);
    if (!session) return ws.close(CLOSE.noSession, "no such session; reload the page");
    if (url.pathname === "/ws/events") events(ws, session);
    else terminal(ws, session);
  }

  function events(ws: WebSocket, s: Session): void {
    const sendEvent = (e: unknown) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(e));
    };
    sendEvent({ type: "hello", generation: s.generation, restored: s.restored, lesson: s.currentLesson ?? null, steps: Object.fromEntries(s.steps), speed: s.clock.speed });
    const off = s.subscribe(sendEvent);
    ws.on("close", off);
    ws.on("message", () => ws.close(CLOSE.protocol, "the events channel is one-way"));
  }

  function terminal(ws: WebSocket, s: Session): void {
    let peer: TerminalPeer | undefined;
    const timer = setTimeout(() => ws.close(CLOSE.initTimeout, "no init message"), deps.initTimeoutMs ?? 10_000);
    ws.on("close", () => {
      clearTimeout(timer);
      if (peer) s.terminal.detach(peer);
    });
    ws.on("message", (data, isBinary) => {
      let msg: { type?: unknown; [k: string]: unknown };
      try {
        if (isBinary) throw new Error("binary");
        msg = JSON.parse(String(data)) as typeof msg;
      } catch {
        return ws.close(CLOSE.protocol, "messages are JSON text");
      }
      if (!peer) {
        if (msg.type !== "init") return ws.close(CLOSE.protocol, "first message must be init");
        if (typeof msg.token !== "string" || !safeEqual(msg.token, s.terminalToken)) return ws.close(CLOSE.badToken, "bad terminal token");
        clearTimeout(timer);
        peer = {
          output: (b) => ws.readyState === ws.OPEN && ws.send(b, { binary: true }),
          control: (m) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(m)),
          close: (code, reason) => ws.close(code, reason),
        };
        s.terminal.attach(peer, { cols: Number(msg.cols), rows: Number(msg.rows) });
        return;
      }
      switch (msg.type) {
        case "input":
          if (typeof msg.data === "string") s.terminal.input(msg.data);
          break;
        case "resize":
          s.terminal.resize(Number(msg.cols), Number(msg.rows));
          break;
        case "ack":
          s.terminal.ack(Number(msg.bytes));
          break;
        case "pause":
          s.terminal.pause();
          break;
        case "resume":
          s.terminal.resume();
          break;
        default:
          ws.close(CLOSE.protocol, `unknown message type ${JSON.stringify(msg.type)}`);
      }
    });
  }

  const servers = new Set<Server>();
  return {
    app,
    sessions,
    attach(server: Server) {
      servers.add(server);
      server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        upgrade(req, socket, head).catch((e: unknown) => {
          log(`websocket upgrade: ${String(e)}`);
          socket.destroy();
        });
      });
    },
    async close() {
      for (const c of wss.clients) c.close(CLOSE.serverClosing, "kubelab is shutting down");
      wss.close();
      await sessions.closeAll();
    },
  };
}

function send(res: Response, a: { type: string; body: string }): void {
  res.type(a.type).setHeader("Cache-Control", "no-cache");
  res.send(a.body);
}
