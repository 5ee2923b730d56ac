import {
  CopyImageCommand,
  CreateFleetCommand,
  CreateImageBuilderCommand,
  CreateImportedImageCommand,
  CreateUpdatedImageCommand,
  DeleteFleetCommand,
  DeleteImageCommand,
  DescribeImageBuildersCommand,
  DescribeImagesCommand,
  ListTagsForResourceCommand,
  StartImageBuilderCommand,
  UpdateImagePermissionsCommand,
  paginateDescribeImages,
  type Image,
} from "@aws-sdk/client-appstream";
import { describe, expect, test } from "vitest";
import { control, errorOf, fleetInput, type TestEmulator, useEmulator } from "./helpers.js";

const PUBLIC = "AppStream-WinServer2022-11-12-2025";
const ROLE = "arn:aws:iam::123456789012:role/AppStreamImport";
const AMI = "ami-0123456789abcdef0";

/** Makes a private image through the control hook from builder `builder` (created on first use). */
async function makeImage(t: TestEmulator, name: string, extra: Record<string, unknown> = {}, builder = "img-builder"): Promise<any> {
  const existing = await t.client.send(new DescribeImageBuildersCommand({})).then((o) => o.ImageBuilders ?? []);
  const b = existing.find((x) => x.Name === builder);
  if (!b) await t.client.send(new CreateImageBuilderCommand({ Name: builder, InstanceType: "stream.standard.small", ImageName: PUBLIC }));
  else if (b.State === "STOPPED") await t.client.send(new StartImageBuilderCommand({ Name: builder }));
  const res = await control(t.emu.url, "POST", "images", { builderName: builder, imageName: name, ...extra });
  expect(res.status).toBe(200);
  return res.body.image;
}

async function image(t: TestEmulator, name: string, client = t.client): Promise<Image | undefined> {
  return (await client.send(new DescribeImagesCommand({ Names: [name] }))).Images?.[0];
}

