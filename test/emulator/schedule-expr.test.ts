/**
 * Unit tests of the schedule expression module shared by Application Auto Scaling and EventBridge
 * Scheduler: parsing (cron/rate/at and their errors) and next fire instants across time zones and DST.
 */
import { describe, expect, test } from "vitest";
import { isValidTimeZone, nextFire, parseScheduleExpression, type ScheduleExpression } from "../../src/shared/schedule-expr.js";

const ms = (iso: string) => Date.parse(iso);
const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());

function parse(text: string): ScheduleExpression {
  const e = parseScheduleExpression(text);
  if ("error" in e) throw new Error(`unexpected parse error: ${e.error}`);
  return e;
}

/** The next `count` fire instants after `after`, as ISO strings. */
function fires(text: string, tz: string | undefined, after: string, count: number, start?: string): string[] {
  const e = parse(text);
  const out: string[] = [];
  let t = ms(after);
  for (let i = 0; i < count; i++) {
    const n = nextFire(e, tz, t, start === undefined ? undefined : ms(start));
    if (n === undefined) break;
    out.push(iso(n)!);
    t = n;
  }
  return out;
}

describe("parsing", () => {
  test("SEXPR-01 cron fields: lists, ranges, steps, names and wildcards", () => {
    const e = parse("cron(0/15 7-9,18 ? jan-MAR,DEC MON-FRI *)");
    expect(e).toMatchObject({
      kind: "cron",
      minutes: [0, 15, 30, 45],
      hours: [7, 8, 9, 18],
      dayOfMonth: { kind: "any" },
      months: [1, 2, 3, 12],
      dayOfWeek: { kind: "set", values: [2, 3, 4, 5, 6] },
    });
    expect(parse("cron(*/20 * * * ? 2026-2027)")).toMatchObject({ minutes: [0, 20, 40], years: [2026, 2027], dayOfMonth: { kind: "set" } });
    expect(parse("cron(5/20 22-2 1 * ? *)")).toMatchObject({ minutes: [5, 25, 45], hours: [0, 1, 2, 22, 23] });
    expect(parse("cron(0 0 ? * FRI-MON *)")).toMatchObject({ dayOfWeek: { kind: "set", values: [1, 2, 6, 7] } });
    expect(parse("cron(0 0 ? * 1,7 *)")).toMatchObject({ dayOfWeek: { kind: "set", values: [1, 7] } });
  });

  test("SEXPR-01 L, W and # forms", () => {
    expect(parse("cron(0 0 L * ? *)")).toMatchObject({ dayOfMonth: { kind: "last", offset: 0 } });
    expect(parse("cron(0 0 L-2 * ? *)")).toMatchObject({ dayOfMonth: { kind: "last", offset: 2 } });
    expect(parse("cron(0 0 LW * ? *)")).toMatchObject({ dayOfMonth: { kind: "lastWeekday" } });
    expect(parse("cron(0 0 15W * ? *)")).toMatchObject({ dayOfMonth: { kind: "nearestWeekday", day: 15 } });
    expect(parse("cron(0 0 ? * 6L *)")).toMatchObject({ dayOfWeek: { kind: "last", day: 6 } });
    expect(parse("cron(0 0 ? * FRIL *)")).toMatchObject({ dayOfWeek: { kind: "last", day: 6 } });
    expect(parse("cron(0 0 ? * L *)")).toMatchObject({ dayOfWeek: { kind: "set", values: [7] } });
    expect(parse("cron(0 0 ? * 2#1 *)")).toMatchObject({ dayOfWeek: { kind: "nth", day: 2, nth: 1 } });
    expect(parse("cron(0 0 ? * TUE#3 *)")).toMatchObject({ dayOfWeek: { kind: "nth", day: 3, nth: 3 } });
  });

  test("SEXPR-02 rate and at parse", () => {
    expect(parse("rate(1 minute)")).toEqual({ kind: "rate", text: "rate(1 minute)", value: 1, unit: "minute", periodMs: 60_000 });
    expect(parse("rate(5 minutes)")).toMatchObject({ unit: "minute", periodMs: 300_000 });
    expect(parse("rate(2 hours)")).toMatchObject({ unit: "hour", periodMs: 7_200_000 });
    expect(parse("rate(1 day)")).toMatchObject({ unit: "day", periodMs: 86_400_000 });
    expect(parse("at(2026-12-24T18:00:00)")).toEqual({ kind: "at", text: "at(2026-12-24T18:00:00)", year: 2026, month: 12, day: 24, hour: 18, minute: 0, second: 0 });
  });

  test.each([
    ["cron(0 0 * * * *)", "exactly one of day-of-month and day-of-week must be '?'"],
    ["cron(0 0 ? * ? *)", "exactly one of day-of-month and day-of-week must be '?'"],
    ["cron(0 0 * * ?)", "must have 6 fields"],
    ["cron(60 0 * * ? *)", "minutes value '60' must be 0-59"],
    ["cron(0 24 * * ? *)", "hours value '24' must be 0-23"],
    ["cron(0 0 32 * ? *)", "day-of-month value '32' must be 1-31"],
    ["cron(0 0 ? FOO * *)", "month value 'FOO' is not valid"],
    ["cron(0 0 ? * 8 *)", "day-of-week value '8' must be 1-7"],
    ["cron(0 0 ? * 2#6 *)", "the occurrence after '#' must be 1-5"],
    ["cron(0 0 1 * ? 1969)", "year value '1969' must be 1970-2199"],
    ["cron(0/0 0 1 * ? *)", "step must be at least 1"],
    ["cron(1-2-3 0 1 * ? *)", "range '1-2-3' is not valid"],
    ["rate(0 minutes)", "must have a positive value"],
    ["rate(5 weeks)", "must be rate(value unit)"],
    ["rate(five minutes)", "must be rate(value unit)"],
    ["at(2026-02-30T10:00:00)", "is not a valid date and time"],
    ["at(2026-12-24 18:00)", "must be at(yyyy-mm-ddThh:mm:ss)"],
    ["every day", "must be cron(...), rate(...) or at(...)"],
  ])("SEXPR-01 SEXPR-02 %s is refused", (text, message) => {
    const e = parseScheduleExpression(text);
    expect("error" in e ? e.error : "parsed").toContain(message);
  });
});

