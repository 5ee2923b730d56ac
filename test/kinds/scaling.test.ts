/**
 * The Scaling kind (a fleet's `scaling`): validation at the field (step scaling refused, bounds, names,
 * expressions, time zones, ELASTIC fleets), the steps as values (create, a changed policy alone, a removed
 * action, the delete), the human-terms notes with a fixed clock, and who speaks for a live target.
 */
import { describe, expect, it } from "vitest";
import { compareFields } from "../../src/core/diff.js";
import { fleet } from "../../src/kinds/fleet.js";
import { unmanagedNote } from "../../src/kinds/kind.js";
import { fieldHolders } from "../../src/kinds/reads.js";
import { scaling, scalingAssociation } from "../../src/kinds/scaling.js";
import { nextChangeWords, scheduleWords } from "../../src/kinds/scaling-words.js";
import { analyzeManifest, defaultChecks } from "../../src/manifest/index.js";
import type { ManifestDoc } from "../../src/model/resource.js";
import { desired, live, REGION, shape } from "./helpers.js";

const IMAGE = "AppStream-WinServer2022-11-12-2025";
const OPEN = { name: "open", schedule: "cron(0 7 ? * MON-FRI *)", timezone: "Europe/Berlin", min: 2, max: 20 };
const CLOSE = { name: "close", schedule: "cron(0 19 ? * MON-FRI *)", timezone: "Europe/Berlin", min: 0, max: 2 };
const UTIL = { name: "util", targetTracking: { metric: "CapacityUtilization", target: 75, scaleInCooldown: 300, scaleOutCooldown: 60 } };
const DECL = { min: 0, max: 20, policies: [UTIL], scheduled: [OPEN, CLOSE] };
const TARGET = { ServiceNamespace: "appstream", ResourceId: "fleet/office", ScalableDimension: "appstream:fleet:DesiredCapacity" };

function diagnostics(scalingYaml: string, extra = "") {
  const text = `apiVersion: appstreamctl/v1
metadata: { name: t }
fleets:
  - name: office
    instanceType: stream.standard.medium
    imageName: ${IMAGE}
    computeCapacity: { desiredInstances: 2 }
${extra}    scaling: ${scalingYaml}
`;
  return analyzeManifest([{ file: "m.yaml", text }], {}, defaultChecks()).diagnostics.map((d) => [d.code, d.severity, d.loc?.line, d.message]);
}

describe("validate: fleets[].scaling", () => {
  it("accepts a whole declaration and `none`", () => {
    expect(diagnostics(JSON.stringify(DECL))).toEqual([]);
    expect(diagnostics("none")).toEqual([]);
  });

  it("refuses a step-scaling policy with its own code and reason", () => {
    const d = diagnostics(JSON.stringify({ min: 0, max: 2, policies: [{ name: "steps", stepScaling: { adjustmentType: "ChangeInCapacity" } }] }));
    expect(d).toEqual([["rule.scaling-unsupported", "error", 8, "Fleet `office`: policy steps: step scaling is not supported: appstreamctl does not manage CloudWatch alarms"]]);
  });

  it("refuses min > max, duplicate names, a bad expression, an unknown zone, an action without bounds, a utilization over 100", () => {
    const d = diagnostics(JSON.stringify({
      min: 5, max: 2,
      policies: [{ ...UTIL, targetTracking: { ...UTIL.targetTracking, target: 150 } }],
      scheduled: [OPEN, { ...OPEN }, { name: "bad", schedule: "cron(0 7 * * MON-FRI *)", timezone: "Mars/Olympus", min: 1 }, { name: "empty", schedule: "rate(1 hour)" }],
    }));
    expect(d.map(([code, , , message]) => `${code}: ${message}`)).toEqual([
      "rule.scaling: Fleet `office`: the initial capacity 2 is outside scaling 5–2: registering the target moves it into that range",
      "rule.scaling: Fleet `office`: min 5 is greater than max 2",
      "rule.scaling: Fleet `office`: CapacityUtilization is a percent: target 150 is not in (0, 100]",
      "rule.scaling: Fleet `office`: scheduled action name open is used twice",
      "rule.scaling: Fleet `office`: scheduled action bad: Cron expression 'cron(0 7 * * MON-FRI *)': exactly one of day-of-month and day-of-week must be '?'",
      "rule.scaling: Fleet `office`: scheduled action bad: unknown time zone Mars/Olympus (an IANA name, e.g. Europe/Berlin)",
      "rule.scaling: Fleet `office`: scheduled action empty sets neither min nor max",
    ]);
  });

  it("refuses scaling on an ELASTIC fleet (no desired capacity); a schema error for an unknown metric", () => {
    const elastic = fleet.rules({ name: "e", fleetType: "ELASTIC", instanceType: "stream.standard.small", platform: "WINDOWS_SERVER_2019", maxConcurrentSessions: 5,
      vpcConfig: { subnetIds: ["subnet-00000001", "subnet-00000002"] }, scaling: { min: 0, max: 2 } } as never, { names: () => new Set(), find: () => undefined, defaultTags: () => ({}), entries: () => [] });
    expect(elastic.filter((v) => v.code === "rule.scaling").map((v) => v.message)).toEqual([
      "ELASTIC fleets have no desired capacity to scale (AppStream scales them up to maxConcurrentSessions)",
    ]);
    expect(diagnostics(JSON.stringify({ min: 0, max: 2, policies: [{ name: "p", targetTracking: { ...UTIL.targetTracking, metric: "CPU" } }] })).map((d) => d[0])).toEqual(["schema.enum"]);
  });
});

