import {
  AssociateAppBlockBuilderAppBlockCommand,
  AssociateApplicationFleetCommand,
  CreateAppBlockBuilderCommand,
  CreateAppBlockCommand,
  CreateApplicationCommand,
  DeleteAppBlockCommand,
  DeleteApplicationCommand,
  DescribeAppBlocksCommand,
  DisassociateAppBlockBuilderAppBlockCommand,
  ListTagsForResourceCommand,
  StartAppBlockBuilderCommand,
  StopAppBlockBuilderCommand,
  TagResourceCommand,
  type AppBlock,
  type CreateAppBlockCommandInput,
} from "@aws-sdk/client-appstream";
import { describe, expect, test } from "vitest";
import { applicationInput } from "./apps-fixtures.js";
import { control, createFleet, elasticInput, errorOf, useEmulator, type TestEmulator } from "./helpers.js";
import { allPages } from "./pages.js";

const ACCOUNT = "123456789012";
const SCRIPT = { ScriptS3Location: { S3Bucket: "apps", S3Key: "setup.ps1" }, ExecutablePath: "C:\\Windows\\System32\\cmd.exe", TimeoutInSeconds: 60 };

function customInput(name: string, extra: Partial<CreateAppBlockCommandInput> = {}): CreateAppBlockCommandInput {
  return { Name: name, SourceS3Location: { S3Bucket: "apps", S3Key: `${name}.vhdx` }, SetupScriptDetails: SCRIPT, ...extra };
}

function packagedInput(name: string, extra: Partial<CreateAppBlockCommandInput> = {}): CreateAppBlockCommandInput {
  return { Name: name, SourceS3Location: { S3Bucket: "apps" }, PackagingType: "APPSTREAM2", ...extra };
}

const arnOf = (name: string) => `arn:aws:appstream:us-east-1:${ACCOUNT}:app-block/${name}`;

async function block(t: TestEmulator, name: string): Promise<AppBlock> {
  return (await t.client.send(new DescribeAppBlocksCommand({ Arns: [arnOf(name)] }))).AppBlocks![0]!;
}

/** A stopped builder associated with the APPSTREAM2 block `blockName`. */
async function builderFor(t: TestEmulator, builder: string, blockName: string): Promise<void> {
  await t.client.send(new CreateAppBlockBuilderCommand({
    Name: builder, Platform: "WINDOWS_SERVER_2019", InstanceType: "stream.standard.medium",
    VpcConfig: { SubnetIds: ["subnet-a", "subnet-b"] },
  }));
  await t.client.send(new AssociateAppBlockBuilderAppBlockCommand({ AppBlockBuilderName: builder, AppBlockArn: arnOf(blockName) }));
}