describe("cron in UTC", () => {
  test("SEXPR-03 no time zone means UTC; the next fire is strictly after the given instant", () => {
    expect(fires("cron(0 12 * * ? *)", undefined, "2026-12-05T11:59:59Z", 2)).toEqual(["2026-12-05T12:00:00.000Z", "2026-12-06T12:00:00.000Z"]);
    expect(fires("cron(0 12 * * ? *)", "UTC", "2026-12-05T12:00:00Z", 1)).toEqual(["2026-12-06T12:00:00.000Z"]);
    expect(fires("cron(*/20 * * * ? *)", undefined, "2026-12-05T23:30:00Z", 3)).toEqual([
      "2026-12-05T23:40:00.000Z", "2026-12-06T00:00:00.000Z", "2026-12-06T00:20:00.000Z",
    ]);
  });

  test("SEXPR-03 weekday ranges, including ones that wrap past Saturday", () => {
    // 2026-12-05 is a Saturday.
    expect(fires("cron(0 7 ? * MON-FRI *)", undefined, "2026-12-05T00:00:00Z", 6)).toEqual([
      "2026-12-07T07:00:00.000Z", "2026-12-08T07:00:00.000Z", "2026-12-09T07:00:00.000Z",
      "2026-12-10T07:00:00.000Z", "2026-12-11T07:00:00.000Z", "2026-12-14T07:00:00.000Z",
    ]);
    expect(fires("cron(0 7 ? * FRI-MON *)", undefined, "2026-12-08T00:00:00Z", 4)).toEqual([
      "2026-12-11T07:00:00.000Z", "2026-12-12T07:00:00.000Z", "2026-12-13T07:00:00.000Z", "2026-12-14T07:00:00.000Z",
    ]);
    expect(fires("cron(30 9 ? * 1,7 *)", undefined, "2026-12-07T00:00:00Z", 2)).toEqual(["2026-12-12T09:30:00.000Z", "2026-12-13T09:30:00.000Z"]);
  });

  test("SEXPR-01 L: the last day of the month, leap years included, and L-n", () => {
    expect(fires("cron(0 12 L * ? *)", undefined, "2028-01-31T13:00:00Z", 3)).toEqual([
      "2028-02-29T12:00:00.000Z", "2028-03-31T12:00:00.000Z", "2028-04-30T12:00:00.000Z",
    ]);
    expect(fires("cron(0 12 L-2 * ? *)", undefined, "2026-02-01T00:00:00Z", 2)).toEqual(["2026-02-26T12:00:00.000Z", "2026-03-29T12:00:00.000Z"]);
  });

  test("SEXPR-01 W: the nearest weekday within the month; LW: the last weekday", () => {
    // 2026-08-15 is a Saturday → Friday 14th; 2026-11-15 a Sunday → Monday 16th.
    expect(fires("cron(0 9 15W 8,11 ? 2026)", undefined, "2026-01-01T00:00:00Z", 2)).toEqual(["2026-08-14T09:00:00.000Z", "2026-11-16T09:00:00.000Z"]);
    // 2026-08-01 is a Saturday: the nearest weekday in August is Monday 3rd, not Friday 31 July.
    expect(fires("cron(0 9 1W 8 ? 2026)", undefined, "2026-01-01T00:00:00Z", 1)).toEqual(["2026-08-03T09:00:00.000Z"]);
    // 2026-05-31 is a Sunday: the last weekday of May 2026 is Friday 29th.
    expect(fires("cron(0 9 LW 5,7 ? 2026)", undefined, "2026-01-01T00:00:00Z", 2)).toEqual(["2026-05-29T09:00:00.000Z", "2026-07-31T09:00:00.000Z"]);
  });

  test("SEXPR-01 #: the nth weekday of the month; nL: the last such weekday", () => {
    // First Monday: 2026-01-05, 2026-02-02.
    expect(fires("cron(0 8 ? * MON#1 *)", undefined, "2026-01-01T00:00:00Z", 2)).toEqual(["2026-01-05T08:00:00.000Z", "2026-02-02T08:00:00.000Z"]);
    // Last Friday: 2026-07-31, 2026-10-30.
    expect(fires("cron(0 18 ? 7,10 6L 2026)", undefined, "2026-01-01T00:00:00Z", 2)).toEqual(["2026-07-31T18:00:00.000Z", "2026-10-30T18:00:00.000Z"]);
    // A fifth Monday exists only in some months: 2026-03-30, 2026-06-29.
    expect(fires("cron(0 8 ? * 2#5 2026)", undefined, "2026-01-01T00:00:00Z", 2)).toEqual(["2026-03-30T08:00:00.000Z", "2026-06-29T08:00:00.000Z"]);
  });

  test("SEXPR-03 a year list ends the series; an impossible date never fires", () => {
    expect(fires("cron(0 0 1 1 ? 2027)", undefined, "2026-06-01T00:00:00Z", 3)).toEqual(["2027-01-01T00:00:00.000Z"]);
    expect(nextFire(parse("cron(0 0 30 2 ? *)"), undefined, ms("2026-01-01T00:00:00Z"))).toBeUndefined();
  });

  test("SEXPR-03 a start instant holds the series back until it", () => {
    expect(fires("cron(0 12 * * ? *)", undefined, "2026-12-01T00:00:00Z", 1, "2026-12-05T12:00:00Z")).toEqual(["2026-12-05T12:00:00.000Z"]);
    expect(fires("cron(0 12 * * ? *)", undefined, "2026-12-01T00:00:00Z", 1, "2026-12-05T12:00:01Z")).toEqual(["2026-12-06T12:00:00.000Z"]);
  });
});

