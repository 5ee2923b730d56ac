import {
  AssociateAppBlockBuilderAppBlockCommand,
  CreateAppBlockBuilderCommand,
  CreateAppBlockBuilderStreamingURLCommand,
  CreateAppBlockCommand,
  DeleteAppBlockBuilderCommand,
  DescribeAppBlockBuildersCommand,
  DescribeAppBlocksCommand,
  DisassociateAppBlockBuilderAppBlockCommand,
  ListTagsForResourceCommand,
  StartAppBlockBuilderCommand,
  StopAppBlockBuilderCommand,
  UpdateAppBlockBuilderCommand,
  paginateDescribeAppBlockBuilders,
  type AppBlockBuilder,
  type CreateAppBlockBuilderCommandInput,
} from "@aws-sdk/client-appstream";
import { describe, expect, test } from "vitest";
import { control, errorOf, useEmulator, type TestEmulator } from "./helpers.js";

const ACCOUNT = "123456789012";
const BLOCK_ARN = `arn:aws:appstream:us-east-1:${ACCOUNT}:app-block/pkg`;
const VPC = { SubnetIds: ["subnet-a", "subnet-b"], SecurityGroupIds: ["sg-1"] };

function builderInput(name: string, extra: Partial<CreateAppBlockBuilderCommandInput> = {}): CreateAppBlockBuilderCommandInput {
  return { Name: name, Platform: "WINDOWS_SERVER_2019", InstanceType: "stream.standard.medium", VpcConfig: VPC, ...extra };
}

async function describeBuilder(t: TestEmulator, name: string): Promise<AppBlockBuilder> {
  return (await t.client.send(new DescribeAppBlockBuildersCommand({ Names: [name] }))).AppBlockBuilders![0]!;
}

async function stateOf(t: TestEmulator, name: string): Promise<string | undefined> {
  return (await describeBuilder(t, name)).State;
}

/** The APPSTREAM2 block `pkg` and a STOPPED builder associated with it. */
async function associatedBuilder(t: TestEmulator, name: string, extra: Partial<CreateAppBlockBuilderCommandInput> = {}): Promise<void> {
  await t.client.send(new CreateAppBlockCommand({ Name: "pkg", SourceS3Location: { S3Bucket: "apps" }, PackagingType: "APPSTREAM2" }));
  await t.client.send(new CreateAppBlockBuilderCommand(builderInput(name, extra)));
  await t.client.send(new AssociateAppBlockBuilderAppBlockCommand({ AppBlockBuilderName: name, AppBlockArn: BLOCK_ARN }));
}

async function errorName(fn: () => Promise<unknown>): Promise<string> {
  return (await errorOf(fn)).name;
}

