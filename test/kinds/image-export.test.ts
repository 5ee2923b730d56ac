/** An image's `exportTo` (ImageExport/IMAGE): derived, exported once, waited on by task, never deleted. */
import { describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors.js";
import { imageExport, imageExportWaiter, imageOfTask, liveExports, normalizeExport } from "../../src/kinds/image-export.js";
import { image } from "../../src/kinds/image.js";
import { analyzeManifest, defaultChecks } from "../../src/manifest/index.js";
import type { ManifestDoc } from "../../src/model/resource.js";
import { change, desired, live, REGION, shape } from "./helpers.js";

const ROLE = "arn:aws:iam::123456789012:role/export";
const ARN = "arn:aws:appstream:us-east-1:123456789012:image/golden";

const manifest = (exportTo: Record<string, unknown> | undefined): ManifestDoc => ({
  apiVersion: "appstreamctl/v1", metadata: { name: "t" },
  images: [{ name: "plain" }, { name: "golden", ...(exportTo ? { exportTo } : {}) }],
});

const exported = (spec: Record<string, unknown>, state = "COMPLETED") => ({
  ...live("ImageExport", "golden", { image: "golden", ...spec }, state),
  facts: { taskId: "11111111-2222-3333-4444-555555555555", amiId: "ami-0123456789abcdef0" },
});

describe("ImageExport", () => {
  it("is derived from the images that declare exportTo, after their image, and is never deleted", () => {
    const d = imageExport.derive(manifest({ amiName: "golden-ami", iamRoleArn: ROLE }));
    expect(d).toEqual([{
      kind: "ImageExport", name: "golden", address: "ImageExport/golden",
      spec: { amiName: "golden-ami", iamRoleArn: ROLE, image: "golden" }, pointer: "/images/1/exportTo", dependsOn: ["Image/golden"],
    }]);
    expect([imageExport.ownership, image.fields.exportTo!.role]).toEqual(["never", "association"]);
    expect(imageExport.remove(exported({ amiName: "golden-ami" }), REGION)).toEqual([]);
    expect(imageExport.removeWarning!(exported({ amiName: "golden-ami" }))).toBe(
      "only the record of the export goes: the AMI golden-ami (ami-0123456789abcdef0) stays in EC2",
    );
  });

  it("create: one CreateExportImageTask with every member the manifest gives", () => {
    const d = desired("ImageExport", "golden", {
      image: "golden", amiName: "golden-ami", iamRoleArn: ROLE, amiDescription: "Golden AMI", tagSpecifications: { team: "apps" },
    });
    expect(shape(imageExport.create(d, REGION))).toEqual([{
      id: "export", op: "image-export.create", after: [],
      params: { ImageName: "golden", AmiName: "golden-ami", IamRoleArn: ROLE, AmiDescription: "Golden AMI", TagSpecifications: { team: "apps" } },
    }]);
  });

  it("update: a new amiName is a new export, and the plan says the previous AMI stays", () => {
    const d = desired("ImageExport", "golden", { image: "golden", amiName: "golden-v2", iamRoleArn: ROLE });
    const up = imageExport.update(d, exported({ amiName: "golden-ami" }), [change(imageExport, "amiName")], REGION);
    expect(shape(up.steps)).toEqual([{ id: "export", op: "image-export.create", after: [], params: { ImageName: "golden", AmiName: "golden-v2", IamRoleArn: ROLE } }]);
    expect([up.disruption, up.reason]).toEqual([
      "none",
      "an AMI export is a one-shot copy: exported again, to AMI golden-v2; the AMI golden-ami (ami-0123456789abcdef0) of the previous export stays",
    ]);
  });

  it("update: a changed description or tags under the same amiName is refused with plan.image-export", () => {
    const d = desired("ImageExport", "golden", { image: "golden", amiName: "golden-ami", iamRoleArn: ROLE, amiDescription: "new" });
    let err: unknown;
    try {
      imageExport.update(d, exported({ amiName: "golden-ami", amiDescription: "old" }), [change(imageExport, "amiDescription")], REGION);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("plan.image-export");
    expect((err as AppError).message).toMatch(/^ImageExport\/golden: the image was already exported to AMI golden-ami \(ami-0123456789abcdef0\)/);
  });

  it("fields: the role is never compared (the task does not return it); description and tags are kept when left out", () => {
    expect(imageExport.fields.iamRoleArn!.mode).toBe("write-only");
    expect(imageExport.fields.amiDescription!.removal).toEqual({ keep: "an exported AMI keeps the description and tags it was exported with" });
    expect(imageExport.fields.tagSpecifications!.removal).toEqual({ keep: "an exported AMI keeps the description and tags it was exported with" });
  });

  it("settle: an export still EXPORTING is waited for by its task id; a COMPLETED one needs nothing", () => {
    expect(imageExport.settle!(exported({ amiName: "golden-ami" }, "EXPORTING"))).toEqual({
      steps: [{ id: "exported", op: "wait", params: { kind: "image-export", name: "11111111-2222-3333-4444-555555555555", until: "COMPLETED" }, after: [] }],
      diff: { path: "state", before: "EXPORTING", after: "COMPLETED", sensitive: false, why: "state" },
    });
    expect(imageExport.settle!(exported({ amiName: "golden-ami" }))).toBeUndefined();
  });

  it("normalize: a task in manifest shape, with its task id and AMI id as facts", () => {
    const task = {
      TaskId: "t-1", ImageArn: ARN, AmiName: "golden-ami", CreatedDate: new Date(1000), State: "COMPLETED" as const,
      AmiId: "ami-0123456789abcdef0", TagSpecifications: { team: "apps" }, AmiDescription: "d",
    };
    expect(imageOfTask(task)).toBe("golden");
    expect(normalizeExport("golden", task)).toEqual({
      kind: "ImageExport", name: "golden", address: "ImageExport/golden",
      spec: { image: "golden", amiName: "golden-ami", amiDescription: "d", tagSpecifications: { team: "apps" } },
      state: "COMPLETED", errors: [], createdTime: 1000, facts: { taskId: "t-1", amiId: "ami-0123456789abcdef0" },
    });
  });

  it("read: an image's live export is its latest task that made (or is making) an AMI; other images' tasks are left out", () => {
    const task = (id: string, at: number, State: "EXPORTING" | "COMPLETED" | "FAILED" | "TIMED_OUT", image = ARN) =>
      ({ TaskId: id, ImageArn: image, AmiName: `ami-name-${id}`, CreatedDate: new Date(at), State });
    const tasks = [
      task("a", 1, "COMPLETED"), task("b", 2, "COMPLETED"), task("c", 3, "FAILED"), task("d", 4, "TIMED_OUT"),
      task("e", 5, "EXPORTING", "arn:aws:appstream:us-east-1:123456789012:image/other"),
    ];
    expect(liveExports(tasks, new Set(["golden"])).map((l) => [l.address, l.spec.amiName, l.state])).toEqual([["ImageExport/golden", "ami-name-b", "COMPLETED"]]);
    expect(liveExports(tasks.slice(2, 4), new Set(["golden"]))).toEqual([]);
  });

  it("waiter: by TaskId; FAILED ends the wait at once with the task's error", () => {
    const failed = {
      TaskId: "t-1", ImageArn: ARN, AmiName: "golden-ami", CreatedDate: new Date(0), State: "FAILED" as const,
      ErrorDetails: [{ ErrorCode: "IMAGE_EXPORT_FAILURE", ErrorMessage: "boom" }],
    };
    expect([imageExportWaiter.kind, imageExportWaiter.name(failed), imageExportWaiter.state(failed)]).toEqual(["image-export", "t-1", "FAILED"]);
    expect(imageExportWaiter.problem(failed, "COMPLETED")).toEqual({
      message: "the export of image golden to AMI golden-ami FAILED: IMAGE_EXPORT_FAILURE: boom", fatal: true,
    });
    expect(imageExportWaiter.problem({ ...failed, State: "EXPORTING", ErrorDetails: [] }, "COMPLETED")).toBeUndefined();
    expect(imageExportWaiter.problem({ ...failed, State: "TIMED_OUT", ErrorDetails: [] }, "COMPLETED")).toEqual({
      message: "the export of image golden to AMI golden-ami TIMED_OUT", fatal: true,
    });
  });

  it("schema: amiName and iamRoleArn are required; amiName follows the model's pattern", () => {
    const codes = (exportTo: unknown) =>
      analyzeManifest([{ file: "m.yaml", text: JSON.stringify({ apiVersion: "appstreamctl/v1", metadata: { name: "t" }, images: [{ name: "golden", exportTo }] }) }], {}, defaultChecks())
        .diagnostics.filter((x) => x.severity === "error").map((x) => [x.code, x.pointer]);
    expect(codes({ amiName: "golden-ami", iamRoleArn: ROLE })).toEqual([]);
    expect(codes({ amiName: "golden-ami" })).toEqual([["schema.required", "/images/0/exportTo"]]);
    expect(codes({ amiName: "no spaces", iamRoleArn: ROLE })).toEqual([["schema.pattern", "/images/0/exportTo/amiName"]]);
    expect(codes({ amiName: "golden-ami", iamRoleArn: ROLE, tagSpecifications: {} })).toEqual([["schema.items", "/images/0/exportTo/tagSpecifications"]]);
  });
});
