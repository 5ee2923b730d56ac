import { describe, expect, it } from "vitest";
import { buildPlan } from "../../src/core/plan.js";
import type { Plan } from "../../src/core/plan-types.js";
import type { LiveResource, ManifestDoc } from "../../src/kinds/contract.js";
import { FLEET, fleetAssoc, liveFleet, liveStack, manifest } from "./fixtures.js";

function plan(m: ManifestDoc, live: LiveResource[], prune = false): Plan {
  return buildPlan({ manifest: m, live, region: "us-east-1", prune, createdAt: "2026-11-21T00:00:00.000Z" });
}

const change = (p: Plan, address: string) => p.resourceChanges.find((c) => c.address === address)!;
const ops = (p: Plan, address: string) => p.steps.filter((s) => s.address === address).map((s) => s.op);

describe("one test per update mode (issue #4)", () => {
  it("a running fleet whose displayName changes: live update, no disruption, no stop", () => {
    const p = plan(manifest({ fleets: [{ ...FLEET, displayName: "Apps 2" }] }), [liveFleet("apps")]);
    const c = change(p, "Fleet/apps");
    expect(c.actions).toEqual(["update"]);
    expect(c.disruption).toBe("none");
    expect(c.diff).toEqual([{ path: "displayName", before: "Apps", after: "Apps 2", sensitive: false, why: "live" }]);
    expect(ops(p, "Fleet/apps")).toEqual(["fleet.update"]);
    expect(p.steps[0]!.params).toEqual({ Name: "apps", DisplayName: "Apps 2" });
  });

  it("instanceType on a running fleet: one stop → wait → update → start → wait, fleet-restart", () => {
    const p = plan(manifest({ fleets: [{ ...FLEET, instanceType: "stream.standard.large" }] }), [liveFleet("apps")]);
    const c = change(p, "Fleet/apps");
    expect(c.actions).toEqual(["update"]);
    expect(c.disruption).toBe("fleet-restart");
    expect(c.reason).toBe("instanceType requires a stopped fleet: stop → update → start");
    expect(ops(p, "Fleet/apps")).toEqual(["fleet.stop", "wait", "fleet.update", "fleet.start", "wait"]);
    const [stop, stopped, update, start, running] = p.steps;
    expect(stopped!.params).toEqual({ kind: "fleet", name: "apps", until: "STOPPED" });
    expect(update!.params).toEqual({ Name: "apps", InstanceType: "stream.standard.large" });
    expect(update!.dependsOn).toEqual([stopped!.id]);
    expect(start!.dependsOn).toEqual([update!.id]);
    expect(running!.params).toEqual({ kind: "fleet", name: "apps", until: "RUNNING" });
    expect(stop!.dependsOn).toEqual([]);
  });

  it("instanceType and vpcConfig together: still one stop and one start", () => {
    const p = plan(
      manifest({ fleets: [{ ...FLEET, instanceType: "stream.standard.large", vpcConfig: { subnetIds: ["subnet-1"] } }] }),
      [liveFleet("apps")],
    );
    expect(ops(p, "Fleet/apps")).toEqual(["fleet.stop", "wait", "fleet.update", "fleet.start", "wait"]);
    expect(change(p, "Fleet/apps").reason).toBe("instanceType, vpcConfig require a stopped fleet: stop → update → start");
  });

  it("the same change on a stopped fleet: just UpdateFleet, and the fleet stays stopped", () => {
    const p = plan(
      manifest({ fleets: [{ ...FLEET, instanceType: "stream.standard.large", state: "stopped" }] }),
      [liveFleet("apps", { State: "STOPPED" })],
    );
    expect(ops(p, "Fleet/apps")).toEqual(["fleet.update"]);
    expect(change(p, "Fleet/apps").disruption).toBe("none");
  });

  it("a stopped fleet that should run: update while stopped, then start", () => {
    const p = plan(manifest({ fleets: [{ ...FLEET, instanceType: "stream.standard.large" }] }), [liveFleet("apps", { State: "STOPPED" })]);
    expect(ops(p, "Fleet/apps")).toEqual(["fleet.update", "fleet.start", "wait"]);
  });

  it("fleetType is immutable: delete and create, with its stack association re-made around it", () => {
    const p = plan(
      manifest({ fleets: [{ ...FLEET, fleetType: "ALWAYS_ON" }], stacks: [{ name: "s", fleet: "apps" }] }),
      [liveFleet("apps"), liveStack("s"), fleetAssoc("s", "apps")],
    );
    const c = change(p, "Fleet/apps");
    expect(c.actions).toEqual(["delete", "create"]);
    expect(c.disruption).toBe("replace");
    expect(change(p, "FleetAssociation/s/apps").actions).toEqual(["delete", "create"]);
    const order = p.steps.map((s) => `${s.address} ${s.op}`);
    const at = (x: string) => order.indexOf(x);
    expect(at("FleetAssociation/s/apps fleet-association.delete")).toBeLessThan(at("Fleet/apps fleet.stop"));
    expect(at("Fleet/apps fleet.delete")).toBeLessThan(at("Fleet/apps fleet.create"));
    expect(at("Fleet/apps fleet.create")).toBeLessThan(at("FleetAssociation/s/apps fleet-association.create"));
  });

  it("a removed vpcConfig becomes AttributesToDelete (and needs a stop)", () => {
    const p = plan(manifest({ fleets: [FLEET] }), [liveFleet("apps", { VpcConfig: { SubnetIds: ["subnet-1"], SecurityGroupIds: ["sg-1"] } })]);
    const update = p.steps.find((s) => s.op === "fleet.update")!;
    expect(update.params).toEqual({ Name: "apps", AttributesToDelete: ["VPC_CONFIGURATION"] });
    expect(change(p, "Fleet/apps").diff[0]).toMatchObject({ path: "vpcConfig", why: "clear" });
  });

  it("removed security groups alone clear only VPC_CONFIGURATION_SECURITY_GROUP_IDS", () => {
    const p = plan(
      manifest({ fleets: [{ ...FLEET, vpcConfig: { subnetIds: ["subnet-1"] } }] }),
      [liveFleet("apps", { VpcConfig: { SubnetIds: ["subnet-1"], SecurityGroupIds: ["sg-1"] } })],
    );
    const update = p.steps.find((s) => s.op === "fleet.update")!;
    expect(update.params).toEqual({ Name: "apps", VpcConfig: { SubnetIds: ["subnet-1"] }, AttributesToDelete: ["VPC_CONFIGURATION_SECURITY_GROUP_IDS"] });
  });

  it("a stack's storageConnectors and embedHostDomains change in place with UpdateStack", () => {
    const p = plan(
      manifest({ stacks: [{ name: "s", storageConnectors: [{ connectorType: "HOMEFOLDERS" }], embedHostDomains: ["portal.example.com"] }] }),
      [liveStack("s", { StorageConnectors: [{ ConnectorType: "ONE_DRIVE", Domains: ["example.com"] }] })],
    );
    const c = change(p, "Stack/s");
    expect(c.actions).toEqual(["update"]);
    expect(c.disruption).toBe("none");
    expect(p.steps.map((s) => s.op)).toEqual(["stack.update"]);
    expect(p.steps[0]!.params).toEqual({
      Name: "s", StorageConnectors: [{ ConnectorType: "HOMEFOLDERS" }], EmbedHostDomains: ["portal.example.com"],
    });
  });

  it("removed embed domains are cleared with AttributesToDelete, not left behind", () => {
    const p = plan(manifest({ stacks: [{ name: "s" }] }), [liveStack("s", { EmbedHostDomains: ["portal.example.com"] })]);
    expect(p.steps[0]!.params).toEqual({ Name: "s", AttributesToDelete: ["EMBED_HOST_DOMAINS"] });
  });

  it("a stack's fleet change is disassociate → associate, in that order", () => {
    const p = plan(
      manifest({ fleets: [FLEET, { ...FLEET, name: "b" }], stacks: [{ name: "s", fleet: "b" }] }),
      [liveFleet("apps"), liveFleet("b"), liveStack("s"), fleetAssoc("s", "apps")],
    );
    expect(change(p, "FleetAssociation/s/apps").actions).toEqual(["delete"]);
    expect(change(p, "FleetAssociation/s/b").actions).toEqual(["create"]);
    const del = p.steps.find((s) => s.op === "fleet-association.delete")!;
    const add = p.steps.find((s) => s.op === "fleet-association.create")!;
    expect(add.dependsOn).toContain(del.id);
  });

  it("a user's first-name change is a replace that warns about the welcome e-mail", () => {
    const p = plan(manifest({ users: [{ userName: "a@example.com", firstName: "Ann" }] }), [
      { kind: "User", name: "a@example.com", address: "User/a@example.com", spec: { userName: "a@example.com", firstName: "Anne", enabled: true, authenticationType: "USERPOOL" } },
    ]);
    const c = change(p, "User/a@example.com");
    expect(c.actions).toEqual(["delete", "create"]);
    expect(c.reason).toContain("sends the welcome e-mail again");
    expect(p.steps.map((s) => s.op)).toEqual(["user.delete", "user.create", "wait"]);
  });

  it("desired state drives start and stop", () => {
    const stop = plan(manifest({ fleets: [{ ...FLEET, state: "stopped" }] }), [liveFleet("apps")]);
    expect(ops(stop, "Fleet/apps")).toEqual(["fleet.stop", "wait"]);
    expect(change(stop, "Fleet/apps").disruption).toBe("fleet-restart");
    const start = plan(manifest({ fleets: [FLEET] }), [liveFleet("apps", { State: "STOPPED" })]);
    expect(ops(start, "Fleet/apps")).toEqual(["fleet.start", "wait"]);
    expect(change(start, "Fleet/apps").diff).toEqual([{ path: "state", before: "stopped", after: "running", sensitive: false, why: "state" }]);
  });

  it("tags are diffed authoritatively: added, changed and foreign keys", () => {
    const p = plan(manifest({ defaults: { tags: { team: "euc" } }, fleets: [FLEET] }), [liveFleet("apps", {}, { "appstreamctl:set": "t", team: "old", extra: "x" })]);
    const step = p.steps.find((s) => s.op === "tags.update")!;
    expect(step.params).toEqual({ ResourceArn: "arn:aws:appstream:us-east-1:123456789012:fleet/apps", address: "Fleet/apps", add: { team: "euc" }, remove: ["extra"] });
  });
});

describe("create params are complete API requests", () => {
  it("a new fleet: CreateFleet with Name, fields and merged tags, then start and wait", () => {
    const p = plan(manifest({ defaults: { tags: { team: "euc" } }, fleets: [FLEET] }), []);
    expect(p.steps.map((s) => s.op)).toEqual(["fleet.create", "fleet.start", "wait"]);
    expect(p.steps[0]!.params).toEqual({
      Name: "apps", InstanceType: "stream.standard.medium", ImageName: "AppStream-WinServer2022-11-12-2025",
      ComputeCapacity: { DesiredInstances: 2 }, DisplayName: "Apps", Tags: { team: "euc", "appstreamctl:set": "t" },
    });
  });

  it("a new image builder: CreateImageBuilder with Name, then wait RUNNING", () => {
    const p = plan(manifest({ imageBuilders: [{ name: "b", instanceType: "stream.standard.medium", imageName: "AppStream-WinServer2022-11-12-2025" }] }), []);
    expect(p.steps.map((s) => s.op)).toEqual(["image-builder.create", "wait"]);
    expect(p.steps[0]!.params).toMatchObject({ Name: "b", InstanceType: "stream.standard.medium", ImageName: "AppStream-WinServer2022-11-12-2025" });
  });
});
