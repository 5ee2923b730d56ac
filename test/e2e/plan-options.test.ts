import { CreateFleetCommand, CreateImageBuilderCommand } from "@aws-sdk/client-appstream";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "../../src/core/plan-types.js";
import { pickImage } from "../../src/core/selectors.js";
import { calls, control, useEmulator } from "../emulator/helpers.js";
import { cli, fakeAwsCredentials, PASSWORD, writeManifest } from "./helpers.js";

const EXAMPLE = join(import.meta.dirname, "../../examples/appstream.yaml");
const BASE = "AppStream-WinServer2022-11-12-2025";

beforeAll(fakeAwsCredentials);

describe("plan options", () => {
  const emulator = useEmulator({}, { scope: "all" });

  it("--target reads only the kinds the target needs and plans only it and its dependencies", async () => {
    await control(emulator().emu.url, "DELETE", "calls");
    const r = await cli(emulator().emu.url, ["-f", EXAMPLE, "-o", "json", "plan", "--target", "Fleet/engineering"]);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as Plan;
    expect(plan.resourceChanges.map((c) => c.address)).toEqual(["DirectoryConfig/corp.example.com", "Fleet/engineering"]);
    const ops = new Set((await calls(emulator().emu.url)).map((c) => c.operation));
    expect(ops).toEqual(new Set(["DescribeDirectoryConfigs", "DescribeFleets", "sts:GetCallerIdentity"]));
  });

  it("--out saves the versioned plan with fingerprints and without the password", async () => {
    const out = join(dirname(writeManifest("")), "plan.json");
    const r = await cli(emulator().emu.url, ["-f", EXAMPLE, "plan", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("saved plan to");
    const text = readFileSync(out, "utf8");
    expect(text).not.toContain(PASSWORD);
    const plan = JSON.parse(text) as Plan;
    expect(plan.formatVersion).toBe(1);
    expect(plan.fingerprints["Fleet/engineering"]).toBe("absent");
    const dc = plan.steps.find((s) => s.op === "directory-config.create")!;
    expect(dc.params.ServiceAccountCredentials).toEqual({
      AccountName: "CORP\\svc-appstream",
      AccountPassword: { $secret: "/directoryConfigs/0/serviceAccountCredentials/accountPassword" },
    });
  });
});

describe("image selectors", () => {
  const emulator = useEmulator({}, {
    scope: "all",
    setUp: async (t) => {
      for (const b of ["b1", "b2"]) await t.client.send(new CreateImageBuilderCommand({ Name: b, InstanceType: "stream.standard.medium", ImageName: BASE }));
      // The newer image has the alphabetically first name, so "last by name" would pick wrongly.
      expect((await control(t.emu.url, "POST", "images", { builderName: "b1", imageName: "corp-win-zz-old" })).status).toBe(200);
      expect((await control(t.emu.url, "POST", "clock", { advanceSeconds: 3600 })).status).toBe(200);
      expect((await control(t.emu.url, "POST", "images", { builderName: "b2", imageName: "corp-win-aa-new" })).status).toBe(200);
      await control(t.emu.url, "POST", "clock", { advanceSeconds: 3600 });
      await t.client.send(new CreateFleetCommand({ Name: "f", InstanceType: "stream.standard.medium", ImageName: "corp-win-zz-old", ComputeCapacity: { DesiredInstances: 1 } }));
    },
  });

  it("resolves to the newest AVAILABLE match by CreatedTime, shown as a read, and updates the image live", async () => {
    const file = writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: sel }
fleets:
  - name: f
    instanceType: stream.standard.medium
    imageSelector: { nameRegex: "^corp-win-" }
    computeCapacity: { desiredInstances: 1 }
    state: stopped
`);
    const r = await cli(emulator().emu.url, ["-f", file, "-o", "json", "plan"]);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as Plan;
    expect(plan.reads).toEqual([{ address: "Fleet/f", description: 'imageSelector nameRegex "^corp-win-", newest', result: "corp-win-aa-new" }]);
    const update = plan.steps.find((s) => s.op === "fleet.update")!;
    expect(update.params).toEqual({ Name: "f", ImageName: "corp-win-aa-new" });
    const text = await cli(emulator().emu.url, ["-f", file, "plan"]);
    expect(text.stdout).toContain("<= ");
    expect(text.stdout).toContain("corp-win-aa-new");
  });

  it("pickImage ignores images that are not AVAILABLE and refuses ambiguity without newest", () => {
    const images = [
      { name: "x-1", state: "AVAILABLE", createdTime: 1 },
      { name: "x-2", state: "PENDING", createdTime: 3 },
      { name: "x-3", state: "AVAILABLE", createdTime: 2 },
    ];
    expect(pickImage({ nameRegex: "^x-" }, images, "Fleet/a").name).toBe("x-3");
    expect(() => pickImage({ nameRegex: "^x-", newest: false }, images, "Fleet/a")).toThrow("matches 2 images");
    expect(() => pickImage({ nameRegex: "^y-" }, images, "Fleet/a")).toThrow("matches no AVAILABLE image");
  });
});

describe("plan under faults", () => {
  const emulator = useEmulator({ faults: "seed=11,throttle=0.3,5xx=0.1,rle=0.1" }, { scope: "all" });

  it("throttling, RequestLimitExceeded and 5xx on reads are retried: the plan is the same as without faults", async () => {
    const r = await cli(emulator().emu.url, ["-f", EXAMPLE, "-o", "json", "plan"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as Plan;
    expect(plan.summary).toEqual({ add: 39, change: 0, destroy: 0, disruptive: 0 });
    // The import's dry run answers DryRunOperationException by design (reference §7.4): not a fault.
    const failed = (await calls(emulator().emu.url)).filter((c) => c.outcome !== "ok" && c.outcome !== "DryRunOperationException");
    expect(failed.length).toBeGreaterThan(0);
    const injected = new Set(["ThrottlingException", "RequestLimitExceededException", "InternalFailure", "ServiceUnavailable"]);
    expect(failed.filter((c) => !injected.has(c.outcome))).toEqual([]);
  });
});

describe("image sources are dry-run during plan", () => {
  const emulator = useEmulator({}, {
    scope: "all",
    setUp: async (t) => {
      await t.client.send(new CreateImageBuilderCommand({ Name: "b", InstanceType: "stream.standard.medium", ImageName: BASE }));
      expect((await control(t.emu.url, "POST", "images", { builderName: "b", imageName: "golden" })).status).toBe(200);
    },
  });

  const manifest = () => writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: img }
images:
  - name: golden-next
    source: { updateOf: golden }
  - name: imported
    source: { importFromAmi: { sourceAmiId: ami-0123456789abcdef0, iamRoleArn: "arn:aws:iam::123456789012:role/import" } }
`);

  it("no update available: a warning on the create; the import's checks pass as a read; nothing is created", async () => {
    await control(emulator().emu.url, "DELETE", "calls");
    const plan = JSON.parse((await cli(emulator().emu.url, ["-f", manifest(), "-o", "json", "plan"])).stdout) as Plan;
    expect(plan.reads).toEqual([{ address: "Image/imported", description: "import of ami-0123456789abcdef0 (dry run)", result: "checks passed" }]);
    expect(plan.resourceChanges.find((c) => c.address === "Image/golden-next")!.warnings).toEqual([
      "no managed update is available for golden yet: creating golden-next will fail until AWS publishes one",
    ]);
    const log = await calls(emulator().emu.url);
    expect(log.filter((c) => c.mutating)).toEqual([]);
    expect(log.filter((c) => c.operation.startsWith("Create")).map((c) => c.operation).sort()).toEqual(["CreateImportedImage", "CreateUpdatedImage"]);
  });

  it("an update available shows as a read", async () => {
    expect((await control(emulator().emu.url, "POST", "image-updates", { imageName: "golden" })).status).toBe(200);
    const plan = JSON.parse((await cli(emulator().emu.url, ["-f", manifest(), "-o", "json", "plan"])).stdout) as Plan;
    expect(plan.reads).toContainEqual({ address: "Image/golden-next", description: "managed update of golden (dry run)", result: "update available" });
    expect(plan.resourceChanges.find((c) => c.address === "Image/golden-next")!.warnings).toBeUndefined();
  });
});
