/**
 * Run-state schedules as values: the window text and its cron pair, what the window says for "now" (with
 * the grace after a boundary), the validation codes and positions, the schedule kinds' steps, and the
 * fleet's and builder's run state under a schedule (no false drift, no wait on a transition it caused).
 */
import { describe, expect, it } from "vitest";
import { analyzeManifest, defaultChecks } from "../../src/manifest/index.js";
import { fleet } from "../../src/kinds/fleet.js";
import { imageBuilder } from "../../src/kinds/image-builder.js";
import {
  BOUNDARY_GRACE_MS, canonicalWindow, describeSchedule, formatWindow, parseWindow, scheduledState, windowCrons, windowOfCrons,
} from "../../src/kinds/run-schedule.js";
import { fleetSchedule, imageBuilderSchedule, scheduleGroupName, stateAtCreate, universalTarget, withScheduledState } from "../../src/kinds/schedule.js";
import { FLEET } from "../core/fixtures.js";
import { change, desired, live, REGION, shape } from "./helpers.js";

const ROLE = "arn:aws:iam::123456789012:role/appstream-scheduler";
const HOURS = { running: "Mon-Fri 07:00-19:00", timezone: "Europe/Berlin", roleArn: ROLE };
/** Monday 2026-12-07 in Berlin (UTC+1 in winter). */
const berlin = (day: number, hh: number, mm = 0, ss = 0) => Date.UTC(2026, 11, day, hh - 1, mm, ss);

describe("the window text", () => {
  it.each([
    ["Mon-Fri 07:00-19:00", "Mon-Fri 07:00-19:00", "cron(0 7 ? * MON-FRI *)", "cron(0 19 ? * MON-FRI *)"],
    ["mon-FRI 7:30-18:45", "Mon-Fri 07:30-18:45", "cron(30 7 ? * MON-FRI *)", "cron(45 18 ? * MON-FRI *)"],
    ["Sat,Sun 09:00-13:00", "Sat-Sun 09:00-13:00", "cron(0 9 ? * SUN,SAT *)", "cron(0 13 ? * SUN,SAT *)"],
    ["Monday,Wednesday,Fri 08:00-12:00", "Mon,Wed,Fri 08:00-12:00", "cron(0 8 ? * MON,WED,FRI *)", "cron(0 12 ? * MON,WED,FRI *)"],
    ["Daily 22:00-06:00", "Daily 22:00-06:00", "cron(0 22 ? * * *)", "cron(0 6 ? * * *)"],
    ["Mon-Sun 08:00-20:00", "Daily 08:00-20:00", "cron(0 8 ? * * *)", "cron(0 20 ? * * *)"],
    // Crossing midnight: the stop falls on the next day.
    ["Fri 22:00-02:00", "Fri 22:00-02:00", "cron(0 22 ? * FRI *)", "cron(0 2 ? * SAT *)"],
    ["Fri-Mon 20:00-06:00", "Mon,Fri-Sun 20:00-06:00", "cron(0 20 ? * SUN-MON,FRI-SAT *)", "cron(0 6 ? * SUN-TUE,SAT *)"],
    ["Mon–Fri 07:00–19:00", "Mon-Fri 07:00-19:00", "cron(0 7 ? * MON-FRI *)", "cron(0 19 ? * MON-FRI *)"],
  ])("%s → %s, start %s, stop %s, and back", (text, canonical, start, stop) => {
    const w = parseWindow(text);
    if ("error" in w) throw new Error(w.error);
    expect(formatWindow(w)).toBe(canonical);
    expect(canonicalWindow(text)).toBe(canonical);
    expect(windowCrons(w)).toEqual({ start, stop });
    expect(windowOfCrons(start, stop)).toBe(canonical);
  });

  it.each([
    ["Mon-Fri", '"Mon-Fri" is not DAYS HH:MM-HH:MM (e.g. "Mon-Fri 07:00-19:00")'],
    ["Mon-Fry 07:00-19:00", 'unknown day "Fry" (Mon, Tue, Wed, Thu, Fri, Sat, Sun or Daily)'],
    ["Mon-Fri 7-19", 'start "7" is not a time HH:MM'],
    ["Mon-Fri 07:00", '"07:00" is not a time range HH:MM-HH:MM'],
    ["Mon-Fri 07:00-24:00", 'end "24:00" is not a time of day (00:00–23:59)'],
    ["Mon-Fri 07:00-07:00", "the window 07:00-07:00 starts and ends at the same time"],
    ["Mon--Fri 07:00-19:00", '"Mon--Fri" is not a day or a range of days (e.g. Mon-Fri)'],
  ])("%s is refused: %s", (text, error) => {
    expect(parseWindow(text)).toEqual({ error });
  });

  it("live expressions in another form are shown as they are (and so differ from any window)", () => {
    expect(windowOfCrons("cron(0 7 ? * 2-6 *)", "cron(0 19 ? * MON-FRI *)")).toBe("start cron(0 7 ? * 2-6 *), stop cron(0 19 ? * MON-FRI *)");
    expect(windowOfCrons("cron(0 7 ? * MON-FRI *)", undefined)).toBe("start cron(0 7 ? * MON-FRI *), stop (none)");
  });
});

