/** The derived kinds (fleet associations, user associations, image permissions): derive, parents, steps. */
import { describe, expect, it } from "vitest";
import { fleetAssociation } from "../../src/kinds/fleet-association.js";
import { imagePermission } from "../../src/kinds/image-permission.js";
import { userAssociation } from "../../src/kinds/user-association.js";
import type { ManifestDoc } from "../../src/model/resource.js";
import { live, REGION, shape } from "./helpers.js";

const M: ManifestDoc = {
  apiVersion: "appstreamctl/v1", metadata: { name: "t" },
  stacks: [{ name: "s", fleet: "f" }],
  users: [{ userName: "u@example.com", stacks: ["s"], messageAction: "SUPPRESS" }],
  images: [{ name: "g", sharedWith: [{ accountId: "111122223333", allowFleet: false }] }],
};

describe("fleet association", () => {
  it("derives from a stack's fleet, owned by the stack, one per stack", () => {
    const [d] = fleetAssociation.derive(M);
    expect(d).toMatchObject({ address: "FleetAssociation/s/f", pointer: "/stacks/0/fleet", dependsOn: ["Stack/s", "Fleet/f"] });
    expect(fleetAssociation.parents(d!)).toEqual(["Stack/s", "Fleet/f"]);
    expect([fleetAssociation.exclusive!(d!.spec), fleetAssociation.readPer, fleetAssociation.removalChangesOwner]).toEqual(["s", "Stack", true]);
  });
  it("steps: associate then wait until listed; disassociate", () => {
    expect(shape(fleetAssociation.create(fleetAssociation.derive(M)[0]!, REGION))).toEqual([
      { id: "create", op: "fleet-association.create", params: { StackName: "s", FleetName: "f" }, after: [] },
      { id: "listed", op: "wait", params: { kind: "fleet-association", name: "s/f", until: "LISTED" }, after: ["create"] },
    ]);
    expect(fleetAssociation.remove(live("FleetAssociation", "s/f", { stack: "s", fleet: "f" }), REGION).map((s) => s.op)).toEqual(["fleet-association.delete"]);
  });
});

describe("user association", () => {
  it("derives from a user's stacks, owned by the user; batched 25 to a call", () => {
    const [d] = userAssociation.derive(M);
    expect(d).toMatchObject({ address: "UserAssociation/s/u@example.com", spec: { stack: "s", user: "u@example.com", notify: false } });
    expect(userAssociation.parents(d!)).toEqual(["User/u@example.com", "Stack/s"]);
    expect(userAssociation.batch).toMatchObject({ ops: ["user-association.create", "user-association.delete"], size: 25 });
    expect(shape(userAssociation.create(d!, REGION))).toEqual([
      { id: "create", op: "user-association.create", params: { StackName: "s", UserName: "u@example.com", AuthenticationType: "USERPOOL" }, after: [] },
    ]);
  });
});

describe("image permission", () => {
  it("derives from an image's sharedWith; revoking fleet permission warns", () => {
    const [d] = imagePermission.derive(M);
    expect(d).toMatchObject({ address: "ImagePermission/g/111122223333", dependsOn: ["Image/g"] });
    expect(imagePermission.parents(d!)).toEqual(["Image/g"]);
    const u = imagePermission.update(d!, live("ImagePermission", "g/111122223333", { image: "g", accountId: "111122223333", allowFleet: true }), [], REGION);
    expect(shape(u.steps)).toEqual([
      { id: "put", op: "image-permission.put", params: { Name: "g", SharedAccountId: "111122223333", ImagePermissions: { allowFleet: false, allowImageBuilder: false } }, after: [] },
    ]);
    expect(u.warnings).toEqual(["account 111122223333 loses fleet permission: its fleets using this image drop to 0 capacity"]);
  });
});
