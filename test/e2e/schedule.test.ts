/**
 * Run-state schedules end to end against the emulator, whose clock a test moves (POST /_emulator/clock):
 * a fleet and an image builder with business hours converge; after "19:00" the schedules have stopped
 * them and the plan is still empty; a changed window is one UpdateSchedule per changed schedule and
 * nothing else; a schedule left out is left alone, `schedule: none` deletes it; --prune of a fleet deletes
 * its schedules with it.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { nextFire, parseScheduleExpression, type ScheduleExpression } from "../../src/shared/schedule-expr.js";
import { StartFleetCommand } from "@aws-sdk/client-appstream";
import {
  CreateScheduleGroupCommand, GetScheduleCommand, GetScheduleGroupCommand, ListTagsForResourceCommand, SchedulerClient, UpdateScheduleCommand,
} from "@aws-sdk/client-scheduler";
import { calls, control, CREDENTIALS, useEmulator } from "../emulator/helpers.js";
import { apply, changesOf, mutations, planOf, table } from "./apply-helpers.js";
import { cli, fakeAwsCredentials, writeManifest } from "./helpers.js";

const ROLE = "arn:aws:iam::123456789012:role/appstream-scheduler";
const REGION = "us-east-1";

function manifest(o: { fleetWindow?: string; builderWindow?: string; fleetState?: string; fleet?: boolean } = {}): string {
  const fleet = o.fleet === false ? "" : `fleets:
  - name: office
    instanceType: stream.standard.small
    imageName: AppStream-AmazonLinux2-11-12-2025
    computeCapacity: { desiredInstances: 1 }
${o.fleetState ? `    state: ${o.fleetState}\n` : ""}${o.fleetWindow === "none" ? "    schedule: none\n" : ""}${o.fleetWindow && o.fleetWindow !== "none" ? `    schedule:\n      running: "${o.fleetWindow}"\n      timezone: Europe/Berlin\n      roleArn: ${ROLE}\n` : ""}`;
  return `apiVersion: appstreamctl/v1
metadata:
  name: hours
${fleet}
imageBuilders:
  - name: packager
    instanceType: stream.standard.medium
    imageName: AppStream-WinServer2022-11-12-2025
${o.builderWindow ? `    schedule:\n      running: "${o.builderWindow}"\n      timezone: Europe/Berlin\n      roleArn: ${ROLE}\n` : "    state: stopped\n"}`;
}

const cron = (text: string): ScheduleExpression => {
  const e = parseScheduleExpression(text);
  if ("error" in e) throw new Error(e.error);
  return e;
};

/** Moves the emulator clock to the next instant of `expr` in Europe/Berlin, plus `extraSeconds`. */
async function advanceTo(url: string, expr: string, extraSeconds = 0): Promise<number> {
  const { body } = await control(url, "GET", "state");
  const now = body.now as number;
  const at = nextFire(cron(expr), "Europe/Berlin", now)! + extraSeconds * 1000;
  await control(url, "POST", "clock", { advanceSeconds: Math.ceil((at - now) / 1000) });
  return at;
}

async function advance(url: string, seconds: number): Promise<void> {
  await control(url, "POST", "clock", { advanceSeconds: seconds });
}

const clearCalls = (url: string) => control(url, "DELETE", "calls");

async function states(url: string): Promise<{ fleet?: string; builder?: string }> {
  const fleets = await table(url, REGION, "fleets");
  const builders = await table(url, REGION, "imageBuilders");
  return { fleet: fleets.office?.state, builder: builders.packager?.state };
}

async function invocations(url: string): Promise<string[]> {
  const { body } = await control(url, "GET", "state");
  const rows = Object.values(body.regions?.[REGION]?.schedulerInvocations ?? {}) as { schedule: string; operation: string; outcome: string }[];
  return rows.map((r) => `${r.operation} ${r.outcome}`);
}

beforeAll(fakeAwsCredentials);

