/**
 * Restoring service, on the executor alone: the plan of a real stop → update → start (built by the fleet
 * kind) run against a small fleet model behind the fake api, with failures and interrupts placed in it.
 */
import type { Fleet } from "@aws-sdk/client-appstream";
import { describe, expect, it } from "vitest";
import { fakeApi } from "../../src/aws/api.js";
import { applyExitCode } from "../../src/cli/commands/apply.js";
import { renderApplySummary } from "../../src/cli/render/progress.js";
import { buildPlan } from "../../src/core/plan.js";
import { FLEET, liveFleet, manifest } from "../core/fixtures.js";
import { invalid, run } from "./helpers.js";

const steps = () =>
  buildPlan({
    manifest: manifest({ fleets: [{ ...FLEET, instanceType: "stream.standard.large" }] }), live: [liveFleet("apps")],
    region: "eu-west-1", prune: false, createdAt: "2026-11-21T00:00:00.000Z",
  }).steps;

interface Faults {
  failUpdate?: boolean;
  /** How many StartFleet calls fail before one succeeds. */
  failStarts?: number;
  /** Called with the operation just handled, to interrupt at that point. */
  after?: (op: string, input: { Name?: string; InstanceType?: string }) => void;
}

/** One fleet, RUNNING on stream.standard.medium; stop and start take effect at once. */
function fleetModel(f: Faults = {}) {
  const fleet = { Name: "apps", State: "RUNNING", InstanceType: "stream.standard.medium" };
  const log: string[] = [];
  let failStarts = f.failStarts ?? 0;
  const api = fakeApi({
    StopFleet: (i) => {
      log.push("StopFleet");
      fleet.State = "STOPPED";
      f.after?.("StopFleet", i);
      return {};
    },
    UpdateFleet: (i) => {
      log.push(`UpdateFleet ${i.InstanceType}`);
      if (f.failUpdate) throw invalid("The instance type is not available in this Region");
      fleet.InstanceType = i.InstanceType!;
      f.after?.("UpdateFleet", i);
      return {};
    },
    StartFleet: (i) => {
      log.push("StartFleet");
      if (failStarts-- > 0) throw invalid("Insufficient capacity");
      fleet.State = "RUNNING";
      f.after?.("StartFleet", i);
      return {};
    },
    DescribeFleets: () => ({ Fleets: [{ ...fleet } as Fleet] }),
  });
  return { api, fleet, log };
}

