/**
 * Contract tests of the EventBridge Scheduler emulator (SCHED rules in SPEC.md) through the real
 * @aws-sdk/client-scheduler over HTTP, plus raw requests for what the SDK cannot express.
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CreateScheduleCommand,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  DeleteScheduleGroupCommand,
  GetScheduleCommand,
  GetScheduleGroupCommand,
  ListScheduleGroupsCommand,
  ListSchedulesCommand,
  ListTagsForResourceCommand,
  SchedulerClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateScheduleCommand,
  paginateListSchedules,
  type CreateScheduleCommandInput,
} from "@aws-sdk/client-scheduler";
import { describe, expect, test } from "vitest";
import { generateSchedulerModel } from "../../scripts/gen-scheduler-model.js";
import { calls, clientOf, control, createFleet, CREDENTIALS, describeFleet, errorOf, fleetInput, startTestEmulator, useEmulator } from "./helpers.js";

const ROLE = "arn:aws:iam::123456789012:role/scheduler-appstream";
const START_FLEET = "arn:aws:scheduler:::aws-sdk:appstream:startFleet";

function schedulerOf(url: string, region = "us-east-1"): SchedulerClient {
  return new SchedulerClient({ region, endpoint: url, credentials: CREDENTIALS, maxAttempts: 1 });
}

function scheduleInput(name: string, extra: Partial<CreateScheduleCommandInput> = {}): CreateScheduleCommandInput {
  return {
    Name: name,
    ScheduleExpression: "cron(0 7 ? * MON-FRI *)",
    ScheduleExpressionTimezone: "Europe/Berlin",
    FlexibleTimeWindow: { Mode: "OFF" },
    Target: { Arn: START_FLEET, RoleArn: ROLE, Input: JSON.stringify({ Name: "fleet-a" }) },
    ...extra,
  };
}

/** The region's collection `name` from `GET /_emulator/state`. */
async function collection(url: string, name: string, region = "us-east-1"): Promise<Record<string, any>> {
  const { body } = await control(url, "GET", "state");
  return body.regions[region]?.[name] ?? {};
}

async function invocations(url: string): Promise<any[]> {
  return Object.values(await collection(url, "schedulerInvocations"));
}

/** Moves the emulator clock to `target` (epoch ms; never backwards). */
async function advanceTo(url: string, target: number): Promise<void> {
  const { body } = await control(url, "GET", "state");
  await control(url, "POST", "clock", { advanceSeconds: Math.max(0, (target - body.now) / 1000) });
}

