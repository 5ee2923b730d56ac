import {
  AssociateAppBlockBuilderAppBlockCommand,
  CreateAppBlockBuilderCommand,
  CreateAppBlockCommand,
  DeleteAppBlockBuilderCommand,
  DeleteAppBlockCommand,
  DescribeAppBlockBuilderAppBlockAssociationsCommand,
  DisassociateAppBlockBuilderAppBlockCommand,
  StartAppBlockBuilderCommand,
  paginateDescribeAppBlockBuilderAppBlockAssociations,
  type AppBlockBuilderAppBlockAssociation,
} from "@aws-sdk/client-appstream";
import { describe, expect, test } from "vitest";
import { errorOf, useEmulator, type TestEmulator } from "./helpers.js";

const arnOf = (name: string) => `arn:aws:appstream:us-east-1:123456789012:app-block/${name}`;
const SCRIPT = { ScriptS3Location: { S3Bucket: "apps", S3Key: "setup.ps1" }, ExecutablePath: "setup.exe", TimeoutInSeconds: 60 };

async function packagedBlock(t: TestEmulator, name: string): Promise<void> {
  await t.client.send(new CreateAppBlockCommand({ Name: name, SourceS3Location: { S3Bucket: "apps" }, PackagingType: "APPSTREAM2" }));
}

async function builder(t: TestEmulator, name: string): Promise<void> {
  await t.client.send(new CreateAppBlockBuilderCommand({
    Name: name, Platform: "WINDOWS_SERVER_2019", InstanceType: "stream.standard.small", VpcConfig: { SubnetIds: ["subnet-a", "subnet-b"] },
  }));
}

function associate(t: TestEmulator, builderName: string, block: string) {
  return t.client.send(new AssociateAppBlockBuilderAppBlockCommand({ AppBlockBuilderName: builderName, AppBlockArn: arnOf(block) }));
}

async function listed(t: TestEmulator, filter: { AppBlockArn?: string; AppBlockBuilderName?: string } = {}): Promise<AppBlockBuilderAppBlockAssociation[]> {
  return (await t.client.send(new DescribeAppBlockBuilderAppBlockAssociationsCommand(filter))).AppBlockBuilderAppBlockAssociations ?? [];
}

