import {
  AssociateFleetCommand,
  CreateStackCommand,
  DeleteFleetCommand,
  DescribeFleetsCommand,
  ListTagsForResourceCommand,
  StartFleetCommand,
  StopFleetCommand,
  UpdateFleetCommand,
} from "@aws-sdk/client-appstream";
import { describe, expect, test } from "vitest";
import type { ImageRecord } from "../../src/emulator/store.js";
import { rest } from "../../src/emulator/transitions.js";
import { control, createFleet, describeFleet, elasticInput, errorOf, fleetInput, updateFleet, useEmulator } from "./helpers.js";

const emulator = useEmulator({});

const create = (input: Record<string, unknown>) => createFleet(emulator().client, input);
const describeOne = (name: string) => describeFleet(emulator().client, name);
const update = (input: Record<string, unknown>) => updateFleet(emulator().client, input);

describe("create", () => {
  test("FLEET-01 created STOPPED with ARN, defaults, image ARN and platform; tags stored not echoed", async () => {
    const f = await create(fleetInput("f1", { Tags: { team: "euc" } }));
    expect(f.State).toBe("STOPPED");
    expect(f.Arn).toBe("arn:aws:appstream:us-east-1:123456789012:fleet/f1");
    expect(f.FleetType).toBe("ON_DEMAND");
    expect(f.MaxUserDurationInSeconds).toBe(57600);
    expect(f.DisconnectTimeoutInSeconds).toBe(900);
    expect(f.IdleDisconnectTimeoutInSeconds).toBe(0);
    expect(f.StreamView).toBe("APP");
    expect(f.EnableDefaultInternetAccess).toBe(false);
    expect(f.ImageName).toBe("AppStream-WinServer2022-11-12-2025");
    expect(f.ImageArn).toBe("arn:aws:appstream:us-east-1::image/AppStream-WinServer2022-11-12-2025");
    expect(f.Platform).toBe("WINDOWS_SERVER_2022");
    expect(f.CreatedTime).toBeInstanceOf(Date);
    expect(f).not.toHaveProperty("Tags");
    expect(await describeOne("f1")).not.toHaveProperty("Tags");
    const tags = await emulator().client.send(new ListTagsForResourceCommand({ ResourceArn: f.Arn }));
    expect(tags.Tags).toEqual({ team: "euc" });
  });

  test("FLEET-01 explicit members are echoed instead of defaults", async () => {
    const f = await create(
      fleetInput("f2", {
        FleetType: "ALWAYS_ON",
        MaxUserDurationInSeconds: 3600,
        DisconnectTimeoutInSeconds: 60,
        IdleDisconnectTimeoutInSeconds: 600,
        StreamView: "DESKTOP",
        EnableDefaultInternetAccess: true,
        DisplayName: "Two",
        Description: "second",
        VpcConfig: { SubnetIds: ["subnet-1"], SecurityGroupIds: ["sg-1"] },
        RootVolumeConfig: { VolumeSizeInGb: 300 },
        DisableIMDSV1: true,
      }),
    );
    expect(f).toMatchObject({
      FleetType: "ALWAYS_ON",
      MaxUserDurationInSeconds: 3600,
      DisconnectTimeoutInSeconds: 60,
      IdleDisconnectTimeoutInSeconds: 600,
      StreamView: "DESKTOP",
      EnableDefaultInternetAccess: true,
      DisplayName: "Two",
      Description: "second",
      VpcConfig: { SubnetIds: ["subnet-1"], SecurityGroupIds: ["sg-1"] },
      RootVolumeConfig: { VolumeSizeInGb: 300 },
      DisableIMDSV1: true,
    });
  });

  test("FLEET-02 duplicate name → ResourceAlreadyExistsException", async () => {
    await create(fleetInput("dup"));
    const err = await errorOf(() => create(fleetInput("dup")));
    expect(err.name).toBe("ResourceAlreadyExistsException");
  });

  test("FLEET-03 QUOTA-01 the default fleets quota is 10 → LimitExceededException", async () => {
    for (let i = 0; i < 10; i++) await create(fleetInput(`q${i}`));
    const err = await errorOf(() => create(fleetInput("q10")));
    expect(err.name).toBe("LimitExceededException");
  });

  test("FLEET-08 unknown image → ResourceNotFoundException naming image and account", async () => {
    const err = await errorOf(() => create(fleetInput("f", { ImageName: "no-such-image" })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toBe("The image no-such-image for account 123456789012 does not exist.");
  });

  test("FLEET-09 image not AVAILABLE → ResourceNotAvailableException", async () => {
    const images = emulator().emu.store.table<ImageRecord>("us-east-1", "images");
    images["pending-img"] = {
      createdAt: Date.now(),
      lifecycle: rest(Date.now(), "PENDING"),
      attrs: { Name: "pending-img", Arn: "arn:aws:appstream:us-east-1:123456789012:image/pending-img", Visibility: "PRIVATE", Platform: "WINDOWS_SERVER_2022" },
    };
    const err = await errorOf(() => create(fleetInput("f", { ImageName: "pending-img" })));
    expect(err.name).toBe("ResourceNotAvailableException");
    await create(fleetInput("ok"));
    const err2 = await errorOf(() => update({ Name: "ok", ImageName: "pending-img" }));
    expect(err2.name).toBe("ResourceNotAvailableException");
  });

  test("FLEET-10 ImageName with ImageArn → InvalidParameterCombinationException; ImageArn alone resolves the name", async () => {
    const arn = "arn:aws:appstream:us-east-1::image/AppStream-AmazonLinux2-11-12-2025";
    const err = await errorOf(() => create(fleetInput("f", { ImageArn: arn })));
    expect(err.name).toBe("InvalidParameterCombinationException");
    const { ImageName: _n, ...withoutName } = fleetInput("g", { ImageArn: arn });
    const f = await create(withoutName);
    expect(f.ImageName).toBe("AppStream-AmazonLinux2-11-12-2025");
    expect(f.ImageArn).toBe(arn);
    expect(f.Platform).toBe("AMAZON_LINUX2");
  });

  test.each([
    ["no Platform", { Platform: undefined }],
    ["unsupported Platform", { Platform: "WINDOWS_SERVER_2022" }],
    ["no MaxConcurrentSessions", { MaxConcurrentSessions: undefined }],
    ["one subnet", { VpcConfig: { SubnetIds: ["subnet-0a"] } }],
    ["no VpcConfig", { VpcConfig: undefined }],
    ["ComputeCapacity", { ComputeCapacity: { DesiredInstances: 1 } }],
    ["DomainJoinInfo", { DomainJoinInfo: { DirectoryName: "corp.example.com" } }],
    ["an image", { ImageName: "AppStream-WinServer2019-11-12-2025" }],
    ["MaxSessionsPerInstance", { MaxSessionsPerInstance: 2 }],
    ["a compute instance type", { InstanceType: "stream.compute.large" }],
  ])("FLEET-11 ELASTIC with %s → InvalidParameterCombinationException", async (_label, extra) => {
    const err = await errorOf(() => create(elasticInput("e", extra)));
    expect(err.name).toBe("InvalidParameterCombinationException");
  });

  test("FLEET-11 a complete ELASTIC fleet is created without image or capacity", async () => {
    const f = await create(elasticInput("e", { SessionScriptS3Location: { S3Bucket: "scripts-bucket", S3Key: "s.zip" } }));
    expect(f.FleetType).toBe("ELASTIC");
    expect(f.Platform).toBe("WINDOWS_SERVER_2019");
    expect(f.MaxConcurrentSessions).toBe(5);
    expect(f).not.toHaveProperty("ImageName");
    expect(f.SessionScriptS3Location).toEqual({ S3Bucket: "scripts-bucket", S3Key: "s.zip" });
  });

  test.each([
    ["no image", { ImageName: undefined }],
    ["no ComputeCapacity", { ComputeCapacity: undefined }],
    ["MaxConcurrentSessions", { MaxConcurrentSessions: 3 }],
    ["SessionScriptS3Location", { SessionScriptS3Location: { S3Bucket: "scripts-bucket", S3Key: "k" } }],
    ["an unknown instance type", { InstanceType: "stream.graphics-pro.4xlarge" }],
  ])("FLEET-12 ON_DEMAND with %s → InvalidParameterCombinationException", async (_label, extra) => {
    const err = await errorOf(() => create(fleetInput("f", extra)));
    expect(err.name).toBe("InvalidParameterCombinationException");
  });

  test.each([
    ["single-session with DesiredSessions", { ComputeCapacity: { DesiredSessions: 4 } }],
    ["single-session with both", { ComputeCapacity: { DesiredInstances: 1, DesiredSessions: 4 } }],
    ["single-session with neither", { ComputeCapacity: {} }],
    ["multi-session with DesiredInstances", { MaxSessionsPerInstance: 2, ComputeCapacity: { DesiredInstances: 2 } }],
  ])("FLEET-13 %s → InvalidParameterCombinationException", async (_label, extra) => {
    const err = await errorOf(() => create(fleetInput("f", extra)));
    expect(err.name).toBe("InvalidParameterCombinationException");
  });

  test("FLEET-13 a multi-session fleet with DesiredSessions is created", async () => {
    const f = await create(fleetInput("m", { MaxSessionsPerInstance: 4, ComputeCapacity: { DesiredSessions: 10 } }));
    expect(f.MaxSessionsPerInstance).toBe(4);
    expect(f.ComputeCapacityStatus).toMatchObject({ Desired: 3, DesiredUserSessions: 10, ActualUserSessions: 0 });
  });
});

describe("state machine", () => {
  test("FLEET-17 StartFleet: STARTING synchronously, RUNNING after the scaled duration", async () => {
    await emulator.restart({ timeScale: 1 });
    await create(fleetInput("s"));
    await emulator().client.send(new StartFleetCommand({ Name: "s" }));
    expect((await describeOne("s")).State).toBe("STARTING");
    await control(emulator().emu.url, "POST", "clock", { advanceSeconds: 5 });
    expect((await describeOne("s")).State).toBe("RUNNING");
  });

  test("FLEET-17 with time scale 0 the fleet is RUNNING at the next read", async () => {
    await create(fleetInput("s0"));
    await emulator().client.send(new StartFleetCommand({ Name: "s0" }));
    expect((await describeOne("s0")).State).toBe("RUNNING");
  });

  test("FLEET-18 StopFleet: STOPPING synchronously, STOPPED after the scaled duration", async () => {
    await emulator.restart({ timeScale: 1 });
    await create(fleetInput("s"));
    await emulator().client.send(new StartFleetCommand({ Name: "s" }));
    await control(emulator().emu.url, "POST", "clock", { advanceSeconds: 10 });
    await emulator().client.send(new StopFleetCommand({ Name: "s" }));
    expect((await describeOne("s")).State).toBe("STOPPING");
    await control(emulator().emu.url, "POST", "clock", { advanceSeconds: 3 });
    expect((await describeOne("s")).State).toBe("STOPPED");
  });

  test("FLEET-19 Start on RUNNING and Stop on STOPPED are no-ops; Start while STOPPING → ConcurrentModificationException", async () => {
    await emulator.restart({ timeScale: 1 });
    await create(fleetInput("s"));
    await emulator().client.send(new StopFleetCommand({ Name: "s" }));
    expect((await describeOne("s")).State).toBe("STOPPED");
    await emulator().client.send(new StartFleetCommand({ Name: "s" }));
    await emulator().client.send(new StartFleetCommand({ Name: "s" }));
    expect((await describeOne("s")).State).toBe("STARTING");
    await control(emulator().emu.url, "POST", "clock", { advanceSeconds: 5 });
    await emulator().client.send(new StartFleetCommand({ Name: "s" }));
    expect((await describeOne("s")).State).toBe("RUNNING");
    await emulator().client.send(new StopFleetCommand({ Name: "s" }));
    await emulator().client.send(new StopFleetCommand({ Name: "s" }));
    expect((await describeOne("s")).State).toBe("STOPPING");
    const err = await errorOf(() => emulator().client.send(new StartFleetCommand({ Name: "s" })));
    expect(err.name).toBe("ConcurrentModificationException");
  });

  test("FLEET-19 StopFleet on a STARTING fleet stops it", async () => {
    await emulator.restart({ timeScale: 1 });
    await create(fleetInput("s"));
    await emulator().client.send(new StartFleetCommand({ Name: "s" }));
    await emulator().client.send(new StopFleetCommand({ Name: "s" }));
    expect((await describeOne("s")).State).toBe("STOPPING");
  });

  test("FLEET-20 unknown fleet → ResourceNotFoundException on update, start, stop and delete", async () => {
    for (const cmd of [
      new UpdateFleetCommand({ Name: "ghost", DisplayName: "x" }),
      new StartFleetCommand({ Name: "ghost" }),
      new StopFleetCommand({ Name: "ghost" }),
      new DeleteFleetCommand({ Name: "ghost" }),
    ]) {
      const err = await errorOf(() => emulator().client.send(cmd as never));
      expect(err.name).toBe("ResourceNotFoundException");
      expect(err.message).toBe("The fleet ghost does not exist.");
    }
  });

  test("FLEET-20 UpdateFleet without Name → InvalidParameterCombinationException", async () => {
    const err = await errorOf(() => update({ DisplayName: "x" }));
    expect(err.name).toBe("InvalidParameterCombinationException");
  });

  test("FLEET-21 DeleteFleet: associated → ResourceInUse message; RUNNING → ResourceInUse; STOPPED → gone", async () => {
    await create(fleetInput("d"));
    await emulator().client.send(new CreateStackCommand({ Name: "st" }));
    await emulator().client.send(new AssociateFleetCommand({ StackName: "st", FleetName: "d" }));
    const err = await errorOf(() => emulator().client.send(new DeleteFleetCommand({ Name: "d" })));
    expect(err.name).toBe("ResourceInUseException");
    expect(err.message).toBe("The fleet d is associated with a stack. To delete the fleet, you must dissociate it from the stack.");
    const f = await create(fleetInput("r", { Tags: { a: "1" } }));
    await emulator().client.send(new StartFleetCommand({ Name: "r" }));
    const err2 = await errorOf(() => emulator().client.send(new DeleteFleetCommand({ Name: "r" })));
    expect(err2.name).toBe("ResourceInUseException");
    expect(err2.message).toBe("Cannot delete fleet r when it is RUNNING. The fleet must be stopped to complete this action.");
    await emulator().client.send(new StopFleetCommand({ Name: "r" }));
    await emulator().client.send(new DeleteFleetCommand({ Name: "r" }));
    const gone = await errorOf(() => describeOne("r"));
    expect(gone.name).toBe("ResourceNotFoundException");
    const tagErr = await errorOf(() => emulator().client.send(new ListTagsForResourceCommand({ ResourceArn: f.Arn })));
    expect(tagErr.name).toBe("ResourceNotFoundException");
  });

  test("FLEET-22 DescribeFleets: name order without Names, Names order with Names, unknown name → RNFE", async () => {
    await emulator.restart({ pageSize: 50 });
    for (const n of ["c", "a", "b"]) await create(fleetInput(n));
    const all = await emulator().client.send(new DescribeFleetsCommand({}));
    expect(all.Fleets!.map((f) => f.Name)).toEqual(["a", "b", "c"]);
    expect(all.NextToken).toBeUndefined();
    const some = await emulator().client.send(new DescribeFleetsCommand({ Names: ["b", "c"] }));
    expect(some.Fleets!.map((f) => f.Name)).toEqual(["b", "c"]);
    const err = await errorOf(() => emulator().client.send(new DescribeFleetsCommand({ Names: ["a", "zzz"] })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toBe("The fleet zzz does not exist.");
  });
});