describe("a fleet stopped by the apply is never left stopped", () => {
  it("UpdateFleet fails after the stop: the fleet is started again on its old configuration, and the apply exits 3", async () => {
    const m = fleetModel({ failUpdate: true });
    const { summary, status, events } = await run(m.api, steps());
    expect(m.log).toEqual(["StopFleet", "UpdateFleet stream.standard.large", "StartFleet"]);
    expect([m.fleet.State, m.fleet.InstanceType]).toEqual(["RUNNING", "stream.standard.medium"]);
    expect(status).toEqual({
      "Fleet/apps#stop": "done", "Fleet/apps#stopped": "done", "Fleet/apps#update": "failed", "Fleet/apps#start": "skipped", "Fleet/apps#running": "skipped",
    });
    expect(summary.restores).toEqual([{
      address: "Fleet/apps", status: "restored", reason: "Fleet/apps#update failed", leftIn: "STOPPED",
      manual: "aws appstream start-fleet --name apps --region eu-west-1",
    }]);
    expect(summary.runStates).toEqual([{ address: "Fleet/apps", state: "RUNNING", seen: "waited" }]);
    expect(events.filter((e) => e.type === "restore").map((e) => e.type === "restore" && e.phase)).toEqual(["start", "restored"]);
    expect(applyExitCode(summary)).toBe(3);
    const text = renderApplySummary(summary, []);
    expect(text).toContain("  ↺ Fleet/apps — put back into service as it was before this apply (Fleet/apps#update failed)\n");
    expect(text).toContain("Run state:\n  Fleet/apps: RUNNING\n");
    expect(text).not.toContain("is left");
  });

  it("StartFleet fails after the update: the update is undone and the fleet started again", async () => {
    const m = fleetModel({ failStarts: 1 });
    const { summary } = await run(m.api, steps());
    expect(m.log).toEqual(["StopFleet", "UpdateFleet stream.standard.large", "StartFleet", "UpdateFleet stream.standard.medium", "StartFleet"]);
    expect([m.fleet.State, m.fleet.InstanceType]).toEqual(["RUNNING", "stream.standard.medium"]);
    expect(summary.restores.map((r) => [r.status, r.reason])).toEqual([["restored", "Fleet/apps#start failed"]]);
    expect(applyExitCode(summary)).toBe(3);
  });

  it("the restart fails too: the summary says the fleet is left STOPPED and gives the command that restarts it", async () => {
    const m = fleetModel({ failStarts: 2 });
    const { summary } = await run(m.api, steps());
    expect(summary.restores.map((r) => [r.status, r.detail])).toEqual([
      ["failed", "fleet.start failed: StartFleet Fleet/apps failed: InvalidParameterCombinationException: Insufficient capacity"],
    ]);
    expect(summary.runStates).toEqual([{ address: "Fleet/apps", state: "STOPPED", seen: "read" }]);
    const text = renderApplySummary(summary, []);
    expect(text).toContain(
      "Fleet/apps is left STOPPED: this apply took it out of service (Fleet/apps#start failed) and its restart failed: fleet.start failed:",
    );
    expect(text).toContain("  Restart it with: aws appstream start-fleet --name apps --region eu-west-1\n");
    expect(applyExitCode(summary)).toBe(3);
  });

  it("first Ctrl-C right after the stop: nothing new starts, but the fleet is started again (no update sent), exit 130", async () => {
    const interrupt = new AbortController();
    const m = fleetModel({ after: (op) => op === "StopFleet" && interrupt.abort(new Error("Ctrl-C")) });
    const { summary, status } = await run(m.api, steps(), { signal: interrupt.signal, hardSignal: new AbortController().signal });
    expect(m.log).toEqual(["StopFleet", "StartFleet"]);
    expect(m.fleet.State).toBe("RUNNING");
    expect(status["Fleet/apps#update"]).toBe("not-started");
    expect(summary.restores.map((r) => [r.status, r.reason])).toEqual([["restored", "the apply was interrupted"]]);
    expect(applyExitCode(summary)).toBe(130);
  });

  it("Ctrl-C while UpdateFleet is in flight: the update lands, so the restore undoes it before the restart", async () => {
    const interrupt = new AbortController();
    const m = fleetModel({ after: (op, i) => op === "UpdateFleet" && i.InstanceType === "stream.standard.large" && interrupt.abort(new Error("Ctrl-C")) });
    await run(m.api, steps(), { signal: interrupt.signal });
    expect(m.log).toEqual(["StopFleet", "UpdateFleet stream.standard.large", "UpdateFleet stream.standard.medium", "StartFleet"]);
    expect([m.fleet.State, m.fleet.InstanceType]).toEqual(["RUNNING", "stream.standard.medium"]);
  });

  it("second Ctrl-C during the restore: it is abandoned, the run ends at once, and the summary names the fleet left STOPPED", async () => {
    const interrupt = new AbortController();
    const hard = new AbortController();
    const m = fleetModel({
      after: (op, i) => {
        if (op === "UpdateFleet" && i.InstanceType === "stream.standard.large") interrupt.abort(new Error("Ctrl-C"));
        if (op === "UpdateFleet" && i.InstanceType === "stream.standard.medium") hard.abort(new Error("Ctrl-C again"));
      },
    });
    const { summary } = await run(m.api, steps(), { signal: interrupt.signal, hardSignal: hard.signal });
    expect(m.log).toEqual(["StopFleet", "UpdateFleet stream.standard.large", "UpdateFleet stream.standard.medium"]);
    expect(m.fleet.State).toBe("STOPPED");
    expect(summary.restores).toEqual([{
      address: "Fleet/apps", status: "abandoned", reason: "the apply was interrupted", detail: "abandoned by the second interrupt",
      leftIn: "STOPPED", manual: "aws appstream start-fleet --name apps --region eu-west-1",
    }]);
    // Nothing is read after the second Ctrl-C.
    expect(summary.runStates).toEqual([{ address: "Fleet/apps", state: "STOPPED", seen: "last-seen" }]);
    const text = renderApplySummary(summary, []);
    expect(text).toContain("Fleet/apps is left STOPPED: this apply took it out of service (the apply was interrupted) and its restart was abandoned by the second Ctrl-C.\n");
    expect(text).toContain("  Restart it with: aws appstream start-fleet --name apps --region eu-west-1\n");
    expect(applyExitCode(summary)).toBe(130);
  });
});
