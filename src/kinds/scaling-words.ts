/**
 * A fleet's scaling in human terms, for plan notes: "weekdays 07:00–19:00 Europe/Berlin: 2–20 instances;
 * otherwise 0–2" and "next scheduled change: Mon 07:00 Europe/Berlin → 2–20". Expressions this cannot put
 * in words are shown as written; the plan JSON keeps the raw values in its diff either way.
 */
import { nextFire, parseScheduleExpression, type ScheduleExpression } from "../shared/schedule-expr.js";
import type { ScalingDecl, ScheduledDecl } from "./scaling-spec.js";

const DAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
type Cron = Extract<ScheduleExpression, { kind: "cron" }>;

const pad = (n: number) => String(n).padStart(2, "0");

/** "2–20", "min 2", "max 20". */
export function rangeWords(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return min === max ? `${min}` : `${min}–${max}`;
  return min !== undefined ? `min ${min}` : `max ${max}`;
}

/** The days of a cron that fires on whole weeks of every month ("weekdays", "daily", "Sat,Sun"), else undefined. */
function daysOf(c: Cron): string | undefined {
  if (c.months.length !== 12) return undefined;
  const dom = c.dayOfMonth;
  const dow = c.dayOfWeek;
  if (dow.kind === "any") return dom.kind === "any" || (dom.kind === "set" && dom.values.length === 31) ? "daily" : undefined;
  if (dow.kind !== "set" || dom.kind !== "any") return undefined;
  const days = dow.values.join(",");
  if (days === "1,2,3,4,5,6,7") return "daily";
  if (days === "2,3,4,5,6") return "weekdays";
  if (days === "1,7") return "weekends";
  return dow.values.map((d) => DAY_NAMES[d - 1]).join(",");
}

/** A cron firing once a day on its days, as `{days, time}`; undefined for anything else. */
function daily(a: ScheduledDecl): { days: string; time: string; minutes: number } | undefined {
  const e = parseScheduleExpression(a.schedule);
  if ("error" in e || e.kind !== "cron" || e.hours.length !== 1 || e.minutes.length !== 1) return undefined;
  const days = daysOf(e);
  return days ? { days, time: `${pad(e.hours[0]!)}:${pad(e.minutes[0]!)}`, minutes: e.hours[0]! * 60 + e.minutes[0]! } : undefined;
}

/** One line for the whole declaration: bounds, policies and the schedule's windows. */
export function scalingWords(d: ScalingDecl, unit: string): string {
  const parts = [`scaling ${rangeWords(d.min, d.max)} ${unit}`];
  for (const p of d.policies ?? []) {
    const t = p.targetTracking;
    if (t) parts.push(`${p.name}: keep ${t.metric} at ${t.target}${t.metric === "CapacityUtilization" ? "%" : ""}${t.disableScaleIn ? " (no scale-in)" : ""}`);
  }
  const scheduled = d.scheduled ?? [];
  if (scheduled.length) parts.push(scheduleWords(scheduled, unit));
  return parts.join("; ");
}

/**
 * Two daily actions on the same days and zone make a window ("weekdays 07:00–19:00 Europe/Berlin: 2–20
 * instances; otherwise 0–2"); anything else is listed one by one.
 */
export function scheduleWords(scheduled: readonly ScheduledDecl[], unit: string): string {
  const times = scheduled.map(daily);
  const [a, b] = scheduled;
  const [ta, tb] = times;
  if (scheduled.length === 2 && ta && tb && ta.days === tb.days && (a!.timezone ?? "UTC") === (b!.timezone ?? "UTC") && ta.minutes !== tb.minutes) {
    const [open, close] = ta.minutes < tb.minutes ? [a!, b!] : [b!, a!];
    const [to, tc] = ta.minutes < tb.minutes ? [ta, tb] : [tb, ta];
    return `${to.days} ${to.time}–${tc.time} ${open.timezone ?? "UTC"}: ${rangeWords(open.min, open.max)} ${unit}; otherwise ${rangeWords(close.min, close.max)}`;
  }
  return scheduled
    .map((s, i) => {
      const t = times[i];
      const when = t ? `${t.days} ${t.time}` : s.schedule;
      return `${when} ${s.timezone ?? "UTC"} → ${rangeWords(s.min, s.max)}`;
    })
    .join("; ");
}

/** "Mon 07:00", or with its date when more than six days away. */
function instantWords(ms: number, tz: string, now: number): string {
  const f = new Intl.DateTimeFormat("en-GB", {
    timeZone: tz, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    ...(ms - now > 6 * 86_400_000 ? { year: "numeric", month: "2-digit", day: "2-digit" } : {}),
  });
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const date = p.year ? ` ${p.year}-${p.month}-${p.day}` : "";
  return `${p.weekday}${date} ${p.hour}:${p.minute}`;
}

/** The next scheduled action after `now` ("next scheduled change: Mon 07:00 Europe/Berlin → 2–20"), if any. */
export function nextChangeWords(scheduled: readonly ScheduledDecl[], now: Date): string | undefined {
  let best: { at: number; a: ScheduledDecl } | undefined;
  for (const a of scheduled) {
    const e = parseScheduleExpression(a.schedule);
    if ("error" in e) continue;
    const start = a.start ? Date.parse(a.start) : undefined;
    const at = nextFire(e, a.timezone, now.getTime(), start);
    if (at === undefined || (a.end && at > Date.parse(a.end))) continue;
    if (!best || at < best.at) best = { at, a };
  }
  if (!best) return undefined;
  const tz = best.a.timezone ?? "UTC";
  return `next scheduled change: ${instantWords(best.at, tz, now.getTime())} ${tz} → ${rangeWords(best.a.min, best.a.max)} (${best.a.name})`;
}
