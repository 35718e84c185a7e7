// Server warnings, after client-go's rest/warnings.go as kubectl configures it
// (WarningWriter with deduplication): every `Warning: 299 - "text"` header an
// answer carries is printed once per process as `Warning: text` on stderr.

import type { Transport, TransportRequest } from "../client/transport.ts";
import type { Writer } from "../utils/command.ts";

/** The texts of a Warning header value (`299 - "a", 299 - "b"`), as ParseWarningHeaders reads them. */
export function parseWarningHeader(value: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < value.length) {
    const m = /^\s*(\d{3})\s+(\S+)\s+"/.exec(value.slice(i));
    if (!m) break;
    i += m[0].length;
    let text = "";
    while (i < value.length && value[i] !== '"') {
      if (value[i] === "\\" && i + 1 < value.length) i++;
      text += value[i];
      i++;
    }
    i++; // closing quote
    // An optional quoted date, then a comma.
    const rest = /^\s*(?:"[^"]*")?\s*,?/.exec(value.slice(i));
    i += rest ? rest[0].length : 0;
    if (m[1] === "299") out.push(text);
  }
  return out;
}

/** Wraps a transport so the warnings of every answer reach stderr once. */
export function warningTransport(inner: Transport, stderr: Writer): Transport {
  const seen = new Set<string>();
  const report = (headers: Record<string, string>) => {
    const v = headers.warning;
    if (!v) return;
    for (const text of parseWarningHeader(v)) {
      if (seen.has(text)) continue;
      seen.add(text);
      stderr.write(`Warning: ${text}\n`);
    }
  };
  return {
    server: inner.server,
    async request(req: TransportRequest) {
      const res = await inner.request(req);
      report(res.headers);
      return res;
    },
    async stream(req: TransportRequest, signal: AbortSignal) {
      const res = await inner.stream(req, signal);
      report(res.headers);
      return res;
    },
  };
}
