/**
 * A fleet's `scaling` end to end, through the CLI against the emulator's Application Auto Scaling: the
 * target, its policies and its scheduled actions are created after the fleet; a changed policy is one
 * PutScalingPolicy; with scaling the fleet's capacity belongs to autoscaling (never set back), without it
 * capacity drift is reverted; a target made elsewhere on a fleet without `scaling` is left alone and
 * reported as unmanaged, `scaling: none` removes it, and --prune removes a fleet's target before the fleet.
 */
import { CreateFleetCommand, UpdateFleetCommand } from "@aws-sdk/client-appstream";
import {
  ApplicationAutoScalingClient, DescribeScalableTargetsCommand, DescribeScalingPoliciesCommand, DescribeScheduledActionsCommand, PutScalingPolicyCommand, RegisterScalableTargetCommand,
} from "@aws-sdk/client-application-auto-scaling";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { DriftReport } from "../../src/core/drift.js";
import { clientOf, control, CREDENTIALS, fleetInput, useEmulator } from "../emulator/helpers.js";
import { apply, changesOf, mutations, planOf } from "./apply-helpers.js";
import { cli, fakeAwsCredentials, writeManifest } from "./helpers.js";
import { applyLog } from "./issue6-helpers.js";

beforeAll(fakeAwsCredentials);