describe("app block builders, immediate transitions", () => {
  const emu = useEmulator({ pageSize: 2 });

  test("ABB-02 Create, Describe and the tag operations: ARN, echoed members and defaults; tags not echoed", async () => {
    const t = emu();
    const created = await t.client.send(new CreateAppBlockBuilderCommand(builderInput("abb-echo", {
      Description: "d", DisplayName: "Echo", IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/builder`, DisableIMDSV1: true,
      AccessEndpoints: [{ EndpointType: "STREAMING", VpceId: "vpce-1" }], Tags: { team: "euc" },
    })));
    const b = await describeBuilder(t, "abb-echo");
    expect(b).toEqual({
      Arn: `arn:aws:appstream:us-east-1:${ACCOUNT}:app-block-builder/abb-echo`,
      Name: "abb-echo",
      DisplayName: "Echo",
      Description: "d",
      Platform: "WINDOWS_SERVER_2019",
      InstanceType: "stream.standard.medium",
      EnableDefaultInternetAccess: false,
      IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/builder`,
      VpcConfig: VPC,
      AccessEndpoints: [{ EndpointType: "STREAMING", VpceId: "vpce-1" }],
      DisableIMDSV1: true,
      State: "STOPPED",
      CreatedTime: b.CreatedTime,
    });
    expect(b.CreatedTime).toBeInstanceOf(Date);
    expect(created.AppBlockBuilder).toEqual(b);
    expect((await t.client.send(new ListTagsForResourceCommand({ ResourceArn: b.Arn }))).Tags).toEqual({ team: "euc" });
  });

  test("ABB-01 created STOPPED; Start shows STARTING then RUNNING; Stop shows STOPPING then STOPPED", async () => {
    const t = emu();
    await associatedBuilder(t, "abb-life");
    expect(await stateOf(t, "abb-life")).toBe("STOPPED");
    const started = await t.client.send(new StartAppBlockBuilderCommand({ Name: "abb-life" }));
    expect(started.AppBlockBuilder?.State).toBe("STARTING");
    expect(await stateOf(t, "abb-life")).toBe("RUNNING");
    const stopped = await t.client.send(new StopAppBlockBuilderCommand({ Name: "abb-life" }));
    expect(stopped.AppBlockBuilder?.State).toBe("STOPPING");
    expect(await stateOf(t, "abb-life")).toBe("STOPPED");
  });

  test("ABB-03 a taken name → ResourceAlreadyExistsException", async () => {
    const t = emu();
    await t.client.send(new CreateAppBlockBuilderCommand(builderInput("abb-dup")));
    expect(await errorName(() => t.client.send(new CreateAppBlockBuilderCommand(builderInput("abb-dup"))))).toBe("ResourceAlreadyExistsException");
  });

  test("ABB-04 unknown names → ResourceNotFoundException for Describe (Names), Update, Start, Stop, Delete and the streaming URL", async () => {
    const t = emu();
    for (const cmd of [
      new DescribeAppBlockBuildersCommand({ Names: ["nope"] }),
      new UpdateAppBlockBuilderCommand({ Name: "nope", Description: "x" }),
      new StartAppBlockBuilderCommand({ Name: "nope" }),
      new StopAppBlockBuilderCommand({ Name: "nope" }),
      new DeleteAppBlockBuilderCommand({ Name: "nope" }),
      new CreateAppBlockBuilderStreamingURLCommand({ AppBlockBuilderName: "nope" }),
    ]) {
      const err = await errorOf(() => t.client.send(cmd as never));
      expect(err.name).toBe("ResourceNotFoundException");
    }
  });

  test("ABB-05 instance types other than stream.standard.* and platforms other than WINDOWS_SERVER_2019 → InvalidParameterCombination", async () => {
    const t = emu();
    const bad = await errorOf(() => t.client.send(new CreateAppBlockBuilderCommand(builderInput("abb-x", { InstanceType: "stream.compute.large" }))));
    expect([bad.name, bad.message]).toEqual([
      "InvalidParameterCombinationException",
      "The instance type stream.compute.large is not supported for app block builders; use a stream.standard instance type.",
    ]);
    for (const size of ["small", "large", "xlarge", "2xlarge"]) {
      await t.client.send(new CreateAppBlockBuilderCommand(builderInput(`abb-${size}`, { InstanceType: `stream.standard.${size}` })));
    }
    const platform = await errorOf(() => t.client.send(new UpdateAppBlockBuilderCommand({ Name: "abb-small", Platform: "WINDOWS_SERVER_2022" })));
    expect(platform.name).toBe("InvalidParameterCombinationException");
    expect((await describeBuilder(t, "abb-small")).Platform).toBe("WINDOWS_SERVER_2019");
  });

  test("ABB-06 VpcConfig needs two distinct subnets, on Create and Update", async () => {
    const t = emu();
    for (const SubnetIds of [["subnet-a"], ["subnet-a", "subnet-a"], []]) {
      const err = await errorOf(() => t.client.send(new CreateAppBlockBuilderCommand(builderInput("abb-vpc", { VpcConfig: { SubnetIds } }))));
      expect([err.name, err.message]).toEqual(["InvalidParameterCombinationException", "App block builders require at least two subnets in different availability zones."]);
    }
    await t.client.send(new CreateAppBlockBuilderCommand(builderInput("abb-vpc")));
    expect(await errorName(() => t.client.send(new UpdateAppBlockBuilderCommand({ Name: "abb-vpc", VpcConfig: { SubnetIds: ["subnet-c"] } })))).toBe("InvalidParameterCombinationException");
  });

  test("ABB-07 an IamRoleArn that is not an IAM role → InvalidRoleException", async () => {
    const t = emu();
    const err = await errorOf(() => t.client.send(new CreateAppBlockBuilderCommand(builderInput("abb-role", { IamRoleArn: `arn:aws:iam::${ACCOUNT}:user/bob` }))));
    expect([err.name, err.message]).toEqual(["InvalidRoleException", `The specified role arn:aws:iam::${ACCOUNT}:user/bob is invalid.`]);
  });

  test("ABB-08 Update: STOPPED takes every member and AttributesToDelete; RUNNING only DisplayName and Description", async () => {
    const t = emu();
    await associatedBuilder(t, "abb-up", { IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/r`, AccessEndpoints: [{ EndpointType: "STREAMING" }] });
    const updated = await t.client.send(new UpdateAppBlockBuilderCommand({
      Name: "abb-up", InstanceType: "stream.standard.large", EnableDefaultInternetAccess: true, DisableIMDSV1: true,
      VpcConfig: { SubnetIds: ["subnet-c", "subnet-d"] }, AttributesToDelete: ["IAM_ROLE_ARN", "ACCESS_ENDPOINTS"],
    }));
    expect(updated.AppBlockBuilder).toMatchObject({
      InstanceType: "stream.standard.large", EnableDefaultInternetAccess: true, DisableIMDSV1: true,
      VpcConfig: { SubnetIds: ["subnet-c", "subnet-d"], SecurityGroupIds: ["sg-1"] },
    });
    expect(updated.AppBlockBuilder).not.toHaveProperty("IamRoleArn");
    expect(updated.AppBlockBuilder).not.toHaveProperty("AccessEndpoints");
    const sg = await t.client.send(new UpdateAppBlockBuilderCommand({ Name: "abb-up", AttributesToDelete: ["VPC_CONFIGURATION_SECURITY_GROUP_IDS"] }));
    expect(sg.AppBlockBuilder?.VpcConfig).toEqual({ SubnetIds: ["subnet-c", "subnet-d"] });
    const both = await errorOf(() => t.client.send(new UpdateAppBlockBuilderCommand({ Name: "abb-up", IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/r`, AttributesToDelete: ["IAM_ROLE_ARN"] })));
    expect([both.name, both.message]).toEqual(["InvalidParameterCombinationException", "The attribute IAM_ROLE_ARN cannot be both set and deleted in the same request."]);

    await t.client.send(new StartAppBlockBuilderCommand({ Name: "abb-up" }));
    const running = await t.client.send(new UpdateAppBlockBuilderCommand({ Name: "abb-up", DisplayName: "Packager", Description: "while running" }));
    expect(running.AppBlockBuilder).toMatchObject({ DisplayName: "Packager", Description: "while running", State: "RUNNING" });
    const refused = await errorOf(() => t.client.send(new UpdateAppBlockBuilderCommand({ Name: "abb-up", InstanceType: "stream.standard.small" })));
    expect([refused.name, refused.message]).toEqual([
      "ResourceInUseException",
      "Cannot update InstanceType of app block builder abb-up while it is RUNNING; only DisplayName and Description can be updated. Stop it first.",
    ]);
    expect(await errorName(() => t.client.send(new UpdateAppBlockBuilderCommand({ Name: "abb-up", AttributesToDelete: ["ACCESS_ENDPOINTS"] })))).toBe("ResourceInUseException");
    expect((await describeBuilder(t, "abb-up")).InstanceType).toBe("stream.standard.large");
  });

  test("ABB-09 Start needs STOPPED and an app block association; ABB-10 Stop needs RUNNING", async () => {
    const t = emu();
    await t.client.send(new CreateAppBlockBuilderCommand(builderInput("abb-lone")));
    const lone = await errorOf(() => t.client.send(new StartAppBlockBuilderCommand({ Name: "abb-lone" })));
    expect([lone.name, lone.message]).toEqual([
      "OperationNotPermittedException",
      "The app block builder abb-lone is not associated with an app block; associate one before starting it.",
    ]);
    const stopStopped = await errorOf(() => t.client.send(new StopAppBlockBuilderCommand({ Name: "abb-lone" })));
    expect([stopStopped.name, stopStopped.message]).toEqual(["OperationNotPermittedException", "The app block builder abb-lone is STOPPED; only a RUNNING app block builder can be stopped."]);
    await associatedBuilder(t, "abb-run");
    await t.client.send(new StartAppBlockBuilderCommand({ Name: "abb-run" }));
    expect(await errorName(() => t.client.send(new StartAppBlockBuilderCommand({ Name: "abb-run" })))).toBe("OperationNotPermittedException");
  });

  test("ABB-11 Delete needs STOPPED and no association; then the builder, its tags and its name are gone", async () => {
    const t = emu();
    await associatedBuilder(t, "abb-del", { Tags: { k: "v" } });
    const arn = (await describeBuilder(t, "abb-del")).Arn!;
    await t.client.send(new StartAppBlockBuilderCommand({ Name: "abb-del" }));
    const running = await errorOf(() => t.client.send(new DeleteAppBlockBuilderCommand({ Name: "abb-del" })));
    expect([running.name, running.message]).toEqual(["ResourceInUseException", "Cannot delete app block builder abb-del when it is RUNNING. It must be stopped first."]);
    await t.client.send(new StopAppBlockBuilderCommand({ Name: "abb-del" }));
    const associated = await errorOf(() => t.client.send(new DeleteAppBlockBuilderCommand({ Name: "abb-del" })));
    expect([associated.name, associated.message]).toEqual([
      "ResourceInUseException",
      `The app block builder abb-del is associated with the app block ${BLOCK_ARN}; disassociate it first.`,
    ]);
    await t.client.send(new DisassociateAppBlockBuilderAppBlockCommand({ AppBlockBuilderName: "abb-del", AppBlockArn: BLOCK_ARN }));
    expect(await t.client.send(new DeleteAppBlockBuilderCommand({ Name: "abb-del" }))).toMatchObject({ $metadata: { httpStatusCode: 200 } });
    expect(await errorName(() => describeBuilder(t, "abb-del"))).toBe("ResourceNotFoundException");
    expect(await errorName(() => t.client.send(new ListTagsForResourceCommand({ ResourceArn: arn })))).toBe("ResourceNotFoundException");
    await t.client.send(new CreateAppBlockBuilderCommand(builderInput("abb-del")));
    expect((await t.client.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags).toEqual({});
  });

  test("ABB-12 the streaming URL needs RUNNING; Expires is now + Validity (default 3600 s); Validity outside 1–604800 → ValidationException", async () => {
    const t = emu();
    await associatedBuilder(t, "abb-url");
    const stopped = await errorOf(() => t.client.send(new CreateAppBlockBuilderStreamingURLCommand({ AppBlockBuilderName: "abb-url" })));
    expect([stopped.name, stopped.message]).toEqual(["OperationNotPermittedException", "The app block builder abb-url is STOPPED; connecting needs a RUNNING app block builder."]);
    await t.client.send(new StartAppBlockBuilderCommand({ Name: "abb-url" }));
    const now = t.emu.store.now();
    const url = await t.client.send(new CreateAppBlockBuilderStreamingURLCommand({ AppBlockBuilderName: "abb-url" }));
    expect(url.StreamingURL).toMatch(/^https:\/\/appstream2\.us-east-1\.aws\.amazon\.com\/authenticate\?parameters=[A-Za-z0-9_-]+$/);
    const expires = url.Expires!.getTime() - now;
    expect(expires).toBeGreaterThanOrEqual(3600_000);
    expect(expires).toBeLessThan(3600_000 + 60_000);
    const week = await t.client.send(new CreateAppBlockBuilderStreamingURLCommand({ AppBlockBuilderName: "abb-url", Validity: 604800 }));
    expect(week.Expires!.getTime() - now).toBeGreaterThanOrEqual(604800_000);
    for (const Validity of [0, 604801]) {
      expect(await errorName(() => t.client.send(new CreateAppBlockBuilderStreamingURLCommand({ AppBlockBuilderName: "abb-url", Validity })))).toBe("ValidationException");
    }
  });

  test("ABB-13 an injected start fault: STARTING → STOPPED with StateChangeReason and AppBlockBuilderErrors; the next Start clears them", async () => {
    const t = emu();
    await associatedBuilder(t, "abb-fault");
    const fault = await control(t.emu.url, "POST", "app-block-builder-faults", { name: "abb-fault", errorCode: "SUBNET_HAS_INSUFFICIENT_IP_ADDRESSES", errorMessage: "no IPs left" });
    expect(fault).toEqual({ status: 200, body: {} });
    const started = await t.client.send(new StartAppBlockBuilderCommand({ Name: "abb-fault" }));
    expect(started.AppBlockBuilder?.State).toBe("STARTING");
    const failed = await describeBuilder(t, "abb-fault");
    expect(failed).toMatchObject({
      State: "STOPPED",
      StateChangeReason: { Code: "INTERNAL_ERROR", Message: "no IPs left" },
      AppBlockBuilderErrors: [{ ErrorCode: "SUBNET_HAS_INSUFFICIENT_IP_ADDRESSES", ErrorMessage: "no IPs left" }],
    });
    expect(failed.AppBlockBuilderErrors?.[0]?.ErrorTimestamp).toBeInstanceOf(Date);
    await t.client.send(new StartAppBlockBuilderCommand({ Name: "abb-fault" }));
    const ok = await describeBuilder(t, "abb-fault");
    expect(ok.State).toBe("RUNNING");
    expect(ok).not.toHaveProperty("StateChangeReason");
    expect(ok).not.toHaveProperty("AppBlockBuilderErrors");
    const missing = await control(t.emu.url, "POST", "app-block-builder-faults", { name: "nope" });
    expect([missing.status, missing.body.__type]).toEqual([404, "ResourceNotFoundException"]);
  });

  test("ABB-14 DescribeAppBlockBuilders pages by MaxResults (the SDK paginator) or the server page size, sorted by name; MaxResults > 25 → ValidationException", async () => {
    const t = emu();
    for (const n of ["abb-c", "abb-a", "abb-e", "abb-b", "abb-d"]) await t.client.send(new CreateAppBlockBuilderCommand(builderInput(n)));
    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeAppBlockBuilders({ client: t.client, pageSize: 3 }, {})) {
      pages++;
      names.push(...(page.AppBlockBuilders ?? []).map((b) => b.Name!));
    }
    expect(names).toEqual(["abb-a", "abb-b", "abb-c", "abb-d", "abb-e"]);
    expect(pages).toBe(2);
    const first = await t.client.send(new DescribeAppBlockBuildersCommand({}));
    expect(first.AppBlockBuilders?.map((b) => b.Name)).toEqual(["abb-a", "abb-b"]);
    expect(first.NextToken).toBeTruthy();
    expect(await errorName(() => t.client.send(new DescribeAppBlockBuildersCommand({ MaxResults: 26 })))).toBe("ValidationException");
  });
});

