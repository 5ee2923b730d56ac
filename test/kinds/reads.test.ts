/** Which kinds a plan reads, derived from the kinds' facts (kinds/reads.ts). */
import { describe, expect, it } from "vitest";
import { fieldHolders, kindsToRead } from "../../src/kinds/reads.js";
import type { KindName, ManifestDoc } from "../../src/model/resource.js";

type Needs = Partial<{ prune: boolean; exclusivePool: boolean; catalog: boolean; holders: Map<KindName, Set<string>> }>;
const read = (declared: KindName[], o: Needs = {}) =>
  [...kindsToRead(new Set(declared), { prune: false, exclusivePool: false, catalog: false, ...o })].sort();

describe("kindsToRead", () => {
  it("fleets alone: only fleets", () => {
    expect(read(["Fleet"])).toEqual(["Fleet"]);
  });

  it("stacks: their fleet memberships; entitlements and themes only where some stack writes the field", () => {
    expect(read(["Stack"])).toEqual(["FleetAssociation", "Stack"]);
    const holders = new Map<KindName, Set<string>>([["Theme", new Set(["Stack/a"])], ["Entitlement", new Set()]]);
    expect(read(["Stack"], { holders })).toEqual(["FleetAssociation", "Stack", "Theme"]);
  });

  it("fieldHolders: the stacks that write `theme` / `entitlements`, `none` and `[]` included", () => {
    const m = {
      apiVersion: "appstreamctl/v1", metadata: { name: "s" },
      stacks: [{ name: "a", theme: "none" }, { name: "b", entitlements: [] }, { name: "c" }],
    } as unknown as ManifestDoc;
    expect(Object.fromEntries([...fieldHolders(m)].map(([k, v]) => [k, [...v]]))).toEqual({ Entitlement: ["Stack/b"], Theme: ["Stack/a"] });
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
      "ImagePermission", "Stack", "Theme",
    ]);
    expect(read(["Fleet"], { prune: true, exclusivePool: true })).toEqual([...shared, "User", "UserAssociation"].sort());
  });

  it("an exclusive pool with declared stacks reads their memberships of any user", () => {
    expect(read(["Stack"], { exclusivePool: true })).toEqual(["FleetAssociation", "Stack", "UserAssociation"]);
  });
});
