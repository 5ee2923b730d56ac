// AWS schedule expressions, shared by Application Auto Scaling scheduled actions and EventBridge
// Scheduler schedules: `cron(min hour dom month dow year)`, `rate(N unit)`, `at(yyyy-mm-ddThh:mm:ss)`,
// evaluated in an IANA time zone (UTC when none is given).
//
// Daylight saving time follows what EventBridge Scheduler documents (Application Auto Scaling documents
// nothing and is assumed to behave the same):
//  - cron: a local time that does not exist (clocks jump forward) is skipped; a local time that exists
//    twice (clocks go back) fires once, at its first occurrence.
//  - rate: a fixed duration (1 day = 24 hours), anchored at the start instant, blind to the time zone.
//  - at: undocumented. A local time that does not exist fires at the same offset from the gap as before
//    it (02:30 in a 02:00→03:00 gap fires at 03:30), one that exists twice fires at its first occurrence.

export type CronField = { readonly values: readonly number[] }; // sorted, distinct

export type DayOfMonthSpec =
  | { readonly kind: "any" } // `?`
  | { readonly kind: "set"; readonly values: readonly number[] }
  | { readonly kind: "last"; readonly offset: number } // `L`, `L-3`
  | { readonly kind: "lastWeekday" } // `LW`
  | { readonly kind: "nearestWeekday"; readonly day: number }; // `15W`

export type DayOfWeekSpec =
  | { readonly kind: "any" } // `?`
  | { readonly kind: "set"; readonly values: readonly number[] } // 1 = SUN … 7 = SAT
  | { readonly kind: "last"; readonly day: number } // `6L`: last Friday of the month
  | { readonly kind: "nth"; readonly day: number; readonly nth: number }; // `2#1`: first Monday

export type ScheduleExpression =
  | {
      readonly kind: "cron";
      readonly text: string;
      readonly minutes: readonly number[];
      readonly hours: readonly number[];
      readonly dayOfMonth: DayOfMonthSpec;
      readonly months: readonly number[];
      readonly dayOfWeek: DayOfWeekSpec;
      readonly years: readonly number[];
    }
  | { readonly kind: "rate"; readonly text: string; readonly value: number; readonly unit: "minute" | "hour" | "day"; readonly periodMs: number }
  | {
      readonly kind: "at";
      readonly text: string;
      readonly year: number;
      readonly month: number;
      readonly day: number;
      readonly hour: number;
      readonly minute: number;
      readonly second: number;
    };

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const MIN_YEAR = 1970;
const MAX_YEAR = 2199;
const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

class ParseError extends Error {}

export function parseScheduleExpression(text: string): ScheduleExpression | { error: string } {
  try {
    const trimmed = text.trim();
    const m = /^(cron|rate|at)\((.*)\)$/s.exec(trimmed);
    if (!m) return { error: `Schedule expression '${text}' must be cron(...), rate(...) or at(...)` };
    if (m[1] === "rate") return parseRate(trimmed, m[2]!);
    if (m[1] === "at") return parseAt(trimmed, m[2]!);
    return parseCron(trimmed, m[2]!);
  } catch (e) {
    if (e instanceof ParseError) return { error: e.message };
    throw e;
  }
}

function parseRate(text: string, body: string): ScheduleExpression {
  const m = /^\s*(\d+)\s+(minutes?|hours?|days?)\s*$/.exec(body);
  if (!m) throw new ParseError(`Rate expression '${text}' must be rate(value unit) with a positive whole value and unit minute(s), hour(s) or day(s)`);
  const value = Number(m[1]);
  if (!Number.isSafeInteger(value) || value < 1) throw new ParseError(`Rate expression '${text}' must have a positive value`);
  const unit = m[2]!.replace(/s$/, "") as "minute" | "hour" | "day";
  return { kind: "rate", text, value, unit, periodMs: value * UNIT_MS[unit] };
}

function parseAt(text: string, body: string): ScheduleExpression {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body.trim());
  if (!m) throw new ParseError(`At expression '${text}' must be at(yyyy-mm-ddThh:mm:ss)`);
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    throw new ParseError(`At expression '${text}' is not a valid date and time`);
  }
  return { kind: "at", text, year, month, day, hour, minute, second };
}