describe("what the window says for now", () => {
  it("running inside the window, stopped outside; either within the grace after each boundary", () => {
    expect(scheduledState(HOURS, berlin(7, 10))).toBe("running");
    expect(scheduledState(HOURS, berlin(7, 6, 59))).toBe("stopped");
    expect(scheduledState(HOURS, berlin(7, 19, 0, 1))).toBe("either");
    expect(scheduledState(HOURS, berlin(7, 19) + BOUNDARY_GRACE_MS - 1000)).toBe("either");
    expect(scheduledState(HOURS, berlin(7, 19) + BOUNDARY_GRACE_MS + 1000)).toBe("stopped");
    expect(scheduledState(HOURS, berlin(7, 7, 5))).toBe("either");
    expect(scheduledState(HOURS, berlin(12, 10))).toBe("stopped"); // Saturday
    expect(scheduledState({ ...HOURS, timezone: "America/New_York" }, berlin(7, 10))).toBe("stopped"); // 04:00 in New York
  });

  it("in the plan's words, on the service's clock", () => {
    expect(describeSchedule(HOURS, berlin(7, 10))).toBe("running Mon–Fri 07:00–19:00 Europe/Berlin; now: running (window ends 19:00)");
    expect(describeSchedule(HOURS, berlin(7, 20))).toBe("running Mon–Fri 07:00–19:00 Europe/Berlin; now: stopped (window starts Tue 07:00)");
    expect(describeSchedule(HOURS, berlin(11, 20))).toBe("running Mon–Fri 07:00–19:00 Europe/Berlin; now: stopped (window starts Mon 07:00)");
  });

  it("the declared state is the window's; at a boundary the live one; a create starts in the window's state", () => {
    const d = { name: "apps", schedule: HOURS };
    expect(withScheduledState(d, { state: "stopped" }, berlin(7, 10)).state).toBe("running");
    expect(withScheduledState(d, { state: "running" }, berlin(7, 20)).state).toBe("stopped");
    expect(withScheduledState(d, { state: "running" }, berlin(7, 19, 0, 30)).state).toBe("running");
    expect(withScheduledState(d, { state: "stopped" }, berlin(7, 19, 0, 30)).state).toBe("stopped");
    expect(withScheduledState({ name: "apps" }, { state: "stopped" }, berlin(7, 10))).toEqual({ name: "apps" });
    expect(stateAtCreate(d, berlin(7, 10))).toBe("running");
    expect(stateAtCreate(d, berlin(7, 20))).toBe("stopped");
  });
});

