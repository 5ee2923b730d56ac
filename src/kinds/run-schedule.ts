/**
 * Run-state schedules of fleets and image builders in human terms: the window text of the manifest
 * (`Mon-Fri 07:00-19:00`), the start and stop cron expressions EventBridge Scheduler holds for it, and
 * what the window says about "now". Pure: the clock is passed in (the AWS side's, see aws/server-clock.ts).
 */
import { nextFire, parseScheduleExpression, isValidTimeZone, type ScheduleExpression } from "../shared/schedule-expr.js";
import type { RuleViolation } from "./contract.js";
import { obj, str } from "./schema-dsl.js";

/** `schedule:` of a fleet or an image builder entry. */
export interface ScheduleSpec {
  running: string;
  timezone?: string;
  roleArn: string;
}

/** Days (0 = Sunday … 6 = Saturday) and minutes of the day; `end` ≤ `start` crosses midnight. */
export interface RunWindow {
  days: readonly number[];
  start: number;
  end: number;
}

const DAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const CRON_DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] as const;
/** Manifest order of the days: the working week first. */
const WEEK = [1, 2, 3, 4, 5, 6, 0] as const;

/** The execution role pattern of the Scheduler API's Target.RoleArn. */
export const ROLE_ARN_PATTERN = "^arn:aws(-[a-z]+)?:iam::\\d{12}:role\\/[\\w+=,.@\\/-]+$";
export const DEFAULT_TIMEZONE = "UTC";
/**
 * After a window boundary, either run state is right for this long: EventBridge Scheduler invokes the
 * target within a minute (FlexibleTimeWindow OFF) and retries failed invocations, and a start or stop
 * takes minutes; a plan in that time must not report drift nor start or stop against the schedule.
 */
export const BOUNDARY_GRACE_MS = 15 * 60_000;

/** The declared schedule; undefined for `none` (no schedule: any is deleted) and for a field left out. */
export const scheduleOf = (spec: Record<string, unknown>): ScheduleSpec | undefined =>
  typeof spec.schedule === "object" && spec.schedule !== null ? (spec.schedule as ScheduleSpec) : undefined;

export const scheduleSchema = () => ({
  oneOf: [
    scheduleObject(),
    { const: "none", description: "No run-state schedule: an existing one is deleted" },
  ],
});

const scheduleObject = () =>
  obj(
    {
      running: str({
        min: 1,
        description:
          "When the resource runs: DAYS HH:MM-HH:MM, e.g. `Mon-Fri 07:00-19:00`, `Sat,Sun 09:00-13:00`, `Daily 22:00-06:00` (an end before the start crosses midnight); stopped otherwise",
      }),
      timezone: str({ min: 1, description: "IANA time zone of the window (default UTC), e.g. Europe/Berlin" }),
      roleArn: str({ pattern: ROLE_ARN_PATTERN, description: "IAM role EventBridge Scheduler assumes to start and stop it (appstreamctl creates no IAM)" }),
    },
    ["running", "roleArn"],
    "Run-state schedule (EventBridge Scheduler start/stop schedules in the set's group `appstreamctl-SET`); the schedule, not `state`, decides the run state. " +
      "Left out, the resource's schedule is not managed: an existing one stays (the plan and drift say so once); `none` deletes it",
  );

const LONG = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

/** A day by its three-letter or full English name, any case. */
function dayIndex(token: string): number | undefined {
  const t = token.toLowerCase();
  const i = LONG.findIndex((d) => t === d || t === d.slice(0, 3));
  return i < 0 ? undefined : i;
}

function parseDays(text: string): number[] | string {
  if (/^(daily|every ?day)$/i.test(text)) return [0, 1, 2, 3, 4, 5, 6];
  const days = new Set<number>();
  for (const part of text.split(",")) {
    const range = part.split("-");
    if (range.length > 2 || range.some((r) => r === "")) return `"${part}" is not a day or a range of days (e.g. Mon-Fri)`;
    const ends = range.map((r) => dayIndex(r));
    const bad = range.find((_, i) => ends[i] === undefined);
    if (bad !== undefined) return `unknown day "${bad}" (Mon, Tue, Wed, Thu, Fri, Sat, Sun or Daily)`;
    const [from, to = from] = ends as number[];
    // A range runs forward through the week and may wrap (Fri-Mon).
    for (let d = from!; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === to) break;
    }
  }
  return [...days].sort((a, b) => a - b);
}

