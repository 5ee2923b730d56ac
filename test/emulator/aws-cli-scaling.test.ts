/**
 * The AWS CLI (`aws application-autoscaling`) as an independent client of the emulator's Application Auto
 * Scaling service, against `appstreamctl emulator` started as a child process. Runs from dist/, so
 * `npm run build` first. Skipped, with a message, only when `aws` is not on PATH.
 */
import { execFile, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { calls, control } from "./helpers.js";
import { REPO, spawnEmulator, type SpawnedEmulator } from "./spawn.js";

const run = promisify(execFile);
const haveAws = spawnSync("aws", ["--version"], { stdio: "ignore" }).status === 0;
const haveBuild = existsSync(`${REPO}/dist/src/cli/main.js`);
const skipReason = !haveAws ? "the AWS CLI (`aws`) is not on PATH" : !haveBuild ? "dist/ is missing: run `npm run build`" : "";
if (skipReason) console.warn(`aws-cli-scaling.test.ts skipped: ${skipReason}`);

/** Fake keys and no pager; no profile or config file of the machine can change what the CLI sends. */
const CLI_ENV: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_PAGER: "", AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" };
delete CLI_ENV.AWS_PROFILE;
delete CLI_ENV.AWS_DEFAULT_PROFILE;
delete CLI_ENV.AWS_SESSION_TOKEN;

/** Each `aws` start-up takes seconds on a loaded machine, and these tests run about ten of them. */
const CLI_TIMEOUT = 180_000;

const TARGET = ["--service-namespace", "appstream", "--resource-id", "fleet/cli-web", "--scalable-dimension", "appstream:fleet:DesiredCapacity"];

describe.skipIf(skipReason !== "")(`aws application-autoscaling against appstreamctl emulator${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  let emu: SpawnedEmulator;
  let url = "";

  async function aws(service: string, ...args: string[]): Promise<any> {
    const { stdout } = await run("aws", [service, ...args, "--endpoint-url", url, "--region", "us-east-1", "--output", "json"], { env: CLI_ENV, timeout: 30_000 });
    return stdout.trim() === "" ? {} : JSON.parse(stdout);
  }

  async function awsError(...args: string[]): Promise<string> {
    try {
      await aws("application-autoscaling", ...args);
    } catch (err) {
      return String((err as { stderr?: string }).stderr);
    }
    throw new Error(`aws application-autoscaling ${args.join(" ")} succeeded`);
  }

  beforeAll(async () => {
    emu = await spawnEmulator(["--page-size", "2", "--time-scale", "0"]);
    url = emu.url;
    await aws("appstream", "create-fleet", "--name", "cli-web", "--instance-type", "stream.standard.medium", "--image-name", "AppStream-WinServer2022-11-12-2025", "--compute-capacity", "DesiredInstances=6");
  }, CLI_TIMEOUT);

  afterAll(async () => {
    await emu?.stop();
  });

  test("SCALE-17 register-scalable-target clamps the fleet; put-scaling-policy, put-scheduled-action and the describe-* commands round-trip", async () => {
    const reg = await aws("application-autoscaling", "register-scalable-target", ...TARGET, "--min-capacity", "1", "--max-capacity", "4");
    expect(reg.ScalableTargetARN).toMatch(/^arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target\//);
    const fleet = await aws("appstream", "describe-fleets", "--names", "cli-web");
    expect(fleet.Fleets[0].ComputeCapacityStatus.Desired).toBe(4);
    await aws("application-autoscaling", "put-scaling-policy", ...TARGET, "--policy-name", "util", "--policy-type", "TargetTrackingScaling",
      "--target-tracking-scaling-policy-configuration", JSON.stringify({ TargetValue: 70, PredefinedMetricSpecification: { PredefinedMetricType: "AppStreamAverageCapacityUtilization" }, ScaleInCooldown: 300 }));
    await aws("application-autoscaling", "put-scheduled-action", ...TARGET, "--scheduled-action-name", "weekday-morning", "--schedule", "cron(0 7 ? * MON-FRI *)",
      "--timezone", "Europe/Berlin", "--scalable-target-action", "MinCapacity=5,MaxCapacity=20");
    const targets = await aws("application-autoscaling", "describe-scalable-targets", "--service-namespace", "appstream");
    expect(targets.ScalableTargets.map((t: any) => [t.ResourceId, t.MinCapacity, t.MaxCapacity])).toEqual([["fleet/cli-web", 1, 4]]);
    const policies = await aws("application-autoscaling", "describe-scaling-policies", "--service-namespace", "appstream");
    expect(policies.ScalingPolicies.map((p: any) => [p.PolicyName, p.TargetTrackingScalingPolicyConfiguration.TargetValue])).toEqual([["util", 70]]);
    const actions = await aws("application-autoscaling", "describe-scheduled-actions", "--service-namespace", "appstream");
    expect(actions.ScheduledActions.map((a: any) => [a.ScheduledActionName, a.Schedule, a.Timezone, a.ScalableTargetAction])).toEqual([
      ["weekday-morning", "cron(0 7 ? * MON-FRI *)", "Europe/Berlin", { MinCapacity: 5, MaxCapacity: 20 }],
    ]);
    const acts = await aws("application-autoscaling", "describe-scaling-activities", "--service-namespace", "appstream");
    expect(acts.ScalingActivities.map((a: any) => a.Description)).toEqual(["Setting desired capacity to 4."]);
    // A week later the weekday-morning action has run: the fleet is at the new minimum.
    await control(url, "POST", "clock", { advanceSeconds: 7 * 86400 });
    const later = await aws("appstream", "describe-fleets", "--names", "cli-web");
    expect(later.Fleets[0].ComputeCapacityStatus.Desired).toBe(5);
    expect((await calls(url)).some((c) => c.operation === "application-autoscaling:PutScheduledAction" && c.outcome === "ok")).toBe(true);
  }, CLI_TIMEOUT);

  test("SCALE-17 errors reach the CLI by name; deregister-scalable-target removes the target with its policies", async () => {
    expect(await awsError("register-scalable-target", "--service-namespace", "appstream", "--resource-id", "fleet/nope", "--scalable-dimension", "appstream:fleet:DesiredCapacity", "--min-capacity", "0", "--max-capacity", "1"))
      .toContain("ValidationException");
    await aws("application-autoscaling", "deregister-scalable-target", ...TARGET);
    expect((await aws("application-autoscaling", "describe-scaling-policies", "--service-namespace", "appstream")).ScalingPolicies).toEqual([]);
    expect(await awsError("deregister-scalable-target", ...TARGET)).toContain("ObjectNotFoundException");
  }, CLI_TIMEOUT);
});