describe("cron in a time zone (Europe/Berlin)", () => {
  const berlin = "Europe/Berlin";

  test("SEXPR-03 winter is UTC+1, summer UTC+2: weekdays 07:00 and 19:00 local", () => {
    expect(fires("cron(0 7,19 ? * MON-FRI *)", berlin, "2026-12-05T00:00:00Z", 3)).toEqual([
      "2026-12-07T06:00:00.000Z", "2026-12-07T18:00:00.000Z", "2026-12-08T06:00:00.000Z",
    ]);
    // 2026-07-03 is a Friday.
    expect(fires("cron(0 7,19 ? * MON-FRI *)", berlin, "2026-07-03T12:00:00Z", 2)).toEqual(["2026-07-03T17:00:00.000Z", "2026-07-06T05:00:00.000Z"]);
  });

  test("SEXPR-03 the day boundary is the local one", () => {
    // 00:30 Saturday in Berlin is 23:30 Friday UTC: a Saturday-only schedule fires then.
    expect(fires("cron(30 0 ? * SAT *)", berlin, "2026-12-01T00:00:00Z", 1)).toEqual(["2026-12-04T23:30:00.000Z"]);
  });

  test("SEXPR-04 spring forward: a local time in the gap is skipped that day", () => {
    // 2026-03-29 02:00 CET → 03:00 CEST: 02:30 does not exist.
    expect(fires("cron(30 2 * * ? *)", berlin, "2026-03-28T00:00:00Z", 3)).toEqual([
      "2026-03-28T01:30:00.000Z", "2026-03-30T00:30:00.000Z", "2026-03-31T00:30:00.000Z",
    ]);
    // Times around the gap keep their local clock reading.
    expect(fires("cron(0 1,3 * * ? *)", berlin, "2026-03-29T00:00:00Z", 2)).toEqual(["2026-03-29T01:00:00.000Z", "2026-03-29T23:00:00.000Z"]);
  });

  test("SEXPR-04 fall back: a local time that happens twice fires once, at its first occurrence", () => {
    // 2026-10-25 03:00 CEST → 02:00 CET: 02:30 happens at 00:30Z and again at 01:30Z.
    expect(fires("cron(30 2 * * ? *)", berlin, "2026-10-24T12:00:00Z", 3)).toEqual([
      "2026-10-25T00:30:00.000Z", "2026-10-26T01:30:00.000Z", "2026-10-27T01:30:00.000Z",
    ]);
    // Every 20 minutes through the repeated hour: the second pass adds nothing.
    expect(fires("cron(0/20 2 * * ? *)", berlin, "2026-10-24T23:59:00Z", 4)).toEqual([
      "2026-10-25T00:00:00.000Z", "2026-10-25T00:20:00.000Z", "2026-10-25T00:40:00.000Z", "2026-10-26T01:00:00.000Z",
    ]);
    // Asked from inside the second pass, the next fire is the next day's.
    expect(fires("cron(0/20 2 * * ? *)", berlin, "2026-10-25T01:10:00Z", 1)).toEqual(["2026-10-26T01:00:00.000Z"]);
  });

  test("SEXPR-03 another zone: America/New_York (UTC-5 in winter)", () => {
    expect(fires("cron(0 9 ? * MON *)", "America/New_York", "2026-12-05T00:00:00Z", 1)).toEqual(["2026-12-07T14:00:00.000Z"]);
  });
});

