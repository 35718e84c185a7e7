// The web server's one error type and one error handler: routes throw an
// HttpError (or anything else, which becomes a 500 without leaking internals),
// the handler answers JSON for /api and plain text elsewhere.

import type { ErrorRequestHandler } from "express";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export function errorHandler(log: (msg: string) => void): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const known = err instanceof HttpError;
    // express/body-parser errors carry a status too (e.g. 400 bad JSON, 413 too large).
    const status = known ? err.status : typeof (err as { status?: unknown }).status === "number" ? (err as { status: number }).status : 500;
    const message = known || status < 500 ? (err as Error).message : "internal server error";
    if (status >= 500) log(`${req.method} ${req.originalUrl}: ${(err as Error)?.stack ?? String(err)}`);
    if (res.headersSent) return;
    res.status(status);
    if (req.path.startsWith("/api/")) res.json({ error: message });
    else res.type("text/plain").send(`${message}\n`);
  };
}