describe("validation", () => {
  const manifest = (schedule: string[], extra: string[] = []) =>
    [
      "apiVersion: appstreamctl/v1",
      "metadata:",
      "  name: t",
      "fleets:",
      "  - name: f",
      "    instanceType: stream.standard.small",
      "    imageName: img",
      "    computeCapacity: { desiredInstances: 1 }",
      ...extra,
      "    schedule:",
      ...schedule.map((l) => `      ${l}`),
      "",
    ].join("\n");
  const diagnostics = (text: string) =>
    analyzeManifest([{ file: "m.yaml", text }], {}, defaultChecks()).diagnostics.map((d) => `${d.loc?.file}:${d.loc?.line}:${d.loc?.col} ${d.severity} ${d.code}`);

  it("a good schedule has no diagnostic", () => {
    expect(diagnostics(manifest(['running: "Mon-Fri 07:00-19:00"', "timezone: Europe/Berlin", `roleArn: ${ROLE}`]))).toEqual([]);
  });

  it("each problem at its value, with a stable code", () => {
    expect(diagnostics(manifest(['running: "Mon-Fry 07:00-19:00"', "timezone: Europe/Berlim", `roleArn: ${ROLE}`]))).toEqual([
      "m.yaml:10:16 error schedule.window",
      "m.yaml:11:17 error schedule.timezone",
    ]);
    expect(diagnostics(manifest(['running: "Mon-Fri 07:00-19:00"', "roleArn: arn:aws:iam::123456789012:user/bob"]))).toEqual(["m.yaml:11:16 error schema.pattern"]);
    expect(diagnostics(manifest(['running: "Mon-Fri 07:00-19:00"']))).toEqual(["m.yaml:10:7 error schema.required"]);
  });

  it("state beside a schedule is refused: the schedule decides the run state", () => {
    expect(diagnostics(manifest(['running: "Mon-Fri 07:00-19:00"', `roleArn: ${ROLE}`], ["    state: stopped"]))).toEqual(["m.yaml:9:12 error schedule.state-conflict"]);
  });

  it("a name too long for the schedule names is refused", () => {
    const long = "f".repeat(53);
    const v = fleet.rules({ ...FLEET, name: long, schedule: HOURS } as never, { names: () => new Set(), find: () => undefined, defaultTags: () => ({}), entries: () => [] });
    expect(v.map((x) => [x.code, x.path])).toEqual([["schedule.name-length", ["schedule"]]]);
    expect(fleet.rules({ ...FLEET, name: "f".repeat(52), schedule: HOURS } as never, { names: () => new Set(), find: () => undefined, defaultTags: () => ({}), entries: () => [] })).toEqual([]);
  });
});

describe("schedule kinds' steps", () => {
  const spec = { owner: "apps", group: "appstreamctl-t", set: "t", running: "Mon-Fri 07:00-19:00", timezone: "Europe/Berlin", roleArn: ROLE };
  const d = desired("FleetSchedule", "apps", spec);
  const request = (which: "start" | "stop", expr: string, action: string, running = "Mon-Fri 07:00-19:00") => ({
    Name: `fleet-apps-${which}`, GroupName: "appstreamctl-t", ScheduleExpression: expr, ScheduleExpressionTimezone: "Europe/Berlin",
    FlexibleTimeWindow: { Mode: "OFF" }, State: "ENABLED", Description: `appstreamctl: ${which} fleet apps (running ${running})`,
    Target: { Arn: `arn:aws:scheduler:::aws-sdk:appstream:${action}`, RoleArn: ROLE, Input: '{"Name":"apps"}' },
  });

  it("create: the set's group (tagged), then a start and a stop schedule", () => {
    expect(shape(fleetSchedule.create(d, REGION))).toEqual([
      { id: "group", op: "schedule-group.ensure", params: { Name: "appstreamctl-t", Tags: [{ Key: "appstreamctl:set", Value: "t" }] }, after: [] },
      { id: "start", op: "schedule.create", params: request("start", "cron(0 7 ? * MON-FRI *)", "startFleet"), after: ["group"] },
      { id: "stop", op: "schedule.create", params: request("stop", "cron(0 19 ? * MON-FRI *)", "stopFleet"), after: ["group"] },
    ]);
    const b = imageBuilderSchedule.create(desired("ImageBuilderSchedule", "pk", { ...spec, owner: "pk" }), REGION);
    expect(b.map((s) => [s.params.Name, (s.params.Target as { Arn: string } | undefined)?.Arn])).toEqual([
      ["appstreamctl-t", undefined],
      ["builder-pk-start", "arn:aws:scheduler:::aws-sdk:appstream:startImageBuilder"],
      ["builder-pk-stop", "arn:aws:scheduler:::aws-sdk:appstream:stopImageBuilder"],
    ]);
  });

  it("update: one UpdateSchedule per schedule that differs, nothing for the other; a missing one is created", () => {
    const held = (expr: string, action: string, state = "ENABLED") => ({ expression: expr, timezone: "Europe/Berlin", roleArn: ROLE, targetArn: `arn:aws:scheduler:::aws-sdk:appstream:${action}`, input: '{"Name":"apps"}', state });
    const l = { ...live("FleetSchedule", "apps", { ...spec, running: "Mon-Fri 07:00-19:00" }), facts: { start: held("cron(0 7 ? * MON-FRI *)", "startFleet"), stop: held("cron(0 19 ? * MON-FRI *)", "stopFleet") } };
    const later = desired("FleetSchedule", "apps", { ...spec, running: "Mon-Fri 08:00-19:00" });
    const u = fleetSchedule.update(later, l, [change(fleetSchedule, "running")], REGION);
    expect(u.disruption).toBe("none");
    expect(u.reason).toMatch(/^running Mon–Fri 08:00–19:00 Europe\/Berlin; now: /);
    expect(shape(u.steps)).toEqual([{ id: "start", op: "schedule.update", params: request("start", "cron(0 8 ? * MON-FRI *)", "startFleet", "Mon-Fri 08:00-19:00"), after: [] }]);
    const disabled = { ...l, facts: { ...l.facts, stop: held("cron(0 19 ? * MON-FRI *)", "stopFleet", "DISABLED") } };
    expect(fleetSchedule.update(d, disabled, [change(fleetSchedule, "running")], REGION).steps.map((s) => [s.id, s.op])).toEqual([["stop", "schedule.update"]]);
    const half = { ...l, facts: { start: l.facts.start } };
    expect(fleetSchedule.update(d, half, [change(fleetSchedule, "running")], REGION).steps.map((s) => [s.id, s.op])).toEqual([["stop", "schedule.create"]]);
    expect(shape(fleetSchedule.remove(l, REGION))).toEqual([
      { id: "delete-start", op: "schedule.delete", params: { Name: "fleet-apps-start", GroupName: "appstreamctl-t" }, after: [] },
      { id: "delete-stop", op: "schedule.delete", params: { Name: "fleet-apps-stop", GroupName: "appstreamctl-t" }, after: [] },
    ]);
  });

  it("group names fit the Scheduler's pattern; targets follow the partition", () => {
    expect(scheduleGroupName("hours")).toBe("appstreamctl-hours");
    expect(scheduleGroupName("team:a/b")).toMatch(/^appstreamctl-team_a_b-[0-9a-f]{10}$/);
    expect(scheduleGroupName("x".repeat(100))).toHaveLength(64);
    expect(universalTarget("cn-north-1", "stopFleet")).toBe("arn:aws-cn:scheduler:::aws-sdk:appstream:stopFleet");
  });
});