describe("images, immediate transitions", () => {
  const emulator = useEmulator({ pageSize: 2 }, { scope: "all" });

  test("IMG-01 every region starts with PUBLIC base images (NATIVE, AVAILABLE, ARN without account)", async () => {
    const out = await emulator().client.send(new DescribeImagesCommand({ Type: "PUBLIC", MaxResults: 25 }));
    const names = (out.Images ?? []).map((i) => i.Name);
    expect(names).toContain(PUBLIC);
    const img = out.Images?.find((i) => i.Name === PUBLIC);
    expect(img).toMatchObject({ Visibility: "PUBLIC", State: "AVAILABLE", ImageType: "NATIVE", Platform: "WINDOWS_SERVER_2022", Arn: `arn:aws:appstream:us-east-1::image/${PUBLIC}` });
    expect(img?.PublicBaseImageReleasedDate?.toISOString()).toBe("2025-11-12T00:00:00.000Z");
    const west = await image(emulator(), PUBLIC, emulator().clientFor("eu-west-1"));
    expect(west?.Arn).toBe(`arn:aws:appstream:eu-west-1::image/${PUBLIC}`);
  });

  test("IMG-20 POST /_emulator/images makes a PRIVATE image from a RUNNING builder, which goes SNAPSHOTTING → STOPPED; IMG-02 the Image view", async () => {
    const made = await makeImage(emulator(), "img-hook", { description: "golden", tags: { team: "euc" } }, "hook-builder");
    expect(made).toMatchObject({ Name: "img-hook", Visibility: "PRIVATE", ImageBuilderName: "hook-builder", Description: "golden" });
    const img = await image(emulator(), "img-hook");
    expect(img).toMatchObject({
      State: "AVAILABLE",
      Arn: "arn:aws:appstream:us-east-1:123456789012:image/img-hook",
      BaseImageArn: `arn:aws:appstream:us-east-1::image/${PUBLIC}`,
      Platform: "WINDOWS_SERVER_2022",
      ImageSharedWithOthers: "FALSE",
    });
    expect(img).not.toHaveProperty("Tags");
    expect((await emulator().client.send(new ListTagsForResourceCommand({ ResourceArn: img?.Arn }))).Tags).toEqual({ team: "euc" });
    const builder = (await emulator().client.send(new DescribeImageBuildersCommand({ Names: ["hook-builder"] }))).ImageBuilders?.[0];
    expect(builder?.State).toBe("STOPPED");
    const notRunning = await control(emulator().emu.url, "POST", "images", { builderName: "hook-builder", imageName: "img-hook-2" });
    expect(notRunning.status).toBe(400);
    expect(notRunning.body.__type).toBe("OperationNotPermittedException");
    const taken = await control(emulator().emu.url, "POST", "images", { visibility: "SHARED", imageName: "img-hook" });
    expect(taken.body.__type).toBe("ResourceAlreadyExistsException");
  });

  test("IMG-03 Names and Arns filters return those images; an unknown one → ResourceNotFoundException; both together → InvalidParameterCombinationException", async () => {
    await makeImage(emulator(), "img-filter");
    const byName = await emulator().client.send(new DescribeImagesCommand({ Names: ["img-filter", PUBLIC] }));
    expect(byName.Images?.map((i) => i.Name)).toEqual(["img-filter", PUBLIC]);
    const arn = "arn:aws:appstream:us-east-1:123456789012:image/img-filter";
    const byArn = await emulator().client.send(new DescribeImagesCommand({ Arns: [arn] }));
    expect(byArn.Images?.map((i) => i.Name)).toEqual(["img-filter"]);
    expect((await errorOf(() => emulator().client.send(new DescribeImagesCommand({ Names: ["img-filter", "nope"] })))).name).toBe("ResourceNotFoundException");
    expect((await errorOf(() => emulator().client.send(new DescribeImagesCommand({ Arns: [`${arn}x`] })))).name).toBe("ResourceNotFoundException");
    expect((await errorOf(() => emulator().client.send(new DescribeImagesCommand({ Names: ["img-filter"], Arns: [arn] })))).name).toBe(
      "InvalidParameterCombinationException",
    );
  });

  test("IMG-04 Type filters by visibility; IMG-21 a SHARED image comes from the control API", async () => {
    const shared = await control(emulator().emu.url, "POST", "images", { visibility: "SHARED", imageName: "img-shared", allowImageBuilder: false });
    expect(shared.body.image).toMatchObject({ Visibility: "SHARED", Arn: "arn:aws:appstream:us-east-1:210987654321:image/img-shared" });
    expect(shared.body.image.ImagePermissions).toEqual({ allowFleet: true, allowImageBuilder: false });
    const list = await emulator().client.send(new DescribeImagesCommand({ Type: "SHARED" }));
    expect(list.Images?.map((i) => i.Name)).toEqual(["img-shared"]);
    const priv = await emulator().client.send(new DescribeImagesCommand({ Type: "PRIVATE", MaxResults: 25 }));
    expect(priv.Images?.every((i) => i.Visibility === "PRIVATE")).toBe(true);
    const err = await errorOf(() => emulator().client.send(new CreateImageBuilderCommand({ Name: "on-shared", InstanceType: "stream.standard.small", ImageName: "img-shared" })));
    expect(err.name).toBe("OperationNotPermittedException");
  });

  test("IMG-05 the SDK's paginateDescribeImages walks pages of MaxResults (0–25) and sees every image once", async () => {
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeImages({ client: emulator().client, pageSize: 3 }, {})) {
      pages++;
      expect((page.Images ?? []).length).toBeLessThanOrEqual(3);
      seen.push(...(page.Images ?? []).map((i) => String(i.Name)));
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toContain(PUBLIC);
    expect(pages).toBe(Math.ceil(seen.length / 3));
    const big = await errorOf(() => emulator().client.send(new DescribeImagesCommand({ MaxResults: 26 })));
    expect(big.name).toBe("ValidationException");
  });

  test("IMG-06 public and shared images cannot be deleted → OperationNotPermittedException", async () => {
    expect((await errorOf(() => emulator().client.send(new DeleteImageCommand({ Name: PUBLIC })))).name).toBe("OperationNotPermittedException");
    await control(emulator().emu.url, "POST", "images", { visibility: "SHARED", imageName: "img-shared-del" });
    expect((await errorOf(() => emulator().client.send(new DeleteImageCommand({ Name: "img-shared-del" })))).name).toBe("OperationNotPermittedException");
    expect((await errorOf(() => emulator().client.send(new DeleteImageCommand({ Name: "nope" })))).name).toBe("ResourceNotFoundException");
  });

  test("IMG-07 an image used by a fleet (by name or by ARN) → ResourceInUseException", async () => {
    await makeImage(emulator(), "img-used");
    await emulator().client.send(new CreateFleetCommand(fleetInput("fleet-by-name", { ImageName: "img-used" })));
    const err = await errorOf(() => emulator().client.send(new DeleteImageCommand({ Name: "img-used" })));
    expect(err.name).toBe("ResourceInUseException");
    await emulator().client.send(new DeleteFleetCommand({ Name: "fleet-by-name" }));
    await emulator().client.send(
      new CreateFleetCommand(fleetInput("fleet-by-arn", { ImageName: undefined, ImageArn: "arn:aws:appstream:us-east-1:123456789012:image/img-used" })),
    );
    expect((await errorOf(() => emulator().client.send(new DeleteImageCommand({ Name: "img-used" })))).name).toBe("ResourceInUseException");
    await emulator().client.send(new DeleteFleetCommand({ Name: "fleet-by-arn" }));
    const deleted = await emulator().client.send(new DeleteImageCommand({ Name: "img-used" }));
    expect(deleted.Image?.State).toBe("DELETING");
  });

  test("IMG-08 an image shared with another account → ResourceInUseException", async () => {
    await makeImage(emulator(), "img-shared-out");
    await emulator().client.send(new UpdateImagePermissionsCommand({ Name: "img-shared-out", SharedAccountId: "210987654321", ImagePermissions: { allowFleet: true } }));
    expect((await image(emulator(), "img-shared-out"))?.ImageSharedWithOthers).toBe("TRUE");
    expect((await errorOf(() => emulator().client.send(new DeleteImageCommand({ Name: "img-shared-out" })))).name).toBe("ResourceInUseException");
  });

  test("IMG-09 DeleteImage → DELETING → gone: Describe raises ResourceNotFoundException and the name is free again", async () => {
    await makeImage(emulator(), "img-del");
    const out = await emulator().client.send(new DeleteImageCommand({ Name: "img-del" }));
    expect(out.Image).toMatchObject({ Name: "img-del", State: "DELETING" });
    expect((await errorOf(() => image(emulator(), "img-del"))).name).toBe("ResourceNotFoundException");
    await makeImage(emulator(), "img-del");
    expect((await image(emulator(), "img-del"))?.State).toBe("AVAILABLE");
  });

  test("IMG-10 CopyImage in the same region: returns DestinationImageName; new description; tags and builder name not copied", async () => {
    await makeImage(emulator(), "img-src", { tags: { team: "euc" } });
    const out = await emulator().client.send(
      new CopyImageCommand({ SourceImageName: "img-src", DestinationImageName: "img-copy", DestinationRegion: "us-east-1", DestinationImageDescription: "copy" }),
    );
    expect(out.DestinationImageName).toBe("img-copy");
    const copy = await image(emulator(), "img-copy");
    expect(copy).toMatchObject({ Name: "img-copy", State: "AVAILABLE", Visibility: "PRIVATE", Description: "copy", Arn: "arn:aws:appstream:us-east-1:123456789012:image/img-copy" });
    expect(copy?.ImageBuilderName).toBeUndefined();
    expect((await emulator().client.send(new ListTagsForResourceCommand({ ResourceArn: copy?.Arn }))).Tags).toEqual({});
  });

  test("IMG-11 CopyImage to another region creates the image there, with that region's ARN", async () => {
    await emulator().client.send(new CopyImageCommand({ SourceImageName: "img-src", DestinationImageName: "img-src", DestinationRegion: "eu-central-1" }));
    const there = await image(emulator(), "img-src", emulator().clientFor("eu-central-1"));
    expect(there?.Arn).toBe("arn:aws:appstream:eu-central-1:123456789012:image/img-src");
  });

  test("IMG-12 CopyImage: a taken destination name → ResourceAlreadyExists; a missing source → ResourceNotFound; a public source → ResourceNotAvailable", async () => {
    const taken = await errorOf(() => emulator().client.send(new CopyImageCommand({ SourceImageName: "img-src", DestinationImageName: "img-copy", DestinationRegion: "us-east-1" })));
    expect(taken.name).toBe("ResourceAlreadyExistsException");
    const missing = await errorOf(() => emulator().client.send(new CopyImageCommand({ SourceImageName: "nope", DestinationImageName: "x", DestinationRegion: "us-east-1" })));
    expect(missing.name).toBe("ResourceNotFoundException");
    const pub = await errorOf(() => emulator().client.send(new CopyImageCommand({ SourceImageName: PUBLIC, DestinationImageName: "x", DestinationRegion: "us-east-1" })));
    expect(pub.name).toBe("ResourceNotAvailableException");
    const region = await errorOf(() => emulator().client.send(new CopyImageCommand({ SourceImageName: "img-src", DestinationImageName: "x", DestinationRegion: "mars-1" })));
    expect(region.name).toBe("ResourceNotFoundException");
  });

  test("IMG-14 CreateUpdatedImage dryRun reports canUpdateImage and creates nothing; POST /_emulator/image-updates marks an update (IMG-22)", async () => {
    await makeImage(emulator(), "img-upd");
    const before = await emulator().client.send(new CreateUpdatedImageCommand({ existingImageName: "img-upd", newImageName: "img-upd-2", dryRun: true }));
    expect(before.canUpdateImage).toBe(false);
    expect(before.image?.Name).toBe("img-upd");
    const marked = await control(emulator().emu.url, "POST", "image-updates", { imageName: "img-upd" });
    expect(marked.status).toBe(200);
    const after = await emulator().client.send(new CreateUpdatedImageCommand({ existingImageName: "img-upd", newImageName: "img-upd-2", dryRun: true }));
    expect(after.canUpdateImage).toBe(true);
    expect((await errorOf(() => image(emulator(), "img-upd-2"))).name).toBe("ResourceNotFoundException");
    const pub = await control(emulator().emu.url, "POST", "image-updates", { imageName: PUBLIC });
    expect(pub.body.__type).toBe("ResourceNotFoundException");
  });

  test("IMG-15 CreateUpdatedImage builds a new image (tags from newImageTags); no update available → IncompatibleImageException; public → OperationNotPermitted; taken name → ResourceAlreadyExists", async () => {
    const out = await emulator().client.send(
      new CreateUpdatedImageCommand({ existingImageName: "img-upd", newImageName: "img-upd-2", newImageDisplayName: "Updated", newImageTags: { v: "2" } }),
    );
    expect(out.canUpdateImage).toBe(true);
    expect(out.image).toMatchObject({ Name: "img-upd-2", DisplayName: "Updated", Visibility: "PRIVATE" });
    expect(out.image?.ImageBuilderName).toBeUndefined();
    expect((await emulator().client.send(new ListTagsForResourceCommand({ ResourceArn: out.image?.Arn }))).Tags).toEqual({ v: "2" });
    const taken = await errorOf(() => emulator().client.send(new CreateUpdatedImageCommand({ existingImageName: "img-upd", newImageName: "img-upd-2" })));
    expect(taken.name).toBe("ResourceAlreadyExistsException");
    const noUpdate = await errorOf(() => emulator().client.send(new CreateUpdatedImageCommand({ existingImageName: "img-upd-2", newImageName: "img-upd-3" })));
    expect(noUpdate.name).toBe("IncompatibleImageException");
    const pub = await errorOf(() => emulator().client.send(new CreateUpdatedImageCommand({ existingImageName: PUBLIC, newImageName: "img-upd-3" })));
    expect(pub.name).toBe("OperationNotPermittedException");
  });

  test("IMG-16 CreateImportedImage with DryRun → DryRunOperationException, HTTP 412, nothing created", async () => {
    const err = await errorOf(() => emulator().client.send(new CreateImportedImageCommand({ Name: "img-imp-dry", SourceAmiId: AMI, IamRoleArn: ROLE, DryRun: true })));
    expect(err.name).toBe("DryRunOperationException");
    expect(err.$metadata?.httpStatusCode).toBe(412);
    expect((await errorOf(() => image(emulator(), "img-imp-dry"))).name).toBe("ResourceNotFoundException");
  });

  test("IMG-17 CreateImportedImage makes a CUSTOM Windows Server 2022 image with its app catalog; a bad role → InvalidRoleException; duplicate application names → ValidationException; a taken name → ResourceAlreadyExists", async () => {
    const out = await emulator().client.send(
      new CreateImportedImageCommand({
        Name: "img-imp",
        SourceAmiId: AMI,
        IamRoleArn: ROLE,
        Description: "imported (x)",
        AppCatalogConfig: [{ Name: "notepad", AbsoluteAppPath: "C:\\Windows\\notepad.exe", DisplayName: "Notepad" }],
        Tags: { src: "ami" },
      }),
    );
    expect(out.Image).toMatchObject({ Name: "img-imp", ImageType: "CUSTOM", Platform: "WINDOWS_SERVER_2022", Visibility: "PRIVATE", Description: "imported (x)" });
    expect(out.Image?.Applications?.[0]).toMatchObject({ Name: "notepad", DisplayName: "Notepad", LaunchPath: "C:\\Windows\\notepad.exe" });
    const role = await errorOf(() => emulator().client.send(new CreateImportedImageCommand({ Name: "img-imp-2", SourceAmiId: AMI, IamRoleArn: "arn:aws:s3:::bucket" })));
    expect(role.name).toBe("InvalidRoleException");
    const taken = await errorOf(() => emulator().client.send(new CreateImportedImageCommand({ Name: "img-imp", SourceAmiId: AMI, IamRoleArn: ROLE })));
    expect(taken.name).toBe("ResourceAlreadyExistsException");
    const app = { Name: "notepad", AbsoluteAppPath: "C:\\notepad.exe" };
    const twice = await errorOf(() =>
      emulator().client.send(new CreateImportedImageCommand({ Name: "img-imp-3", SourceAmiId: AMI, IamRoleArn: ROLE, AppCatalogConfig: [app, app] })),
    );
    expect(twice.name).toBe("ValidationException");
  });

  test("IMG-23 CreateImportedImage from a WorkSpaces image (no role needed); both sources, neither, or an AMI without a role → InvalidParameterCombination", async () => {
    const send = (input: Record<string, unknown>) => emulator().client.send(new CreateImportedImageCommand({ Name: "img-ws", ...input }));
    const out = await send({ WorkspaceImageId: "wsi-0123456789", Description: "byol" });
    expect(out.Image).toMatchObject({ Name: "img-ws", ImageType: "CUSTOM", Platform: "WINDOWS_SERVER_2022", Visibility: "PRIVATE", Description: "byol" });
    const cases = [{ SourceAmiId: AMI, WorkspaceImageId: "wsi-0123456789", IamRoleArn: ROLE }, {}, { SourceAmiId: AMI }];
    for (const input of cases) {
      const err = await errorOf(() => emulator().client.send(new CreateImportedImageCommand({ Name: "img-ws-2", ...input })));
      expect([err.name, err.message]).toEqual([
        "InvalidParameterCombinationException",
        input.SourceAmiId && !input.WorkspaceImageId ? "IamRoleArn is required to import from an AMI (SourceAmiId)." : "Specify exactly one of SourceAmiId and WorkspaceImageId.",
      ]);
    }
    const role = await errorOf(() => send({ Name: "img-ws-3", WorkspaceImageId: "wsi-0123456789", IamRoleArn: "arn:aws:s3:::bucket" }));
    expect(role.name).toBe("InvalidRoleException");
  });
});

