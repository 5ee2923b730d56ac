/**
 * App blocks end to end through the CLI against the emulator: there is no UpdateAppBlock, so a changed
 * field replaces the block (DeleteAppBlock → CreateAppBlock) and tags change through Tag/UntagResource; an
 * APPSTREAM2 block stays INACTIVE until an app block builder packages it, which the plan notes rather than
 * diffs; AppBlockErrors show in drift; export writes the entries back; --prune deletes them.
 */
import { CreateApplicationCommand, TagResourceCommand } from "@aws-sdk/client-appstream";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { DriftReport } from "../../src/core/drift.js";
import { control, useEmulator } from "../emulator/helpers.js";
import { apply, changesOf, mutations, planOf } from "./apply-helpers.js";
import { cli, fakeAwsCredentials, writeManifest } from "./helpers.js";

beforeAll(fakeAwsCredentials);

const ARN = "arn:aws:appstream:us-east-1:123456789012:app-block";
const SCRIPT = "{ scriptS3Location: { s3Bucket: scripts, s3Key: setup.ps1 }, executablePath: 'C:\\setup.exe', timeoutInSeconds: 600 }";
const PACKAGED = `  - name: packaged
    packagingType: APPSTREAM2
    sourceS3Location: { s3Bucket: packages }
    postSetupScriptDetails: ${SCRIPT}
`;
const manifest = (tools: string, packaged = PACKAGED) => writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: blocks }
appBlocks:
  - name: tools
    sourceS3Location: { s3Bucket: packages, s3Key: tools.vhdx }
    setupScriptDetails: ${SCRIPT}
