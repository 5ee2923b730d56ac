/**
 * Ownership is never crossed (pure planner): a declared resource tagged with another set fails the plan
 * naming both sets unless `adopt` names it; a prune that would take a fleet from a stack this set does
 * not own is refused, naming the stack.
 */
import { describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors.js";
import { buildPlan, type PlanInput } from "../../src/core/plan.js";
import type { Plan } from "../../src/core/plan-types.js";
import type { LiveResource, ManifestDoc } from "../../src/kinds/contract.js";
import { FLEET, fleetAssoc, liveFleet, liveStack, manifest, OWNED } from "./fixtures.js";

const OTHER = { "appstreamctl:set": "other-team" };

function plan(m: ManifestDoc, live: LiveResource[], extra: Partial<PlanInput> = {}): Plan {
  return buildPlan({ manifest: m, live, region: "us-east-1", prune: false, createdAt: "2026-11-21T00:00:00.000Z", ...extra });
}

function failure(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected the plan to fail");
}

describe("a declared resource that another set owns", () => {
  const m = manifest({ fleets: [FLEET], stacks: [{ name: "s" }] });

  it("fails the plan with plan.foreign-owner, naming the resource and both sets", () => {
    const err = failure(() => plan(m, [liveFleet("apps", { InstanceType: "stream.standard.large" }, OTHER), liveStack("s")]));
    expect(err.code).toBe("plan.foreign-owner");
    expect(err.message.split("\n")[0]).toBe(
      'Fleet/apps belongs to the set "other-team" (tag appstreamctl:set=other-team), not to this manifest\'s set "t"',
    );
    expect(err.message).toContain("--adopt Fleet/apps");
  });

  it("fails even when nothing but the tag differs, and lists every such resource", () => {
    const err = failure(() => plan(m, [liveFleet("apps", {}, OTHER), liveStack("s", {}, { "appstreamctl:set": "third" })]));
    expect(err.message.split("\n").slice(0, 2)).toEqual([
      'Fleet/apps belongs to the set "other-team" (tag appstreamctl:set=other-team), not to this manifest\'s set "t"',
      'Stack/s belongs to the set "third" (tag appstreamctl:set=third), not to this manifest\'s set "t"',
    ]);
    expect(err.message).toContain("--adopt Fleet/apps --adopt Stack/s");
  });

  it("an untagged resource the manifest names is adopted by naming it (the tag is added)", () => {
    const p = plan(m, [liveFleet("apps", {}, {}), liveStack("s")]);
    expect(p.steps.map((s) => `${s.address} ${s.op}`)).toEqual(["Fleet/apps tags.update"]);
    expect(p.steps[0]!.params).toMatchObject({ add: { "appstreamctl:set": "t" }, remove: [] });
  });

  it("--adopt takes it over: the plan re-tags it and says from which set", () => {
    const p = plan(m, [liveFleet("apps", {}, OTHER), liveStack("s")], { adopt: ["Fleet/apps"] });
    expect(p.steps.map((s) => `${s.address} ${s.op}`)).toEqual(["Fleet/apps tags.update"]);
    expect(p.steps[0]!.params).toMatchObject({ add: { "appstreamctl:set": "t" } });
    expect(p.resourceChanges.find((c) => c.address === "Fleet/apps")!.warnings).toEqual([
      'adopted from the set "other-team" (--adopt): re-tagged appstreamctl:set=t',
    ]);
    expect(p.warnings).toEqual([]);
  });

  it("--adopt of an address that no other set owns, or that is not declared, is a plan warning", () => {
    const p = plan(m, [liveFleet("apps"), liveStack("s")], { adopt: ["Fleet/apps", "Fleet/typo"] });
    expect(p.warnings).toEqual([
      "--adopt Fleet/apps: no other set owns it; nothing to adopt",
      "--adopt Fleet/typo: the manifest declares no such resource",
    ]);
    expect(p.steps).toEqual([]);
  });

  it("a --target run that leaves it out plans the rest", () => {
    const p = plan(m, [liveFleet("apps", {}, OTHER), liveStack("s", { Description: "old" })], { targets: ["Stack/s"] });
    expect(p.resourceChanges.map((c) => `${c.address} ${c.actions.join()}`)).toEqual(["Stack/s update"]);
  });
});

describe("pruning a fleet that a stack outside this set streams from", () => {
  it("is refused, naming the stack; nothing is planned", () => {
    const err = failure(() => plan(manifest(), [liveFleet("old"), liveStack("theirs", {}, OTHER), fleetAssoc("theirs", "old")], { prune: true }));
    expect(err.code).toBe("plan.foreign-association");
    expect(err.message.split("\n")[0]).toBe(
      'Fleet/old is to be deleted, but FleetAssociation/theirs/old ties it to Stack/theirs, which this manifest\'s set "t" does not own: deleting Fleet/old would change Stack/theirs',
    );
  });

  it("goes ahead when the stack is this set's: declared, or owned and pruned too", () => {
    const declared = plan(manifest({ stacks: [{ name: "mine" }] }), [liveFleet("old"), liveStack("mine"), fleetAssoc("mine", "old")], { prune: true });
    expect(declared.resourceChanges.map((c) => `${c.address} ${c.actions.join()}`).sort()).toEqual([
      "Fleet/old delete", "FleetAssociation/mine/old delete", "Stack/mine no-op",
    ]);
    const pruned = plan(manifest(), [liveFleet("old"), liveStack("mine", {}, OWNED), fleetAssoc("mine", "old")], { prune: true });
    expect(pruned.resourceChanges.map((c) => `${c.address} ${c.actions.join()}`).sort()).toEqual([
      "Fleet/old delete", "FleetAssociation/mine/old delete", "Stack/mine delete",
    ]);
  });

  it("a replaced fleet still re-associates the foreign stack (it keeps its fleet)", () => {
    const p = plan(manifest({ fleets: [{ ...FLEET, fleetType: "ALWAYS_ON" }] }), [liveFleet("apps"), liveStack("theirs", {}, OTHER), fleetAssoc("theirs", "apps")]);
    expect(p.resourceChanges.find((c) => c.address === "FleetAssociation/theirs/apps")!.actions).toEqual(["delete", "create"]);
  });
});