describe("app blocks", () => {
  const emu = useEmulator({ pageSize: 2 });

  test("AB-01 Create and Describe echo the block with its ARN, CUSTOM by default; tags only via the tag operations", async () => {
    const t = emu();
    const created = await t.client.send(new CreateAppBlockCommand(customInput("ab-echo", { Description: "d", DisplayName: "Echo", Tags: { team: "euc" } })));
    const described = await block(t, "ab-echo");
    expect(described).toEqual({
      Name: "ab-echo",
      Arn: arnOf("ab-echo"),
      Description: "d",
      DisplayName: "Echo",
      SourceS3Location: { S3Bucket: "apps", S3Key: "ab-echo.vhdx" },
      SetupScriptDetails: SCRIPT,
      PackagingType: "CUSTOM",
      State: "ACTIVE",
      CreatedTime: described.CreatedTime,
    });
    expect(described.CreatedTime).toBeInstanceOf(Date);
    expect(created.AppBlock).toEqual(described);
    expect((await t.client.send(new ListTagsForResourceCommand({ ResourceArn: arnOf("ab-echo") }))).Tags).toEqual({ team: "euc" });
    await t.client.send(new TagResourceCommand({ ResourceArn: arnOf("ab-echo"), Tags: { env: "dev" } }));
    expect((await t.client.send(new ListTagsForResourceCommand({ ResourceArn: arnOf("ab-echo") }))).Tags).toEqual({ team: "euc", env: "dev" });
    const dup = await errorOf(() => t.client.send(new CreateAppBlockCommand(customInput("ab-echo"))));
    expect(dup.name).toBe("ResourceAlreadyExistsException");
  });

  test("AB-02 CUSTOM is ACTIVE at once; APPSTREAM2 is INACTIVE until packaged, also with an existing package (S3Key)", async () => {
    const t = emu();
    await t.client.send(new CreateAppBlockCommand(packagedInput("ab-new", { PostSetupScriptDetails: SCRIPT })));
    await t.client.send(new CreateAppBlockCommand(packagedInput("ab-vhd", { SourceS3Location: { S3Bucket: "apps", S3Key: "pkg.vhdx" } })));
    const fresh = await block(t, "ab-new");
    expect(fresh).toMatchObject({ PackagingType: "APPSTREAM2", State: "INACTIVE", PostSetupScriptDetails: SCRIPT });
    expect(fresh).not.toHaveProperty("AppBlockErrors");
    expect((await block(t, "ab-vhd")).State).toBe("INACTIVE");
  });

  test("AB-03 packaging-type rules → ValidationException", async () => {
    const t = emu();
    const cases: [CreateAppBlockCommandInput, string][] = [
      [customInput("x", { SetupScriptDetails: undefined }), "SetupScriptDetails must be provided for the CUSTOM PackagingType."],
      [customInput("x", { PostSetupScriptDetails: SCRIPT }), "PostSetupScriptDetails can only be provided for the APPSTREAM2 PackagingType."],
      [customInput("x", { SourceS3Location: { S3Bucket: "apps" } }), "SourceS3Location.S3Key is required for the CUSTOM PackagingType."],
      [packagedInput("x", { SetupScriptDetails: SCRIPT }), "SetupScriptDetails only applies to the CUSTOM PackagingType; use PostSetupScriptDetails."],
      [packagedInput("x", { PostSetupScriptDetails: { ...SCRIPT, ScriptS3Location: { S3Bucket: "apps" } } }), "PostSetupScriptDetails.ScriptS3Location.S3Key is required."],
    ];
    for (const [input, message] of cases) {
      const err = await errorOf(() => t.client.send(new CreateAppBlockCommand(input)));
      expect([err.name, err.message]).toEqual(["ValidationException", message]);
    }
    const listed = await t.client.send(new DescribeAppBlocksCommand({}));
    expect(listed.AppBlocks).toEqual([]);
  });

  test("AB-04 DeleteAppBlock: unknown → ResourceNotFound; in use by an application or a builder association → ResourceInUse; else gone", async () => {
    const t = emu();
    expect((await errorOf(() => t.client.send(new DeleteAppBlockCommand({ Name: "nope" })))).name).toBe("ResourceNotFoundException");
    await t.client.send(new CreateAppBlockCommand(packagedInput("ab-assoc")));
    await builderFor(t, "abb-1", "ab-assoc");
    const assoc = await errorOf(() => t.client.send(new DeleteAppBlockCommand({ Name: "ab-assoc" })));
    expect([assoc.name, assoc.message]).toEqual(["ResourceInUseException", "The app block ab-assoc is in use by the app block builder abb-1."]);
    await t.client.send(new DisassociateAppBlockBuilderAppBlockCommand({ AppBlockBuilderName: "abb-1", AppBlockArn: arnOf("ab-assoc") }));
    await t.client.send(new DeleteAppBlockCommand({ Name: "ab-assoc" }));
    expect((await errorOf(() => block(t, "ab-assoc"))).name).toBe("ResourceNotFoundException");
    expect((await errorOf(() => t.client.send(new ListTagsForResourceCommand({ ResourceArn: arnOf("ab-assoc") })))).name).toBe("ResourceNotFoundException");

    // An application (applications area) references its block by AppBlockArn.
    await t.client.send(new CreateAppBlockCommand(customInput("ab-app", { Tags: { a: "1" } })));
    await t.client.send(new CreateApplicationCommand(applicationInput("notepad", arnOf("ab-app"))));
    const used = await errorOf(() => t.client.send(new DeleteAppBlockCommand({ Name: "ab-app" })));
    expect([used.name, used.message]).toEqual(["ResourceInUseException", "The app block ab-app is in use by the application notepad."]);
    await t.client.send(new DeleteApplicationCommand({ Name: "notepad" }));
    await t.client.send(new DeleteAppBlockCommand({ Name: "ab-app" }));
    await t.client.send(new CreateAppBlockCommand(customInput("ab-app")));
    expect((await t.client.send(new ListTagsForResourceCommand({ ResourceArn: arnOf("ab-app") }))).Tags).toEqual({});
  });

  test("AB-05 stopping an associated builder after it ran activates its APPSTREAM2 block", async () => {
    const t = emu();
    await t.client.send(new CreateAppBlockCommand(packagedInput("ab-pkg")));
    await builderFor(t, "abb-pkg", "ab-pkg");
    await t.client.send(new StartAppBlockBuilderCommand({ Name: "abb-pkg" }));
    expect((await block(t, "ab-pkg")).State).toBe("INACTIVE");
    await t.client.send(new StopAppBlockBuilderCommand({ Name: "abb-pkg" }));
    const packaged = await block(t, "ab-pkg");
    expect(packaged.State).toBe("ACTIVE");
    expect(packaged).not.toHaveProperty("AppBlockErrors");
  });

  test("AB-05 an Elastic fleet takes an application on an APPSTREAM2 block only once a builder has packaged the block", async () => {
    const t = emu();
    await t.client.send(new CreateAppBlockCommand(packagedInput("ab-fleet")));
    const app = (await t.client.send(new CreateApplicationCommand(applicationInput("word", arnOf("ab-fleet"))))).Application!;
    await createFleet(t.client, elasticInput("elastic"));
    const associate = () => t.client.send(new AssociateApplicationFleetCommand({ FleetName: "elastic", ApplicationArn: app.Arn }));
    const inactive = await errorOf(associate);
    expect([inactive.name, inactive.message]).toEqual([
      "OperationNotPermittedException",
      `The app block ${arnOf("ab-fleet")} of the application word is INACTIVE; an Elastic fleet needs ACTIVE app blocks.`,
    ]);
    await builderFor(t, "abb-fleet", "ab-fleet");
    await t.client.send(new StartAppBlockBuilderCommand({ Name: "abb-fleet" }));
    await t.client.send(new StopAppBlockBuilderCommand({ Name: "abb-fleet" }));
    const out = await associate();
    expect(out.ApplicationFleetAssociation).toEqual({ FleetName: "elastic", ApplicationArn: app.Arn });
  });

  test("AB-06 an injected packaging fault leaves the block INACTIVE with AppBlockErrors; the next run clears them", async () => {
    const t = emu();
    await t.client.send(new CreateAppBlockCommand(packagedInput("ab-fail")));
    await builderFor(t, "abb-fail", "ab-fail");
    const fault = await control(t.emu.url, "POST", "app-block-faults", { name: "ab-fail", errorCode: "VHD_CREATION_FAILED", errorMessage: "disk full" });
    expect(fault).toEqual({ status: 200, body: {} });
    await t.client.send(new StartAppBlockBuilderCommand({ Name: "abb-fail" }));
    await t.client.send(new StopAppBlockBuilderCommand({ Name: "abb-fail" }));
    expect(await block(t, "ab-fail")).toMatchObject({ State: "INACTIVE", AppBlockErrors: [{ ErrorCode: "VHD_CREATION_FAILED", ErrorMessage: "disk full" }] });
    await t.client.send(new StartAppBlockBuilderCommand({ Name: "abb-fail" }));
    await t.client.send(new StopAppBlockBuilderCommand({ Name: "abb-fail" }));
    const fixed = await block(t, "ab-fail");
    expect(fixed.State).toBe("ACTIVE");
    expect(fixed).not.toHaveProperty("AppBlockErrors");
    const missing = await control(t.emu.url, "POST", "app-block-faults", { name: "nope" });
    expect([missing.status, missing.body.__type]).toEqual([404, "ResourceNotFoundException"]);
  });

  test("AB-07 the control route sets State and AppBlockErrors now; CUSTOM blocks keep ACTIVE", async () => {
    const t = emu();
    await t.client.send(new CreateAppBlockCommand(packagedInput("ab-ctl")));
    await t.client.send(new CreateAppBlockCommand(customInput("ab-custom")));
    const set = await control(t.emu.url, "POST", "app-blocks", { name: "ab-ctl", state: "ACTIVE" });
    expect(set.status).toBe(200);
    expect(set.body.appBlock).toMatchObject({ Name: "ab-ctl", State: "ACTIVE" });
    expect((await block(t, "ab-ctl")).State).toBe("ACTIVE");
    const errors = [{ ErrorCode: "S3_ACCESS_DENIED", ErrorMessage: "no access to apps" }];
    await control(t.emu.url, "POST", "app-blocks", { name: "ab-custom", errors });
    expect(await block(t, "ab-custom")).toMatchObject({ State: "ACTIVE", AppBlockErrors: errors });
    const bad = await control(t.emu.url, "POST", "app-blocks", { name: "ab-custom", state: "INACTIVE" });
    expect([bad.status, bad.body.__type]).toEqual([400, "ValidationException"]);
    const missing = await control(t.emu.url, "POST", "app-blocks", { name: "nope", state: "ACTIVE" });
    expect(missing.status).toBe(404);
  });

  test("AB-08 DescribeAppBlocks: Arns in request order, unknown ARN → ResourceNotFound; all sorted by name across pages", async () => {
    const t = emu();
    for (const n of ["ab-c", "ab-a", "ab-e", "ab-b", "ab-d"]) await t.client.send(new CreateAppBlockCommand(customInput(n)));
    const some = await t.client.send(new DescribeAppBlocksCommand({ Arns: [arnOf("ab-e"), arnOf("ab-a")] }));
    expect(some.AppBlocks?.map((b) => b.Name)).toEqual(["ab-e", "ab-a"]);
    const unknown = await errorOf(() => t.client.send(new DescribeAppBlocksCommand({ Arns: [arnOf("ab-a"), arnOf("nope")] })));
    expect([unknown.name, unknown.message]).toEqual(["ResourceNotFoundException", `The app block ${arnOf("nope")} does not exist.`]);
    const all = await allPages(async (token) => {
      const out = await t.client.send(new DescribeAppBlocksCommand({ NextToken: token }));
      expect(out.AppBlocks!.length).toBeLessThanOrEqual(2);
      return { items: out.AppBlocks, next: out.NextToken };
    });
    expect(all.items.map((b) => b.Name)).toEqual(["ab-a", "ab-b", "ab-c", "ab-d", "ab-e"]);
    expect(all.pages).toBe(3);
    const big = await t.client.send(new DescribeAppBlocksCommand({ MaxResults: 5 }));
    expect(big.AppBlocks).toHaveLength(5);
    expect(big.NextToken).toBeUndefined();
  });
});
