/**
 * App block builders end to end, through the CLI against the emulator with the real SDK: created STOPPED,
 * associated with its app block and started; displayName changes while it runs; a field that needs it
 * stopped is sent between a stop and a start; another app block is swapped while stopped; drift, export
 * and `--prune` (stop → disassociate → delete). The app blocks are made with the SDK: they are another kind.
 */
import { CreateAppBlockCommand, DescribeAppBlockBuilderAppBlockAssociationsCommand, UpdateAppBlockBuilderCommand } from "@aws-sdk/client-appstream";
import { beforeAll, describe, expect, it } from "vitest";
import type { DriftReport } from "../../src/core/drift.js";
import { calls, control, useEmulator } from "../emulator/helpers.js";
import { apply, changesOf, planOf, table } from "./apply-helpers.js";
import { cli, fakeAwsCredentials, writeManifest } from "./helpers.js";
import { applyLog } from "./issue6-helpers.js";

beforeAll(fakeAwsCredentials);

const manifest = (fields: string, { instanceType = "stream.standard.small", appBlock = "blk", state = "running" } = {}) => writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: packagers }
appBlockBuilders:
  - name: abb
    platform: WINDOWS_SERVER_2019
    instanceType: ${instanceType}
    vpcConfig: { subnetIds: [subnet-0a1b2c3d, subnet-0a1b2c3e], securityGroupIds: [sg-0a1b2c3d] }
    appBlock: ${appBlock}
    state: ${state}