${tools}${packaged}`);

const INACTIVE_NOTE = "app block packaged is INACTIVE until an app block builder packages it; applications using it cannot stream on a fleet yet";

/** Applies `file` with a fresh call log; returns the mutating calls, sorted (independent blocks run in parallel). */
async function applyLog(url: string, file: string, extra: string[] = []): Promise<string[]> {
  await control(url, "DELETE", "calls");
  const r = await apply(url, file, extra);
  expect(r.code, r.stderr).toBe(0);
  return (await mutations(url)).sort();
}

describe("app blocks", () => {
  const emulator = useEmulator({}, { scope: "all" });
  const url = () => emulator().emu.url;

  it("create: one CreateAppBlock each; then plan says No changes and notes the INACTIVE APPSTREAM2 block", async () => {
    const file = manifest("    description: Tools\n    tags: { team: apps }\n");
    expect(await applyLog(url(), file)).toEqual(["CreateAppBlock packaged", "CreateAppBlock tools"]);
    const plan = await planOf(url(), file);
    expect(changesOf(plan)).toEqual({});
    expect(plan.resourceChanges.map((c) => [c.address, c.actions, c.warnings])).toEqual([
      ["AppBlock/tools", ["no-op"], undefined],
      ["AppBlock/packaged", ["no-op"], [INACTIVE_NOTE]],
    ]);
    const text = await cli(url(), ["-f", file, "plan"]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout + text.stderr).toContain("No changes");
    expect(text.stdout + text.stderr).toContain(INACTIVE_NOTE);
  });

  it("tags (live): one TagResource and one UntagResource, nothing else", async () => {
    const file = manifest("    description: Tools\n    tags: { owner: ops }\n");
    const plan = await planOf(url(), file);
    expect(changesOf(plan)).toEqual({ "AppBlock/tools": "update" });
    expect(plan.steps.map((s) => [s.op, s.params])).toEqual([
      ["tags.update", { ResourceArn: `${ARN}/tools`, address: "AppBlock/tools", add: { owner: "ops" }, remove: ["team"] }],
    ]);
    expect(await applyLog(url(), file)).toEqual([`TagResource ${ARN}/tools`, `UntagResource ${ARN}/tools`]);
    expect(changesOf(await planOf(url(), file))).toEqual({});
  });

  it("description (replace): the block is deleted and created again, with its tags", async () => {
    const file = manifest("    description: Tools v2\n    tags: { owner: ops }\n");
    const plan = await planOf(url(), file);
    expect(changesOf(plan)).toEqual({ "AppBlock/tools": "delete,create" });
    const c = plan.resourceChanges.find((r) => r.address === "AppBlock/tools")!;
    expect([c.disruption, c.reason]).toEqual([
      "replace", "description cannot be changed in place: app blocks cannot be updated: the block is deleted and created again (an APPSTREAM2 block must be packaged again)",
    ]);
    await control(url(), "DELETE", "calls");
    expect((await apply(url(), file)).code).toBe(0);
    expect(await mutations(url())).toEqual(["DeleteAppBlock tools", "CreateAppBlock tools"]);
    expect(changesOf(await planOf(url(), file))).toEqual({});
  });

  it("drift: an out-of-band tag and AppBlockErrors are reported; no mutating call", async () => {
    const file = manifest("    description: Tools v2\n    tags: { owner: ops }\n");
    await emulator().client.send(new TagResourceCommand({ ResourceArn: `${ARN}/tools`, Tags: { owner: "console" } }));
    const set = await control(url(), "POST", "app-blocks", { name: "packaged", errors: [{ ErrorCode: "PACKAGING_FAILED", ErrorMessage: "script timed out" }] });
    expect(set.status).toBe(200);
    await control(url(), "DELETE", "calls");
    const r = await cli(url(), ["-f", file, "-o", "json", "drift"]);
    expect(r.code, r.stderr).toBe(2);
    const report = JSON.parse(r.stdout) as DriftReport;
    expect(report.changed.map((i) => [i.address, i.diff.map((d) => [d.path, d.before, d.after]), i.state, i.errors])).toEqual([
      ["AppBlock/packaged", [], "INACTIVE", [{ code: "PACKAGING_FAILED", message: "script timed out" }]],
      ["AppBlock/tools", [["tags.owner", "ops", "console"]], "ACTIVE", undefined],
    ]);
    expect(await mutations(url())).toEqual([]);
    // Put back: the tag by apply, the errors by the emulator's control API.
    expect(await applyLog(url(), file)).toEqual([`TagResource ${ARN}/tools`]);
    await control(url(), "POST", "app-blocks", { name: "packaged", errors: [] });
  });

  it("export writes both blocks back, and a plan of the export is a no-op", async () => {
    const out = await cli(url(), ["export"]);
    expect(out.code, out.stderr).toBe(0);
    const doc = parse(out.stdout) as { appBlocks: Record<string, unknown>[] };
    expect(doc.appBlocks).toEqual([
      {
        name: "packaged", packagingType: "APPSTREAM2", sourceS3Location: { s3Bucket: "packages" },
        postSetupScriptDetails: { scriptS3Location: { s3Bucket: "scripts", s3Key: "setup.ps1" }, executablePath: "C:\\setup.exe", timeoutInSeconds: 600 },
      },
      {
        // CUSTOM is the default packaging type, so export leaves it out.
        name: "tools", description: "Tools v2", sourceS3Location: { s3Bucket: "packages", s3Key: "tools.vhdx" },
        setupScriptDetails: { scriptS3Location: { s3Bucket: "scripts", s3Key: "setup.ps1" }, executablePath: "C:\\setup.exe", timeoutInSeconds: 600 },
        tags: { owner: "ops" },
      },
    ]);
    expect(changesOf(await planOf(url(), writeManifest(out.stdout)))).toEqual({});
  });

  it("removed from the manifest: --prune deletes both blocks (and without --prune nothing)", async () => {
    const file = writeManifest("apiVersion: appstreamctl/v1\nmetadata: { name: blocks }\n");
    expect(changesOf(await planOf(url(), file))).toEqual({});
    const plan = await planOf(url(), file, ["--prune"]);
    expect(changesOf(plan)).toEqual({ "AppBlock/packaged": "delete", "AppBlock/tools": "delete" });
    expect(await applyLog(url(), file, ["--prune"])).toEqual(["DeleteAppBlock packaged", "DeleteAppBlock tools"]);
    expect(changesOf(await planOf(url(), file, ["--prune"]))).toEqual({});
  });
});

describe("an app block an application outside the set still uses", () => {
  const emulator = useEmulator({});

  it("--prune: DeleteAppBlock answers ResourceInUse, apply partly fails and the block stays", async () => {
    const url = emulator().emu.url;
    const file = manifest("", "");
    expect(await applyLog(url, file)).toEqual(["CreateAppBlock tools"]);
    await emulator().client.send(new CreateApplicationCommand({
      Name: "editor", IconS3Location: { S3Bucket: "icons", S3Key: "editor.png" }, LaunchPath: "C:\\editor.exe",
      Platforms: ["WINDOWS_SERVER_2019"], InstanceFamilies: ["GENERAL_PURPOSE"], AppBlockArn: `${ARN}/tools`,
    }));
    const empty = writeManifest("apiVersion: appstreamctl/v1\nmetadata: { name: blocks }\n");
    await control(url, "DELETE", "calls");
    const r = await apply(url, empty, ["--prune"]);
    // Exit 3: the apply partly failed; the service's reason and what it means reach the operator.
    expect(r.code).toBe(3);
    expect(r.stdout).toContain("✗ AppBlock/tools — app-block.delete failed");
    expect(r.stdout).toContain("ResourceInUseException: The app block tools is in use by the application editor.");
    expect(await mutations(url)).toEqual(["DeleteAppBlock tools"]);
    expect(changesOf(await planOf(url, empty, ["--prune"]))).toEqual({ "AppBlock/tools": "delete" });
  });
});
