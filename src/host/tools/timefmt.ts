// Time as systemd and journald print it: "Wed 2026-11-25 09:00:00 UTC",
// "5min ago" (format_timestamp_relative), "Nov 25 09:00:00" (journalctl's
// short output) and CPU times like "1.234s" (format_timespan). Nodes run in UTC.

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const p2 = (n: number) => String(n).padStart(2, "0");

/** Wed 2026-11-25 09:00:00 UTC */
export function systemdTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} UTC`;
}

/** Nov 25 09:00:00 */
export function journalTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
}

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const MONTH = 2_629_800 * SEC;
const YEAR = 31_557_600 * SEC;

/** systemd's format_timestamp_relative: "5min ago", "1h 3min ago", "2s ago". */
export function systemdRelative(thenMs: number, nowMs: number): string {
  const d = nowMs - thenMs;
  if (d <= 0) return "now";
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;
  const f = Math.floor;
  if (d >= YEAR) return `${plural(f(d / YEAR), "year")} ${plural(f((d % YEAR) / MONTH), "month")} ago`;
  if (d >= MONTH) return `${plural(f(d / MONTH), "month")} ${plural(f((d % MONTH) / DAY), "day")} ago`;
  if (d >= WEEK) return `${plural(f(d / WEEK), "week")} ${plural(f((d % WEEK) / DAY), "day")} ago`;
  if (d >= 2 * DAY) return `${f(d / DAY)} days ago`;
  if (d >= 25 * HOUR) return `1 day ${f((d - DAY) / HOUR)}h ago`;
  if (d >= 6 * HOUR) return `${f(d / HOUR)}h ago`;
  if (d >= HOUR) return `${f(d / HOUR)}h ${f((d % HOUR) / MIN)}min ago`;
  if (d >= 5 * MIN) return `${f(d / MIN)}min ago`;
  if (d >= MIN) return `${f(d / MIN)}min ${f((d % MIN) / SEC)}s ago`;
  if (d >= SEC) return `${f(d / SEC)}s ago`;
  return `${d}ms ago`;
}

/** systemd's format_timespan at millisecond accuracy: "1.234s", "2min 3.456s", "1h 2min 3.004s". */
export function systemdTimespan(ms: number): string {
  const parts: string[] = [];
  let rest = Math.max(0, Math.round(ms));
  const h = Math.floor(rest / HOUR);
  rest -= h * HOUR;
  const m = Math.floor(rest / MIN);
  rest -= m * MIN;
  if (h) parts.push(`${h}h`);
  if (m) parts.push(`${m}min`);
  if (rest >= SEC) {
    const s = Math.floor(rest / SEC);
    const frac = rest % SEC;
    parts.push(frac ? `${s}.${String(frac).padStart(3, "0").replace(/0+$/, "")}s` : `${s}s`);
  } else if (rest > 0 || parts.length === 0) parts.push(`${rest}ms`);
  return parts.join(" ");
}