function parseCron(text: string, body: string): ScheduleExpression {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new ParseError(`Cron expression '${text}' must have 6 fields (minutes hours day-of-month month day-of-week year), found ${body.trim() === "" ? 0 : fields.length}`);
  }
  const [fMin, fHour, fDom, fMonth, fDow, fYear] = fields as [string, string, string, string, string, string];
  const domAny = fDom === "?";
  const dowAny = fDow === "?";
  if (domAny === dowAny) {
    throw new ParseError(`Cron expression '${text}': exactly one of day-of-month and day-of-week must be '?'`);
  }
  return {
    kind: "cron",
    text,
    minutes: parseList(fMin, "minutes", 0, 59),
    hours: parseList(fHour, "hours", 0, 23),
    dayOfMonth: domAny ? { kind: "any" } : parseDayOfMonth(fDom),
    months: parseList(fMonth, "month", 1, 12, MONTHS),
    dayOfWeek: dowAny ? { kind: "any" } : parseDayOfWeek(fDow),
    years: parseList(fYear, "year", MIN_YEAR, MAX_YEAR),
  };
}

function parseDayOfMonth(field: string): DayOfMonthSpec {
  if (field === "L") return { kind: "last", offset: 0 };
  if (field === "LW") return { kind: "lastWeekday" };
  const lastOffset = /^L-(\d{1,2})$/.exec(field);
  if (lastOffset) {
    const offset = Number(lastOffset[1]);
    if (offset > 30) throw new ParseError(`day-of-month '${field}': offset from the last day must be at most 30`);
    return { kind: "last", offset };
  }
  const nearest = /^(\d{1,2})W$/.exec(field);
  if (nearest) {
    const day = Number(nearest[1]);
    if (day < 1 || day > 31) throw new ParseError(`day-of-month '${field}': day must be 1-31`);
    return { kind: "nearestWeekday", day };
  }
  return { kind: "set", values: parseList(field, "day-of-month", 1, 31) };
}

function parseDayOfWeek(field: string): DayOfWeekSpec {
  if (field === "L") return { kind: "set", values: [7] };
  const last = /^([A-Za-z]{3}|\d)L$/.exec(field);
  if (last) return { kind: "last", day: parseValue(last[1]!, "day-of-week", 1, 7, DAYS) };
  const nth = /^([A-Za-z]{3}|\d)#(\d)$/.exec(field);
  if (nth) {
    const n = Number(nth[2]);
    if (n < 1 || n > 5) throw new ParseError(`day-of-week '${field}': the occurrence after '#' must be 1-5`);
    return { kind: "nth", day: parseValue(nth[1]!, "day-of-week", 1, 7, DAYS), nth: n };
  }
  return { kind: "set", values: parseList(field, "day-of-week", 1, 7, DAYS) };
}

function parseValue(token: string, name: string, lo: number, hi: number, names?: readonly string[]): number {
  if (names) {
    const i = names.indexOf(token.toUpperCase());
    if (i >= 0) return i + 1;
  }
  if (!/^\d+$/.test(token)) throw new ParseError(`${name} value '${token}' is not valid`);
  const n = Number(token);
  if (n < lo || n > hi) throw new ParseError(`${name} value '${token}' must be ${lo}-${hi}`);
  return n;
}