function parseTime(text: string, what: string): number | string {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!m) return `${what} "${text}" is not a time HH:MM`;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return `${what} "${text}" is not a time of day (00:00–23:59)`;
  return h * 60 + min;
}

/** The window of a `running:` text, or why it is not one. */
export function parseWindow(text: string): RunWindow | { error: string } {
  const parts = text.trim().replace(/[–—]/g, "-").split(/\s+/);
  if (parts.length !== 2) return { error: `"${text}" is not DAYS HH:MM-HH:MM (e.g. "Mon-Fri 07:00-19:00")` };
  const [dayText, timeText] = parts as [string, string];
  const days = parseDays(dayText);
  if (typeof days === "string") return { error: days };
  const times = timeText.split("-");
  if (times.length !== 2) return { error: `"${timeText}" is not a time range HH:MM-HH:MM` };
  const start = parseTime(times[0]!, "start");
  if (typeof start === "string") return { error: start };
  const end = parseTime(times[1]!, "end");
  if (typeof end === "string") return { error: end };
  if (start === end) return { error: `the window ${timeText} starts and ends at the same time` };
  return { days, start, end };
}

const hhmm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

/** Runs of consecutive days in `order`, as [first, last] pairs. */
function runs(days: readonly number[], order: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const d of order) {
    if (!days.includes(d)) continue;
    const last = out[out.length - 1];
    if (last && order.indexOf(last[1]) === order.indexOf(d) - 1) last[1] = d;
    else out.push([d, d]);
  }
  return out;
}

/** The one text of a window: `Mon-Fri 07:00-19:00`, days in week order, `Daily` for all seven. */
export function formatWindow(w: RunWindow): string {
  const days = w.days.length === 7 ? "Daily" : runs(w.days, WEEK).map(([a, b]) => (a === b ? DAY_NAMES[a] : `${DAY_NAMES[a]}-${DAY_NAMES[b]}`)).join(",");
  return `${days} ${hhmm(w.start)}-${hhmm(w.end)}`;
}

/** The canonical form of a `running:` text (itself when it does not parse: validation reports it). */
export function canonicalWindow(text: unknown): unknown {
  if (typeof text !== "string") return text;
  const w = parseWindow(text);
  return "error" in w ? text : formatWindow(w);
}

function cronDays(days: readonly number[]): string {
  if (days.length === 7) return "*";
  return runs(days, [0, 1, 2, 3, 4, 5, 6]).map(([a, b]) => (a === b ? CRON_DAYS[a] : `${CRON_DAYS[a]}-${CRON_DAYS[b]}`)).join(",");
}

const cron = (minutes: number, days: readonly number[]): string => `cron(${minutes % 60} ${Math.floor(minutes / 60)} ? * ${cronDays(days)} *)`;

/** The start and stop expressions of a window: the stop moves to the next day when the window crosses midnight. */
export function windowCrons(w: RunWindow): { start: string; stop: string } {
  const stopDays = w.end > w.start ? w.days : w.days.map((d) => (d + 1) % 7).sort((a, b) => a - b);
  return { start: cron(w.start, w.days), stop: cron(w.end, stopDays) };
}

const CRON_FORM = /^cron\((\d{1,2}) (\d{1,2}) \? \* ([A-Z,*-]+) \*\)$/;

function parseCronDays(text: string): number[] | undefined {
  if (text === "*") return [0, 1, 2, 3, 4, 5, 6];
  const out = new Set<number>();
  for (const part of text.split(",")) {
    const ends = part.split("-").map((p) => CRON_DAYS.indexOf(p as (typeof CRON_DAYS)[number]));
    const a = ends[0] ?? -1;
    const b = ends[1] ?? a;
    if (ends.length > 2 || a < 0 || b < a) return undefined;
    for (let d = a; d <= b; d++) out.add(d);
  }
  return [...out].sort((x, y) => x - y);
}

/**
 * The window text of a live start/stop pair, when both are in the form this tool writes; otherwise the
 * expressions as they are (so that the plan shows what is there and updates it).
 */
export function windowOfCrons(start: string | undefined, stop: string | undefined): string {
  const a = start ? CRON_FORM.exec(start) : null;
  const b = stop ? CRON_FORM.exec(stop) : null;
  const days = a ? parseCronDays(a[3]!) : undefined;
  if (a && b && days) {
    const w: RunWindow = { days, start: Number(a[2]) * 60 + Number(a[1]), end: Number(b[2]) * 60 + Number(b[1]) };
    const want = windowCrons(w);
    if (w.start !== w.end && want.start === start && want.stop === stop) return formatWindow(w);
  }
  return `start ${start ?? "(none)"}, stop ${stop ?? "(none)"}`;
}

