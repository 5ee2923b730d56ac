/** The app block kind: immutable (no update operation), tags live, the packaging-type rules, its state as a note. */
import { describe, expect, it } from "vitest";
import { appBlock, normalizeAppBlock } from "../../src/kinds/app-block.js";
import { desired, live, modeOf, REGION, shape, view } from "./helpers.js";

const SCRIPT = { scriptS3Location: { s3Bucket: "scripts", s3Key: "setup.ps1" }, executablePath: "C:\\setup.exe", timeoutInSeconds: 600 };
const CUSTOM = { name: "b", sourceS3Location: { s3Bucket: "packages", s3Key: "app.vhdx" }, setupScriptDetails: SCRIPT };
const PACKAGED = { name: "p", packagingType: "APPSTREAM2", sourceS3Location: { s3Bucket: "packages" }, postSetupScriptDetails: SCRIPT };
const rulesOf = (spec: Record<string, unknown>) => appBlock.rules(spec as never, view()).map((v) => [v.code, v.path, v.message]);

describe("app block", () => {
  it("modes: every api field replaces the block; tags change in place", () => {
    for (const f of ["displayName", "description", "sourceS3Location", "setupScriptDetails", "postSetupScriptDetails", "packagingType"]) {
      expect([f, modeOf(appBlock, f)]).toEqual([f, "replace"]);
    }
    expect(modeOf(appBlock, "tags")).toBe("live");
    expect([appBlock.rank > 30, appBlock.taggable, appBlock.ownership, appBlock.key]).toEqual([true, true, "tag", "appBlocks"]);
  });

  it("rules: CUSTOM (the default) needs a setup script and a package key, and takes no post-setup script", () => {
    expect(rulesOf(CUSTOM)).toEqual([]);
    expect(rulesOf(PACKAGED)).toEqual([]);
    expect(rulesOf({ name: "b", sourceS3Location: { s3Bucket: "packages" }, postSetupScriptDetails: SCRIPT })).toEqual([
      ["rule.app-block", [], "a CUSTOM app block needs setupScriptDetails"],
      ["rule.app-block", ["postSetupScriptDetails"], "postSetupScriptDetails is only for APPSTREAM2 app blocks"],
      ["rule.app-block", ["sourceS3Location"], "a CUSTOM app block needs sourceS3Location.s3Key (the package object)"],
    ]);
    expect(rulesOf({ ...PACKAGED, setupScriptDetails: SCRIPT })).toEqual([
      ["rule.app-block", ["setupScriptDetails"], "setupScriptDetails is only for CUSTOM app blocks"],
    ]);
    expect(rulesOf({ ...PACKAGED, postSetupScriptDetails: { ...SCRIPT, scriptS3Location: { s3Bucket: "scripts" } } })).toEqual([
      ["rule.app-block", ["postSetupScriptDetails", "scriptS3Location"], "postSetupScriptDetails.scriptS3Location needs s3Key (the script object)"],
    ]);
    expect(rulesOf({ ...CUSTOM, tags: { "appstreamctl:set": "x" } })[0]?.[0]).toBe("rule.tags");
  });

  it("normalize: manifest-shaped spec, ARN, state and AppBlockErrors as live errors", () => {
    const l = normalizeAppBlock({
      Name: "p", Arn: "arn:aws:appstream:us-east-1:123456789012:app-block/p", State: "INACTIVE", PackagingType: "APPSTREAM2",
      SourceS3Location: { S3Bucket: "packages" },
      PostSetupScriptDetails: { ScriptS3Location: { S3Bucket: "scripts", S3Key: "setup.ps1" }, ExecutablePath: "C:\\setup.exe", TimeoutInSeconds: 600 },
      AppBlockErrors: [{ ErrorCode: "PACKAGING_FAILED", ErrorMessage: "script timed out" }],
      CreatedTime: new Date(0),
    });
    expect(l).toEqual({
      kind: "AppBlock", name: "p", address: "AppBlock/p", arn: "arn:aws:appstream:us-east-1:123456789012:app-block/p", state: "INACTIVE",
      spec: { name: "p", packagingType: "APPSTREAM2", sourceS3Location: { s3Bucket: "packages" }, postSetupScriptDetails: SCRIPT },
      errors: [{ code: "PACKAGING_FAILED", message: "script timed out" }],
      createdTime: 0,
    });
  });

  it("steps: one CreateAppBlock with the tags, one DeleteAppBlock", () => {
    const d = desired("AppBlock", "b", { ...CUSTOM, description: "d", protect: true, tags: { team: "apps" } }, { team: "apps", "appstreamctl:set": "s" });
    expect(shape(appBlock.create(d, REGION))).toEqual([{
      id: "create", op: "app-block.create", after: [],
      params: {
        Name: "b", Description: "d", SourceS3Location: { S3Bucket: "packages", S3Key: "app.vhdx" },
        SetupScriptDetails: { ScriptS3Location: { S3Bucket: "scripts", S3Key: "setup.ps1" }, ExecutablePath: "C:\\setup.exe", TimeoutInSeconds: 600 },
        Tags: { team: "apps", "appstreamctl:set": "s" },
      },
    }]);
    expect(shape(appBlock.remove(live("AppBlock", "b", CUSTOM, "ACTIVE"), REGION))).toEqual([{ id: "delete", op: "app-block.delete", params: { Name: "b" }, after: [] }]);
  });

  it("settle: an INACTIVE APPSTREAM2 block is a note, never steps; an ACTIVE one is nothing", () => {
    expect(appBlock.settle!(live("AppBlock", "p", PACKAGED, "INACTIVE"))).toEqual({
      warning: "app block p is INACTIVE until an app block builder packages it; applications using it cannot stream on a fleet yet",
    });
    expect(appBlock.settle!({ ...live("AppBlock", "p", PACKAGED, "INACTIVE"), errors: [{ code: "E", message: "m" }] })).toEqual({
      warning: "app block p is INACTIVE until an app block builder packages it; applications using it cannot stream on a fleet yet (last packaging: E: m)",
    });
    expect(appBlock.settle!(live("AppBlock", "b", CUSTOM, "ACTIVE"))).toBeUndefined();
  });
});
