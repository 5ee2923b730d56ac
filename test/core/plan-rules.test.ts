import { describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors.js";
import { buildPlan } from "../../src/core/plan.js";
import type { Plan } from "../../src/core/plan-types.js";
import { toposort } from "../../src/core/toposort.js";
import type { LiveResource, ManifestDoc } from "../../src/kinds/contract.js";
import { FLEET, fleetAssoc, liveFleet, liveStack, manifest, OWNED } from "./fixtures.js";

function plan(m: ManifestDoc, live: LiveResource[], prune = false): Plan {
  return buildPlan({ manifest: m, live, region: "us-east-1", prune, createdAt: "2026-11-21T00:00:00.000Z" });
}
const actions = (p: Plan) => Object.fromEntries(p.resourceChanges.map((c) => [c.address, c.actions.join(",")]));

describe("no false diffs", () => {
  it("a live estate with AWS-filled defaults plans to no-op everywhere", () => {
    const m = manifest({
      fleets: [{ ...FLEET, vpcConfig: { subnetIds: ["subnet-b", "subnet-a"], securityGroupIds: ["sg-1"] } }],
      stacks: [{ name: "s", fleet: "apps", userSettings: { FILE_DOWNLOAD: "DISABLED" }, storageConnectors: [{ connectorType: "HOMEFOLDERS" }] }],
    });
    const live = [
      // subnets in another order, image echoed by name and ARN, timeouts and stream view at defaults
      liveFleet("apps", { VpcConfig: { SubnetIds: ["subnet-a", "subnet-b"], SecurityGroupIds: ["sg-1"] }, Description: "" }),
      // every action reported, with the service's defaults and a service-filled clipboard length
      liveStack("s", {
        StorageConnectors: [{ ConnectorType: "HOMEFOLDERS" }],
        UserSettings: [
          { Action: "CLIPBOARD_COPY_FROM_LOCAL_DEVICE", Permission: "ENABLED", MaximumLength: 20971520 },
          { Action: "FILE_DOWNLOAD", Permission: "DISABLED" },
          { Action: "AUTO_TIME_ZONE_REDIRECTION", Permission: "DISABLED" },
        ],
      }),
      fleetAssoc("s", "apps"),
    ];
    const p = plan(m, live);
    expect(actions(p)).toEqual({ "Fleet/apps": "no-op", "Stack/s": "no-op", "FleetAssociation/s/apps": "no-op" });
    expect(p.steps).toEqual([]);
    expect(p.summary).toEqual({ add: 0, change: 0, destroy: 0, disruptive: 0 });
  });

  it("imageArn in the manifest compares on the ARN only", () => {
    const arn = "arn:aws:appstream:us-east-1::image/AppStream-WinServer2022-11-12-2025";
    const { imageName: _n, ...rest } = FLEET;
    expect(actions(plan(manifest({ fleets: [{ ...rest, imageArn: arn }] }), [liveFleet("apps")]))["Fleet/apps"]).toBe("no-op");
  });

  it("an action the manifest does not declare is not compared; a declared one is", () => {
    const m = manifest({ stacks: [{ name: "s", userSettings: { FILE_UPLOAD: "DISABLED" } }] });
    expect(actions(plan(m, [liveStack("s", { UserSettings: [{ Action: "FILE_UPLOAD", Permission: "DISABLED" }, { Action: "PRINTING_TO_LOCAL_DEVICE", Permission: "DISABLED" }] })]))["Stack/s"]).toBe("no-op");
    const p = plan(m, [liveStack("s")]);
    expect(p.steps[0]!.params).toEqual({ Name: "s", UserSettings: [{ Action: "FILE_UPLOAD", Permission: "DISABLED" }] });
  });
});

describe("prune, ownership and protection", () => {
  const foreign = liveFleet("theirs", {}, { "appstreamctl:set": "other" });
  const untagged = liveFleet("handmade", {}, {});
  const ours = liveFleet("old", { State: "STOPPED" });

  it("without --prune nothing absent from the manifest is deleted", () => {
    const p = plan(manifest(), [foreign, untagged, ours]);
    expect(p.resourceChanges).toEqual([]);
  });

  it("with --prune only resources carrying this set's tag are deleted", () => {
    const p = plan(manifest(), [foreign, untagged, ours], true);
    expect(actions(p)).toEqual({ "Fleet/old": "delete" });
    expect(p.steps.map((s) => s.op)).toEqual(["fleet.delete", "wait"]);
  });

  it("a pruned running fleet is disassociated, stopped, deleted, in that order", () => {
    const p = plan(manifest({ stacks: [{ name: "s" }] }), [liveFleet("old"), liveStack("s"), fleetAssoc("s", "old")], true);
    expect(p.steps.map((s) => `${s.address} ${s.op}`)).toEqual([
      "FleetAssociation/s/old fleet-association.delete",
      "Fleet/old fleet.stop",
      "Fleet/old wait",
      "Fleet/old fleet.delete",
      "Fleet/old wait",
    ]);
    expect(p.steps[1]!.dependsOn).toEqual(["FleetAssociation/s/old#destroy.delete"]);
  });

  it("protect: true is kept as a tag, and blocks a prune with an error naming the resource", () => {
    const p = plan(manifest({ fleets: [{ ...FLEET, protect: true }] }), [liveFleet("apps")]);
    expect(p.steps.find((s) => s.op === "tags.update")!.params).toMatchObject({ add: { "appstreamctl:protect": "true" } });
    const err = (() => {
      try {
        plan(manifest(), [liveFleet("apps", {}, { ...OWNED, "appstreamctl:protect": "true" })], true);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("plan.protected");
    expect((err as AppError).message).toContain("Fleet/apps");
  });

  it("users are pruned only when metadata.userPool is exclusive", () => {
    const u: LiveResource = { kind: "User", name: "x@example.com", address: "User/x@example.com", spec: { userName: "x@example.com", enabled: true } };
    expect(plan(manifest(), [u], true).resourceChanges).toEqual([]);
    expect(actions(plan(manifest({ metadata: { name: "t", userPool: "exclusive" } }), [u], true))).toEqual({ "User/x@example.com": "delete" });
  });

  it("a declared user's stacks are exact, with or without --prune; memberships of users managed elsewhere stay", () => {
    const assoc = (user: string): LiveResource => ({ kind: "UserAssociation", name: `s/${user}`, address: `UserAssociation/s/${user}`, spec: { stack: "s", user } });
    const user: LiveResource = { kind: "User", name: "x@example.com", address: "User/x@example.com", spec: { userName: "x@example.com", enabled: true, authenticationType: "USERPOOL" } };
    const p = plan(manifest({ stacks: [{ name: "s" }], users: [{ userName: "x@example.com" }] }), [liveStack("s"), user, assoc("x@example.com"), assoc("other@example.com")]);
    expect(actions(p)).toEqual({ "Stack/s": "no-op", "User/x@example.com": "no-op", "UserAssociation/s/x@example.com": "delete" });
    // An exclusive pool: the manifest speaks for every membership of the stacks it declares.
    const exclusive = plan(manifest({ metadata: { name: "t", userPool: "exclusive" }, stacks: [{ name: "s" }], users: [{ userName: "x@example.com" }] }), [liveStack("s"), user, assoc("x@example.com"), assoc("other@example.com")]);
    expect(actions(exclusive)["UserAssociation/s/other@example.com"]).toBe("delete");
  });
});

describe("ordering", () => {
  it("reports a dependency cycle as the path that closes it", () => {
    const deps: Record<string, string[]> = { a: ["b"], b: ["c"], c: ["a"] };
    expect(() => toposort(["a", "b", "c"], (id) => deps[id] ?? [])).toThrow("dependency cycle: a → b → c → a");
  });

  it("keeps input order among independent ids", () => {
    expect(toposort(["x", "y", "z"], () => [])).toEqual(["x", "y", "z"]);
    expect(toposort(["x", "y", "z"], (id) => (id === "x" ? ["z"] : []))).toEqual(["z", "x", "y"]);
  });
});

describe("write-only secrets", () => {
  const dc = { directoryName: "corp.example.com", organizationalUnitDistinguishedNames: ["OU=a"], serviceAccountCredentials: { accountName: "CORP\\svc", accountPassword: "hunter2-secret" } };
  const live: LiveResource = {
    kind: "DirectoryConfig", name: "corp.example.com", address: "DirectoryConfig/corp.example.com",
    spec: { directoryName: "corp.example.com", organizationalUnitDistinguishedNames: ["OU=a"], serviceAccountCredentials: { accountName: "CORP\\svc" } },
  };

  it("the password is never compared, so an unchanged directory config is a no-op", () => {
    expect(actions(plan(manifest({ directoryConfigs: [dc] }), [live]))).toEqual({ "DirectoryConfig/corp.example.com": "no-op" });
  });

  it("--rotate sends it deliberately, as a placeholder, shown only as (sensitive)", () => {
    const p = buildPlan({ manifest: manifest({ directoryConfigs: [dc] }), live: [live], region: "us-east-1", prune: false, createdAt: "x", rotate: ["DirectoryConfig/corp.example.com"] });
    const c = p.resourceChanges[0]!;
    expect(c.actions).toEqual(["update"]);
    expect(c.diff).toEqual([{ path: "serviceAccountCredentials.accountPassword", before: "(sensitive)", after: "(sensitive)", sensitive: true, why: "write-only" }]);
    expect(p.steps[0]!.params).toEqual({
      DirectoryName: "corp.example.com",
      ServiceAccountCredentials: { AccountName: "CORP\\svc", AccountPassword: { $secret: "/directoryConfigs/0/serviceAccountCredentials/accountPassword" } },
    });
    expect(JSON.stringify(p)).not.toContain("hunter2-secret");
  });

  it("an account-name change sends name and password together", () => {
    const p = plan(manifest({ directoryConfigs: [{ ...dc, serviceAccountCredentials: { accountName: "CORP\\svc2", accountPassword: "x-secret-x" } }] }), [live]);
    expect(p.steps[0]!.params.ServiceAccountCredentials).toEqual({ AccountName: "CORP\\svc2", AccountPassword: { $secret: "/directoryConfigs/0/serviceAccountCredentials/accountPassword" } });
    expect(JSON.stringify(p)).not.toContain("x-secret-x");
  });
});

describe("user groups", () => {
  it("stand for the users they list: each member planned as a user with the group's stacks and settings", () => {
    const m = manifest({
      stacks: [{ name: "training" }],
      userGroups: [{ name: "cohort", stacks: ["training"], messageAction: "SUPPRESS", userNames: ["a@example.com", "b@example.com"] }],
    });
    const p = plan(m, [liveStack("training")]);
    expect(actions(p)).toEqual({
      "Stack/training": "no-op",
      "User/a@example.com": "create",
      "User/b@example.com": "create",
      "UserAssociation/training/a@example.com": "create",
      "UserAssociation/training/b@example.com": "create",
    });
    expect(p.steps.find((s) => s.address === "User/a@example.com")!.params).toEqual({ UserName: "a@example.com", AuthenticationType: "USERPOOL", MessageAction: "SUPPRESS" });
    expect(p.steps.find((s) => s.address === "UserAssociation/training/b@example.com")!.params).toEqual({ StackName: "training", UserName: "b@example.com", AuthenticationType: "USERPOOL" });
  });
});

describe("write-only fields the service never returns", () => {
  it("a user's messageAction is sent at create and never compared afterwards", () => {
    const u: LiveResource = { kind: "User", name: "a@example.com", address: "User/a@example.com", spec: { userName: "a@example.com", enabled: true, authenticationType: "USERPOOL" } };
    const p = plan(manifest({ users: [{ userName: "a@example.com", messageAction: "SUPPRESS" }] }), [u]);
    expect(actions(p)).toEqual({ "User/a@example.com": "no-op" });
  });
});

describe("resources still settling", () => {
  it("an image still importing is waited for before its shares (a re-run after an interrupted apply)", () => {
    const img: LiveResource = { kind: "Image", name: "golden", address: "Image/golden", spec: { name: "golden" }, state: "IMPORTING", tags: OWNED };
    const m = manifest({ images: [{ name: "golden", source: { importFromAmi: { sourceAmiId: "ami-0123456789abcdef0", iamRoleArn: "arn:aws:iam::123456789012:role/r" } }, sharedWith: [{ accountId: "111122223333" }] }] });
    const p = plan(m, [img]);
    const c = p.resourceChanges.find((x) => x.address === "Image/golden")!;
    expect(c.actions).toEqual(["update"]);
    expect(c.diff).toEqual([{ path: "state", before: "IMPORTING", after: "AVAILABLE", sensitive: false, why: "state" }]);
    const wait = p.steps.find((s) => s.address === "Image/golden")!;
    expect(wait.params).toEqual({ kind: "image", name: "golden", until: "AVAILABLE" });
    expect(p.steps.find((s) => s.op === "image-permission.put")!.dependsOn).toEqual([wait.id]);
  });
});

describe("ignoreChanges", () => {
  it("an autoscaled capacity and an ignored tag are left as they are live", () => {
    const m = manifest({ fleets: [{ ...FLEET, ignoreChanges: ["computeCapacity.desiredInstances", "tags.cost"] }] });
    const p = plan(m, [liveFleet("apps", { ComputeCapacityStatus: { Desired: 7, Running: 7 } }, { ...OWNED, cost: "by-finance" })]);
    expect(actions(p)).toEqual({ "Fleet/apps": "no-op" });
    const changed = plan(manifest({ fleets: [{ ...FLEET, displayName: "New", ignoreChanges: ["computeCapacity"] }] }), [liveFleet("apps", { ComputeCapacityStatus: { Desired: 7 } })]);
    expect(changed.steps.find((s) => s.op === "fleet.update")!.params).toEqual({ Name: "apps", DisplayName: "New" });
  });
});

describe("images in use are never deleted", () => {
  const oldImage: LiveResource = { kind: "Image", name: "old", address: "Image/old", spec: { name: "old" }, state: "AVAILABLE", tags: OWNED, arn: "arn:aws:appstream:us-east-1:123456789012:image/old" };
  const share: LiveResource = { kind: "ImagePermission", name: "old/111122223333", address: "ImagePermission/old/111122223333", spec: { image: "old", accountId: "111122223333", allowFleet: true } };

  it("a pruned image still used by a fleet outside the manifest is kept, and the plan names the fleet", () => {
    const p = plan(manifest(), [oldImage, share, liveFleet("theirs", { ImageName: "old", ImageArn: oldImage.arn }, {})], true);
    const c = p.resourceChanges.find((x) => x.address === "Image/old")!;
    expect(c.actions).toEqual(["no-op"]);
    expect(c.warnings).toEqual(["not deleted: still used by Fleet/theirs"]);
    expect(p.steps).toEqual([]);
  });

  it("a managed fleet moving to another image goes first; then the image and its share go", () => {
    const p = plan(manifest({ fleets: [{ ...FLEET, imageName: "new" }] }), [oldImage, share, liveFleet("apps", { ImageName: "old", State: "STOPPED" })], true);
    const order = p.steps.map((s) => `${s.address} ${s.op}`);
    expect(order.indexOf("Fleet/apps fleet.update")).toBeLessThan(order.indexOf("Image/old image.delete"));
    expect(order.indexOf("ImagePermission/old/111122223333 image-permission.delete")).toBeLessThan(order.indexOf("Image/old image.delete"));
    expect(p.resourceChanges.find((x) => x.address === "ImagePermission/old/111122223333")!.warnings).toEqual([
      "account 111122223333 loses fleet permission: its fleets using this image drop to 0 capacity",
    ]);
  });
});

describe("associations outside the manifest around a fleet that goes", () => {
  it("a replaced fleet: the foreign stack's association is removed first and made again after", () => {
    const p = plan(manifest({ fleets: [{ ...FLEET, fleetType: "ALWAYS_ON" }] }), [liveFleet("apps"), liveStack("theirs", {}, {}), fleetAssoc("theirs", "apps")]);
    expect(actions(p)).toEqual({ "Fleet/apps": "delete,create", "FleetAssociation/theirs/apps": "delete,create" });
    const order = p.steps.map((s) => `${s.address} ${s.op}`);
    expect(order.indexOf("FleetAssociation/theirs/apps fleet-association.delete")).toBeLessThan(order.indexOf("Fleet/apps fleet.delete"));
    expect(order.indexOf("Fleet/apps fleet.create")).toBeLessThan(order.indexOf("FleetAssociation/theirs/apps fleet-association.create"));
  });

  it("a pruned fleet: the foreign stack keeps its fleet; the plan refuses, naming the stack", () => {
    const err = (() => {
      try {
        plan(manifest(), [liveFleet("old"), liveStack("theirs", {}, {}), fleetAssoc("theirs", "old")], true);
      } catch (e) {
        return e as AppError;
      }
    })();
    expect(err?.code).toBe("plan.foreign-association");
    expect(err?.message).toContain("Fleet/old is to be deleted, but FleetAssociation/theirs/old ties it to Stack/theirs");
  });
});
