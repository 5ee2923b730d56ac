/**
 * An image's `exportTo` end to end, through the CLI and the real SDK against the emulator: the export is
 * made once (CreateExportImageTask, waited on by its task id with GetExportImageTask) and re-plans to
 * nothing; a new amiName is a new export, the first AMI staying; a changed description under the same
 * amiName is refused at plan time; a FAILED export is surfaced with its code and exported again on the
 * next apply; drift sees no drift in an export, and an exported manifest plans nothing. And the WorkSpaces image source (the pinned SDK's
 * WorkspaceImageId on CreateImportedImage), imported and exported in one apply.
 */
import { CreateImageBuilderCommand, DescribeImagesCommand, ListExportImageTasksCommand } from "@aws-sdk/client-appstream";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { DriftReport } from "../../src/core/drift.js";
import { calls, control, useEmulator, type TestEmulator } from "../emulator/helpers.js";
import { apply, changesOf, mutations, planOf } from "./apply-helpers.js";
import { cli, fakeAwsCredentials, writeManifest } from "./helpers.js";

const BASE = "AppStream-WinServer2022-11-12-2025";
const ACCOUNT = "123456789012";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/export`;

beforeAll(fakeAwsCredentials);

/** A private AVAILABLE image, made with the control hook (the Image Assistant has no API, reference §19). */
async function privateImage(t: TestEmulator, name: string): Promise<void> {
  await t.client.send(new CreateImageBuilderCommand({ Name: `${name}-b`, InstanceType: "stream.standard.medium", ImageName: BASE }));
  const made = await control(t.emu.url, "POST", "images", { builderName: `${name}-b`, imageName: name, region: "us-east-1" });
  expect(made.status, JSON.stringify(made.body)).toBe(200);
}

/** A manifest adopting `golden` with this `exportTo` (YAML flow text), or none. */
const manifest = (exportTo?: string) => writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: exp, region: us-east-1 }
images:
  - name: golden
${exportTo ? `    exportTo: ${exportTo}\n` : ""}`);

/** The export tasks as the service lists them: AMI name, state, description, tags, AMI id present. */
async function tasks(t: TestEmulator) {
  const out = await t.client.send(new ListExportImageTasksCommand({}));
  return (out.ExportImageTasks ?? []).map((x) => ({
    amiName: x.AmiName, state: x.State, ...(x.AmiDescription ? { description: x.AmiDescription } : {}),
    ...(x.TagSpecifications ? { tags: x.TagSpecifications } : {}), ami: /^ami-[0-9a-f]{17}$/.test(x.AmiId ?? ""),
  }));
}

