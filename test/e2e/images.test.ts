/**
 * Images as a managed lifecycle (issue #6), end to end through the CLI and the real SDK against the
 * emulator: every image form converges to AVAILABLE and re-plans to nothing; sharing is added, changed
 * and revoked with exactly one permission call per account; and an owned image is never deleted while a
 * fleet uses it. CopyImage-only and CreateUpdatedImage-only applies are in apply-safety.test.ts and
 * selector newest-wins in plan-options.test.ts; here the forms are applied together with tags and sharing.
 */
import { CreateFleetCommand, CreateImageBuilderCommand, DescribeImagePermissionsCommand } from "@aws-sdk/client-appstream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calls, control, startTestEmulator, type TestEmulator } from "../emulator/helpers.js";
import { apply, changesOf, mutations, planOf, table } from "./apply-helpers.js";
import { cli, fakeAwsCredentials, writeManifest } from "./helpers.js";
import { applyLog } from "./issue6-helpers.js";

const BASE = "AppStream-WinServer2022-11-12-2025";
const ACCOUNT = "123456789012";
const arnOf = (region: string, name: string) => `arn:aws:appstream:${region}:${ACCOUNT}:image/${name}`;

beforeAll(fakeAwsCredentials);

/** Makes a private AVAILABLE image with the control hook (the Image Assistant has no API, reference §19). */
async function privateImage(t: TestEmulator, name: string, region = "us-east-1"): Promise<void> {
  const builder = `${name}-b`;
  await t.clientFor(region).send(new CreateImageBuilderCommand({ Name: builder, InstanceType: "stream.standard.medium", ImageName: BASE }));
  const made = await control(t.emu.url, "POST", "images", { builderName: builder, imageName: name, region });
  expect(made.status, JSON.stringify(made.body)).toBe(200);
}

/** The shares of an image as the service reports them: account → permissions. */
async function sharesOf(t: TestEmulator, image: string): Promise<Record<string, { allowFleet?: boolean; allowImageBuilder?: boolean }>> {
  const out = await t.client.send(new DescribeImagePermissionsCommand({ Name: image }));
  return Object.fromEntries((out.SharedImagePermissionsList ?? []).map((s) => [s.sharedAccountId, { ...s.imagePermissions }]));
}

/** The tags of a resource as the emulator holds them. */
async function tagsOf(t: TestEmulator, arn: string): Promise<Record<string, string>> {
  const { body } = await control(t.emu.url, "GET", "state");
  return (body.regions?.["us-east-1"]?.tags?.[arn] ?? {}) as Record<string, string>;
}

