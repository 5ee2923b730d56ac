/**
 * The AWS CLI (`aws application-autoscaling`) as an independent client of the emulator's Application Auto
 * Scaling service, against `appstreamctl emulator` started as a child process. Runs from dist/, so
 * `npm run build` first. Skipped, with a message, only when `aws` is not on PATH.
 */
import { describe, expect, test } from "vitest";
import { awsCliSkipReason, useAwsCli } from "./aws-cli-helpers.js";
import { calls, control } from "./helpers.js";

const skipReason = awsCliSkipReason();
if (skipReason) console.warn(`aws-cli-scaling.test.ts skipped: ${skipReason}`);

/** Each `aws` start-up takes seconds on a loaded machine, and these tests run about ten of them. */
const CLI_TIMEOUT = 180_000;

const TARGET = ["--service-namespace", "appstream", "--resource-id", "fleet/cli-web", "--scalable-dimension", "appstream:fleet:DesiredCapacity"];

describe.skipIf(skipReason !== "")(`aws application-autoscaling against appstreamctl emulator${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const cli = useAwsCli("application-autoscaling", undefined, {
    setUp: async () => {
      await appstream.aws("create-fleet", "--name", "cli-web", "--instance-type", "stream.standard.medium", "--image-name", "AppStream-WinServer2022-11-12-2025", "--compute-capacity", "DesiredInstances=6");
    },
    setUpTimeout: CLI_TIMEOUT,
  });
  const { aws, awsError } = cli;
  const appstream = cli.other("appstream");

  test("SCALE-17 register-scalable-target clamps the fleet; put-scaling-policy, put-scheduled-action and the describe-* commands round-trip", async () => {
    const reg = await aws("register-scalable-target", ...TARGET, "--min-capacity", "1", "--max-capacity", "4");
    expect(reg.ScalableTargetARN).toMatch(/^arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target\//);
    const fleet = await appstream.aws("describe-fleets", "--names", "cli-web");
    expect(fleet.Fleets[0].ComputeCapacityStatus.Desired).toBe(4);
    await aws("put-scaling-policy", ...TARGET, "--policy-name", "util", "--policy-type", "TargetTrackingScaling",
      "--target-tracking-scaling-policy-configuration", JSON.stringify({ TargetValue: 70, PredefinedMetricSpecification: { PredefinedMetricType: "AppStreamAverageCapacityUtilization" }, ScaleInCooldown: 300 }));
    await aws("put-scheduled-action", ...TARGET, "--scheduled-action-name", "weekday-morning", "--schedule", "cron(0 7 ? * MON-FRI *)",
      "--timezone", "Europe/Berlin", "--scalable-target-action", "MinCapacity=5,MaxCapacity=20");
    const targets = await aws("describe-scalable-targets", "--service-namespace", "appstream");
    expect(targets.ScalableTargets.map((t: any) => [t.ResourceId, t.MinCapacity, t.MaxCapacity])).toEqual([["fleet/cli-web", 1, 4]]);
    const policies = await aws("describe-scaling-policies", "--service-namespace", "appstream");
    expect(policies.ScalingPolicies.map((p: any) => [p.PolicyName, p.TargetTrackingScalingPolicyConfiguration.TargetValue])).toEqual([["util", 70]]);
    const actions = await aws("describe-scheduled-actions", "--service-namespace", "appstream");
    expect(actions.ScheduledActions.map((a: any) => [a.ScheduledActionName, a.Schedule, a.Timezone, a.ScalableTargetAction])).toEqual([
      ["weekday-morning", "cron(0 7 ? * MON-FRI *)", "Europe/Berlin", { MinCapacity: 5, MaxCapacity: 20 }],
    ]);
    const acts = await aws("describe-scaling-activities", "--service-namespace", "appstream");
    expect(acts.ScalingActivities.map((a: any) => a.Description)).toEqual(["Setting desired capacity to 4."]);
    // A week later the weekday-morning action has run: the fleet is at the new minimum.
    await control(cli.url(), "POST", "clock", { advanceSeconds: 7 * 86400 });
    const later = await appstream.aws("describe-fleets", "--names", "cli-web");
    expect(later.Fleets[0].ComputeCapacityStatus.Desired).toBe(5);
    expect((await calls(cli.url())).some((c) => c.operation === "application-autoscaling:PutScheduledAction" && c.outcome === "ok")).toBe(true);
  }, CLI_TIMEOUT);

  test("SCALE-17 errors reach the CLI by name; deregister-scalable-target removes the target with its policies", async () => {
    expect(await awsError("register-scalable-target", "--service-namespace", "appstream", "--resource-id", "fleet/nope", "--scalable-dimension", "appstream:fleet:DesiredCapacity", "--min-capacity", "0", "--max-capacity", "1"))
      .toContain("ValidationException");
    await aws("deregister-scalable-target", ...TARGET);
    expect((await aws("describe-scaling-policies", "--service-namespace", "appstream")).ScalingPolicies).toEqual([]);
    expect(await awsError("deregister-scalable-target", ...TARGET)).toContain("ObjectNotFoundException");
  }, CLI_TIMEOUT);
});
