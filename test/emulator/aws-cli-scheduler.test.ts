/**
 * The AWS CLI (`aws scheduler`) as an independent client of the emulator's EventBridge Scheduler: botocore's
 * REST-JSON serialiser (URI labels, query strings, epoch timestamps) and error parser against
 * `appstreamctl emulator` started as a child process. Runs from dist/, so `npm run build` first.
 */
import { execFile, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { calls } from "./helpers.js";
import { REPO, spawnEmulator, type SpawnedEmulator } from "./spawn.js";

const run = promisify(execFile);
const haveAws = spawnSync("aws", ["scheduler", "help"], { stdio: "ignore" }).status === 0;
const haveBuild = existsSync(`${REPO}/dist/src/cli/main.js`);
const skipReason = !haveAws ? "the AWS CLI with `aws scheduler` is not on PATH" : !haveBuild ? "dist/ is missing: run `npm run build`" : "";
if (skipReason) console.warn(`aws-cli-scheduler.test.ts skipped: ${skipReason}`);

const CLI_ENV: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_PAGER: "", AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" };
delete CLI_ENV.AWS_PROFILE;
delete CLI_ENV.AWS_DEFAULT_PROFILE;
delete CLI_ENV.AWS_SESSION_TOKEN;

const ROLE = "arn:aws:iam::123456789012:role/scheduler-appstream";
const TARGET = JSON.stringify({ Arn: "arn:aws:scheduler:::aws-sdk:appstream:startFleet", RoleArn: ROLE, Input: '{"Name":"fleet-a"}' });

describe.skipIf(skipReason !== "")(`aws scheduler against appstreamctl emulator${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  let emu: SpawnedEmulator;

  async function aws(...args: string[]): Promise<any> {
    const { stdout } = await run("aws", ["scheduler", ...args, "--endpoint-url", emu.url, "--region", "eu-central-1", "--output", "json"], {
      env: CLI_ENV,
      timeout: 30_000,
    });
    return stdout.trim() === "" ? {} : JSON.parse(stdout);
  }

  async function awsError(...args: string[]): Promise<string> {
    try {
      await aws(...args);
    } catch (err) {
      return String((err as { stderr?: string }).stderr);
    }
    throw new Error(`aws scheduler ${args.join(" ")} succeeded`);
  }

  beforeAll(async () => {
    emu = await spawnEmulator(["--page-size", "2", "--time-scale", "0"]);
  });

  afterAll(async () => {
    await emu?.stop();
  });

  const GROUP_ARN = "arn:aws:scheduler:eu-central-1:123456789012:schedule-group/appstream-runstate";

  test("SCHED-CLI-01 create-schedule-group, tag-resource, untag-resource and list-tags-for-resource", async () => {
    const group = await aws("create-schedule-group", "--name", "appstream-runstate", "--tags", "Key=team,Value=euc");
    expect(group.ScheduleGroupArn).toBe(GROUP_ARN);
    await aws("tag-resource", "--resource-arn", GROUP_ARN, "--tags", "Key=env,Value=prod");
    await aws("untag-resource", "--resource-arn", GROUP_ARN, "--tag-keys", "team");
    expect((await aws("list-tags-for-resource", "--resource-arn", GROUP_ARN)).Tags).toEqual([{ Key: "env", Value: "prod" }]);
  }, 120_000);

  test("SCHED-CLI-01 create-schedule, get-schedule, update-schedule and list-schedules across pages", async () => {
    const created = await aws(
      "create-schedule", "--name", "fleet-a-start", "--group-name", "appstream-runstate",
      "--schedule-expression", "cron(0 7 ? * MON-FRI *)", "--schedule-expression-timezone", "Europe/Berlin",
      "--flexible-time-window", "Mode=OFF", "--target", TARGET, "--start-date", "2030-01-01T00:00:00Z",
    );
    expect(created.ScheduleArn).toBe("arn:aws:scheduler:eu-central-1:123456789012:schedule/appstream-runstate/fleet-a-start");
    const got = await aws("get-schedule", "--name", "fleet-a-start", "--group-name", "appstream-runstate");
    expect(got).toMatchObject({
      Name: "fleet-a-start", GroupName: "appstream-runstate", State: "ENABLED", ScheduleExpressionTimezone: "Europe/Berlin",
      FlexibleTimeWindow: { Mode: "OFF" }, Target: JSON.parse(TARGET),
    });
    // CLI v1 prints timestamps as sent on the wire (epoch seconds), v2 as ISO-8601.
    const start = typeof got.StartDate === "number" ? got.StartDate * 1000 : Date.parse(got.StartDate);
    expect(start).toBe(Date.UTC(2030, 0, 1));
    await aws(
      "update-schedule", "--name", "fleet-a-start", "--group-name", "appstream-runstate", "--schedule-expression", "cron(30 6 ? * MON-FRI *)",
      "--flexible-time-window", "Mode=FLEXIBLE,MaximumWindowInMinutes=15", "--target", TARGET, "--state", "DISABLED",
    );
    await aws("create-schedule", "--name", "other", "--schedule-expression", "rate(1 day)", "--flexible-time-window", "Mode=OFF", "--target", TARGET);
    await aws("create-schedule", "--name", "third", "--schedule-expression", "rate(2 days)", "--flexible-time-window", "Mode=OFF", "--target", TARGET);
    // Pages of 2 (the emulator's --page-size), followed by the CLI's paginator.
    const listed = await aws("list-schedules");
    expect(listed.Schedules.map((s: any) => [s.GroupName, s.Name, s.State])).toEqual([
      ["appstream-runstate", "fleet-a-start", "DISABLED"], ["default", "other", "ENABLED"], ["default", "third", "ENABLED"],
    ]);
  }, 120_000);

  test("SCHED-CLI-01 errors reach the CLI by type; delete-schedule and delete-schedule-group", async () => {
    expect(await awsError("get-schedule", "--name", "missing")).toContain("ResourceNotFoundException");
    expect(await awsError("create-schedule-group", "--name", "appstream-runstate")).toContain("ConflictException");
    await aws("delete-schedule", "--name", "fleet-a-start", "--group-name", "appstream-runstate");
    await aws("delete-schedule-group", "--name", "appstream-runstate");
    const groups = await aws("list-schedule-groups");
    expect(groups.ScheduleGroups.map((g: any) => g.Name)).toEqual(["default"]);
    const ops = (await calls(emu.url)).filter((c) => c.outcome === "ok").map((c) => c.operation);
    expect(ops).toContain("scheduler:UntagResource");
    expect(ops.filter((o) => o === "scheduler:ListSchedules")).toHaveLength(2);
  }, 120_000);
});