describe("images, timed transitions and quotas", () => {
  const emulator = useEmulator({ timeScale: 1, quotas: { images: 6, concurrentImageUpdates: 1 } }, {
    scope: "all",
    setUp: async (t) => {
      await t.client.send(new CreateImageBuilderCommand({ Name: "tb", InstanceType: "stream.standard.small", ImageName: PUBLIC }));
      await control(t.emu.url, "POST", "clock", { advanceSeconds: 6 });
    },
  });

  const advance = (s: number) => control(emulator().emu.url, "POST", "clock", { advanceSeconds: s });

  test("IMG-20 the hook's image is PENDING until the image-create duration has passed; IMG-09 a PENDING image cannot be deleted", async () => {
    const made = await control(emulator().emu.url, "POST", "images", { builderName: "tb", imageName: "t-src", updateAvailable: true });
    expect(made.body.image.State).toBe("PENDING");
    expect((await emulator().client.send(new DescribeImageBuildersCommand({ Names: ["tb"] }))).ImageBuilders?.[0]?.State).toBe("SNAPSHOTTING");
    expect((await errorOf(() => emulator().client.send(new DeleteImageCommand({ Name: "t-src" })))).name).toBe("ConcurrentModificationException");
    // IMG-15: a managed update needs an AVAILABLE source.
    const building = await errorOf(() => emulator().client.send(new CreateUpdatedImageCommand({ existingImageName: "t-src", newImageName: "t-early" })));
    expect(building.name).toBe("OperationNotPermittedException");
    await advance(6);
    expect((await image(emulator(), "t-src"))?.State).toBe("AVAILABLE");
    expect((await emulator().client.send(new DescribeImageBuildersCommand({ Names: ["tb"] }))).ImageBuilders?.[0]?.State).toBe("STOPPED");
  });

  test("IMG-20 `fail: true` makes the image FAILED with a StateChangeReason; IMG-09 a FAILED image can be deleted", async () => {
    await emulator().client.send(new StartImageBuilderCommand({ Name: "tb" }));
    await advance(6);
    await control(emulator().emu.url, "POST", "images", { builderName: "tb", imageName: "t-failed", fail: true });
    await advance(6);
    const failed = await image(emulator(), "t-failed");
    expect(failed?.State).toBe("FAILED");
    expect(failed?.StateChangeReason?.Code).toBe("IMAGE_BUILDER_NOT_AVAILABLE");
    expect((await emulator().client.send(new DeleteImageCommand({ Name: "t-failed" }))).Image?.State).toBe("DELETING");
  });

  test("IMG-10 a copy is PENDING, then AVAILABLE; IMG-13 at most 2 copies in flight per destination region → LimitExceededException", async () => {
    const copy = (dest: string, region = "us-west-2") =>
      emulator().client.send(new CopyImageCommand({ SourceImageName: "t-src", DestinationImageName: dest, DestinationRegion: region }));
    await copy("c1");
    await copy("c2");
    const west = emulator().clientFor("us-west-2");
    expect((await image(emulator(), "c1", west))?.State).toBe("PENDING");
    expect((await errorOf(() => copy("c3"))).name).toBe("LimitExceededException");
    await copy("c3", "us-east-2");
    await advance(6);
    expect((await image(emulator(), "c1", west))?.State).toBe("AVAILABLE");
    await copy("c3");
  });

  test("IMG-15 an updated image is PENDING, then AVAILABLE; IMG-19 concurrent updates beyond the quota → LimitExceededException", async () => {
    const out = await emulator().client.send(new CreateUpdatedImageCommand({ existingImageName: "t-src", newImageName: "t-upd-1" }));
    expect(out.image?.State).toBe("PENDING");
    const busy = await errorOf(() => emulator().client.send(new CreateUpdatedImageCommand({ existingImageName: "t-src", newImageName: "t-upd-2" })));
    expect(busy.name).toBe("LimitExceededException");
    await advance(6);
    expect((await image(emulator(), "t-upd-1"))?.State).toBe("AVAILABLE");
  });

  test("IMG-17 an imported image is IMPORTING, then VALIDATING with a runtime validation, then AVAILABLE", async () => {
    const out = await emulator().client.send(
      new CreateImportedImageCommand({ Name: "t-imp", SourceAmiId: AMI, IamRoleArn: ROLE, RuntimeValidationConfig: { IntendedInstanceType: "stream.standard.small" } }),
    );
    expect(out.Image?.State).toBe("IMPORTING");
    await advance(3);
    expect((await image(emulator(), "t-imp"))?.State).toBe("VALIDATING");
    await advance(3);
    expect((await image(emulator(), "t-imp"))?.State).toBe("AVAILABLE");
  });

  test("IMG-09 once the delete duration has passed the image is gone for fleets and tags too, before any image call purges it", async () => {
    await emulator().client.send(new CreateImportedImageCommand({ Name: "t-gone", SourceAmiId: AMI, IamRoleArn: ROLE }));
    await advance(6);
    await emulator().client.send(new DeleteImageCommand({ Name: "t-gone" }));
    await advance(3);
    const fleet = await errorOf(() => emulator().client.send(new CreateFleetCommand(fleetInput("f-gone", { ImageName: "t-gone" }))));
    expect(fleet.name).toBe("ResourceNotFoundException");
    const tags = await errorOf(() => emulator().client.send(new ListTagsForResourceCommand({ ResourceArn: "arn:aws:appstream:us-east-1:123456789012:image/t-gone" })));
    expect(tags.name).toBe("ResourceNotFoundException");
  });

  test("IMG-18 beyond the images quota (private images per region) → LimitExceededException", async () => {
    // t-src, t-upd-1, t-imp: three private images in us-east-1 (t-gone and t-failed are gone); the quota is 6.
    for (const n of ["q1", "q2", "q3"]) await emulator().client.send(new CreateImportedImageCommand({ Name: n, SourceAmiId: AMI, IamRoleArn: ROLE }));
    const err = await errorOf(() => emulator().client.send(new CreateImportedImageCommand({ Name: "q4", SourceAmiId: AMI, IamRoleArn: ROLE })));
    expect(err.name).toBe("LimitExceededException");
  });
});