/** The first weekday 07:00 in Berlin after `after`, found hour by hour (Berlin's offsets are whole hours). */
function nextBerlinWeekday0700(after: number): number {
  const fmt = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  for (let t = Math.ceil((after + 1) / 3_600_000) * 3_600_000; ; t += 3_600_000) {
    const p = Object.fromEntries(fmt.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
    if (p.weekday !== "Sat" && p.weekday !== "Sun" && p.hour === "07" && p.minute === "00") return t;
  }
}

async function raw(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; headers: Headers; json: any }> {
  const res = await fetch(`${url}${path}`, { method, headers: { "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

describe("Scheduler protocol", () => {
  const t = useEmulator();

  test("SCHED-PROTO-01 requests are routed by method and path; answers are JSON with a request id", async () => {
    const r = await raw(t().emu.url, "GET", "/schedule-groups/default");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/json");
    expect(r.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.json).toMatchObject({ Name: "default", State: "ACTIVE", Arn: "arn:aws:scheduler:us-east-1:123456789012:schedule-group/default" });
    expect(typeof r.json.CreationDate).toBe("number");
  });

  test("SCHED-PROTO-02 errors carry x-amzn-ErrorType, a {Message} body and the model's status", async () => {
    const missing = await raw(t().emu.url, "GET", "/schedules/nope");
    expect([missing.status, missing.headers.get("x-amzn-errortype"), missing.json]).toEqual([
      404, "ResourceNotFoundException", { Message: "Schedule nope does not exist." },
    ]);
    const client = schedulerOf(t().emu.url);
    await client.send(new CreateScheduleGroupCommand({ Name: "g1" }));
    const dup = await errorOf(() => client.send(new CreateScheduleGroupCommand({ Name: "g1" })));
    expect([dup.name, dup.$metadata?.httpStatusCode, dup.message]).toEqual(["ConflictException", 409, "Schedule group g1 already exists."]);
  });

  test("SCHED-PROTO-03 inputs are validated against the model before the handler, labels and query members included", async () => {
    const client = schedulerOf(t().emu.url);
    const bad = await errorOf(() => client.send(new CreateScheduleCommand(scheduleInput("bad name!", { Description: "x".repeat(513) }))));
    expect(bad.name).toBe("ValidationException");
    expect(bad.message).toBe(
      "2 validation errors detected: Value 'x".concat("x".repeat(512), "' at 'description' failed to satisfy constraint: Member must have length less than or equal to 512; ",
        "Value 'bad name!' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[0-9a-zA-Z-_.]+$"),
    );
    const page = await raw(t().emu.url, "GET", "/schedules?MaxResults=0");
    expect([page.status, page.headers.get("x-amzn-errortype")]).toEqual([400, "ValidationException"]);
    expect(page.json.Message).toContain("at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1");
    const role = await errorOf(() => client.send(new CreateScheduleCommand(scheduleInput("s", { Target: { Arn: START_FLEET, RoleArn: "role" } }))));
    expect(role.message).toContain("at 'target.roleArn' failed to satisfy constraint");
    expect(await collection(t().emu.url, "schedules")).toEqual({});
  });

  test("SCHED-PROTO-04 a path or method no operation binds → UnknownOperationException (404)", async () => {
    const r = await raw(t().emu.url, "PATCH", "/schedules/x");
    expect([r.status, r.headers.get("x-amzn-errortype")]).toEqual([404, "UnknownOperationException"]);
    expect((await raw(t().emu.url, "GET", "/schedules/a/b/c")).json.Message).toBeDefined();
  });

  test("SCHED-PROTO-05 calls are logged as scheduler:<Op> with the resource; mutating ones persist", async () => {
    const client = schedulerOf(t().emu.url);
    await client.send(new CreateScheduleCommand(scheduleInput("logged")));
    await client.send(new GetScheduleCommand({ Name: "logged" }));
    const log = (await calls(t().emu.url)).map((c) => [c.operation, c.resource, c.outcome, c.mutating]);
    expect(log).toEqual([
      ["scheduler:CreateSchedule", "logged", "ok", true],
      ["scheduler:GetSchedule", "logged", "ok", false],
    ]);
    expect(Object.keys(await collection(t().emu.url, "schedules"))).toEqual(["default/logged"]);
  });

  test("SCHED-PROTO-07 injected faults answer as Scheduler does: ThrottlingException 429, InternalServerException 500, cme as ConflictException where modeled", async () => {
    const client = schedulerOf(t().emu.url);
    await control(t().emu.url, "POST", "faults", { spec: "CreateScheduleGroup:cme=1,ListScheduleGroups:cme=1,GetScheduleGroup:500=1,ListSchedules:throttle=1" });
    const results = await Promise.all([
      errorOf(() => client.send(new CreateScheduleGroupCommand({ Name: "g" }))),
      errorOf(() => client.send(new GetScheduleGroupCommand({ Name: "default" }))),
      errorOf(() => client.send(new ListSchedulesCommand({}))),
    ]);
    expect(results.map((e) => [e.name, e.$metadata?.httpStatusCode])).toEqual([
      ["ConflictException", 409], ["InternalServerException", 500], ["ThrottlingException", 429],
    ]);
    expect((await client.send(new ListScheduleGroupsCommand({}))).ScheduleGroups!.map((g) => g.Name)).toEqual(["default"]);
  });

  const MODEL = fileURLToPath(new URL("../../../shared/reference/botocore-more/scheduler/service-2.json", import.meta.url));
  test.skipIf(!existsSync(MODEL))("SCHED-PROTO-06 scheduler-model.gen.ts is exactly what scripts/gen-scheduler-model.ts generates", () => {
    const committed = fileURLToPath(new URL("../../src/emulator/scheduler-model.gen.ts", import.meta.url));
    // On failure: `npm run build && node dist/scripts/gen-scheduler-model.js`, then commit the result.
    expect(readFileSync(committed, "utf8")).toBe(generateSchedulerModel(JSON.parse(readFileSync(MODEL, "utf8"))));
  });
});

describe("Schedules", () => {
  const t = useEmulator();

  test("SCHED-01 CreateSchedule stores the schedule in the default group; GetSchedule echoes it with State ENABLED and ActionAfterCompletion NONE", async () => {
    const client = schedulerOf(t().emu.url);
    const start = new Date(Date.UTC(2030, 0, 1));
    const out = await client.send(new CreateScheduleCommand(scheduleInput("weekday-start", { StartDate: start, Description: "07:00" })));
    expect(out.ScheduleArn).toBe("arn:aws:scheduler:us-east-1:123456789012:schedule/default/weekday-start");
    const got = await client.send(new GetScheduleCommand({ Name: "weekday-start" }));
    expect(got).toMatchObject({
      Arn: out.ScheduleArn, Name: "weekday-start", GroupName: "default", State: "ENABLED", ActionAfterCompletion: "NONE", Description: "07:00",
      ScheduleExpression: "cron(0 7 ? * MON-FRI *)", ScheduleExpressionTimezone: "Europe/Berlin", StartDate: start,
      FlexibleTimeWindow: { Mode: "OFF" }, Target: { Arn: START_FLEET, RoleArn: ROLE, Input: '{"Name":"fleet-a"}' },
    });
    expect(got.EndDate).toBeUndefined();
    expect(got.CreationDate).toEqual(got.LastModificationDate);
  });

  test("SCHED-01 members the model does not define are not stored or echoed", async () => {
    const target = { Arn: START_FLEET, RoleArn: ROLE, Input: "{}", Extra: 1, RetryPolicy: { MaximumRetryAttempts: 3, Nope: true } };
    const created = await raw(t().emu.url, "POST", "/schedules/strict", { ScheduleExpression: "rate(1 hour)", FlexibleTimeWindow: { Mode: "OFF" }, Target: target, Unknown: "x" });
    expect(created.status).toBe(200);
    const got = await raw(t().emu.url, "GET", "/schedules/strict");
    expect(got.json.Target).toEqual({ Arn: START_FLEET, RoleArn: ROLE, Input: "{}", RetryPolicy: { MaximumRetryAttempts: 3 } });
    expect(got.json.Unknown).toBeUndefined();
  });

  test("SCHED-02 names are unique per group: the same name in another group is a new schedule, in the same group ConflictException", async () => {
    const client = schedulerOf(t().emu.url);
    await client.send(new CreateScheduleGroupCommand({ Name: "nights" }));
    await client.send(new CreateScheduleCommand(scheduleInput("stop")));
    const other = await client.send(new CreateScheduleCommand(scheduleInput("stop", { GroupName: "nights" })));
    expect(other.ScheduleArn).toBe("arn:aws:scheduler:us-east-1:123456789012:schedule/nights/stop");
    const dup = await errorOf(() => client.send(new CreateScheduleCommand(scheduleInput("stop", { GroupName: "nights" }))));
    expect([dup.name, dup.message]).toEqual(["ConflictException", "Schedule stop already exists."]);
    const inGroup = await client.send(new GetScheduleCommand({ Name: "stop", GroupName: "nights" }));
    expect(inGroup.GroupName).toBe("nights");
  });

  test("SCHED-03 a GroupName that does not exist → ResourceNotFoundException on create, get, update, delete and list", async () => {
    const client = schedulerOf(t().emu.url);
    const errs = await Promise.all([
      errorOf(() => client.send(new CreateScheduleCommand(scheduleInput("s", { GroupName: "ghost" })))),
      errorOf(() => client.send(new GetScheduleCommand({ Name: "s", GroupName: "ghost" }))),
      errorOf(() => client.send(new UpdateScheduleCommand(scheduleInput("s", { GroupName: "ghost" })))),
      errorOf(() => client.send(new DeleteScheduleCommand({ Name: "s", GroupName: "ghost" }))),
      errorOf(() => client.send(new ListSchedulesCommand({ GroupName: "ghost" }))),
    ]);
    expect(errs.map((e) => [e.name, e.message])).toEqual(Array(5).fill(["ResourceNotFoundException", "Schedule group ghost does not exist."]));
  });

  test("SCHED-04 a ClientToken repeated with the same request answers the first result; with another request → ConflictException", async () => {
    const client = schedulerOf(t().emu.url);
    const first = await client.send(new CreateScheduleCommand(scheduleInput("idem", { ClientToken: "tok-1" })));
    const again = await client.send(new CreateScheduleCommand(scheduleInput("idem", { ClientToken: "tok-1" })));
    expect(again.ScheduleArn).toBe(first.ScheduleArn);
    const changed = await errorOf(() => client.send(new CreateScheduleCommand(scheduleInput("idem", { ClientToken: "tok-1", Description: "other" }))));
    expect([changed.name, changed.$metadata?.httpStatusCode]).toEqual(["ConflictException", 409]);
    // Without the token's memory a second create would conflict on the name; a new token does.
    const fresh = await errorOf(() => client.send(new CreateScheduleCommand(scheduleInput("idem", { ClientToken: "tok-2" }))));
    expect(fresh.message).toBe("Schedule idem already exists.");
    await client.send(new DeleteScheduleCommand({ Name: "idem", ClientToken: "del-1" }));
    await client.send(new DeleteScheduleCommand({ Name: "idem", ClientToken: "del-1" }));
  });

  test.each<[Record<string, unknown>, RegExp]>([
    [{ ScheduleExpression: "cron(0 7 * * MON-FRI *)" }, /^Invalid Schedule Expression cron\(0 7 \* \* MON-FRI \*\): /],
    [{ ScheduleExpression: "every day" }, /^Invalid Schedule Expression every day: /],
    [{ ScheduleExpressionTimezone: "Europe/Nowhere" }, /^Invalid ScheduleExpressionTimezone Europe\/Nowhere/],
    [{ FlexibleTimeWindow: { Mode: "FLEXIBLE" } }, /^MaximumWindowInMinutes is required/],
    [{ FlexibleTimeWindow: { Mode: "OFF", MaximumWindowInMinutes: 5 } }, /^MaximumWindowInMinutes must not be set/],
    [{ StartDate: new Date(Date.UTC(2031, 0, 2)), EndDate: new Date(Date.UTC(2031, 0, 1)) }, /^The EndDate must be after the StartDate/],
    [{ Target: { Arn: "arn:aws:scheduler:::aws-sdk:appstream:describeFleets", RoleArn: ROLE, Input: "{}" } }, /read-only/],
    [{ Target: { Arn: START_FLEET, RoleArn: ROLE, Input: "not json" } }, /must be well-formed JSON/],
    [{ Target: { Arn: "arn:aws:scheduler:::aws-sdk:appstream", RoleArn: ROLE } }, /^Invalid universal target ARN/],
    [{ Target: { Arn: "fleet-a", RoleArn: ROLE } }, /^Invalid target ARN fleet-a/],
  ])("SCHED-05 CreateSchedule refuses what the documentation forbids (%j) with ValidationException", async (extra, message) => {
    const client = schedulerOf(t().emu.url);
    const err = await errorOf(() => client.send(new CreateScheduleCommand(scheduleInput("checked", extra as Partial<CreateScheduleCommandInput>))));
    expect(err.name).toBe("ValidationException");
    expect(err.message).toMatch(message);
  });

  test("SCHED-06 UpdateSchedule replaces every member (omitted ones fall back to their defaults); a missing schedule → ResourceNotFoundException", async () => {
    const client = schedulerOf(t().emu.url);
    await client.send(new CreateScheduleCommand(scheduleInput("upd", { Description: "old", State: "DISABLED", ActionAfterCompletion: "DELETE" })));
    await client.send(new UpdateScheduleCommand(scheduleInput("upd", { ScheduleExpression: "cron(0 19 ? * MON-FRI *)" })));
    const got = await client.send(new GetScheduleCommand({ Name: "upd" }));
    expect([got.Description, got.State, got.ActionAfterCompletion, got.ScheduleExpression]).toEqual([undefined, "ENABLED", "NONE", "cron(0 19 ? * MON-FRI *)"]);
    expect(got.LastModificationDate!.getTime()).toBeGreaterThanOrEqual(got.CreationDate!.getTime());
    const missing = await errorOf(() => client.send(new UpdateScheduleCommand(scheduleInput("nope"))));
    expect([missing.name, missing.message]).toEqual(["ResourceNotFoundException", "Schedule nope does not exist."]);
  });

  test("SCHED-07 DeleteSchedule removes the schedule; a second delete → ResourceNotFoundException", async () => {
    const client = schedulerOf(t().emu.url);
    await client.send(new CreateScheduleCommand(scheduleInput("gone")));
    await client.send(new DeleteScheduleCommand({ Name: "gone" }));
    expect((await errorOf(() => client.send(new GetScheduleCommand({ Name: "gone" })))).name).toBe("ResourceNotFoundException");
    expect((await errorOf(() => client.send(new DeleteScheduleCommand({ Name: "gone" })))).name).toBe("ResourceNotFoundException");
  });

  test("SCHED-08 ListSchedules filters by group, name prefix and state, orders by group then name, and pages", async () => {
    const client = schedulerOf(t().emu.url);
    await client.send(new CreateScheduleGroupCommand({ Name: "b-group" }));
    for (const [name, group, state] of [["start-b", "default", "ENABLED"], ["start-a", "default", "DISABLED"], ["stop-a", "default", "ENABLED"], ["start-c", "b-group", "ENABLED"]] as const) {
      await client.send(new CreateScheduleCommand(scheduleInput(name, { GroupName: group, State: state })));
    }
    const names: string[] = [];
    for await (const page of paginateListSchedules({ client, pageSize: 2 }, {})) names.push(...page.Schedules!.map((s) => `${s.GroupName}/${s.Name}`));
    expect(names).toEqual(["b-group/start-c", "default/start-a", "default/start-b", "default/stop-a"]);
    const filtered = await client.send(new ListSchedulesCommand({ GroupName: "default", NamePrefix: "start", State: "ENABLED" }));
    expect(filtered.Schedules!.map((s) => s.Name)).toEqual(["start-b"]);
    expect(filtered.Schedules![0]).toMatchObject({ Arn: "arn:aws:scheduler:us-east-1:123456789012:schedule/default/start-b", State: "ENABLED", Target: { Arn: START_FLEET } });
    expect(filtered.NextToken).toBeUndefined();
  });
});

describe("Schedule groups and tags", () => {
  const t = useEmulator({ timeScale: 1 });

  test("SCHED-GROUP-01 the default group exists without being created, is listed, and cannot be deleted (ValidationException)", async () => {
    const client = schedulerOf(t().emu.url);
    const list = await client.send(new ListScheduleGroupsCommand({}));
    expect(list.ScheduleGroups!.map((g) => [g.Name, g.State])).toEqual([["default", "ACTIVE"]]);
    const err = await errorOf(() => client.send(new DeleteScheduleGroupCommand({ Name: "default" })));
    expect([err.name, err.message]).toEqual(["ValidationException", "The default schedule group cannot be deleted."]);
  });

  test("SCHED-GROUP-02 CreateScheduleGroup answers the group ARN; groups list by name with a prefix filter and pages", async () => {
    const client = schedulerOf(t().emu.url);
    const out = await client.send(new CreateScheduleGroupCommand({ Name: "appstream-prod" }));
    expect(out.ScheduleGroupArn).toBe("arn:aws:scheduler:us-east-1:123456789012:schedule-group/appstream-prod");
    await client.send(new CreateScheduleGroupCommand({ Name: "appstream-dev" }));
    const page1 = await client.send(new ListScheduleGroupsCommand({ MaxResults: 2 }));
    expect(page1.ScheduleGroups!.map((g) => g.Name)).toEqual(["appstream-dev", "appstream-prod"]);
    const page2 = await client.send(new ListScheduleGroupsCommand({ MaxResults: 2, NextToken: page1.NextToken }));
    expect(page2.ScheduleGroups!.map((g) => g.Name)).toEqual(["default"]);
    const prefixed = await client.send(new ListScheduleGroupsCommand({ NamePrefix: "appstream-p" }));
    expect(prefixed.ScheduleGroups!.map((g) => g.Name)).toEqual(["appstream-prod"]);
    expect(await client.send(new GetScheduleGroupCommand({ Name: "appstream-prod" }))).toMatchObject({ Arn: out.ScheduleGroupArn, State: "ACTIVE" });
  });

  test("SCHED-GROUP-03 DeleteScheduleGroup deletes its schedules at once and leaves the group DELETING until it is gone", async () => {
    const client = schedulerOf(t().emu.url);
    await client.send(new CreateScheduleGroupCommand({ Name: "temp" }));
    await client.send(new CreateScheduleCommand(scheduleInput("in-temp", { GroupName: "temp" })));
    await client.send(new DeleteScheduleGroupCommand({ Name: "temp" }));
    expect((await client.send(new GetScheduleGroupCommand({ Name: "temp" }))).State).toBe("DELETING");
    expect((await client.send(new ListSchedulesCommand({}))).Schedules).toEqual([]);
    const busy = await errorOf(() => client.send(new CreateScheduleCommand(scheduleInput("late", { GroupName: "temp" }))));
    expect([busy.name, busy.message]).toEqual(["ConflictException", "Schedule group temp is being deleted."]);
    await control(t().emu.url, "POST", "clock", { advanceSeconds: 3 });
    expect((await errorOf(() => client.send(new GetScheduleGroupCommand({ Name: "temp" })))).name).toBe("ResourceNotFoundException");
    await client.send(new CreateScheduleGroupCommand({ Name: "temp" }));
  });

  test("SCHED-TAG-01 schedule groups take tags (on create, Tag, Untag, List); the default group cannot be tagged; an unknown ARN → ResourceNotFoundException", async () => {
    const client = schedulerOf(t().emu.url);
    const { ScheduleGroupArn: arn } = await client.send(new CreateScheduleGroupCommand({ Name: "tagged", Tags: [{ Key: "team", Value: "euc" }] }));
    await client.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: "env", Value: "prod" }, { Key: "team", Value: "vdi" }] }));
    await client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ["nothing", "env"] }));
    expect((await client.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags).toEqual([{ Key: "team", Value: "vdi" }]);
    const dflt = "arn:aws:scheduler:us-east-1:123456789012:schedule-group/default";
    expect((await client.send(new ListTagsForResourceCommand({ ResourceArn: dflt }))).Tags).toEqual([]);
    expect((await errorOf(() => client.send(new TagResourceCommand({ ResourceArn: dflt, Tags: [{ Key: "a", Value: "b" }] })))).name).toBe("ValidationException");
    const other = "arn:aws:scheduler:eu-west-1:123456789012:schedule-group/tagged";
    expect((await errorOf(() => client.send(new ListTagsForResourceCommand({ ResourceArn: other })))).name).toBe("ResourceNotFoundException");
  });
});