describe("every image form in one manifest converges to AVAILABLE and re-plans to nothing", () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator();
    await privateImage(t, "adopted");
    await privateImage(t, "base");
    await privateImage(t, "golden", "us-west-2");
    expect((await control(t.emu.url, "POST", "image-updates", { imageName: "base" })).status).toBe(200);
  });
  afterAll(async () => t.close());

  it("adopt + updateOf + importFromAmi + copyOf: exactly the producing calls, tags and shares, all AVAILABLE, then a no-op plan", async () => {
    const file = writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: forms, region: us-east-1 }
images:
  - name: adopted
    tags: { tier: gold }
    sharedWith: [{ accountId: "111122223333" }]
  - name: base-patched
    source: { updateOf: base }
    tags: { tier: silver }
  - name: imported
    description: from the golden AMI
    source: { importFromAmi: { sourceAmiId: ami-0123456789abcdef0, iamRoleArn: "arn:aws:iam::${ACCOUNT}:role/import" } }
    sharedWith: [{ accountId: "444455556666", allowFleet: true, allowImageBuilder: true }]
  - name: golden-copy
    source: { copyOf: { region: us-west-2, name: golden } }
    tags: { tier: bronze }
`);
    await control(t.emu.url, "DELETE", "calls");
    const r = await apply(t.emu.url, file);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const log = (await calls(t.emu.url)).filter((c) => c.mutating);
    expect(log.map((c) => `${c.region} ${c.operation} ${c.resource}`).sort()).toEqual([
      `us-east-1 CreateImportedImage imported`,
      `us-east-1 CreateUpdatedImage base`,
      `us-east-1 TagResource ${arnOf("us-east-1", "adopted")}`,
      `us-east-1 TagResource ${arnOf("us-east-1", "golden-copy")}`,
      `us-east-1 UpdateImagePermissions adopted`,
      `us-east-1 UpdateImagePermissions imported`,
      `us-west-2 CopyImage golden`,
    ]);
    // The shares go out only once their image exists and is AVAILABLE.
    const seqOf = (op: string, res: string) => log.find((c) => c.operation === op && c.resource === res)!.seq;
    expect(seqOf("UpdateImagePermissions", "imported")).toBeGreaterThan(seqOf("CreateImportedImage", "imported"));

    const images = await table(t.emu.url, "us-east-1", "images");
    for (const n of ["adopted", "base-patched", "imported", "golden-copy"]) expect(images[n]?.state, n).toBe("AVAILABLE");
    expect(await sharesOf(t, "adopted")).toEqual({ "111122223333": { allowFleet: true, allowImageBuilder: false } });
    expect(await sharesOf(t, "imported")).toEqual({ "444455556666": { allowFleet: true, allowImageBuilder: true } });
    const owner = { "appstreamctl:set": "forms" };
    expect(await tagsOf(t, arnOf("us-east-1", "adopted"))).toEqual({ ...owner, tier: "gold" });
    // A produced image also carries the digest of its source, which DescribeImages never returns.
    const written = { "appstreamctl:written": expect.stringMatching(/^source=[0-9a-f]{12}$/) };
    expect(await tagsOf(t, arnOf("us-east-1", "base-patched"))).toEqual({ ...owner, ...written, tier: "silver" });
    expect(await tagsOf(t, arnOf("us-east-1", "imported"))).toEqual({ ...owner, ...written });
    expect(await tagsOf(t, arnOf("us-east-1", "golden-copy"))).toEqual({ ...owner, ...written, tier: "bronze" });

    await control(t.emu.url, "DELETE", "calls");
    expect(changesOf(await planOf(t.emu.url, file))).toEqual({});
    expect(await mutations(t.emu.url)).toEqual([]);
    // DescribeImages says which images are shared (ImageSharedWithOthers): only those have shares to read.
    const permissionReads = (await calls(t.emu.url)).filter((c) => c.operation === "DescribeImagePermissions").map((c) => c.resource);
    expect(permissionReads.sort()).toEqual(["adopted", "imported"]);
  });
});

/** A manifest adopting the image `shared` with these `sharedWith` entries. */
const sharing = (entries: string) => writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: share }
images:
  - name: shared
    sharedWith: ${entries}
`);

describe("sharing: add, change, revoke — one permission call per account, and a warning when fleets lose the image", () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator();
    await privateImage(t, "shared");
  });
  afterAll(async () => t.close());


  it("add two accounts: two UpdateImagePermissions (and the adoption's owner tag)", async () => {
    const file = sharing(`[{ accountId: "111122223333" }, { accountId: "444455556666", allowImageBuilder: false }]`);
    const plan = await planOf(t.emu.url, file);
    expect(changesOf(plan)).toEqual({
      "Image/shared": "update",
      "ImagePermission/shared/111122223333": "create",
      "ImagePermission/shared/444455556666": "create",
    });
    expect((await applyLog(t.emu.url, file)).sort()).toEqual([
      `TagResource ${arnOf("us-east-1", "shared")}`, "UpdateImagePermissions shared", "UpdateImagePermissions shared",
    ]);
    expect(await sharesOf(t, "shared")).toEqual({
      "111122223333": { allowFleet: true, allowImageBuilder: false },
      "444455556666": { allowFleet: true, allowImageBuilder: false },
    });
  });

  it("change: flipping allowImageBuilder on one account is one UpdateImagePermissions and no warning", async () => {
    const file = sharing(`[{ accountId: "111122223333" }, { accountId: "444455556666", allowImageBuilder: true }]`);
    const plan = await planOf(t.emu.url, file);
    expect(changesOf(plan)).toEqual({ "ImagePermission/shared/444455556666": "update" });
    const c = plan.resourceChanges.find((x) => x.address === "ImagePermission/shared/444455556666")!;
    expect(c.diff).toMatchObject([{ path: "allowImageBuilder", before: false, after: true }]);
    expect(c.warnings ?? []).toEqual([]);
    expect(await applyLog(t.emu.url, file)).toEqual(["UpdateImagePermissions shared"]);
    expect((await sharesOf(t, "shared"))["444455556666"]).toEqual({ allowFleet: true, allowImageBuilder: true });
  });

  it("revoke: an account removed from sharedWith is one DeleteImagePermissions, and the plan text warns about its fleets", async () => {
    const file = sharing(`[{ accountId: "444455556666", allowImageBuilder: true }]`);
    const text = await cli(t.emu.url, ["-f", file, "plan"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("ImagePermission/shared/111122223333");
    expect(text.stdout).toContain("account 111122223333 loses fleet permission: its fleets using this image drop to 0 capacity");
    expect(text.stdout).toContain("Plan: 0 to add, 0 to change, 1 to destroy.");
    expect(await applyLog(t.emu.url, file)).toEqual(["DeleteImagePermissions shared"]);
    expect(await sharesOf(t, "shared")).toEqual({ "444455556666": { allowFleet: true, allowImageBuilder: true } });
  });

  it("revoking allowFleet while keeping the share is one UpdateImagePermissions with the same warning", async () => {
    const file = sharing(`[{ accountId: "444455556666", allowFleet: false, allowImageBuilder: true }]`);
    const text = await cli(t.emu.url, ["-f", file, "plan"]);
    expect(text.stdout).toContain("account 444455556666 loses fleet permission: its fleets using this image drop to 0 capacity");
    expect(text.stdout).toContain("Plan: 0 to add, 1 to change, 0 to destroy.");
    expect(await applyLog(t.emu.url, file)).toEqual(["UpdateImagePermissions shared"]);
    expect(await sharesOf(t, "shared")).toEqual({ "444455556666": { allowFleet: false, allowImageBuilder: true } });
  });
});

