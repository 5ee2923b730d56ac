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
    const h = fieldHolders(m);
    expect([[...h.get("Entitlement")!], [...h.get("Theme")!], [...h.get("Scaling")!]]).toEqual([["Stack/b"], ["Stack/a"], []]);
  });

  it("users: their memberships, and the stacks those are read per (not the stacks' fleets)", () => {
    expect(read(["User"])).toEqual(["Stack", "User", "UserAssociation"]);
  });

  it("images: their shares, and every kind that may stream from one (not deleted under it)", () => {
    expect(read(["Image"])).toEqual(["Fleet", "Image", "ImageBuilder", "ImagePermission"]);
  });

  it("image exports only where an image declares one (an export is never deleted, so nothing undeclared matters)", () => {
    expect(read(["Image", "ImageExport"])).toEqual(["Fleet", "Image", "ImageBuilder", "ImageExport", "ImagePermission"]);
    expect(read(["Fleet"], { prune: true })).not.toContain("ImageExport");
  });

  it("a selector reads the catalog's kind, nothing it would need to change images", () => {
    expect(read(["Fleet"], { catalog: true })).toEqual(["Fleet", "Image"]);
  });

  it("--prune: every taggable kind; the user pool only when exclusive", () => {
    const shared = read(["Fleet"], { prune: true });
    expect(shared).toEqual([
      "AppBlock", "AppBlockBuilder", "Application", "ApplicationFleetAssociation", "Entitlement", "Fleet", "FleetAssociation", "FleetSchedule", "Image", "ImageBuilder",
      "ImageBuilderSchedule", "ImageBuilderSoftware", "ImagePermission", "Scaling", "Stack", "Theme",
    ]);
    expect(read(["Fleet"], { prune: true, exclusivePool: true })).toEqual([...shared, "User", "UserAssociation"].sort());
  });

  it("a fleet's scaling and run-state schedule only where some fleet writes the field (or --prune may delete fleets)", () => {
    expect(read(["Fleet"])).toEqual(["Fleet"]);
    expect(read(["Fleet", "Scaling"])).toEqual(["Fleet", "Scaling"]);
    const holders = new Map<KindName, Set<string>>([["FleetSchedule", new Set(["Fleet/a"])]]);
    expect(read(["Fleet"], { holders })).toEqual(["Fleet", "FleetSchedule"]);
    expect(read(["Fleet"], { prune: true })).toContain("FleetSchedule");
  });

  it("an exclusive pool with declared stacks reads their memberships of any user", () => {
    expect(read(["Stack"], { exclusivePool: true })).toEqual(["FleetAssociation", "Stack", "UserAssociation"]);
  });
});