/** A comma list of `*`, `v`, `a-b` (wrapping when a > b, e.g. `FRI-MON` or `22-2`), each with an optional `/step`. */
function parseList(field: string, name: string, lo: number, hi: number, names?: readonly string[]): number[] {
  const out = new Set<number>();
  for (const part of field.split(",")) {
    const m = /^([^/]+)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new ParseError(`${name} '${field}' is not valid`);
    const [, base, stepText] = m as unknown as [string, string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) throw new ParseError(`${name} '${field}': step must be at least 1`);
    let from: number;
    let to: number;
    if (base === "*") {
      from = lo;
      to = hi;
    } else if (base.includes("-")) {
      const [a, b, ...rest] = base.split("-");
      if (rest.length > 0 || !a || !b) throw new ParseError(`${name} range '${base}' is not valid`);
      from = parseValue(a, name, lo, hi, names);
      to = parseValue(b, name, lo, hi, names);
    } else {
      from = parseValue(base, name, lo, hi, names);
      // `5/15` means from 5 to the end of the range in steps of 15.
      to = stepText === undefined ? from : hi;
    }
    const span = to >= from ? to - from : hi - from + 1 + (to - lo);
    for (let k = 0; k <= span; k += step) out.add(((from - lo + k) % (hi - lo + 1)) + lo);
  }
  return [...out].sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------------------------------
// Evaluation

export function nextFire(expr: ScheduleExpression, timeZone: string | undefined, afterMs: number, startMs?: number): number | undefined {
  const tz = timeZone ?? "UTC";
  if (expr.kind === "rate") {
    const anchor = startMs ?? afterMs;
    if (anchor > afterMs) return anchor;
    return anchor + (Math.floor((afterMs - anchor) / expr.periodMs) + 1) * expr.periodMs;
  }
  const after = startMs !== undefined && startMs - 1 > afterMs ? startMs - 1 : afterMs;
  if (expr.kind === "at") {
    const local = Date.UTC(expr.year, expr.month - 1, expr.day, expr.hour, expr.minute, expr.second);
    const instant = localToInstant(local, tz, "shift");
    return instant !== undefined && instant > after ? instant : undefined;
  }
  return nextCron(expr, tz, after);
}

function nextCron(expr: Extract<ScheduleExpression, { kind: "cron" }>, tz: string, afterMs: number): number | undefined {
  const start = new Date(afterMs + offsetAt(afterMs, tz)); // the local wall time, read through UTC getters
  let year = start.getUTCFullYear();
  let month = start.getUTCMonth() + 1;
  let day = start.getUTCDate();
  let first = true; // the start day: only times at or after the start's hour:minute
  while (year <= MAX_YEAR) {
    if (!expr.years.includes(year)) {
      const nextYear = expr.years.find((y) => y > year);
      if (nextYear === undefined) return undefined;
      [year, month, day, first] = [nextYear, 1, 1, false];
      continue;
    }
    if (!expr.months.includes(month)) {
      const nextMonth = expr.months.find((mo) => mo > month);
      if (nextMonth === undefined) [year, month] = [year + 1, 1];
      else month = nextMonth;
      [day, first] = [1, false];
      continue;
    }
    if (day <= daysInMonth(year, month) && dayMatches(expr, year, month, day)) {
      for (const hour of expr.hours) {
        if (first && hour < start.getUTCHours()) continue;
        for (const minute of expr.minutes) {
          if (first && hour === start.getUTCHours() && minute < start.getUTCMinutes()) continue;
          const instant = localToInstant(Date.UTC(year, month - 1, day, hour, minute), tz, "skip");
          if (instant !== undefined && instant > afterMs) return instant;
        }
      }
    }
    first = false;
    day += 1;
    if (day > daysInMonth(year, month)) {
      day = 1;
      month += 1;
      if (month > 12) [year, month] = [year + 1, 1];
    }
  }
  return undefined;
}

function dayMatches(expr: Extract<ScheduleExpression, { kind: "cron" }>, year: number, month: number, day: number): boolean {
  const dim = daysInMonth(year, month);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1; // 1 = SUN
  const dom = expr.dayOfMonth;
  switch (dom.kind) {
    case "any":
      break;
    case "set":
      return dom.values.includes(day);
    case "last":
      return day === Math.max(1, dim - dom.offset);
    case "lastWeekday":
      return day === nearestWeekday(year, month, dim);
    case "nearestWeekday":
      return dom.day <= dim && day === nearestWeekday(year, month, dom.day);
  }
  const dow = expr.dayOfWeek;
  switch (dow.kind) {
    case "any":
      return true;
    case "set":
      return dow.values.includes(weekday);
    case "last":
      return weekday === dow.day && day + 7 > dim;
    case "nth":
      return weekday === dow.day && Math.ceil(day / 7) === dow.nth;
  }
}

/** The weekday nearest `target` within the same month (Saturday → Friday, Sunday → Monday, never crossing the month). */
function nearestWeekday(year: number, month: number, target: number): number {
  const dim = daysInMonth(year, month);
  const weekday = new Date(Date.UTC(year, month - 1, target)).getUTCDay(); // 0 = SUN
  if (weekday === 6) return target === 1 ? 3 : target - 1;
  if (weekday === 0) return target === dim ? target - 2 : target + 1;
  return target;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

// ---------------------------------------------------------------------------------------------------
// Time zones through Intl: an offset is "local wall time read as UTC" minus the instant.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(tz, f);
  }
  return f;
}

/** True when Intl knows the IANA zone name. */
export function isValidTimeZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

function offsetAt(instant: number, tz: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(instant))) if (p.type !== "literal") parts[p.type] = Number(p.value);
  const wholeSeconds = Math.floor(instant / 1000) * 1000;
  const local = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return local - wholeSeconds;
}

/**
 * The instant a local wall time names: the first when it names two; when it names none, undefined
 * ("skip") or the instant at the offset in force before the gap ("shift").
 */
function localToInstant(local: number, tz: string, gap: "skip" | "shift"): number | undefined {
  const before = offsetAt(local - 86_400_000 * 1.5, tz);
  const after = offsetAt(local + 86_400_000 * 1.5, tz);
  const candidates = [...new Set([before, after])].map((o) => local - o).filter((u) => u + offsetAt(u, tz) === local);
  if (candidates.length > 0) return Math.min(...candidates);
  if (gap === "skip") return undefined;
  return local - before;
}