describe("the in-use deletion guard (--prune of an owned image)", () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator();
    for (const n of ["legacy", "old", "new"]) await privateImage(t, n);
  });
  afterAll(async () => t.close());

  it("a fleet and a builder outside the manifest use it: kept, shares kept, the plan names both, no DeleteImage", async () => {
    const owned = writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: guard }
images:
  - name: legacy
    sharedWith: [{ accountId: "111122223333" }]
`);
    expect((await apply(t.emu.url, owned)).code).toBe(0);
    await t.client.send(new CreateFleetCommand({ Name: "outside", InstanceType: "stream.standard.medium", ImageName: "legacy", ComputeCapacity: { DesiredInstances: 1 } }));
    await t.client.send(new CreateImageBuilderCommand({ Name: "outside-b", InstanceType: "stream.standard.medium", ImageName: "legacy" }));
    const empty = writeManifest("apiVersion: appstreamctl/v1\nmetadata: { name: guard }\n");

    const plan = await planOf(t.emu.url, empty, ["--prune"]);
    expect(changesOf(plan)).toEqual({});
    expect(plan.resourceChanges.find((c) => c.address === "Image/legacy")?.warnings).toEqual(["not deleted: still used by ImageBuilder/outside-b, Fleet/outside"]);
    await control(t.emu.url, "DELETE", "calls");
    const r = await apply(t.emu.url, empty, ["--prune"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await mutations(t.emu.url)).toEqual([]);
    expect((await table(t.emu.url, "us-east-1", "images")).legacy?.state).toBe("AVAILABLE");
    expect(await sharesOf(t, "legacy")).toEqual({ "111122223333": { allowFleet: true, allowImageBuilder: false } });
  });

  it("the text plan names the users that keep the image", async () => {
    const empty = writeManifest("apiVersion: appstreamctl/v1\nmetadata: { name: guard }\n");
    const text = await cli(t.emu.url, ["-f", empty, "plan", "--prune"]);
    expect(text.code).toBe(0);
    expect(text.stdout + text.stderr).toContain("not deleted: still used by ImageBuilder/outside-b, Fleet/outside");
  });

  it("a managed fleet moves to another image in the same apply: shares revoked and fleet updated before DeleteImage, no ResourceInUse", async () => {
    const fleet = (image: string) => `fleets:
  - name: mover
    instanceType: stream.standard.medium
    imageName: ${image}
    computeCapacity: { desiredInstances: 1 }
`;
    const before = writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: move }
images:
  - name: old
    sharedWith: [{ accountId: "111122223333" }]
  - name: new
${fleet("old")}`);
    expect((await apply(t.emu.url, before)).code).toBe(0);
    const after = writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: move }
images:
  - name: new
