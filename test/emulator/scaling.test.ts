/**
 * Contract tests of the emulator's Application Auto Scaling service (SPEC.md "Application Auto Scaling"),
 * through the real @aws-sdk/client-application-auto-scaling over HTTP.
 */
import {
  ApplicationAutoScalingClient, DeleteScalingPolicyCommand, DeleteScheduledActionCommand, DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand, DescribeScalingActivitiesCommand, DescribeScalingPoliciesCommand, DescribeScheduledActionsCommand,
  GetPredictiveScalingForecastCommand, ListTagsForResourceCommand, PutScalingPolicyCommand, PutScheduledActionCommand,
  RegisterScalableTargetCommand, TagResourceCommand, UntagResourceCommand, type PutScheduledActionCommandInput,
} from "@aws-sdk/client-application-auto-scaling";
import { describe, expect, test } from "vitest";
import { nextFire, parseScheduleExpression, type ScheduleExpression } from "../../src/shared/schedule-expr.js";
import { calls, control, CREDENTIALS, createFleet, describeFleet, errorOf, fleetInput, elasticInput, rawCall, useEmulator } from "./helpers.js";

const DIM = "appstream:fleet:DesiredCapacity";
const NS = "appstream";
const target = (fleet: string) => ({ ServiceNamespace: NS, ResourceId: `fleet/${fleet}`, ScalableDimension: DIM } as const);

function aas(url: string, region = "us-east-1"): ApplicationAutoScalingClient {
  return new ApplicationAutoScalingClient({ region, endpoint: url, credentials: CREDENTIALS, maxAttempts: 1 });
}

function expr(text: string): ScheduleExpression {
  const e = parseScheduleExpression(text);
  if ("error" in e) throw new Error(e.error);
  return e;
}

async function clock(url: string, advanceSeconds = 0): Promise<number> {
  return (await control(url, "POST", "clock", { advanceSeconds })).body.now as number;
}