describe("the owner's run state under a schedule", () => {
  const spec = { ...FLEET, schedule: HOURS };

  it("a fleet STOPPING or STARTING is the schedule's doing: no settle wait; without a schedule the plan waits", () => {
    const d = desired("Fleet", "apps", spec);
    expect(fleet.settle!(live("Fleet", "apps", { ...FLEET, state: "stopped" }, "STOPPING"), d)).toBeUndefined();
    expect(fleet.settle!(live("Fleet", "apps", { ...FLEET, state: "running" }, "STARTING"), d)).toBeUndefined();
    expect(fleet.settle!(live("Fleet", "apps", { ...FLEET, state: "stopped" }, "STOPPING"), desired("Fleet", "apps", FLEET))).toMatchObject({ diff: { path: "state", after: "STOPPED" } });
    expect(imageBuilder.settle!(live("ImageBuilder", "b", { state: "stopped" }, "STOPPING"), desired("ImageBuilder", "b", { schedule: HOURS }))).toBeUndefined();
  });

  it("export writes the schedule without the state it decides", () => {
    expect(fleet.export!.finish!({ name: "apps", state: "stopped", schedule: { running: "Mon-Fri 07:00-19:00" } })).toEqual({ name: "apps", schedule: { running: "Mon-Fri 07:00-19:00" } });
    expect(fleet.export!.finish!({ name: "apps", state: "stopped" })).toEqual({ name: "apps", state: "stopped" });
  });

  it("the association shows the schedule read back as the manifest says it", () => {
    const facts = fleet.associations![0]!;
    expect(facts.declared({ schedule: { running: "mon-fri 7:00-19:00", roleArn: ROLE } })).toEqual({ running: "Mon-Fri 07:00-19:00", timezone: "UTC", roleArn: ROLE });
    const l = live("FleetSchedule", "apps", { owner: "apps", group: "g", running: "Mon-Fri 07:00-19:00", timezone: "Europe/Berlin", roleArn: ROLE });
    expect(facts.live("apps", [l])).toEqual(HOURS);
    expect(facts.live("other", [l])).toBeUndefined();
  });
});