${fields}`);

describe("app block builder", () => {
  const emulator = useEmulator({}, {
    scope: "all",
    setUp: async (t) => {
      for (const name of ["blk", "blk2"]) {
        await t.client.send(new CreateAppBlockCommand({ Name: name, PackagingType: "APPSTREAM2", SourceS3Location: { S3Bucket: "packages" } }));
      }
    },
  });
  const url = () => emulator().emu.url;
  const builder = async () => (await table(url(), "us-east-1", "appBlockBuilders")).abb;

  it("create: CreateAppBlockBuilder (STOPPED), associate, start; then plan says No changes", async () => {
    expect(await applyLog(url(), manifest(""))).toEqual([
      "CreateAppBlockBuilder abb", "AssociateAppBlockBuilderAppBlock abb", "StartAppBlockBuilder abb",
    ]);
    expect((await builder())?.state).toBe("RUNNING");
    expect((await cli(url(), ["-f", manifest(""), "plan"])).stdout).toContain("No changes");
  });

  it("live: displayName on the running builder is one UpdateAppBlockBuilder, no stop", async () => {
    expect(await applyLog(url(), manifest("    displayName: Packager\n"))).toEqual(["UpdateAppBlockBuilder abb"]);
    expect((await builder())?.attrs.DisplayName).toBe("Packager");
  });

  it("requires-stop: instanceType stops, updates and starts it again, as the plan says", async () => {
    const text = manifest("    displayName: Packager\n", { instanceType: "stream.standard.medium" });
    const plan = await planOf(url(), text);
    expect(changesOf(plan)).toEqual({ "AppBlockBuilder/abb": "update" });
    expect(plan.resourceChanges[0]!.reason).toBe("instanceType requires a stopped app block builder: stop → update → start");
    expect(await applyLog(url(), text)).toEqual(["StopAppBlockBuilder abb", "UpdateAppBlockBuilder abb", "StartAppBlockBuilder abb"]);
    expect((await builder())?.attrs.InstanceType).toBe("stream.standard.medium");
    expect((await builder())?.state).toBe("RUNNING");
  });

  it("a dropped security group and another app block while stopped: AttributesToDelete and a swap of associations", async () => {
    const file = writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: packagers }
appBlockBuilders:
  - name: abb
    displayName: Packager
    platform: WINDOWS_SERVER_2019
    instanceType: stream.standard.medium
    vpcConfig: { subnetIds: [subnet-0a1b2c3d, subnet-0a1b2c3e] }
    appBlock: blk2
    state: stopped
`);
    const plan = await planOf(url(), file);
    expect(plan.steps.filter((s) => s.op.startsWith("app-block-builder.")).map((s) => [s.op, s.params])).toEqual([
      ["app-block-builder.stop", { Name: "abb" }],
      ["app-block-builder.update", { Name: "abb", VpcConfig: { SubnetIds: ["subnet-0a1b2c3d", "subnet-0a1b2c3e"] }, AttributesToDelete: ["VPC_CONFIGURATION_SECURITY_GROUP_IDS"] }],
      ["app-block-builder.disassociate", { AppBlockBuilderName: "abb", AppBlockName: "blk" }],
      ["app-block-builder.associate", { AppBlockBuilderName: "abb", AppBlockName: "blk2" }],
    ]);
    expect(await applyLog(url(), file)).toEqual([
      "StopAppBlockBuilder abb", "UpdateAppBlockBuilder abb", "DisassociateAppBlockBuilderAppBlock abb", "AssociateAppBlockBuilderAppBlock abb",
    ]);
    expect((await builder())?.attrs.VpcConfig).toEqual({ SubnetIds: ["subnet-0a1b2c3d", "subnet-0a1b2c3e"] });
    const assoc = await emulator().client.send(new DescribeAppBlockBuilderAppBlockAssociationsCommand({ AppBlockBuilderName: "abb" }));
    expect(assoc.AppBlockBuilderAppBlockAssociations?.map((a) => a.AppBlockArn)).toEqual([expect.stringMatching(/:app-block\/blk2$/)]);
  });

  it("drift reports a display name changed by hand; export writes the entry back and its plan is a no-op", async () => {
    const file = writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: packagers }
appBlockBuilders:
  - { name: abb, displayName: Packager, platform: WINDOWS_SERVER_2019, instanceType: stream.standard.medium,
      vpcConfig: { subnetIds: [subnet-0a1b2c3d, subnet-0a1b2c3e] }, appBlock: blk2, state: stopped }
`);
    await emulator().client.send(new UpdateAppBlockBuilderCommand({ Name: "abb", DisplayName: "Hand edited" }));
    const r = await cli(url(), ["-f", file, "-o", "json", "drift"]);
    expect(r.code, r.stderr).toBe(2);
    const report = JSON.parse(r.stdout) as DriftReport;
    expect(report.changed.map((c) => [c.address, c.diff.map((d) => [d.path, d.before, d.after])])).toEqual([
      ["AppBlockBuilder/abb", [["displayName", "Packager", "Hand edited"]]],
    ]);

    const out = await cli(url(), ["export"]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/appBlockBuilders:\n {2}- name: abb\n/);
    expect(out.stdout).toContain("appBlock: blk2");
    // The builder is unchanged; without --adopt, the first plan only adds the ownership tag to the app
    // blocks the fixtures made out of band.
    const plan = await planOf(url(), writeManifest(out.stdout));
    const changed = plan.resourceChanges.filter((c) => c.actions.some((a) => a !== "no-op"));
    expect(changed.map((c) => c.address).sort()).toEqual(["AppBlock/blk", "AppBlock/blk2"]);
    expect(changed.flatMap((c) => c.diff.map((d) => d.path))).toEqual(["tags.appstreamctl:set", "tags.appstreamctl:set"]);
  });

  it("--prune deletes it once it is gone from the manifest: stop (when running), disassociate, delete", async () => {
    // Back to running, with the security group again: updated while stopped, then started.
    expect(await applyLog(url(), manifest("    displayName: Packager\n", { instanceType: "stream.standard.medium", appBlock: "blk2" })))
      .toEqual(["UpdateAppBlockBuilder abb", "StartAppBlockBuilder abb"]);
    const empty = writeManifest("apiVersion: appstreamctl/v1\nmetadata: { name: packagers }\n");
    await control(url(), "DELETE", "calls");
    const r = await apply(url(), empty, ["--prune"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect((await calls(url())).filter((c) => c.mutating).map((c) => `${c.operation} ${c.resource ?? ""}`.trim())).toEqual([
      "StopAppBlockBuilder abb", "DisassociateAppBlockBuilderAppBlock abb", "DeleteAppBlockBuilder abb",
    ]);
    expect(await builder()).toBeUndefined();
  });
});

describe("app block builder whose start fails", () => {
  const emulator = useEmulator({}, {
    setUp: async (t) => {
      await t.client.send(new CreateAppBlockCommand({ Name: "blk", PackagingType: "APPSTREAM2", SourceS3Location: { S3Bucket: "packages" } }));
    },
  });

  it("the failed start (STOPPED with errors) fails the wait at once with the builder's error", async () => {
    const url = emulator().emu.url;
    const created = await apply(url, manifest("", { state: "stopped" }));
    expect(created.code, created.stderr).toBe(0);
    await control(url, "POST", "app-block-builder-faults", { name: "abb", errorMessage: "no capacity" });
    const r = await apply(url, manifest(""));
    // Exit 3: the apply was partly done; the run-state summary shows where the builder was left.
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stdout).toContain("✗ AppBlockBuilder/abb — wait failed after");
    expect(r.stdout).toContain("app block builder abb failed to start: INTERNAL_SERVICE_ERROR: no capacity");
    expect(r.stdout).toMatch(/Run state:\n {2}AppBlockBuilder\/abb: STOPPED/);
    expect((await table(url, "us-east-1", "appBlockBuilders")).abb?.state).toBe("STOPPED");
  });
});