describe("exportTo: exported once, waited on, never again for the same AMI name", () => {
  const emulator = useEmulator({}, { setUp: (t) => privateImage(t, "golden") });

  it("the plan shows ImageExport/golden; apply exports once and waits on the task; the next plan is empty", async () => {
    const t = emulator();
    const file = manifest(`{ amiName: golden-ami, iamRoleArn: "${ROLE}", amiDescription: Golden AMI, tagSpecifications: { team: apps } }`);
    const plan = await planOf(t.emu.url, file);
    // The adopted image gets the set's ownership tag too.
    expect(changesOf(plan)).toEqual({ "Image/golden": "update", "ImageExport/golden": "create" });
    expect(plan.steps.filter((s) => s.address === "ImageExport/golden").map((s) => [s.op, s.params])).toEqual([[
      "image-export.create",
      { ImageName: "golden", AmiName: "golden-ami", IamRoleArn: ROLE, AmiDescription: "Golden AMI", TagSpecifications: { team: "apps" } },
    ]]);

    await control(t.emu.url, "DELETE", "calls");
    const r = await apply(t.emu.url, file);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await mutations(t.emu.url)).toEqual([`TagResource arn:aws:appstream:us-east-1:${ACCOUNT}:image/golden`, "CreateExportImageTask golden"]);
    // The wait reads the task it started by id, not the whole listing.
    const log = await calls(t.emu.url);
    const created = log.find((c) => c.operation === "CreateExportImageTask")!.seq;
    expect(log.filter((c) => c.operation === "GetExportImageTask" && c.seq > created).length).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/exported to ami-[0-9a-f]{17}/);
    expect(await tasks(t)).toEqual([{ amiName: "golden-ami", state: "COMPLETED", description: "Golden AMI", tags: { team: "apps" }, ami: true }]);

    await control(t.emu.url, "DELETE", "calls");
    expect(changesOf(await planOf(t.emu.url, file))).toEqual({});
    expect(await mutations(t.emu.url)).toEqual([]);
    // Removing exportTo changes nothing: the AMI is EC2's, and nothing of an export is deleted.
    expect(changesOf(await planOf(t.emu.url, manifest(), ["--prune"]))).toEqual({});
  });

  it("a new amiName is a new export (the first AMI stays); the same amiName with another description is refused", async () => {
    const t = emulator();
    expect((await apply(t.emu.url, manifest(`{ amiName: golden-ami, iamRoleArn: "${ROLE}" }`))).code).toBe(0);

    const v2 = manifest(`{ amiName: golden-v2, iamRoleArn: "${ROLE}" }`);
    const plan = await planOf(t.emu.url, v2);
    expect(changesOf(plan)).toEqual({ "ImageExport/golden": "update" });
    const c = plan.resourceChanges.find((x) => x.address === "ImageExport/golden")!;
    expect(c.reason).toMatch(/^an AMI export is a one-shot copy: exported again, to AMI golden-v2; the AMI golden-ami \(ami-[0-9a-f]{17}\) of the previous export stays$/);
    await control(t.emu.url, "DELETE", "calls");
    expect((await apply(t.emu.url, v2)).code).toBe(0);
    expect(await mutations(t.emu.url)).toEqual(["CreateExportImageTask golden"]);
    expect((await tasks(t)).map((x) => [x.amiName, x.state])).toEqual([["golden-ami", "COMPLETED"], ["golden-v2", "COMPLETED"]]);
    expect(changesOf(await planOf(t.emu.url, v2))).toEqual({});

    const redescribed = await cli(t.emu.url, ["-f", manifest(`{ amiName: golden-v2, iamRoleArn: "${ROLE}", amiDescription: other }`), "plan"]);
    expect(redescribed.code).toBe(1);
    expect(redescribed.stderr).toContain("plan.image-export");
    expect(redescribed.stderr).toContain("ImageExport/golden: the image was already exported to AMI golden-v2");
  });

  it("a FAILED export stops the apply with the task's error code; the next apply exports again", async () => {
    const t = emulator();
    const file = manifest(`{ amiName: golden-ami, iamRoleArn: "${ROLE}" }`);
    expect((await control(t.emu.url, "POST", "faults", { spec: "CreateExportImageTask:exportFail=1" })).status).toBe(200);
    const failed = await apply(t.emu.url, file);
    expect(failed.code).toBe(3);
    expect(failed.stderr).toMatch(/FAILED +ImageExport\/golden#export \(\d+ms\): the export of image golden to AMI golden-ami FAILED: IMAGE_EXPORT_FAILURE: /);
    expect(await tasks(t)).toEqual([{ amiName: "golden-ami", state: "FAILED", ami: false }]);

    await control(t.emu.url, "POST", "faults", { spec: "" });
    // A failed task frees its AMI name: the export is planned again, with the earlier failure said.
    const plan = await planOf(t.emu.url, file);
    expect(changesOf(plan)).toEqual({ "ImageExport/golden": "create" });
    expect(plan.resourceChanges.find((x) => x.address === "ImageExport/golden")!.warnings).toEqual([
      expect.stringMatching(/^the last export of golden to AMI golden-ami FAILED \(IMAGE_EXPORT_FAILURE: .+\); it is exported again$/),
    ]);
    expect((await apply(t.emu.url, file)).code).toBe(0);
    expect((await tasks(t)).map((x) => [x.amiName, x.state])).toEqual([["golden-ami", "FAILED"], ["golden-ami", "COMPLETED"]]);
    expect(changesOf(await planOf(t.emu.url, file))).toEqual({});
  });

  it("an image produced in the same apply is exported once it is AVAILABLE", async () => {
    const t = emulator();
    const file = writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: exp, region: us-east-1 }
images:
  - name: imported
    source: { importFromAmi: { sourceAmiId: ami-0123456789abcdef0, iamRoleArn: "arn:aws:iam::${ACCOUNT}:role/import" } }
    exportTo: { amiName: imported-ami, iamRoleArn: "${ROLE}" }
`);
    const r = await apply(t.emu.url, file);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect((await mutations(t.emu.url)).filter((m) => !m.startsWith("TagResource"))).toEqual(["CreateImageBuilder golden-b", "CreateImportedImage imported", "CreateExportImageTask imported"]);
    expect(changesOf(await planOf(t.emu.url, file))).toEqual({});
  });

  it("drift sees no drift in an export (declared or not), and export leaves exportTo out: the round trip plans nothing", async () => {
    const t = emulator();
    const file = manifest(`{ amiName: golden-ami, iamRoleArn: "${ROLE}" }`);
    expect((await apply(t.emu.url, file)).code).toBe(0);
    // The builder the image was made from is the only thing the manifest does not declare.
    for (const m of [file, manifest(), manifest(`{ amiName: golden-v2, iamRoleArn: "${ROLE}" }`)]) {
      const report = JSON.parse((await cli(t.emu.url, ["-f", m, "-o", "json", "drift"])).stdout) as DriftReport;
      expect([report.changed, report.missing, report.unmanaged.map((i) => i.address)]).toEqual([[], [], ["ImageBuilder/golden-b"]]);
    }

    const exported = await cli(t.emu.url, ["export", "--region", "us-east-1", "--kinds", "Image"]);
    expect(exported.code, exported.stderr).toBe(0);
    const doc = parse(exported.stdout) as { images?: Record<string, unknown>[] };
    expect(doc.images?.map((i) => [i.name, i.exportTo])).toEqual([["golden", undefined]]);
    expect(changesOf(await planOf(t.emu.url, writeManifest(exported.stdout)))).toEqual({});
  });
});

describe("source.importFromWorkSpaces: a WorkSpaces image imported with the SDK's WorkspaceImageId", () => {
  const emulator = useEmulator({});

  it("plans a dry run, imports once with WorkspaceImageId, exports the result, and re-plans to nothing", async () => {
    const t = emulator();
    const file = writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: ws, region: us-east-1 }
images:
  - name: from-workspaces
    description: BYOL desktop
    source: { importFromWorkSpaces: { workspaceImageId: wsi-0123456789 } }
    exportTo: { amiName: from-workspaces-ami, iamRoleArn: "${ROLE}" }
`);
    const plan = await planOf(t.emu.url, file);
    expect(changesOf(plan)).toEqual({ "Image/from-workspaces": "create", "ImageExport/from-workspaces": "create" });
    expect(plan.reads).toContainEqual({ address: "Image/from-workspaces", description: "import of wsi-0123456789 (dry run)", result: "checks passed" });
    await control(t.emu.url, "DELETE", "calls");
    const r = await apply(t.emu.url, file);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const log = await calls(t.emu.url);
    expect(log.filter((c) => c.mutating).map((c) => `${c.operation} ${c.resource}`)).toEqual([
      "CreateImportedImage from-workspaces", "CreateExportImageTask from-workspaces",
    ]);
    const images = await t.client.send(new DescribeImagesCommand({ Names: ["from-workspaces"] }));
    expect(images.Images?.map((i) => [i.State, i.ImageType, i.Description])).toEqual([["AVAILABLE", "CUSTOM", "BYOL desktop"]]);
    await control(t.emu.url, "DELETE", "calls");
    expect(changesOf(await planOf(t.emu.url, file))).toEqual({});
    expect(await mutations(t.emu.url)).toEqual([]);
  });
});
