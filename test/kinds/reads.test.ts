/** Which kinds a plan reads, derived from the kinds' facts (kinds/reads.ts). */
import { describe, expect, it } from "vitest";
import { kindsToRead } from "../../src/kinds/reads.js";
import type { KindName } from "../../src/model/resource.js";

const read = (declared: KindName[], o: Partial<{ prune: boolean; exclusivePool: boolean; catalog: boolean }> = {}) =>
  [...kindsToRead(new Set(declared), { prune: false, exclusivePool: false, catalog: false, ...o })].sort();

describe("kindsToRead", () => {
  it("fleets alone: only fleets", () => {
    expect(read(["Fleet"])).toEqual(["Fleet"]);
  });

  it("stacks: their fleet memberships, entitlements and theme too (a stack owns them)", () => {
    expect(read(["Stack"])).toEqual(["Entitlement", "FleetAssociation", "Stack", "Theme"]);
  });

  it("users: their memberships, and the stacks those are read per (not the stacks' fleets)", () => {
    expect(read(["User"])).toEqual(["Stack", "User", "UserAssociation"]);
  });

  it("images: their shares, and every kind that may stream from one (not deleted under it)", () => {
    expect(read(["Image"])).toEqual(["Fleet", "Image", "ImageBuilder", "ImagePermission"]);
  });

  it("a selector reads the catalog's kind, nothing it would need to change images", () => {
    expect(read(["Fleet"], { catalog: true })).toEqual(["Fleet", "Image"]);
  });

  it("--prune: every taggable kind; the user pool only when exclusive", () => {
    const shared = read(["Fleet"], { prune: true });
    expect(shared).toEqual([
      "AppBlock", "AppBlockBuilder", "Application", "ApplicationFleetAssociation", "Entitlement", "Fleet", "FleetAssociation", "Image", "ImageBuilder",
      // Marked read with the builders; in a plan it reads only the builders that declare `softwares` (ctx.declared).
      "ImageBuilderSoftware", "ImagePermission", "Stack", "Theme",
    ]);
    expect(read(["Fleet"], { prune: true, exclusivePool: true })).toEqual([...shared, "User", "UserAssociation"].sort());
  });

  it("an exclusive pool with declared stacks reads their memberships of any user", () => {
    expect(read(["Stack"], { exclusivePool: true })).toEqual(["Entitlement", "FleetAssociation", "Stack", "Theme", "UserAssociation"]);
  });
});