const IMAGE = "AppStream-WinServer2022-11-12-2025";
const SCALED = `    scaling:
      min: 1
      max: 10
      policies:
        - name: utilization
          targetTracking: { metric: CapacityUtilization, target: TARGET, scaleInCooldown: 300, scaleOutCooldown: 120 }
      scheduled:
        - { name: open, schedule: "cron(0 7 ? * MON-FRI *)", timezone: Europe/Berlin, min: 2, max: 10 }
        - { name: close, schedule: "cron(0 19 ? * MON-FRI *)", timezone: Europe/Berlin, min: 0, max: 2 }
`;
const fleet = (name: string, extra = "", capacity = 2) => `  - name: ${name}
    instanceType: stream.standard.medium
    imageName: ${IMAGE}
    computeCapacity: { desiredInstances: ${capacity} }
    state: stopped
${extra}`;
const manifest = (...fleets: string[]) => writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: scaling }
fleets:
${fleets.join("")}`);

const aas = (url: string) => new ApplicationAutoScalingClient({ endpoint: url, region: "us-east-1", credentials: CREDENTIALS });
const targetOf = (name: string) => ({ ServiceNamespace: "appstream" as const, ResourceId: `fleet/${name}`, ScalableDimension: "appstream:fleet:DesiredCapacity" as const });

/** What the console attaches to a fleet it creates: a target with two step-scaling policies. */
async function consoleDefaults(url: string, name: string): Promise<void> {
  const c = aas(url);
  await c.send(new RegisterScalableTargetCommand({ ...targetOf(name), MinCapacity: 1, MaxCapacity: 5 }));
  for (const [policy, adjustment] of [["default-scale-out", 2], ["default-scale-in", -1]] as const) {
    await c.send(new PutScalingPolicyCommand({
      ...targetOf(name), PolicyName: policy, PolicyType: "StepScaling",
      StepScalingPolicyConfiguration: { AdjustmentType: "ChangeInCapacity", StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: adjustment }] },
    }));
  }
}

async function policies(url: string, name: string): Promise<string[]> {
  const out = await aas(url).send(new DescribeScalingPoliciesCommand({ ServiceNamespace: "appstream", ResourceId: `fleet/${name}` }));
  return (out.ScalingPolicies ?? []).map((p) => p.PolicyName!).sort();
}

async function drift(url: string, file: string): Promise<DriftReport> {
  const r = await cli(url, ["-f", file, "-o", "json", "drift"]);
  return JSON.parse(r.stdout) as DriftReport;
}

describe("a fleet with scaling", () => {
  const emulator = useEmulator({}, { scope: "all" });
  const url = () => emulator().emu.url;
  const scaled = (target = 75, capacity = 2) => manifest(fleet("office", SCALED.replace("TARGET", String(target)), capacity));

  it("is created after the fleet: one register, one put per policy and per scheduled action; then no changes", async () => {
    const plan = await planOf(url(), scaled());
    expect(changesOf(plan)).toEqual({ "Fleet/office": "create", "Scaling/office": "create" });
    const c = plan.resourceChanges.find((r) => r.address === "Scaling/office")!;
    // The raw values stay in the JSON plan; the notes say it in words.
    expect(c.diff.map((d) => d.path)).toEqual(["min", "max", "policies", "scheduled"]);
    expect(c.warnings![0]).toBe(
      "scaling 1–10 instances; utilization: keep CapacityUtilization at 75%; weekdays 07:00–19:00 Europe/Berlin: 2–10 instances; otherwise 0–2",
    );
    expect(c.warnings![1]).toMatch(/^next scheduled change: \w{3}( \d{4}-\d\d-\d\d)? (07|19):00 Europe\/Berlin → (2–10 \(open\)|0–2 \(close\))$/);
    expect(await applyLog(url(), scaled())).toEqual([
      "CreateFleet office",
      "application-autoscaling:RegisterScalableTarget fleet/office",
      "application-autoscaling:PutScalingPolicy fleet/office",
      "application-autoscaling:PutScheduledAction fleet/office",
      "application-autoscaling:PutScheduledAction fleet/office",
    ]);
    expect(await policies(url(), "office")).toEqual(["utilization"]);
  });

  it("a changed policy target is one PutScalingPolicy", async () => {
    const plan = await planOf(url(), scaled(60));
    expect(changesOf(plan)).toEqual({ "Scaling/office": "update" });
    const policy = (target: number) => [{
      name: "utilization", targetTracking: { disableScaleIn: false, metric: "CapacityUtilization", scaleInCooldown: 300, scaleOutCooldown: 120, target },
    }];
    expect(plan.resourceChanges.find((r) => r.address === "Scaling/office")!.diff).toEqual([
      { path: "policies", before: policy(75), after: policy(60), sensitive: false, why: "live" },
    ]);
    expect(await applyLog(url(), scaled(60))).toEqual(["application-autoscaling:PutScalingPolicy fleet/office"]);
  });

  it("capacity drift is not reverted: autoscaling owns it, and the plan says why once", async () => {
    await clientOf(url()).send(new UpdateFleetCommand({ Name: "office", ComputeCapacity: { DesiredInstances: 7 } }));
    const plan = await planOf(url(), scaled(60));
    expect(changesOf(plan)).toEqual({});
    const notes = plan.resourceChanges.flatMap((c) => (c.warnings ?? []).filter((w) => w.includes("initial capacity")));
    expect(notes).toEqual(["computeCapacity 2 is the initial capacity only: Application Auto Scaling keeps Fleet/office at 7 instances; not changed"]);
    expect((await drift(url(), scaled(60))).summary).toMatchObject({ changed: 0, unmanaged: 0 });
  });

  it("a saved plan with a bounded one-off action applies as saved (its instants kept as written)", async () => {
    const once = `        - { name: launch, schedule: "at(2027-01-04T06:00:00)", timezone: Europe/Berlin, min: 4, max: 10, start: "2027-01-01T00:00:00Z", end: "2027-01-31T00:00:00Z" }\n`;
    const file = manifest(fleet("office", SCALED.replace("TARGET", "60") + once));
    const out = join(dirname(file), "plan.json");
    expect((await cli(url(), ["-f", file, "plan", "--out", out])).code).toBe(0);
    await control(url(), "DELETE", "calls");
    const r = await cli(url(), ["-f", file, "apply", "--auto-approve", out]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await mutations(url())).toEqual(["application-autoscaling:PutScheduledAction fleet/office"]);
    const actions = (await aas(url()).send(new DescribeScheduledActionsCommand({ ServiceNamespace: "appstream", ScheduledActionNames: ["launch"], ResourceId: "fleet/office", ScalableDimension: "appstream:fleet:DesiredCapacity" }))).ScheduledActions!;
    expect(actions.map((a) => [a.StartTime?.toISOString(), a.EndTime?.toISOString()])).toEqual([["2027-01-01T00:00:00.000Z", "2027-01-31T00:00:00.000Z"]]);
    expect(changesOf(await planOf(url(), file))).toEqual({});
  });

  it("--prune of the fleet removes its scaling target first", async () => {
    const other = manifest(fleet("other"));
    const r = await apply(url(), other, ["--prune"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const log = await mutations(url());
    const deregister = log.indexOf("application-autoscaling:DeregisterScalableTarget fleet/office");
    expect(deregister).toBeGreaterThanOrEqual(0);
    expect(deregister).toBeLessThan(log.indexOf("DeleteFleet office"));
    expect((await aas(url()).send(new DescribeScalableTargetsCommand({ ServiceNamespace: "appstream" }))).ScalableTargets).toEqual([]);
  });
});

describe("a fleet without scaling", () => {
  const emulator = useEmulator({}, { scope: "all" });
  const url = () => emulator().emu.url;

  it("has its capacity drift reverted", async () => {
    const file = manifest(fleet("plain"));
    await applyLog(url(), file);
    await clientOf(url()).send(new UpdateFleetCommand({ Name: "plain", ComputeCapacity: { DesiredInstances: 5 } }));
    const plan = await planOf(url(), file);
    expect(plan.resourceChanges.find((c) => c.address === "Fleet/plain")!.diff).toEqual([
      { path: "computeCapacity.desiredInstances", before: 5, after: 2, sensitive: false, why: "live" },
    ]);
    expect(await applyLog(url(), file)).toEqual(["UpdateFleet plain"]);
  });

  it("keeps the console's default policies, reported once as unmanaged (plan note, drift)", async () => {
    await consoleDefaults(url(), "plain");
    // A fleet of another manifest, with its own target: not this plan's to mention.
    await clientOf(url()).send(new CreateFleetCommand(fleetInput("foreign") as never));
    await consoleDefaults(url(), "foreign");
    // Another fleet declares scaling, so the plan reads the region's scaling state.
    const file = manifest(fleet("plain"), fleet("scaled", SCALED.replace("TARGET", "75")));
    await control(url(), "DELETE", "calls");
    const r = await apply(url(), file);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect((await mutations(url())).filter((m) => m.endsWith("fleet/plain"))).toEqual([]);
    const plan = await planOf(url(), file);
    expect(changesOf(plan)).toEqual({});
    expect(plan.resourceChanges.map((c) => c.address).filter((a) => a.startsWith("Scaling/"))).toEqual(["Scaling/scaled", "Scaling/plain"]);
    expect(plan.resourceChanges.find((c) => c.address === "Scaling/plain")).toMatchObject({
      actions: ["no-op"],
      warnings: [
        "Fleet/plain has a scaling target made elsewhere (1–5, with policies appstreamctl does not manage: default-scale-in (StepScaling), default-scale-out (StepScaling)): " +
          "left alone, as the fleet declares no `scaling` (`scaling: none` removes it)",
      ],
    });
    const d = await drift(url(), file);
    // The other manifest's fleet is unmanaged as a fleet; its scaling goes with it, unmentioned.
    expect(d.unmanaged.map((u) => u.address)).toEqual(["Fleet/foreign", "Scaling/plain"]);
    expect(d.changed).toEqual([]);
    expect(await policies(url(), "plain")).toEqual(["default-scale-in", "default-scale-out"]);
  });

  it("`scaling: none` removes them (one DeregisterScalableTarget)", async () => {
    const file = manifest(fleet("plain", "    scaling: none\n"), fleet("scaled", SCALED.replace("TARGET", "75")));
    const plan = await planOf(url(), file);
    expect(changesOf(plan)).toEqual({ "Scaling/plain": "delete" });
    expect(await applyLog(url(), file)).toEqual(["application-autoscaling:DeregisterScalableTarget fleet/plain"]);
    expect(await policies(url(), "plain")).toEqual([]);
  });
});
