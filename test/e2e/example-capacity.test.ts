/**
 * examples/capacity.yaml — two fleets whose capacity Application Auto Scaling manages (target tracking at
 * 75% utilization, business-hours scheduled actions in Europe/Berlin) — converges: plan → apply → plan has
 * no changes, also after the emulator's clock has passed a scheduled action that moved the bounds and the
 * capacity (the capacity is autoscaling's, never set back).
 */
import { DescribeScalableTargetsCommand, ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { calls, control, CREDENTIALS, useEmulator } from "../emulator/helpers.js";
import { apply, changesOf, planOf } from "./apply-helpers.js";
import { cli, fakeAwsCredentials } from "./helpers.js";

const EXAMPLE = join(import.meta.dirname, "../../examples/capacity.yaml");
const emulator = useEmulator({}, { scope: "all" });
const REGION = "eu-central-1";

beforeAll(fakeAwsCredentials);

it("plan → apply → plan: no changes; the targets carry the example's bounds, policies and actions", async () => {
  const url = emulator().emu.url;
  const first = await planOf(url, EXAMPLE);
  expect(changesOf(first)).toMatchObject({ "Fleet/office-apps": "create", "Fleet/call-centre": "create", "Scaling/office-apps": "create", "Scaling/call-centre": "create" });
  expect(first.resourceChanges.find((c) => c.address === "Scaling/call-centre")!.warnings![0]).toBe(
    "scaling 10–200 sessions; utilization-75: keep CapacityUtilization at 75%; keep-headroom: keep AvailableCapacity at 10 (no scale-in); " +
      "weekdays 06:30–20:00 Europe/Berlin: 40–200 sessions; otherwise 10–40",
  );
  const r = await apply(url, EXAMPLE);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  const mutating = (await calls(url)).filter((c) => c.mutating && c.outcome === "ok").map((c) => c.operation);
  expect(mutating.filter((o) => o === "application-autoscaling:PutScalingPolicy")).toHaveLength(3);
  expect(mutating.filter((o) => o === "application-autoscaling:PutScheduledAction")).toHaveLength(4);
  expect(mutating.indexOf("CreateFleet")).toBeLessThan(mutating.indexOf("application-autoscaling:RegisterScalableTarget"));
  expect(changesOf(await planOf(url, EXAMPLE))).toEqual({});
  const aas = new ApplicationAutoScalingClient({ endpoint: url, region: REGION, credentials: CREDENTIALS });
  const targets = (await aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: "appstream" }))).ScalableTargets ?? [];
  expect(targets.map((t) => [t.ResourceId, t.MinCapacity, t.MaxCapacity]).sort()).toEqual([["fleet/call-centre", 10, 200], ["fleet/office-apps", 0, 20]]);
});

it("after a simulated week has passed scheduled actions, the plan still has no changes", async () => {
  const url = emulator().emu.url;
  expect((await control(url, "POST", "clock", { advanceSeconds: 7 * 86_400 })).status).toBe(200);
  const aas = new ApplicationAutoScalingClient({ endpoint: url, region: REGION, credentials: CREDENTIALS });
  const targets = (await aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: "appstream" }))).ScalableTargets ?? [];
  // A week has passed an open and a close: the live bounds are the schedule's now, not the declared ones.
  expect(targets.map((t) => `${t.ResourceId} ${t.MinCapacity}-${t.MaxCapacity}`).sort()).not.toEqual(["fleet/call-centre 10-200", "fleet/office-apps 0-20"]);
  const plan = await planOf(url, EXAMPLE);
  expect(changesOf(plan)).toEqual({});
  expect(plan.resourceChanges.find((c) => c.address === "Scaling/office-apps")!.warnings!.some((w) => w.startsWith("min/max 0–20 are the bounds until the first scheduled action"))).toBe(true);
  const drift = await cli(url, ["-f", EXAMPLE, "-o", "json", "drift"]);
  expect(drift.code, drift.stdout + drift.stderr).toBe(0);
});
