/** The app block builder kind: modes, rules, normalize, and its steps as values. */
import { describe, expect, it } from "vitest";
import { appBlockBuilder, normalizeAppBlockBuilder } from "../../src/kinds/app-block-builder.js";
import { change, desired, live, modeOf, REGION, shape, view } from "./helpers.js";

const SPEC = {
  name: "abb", platform: "WINDOWS_SERVER_2019", instanceType: "stream.standard.small",
  vpcConfig: { subnetIds: ["subnet-0a1b2c3d", "subnet-0a1b2c3e"] }, appBlock: "blk", state: "running",
};

describe("app block builder modes", () => {
  it("displayName and description change live; the rest needs it stopped; the name replaces", () => {
    expect(["displayName", "description"].map((f) => modeOf(appBlockBuilder, f))).toEqual(["live", "live"]);
    expect(["platform", "instanceType", "vpcConfig", "iamRoleArn", "accessEndpoints", "enableDefaultInternetAccess", "disableIMDSV1", "appBlock"]
      .map((f) => modeOf(appBlockBuilder, f))).toEqual(Array(8).fill("requires-stop"));
    expect(modeOf(appBlockBuilder, "name")).toBe("replace");
  });
});

describe("app block builder rules", () => {
  const rules = (s: Record<string, unknown>, lists = {}) =>
    appBlockBuilder.rules(s as never, view(lists)).map((v) => [v.code, v.severity ?? "error", v.path.join(".")]);

  it("a well-formed builder passes", () => {
    expect(rules(SPEC)).toEqual([]);
  });
  it("one subnet, a non-standard instance type, running without an app block: errors", () => {
    expect(rules({ ...SPEC, vpcConfig: { subnetIds: ["subnet-0a1b2c3d"] }, instanceType: "stream.compute.large", appBlock: undefined })).toEqual([
      ["rule.app-block-builder", "error", "instanceType"],
      ["rule.app-block-builder", "error", "vpcConfig.subnetIds"],
      ["rule.app-block-builder", "error", "state"],
    ]);
  });
  it("a platform or stream.standard size the API may add later: warnings", () => {
    expect(rules({ ...SPEC, platform: "WINDOWS_SERVER_2022", instanceType: "stream.standard.4xlarge" })).toEqual([
      ["rule.app-block-builder", "warning", "platform"],
      ["rule.app-block-builder", "warning", "instanceType"],
    ]);
  });
  it("the 11th builder of a manifest is over the default quota: a warning", () => {
    const entries = Array.from({ length: 11 }, (_, i) => ({ ...SPEC, name: `abb${i}` }));
    expect(rules(entries[9]!, { appBlockBuilders: entries })).toEqual([]);
    expect(rules(entries[10]!, { appBlockBuilders: entries })).toEqual([["rule.app-block-builder", "warning", "name"]]);
  });
});

describe("app block builder normalize", () => {
  it("the app block by name from its ARN; STARTING counts as running", () => {
    const l = normalizeAppBlockBuilder(
      { Name: "abb", Arn: "arn:aws:appstream:us-east-1:123456789012:app-block-builder/abb", State: "STARTING", Platform: "WINDOWS_SERVER_2019", InstanceType: "stream.standard.small", VpcConfig: { SubnetIds: ["subnet-0a1b2c3d", "subnet-0a1b2c3e"] }, EnableDefaultInternetAccess: false },
      "arn:aws:appstream:us-east-1:123456789012:app-block/blk",
    );
    expect([l.address, l.state, l.spec]).toEqual(["AppBlockBuilder/abb", "STARTING", {
      name: "abb", platform: "WINDOWS_SERVER_2019", instanceType: "stream.standard.small",
      vpcConfig: { subnetIds: ["subnet-0a1b2c3d", "subnet-0a1b2c3e"] }, enableDefaultInternetAccess: false, appBlock: "blk", state: "running",
    }]);
  });
});