${fleet("new")}`);
    expect(changesOf(await planOf(t.emu.url, after, ["--prune"]))).toEqual({
      "Fleet/mover": "update",
      "Image/old": "delete",
      "ImagePermission/old/111122223333": "delete",
    });
    await control(t.emu.url, "DELETE", "calls");
    const r = await apply(t.emu.url, after, ["--prune"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const log = await calls(t.emu.url);
    // The only non-ok answer is the deletion waiter's DescribeImages of the image once it is gone.
    expect(log.filter((c) => c.outcome !== "ok").map((c) => `${c.operation} ${c.outcome}`)).toEqual(["DescribeImages ResourceNotFoundException"]);
    const order = log.filter((c) => c.mutating).map((c) => `${c.operation} ${c.resource}`);
    expect(order).toEqual(expect.arrayContaining(["UpdateFleet mover", "DeleteImagePermissions old", "DeleteImage old"]));
    expect(order).toHaveLength(3);
    expect(order.at(-1)).toBe("DeleteImage old");
    expect(Object.keys(await table(t.emu.url, "us-east-1", "images"))).not.toContain("old");
    expect(changesOf(await planOf(t.emu.url, after, ["--prune"]))).toEqual({});
  });
  it("a managed fleet replaced (fleetType) but staying on the image: kept, and the apply has no ResourceInUse", async () => {
    const fleet = (fleetType: string) => `fleets:
  - name: pinned-f
    instanceType: stream.standard.medium
    fleetType: ${fleetType}
    imageName: pinned
    computeCapacity: { desiredInstances: 1 }
`;
    await privateImage(t, "pinned");
    const before = writeManifest(`apiVersion: appstreamctl/v1\nmetadata: { name: pin }\nimages:\n  - name: pinned\n${fleet("ON_DEMAND")}`);
    expect((await apply(t.emu.url, before)).code).toBe(0);
    const after = writeManifest(`apiVersion: appstreamctl/v1\nmetadata: { name: pin }\n${fleet("ALWAYS_ON")}`);
    const plan = await planOf(t.emu.url, after, ["--prune"]);
    expect(changesOf(plan)).toEqual({ "Fleet/pinned-f": "delete,create" });
    expect(plan.resourceChanges.find((c) => c.address === "Image/pinned")?.warnings).toEqual(["not deleted: still used by Fleet/pinned-f"]);
    await control(t.emu.url, "DELETE", "calls");
    const r = await apply(t.emu.url, after, ["--prune"]);
    expect((await calls(t.emu.url)).filter((c) => c.outcome === "ResourceInUseException")).toEqual([]);
    expect(r.code, r.stdout).toBe(0);
  });
});

describe("an image that FAILS while the apply waits for it", () => {
  let t: TestEmulator;
  // Real time (scale 1) with a 3 s image creation, so the plan sees the image still PENDING and the
  // apply has to wait; the clock is moved only to bring the builder up.
  beforeAll(async () => (t = await startTestEmulator({ timeScale: 1, durations: { imageCreate: 3000 } })));
  afterAll(async () => t.close());

  it("the settle wait ends with the service's reason: exit 3, and the share that depends on it is skipped", async () => {
    await t.client.send(new CreateImageBuilderCommand({ Name: "fb", InstanceType: "stream.standard.medium", ImageName: BASE }));
    await control(t.emu.url, "POST", "clock", { advanceSeconds: 60 });
    const made = await control(t.emu.url, "POST", "images", { builderName: "fb", imageName: "doomed", fail: true });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    const file = writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: doomed }
images:
  - name: doomed
    sharedWith: [{ accountId: "111122223333" }]
`);
    await control(t.emu.url, "DELETE", "calls");
    const r = await apply(t.emu.url, file);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stdout).toContain("image doomed FAILED: IMAGE_BUILDER_NOT_AVAILABLE: The image doomed could not be created.");
    expect(r.stdout).toMatch(/ImagePermission\/doomed\/111122223333 — image-permission\.put skipped/);
    expect((await mutations(t.emu.url)).filter((m) => m.startsWith("UpdateImagePermissions"))).toEqual([]);
  });

  it("a plan over the already FAILED image says so, with the service's reason", async () => {
    const file = writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: doomed }
images:
  - name: doomed
`);
    expect((await table(t.emu.url, "us-east-1", "images")).doomed?.state).toBe("FAILED");
    const plan = await planOf(t.emu.url, file);
    const c = plan.resourceChanges.find((x) => x.address === "Image/doomed")!;
    expect(c.warnings?.join("\n")).toContain("FAILED: IMAGE_BUILDER_NOT_AVAILABLE: The image doomed could not be created.");
  });
});