interface Compiled {
  start: ScheduleExpression;
  stop: ScheduleExpression;
  tz: string;
}

function compile(s: ScheduleSpec): Compiled | undefined {
  const w = parseWindow(s.running);
  if ("error" in w) return undefined;
  const c = windowCrons(w);
  const start = parseScheduleExpression(c.start);
  const stop = parseScheduleExpression(c.stop);
  if ("error" in start || "error" in stop) return undefined;
  return { start, stop, tz: s.timezone ?? DEFAULT_TIMEZONE };
}

/** Whether the window is open at `at`: its next stop comes before its next start. */
function openAt(c: Compiled, at: number): boolean {
  const start = nextFire(c.start, c.tz, at);
  const stop = nextFire(c.stop, c.tz, at);
  return stop !== undefined && (start === undefined || stop < start);
}

/**
 * The run state the schedule says for `now`: `either` within {@link BOUNDARY_GRACE_MS} after a boundary
 * (the schedule has fired or is about to; the resource may still be on its way).
 */
export function scheduledState(s: ScheduleSpec, now: number, graceMs = BOUNDARY_GRACE_MS): "running" | "stopped" | "either" | undefined {
  const c = compile(s);
  if (!c) return undefined;
  const open = openAt(c, now);
  if (open !== openAt(c, now - graceMs)) return "either";
  return open ? "running" : "stopped";
}

/** A local time of `tz` as the plan shows it: `19:00`, or `Mon 07:00` when it is not today. */
function localTime(ms: number, now: number, tz: string): string {
  const fmt = (t: number, o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat("en-GB", { timeZone: tz, ...o }).format(t);
  const time = fmt(ms, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const sameDay = fmt(ms, { dateStyle: "short" }) === fmt(now, { dateStyle: "short" });
  return sameDay ? time : `${fmt(ms, { weekday: "short" })} ${time}`;
}

/** "running Mon–Fri 07:00–19:00 Europe/Berlin; now: running (window ends 19:00)" */
export function describeSchedule(s: ScheduleSpec, now: number): string {
  const c = compile(s);
  const human = String(canonicalWindow(s.running)).replace(/-/g, "–");
  const head = `running ${human} ${s.timezone ?? DEFAULT_TIMEZONE}`;
  if (!c) return head;
  const open = openAt(c, now);
  const next = nextFire(open ? c.stop : c.start, c.tz, now);
  const when = next === undefined ? "" : ` (window ${open ? "ends" : "starts"} ${localTime(next, now, c.tz)})`;
  return `${head}; now: ${open ? "running" : "stopped"}${when}`;
}

/** Validation of `schedule:` (its schema checked the shapes) and of `state:` beside it. */
export function scheduleRules(spec: { schedule?: ScheduleSpec | "none"; state?: string }, maxName: { name: string; limit: number }): RuleViolation[] {
  const s = scheduleOf(spec);
  if (!s) return [];
  const out: RuleViolation[] = [];
  if (typeof s.running === "string") {
    const w = parseWindow(s.running);
    if ("error" in w) out.push({ code: "schedule.window", path: ["schedule", "running"], message: `schedule.running: ${w.error}`, hint: 'e.g. running: "Mon-Fri 07:00-19:00"' });
  }
  if (typeof s.timezone === "string" && !isValidTimeZone(s.timezone)) {
    out.push({ code: "schedule.timezone", path: ["schedule", "timezone"], message: `schedule.timezone: "${s.timezone}" is not an IANA time zone`, hint: "e.g. Europe/Berlin, America/New_York, UTC" });
  }
  if (typeof s.roleArn === "string" && !new RegExp(ROLE_ARN_PATTERN).test(s.roleArn)) {
    out.push({ code: "schedule.role", path: ["schedule", "roleArn"], message: `schedule.roleArn: "${s.roleArn}" is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)` });
  }
  if (spec.state !== undefined) {
    out.push({
      code: "schedule.state-conflict", path: ["state"],
      message: "state and schedule are both declared: with a schedule, the schedule decides the run state",
      hint: "remove state (the plan compares the run state with the schedule's current window)",
    });
  }
  if (maxName.name.length > maxName.limit) {
    out.push({
      code: "schedule.name-length", path: ["schedule"],
      message: `a schedule's name holds the resource's name, which may have at most ${maxName.limit} characters for it (EventBridge Scheduler names are at most 64); ${maxName.name} has ${maxName.name.length}`,
    });
  }
  return out;
}