describe("the Scaling kind", () => {
  const d = desired("Scaling", "office", { ...DECL, fleet: "office", unit: "instances", initial: 2 });

  it("create: the target first, then one put per policy and per action", () => {
    expect(shape(scaling.create(d, REGION))).toEqual(shape([
      { id: "register", op: "scaling.register", params: { ...TARGET, MinCapacity: 0, MaxCapacity: 20 }, after: [] },
      { id: "policy-0", op: "scaling.put-policy", after: ["register"], params: {
        PolicyName: "util", ...TARGET, PolicyType: "TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 75, PredefinedMetricSpecification: { PredefinedMetricType: "AppStreamAverageCapacityUtilization" }, ScaleInCooldown: 300, ScaleOutCooldown: 60, DisableScaleIn: false,
        },
      } },
      { id: "action-1", op: "scaling.put-action", after: ["register"], params: { ScheduledActionName: "open", ...TARGET, Schedule: OPEN.schedule, Timezone: "Europe/Berlin", ScalableTargetAction: { MinCapacity: 2, MaxCapacity: 20 } } },
      { id: "action-2", op: "scaling.put-action", after: ["register"], params: { ScheduledActionName: "close", ...TARGET, Schedule: CLOSE.schedule, Timezone: "Europe/Berlin", ScalableTargetAction: { MinCapacity: 0, MaxCapacity: 2 } } },
    ]));
  });

  it("update: a changed policy is its put alone; a dropped action its delete; the bounds are not re-registered", () => {
    const l = live("Scaling", "office", { fleet: "office", min: 0, max: 20, policies: [{ ...UTIL, targetTracking: { ...UTIL.targetTracking, target: 60, disableScaleIn: false } }], scheduled: [OPEN, CLOSE, { ...CLOSE, name: "old" }] });
    const changes = compareFields(scaling.fields, d.spec, l.spec).changes;
    expect(changes.map((c) => c.field)).toEqual(["policies", "scheduled"]);
    const up = scaling.update(d, l, changes, REGION);
    expect(up.steps.map((s) => [s.op, s.params.PolicyName ?? s.params.ScheduledActionName])).toEqual([["scaling.put-policy", "util"], ["scaling.delete-action", "old"]]);
    expect(up.disruption).toBe("none");
  });

  it("a customized metric: AvailableCapacity of the fleet in AWS/AppStream (AvailableUserSessionCapacity on a multi-session fleet)", () => {
    const custom = desired("Scaling", "office", { min: 0, max: 2, fleet: "office", policies: [{ name: "head", targetTracking: { metric: "AvailableCapacity", target: 2, scaleInCooldown: 0, scaleOutCooldown: 0 } }] });
    expect(scaling.create(custom, REGION)[1]!.params.TargetTrackingScalingPolicyConfiguration).toMatchObject({
      CustomizedMetricSpecification: { MetricName: "AvailableCapacity", Namespace: "AWS/AppStream", Dimensions: [{ Name: "Fleet", Value: "office" }], Statistic: "Average" },
    });
    // A multi-session fleet publishes it in sessions, under another name.
    const sessions = desired("Scaling", "office", { ...custom.spec, unit: "sessions" });
    expect(scaling.create(sessions, REGION)[1]!.params.TargetTrackingScalingPolicyConfiguration).toMatchObject({
      CustomizedMetricSpecification: { MetricName: "AvailableUserSessionCapacity" },
    });
  });

  it("delete: one DeregisterScalableTarget (it takes the policies and actions with it)", () => {
    expect(scaling.remove(live("Scaling", "office", { fleet: "office" }), REGION)).toEqual([{ id: "deregister", op: "scaling.deregister", params: TARGET }]);
  });

  it("notes: the schedule in words and the next change with the plan's clock (a Saturday in Berlin)", () => {
    expect(scaling.notes!(d, undefined, new Date("2026-12-05T10:00:00Z"))).toEqual([
      "scaling 0–20 instances; util: keep CapacityUtilization at 75%; weekdays 07:00–19:00 Europe/Berlin: 2–20 instances; otherwise 0–2",
      "next scheduled change: Mon 07:00 Europe/Berlin → 2–20 (open)",
    ]);
    expect(scheduleWords([{ name: "x", schedule: "rate(1 day)", min: 1 }], "sessions")).toBe("rate(1 day) UTC → min 1");
    expect(nextChangeWords([{ name: "once", schedule: "at(2027-03-01T08:00:00)", timezone: "Europe/Berlin", max: 4 }], new Date("2026-12-05T10:00:00Z")))
      .toBe("next scheduled change: Mon 2027-03-01 08:00 Europe/Berlin → max 4 (once)");
  });

  it("who speaks for a live target: only a fleet saying `scaling: none` removes an undeclared one", () => {
    const l = live("Scaling", "office", { fleet: "office", min: 1, max: 5 });
    const m = (s?: unknown) => ({ apiVersion: "appstreamctl/v1", metadata: { name: "t" }, fleets: [{ name: "office", ...(s !== undefined ? { scaling: s } : {}) }] }) as ManifestDoc;
    const holds = (doc: ManifestDoc) => fieldHolders(doc).get("Scaling")?.has("Fleet/office") ?? false;
    expect([scaling.declaredBy, holds(m()), holds(m("none")), holds(m({ min: 0, max: 2 }))]).toEqual(["scaling", false, true, true]);
    expect(unmanagedNote(scaling, l, { name: "office" })).toContain("left alone, as the fleet declares no `scaling` (`scaling: none` removes it)");
    expect(unmanagedNote(scaling, l, { name: "office", scaling: "none" })).toBeUndefined();
  });
});