describe("app block builders, timed transitions and quota", () => {
  const emu = useEmulator({ timeScale: 1, quotas: { appBlockBuilders: 2 } });

  async function advance(t: TestEmulator, seconds: number): Promise<void> {
    await control(t.emu.url, "POST", "clock", { advanceSeconds: seconds });
  }

  test("ABB-01 STARTING lasts the start duration and STOPPING the stop duration; ABB-09 ABB-10 ABB-11 ABA-03 STARTING and STOPPING refuse changes with ConcurrentModification", async () => {
    const t = emu();
    await associatedBuilder(t, "abb-t");
    await t.client.send(new StartAppBlockBuilderCommand({ Name: "abb-t" }));
    expect(await stateOf(t, "abb-t")).toBe("STARTING");
    for (const send of [
      () => t.client.send(new StartAppBlockBuilderCommand({ Name: "abb-t" })),
      () => t.client.send(new StopAppBlockBuilderCommand({ Name: "abb-t" })),
      () => t.client.send(new DeleteAppBlockBuilderCommand({ Name: "abb-t" })),
      () => t.client.send(new UpdateAppBlockBuilderCommand({ Name: "abb-t", Description: "x" })),
      () => t.client.send(new DisassociateAppBlockBuilderAppBlockCommand({ AppBlockBuilderName: "abb-t", AppBlockArn: BLOCK_ARN })),
    ]) {
      expect(await errorName(send)).toBe("ConcurrentModificationException");
    }
    expect(await errorName(() => t.client.send(new CreateAppBlockBuilderStreamingURLCommand({ AppBlockBuilderName: "abb-t" })))).toBe("OperationNotPermittedException");
    await advance(t, 6);
    expect(await stateOf(t, "abb-t")).toBe("RUNNING");
    await t.client.send(new StopAppBlockBuilderCommand({ Name: "abb-t" }));
    expect(await stateOf(t, "abb-t")).toBe("STOPPING");
    expect(await errorName(() => t.client.send(new UpdateAppBlockBuilderCommand({ Name: "abb-t", Description: "x" })))).toBe("ConcurrentModificationException");
    await advance(t, 4);
    expect(await stateOf(t, "abb-t")).toBe("STOPPED");
  });

  test("AB-05 the block turns ACTIVE when the builder reaches STOPPED, not before", async () => {
    const t = emu();
    await associatedBuilder(t, "abb-p");
    await t.client.send(new StartAppBlockBuilderCommand({ Name: "abb-p" }));
    await advance(t, 6);
    await t.client.send(new StopAppBlockBuilderCommand({ Name: "abb-p" }));
    const blockState = async () => (await t.client.send(new DescribeAppBlocksCommand({ Arns: [BLOCK_ARN] }))).AppBlocks![0]!.State;
    expect(await blockState()).toBe("INACTIVE");
    await advance(t, 4);
    expect(await blockState()).toBe("ACTIVE");
  });

  test("ABB-03 beyond the app block builders quota → LimitExceededException", async () => {
    const t = emu();
    await t.client.send(new CreateAppBlockBuilderCommand(builderInput("q1")));
    await t.client.send(new CreateAppBlockBuilderCommand(builderInput("q2")));
    const err = await errorOf(() => t.client.send(new CreateAppBlockBuilderCommand(builderInput("q3"))));
    expect([err.name, err.message]).toEqual(["LimitExceededException", "The requested limit exceeds the permitted limit for an account: app block builders (2)."]);
  });
});
