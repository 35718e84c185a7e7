// Cron schedules as the CronJob controller reads them, after
// github.com/robfig/cron/v3's standard parser: five fields (minute hour
// day-of-month month day-of-week) with lists, ranges, steps and names, the
// @yearly/@monthly/@weekly/@daily/@hourly descriptors, and a time zone
// (spec.timeZone) resolved with the runtime's IANA database.
// Leaves out: seconds fields and @every.

export interface Schedule {
  /** The first activation strictly after `afterMs`. */
  next(afterMs: number): number;
}

interface Field {
  bits: Set<number>;
  /** The field was "*" or "?" (robfig's starBit): matters for day-of-month vs day-of-week. */
  star: boolean;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

const DESCRIPTORS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

function parseValue(s: string, names: string[] | undefined, offset: number): number {
  const i = names?.indexOf(s.toLowerCase()) ?? -1;
  if (i >= 0) return i + offset;
  if (!/^\d+$/.test(s)) throw new Error(`failed to parse int from ${s}: strconv.Atoi: parsing "${s}": invalid syntax`);
  return Number(s);
}

function parseField(expr: string, min: number, max: number, names?: string[], nameOffset = 0): Field {
  const bits = new Set<number>();
  let star = false;
  for (const part of expr.split(",")) {
    const [range, stepText] = part.split("/");
    let lo: number;
    let hi: number;
    let partStar = false;
    if (range === "*" || range === "?") {
      lo = min;
      hi = max;
      partStar = true;
    } else {
      const [a, b] = range!.split("-");
      lo = parseValue(a!, names, nameOffset);
      hi = b !== undefined ? parseValue(b, names, nameOffset) : lo;
      if (stepText !== undefined && b === undefined) hi = max;
    }
    const step = stepText !== undefined ? Number(stepText) : 1;
    if (!Number.isInteger(step) || step <= 0) throw new Error(`step of range should be a positive number: ${part}`);
    if (lo < min) throw new Error(`beginning of range (${lo}) below minimum (${min}): ${part}`);
    if (hi > max) throw new Error(`end of range (${hi}) above maximum (${max}): ${part}`);
    if (lo > hi) throw new Error(`beginning of range (${lo}) beyond end of range (${hi}): ${part}`);
    for (let v = lo; v <= hi; v += step) bits.add(v);
    if (partStar && step === 1) star = true;
  }
  return { bits, star };
}

/** Wall-clock fields of an instant in a zone. */
function fieldsIn(ms: number, tz: Intl.DateTimeFormat): { y: number; mo: number; d: number; h: number; mi: number } {
  const parts = Object.fromEntries(tz.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return { y: Number(parts.year), mo: Number(parts.month), d: Number(parts.day), h: Number(parts.hour) % 24, mi: Number(parts.minute) };
}

/** The UTC instant of a wall-clock time in a zone (the earlier one across a DST fold). */
function instantOf(y: number, mo: number, d: number, h: number, mi: number, tz: Intl.DateTimeFormat): number {
  const asUTC = Date.UTC(y, mo - 1, d, h, mi);
  let guess = asUTC;
  for (let i = 0; i < 3; i++) {
    const f = fieldsIn(guess, tz);
    const offset = Date.UTC(f.y, f.mo - 1, f.d, f.h, f.mi) - guess;
    guess = asUTC - offset;
  }
  return guess;
}

/** Parses a schedule; throws with robfig's message on a malformed one. `timeZone` is an IANA name (default UTC). */
export function parseSchedule(spec: string, timeZone = "UTC"): Schedule {
  const text = DESCRIPTORS[spec.trim().toLowerCase()] ?? spec.trim();
  if (text.startsWith("@")) throw new Error(`unrecognized descriptor: ${text}`);
  const f = text.split(/\s+/);
  if (f.length !== 5) throw new Error(`expected exactly 5 fields, found ${f.length}: ${text}`);
  const minute = parseField(f[0]!, 0, 59);
  const hour = parseField(f[1]!, 0, 23);
  const dom = parseField(f[2]!, 1, 31);
  const month = parseField(f[3]!, 1, 12, MONTHS, 1);
  const dowRaw = parseField(f[4]!, 0, 7, DAYS, 0);
  // 7 is Sunday too.
  const dow: Field = { bits: new Set([...dowRaw.bits].map((d) => d % 7)), star: dowRaw.star };
  const tz = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric" });

  const dayMatches = (y: number, mo: number, d: number) => {
    const wd = new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
    const domOk = dom.bits.has(d);
    const dowOk = dow.bits.has(wd);
    return dom.star || dow.star ? domOk && dowOk : domOk || dowOk;
  };

  return {
    next(afterMs) {
      // Walk wall-clock fields forward, skipping whole months/days/hours that cannot match.
      const start = fieldsIn(afterMs - (afterMs % 60_000) + 60_000, tz);
      let { y, mo, d, h, mi } = start;
      for (let guard = 0; guard < 5 * 366 * 24; guard++) {
        if (!month.bits.has(mo)) {
          mo++;
          d = 1;
          h = 0;
          mi = 0;
          if (mo > 12) {
            mo = 1;
            y++;
          }
          continue;
        }
        const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
        if (d > daysInMonth || !dayMatches(y, mo, d)) {
          d++;
          h = 0;
          mi = 0;
          if (d > daysInMonth) {
            d = 1;
            mo++;
            if (mo > 12) {
              mo = 1;
              y++;
            }
          }
          continue;
        }
        if (!hour.bits.has(h)) {
          h++;
          mi = 0;
          if (h > 23) {
            h = 0;
            d++;
          }
          continue;
        }
        const m = [...minute.bits].sort((a, b) => a - b).find((x) => x >= mi);
        if (m === undefined) {
          h++;
          mi = 0;
          if (h > 23) {
            h = 0;
            d++;
          }
          continue;
        }
        const t = instantOf(y, mo, d, h, m, tz);
        if (t > afterMs) return t;
        mi = m + 1;
      }
      throw new Error(`no activation of ${spec} within five years`);
    },
  };
}
