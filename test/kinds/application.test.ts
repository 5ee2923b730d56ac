/** The application kind and its fleet associations: modes, rules, normalize, and steps as values. */
import { describe, expect, it } from "vitest";
import { applicationFleetAssociation } from "../../src/kinds/application-fleet-association.js";
import { application, normalizeApplication } from "../../src/kinds/application.js";
import type { ManifestDoc } from "../../src/model/resource.js";
import { change, desired, live, modeOf, REGION, shape, view } from "./helpers.js";

const APP = {
  name: "editor", iconS3Location: { s3Bucket: "icons", s3Key: "e.png" }, launchPath: "/usr/bin/editor",
  instanceFamilies: ["GENERAL_PURPOSE"], platforms: ["AMAZON_LINUX2"], appBlock: "block",
} as const;
type Spec = Parameters<typeof application.rules>[0];
const spec = (extra: Partial<Spec> = {}): Spec & Record<string, unknown> => ({ ...APP, instanceFamilies: [...APP.instanceFamilies], platforms: [...APP.platforms], ...extra });
const ELASTIC = { name: "el", fleetType: "ELASTIC", instanceType: "stream.standard.small", platform: "AMAZON_LINUX2" };

describe("application", () => {
  it("modes: platforms and instance families replace (not members of UpdateApplication); the rest is live", () => {
    expect(["platforms", "instanceFamilies", "name"].map((f) => modeOf(application, f))).toEqual(["replace", "replace", "replace"]);
    expect(["displayName", "description", "iconS3Location", "launchPath", "launchParameters", "workingDirectory", "appBlock", "fleets"].map((f) => modeOf(application, f)))
      .toEqual(Array(8).fill("live"));
    expect([application.fields.launchParameters.clear, application.fields.workingDirectory.clear]).toEqual(["LAUNCH_PARAMETERS", "WORKING_DIRECTORY"]);
  });

  it("rules: fleets must be ELASTIC, run one of the platforms, and take GENERAL_PURPOSE; unknown families warn", () => {
    expect(application.rules(spec({ fleets: ["el"] }), view({ fleets: [ELASTIC] }))).toEqual([]);
    // A fleet not in the manifest is the refs' business (ref.unknown-fleet unless external).
    expect(application.rules(spec({ fleets: ["elsewhere"] }), view())).toEqual([]);
    expect(application.refs.map((r) => [r.target, r.code, r.each])).toEqual([["fleets", "ref.unknown-fleet", true]]);
    const onDemand = application.rules(spec({ fleets: ["od"] }), view({ fleets: [{ name: "od", instanceType: "stream.standard.small", fleetType: "ON_DEMAND" }] }));
    expect(onDemand.map((v) => [v.code, v.path, v.severity ?? "error"])).toEqual([["rule.application", ["fleets", 0], "error"]]);
    expect(onDemand[0]!.message).toBe("fleet od is not ELASTIC: only Elastic fleets take applications");
    const windows = application.rules(spec({ fleets: ["el"] }), view({ fleets: [{ ...ELASTIC, platform: "WINDOWS_SERVER_2019" }] }));
    expect(windows.map((v) => v.message)).toEqual(["fleet el runs WINDOWS_SERVER_2019, which is not among the application's platforms"]);
    const graphics = application.rules(spec({ fleets: ["el"], instanceFamilies: ["GRAPHICS_G4"] }), view({ fleets: [ELASTIC] }));
    expect(graphics.map((v) => v.message)).toEqual(["fleet el is ELASTIC (stream.standard), so instanceFamilies must include GENERAL_PURPOSE"]);
    const future = application.rules(spec({ instanceFamilies: ["GENERAL_PURPOSE", "GRAPHICS_G9"] }), view());
    expect(future.map((v) => [v.code, v.path, v.severity])).toEqual([["rule.application", ["instanceFamilies", 1], "warning"]]);
  });

  it("normalize: manifest shape, the app block by name, empty display strings dropped", () => {
    const l = normalizeApplication({
      Name: "editor", Arn: "arn:aws:appstream:us-east-1:123456789012:application/editor", DisplayName: "", Description: "d",
      IconS3Location: { S3Bucket: "icons", S3Key: "e.png" }, IconURL: "https://icons.s3.amazonaws.com/e.png", LaunchPath: "/usr/bin/editor",
      Platforms: ["AMAZON_LINUX2"], InstanceFamilies: ["GENERAL_PURPOSE"], Enabled: true,
      AppBlockArn: "arn:aws:appstream:us-east-1:123456789012:app-block/block",
    });
    expect(l.address).toBe("Application/editor");
    expect(l.arn).toBe("arn:aws:appstream:us-east-1:123456789012:application/editor");
    expect(l.spec).toEqual({
      name: "editor", description: "d", iconS3Location: { s3Bucket: "icons", s3Key: "e.png" }, launchPath: "/usr/bin/editor",
      platforms: ["AMAZON_LINUX2"], instanceFamilies: ["GENERAL_PURPOSE"], appBlock: "block",
    });
  });

  it("steps: create names the block (looked up when it runs), sorted sets, tags; update clears; delete", () => {
    const d = desired("Application", "editor", spec({ platforms: ["WINDOWS_SERVER_2019", "AMAZON_LINUX2"], launchParameters: "-n" }), { team: "a" });
    expect(shape(application.create(d, REGION))).toEqual([{
      id: "create", op: "application.create", after: [],
      params: {
        Name: "editor", IconS3Location: { S3Bucket: "icons", S3Key: "e.png" }, LaunchPath: "/usr/bin/editor", LaunchParameters: "-n",
        AppBlockName: "block", Platforms: ["AMAZON_LINUX2", "WINDOWS_SERVER_2019"], InstanceFamilies: ["GENERAL_PURPOSE"], Tags: { team: "a" },
      },
    }]);
    const u = application.update(
      desired("Application", "editor", spec({ appBlock: "block2" })),
      live("Application", "editor", { ...spec({ workingDirectory: "/tmp", displayName: "E" }) }),
      [change(application, "workingDirectory", {}, true), change(application, "appBlock"), change(application, "displayName")],
      REGION,
    );
    // displayName has no AttributesToDelete value: its default (empty) is sent back.
    expect(shape(u.steps)).toEqual([{
      id: "update", op: "application.update", after: [],
      params: { Name: "editor", DisplayName: "", AppBlockName: "block2", AttributesToDelete: ["WORKING_DIRECTORY"] },
    }]);
    expect(u.disruption).toBe("none");
    expect(shape(application.remove(live("Application", "editor", {}), REGION))).toEqual([
      { id: "delete", op: "application.delete", params: { Name: "editor" }, after: [] },
    ]);
  });

  it("association: fleets read back sorted from the memberships", () => {
    const m = (a: string, f: string) => live("ApplicationFleetAssociation", `${a}/${f}`, { application: a, fleet: f });
    const memberships = [m("editor", "z"), m("editor", "a"), m("other", "b")];
    expect(application.association!.live("editor", memberships)).toEqual(["a", "z"]);
    expect(application.association!.live("none", memberships)).toBeUndefined();
    expect(application.association!.declared({ fleets: ["z", "a"] })).toEqual(["a", "z"]);
  });
});