describe("Firing schedules on the emulator clock", () => {
  const t = useEmulator();

  test("SCHED-FIRE-01 cron(0 7 ? * MON-FRI *) in Europe/Berlin starts a STOPPED fleet when the clock passes 07:00 Berlin, not before", async () => {
    const { emu, client: appstream } = t();
    await createFleet(appstream, fleetInput("fleet-a"));
    const scheduler = schedulerOf(emu.url);
    const { body } = await control(emu.url, "GET", "state");
    const seven = nextBerlinWeekday0700(body.now);
    await scheduler.send(new CreateScheduleCommand(scheduleInput("weekday-start")));
    await advanceTo(emu.url, seven - 60_000);
    expect((await describeFleet(appstream, "fleet-a")).State).toBe("STOPPED");
    expect(await invocations(emu.url)).toEqual([]);
    await advanceTo(emu.url, seven + 60_000);
    expect((await describeFleet(appstream, "fleet-a")).State).toBe("RUNNING");
    expect(await invocations(emu.url)).toEqual([
      {
        seq: 1, time: new Date(seven).toISOString(), schedule: "arn:aws:scheduler:us-east-1:123456789012:schedule/default/weekday-start",
        target: START_FLEET, operation: "StartFleet", outcome: "ok",
      },
    ]);
  });

  test("SCHED-FIRE-02 every invocation is recorded, failures with the operation's error; targets outside AppStream are NotEmulated", async () => {
    const { emu } = t();
    const scheduler = schedulerOf(emu.url);
    const { body } = await control(emu.url, "GET", "state");
    await scheduler.send(new CreateScheduleCommand(scheduleInput("missing-fleet", { ScheduleExpression: "rate(1 hour)", ScheduleExpressionTimezone: undefined })));
    await scheduler.send(new CreateScheduleCommand(scheduleInput("sqs", {
      ScheduleExpression: "rate(2 hours)", Target: { Arn: "arn:aws:sqs:us-east-1:123456789012:queue", RoleArn: ROLE, Input: "hello" },
    })));
    await scheduler.send(new CreateScheduleCommand(scheduleInput("builder", {
      ScheduleExpression: "rate(90 minutes)", Target: { Arn: "arn:aws:scheduler:::aws-sdk:appstream:stopImageBuilder", RoleArn: ROLE, Input: '{"Name":"ib"}' },
    })));
    await scheduler.send(new CreateScheduleCommand(scheduleInput("bad-input", {
      ScheduleExpression: "rate(100 minutes)", Target: { Arn: START_FLEET, RoleArn: ROLE, Input: "{}" },
    })));
    await advanceTo(emu.url, body.now + 2 * 3_600_000 + 30_000);
    await calls(emu.url);
    const got = (await invocations(emu.url)).map((i) => [i.schedule.split("/").pop(), i.operation, i.outcome]);
    // One jump of two hours: each schedule fires once, at its latest due instant, in the order of those instants.
    expect(got).toEqual([
      ["builder", "StopImageBuilder", "ResourceNotFoundException"],
      ["bad-input", "StartFleet", "ValidationException"],
      ["missing-fleet", "StartFleet", "ResourceNotFoundException"],
      ["sqs", undefined, "NotEmulated"],
    ]);
  });

  test("SCHED-FIRE-03 at() fires once and ActionAfterCompletion DELETE then removes the schedule; DISABLED schedules do not fire", async () => {
    const { emu, client: appstream } = t();
    await createFleet(appstream, fleetInput("fleet-a"));
    const scheduler = schedulerOf(emu.url);
    const { body } = await control(emu.url, "GET", "state");
    const when = new Date(Math.ceil((body.now + 3_600_000) / 1000) * 1000).toISOString().slice(0, 19);
    await scheduler.send(new CreateScheduleCommand(scheduleInput("once", { ScheduleExpression: `at(${when})`, ScheduleExpressionTimezone: "UTC", ActionAfterCompletion: "DELETE" })));
    await scheduler.send(new CreateScheduleCommand(scheduleInput("off", { ScheduleExpression: "rate(1 minute)", State: "DISABLED" })));
    await advanceTo(emu.url, body.now + 2 * 3_600_000);
    expect((await describeFleet(appstream, "fleet-a")).State).toBe("RUNNING");
    expect((await invocations(emu.url)).map((i) => [i.schedule.split("/").pop(), i.time])).toEqual([["once", `${when}.000Z`]]);
    expect((await scheduler.send(new ListSchedulesCommand({}))).Schedules!.map((s) => s.Name)).toEqual(["off"]);
  });

  test("SCHED-FIRE-04 due invocations run in time order, each at its own instant, a jump keeping each schedule's latest; EndDate stops a recurring schedule", async () => {
    const { emu, client: appstream } = t();
    await createFleet(appstream, fleetInput("fleet-a"));
    const scheduler = schedulerOf(emu.url);
    const { body } = await control(emu.url, "GET", "state");
    const hour = Math.ceil(body.now / 7_200_000) * 7_200_000; // the next even UTC hour
    const stop = { Arn: "arn:aws:scheduler:::aws-sdk:appstream:stopFleet", RoleArn: ROLE, Input: '{"Name":"fleet-a"}' };
    // Starts at every even UTC hour, stops at every odd one, for three hours from `hour` only.
    const window = { StartDate: new Date(hour), EndDate: new Date(hour + 3 * 3_600_000) };
    await scheduler.send(new CreateScheduleCommand(scheduleInput("start", { ScheduleExpression: "cron(0 0/2 * * ? *)", ScheduleExpressionTimezone: "UTC", ...window })));
    await scheduler.send(new CreateScheduleCommand(scheduleInput("stop", { ScheduleExpression: "cron(0 1/2 * * ? *)", ScheduleExpressionTimezone: "UTC", ...window, Target: stop })));
    await advanceTo(emu.url, hour + 1_800_000);
    await advanceTo(emu.url, hour + 6 * 3_600_000);
    const got = (await invocations(emu.url)).map((i) => [Date.parse(i.time) - hour, i.operation, i.outcome]);
    expect(got).toEqual([[0, "StartFleet", "ok"], [3_600_000, "StopFleet", "ok"], [7_200_000, "StartFleet", "ok"]]);
    expect((await describeFleet(appstream, "fleet-a")).State).toBe("RUNNING");
  });
});

test("SCHED-FIRE-05 schedules and their next invocation live in the state file: an emulator started on it fires them", async () => {
  const file = join(mkdtempSync(join(tmpdir(), "emu-sched-")), "state.json");
  const first = await startTestEmulator({ stateFile: file });
  await createFleet(first.client, fleetInput("fleet-a"));
  const { body } = await control(first.emu.url, "GET", "state");
  const scheduler = schedulerOf(first.emu.url);
  await scheduler.send(new CreateScheduleCommand(scheduleInput("later", { ScheduleExpression: "rate(1 day)", ScheduleExpressionTimezone: undefined })));
  scheduler.destroy();
  await first.close();
  const second = await startTestEmulator({ stateFile: file });
  try {
    await advanceTo(second.emu.url, body.now + 86_400_000 + 60_000);
    expect((await describeFleet(clientOf(second.emu.url), "fleet-a")).State).toBe("RUNNING");
    expect((await invocations(second.emu.url)).map((i) => [i.operation, i.outcome])).toEqual([["StartFleet", "ok"]]);
  } finally {
    await second.close();
  }
});