describe("business hours Mon-Fri 07:00-19:00 Europe/Berlin", () => {
  // Stops take ten minutes of emulator time: a plan just after 19:00 sees them STOPPING.
  const emulator = useEmulator(
    { timeScale: 1, durations: { fleetStart: 50, imageBuilderStart: 50, fleetStop: 600_000, imageBuilderStop: 600_000, imageBuilderDelete: 50 } },
    { scope: "all" },
  );
  const url = () => emulator().emu.url;
  const hours = { fleetWindow: "Mon-Fri 07:00-19:00", builderWindow: "Mon-Fri 07:00-19:00" };

  it("created on a Monday at 10:00: the group, a start and a stop schedule each, both running; the next plan has no changes", async () => {
    await advanceTo(url(), "cron(0 10 ? * MON *)");
    const file = writeManifest(manifest(hours));
    await clearCalls(url());
    const r = await apply(url(), file);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const done = await mutations(url());
    expect(done.filter((m) => m.startsWith("scheduler:"))).toEqual(expect.arrayContaining([
      "scheduler:CreateScheduleGroup appstreamctl-hours",
      "scheduler:CreateSchedule fleet-office-start", "scheduler:CreateSchedule fleet-office-stop",
      "scheduler:CreateSchedule builder-packager-start", "scheduler:CreateSchedule builder-packager-stop",
    ]));
    expect(done.filter((m) => m.startsWith("scheduler:CreateSchedule "))).toHaveLength(4);
    expect(done).toContain("StartFleet office");
    expect(done).not.toContain("StopImageBuilder packager");
    expect(await states(url())).toEqual({ fleet: "RUNNING", builder: "RUNNING" });
    expect(changesOf(await planOf(url(), file))).toEqual({});
  });

  it("the group carries the set's tag; the schedules call StartFleet/StopFleet with the fleet's name at 07:00/19:00 Berlin", async () => {
    const scheduler = new SchedulerClient({ region: REGION, endpoint: url(), credentials: CREDENTIALS, maxAttempts: 1 });
    const group = await scheduler.send(new GetScheduleGroupCommand({ Name: "appstreamctl-hours" }));
    expect((await scheduler.send(new ListTagsForResourceCommand({ ResourceArn: group.Arn! }))).Tags).toEqual([{ Key: "appstreamctl:set", Value: "hours" }]);
    const schedules = await Promise.all(["fleet-office-start", "fleet-office-stop"].map(async (name) => {
      const s = await scheduler.send(new GetScheduleCommand({ Name: name, GroupName: "appstreamctl-hours" }));
      return [s.Name, s.ScheduleExpression, s.ScheduleExpressionTimezone, s.Target?.Arn, s.Target?.Input, s.Target?.RoleArn];
    }));
    expect(schedules).toEqual([
      ["fleet-office-start", "cron(0 7 ? * MON-FRI *)", "Europe/Berlin", "arn:aws:scheduler:::aws-sdk:appstream:startFleet", '{"Name":"office"}', ROLE],
      ["fleet-office-stop", "cron(0 19 ? * MON-FRI *)", "Europe/Berlin", "arn:aws:scheduler:::aws-sdk:appstream:stopFleet", '{"Name":"office"}', ROLE],
    ]);
  });

  it("just after 19:00 the schedules are stopping both: neither plan nor drift reports a change, and apply neither waits nor calls; nor an hour later", async () => {
    const file = writeManifest(manifest(hours));
    await advanceTo(url(), "cron(0 19 ? * MON *)", 1);
    expect((await invocations(url())).sort()).toEqual(["StopFleet ok", "StopImageBuilder ok"]);
    expect(await states(url())).toEqual({ fleet: "STOPPING", builder: "STOPPING" });
    expect(changesOf(await planOf(url(), file))).toEqual({});
    const drift = await cli(url(), ["-f", file, "drift"]);
    expect(drift.code, drift.stdout + drift.stderr).toBe(0);
    await clearCalls(url());
    let r = await apply(url(), file);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await mutations(url())).toEqual([]);
    await advance(url(), 3600);
    expect(await states(url())).toEqual({ fleet: "STOPPED", builder: "STOPPED" });
    expect(changesOf(await planOf(url(), file))).toEqual({});
    await clearCalls(url());
    r = await apply(url(), file);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await mutations(url())).toEqual([]);
  });

  it("a changed window is one UpdateSchedule of the changed schedule and nothing else (no fleet restart)", async () => {
    const file = writeManifest(manifest({ ...hours, fleetWindow: "Mon-Fri 08:00-19:00" }));
    const plan = await planOf(url(), file);
    expect(changesOf(plan)).toEqual({ "FleetSchedule/office": "update" });
    const change = plan.resourceChanges.find((c) => c.address === "FleetSchedule/office")!;
    expect(change.diff.map((d) => [d.path, d.before, d.after])).toEqual([["running", "Mon-Fri 07:00-19:00", "Mon-Fri 08:00-19:00"]]);
    expect(change.reason).toMatch(/^running Mon–Fri 08:00–19:00 Europe\/Berlin; now: stopped \(window starts Tue 08:00\)$/);
    await clearCalls(url());
    const r = await apply(url(), file);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await mutations(url())).toEqual(["scheduler:UpdateSchedule fleet-office-start"]);
    expect(changesOf(await planOf(url(), file))).toEqual({});
  });

  it("drift reports a schedule changed outside the manifest; export writes schedule back and its plan is a no-op", async () => {
    const file = writeManifest(manifest({ ...hours, fleetWindow: "Mon-Fri 07:00-19:00" }));
    const drift = await cli(url(), ["-f", file, "-o", "json", "drift"]);
    expect(drift.code, drift.stdout + drift.stderr).toBe(2);
    const report = JSON.parse(drift.stdout) as { changed: { address: string; diff: { path: string; before?: unknown; after?: unknown }[] }[] };
    expect(report.changed.map((c) => [c.address, c.diff.map((d) => [d.path, (d.before as any)?.running, (d.after as any)?.running])])).toEqual([
      ["Fleet/office", [["schedule", "Mon-Fri 07:00-19:00", "Mon-Fri 08:00-19:00"]]],
    ]);
    const exported = await cli(url(), ["export", "--set", "hours"]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain('running: Mon-Fri 08:00-19:00');
    expect(exported.stdout).not.toMatch(/state: stopped/);
    const again = writeManifest(exported.stdout);
    expect(changesOf(await planOf(url(), again))).toEqual({});
  });

  it("a schedule left out is left alone; `schedule: none` deletes it; --prune of the fleet deletes the fleet's with it", async () => {
    const left = writeManifest(manifest({ builderWindow: hours.builderWindow, fleetState: "stopped" }));
    expect(changesOf(await planOf(url(), left))).toEqual({});
    const d = await cli(url(), ["-f", left, "-o", "json", "drift"]);
    expect((JSON.parse(d.stdout) as { unmanaged: { address: string; note: string }[] }).unmanaged).toContainEqual({
      category: "unmanaged", address: "FleetSchedule/office", kind: "FleetSchedule", name: "office", diff: [],
      note: "Fleet/office does not declare `schedule`: its fleet schedule office is left as it is (write `schedule` to manage it)",
    });
    const dropped = writeManifest(manifest({ builderWindow: hours.builderWindow, fleetWindow: "none", fleetState: "stopped" }));
    await clearCalls(url());
    let r = await apply(url(), dropped);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect((await mutations(url())).sort()).toEqual(["scheduler:DeleteSchedule fleet-office-start", "scheduler:DeleteSchedule fleet-office-stop"]);
    expect(changesOf(await planOf(url(), dropped))).toEqual({});

    const withSchedule = writeManifest(manifest(hours));
    r = await apply(url(), withSchedule);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const gone = writeManifest(manifest({ builderWindow: hours.builderWindow, fleet: false }));
    await clearCalls(url());
    r = await apply(url(), gone, ["--prune"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const done = await mutations(url());
    expect(done.filter((m) => m.startsWith("scheduler:")).sort()).toEqual(["scheduler:DeleteSchedule fleet-office-start", "scheduler:DeleteSchedule fleet-office-stop"]);
    expect(done).toContain("DeleteFleet office");
  });
});

/** The Scheduler operations of the call log since it was last cleared, sorted. */
async function schedulerCalls(url: string): Promise<string[]> {
  return (await calls(url)).filter((c) => c.operation.startsWith("scheduler:")).map((c) => `${c.operation} ${c.outcome}`).sort();
}

describe("reads, the service clock, and a group that is not the set's", () => {
  const emulator = useEmulator({}, { scope: "all" });
  const url = () => emulator().emu.url;
  const hours = { fleetWindow: "Mon-Fri 07:00-19:00", builderWindow: "Mon-Fri 07:00-19:00" };

  it("a plan without schedules makes no Scheduler call (nor --prune deleting nothing); drift looks the group up once per kind", async () => {
    await advanceTo(url(), "cron(0 10 ? * MON *)");
    const plain = writeManifest(manifest({}));
    const r = await apply(url(), plain);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    await clearCalls(url());
    expect(changesOf(await planOf(url(), plain))).toEqual({});
    expect(await schedulerCalls(url())).toEqual([]);
    const drift = await cli(url(), ["-f", plain, "drift"]);
    expect(drift.code, drift.stdout + drift.stderr).toBe(0);
    expect(await schedulerCalls(url())).toEqual(["scheduler:ListScheduleGroups ok", "scheduler:ListScheduleGroups ok"]);
    await clearCalls(url());
    // --prune reads them only per fleets and builders it deletes: here, none.
    expect(changesOf(await planOf(url(), plain, ["--prune"]))).toEqual({});
    expect(await schedulerCalls(url())).toEqual([]);
  });

  it("drift by credentials without Scheduler permission, where no entry writes `schedule`: skipped with a note", async () => {
    const plain = writeManifest(manifest({}));
    await control(url(), "POST", "faults", { spec: "ListScheduleGroups:denied=1" });
    try {
      const d = await cli(url(), ["-f", plain, "drift"]);
      expect(d.code, d.stdout + d.stderr).toBe(0);
      expect(d.stderr).toContain("fleet schedules are not read: these credentials may not");
    } finally {
      await control(url(), "POST", "faults", { spec: "" });
    }
  });

  it("with schedules, a plan reads the group, one listing and the tags per kind, and one GetSchedule per schedule", async () => {
    const file = writeManifest(manifest(hours));
    const r = await apply(url(), file);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    await clearCalls(url());
    expect(changesOf(await planOf(url(), file))).toEqual({});
    expect(await schedulerCalls(url())).toEqual([
      ...Array(4).fill("scheduler:GetSchedule ok"),
      ...Array(2).fill("scheduler:ListScheduleGroups ok"),
      ...Array(2).fill("scheduler:ListSchedules ok"),
      ...Array(2).fill("scheduler:ListTagsForResource ok"),
    ]);
  });

  it("a schedule disabled by hand is shown so and enabled again by one UpdateSchedule", async () => {
    const file = writeManifest(manifest(hours));
    const scheduler = new SchedulerClient({ region: REGION, endpoint: url(), credentials: CREDENTIALS, maxAttempts: 1 });
    const stop = await scheduler.send(new GetScheduleCommand({ Name: "fleet-office-stop", GroupName: "appstreamctl-hours" }));
    await scheduler.send(new UpdateScheduleCommand({
      Name: "fleet-office-stop", GroupName: "appstreamctl-hours", State: "DISABLED", ScheduleExpression: stop.ScheduleExpression!,
      ScheduleExpressionTimezone: stop.ScheduleExpressionTimezone!, FlexibleTimeWindow: { Mode: "OFF" }, Target: stop.Target!,
    }));
    const plan = await planOf(url(), file);
    expect(changesOf(plan)).toEqual({ "FleetSchedule/office": "update" });
    expect(plan.resourceChanges.find((c) => c.address === "FleetSchedule/office")!.diff.map((d) => [d.path, d.before, d.after]))
      .toEqual([["running", "Mon-Fri 07:00-19:00 (disabled)", "Mon-Fri 07:00-19:00"]]);
    await clearCalls(url());
    const r = await apply(url(), file);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await mutations(url())).toEqual(["scheduler:UpdateSchedule fleet-office-stop"]);
    expect(changesOf(await planOf(url(), file))).toEqual({});
  });

  it("a fleet started by hand outside the window: the plan stops it, in the schedule's terms, by the emulator's clock", async () => {
    const file = writeManifest(manifest(hours));
    await advanceTo(url(), "cron(0 21 ? * MON *)");
    expect(await states(url())).toEqual({ fleet: "STOPPED", builder: "STOPPED" });
    await emulator().client.send(new StartFleetCommand({ Name: "office" }));
    const plan = await planOf(url(), file);
    expect(changesOf(plan)).toEqual({ "Fleet/office": "update" });
    const fleetChange = plan.resourceChanges.find((c) => c.address === "Fleet/office")!;
    expect(fleetChange.diff.map((d) => [d.path, d.before, d.after])).toEqual([["state", "running", "stopped"]]);
    expect(fleetChange.reason).toBe("running Mon–Fri 07:00–19:00 Europe/Berlin; now: stopped (window starts Tue 07:00); state: stopped stops the running fleet");
  });

  it("a group of the set's name tagged for another set: the schedules' creates fail, naming both sets (a partial apply)", async () => {
    const scheduler = new SchedulerClient({ region: REGION, endpoint: url(), credentials: CREDENTIALS, maxAttempts: 1 });
    await scheduler.send(new CreateScheduleGroupCommand({ Name: "appstreamctl-other", Tags: [{ Key: "appstreamctl:set", Value: "someone-else" }] }));
    const file = writeManifest(manifest(hours).replace("name: hours", "name: other").replace(/office/g, "office2").replace(/packager/g, "packager2"));
    await clearCalls(url());
    const r = await apply(url(), file);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stdout + r.stderr).toContain("schedule group appstreamctl-other exists but is not this set's (appstreamctl:set=someone-else, not other)");
    // Nothing is created in it (the SDK may repeat a refused create once when it corrects its clock offset).
    expect(new Set((await mutations(url())).filter((m) => m.startsWith("scheduler:")))).toEqual(new Set(["scheduler:CreateScheduleGroup appstreamctl-other"]));
  });
});
