/**
 * The guarded stop → update → start of a running fleet (and an image builder's agent update) carries its
 * restore as plan data, and a fleet or builder in transition is planned as a wait, not as "no changes".
 */
import type { ImageBuilder } from "@aws-sdk/client-appstream";
import { describe, expect, it } from "vitest";
import { parsePlanFile, renderPlanJson } from "../../src/cli/render/plan-json.js";
import { renderPlanText } from "../../src/cli/render/plan-text.js";
import { buildPlan, fingerprint } from "../../src/core/plan.js";
import type { Plan } from "../../src/core/plan-types.js";
import type { LiveResource, ManifestDoc } from "../../src/kinds/contract.js";
import { normalizeImageBuilder } from "../../src/kinds/image-builder.js";
import { FLEET, liveFleet, manifest, OWNED } from "./fixtures.js";

function plan(m: ManifestDoc, live: LiveResource[]): Plan {
  return buildPlan({ manifest: m, live, region: "eu-west-1", prune: false, createdAt: "2026-11-21T00:00:00.000Z" });
}

const ops = (p: Plan) => p.steps.map((s) => `${s.op}${s.op === "wait" ? ` ${String(s.params.until)}` : ""}`);

function liveBuilder(name: string, over: Partial<ImageBuilder> = {}): LiveResource {
  return {
    ...normalizeImageBuilder({
      Name: name, Arn: `arn:aws:appstream:eu-west-1:123456789012:image-builder/${name}`, InstanceType: "stream.standard.medium",
      ImageArn: "arn:aws:appstream:eu-west-1::image/AppStream-WinServer2022-11-12-2025", State: "RUNNING", AppstreamAgentVersion: "1.0",
      EnableDefaultInternetAccess: false, ...over,
    }),
    tags: OWNED,
  };
}
const BUILDER = { name: "b", instanceType: "stream.standard.medium", imageName: "AppStream-WinServer2022-11-12-2025" };

describe("restore as plan data", () => {
  it("a running fleet's stop guards the wait, the update and the start; its restore undoes the update and starts it again", () => {
    const p = plan(manifest({ fleets: [{ ...FLEET, instanceType: "stream.standard.large", description: "new" }] }), [liveFleet("apps")]);
    expect(ops(p)).toEqual(["fleet.stop", "wait STOPPED", "fleet.update", "fleet.start", "wait RUNNING"]);
    const [stop, ...rest] = p.steps;
    expect(rest.map((s) => s.restore)).toEqual([undefined, undefined, undefined, undefined]);
    expect(stop!.restore).toEqual({
      guards: ["Fleet/apps#stopped", "Fleet/apps#update", "Fleet/apps#start"],
      steps: [
        { id: "Fleet/apps#restore.stopped", op: "wait", params: { kind: "fleet", name: "apps", until: "STOPPED" } },
        {
          id: "Fleet/apps#restore.update", op: "fleet.update", ifDone: "Fleet/apps#update", optional: true,
          // description had no value live and has no AttributesToDelete value: AWS's default puts it back.
          params: { Name: "apps", InstanceType: "stream.standard.medium", Description: "" },
        },
        { id: "Fleet/apps#restore.start", op: "fleet.start", params: { Name: "apps" } },
        { id: "Fleet/apps#restore.running", op: "wait", params: { kind: "fleet", name: "apps", until: "RUNNING" } },
      ],
      leftIn: "STOPPED",
      manual: "aws appstream start-fleet --name apps --region eu-west-1",
    });
  });

  it("a field the fleet did not have and that can be cleared is undone with AttributesToDelete", () => {
    const p = plan(manifest({ fleets: [{ ...FLEET, iamRoleArn: "arn:aws:iam::123456789012:role/r" }] }), [liveFleet("apps")]);
    expect(p.steps[0]!.restore?.steps[1]?.params).toEqual({ Name: "apps", AttributesToDelete: ["IAM_ROLE_ARN"] });
  });

  it("a fleet meant to stay stopped has nothing to restore; nor does a live update", () => {
    const stopped = plan(manifest({ fleets: [{ ...FLEET, instanceType: "stream.standard.large", state: "stopped" }] }), [liveFleet("apps")]);
    expect(ops(stopped)).toEqual(["fleet.stop", "wait STOPPED", "fleet.update"]);
    expect(stopped.steps.some((s) => s.restore)).toBe(false);
    const live = plan(manifest({ fleets: [{ ...FLEET, displayName: "Other" }] }), [liveFleet("apps")]);
    expect(live.steps.some((s) => s.restore)).toBe(false);
  });

  it("an image builder's agent update restarts it on its old agent if the new one does not come up", () => {
    const p = plan(manifest({ imageBuilders: [{ ...BUILDER, appstreamAgentVersion: "2.0" }] }), [liveBuilder("b")]);
    expect(ops(p)).toEqual(["image-builder.stop", "wait STOPPED", "image-builder.start", "wait RUNNING"]);
    expect(p.steps[0]!.restore).toEqual({
      guards: ["ImageBuilder/b#stopped", "ImageBuilder/b#start"],
      steps: [
        { id: "ImageBuilder/b#restore.stopped", op: "wait", params: { kind: "image-builder", name: "b", until: "STOPPED" } },
        { id: "ImageBuilder/b#restore.start", op: "image-builder.start", params: { Name: "b" } },
        { id: "ImageBuilder/b#restore.running", op: "wait", params: { kind: "image-builder", name: "b", until: "RUNNING" } },
      ],
      leftIn: "STOPPED",
      manual: "aws appstream start-image-builder --name b --region eu-west-1",
    });
  });

  it("a saved plan keeps the restore: JSON → parse → JSON is byte-identical, and a restore naming an unknown step is refused", () => {
    const p = plan(manifest({ fleets: [{ ...FLEET, instanceType: "stream.standard.large" }] }), [liveFleet("apps")]);
    const text = renderPlanJson(p);
    const back = parsePlanFile(text);
    expect(back.steps[0]!.restore).toEqual(p.steps[0]!.restore);
    expect(renderPlanJson(back)).toBe(text);
    const broken = text.replace('"Fleet/apps#update",\n', '"Fleet/apps#nope",\n');
    expect(broken).not.toBe(text);
    expect(() => parsePlanFile(broken)).toThrow(/restore names unknown step "Fleet\/apps#nope"/);
  });
});