describe("Application Auto Scaling", () => {
  const emu = useEmulator({}, {
    setUp: async (t) => {
      await createFleet(t.client, fleetInput("web", { ComputeCapacity: { DesiredInstances: 5 } }));
    },
  });
  const client = () => aas(emu().emu.url);

  test("SCALE-01 served on the AppStream port by X-Amz-Target prefix, logged as application-autoscaling:<Op>; unknown operations and invalid input are refused", async () => {
    const c = client();
    const out = await c.send(new RegisterScalableTargetCommand({ ...target("web"), MinCapacity: 1, MaxCapacity: 10 }));
    expect(out.ScalableTargetARN).toMatch(/^arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target\/[0-9a-f]{36}$/);
    const log = await calls(emu().emu.url);
    expect(log.at(-1)).toMatchObject({ operation: "application-autoscaling:RegisterScalableTarget", resource: "fleet/web", outcome: "ok", mutating: true });
    const unknown = await rawCall(emu().emu.url, "AnyScaleFrontendService.ScaleEverything", "{}");
    expect([unknown.status, JSON.parse(unknown.text).__type]).toEqual([400, "UnknownOperationException"]);
    const bad = await errorOf(() => c.send(new RegisterScalableTargetCommand({ ServiceNamespace: "appstream", ResourceId: "", ScalableDimension: "nope" as never })));
    expect(bad.name).toBe("ValidationException");
    expect(bad.message).toBe(
      "2 validation errors detected: Value '' at 'resourceId' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value 'nope' at 'scalableDimension' failed to satisfy constraint: Member must satisfy enum value set: " +
        "[ecs:service:DesiredCount, ec2:spot-fleet-request:TargetCapacity, elasticmapreduce:instancegroup:InstanceCount, appstream:fleet:DesiredCapacity, dynamodb:table:ReadCapacityUnits, dynamodb:table:WriteCapacityUnits, dynamodb:index:ReadCapacityUnits, dynamodb:index:WriteCapacityUnits, rds:cluster:ReadReplicaCount, sagemaker:variant:DesiredInstanceCount, custom-resource:ResourceType:Property, comprehend:document-classifier-endpoint:DesiredInferenceUnits, comprehend:entity-recognizer-endpoint:DesiredInferenceUnits, lambda:function:ProvisionedConcurrency, cassandra:table:ReadCapacityUnits, cassandra:table:WriteCapacityUnits, kafka:broker-storage:VolumeSize, elasticache:cache-cluster:Nodes, elasticache:replication-group:NodeGroups, elasticache:replication-group:Replicas, neptune:cluster:ReadReplicaCount, sagemaker:variant:DesiredProvisionedConcurrency, sagemaker:inference-component:DesiredCopyCount, workspaces:workspacespool:DesiredUserSessions]",
    );
    const typed = await rawCall(emu().emu.url, "AnyScaleFrontendService.DescribeScalableTargets", JSON.stringify({ ServiceNamespace: "appstream", MaxResults: "5" }));
    expect(JSON.parse(typed.text).__type).toBe("SerializationException");
  });

  test("SCALE-02 RegisterScalableTarget accepts only appstream fleet/NAME of an existing, non-Elastic fleet with its one dimension", async () => {
    const c = client();
    await createFleet(emu().client, elasticInput("elastic"));
    const cases = [
      [{ ServiceNamespace: "ecs", ResourceId: "service/default/web", ScalableDimension: "ecs:service:DesiredCount" }, "Unsupported service namespace: ecs. This emulator scales only appstream fleets."],
      [{ ...target("web"), ResourceId: "stack/web" }, "Unsupported resource ID for service namespace appstream: stack/web. Expected fleet/<fleet name>."],
      [{ ...target("web"), ScalableDimension: "ecs:service:DesiredCount" }, "Unsupported scalable dimension for service namespace appstream: ecs:service:DesiredCount"],
      [target("missing"), "AppStream fleet doesn't exist: fleet/missing"],
      [target("elastic"), "AppStream fleet elastic is an Elastic fleet, which has no desired capacity to scale."],
    ] as const;
    for (const [input, message] of cases) {
      const err = await errorOf(() => c.send(new RegisterScalableTargetCommand({ ...input, MinCapacity: 0, MaxCapacity: 2 } as never)));
      expect([err.name, err.message]).toEqual(["ValidationException", message]);
    }
    expect((await c.send(new DescribeScalableTargetsCommand({ ServiceNamespace: NS }))).ScalableTargets).toEqual([]);
  });

  test("SCALE-03 a new target needs MinCapacity <= MaxCapacity (>= 0); an update changes only what it names; defaults: the service-linked role, nothing suspended", async () => {
    const c = client();
    const errs = [
      await errorOf(() => c.send(new RegisterScalableTargetCommand({ ...target("web"), MinCapacity: 1 }))),
      await errorOf(() => c.send(new RegisterScalableTargetCommand({ ...target("web"), MinCapacity: 3, MaxCapacity: 2 }))),
      await errorOf(() => c.send(new RegisterScalableTargetCommand({ ...target("web"), MinCapacity: -1, MaxCapacity: 2 }))),
    ];
    expect(errs.map((e) => e.message)).toEqual([
      "MinCapacity and MaxCapacity are required when you register a new scalable target.",
      "Minimum capacity cannot be greater than maximum capacity",
      "Minimum capacity cannot be less than 0",
    ]);
    const arn = (await c.send(new RegisterScalableTargetCommand({ ...target("web"), MinCapacity: 1, MaxCapacity: 10 }))).ScalableTargetARN;
    const again = await c.send(new RegisterScalableTargetCommand({ ...target("web"), MaxCapacity: 8, SuspendedState: { DynamicScalingInSuspended: true } }));
    expect(again.ScalableTargetARN).toBe(arn);
    const [t] = (await c.send(new DescribeScalableTargetsCommand({ ServiceNamespace: NS }))).ScalableTargets!;
    expect(t).toMatchObject({
      ...target("web"),
      MinCapacity: 1,
      MaxCapacity: 8,
      RoleARN: "arn:aws:iam::123456789012:role/aws-service-role/appstream.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_AppStreamFleet",
      SuspendedState: { DynamicScalingInSuspended: true, DynamicScalingOutSuspended: false, ScheduledScalingSuspended: false },
      ScalableTargetARN: arn,
    });
    expect(t!.CreationTime).toBeInstanceOf(Date);
  });

  test("SCALE-04 registering clamps the fleet's desired capacity into [min, max] (DesiredSessions for multi-session fleets) and records the activity", async () => {
    const c = client();
    await c.send(new RegisterScalableTargetCommand({ ...target("web"), MinCapacity: 1, MaxCapacity: 3 }));
    expect((await describeFleet(emu().client, "web")).ComputeCapacityStatus?.Desired).toBe(3);
    await c.send(new RegisterScalableTargetCommand({ ...target("web"), MinCapacity: 4 , MaxCapacity: 6 }));
    expect((await describeFleet(emu().client, "web")).ComputeCapacityStatus?.Desired).toBe(4);
    await createFleet(emu().client, fleetInput("multi", { MaxSessionsPerInstance: 5, ComputeCapacity: { DesiredSessions: 40 } }));
    await c.send(new RegisterScalableTargetCommand({ ...target("multi"), MinCapacity: 0, MaxCapacity: 12 }));
    expect((await describeFleet(emu().client, "multi")).ComputeCapacityStatus).toMatchObject({ DesiredUserSessions: 12, Desired: 3 });
    const acts = (await c.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: NS, ResourceId: "fleet/web" }))).ScalingActivities!;
    expect(acts.map((a) => [a.Description, a.StatusCode])).toEqual([
      ["Setting desired capacity to 4.", "Successful"],
      ["Setting desired capacity to 3.", "Successful"],
    ]);
    expect(acts[1]!.Cause).toBe("minimum capacity was set to 1 and maximum capacity was set to 3 by RegisterScalableTarget, so the current capacity of 5 was set to 3");
    // Inside the range already: nothing changes, nothing is recorded.
    await c.send(new RegisterScalableTargetCommand({ ...target("web"), MinCapacity: 0, MaxCapacity: 10 }));
    expect((await c.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: NS, ResourceId: "fleet/web" }))).ScalingActivities).toHaveLength(2);
  });

  test("SCALE-05 policies, scheduled actions and deregistration of a target that is not registered → ObjectNotFoundException", async () => {
    const c = client();
    const words = "No scalable target registered for service namespace: appstream, resource ID: fleet/web, scalable dimension: appstream:fleet:DesiredCapacity";
    const errs = [
      await errorOf(() => c.send(new DeregisterScalableTargetCommand(target("web")))),
      await errorOf(() => c.send(new PutScalingPolicyCommand({ ...target("web"), PolicyName: "p", PolicyType: "StepScaling", StepScalingPolicyConfiguration: {} }))),
      await errorOf(() => c.send(new PutScheduledActionCommand({ ...target("web"), ScheduledActionName: "a", Schedule: "rate(1 hour)", ScalableTargetAction: { MinCapacity: 1 } }))),
    ];
    expect(errs.map((e) => [e.name, e.message])).toEqual([["ObjectNotFoundException", words], ["ObjectNotFoundException", words], ["ObjectNotFoundException", words]]);
  });

  test("SCALE-06 DeregisterScalableTarget deletes the target's policies and scheduled actions", async () => {
    const c = client();
    await c.send(new RegisterScalableTargetCommand({ ...target("web"), MinCapacity: 1, MaxCapacity: 10 }));
    await c.send(new PutScalingPolicyCommand({ ...target("web"), PolicyName: "cpu", PolicyType: "TargetTrackingScaling", TargetTrackingScalingPolicyConfiguration: { TargetValue: 75, PredefinedMetricSpecification: { PredefinedMetricType: "AppStreamAverageCapacityUtilization" } } }));
    await c.send(new PutScheduledActionCommand({ ...target("web"), ScheduledActionName: "night", Schedule: "cron(0 19 * * ? *)", ScalableTargetAction: { MaxCapacity: 2 } }));
    await c.send(new DeregisterScalableTargetCommand(target("web")));
    expect((await c.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: NS }))).ScalingPolicies).toEqual([]);
    expect((await c.send(new DescribeScheduledActionsCommand({ ServiceNamespace: NS }))).ScheduledActions).toEqual([]);
    // Registering again starts from nothing.
    await c.send(new RegisterScalableTargetCommand({ ...target("web"), MinCapacity: 1, MaxCapacity: 10 }));
    expect((await c.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: NS }))).ScalingPolicies).toEqual([]);
  });

  test("SCALE-07 PutScalingPolicy stores target tracking (with its two alarms) and step policies, names unique per target; nothing evaluates them", async () => {
    const c = client();
    await c.send(new RegisterScalableTargetCommand({ ...target("web"), MinCapacity: 1, MaxCapacity: 10 }));
    const tracking = { TargetValue: 75, PredefinedMetricSpecification: { PredefinedMetricType: "AppStreamAverageCapacityUtilization" as const }, ScaleInCooldown: 300, ScaleOutCooldown: 120 };
    const put = await c.send(new PutScalingPolicyCommand({ ...target("web"), PolicyName: "util", PolicyType: "TargetTrackingScaling", TargetTrackingScalingPolicyConfiguration: tracking }));
    expect(put.PolicyARN).toMatch(/^arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:[0-9a-f-]{36}:resource\/appstream\/fleet\/web:policyName\/util$/);
    expect(put.Alarms!.map((a) => a.AlarmName!.replace(/[0-9a-f-]{36}$/, "ID"))).toEqual(["TargetTracking-fleet/web-AlarmHigh-ID", "TargetTracking-fleet/web-AlarmLow-ID"]);
    const again = await c.send(new PutScalingPolicyCommand({ ...target("web"), PolicyName: "util", TargetTrackingScalingPolicyConfiguration: { ...tracking, TargetValue: 60 } }));
    expect([again.PolicyARN, again.Alarms]).toEqual([put.PolicyARN, put.Alarms]);
    const step = { AdjustmentType: "ChangeInCapacity" as const, Cooldown: 60, StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 2 }] };
    expect((await c.send(new PutScalingPolicyCommand({ ...target("web"), PolicyName: "step", PolicyType: "StepScaling", StepScalingPolicyConfiguration: step }))).Alarms).toEqual([]);
    const policies = (await c.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: NS, ResourceId: "fleet/web", ScalableDimension: DIM }))).ScalingPolicies!;
    expect(policies.map((p) => [p.PolicyName, p.PolicyType, p.TargetTrackingScalingPolicyConfiguration?.TargetValue, p.StepScalingPolicyConfiguration?.StepAdjustments])).toEqual([
      ["util", "TargetTrackingScaling", 60, undefined],
      ["step", "StepScaling", undefined, [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 2 }]],
    ]);
    expect((await c.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: NS, PolicyNames: ["step"] }))).ScalingPolicies!.map((p) => p.PolicyName)).toEqual(["step"]);
    const refusals = [
      await errorOf(() => c.send(new PutScalingPolicyCommand({ ...target("web"), PolicyName: "new", StepScalingPolicyConfiguration: step }))),
      await errorOf(() => c.send(new PutScalingPolicyCommand({ ...target("web"), PolicyName: "p", PolicyType: "PredictiveScaling" }))),
      await errorOf(() => c.send(new PutScalingPolicyCommand({ ...target("web"), PolicyName: "p", PolicyType: "StepScaling" }))),
      await errorOf(() => c.send(new PutScalingPolicyCommand({ ...target("web"), PolicyName: "p", PolicyType: "TargetTrackingScaling", TargetTrackingScalingPolicyConfiguration: { TargetValue: 5, PredefinedMetricSpecification: { PredefinedMetricType: "ECSServiceAverageCPUUtilization" } } }))),
    ];
    expect(refusals.map((e) => e.message)).toEqual([
      "PolicyType is required when you create a scaling policy.",
      "PredictiveScaling policies are only supported for Amazon ECS.",
      "A StepScaling policy needs a StepScalingPolicyConfiguration and no TargetTrackingScalingPolicyConfiguration.",
      "Predefined metric type ECSServiceAverageCPUUtilization is not supported for scalable dimension appstream:fleet:DesiredCapacity.",
    ]);
    await c.send(new DeleteScalingPolicyCommand({ ...target("web"), PolicyName: "util" }));
    const gone = await errorOf(() => c.send(new DeleteScalingPolicyCommand({ ...target("web"), PolicyName: "util" })));
    expect([gone.name, gone.message]).toEqual([
      "ObjectNotFoundException",
      "No scaling policy found for service namespace: appstream, resource ID: fleet/web, scalable dimension: appstream:fleet:DesiredCapacity, policy name: util",
    ]);
    // Stored only: the fleet's capacity is untouched by a policy.
    expect((await describeFleet(emu().client, "web")).ComputeCapacityStatus?.Desired).toBe(5);
  });

  test("SCALE-08 PutScheduledAction checks the schedule expression, time zone, start/end and capacities; an update keeps what it omits except StartTime/EndTime", async () => {
    const c = client();
    await c.send(new RegisterScalableTargetCommand({ ...target("web"), MinCapacity: 1, MaxCapacity: 10 }));
    const base = { ...target("web"), ScheduledActionName: "a", ScalableTargetAction: { MinCapacity: 1 } };
    const cases: [Partial<PutScheduledActionCommandInput>, string][] = [
      [{ Schedule: undefined }, "Schedule is required when you create a scheduled action."],
      [{ Schedule: "cron(0 7 * * * *)" }, "Cron expression 'cron(0 7 * * * *)': exactly one of day-of-month and day-of-week must be '?'"],
      [{ Schedule: "rate(0 hours)" }, "Rate expression 'rate(0 hours)' must have a positive value"],
      [{ Schedule: "cron(0 7 ? * MON-FRI *)", Timezone: "Europe/Atlantis" }, "Invalid time zone: Europe/Atlantis"],
      [{ Schedule: "rate(1 hour)", StartTime: new Date("2030-01-02T00:00:00Z"), EndTime: new Date("2030-01-01T00:00:00Z") }, "The start time must be before the end time."],
      [{ Schedule: "rate(1 hour)", ScalableTargetAction: {} }, "ScalableTargetAction must set MinCapacity, MaxCapacity or both."],
      [{ Schedule: "rate(1 hour)", ScalableTargetAction: { MinCapacity: 5, MaxCapacity: 4 } }, "Minimum capacity cannot be greater than maximum capacity"],
    ];
    for (const [extra, message] of cases) {
      const err = await errorOf(() => c.send(new PutScheduledActionCommand({ ...base, ...extra } as PutScheduledActionCommandInput)));
      expect([err.name, err.message]).toEqual(["ValidationException", message]);
    }
    const start = new Date("2030-01-01T00:00:00Z");
    await c.send(new PutScheduledActionCommand({ ...base, Schedule: "cron(0 7 ? * MON-FRI *)", Timezone: "Europe/Berlin", StartTime: start, ScalableTargetAction: { MinCapacity: 2, MaxCapacity: 20 } }));
    await c.send(new PutScheduledActionCommand({ ...target("web"), ScheduledActionName: "a", Schedule: "cron(0 8 ? * MON-FRI *)" }));
    const [a] = (await c.send(new DescribeScheduledActionsCommand({ ServiceNamespace: NS }))).ScheduledActions!;
    expect(a).toMatchObject({ Schedule: "cron(0 8 ? * MON-FRI *)", Timezone: "Europe/Berlin", ScalableTargetAction: { MinCapacity: 2, MaxCapacity: 20 } });
    expect(a!.StartTime).toBeUndefined();
  });

  test("SCALE-09 a scheduled action fires on the emulator clock in its time zone: sets min/max, clamps the fleet's desired capacity, records activities", async () => {
    const c = client();
    const url = emu().emu.url;
    await c.send(new RegisterScalableTargetCommand({ ...target("web"), MinCapacity: 0, MaxCapacity: 10 }));
    const schedule = "cron(0 19 ? * MON-FRI *)";
    await c.send(new PutScheduledActionCommand({ ...target("web"), ScheduledActionName: "evening", Schedule: schedule, Timezone: "Europe/Berlin", ScalableTargetAction: { MinCapacity: 0, MaxCapacity: 2 } }));
    const now = await clock(url);
    const due = nextFire(expr(schedule), "Europe/Berlin", now)!;
    // One second short of the occurrence: nothing yet.
    await clock(url, (due - now) / 1000 - 1);
    expect((await describeFleet(emu().client, "web")).ComputeCapacityStatus?.Desired).toBe(5);
    await clock(url, 2);
    expect((await describeFleet(emu().client, "web")).ComputeCapacityStatus?.Desired).toBe(2);
    const [t] = (await c.send(new DescribeScalableTargetsCommand({ ServiceNamespace: NS }))).ScalableTargets!;
    expect([t!.MinCapacity, t!.MaxCapacity]).toEqual([0, 2]);
    const acts = (await c.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: NS }))).ScalingActivities!;
    expect(acts.map((a) => [a.Description, a.Cause, a.StartTime!.getTime()])).toEqual([
      ["Setting desired capacity to 2.", "scheduled action name evening set the capacity range to 0-2, so the current capacity of 5 was set to 2", due],
      ["Setting min capacity to 0 and max capacity to 2", "scheduled action name evening was triggered", due],
    ]);
    expect(acts[1]!.StatusMessage).toBe("Successfully set min capacity to 0 and max capacity to 2. Change successfully fulfilled by appstream.");
  });

  test("SCALE-10 occurrences missed while nobody looked collapse into the latest per action, in time order; EndTime ends them; ScheduledScalingSuspended skips them", async () => {
    const c = client();
    const url = emu().emu.url;
    await c.send(new RegisterScalableTargetCommand({ ...target("web"), MinCapacity: 0, MaxCapacity: 10 }));
    const tz = "Europe/Berlin";
    await c.send(new PutScheduledActionCommand({ ...target("web"), ScheduledActionName: "morning", Schedule: "cron(0 7 ? * MON-FRI *)", Timezone: tz, ScalableTargetAction: { MinCapacity: 3, MaxCapacity: 20 } }));
    await c.send(new PutScheduledActionCommand({ ...target("web"), ScheduledActionName: "evening", Schedule: "cron(0 19 ? * MON-FRI *)", Timezone: tz, ScalableTargetAction: { MinCapacity: 0, MaxCapacity: 2 } }));
    const now = await clock(url);
    // About a week passes unobserved, ending just after a weekday's evening occurrence.
    const evening = nextFire(expr("cron(0 19 ? * MON-FRI *)"), tz, now + 6 * 86400_000)!;
    let morning = nextFire(expr("cron(0 7 ? * MON-FRI *)"), tz, now)!;
    for (let n = morning; n < evening; n = nextFire(expr("cron(0 7 ? * MON-FRI *)"), tz, n)!) morning = n;
    await clock(url, (evening - now) / 1000 + 60);
    const [t] = (await c.send(new DescribeScalableTargetsCommand({ ServiceNamespace: NS }))).ScalableTargets!;
    expect([t!.MinCapacity, t!.MaxCapacity]).toEqual([0, 2]);
    const acts = (await c.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: NS }))).ScalingActivities!;
    const scheduled = acts.filter((a) => a.Cause!.endsWith("was triggered"));
    expect(scheduled.map((a) => [a.Cause, a.StartTime!.getTime()])).toEqual([
      ["scheduled action name evening was triggered", evening],
      ["scheduled action name morning was triggered", morning],
    ]);
    // Suspended scheduled scaling: occurrences pass without effect.
    await c.send(new RegisterScalableTargetCommand({ ...target("web"), MinCapacity: 1, MaxCapacity: 1, SuspendedState: { ScheduledScalingSuspended: true } }));
    await clock(url, 3 * 86400);
    const [after] = (await c.send(new DescribeScalableTargetsCommand({ ServiceNamespace: NS }))).ScalableTargets!;
    expect([after!.MinCapacity, after!.MaxCapacity]).toEqual([1, 1]);
    // An EndTime in the past: a rate schedule never fires again.
    const n2 = await clock(url);
    await c.send(new RegisterScalableTargetCommand({ ...target("web"), SuspendedState: { ScheduledScalingSuspended: false } }));
    await c.send(new PutScheduledActionCommand({ ...target("web"), ScheduledActionName: "hourly", Schedule: "rate(1 hour)", EndTime: new Date(n2 + 1000), ScalableTargetAction: { MaxCapacity: 7 } }));
    await clock(url, 3 * 3600);
    const [last] = (await c.send(new DescribeScalableTargetsCommand({ ServiceNamespace: NS }))).ScalableTargets!;
    expect(last!.MaxCapacity).toBe(1);
  });

  test("SCALE-11 rate and at schedules: rate counts periods from StartTime (else from the put), at fires once", async () => {
    const c = client();
    const url = emu().emu.url;
    await c.send(new RegisterScalableTargetCommand({ ...target("web"), MinCapacity: 0, MaxCapacity: 10 }));
    const now = await clock(url);
    await c.send(new PutScheduledActionCommand({ ...target("web"), ScheduledActionName: "every2h", Schedule: "rate(2 hours)", ScalableTargetAction: { MaxCapacity: 9 } }));
    const at = new Date(now + 3 * 3600_000).toISOString().slice(0, 19);
    await c.send(new PutScheduledActionCommand({ ...target("web"), ScheduledActionName: "once", Schedule: `at(${at})`, ScalableTargetAction: { MinCapacity: 4 } }));
    await clock(url, 2 * 3600 + 1);
    let [t] = (await c.send(new DescribeScalableTargetsCommand({ ServiceNamespace: NS }))).ScalableTargets!;
    expect([t!.MinCapacity, t!.MaxCapacity]).toEqual([0, 9]);
    await clock(url, 3600);
    [t] = (await c.send(new DescribeScalableTargetsCommand({ ServiceNamespace: NS }))).ScalableTargets!;
    expect([t!.MinCapacity, t!.MaxCapacity]).toEqual([4, 9]);
    expect((await describeFleet(emu().client, "web")).ComputeCapacityStatus?.Desired).toBe(5);
    const causes = (await c.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: NS }))).ScalingActivities!.map((a) => a.Cause);
    expect(causes).toEqual(["scheduled action name once was triggered", "scheduled action name every2h was triggered"]);
    await c.send(new DeleteScheduledActionCommand({ ...target("web"), ScheduledActionName: "once" }));
    const gone = await errorOf(() => c.send(new DeleteScheduledActionCommand({ ...target("web"), ScheduledActionName: "once" })));
    expect([gone.name, gone.message]).toEqual([
      "ObjectNotFoundException",
      "No scheduled action found for service namespace: appstream, resource ID: fleet/web, scalable dimension: appstream:fleet:DesiredCapacity, scheduled action name: once",
    ]);
  });

  test("SCALE-12 Describe* filter by resource (a dimension needs a resource id) and page with MaxResults (1-50, policies 1-10) and opaque tokens", async () => {
    const c = client();
    for (const n of ["a", "b", "c"]) await createFleet(emu().client, fleetInput(n));
    for (const n of ["a", "b", "c"]) await c.send(new RegisterScalableTargetCommand({ ...target(n), MinCapacity: 0, MaxCapacity: 4 }));
    const p1 = await c.send(new DescribeScalableTargetsCommand({ ServiceNamespace: NS, MaxResults: 2 }));
    const p2 = await c.send(new DescribeScalableTargetsCommand({ ServiceNamespace: NS, MaxResults: 2, NextToken: p1.NextToken }));
    expect([p1.ScalableTargets!.map((t) => t.ResourceId), p2.ScalableTargets!.map((t) => t.ResourceId), p2.NextToken]).toEqual([["fleet/a", "fleet/b"], ["fleet/c"], undefined]);
    expect((await c.send(new DescribeScalableTargetsCommand({ ServiceNamespace: NS, ResourceIds: ["fleet/b"], ScalableDimension: DIM }))).ScalableTargets!.map((t) => t.ResourceId)).toEqual(["fleet/b"]);
    const errs = [
      await errorOf(() => c.send(new DescribeScalableTargetsCommand({ ServiceNamespace: NS, ScalableDimension: DIM }))),
      await errorOf(() => c.send(new DescribeScheduledActionsCommand({ ServiceNamespace: NS, ScalableDimension: DIM }))),
      await errorOf(() => c.send(new DescribeScalableTargetsCommand({ ServiceNamespace: NS, MaxResults: 51 }))),
      await errorOf(() => c.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: NS, MaxResults: 11 }))),
      await errorOf(() => c.send(new DescribeScalableTargetsCommand({ ServiceNamespace: NS, NextToken: "garbage" }))),
    ];
    expect(errs.map((e) => [e.name, e.message])).toEqual([
      ["ValidationException", "If you specify a scalable dimension, you must also specify a resource ID."],
      ["ValidationException", "If you specify a scalable dimension, you must also specify a resource ID."],
      ["ValidationException", "MaxResults must be between 1 and 50."],
      ["ValidationException", "MaxResults must be between 1 and 10."],
      ["InvalidNextTokenException", "Invalid token"],
    ]);
  });

  test("SCALE-13 DescribeScalingActivities lists the namespace's activities newest first, filtered by resource", async () => {
    const c = client();
    await createFleet(emu().client, fleetInput("other", { ComputeCapacity: { DesiredInstances: 9 } }));
    await c.send(new RegisterScalableTargetCommand({ ...target("web"), MinCapacity: 0, MaxCapacity: 1 }));
    await clock(emu().emu.url, 10);
    await c.send(new RegisterScalableTargetCommand({ ...target("other"), MinCapacity: 0, MaxCapacity: 4 }));
    const all = (await c.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: NS }))).ScalingActivities!;
    expect(all.map((a) => [a.ResourceId, a.Description])).toEqual([["fleet/other", "Setting desired capacity to 4."], ["fleet/web", "Setting desired capacity to 1."]]);
    expect((await c.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: NS, ResourceId: "fleet/web", ScalableDimension: DIM }))).ScalingActivities!.map((a) => a.ResourceId)).toEqual(["fleet/web"]);
    expect((await c.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: "ecs" }))).ScalingActivities).toEqual([]);
  });

  test("SCALE-14 scalable targets carry tags (at registration, TagResource, UntagResource, ListTagsForResource); unknown ARN → ResourceNotFoundException; over 50 → TooManyTagsException", async () => {
    const c = client();
    const arn = (await c.send(new RegisterScalableTargetCommand({ ...target("web"), MinCapacity: 0, MaxCapacity: 4, Tags: { team: "vdi" } }))).ScalableTargetARN!;
    await c.send(new TagResourceCommand({ ResourceARN: arn, Tags: { env: "prod", team: "euc" } }));
    await c.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ["env"] }));
    expect((await c.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags).toEqual({ team: "euc" });
    const missing = "arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target/0123abcd";
    const errs = [
      await errorOf(() => c.send(new ListTagsForResourceCommand({ ResourceARN: missing }))),
      await errorOf(() => c.send(new TagResourceCommand({ ResourceARN: arn, Tags: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, "v"])) }))),
      await errorOf(() => c.send(new TagResourceCommand({ ResourceARN: arn, Tags: { "aws:owner": "x" } }))),
    ];
    expect(errs.map((e) => [e.name, e.message])).toEqual([
      ["ResourceNotFoundException", `Scalable target not found: ${missing}`],
      ["TooManyTagsException", "A scalable target can have at most 50 tags."],
      ["ValidationException", "Tag keys starting with aws: are reserved for use by AWS: aws:owner"],
    ]);
    expect((errs[0] as { ResourceName?: string }).ResourceName).toBe(missing);
  });

  test("SCALE-15 other namespaces have nothing registered; GetPredictiveScalingForecast → ValidationException", async () => {
    const c = client();
    await c.send(new RegisterScalableTargetCommand({ ...target("web"), MinCapacity: 0, MaxCapacity: 4 }));
    expect((await c.send(new DescribeScalableTargetsCommand({ ServiceNamespace: "ecs" }))).ScalableTargets).toEqual([]);
    expect((await c.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: "dynamodb" }))).ScalingPolicies).toEqual([]);
    const err = await errorOf(() => c.send(new GetPredictiveScalingForecastCommand({ ...target("web"), PolicyName: "p", StartTime: new Date(), EndTime: new Date() })));
    expect([err.name, err.message]).toEqual(["ValidationException", "Predictive scaling is not supported for service namespace appstream."]);
  });

  test("SCALE-16 the service's state is per region and lives in the store's collections (GET /_emulator/state)", async () => {
    const c = client();
    await c.send(new RegisterScalableTargetCommand({ ...target("web"), MinCapacity: 0, MaxCapacity: 4 }));
    await c.send(new PutScheduledActionCommand({ ...target("web"), ScheduledActionName: "n", Schedule: "cron(0 19 ? * * *)", ScalableTargetAction: { MaxCapacity: 1 } }));
    expect((await aas(emu().emu.url, "eu-west-1").send(new DescribeScalableTargetsCommand({ ServiceNamespace: NS }))).ScalableTargets).toEqual([]);
    const state = (await control(emu().emu.url, "GET", "state")).body;
    const region = state.regions["us-east-1"];
    expect(Object.keys(region.scalableTargets)).toEqual([`appstream|fleet/web|${DIM}`]);
    expect(Object.values(region.scheduledActions as Record<string, { Schedule: string }>).map((a) => a.Schedule)).toEqual(["cron(0 19 ? * * *)"]);
    expect(Object.values(region.scalingActivities as Record<string, { Description: string }>).map((a) => a.Description)).toEqual(["Setting desired capacity to 4."]);
  });
});