describe("app block builder associations", () => {
  const emu = useEmulator({ pageSize: 2 });

  test("ABA-01 Associate returns the pair, Describe lists it, and associating the same pair again is a no-op", async () => {
    const t = emu();
    await packagedBlock(t, "pkg");
    await builder(t, "abb");
    const out = await associate(t, "abb", "pkg");
    expect(out.AppBlockBuilderAppBlockAssociation).toEqual({ AppBlockArn: arnOf("pkg"), AppBlockBuilderName: "abb" });
    expect((await associate(t, "abb", "pkg")).AppBlockBuilderAppBlockAssociation).toEqual({ AppBlockArn: arnOf("pkg"), AppBlockBuilderName: "abb" });
    expect(await listed(t)).toEqual([{ AppBlockArn: arnOf("pkg"), AppBlockBuilderName: "abb" }]);
  });

  test("ABA-02 an unknown builder or block → ResourceNotFound; a CUSTOM block → InvalidParameterCombination", async () => {
    const t = emu();
    await packagedBlock(t, "pkg");
    await builder(t, "abb");
    expect((await errorOf(() => associate(t, "nope", "pkg"))).name).toBe("ResourceNotFoundException");
    const block = await errorOf(() => associate(t, "abb", "nope"));
    expect([block.name, block.message]).toEqual(["ResourceNotFoundException", `The app block ${arnOf("nope")} does not exist.`]);
    await t.client.send(new CreateAppBlockCommand({ Name: "custom", SourceS3Location: { S3Bucket: "apps", S3Key: "c.vhdx" }, SetupScriptDetails: SCRIPT }));
    const custom = await errorOf(() => associate(t, "abb", "custom"));
    expect([custom.name, custom.message]).toEqual([
      "InvalidParameterCombinationException",
      "The app block custom has the CUSTOM packaging type; only APPSTREAM2 app blocks can be associated with an app block builder.",
    ]);
    expect(await listed(t)).toEqual([]);
  });

  test("ABA-03 a RUNNING builder's association cannot change → OperationNotPermitted", async () => {
    const t = emu();
    await packagedBlock(t, "pkg");
    await packagedBlock(t, "pkg2");
    await builder(t, "abb");
    await associate(t, "abb", "pkg");
    await t.client.send(new StartAppBlockBuilderCommand({ Name: "abb" }));
    const dis = await errorOf(() => t.client.send(new DisassociateAppBlockBuilderAppBlockCommand({ AppBlockBuilderName: "abb", AppBlockArn: arnOf("pkg") })));
    expect([dis.name, dis.message]).toEqual(["OperationNotPermittedException", "The app block builder abb is RUNNING; stop it before you disassociate an app block."]);
    expect((await errorOf(() => associate(t, "abb", "pkg2"))).name).toBe("OperationNotPermittedException");
    expect(await listed(t)).toEqual([{ AppBlockArn: arnOf("pkg"), AppBlockBuilderName: "abb" }]);
  });

  test("ABA-04 one builder per block and one block per builder → OperationNotPermitted", async () => {
    const t = emu();
    await packagedBlock(t, "pkg");
    await packagedBlock(t, "pkg2");
    await builder(t, "abb");
    await builder(t, "abb2");
    await associate(t, "abb", "pkg");
    const second = await errorOf(() => associate(t, "abb", "pkg2"));
    expect([second.name, second.message]).toEqual(["OperationNotPermittedException", `The app block builder abb is already associated with the app block ${arnOf("pkg")}.`]);
    const taken = await errorOf(() => associate(t, "abb2", "pkg"));
    expect([taken.name, taken.message]).toEqual(["OperationNotPermittedException", "The app block pkg is already associated with the app block builder abb."]);
  });

  test("ABA-05 Disassociate of a pair that is not associated → ResourceNotFound; afterwards Start is refused and both can be deleted", async () => {
    const t = emu();
    await packagedBlock(t, "pkg");
    await packagedBlock(t, "pkg2");
    await builder(t, "abb");
    await associate(t, "abb", "pkg");
    const wrong = await errorOf(() => t.client.send(new DisassociateAppBlockBuilderAppBlockCommand({ AppBlockBuilderName: "abb", AppBlockArn: arnOf("pkg2") })));
    expect([wrong.name, wrong.message]).toEqual(["ResourceNotFoundException", `The app block builder abb is not associated with the app block ${arnOf("pkg2")}.`]);
    await t.client.send(new DisassociateAppBlockBuilderAppBlockCommand({ AppBlockBuilderName: "abb", AppBlockArn: arnOf("pkg") }));
    expect(await listed(t)).toEqual([]);
    expect((await errorOf(() => t.client.send(new StartAppBlockBuilderCommand({ Name: "abb" })))).name).toBe("OperationNotPermittedException");
    await t.client.send(new DeleteAppBlockCommand({ Name: "pkg" }));
    await t.client.send(new DeleteAppBlockBuilderCommand({ Name: "abb" }));
    expect(await listed(t)).toEqual([]);
  });

  test("ABA-06 Describe filters by block and/or builder, sorted by builder name, paged (SDK paginator)", async () => {
    const t = emu();
    for (const n of ["c", "a", "b"]) {
      await packagedBlock(t, `pkg-${n}`);
      await builder(t, `abb-${n}`);
      await associate(t, `abb-${n}`, `pkg-${n}`);
    }
    expect(await listed(t, { AppBlockArn: arnOf("pkg-b") })).toEqual([{ AppBlockArn: arnOf("pkg-b"), AppBlockBuilderName: "abb-b" }]);
    expect(await listed(t, { AppBlockBuilderName: "abb-c" })).toEqual([{ AppBlockArn: arnOf("pkg-c"), AppBlockBuilderName: "abb-c" }]);
    expect(await listed(t, { AppBlockBuilderName: "abb-c", AppBlockArn: arnOf("pkg-a") })).toEqual([]);
    expect(await listed(t, { AppBlockBuilderName: "nope" })).toEqual([]);
    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeAppBlockBuilderAppBlockAssociations({ client: t.client }, {})) {
      pages++;
      names.push(...(page.AppBlockBuilderAppBlockAssociations ?? []).map((a) => a.AppBlockBuilderName!));
    }
    expect(names).toEqual(["abb-a", "abb-b", "abb-c"]);
    expect(pages).toBe(2);
    const one = await t.client.send(new DescribeAppBlockBuilderAppBlockAssociationsCommand({ MaxResults: 1 }));
    expect(one.AppBlockBuilderAppBlockAssociations).toHaveLength(1);
    expect(one.NextToken).toBeTruthy();
  });
});