describe("app block builder steps", () => {
  const running = live("AppBlockBuilder", "abb", { ...SPEC, iamRoleArn: "arn:aws:iam::123456789012:role/r" }, "RUNNING");

  it("create: created STOPPED, associated, then started when declared running", () => {
    expect(shape(appBlockBuilder.create(desired("AppBlockBuilder", "abb", SPEC, { team: "a" }), REGION))).toEqual([
      {
        id: "create", op: "app-block-builder.create", after: [],
        params: { Name: "abb", Platform: "WINDOWS_SERVER_2019", InstanceType: "stream.standard.small", VpcConfig: { SubnetIds: ["subnet-0a1b2c3d", "subnet-0a1b2c3e"] }, Tags: { team: "a" } },
      },
      { id: "associate", op: "app-block-builder.associate", params: { AppBlockBuilderName: "abb", AppBlockName: "blk" }, after: ["create"] },
      { id: "start", op: "app-block-builder.start", params: { Name: "abb" }, after: ["associate"] },
      { id: "running", op: "wait", params: { kind: "app-block-builder", name: "abb", until: "RUNNING" }, after: ["start"] },
    ]);
  });

  it("a live field on a running builder: one update, no stop", () => {
    const u = appBlockBuilder.update(desired("AppBlockBuilder", "abb", { ...SPEC, displayName: "P" }), running, [change(appBlockBuilder, "displayName")], REGION);
    expect([shape(u.steps), u.reason, u.warnings]).toEqual([[{ id: "update", op: "app-block-builder.update", params: { Name: "abb", DisplayName: "P" }, after: [] }], "", []]);
  });

  it("a cleared role on a running builder: stop → update with AttributesToDelete → start, guarded", () => {
    const u = appBlockBuilder.update(desired("AppBlockBuilder", "abb", SPEC), running, [change(appBlockBuilder, "iamRoleArn", {}, true)], REGION);
    expect(u.reason).toBe("iamRoleArn requires a stopped app block builder: stop → update → start");
    expect(shape(u.steps)).toEqual([
      { id: "stop", op: "app-block-builder.stop", params: { Name: "abb" }, after: [] },
      { id: "stopped", op: "wait", params: { kind: "app-block-builder", name: "abb", until: "STOPPED" }, after: ["stop"] },
      { id: "update", op: "app-block-builder.update", params: { Name: "abb", AttributesToDelete: ["IAM_ROLE_ARN"] }, after: ["stopped"] },
      { id: "start", op: "app-block-builder.start", params: { Name: "abb" }, after: ["update"] },
      { id: "running", op: "wait", params: { kind: "app-block-builder", name: "abb", until: "RUNNING" }, after: ["start"] },
    ]);
    expect(u.steps[0]!.restore?.guards).toEqual(["stopped", "update", "start"]);
  });

  it("dropped security groups are deleted by attribute; another app block is swapped while stopped", () => {
    const stopped = live("AppBlockBuilder", "abb", { ...SPEC, state: "stopped", vpcConfig: { ...SPEC.vpcConfig, securityGroupIds: ["sg-0a1b2c3d"] } }, "STOPPED");
    const d = desired("AppBlockBuilder", "abb", { ...SPEC, state: "stopped", appBlock: "blk2" });
    const u = appBlockBuilder.update(d, stopped, [change(appBlockBuilder, "vpcConfig"), change(appBlockBuilder, "appBlock")], REGION);
    expect(shape(u.steps)).toEqual([
      { id: "update", op: "app-block-builder.update", params: { Name: "abb", VpcConfig: { SubnetIds: SPEC.vpcConfig.subnetIds }, AttributesToDelete: ["VPC_CONFIGURATION_SECURITY_GROUP_IDS"] }, after: [] },
      { id: "disassociate", op: "app-block-builder.disassociate", params: { AppBlockBuilderName: "abb", AppBlockName: "blk" }, after: ["update"] },
      { id: "associate", op: "app-block-builder.associate", params: { AppBlockBuilderName: "abb", AppBlockName: "blk2" }, after: ["disassociate"] },
    ]);
  });

  it("state: stopped stops a running builder; delete stops and lets go of the app block first", () => {
    const stop = appBlockBuilder.update(desired("AppBlockBuilder", "abb", { ...SPEC, state: "stopped" }), running, [], REGION);
    expect(stop.steps.map((s) => s.op)).toEqual(["app-block-builder.stop", "wait"]);
    expect(stop.steps[0]!.restore).toBeUndefined();
    expect(appBlockBuilder.remove(running, REGION).map((s) => s.op)).toEqual(["app-block-builder.stop", "wait", "app-block-builder.disassociate", "app-block-builder.delete"]);
  });

  it("settle: a STARTING builder is waited for until RUNNING", () => {
    expect(appBlockBuilder.settle!(live("AppBlockBuilder", "abb", SPEC, "STARTING"))).toMatchObject({
      steps: [{ op: "wait", params: { kind: "app-block-builder", name: "abb", until: "RUNNING" } }],
    });
  });
});