describe("application fleet association", () => {
  it("derives one per declared fleet, owned by the application, depending on both", () => {
    const doc = { apiVersion: "appstreamctl/v1", metadata: { name: "t" }, applications: [{ ...spec(), fleets: ["el", "el2"] }] } as ManifestDoc;
    expect(applicationFleetAssociation.derive(doc).map((d) => [d.address, d.pointer, d.dependsOn])).toEqual([
      ["ApplicationFleetAssociation/editor/el", "/applications/0/fleets/0", ["Application/editor", "Fleet/el"]],
      ["ApplicationFleetAssociation/editor/el2", "/applications/0/fleets/1", ["Application/editor", "Fleet/el2"]],
    ]);
    expect(applicationFleetAssociation.parents({ spec: { application: "editor", fleet: "el" } })).toEqual(["Application/editor", "Fleet/el"]);
    expect([applicationFleetAssociation.ownerKind, applicationFleetAssociation.readPer, applicationFleetAssociation.ownership]).toEqual(["Application", "Application", "owner"]);
  });

  it("steps: associate by application name (its ARN looked up when it runs); disassociate by the ARN read", () => {
    const d = { ...desired("ApplicationFleetAssociation", "editor/el", { application: "editor", fleet: "el" }) };
    expect(shape(applicationFleetAssociation.create(d, REGION))).toEqual([
      { id: "create", op: "application-fleet.create", params: { ApplicationName: "editor", FleetName: "el" }, after: [] },
    ]);
    const arn = "arn:aws:appstream:us-east-1:123456789012:application/editor";
    expect(shape(applicationFleetAssociation.remove(live("ApplicationFleetAssociation", "editor/el", { application: "editor", fleet: "el", applicationArn: arn }), REGION))).toEqual([
      { id: "delete", op: "application-fleet.delete", params: { FleetName: "el", ApplicationArn: arn }, after: [] },
    ]);
  });
});