describe("transitional states are not convergence", () => {
  it.each([
    ["STARTING", "RUNNING", undefined],
    ["STOPPING", "STOPPED", "stopped"],
  ] as const)("a fleet left %s that otherwise matches: an update that waits for %s", (state, until, wanted) => {
    const p = plan(manifest({ fleets: [{ ...FLEET, ...(wanted ? { state: wanted } : {}) }] }), [liveFleet("apps", { State: state })]);
    const c = p.resourceChanges[0]!;
    expect(c.actions).toEqual(["update"]);
    expect(c.diff).toEqual([{ path: "state", before: state, after: until, sensitive: false, why: "state" }]);
    expect(p.steps).toEqual([{ id: "Fleet/apps#settle", address: "Fleet/apps", op: "wait", params: { kind: "fleet", name: "apps", until }, dependsOn: [] }]);
    const text = renderPlanText(p, { color: false });
    expect(text).toContain(`~ Fleet/apps\n    state: "${state}" → "${until}"  # run state`);
    expect(text).toContain("Plan: 0 to add, 1 to change, 0 to destroy.");
  });

  it("a STOPPING fleet that should run: wait for STOPPED, then start", () => {
    const p = plan(manifest({ fleets: [FLEET] }), [liveFleet("apps", { State: "STOPPING" })]);
    expect(ops(p)).toEqual(["wait STOPPED", "fleet.start", "wait RUNNING"]);
    expect(p.steps[1]!.dependsOn).toEqual(["Fleet/apps#settle"]);
  });

  it.each([
    ["PENDING", "RUNNING"],
    ["UPDATING_AGENT", "RUNNING"],
    ["STOPPING", "STOPPED"],
  ] as const)("an image builder left %s: the plan waits for %s", (state, until) => {
    const p = plan(manifest({ imageBuilders: [{ ...BUILDER, ...(until === "STOPPED" ? { state: "stopped" } : {}) }] }), [liveBuilder("b", { State: state })]);
    expect(p.resourceChanges[0]!.actions).toEqual(["update"]);
    expect(ops(p)).toEqual([`wait ${until}`]);
  });

  it("a saved plan that waits for a STARTING fleet is not stale once it is RUNNING, but is once it was stopped", () => {
    const starting = fingerprint(liveFleet("apps", { State: "STARTING" }));
    expect(fingerprint(liveFleet("apps", { State: "RUNNING" }))).toBe(starting);
    expect(fingerprint(liveFleet("apps", { State: "STOPPED" }))).not.toBe(starting);
    expect(fingerprint(liveFleet("apps", { State: "STOPPING" }))).toBe(fingerprint(liveFleet("apps", { State: "STOPPED" })));
  });

  it("a settled fleet or builder is no change", () => {
    const p = plan(manifest({ fleets: [FLEET], imageBuilders: [BUILDER] }), [liveFleet("apps"), liveBuilder("b")]);
    expect(p.steps).toEqual([]);
  });
});