describe("rate", () => {
  test("SEXPR-02 fires every period from the start instant, blind to the time zone", () => {
    const start = "2026-12-05T10:00:00Z";
    expect(fires("rate(5 minutes)", "Europe/Berlin", "2026-12-05T10:07:00Z", 3, start)).toEqual([
      "2026-12-05T10:10:00.000Z", "2026-12-05T10:15:00.000Z", "2026-12-05T10:20:00.000Z",
    ]);
    expect(fires("rate(1 day)", "Europe/Berlin", "2026-03-28T12:00:00Z", 2, "2026-03-28T10:00:00Z")).toEqual([
      "2026-03-29T10:00:00.000Z", "2026-03-30T10:00:00.000Z",
    ]);
  });

  test("SEXPR-02 a start instant in the future is the first fire; without one the series starts at the given instant", () => {
    expect(iso(nextFire(parse("rate(1 hour)"), undefined, ms("2026-12-05T10:00:00Z"), ms("2026-12-06T00:00:00Z")))).toBe("2026-12-06T00:00:00.000Z");
    expect(iso(nextFire(parse("rate(2 hours)"), undefined, ms("2026-12-05T10:00:00Z")))).toBe("2026-12-05T12:00:00.000Z");
  });
});

describe("at", () => {
  test("SEXPR-03 fires once, at the local time in the zone", () => {
    const e = parse("at(2026-12-24T18:00:00)");
    expect(iso(nextFire(e, "Europe/Berlin", ms("2026-12-01T00:00:00Z")))).toBe("2026-12-24T17:00:00.000Z");
    expect(iso(nextFire(e, undefined, ms("2026-12-01T00:00:00Z")))).toBe("2026-12-24T18:00:00.000Z");
    expect(nextFire(e, "Europe/Berlin", ms("2026-12-24T17:00:00Z"))).toBeUndefined();
  });

  test("SEXPR-04 a local time in the spring gap fires as far past the gap; a repeated one at its first occurrence", () => {
    expect(iso(nextFire(parse("at(2026-03-29T02:30:00)"), "Europe/Berlin", 0))).toBe("2026-03-29T01:30:00.000Z");
    expect(iso(nextFire(parse("at(2026-10-25T02:30:00)"), "Europe/Berlin", 0))).toBe("2026-10-25T00:30:00.000Z");
  });
});

describe("time zone names", () => {
  test("SEXPR-03 IANA names are known to Intl; anything else is not", () => {
    expect([isValidTimeZone("Europe/Berlin"), isValidTimeZone("Etc/GMT+9"), isValidTimeZone("UTC"), isValidTimeZone("Mars/Olympus")]).toEqual([true, true, true, false]);
  });
});
