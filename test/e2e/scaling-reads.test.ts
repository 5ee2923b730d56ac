/**
 * A fleet's scaling is read for the whole region in O(pages): one DescribeScalableTargets,
 * DescribeScalingPolicies and DescribeScheduledActions per page of the `appstream` namespace, whatever the
 * number of fleets — and not at all when no fleet declares `scaling`. Drift reports a policy changed out
 * of band on the fleet's `scaling` field, and export writes `scaling` back.
 */
import { CreateFleetCommand } from "@aws-sdk/client-appstream";
import {
  ApplicationAutoScalingClient, PutScalingPolicyCommand, PutScheduledActionCommand, RegisterScalableTargetCommand,
} from "@aws-sdk/client-application-auto-scaling";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { DriftReport } from "../../src/core/drift.js";
import { calls, control, CREDENTIALS, fleetInput, useEmulator } from "../emulator/helpers.js";
import { changesOf, planOf } from "./apply-helpers.js";
import { cli, fakeAwsCredentials, writeManifest } from "./helpers.js";

beforeAll(fakeAwsCredentials);

/** 51 fleets: 2 pages of targets and of actions (50 a page), 6 pages of policies (10 a page). */
const N = 51;
const MINE = { "appstreamctl:set": "many" };
const IMAGE = "AppStream-WinServer2022-11-12-2025";
const target = (name: string) => ({ ServiceNamespace: "appstream" as const, ResourceId: `fleet/${name}`, ScalableDimension: "appstream:fleet:DesiredCapacity" as const });
const scaling = (target = 75) =>
  `    scaling:\n      min: 1\n      max: 4\n      policies:\n        - { name: util, targetTracking: { metric: CapacityUtilization, target: ${target}, scaleInCooldown: 300, scaleOutCooldown: 60 } }\n` +
  `      scheduled:\n        - { name: night, schedule: "cron(0 20 * * ? *)", timezone: Europe/Berlin, min: 1, max: 2 }\n`;
const fleet = (name: string, extra: string) =>
  `  - name: ${name}\n    instanceType: stream.standard.medium\n    imageName: ${IMAGE}\n    computeCapacity: { desiredInstances: 2 }\n    state: stopped\n${extra}`;
const estate = (extra: (i: number) => string) =>
  writeManifest(`apiVersion: appstreamctl/v1\nmetadata: { name: many }\nfleets:\n${Array.from({ length: N }, (_, i) => fleet(`f${i}`, extra(i))).join("")}`);

describe(`scaling of ${N} fleets`, () => {
  const emulator = useEmulator({ quotas: { fleets: N } }, {
    scope: "all",
    setUp: async (t) => {
      const aas = new ApplicationAutoScalingClient({ endpoint: t.emu.url, region: "us-east-1", credentials: CREDENTIALS });
      for (let i = 0; i < N; i++) {
        await t.client.send(new CreateFleetCommand(fleetInput(`f${i}`, { Tags: MINE }) as never));
        await aas.send(new RegisterScalableTargetCommand({ ...target(`f${i}`), MinCapacity: 1, MaxCapacity: 4 }));
        await aas.send(new PutScalingPolicyCommand({
          ...target(`f${i}`), PolicyName: "util", PolicyType: "TargetTrackingScaling",
          TargetTrackingScalingPolicyConfiguration: {
            TargetValue: 75, PredefinedMetricSpecification: { PredefinedMetricType: "AppStreamAverageCapacityUtilization" }, ScaleInCooldown: 300, ScaleOutCooldown: 60,
          },
        }));
        await aas.send(new PutScheduledActionCommand({
          ...target(`f${i}`), ScheduledActionName: "night", Schedule: "cron(0 20 * * ? *)", Timezone: "Europe/Berlin", ScalableTargetAction: { MinCapacity: 1, MaxCapacity: 2 },
        }));
      }
    },
  });
  const url = () => emulator().emu.url;

  async function readsOf(file: string): Promise<Record<string, number>> {
    await control(url(), "DELETE", "calls");
    const plan = await planOf(url(), file);
    expect(changesOf(plan)).toEqual({});
    const out: Record<string, number> = {};
    for (const c of await calls(url())) if (c.operation.startsWith("application-autoscaling:")) out[c.operation] = (out[c.operation] ?? 0) + 1;
    return out;
  }

  it("are read in one call per page of each listing, for the whole region", async () => {
    expect(await readsOf(estate(() => scaling()))).toEqual({
      "application-autoscaling:DescribeScalableTargets": 2,
      "application-autoscaling:DescribeScalingPolicies": 6,
      "application-autoscaling:DescribeScheduledActions": 2,
    });
  });

  it("are not read when no fleet declares scaling", async () => {
    expect(await readsOf(estate(() => ""))).toEqual({});
  });

  it("drift reports a policy changed out of band on the fleet's `scaling`; export writes `scaling` back", async () => {
    const aas = new ApplicationAutoScalingClient({ endpoint: url(), region: "us-east-1", credentials: CREDENTIALS });
    await aas.send(new PutScalingPolicyCommand({
      ...target("f7"), PolicyName: "util", PolicyType: "TargetTrackingScaling",
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 50, PredefinedMetricSpecification: { PredefinedMetricType: "AppStreamAverageCapacityUtilization" }, ScaleInCooldown: 300, ScaleOutCooldown: 60,
      },
    }));
    const r = await cli(url(), ["-f", estate(() => scaling()), "-o", "json", "drift"]);
    const report = JSON.parse(r.stdout) as DriftReport;
    expect(report.changed.map((c) => [c.address, c.diff.map((d) => d.path)])).toEqual([["Fleet/f7", ["scaling"]]]);
    // The live value is whole (what `drift --write` would write): the declared bounds, as the schedule owns the live ones.
    expect(report.changed[0]!.diff[0]!.after).toMatchObject({ min: 1, max: 4, policies: [{ name: "util", targetTracking: { target: 50 } }] });
    const out = await cli(url(), ["export"]);
    expect(out.code, out.stderr).toBe(0);
    const doc = parse(out.stdout) as { fleets: { name: string; scaling?: unknown }[] };
    expect(doc.fleets.find((f) => f.name === "f7")!.scaling).toEqual({
      min: 1, max: 4,
      policies: [{ name: "util", targetTracking: { metric: "CapacityUtilization", target: 50, scaleInCooldown: 300, scaleOutCooldown: 60 } }],
      scheduled: [{ name: "night", schedule: "cron(0 20 * * ? *)", timezone: "Europe/Berlin", min: 1, max: 2 }],
    });
    expect(changesOf(await planOf(url(), writeManifest(out.stdout)))).toEqual({});
  });
});
