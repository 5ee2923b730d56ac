import {
  AssociateFleetCommand,
  CreateDirectoryConfigCommand,
  CreateStackCommand,
  StartFleetCommand,
  StopFleetCommand,
  waitUntilFleetStarted,
  waitUntilFleetStopped,
} from "@aws-sdk/client-appstream";
import { describe, expect, test } from "vitest";
import { control, createFleet, describeFleet, elasticInput, errorOf, fleetInput, updateFleet, useEmulator } from "./helpers.js";

const emulator = useEmulator({});

const create = (input: Record<string, unknown>) => createFleet(emulator().client, input);
const describeOne = (name: string) => describeFleet(emulator().client, name);
const update = (input: Record<string, unknown>) => updateFleet(emulator().client, input);
async function running(input: Record<string, unknown>): Promise<void> {
  await create(input);
  await emulator().client.send(new StartFleetCommand({ Name: String(input.Name) }));
  expect((await describeOne(String(input.Name))).State).toBe("RUNNING");
}

describe("update", () => {
  test("FLEET-04 non-whitelisted attributes on a RUNNING fleet → ResourceInUseException with the observed message", async () => {
    await running(fleetInput("run"));
    for (const change of [
      { InstanceType: "stream.standard.large" },
      { Description: "new" },
      { IamRoleArn: "arn:aws:iam::123456789012:role/r" },
      { AttributesToDelete: ["IAM_ROLE_ARN"] },
      { DeleteVpcConfig: true },
      { DisplayName: "ok", StreamView: "DESKTOP" },
    ]) {
      const err = await errorOf(() => update({ Name: "run", ...change }));
      expect(err.name).toBe("ResourceInUseException");
      expect(err.message).toBe("Cannot update the attribute for fleet run when it is ACTIVE. The fleet must be stopped to complete this action.");
    }
    expect((await describeOne("run")).DisplayName).toBeUndefined();
  });

  test("FLEET-05 RUNNING ON_DEMAND fleet accepts the whitelist live", async () => {
    await running(fleetInput("live"));
    const f = await update({
      Name: "live",
      DisplayName: "Live",
      ComputeCapacity: { DesiredInstances: 4 },
      ImageName: "AppStream-WinServer2019-11-12-2025",
      IdleDisconnectTimeoutInSeconds: 900,
      DisconnectTimeoutInSeconds: 120,
    });
    expect(f.State).toBe("RUNNING");
    expect(f).toMatchObject({
      DisplayName: "Live",
      ImageName: "AppStream-WinServer2019-11-12-2025",
      Platform: "WINDOWS_SERVER_2019",
      IdleDisconnectTimeoutInSeconds: 900,
      DisconnectTimeoutInSeconds: 120,
    });
    expect(f.ComputeCapacityStatus).toMatchObject({ Desired: 4, Running: 4 });
  });

  test("FLEET-06 RUNNING ELASTIC fleet accepts its whitelist and deletions live, but not Description", async () => {
    await running(elasticInput("el", { UsbDeviceFilterStrings: ["Wacom,Tablet,*,*,*,*,0,0"] }));
    const f = await update({
      Name: "el",
      DisplayName: "E",
      MaxConcurrentSessions: 9,
      DisconnectTimeoutInSeconds: 300,
      IdleDisconnectTimeoutInSeconds: 600,
      SessionScriptS3Location: { S3Bucket: "scripts-bucket", S3Key: "k.zip" },
    });
    expect(f).toMatchObject({ DisplayName: "E", MaxConcurrentSessions: 9, SessionScriptS3Location: { S3Bucket: "scripts-bucket", S3Key: "k.zip" } });
    const g = await update({ Name: "el", AttributesToDelete: ["SESSION_SCRIPT_S3_LOCATION", "USB_DEVICE_FILTER_STRINGS"] });
    expect(g).not.toHaveProperty("SessionScriptS3Location");
    expect(g).not.toHaveProperty("UsbDeviceFilterStrings");
    const err = await errorOf(() => update({ Name: "el", Description: "d" }));
    expect(err.name).toBe("ResourceInUseException");
  });

  test("FLEET-07 UpdateFleet while STARTING or STOPPING → ConcurrentModificationException", async () => {
    await emulator.restart({ timeScale: 1 });
    await create(fleetInput("tr"));
    await emulator().client.send(new StartFleetCommand({ Name: "tr" }));
    const e1 = await errorOf(() => update({ Name: "tr", DisplayName: "x" }));
    expect(e1.name).toBe("ConcurrentModificationException");
    await control(emulator().emu.url, "POST", "clock", { advanceSeconds: 5 });
    await emulator().client.send(new StopFleetCommand({ Name: "tr" }));
    const e2 = await errorOf(() => update({ Name: "tr", DisplayName: "x" }));
    expect(e2.name).toBe("ConcurrentModificationException");
  });

  test("FLEET-14 every AttributesToDelete value clears its attribute on a STOPPED fleet", async () => {
    await emulator().client.send(
      new CreateDirectoryConfigCommand({ DirectoryName: "corp.example.com", OrganizationalUnitDistinguishedNames: ["OU=a,DC=corp"] }),
    );
    await create(
      fleetInput("del", {
        VpcConfig: { SubnetIds: ["subnet-1"], SecurityGroupIds: ["sg-1"] },
        DomainJoinInfo: { DirectoryName: "corp.example.com", OrganizationalUnitDistinguishedName: "OU=a,DC=corp" },
        IamRoleArn: "arn:aws:iam::123456789012:role/r",
        UsbDeviceFilterStrings: ["Wacom,Tablet,*,*,*,*,0,0"],
        MaxSessionsPerInstance: 2,
        ComputeCapacity: { DesiredSessions: 4 },
        RootVolumeConfig: { VolumeSizeInGb: 300 },
      }),
    );
    let f = await update({ Name: "del", AttributesToDelete: ["VPC_CONFIGURATION_SECURITY_GROUP_IDS"] });
    expect(f.VpcConfig).toEqual({ SubnetIds: ["subnet-1"] });
    f = await update({ Name: "del", AttributesToDelete: ["VPC_CONFIGURATION", "DOMAIN_JOIN_INFO", "IAM_ROLE_ARN", "USB_DEVICE_FILTER_STRINGS", "VOLUME_CONFIGURATION"] });
    for (const m of ["VpcConfig", "DomainJoinInfo", "IamRoleArn", "UsbDeviceFilterStrings", "RootVolumeConfig"]) expect(f).not.toHaveProperty(m);
    f = await update({ Name: "del", AttributesToDelete: ["MAX_SESSIONS_PER_INSTANCE"], ComputeCapacity: { DesiredInstances: 2 } });
    expect(f).not.toHaveProperty("MaxSessionsPerInstance");
    expect(f.ComputeCapacityStatus).toEqual({ Desired: 2, Running: 0, InUse: 0, Available: 0 });
    await create(elasticInput("el", { SessionScriptS3Location: { S3Bucket: "scripts-bucket", S3Key: "k" } }));
    const e = await update({ Name: "el", AttributesToDelete: ["SESSION_SCRIPT_S3_LOCATION"] });
    expect(e).not.toHaveProperty("SessionScriptS3Location");
  });

  test("FLEET-15 same attribute set and deleted → InvalidParameterCombinationException", async () => {
    await create(fleetInput("c"));
    for (const change of [
      { IamRoleArn: "arn:aws:iam::123456789012:role/r", AttributesToDelete: ["IAM_ROLE_ARN"] },
      { VpcConfig: { SubnetIds: ["s"], SecurityGroupIds: ["sg"] }, AttributesToDelete: ["VPC_CONFIGURATION_SECURITY_GROUP_IDS"] },
      { VpcConfig: { SubnetIds: ["s"] }, DeleteVpcConfig: true },
    ]) {
      const err = await errorOf(() => update({ Name: "c", ...change }));
      expect(err.name).toBe("InvalidParameterCombinationException");
    }
  });

  test("FLEET-16 DeleteVpcConfig clears VpcConfig", async () => {
    await create(fleetInput("v", { VpcConfig: { SubnetIds: ["subnet-1"] } }));
    const f = await update({ Name: "v", DeleteVpcConfig: true });
    expect(f).not.toHaveProperty("VpcConfig");
  });

  test("FLEET-24 merged checks: switching to multi-session needs DesiredSessions in the same call", async () => {
    await create(fleetInput("sw"));
    const err = await errorOf(() => update({ Name: "sw", MaxSessionsPerInstance: 2 }));
    expect(err.name).toBe("InvalidParameterCombinationException");
    const f = await update({ Name: "sw", MaxSessionsPerInstance: 2, ComputeCapacity: { DesiredSessions: 6 } });
    expect(f.ComputeCapacityStatus).toMatchObject({ Desired: 3, DesiredUserSessions: 6 });
    await create(elasticInput("el"));
    const e2 = await errorOf(() => update({ Name: "el", ComputeCapacity: { DesiredInstances: 1 } }));
    expect(e2.name).toBe("InvalidParameterCombinationException");
  });

  test("FLEET-25 VpcConfig and ComputeCapacity are replaced wholesale, others unchanged", async () => {
    await create(fleetInput("w", { VpcConfig: { SubnetIds: ["a"], SecurityGroupIds: ["sg"] }, DisplayName: "W" }));
    const f = await update({ Name: "w", VpcConfig: { SubnetIds: ["b", "c"] }, ComputeCapacity: { DesiredInstances: 7 }, ImageName: "AppStream-AmazonLinux2-11-12-2025" });
    expect(f.VpcConfig).toEqual({ SubnetIds: ["b", "c"] });
    expect(f.ComputeCapacityStatus?.Desired).toBe(7);
    expect(f.DisplayName).toBe("W");
    expect(f.ImageArn).toBe("arn:aws:appstream:us-east-1::image/AppStream-AmazonLinux2-11-12-2025");
    expect(f.Platform).toBe("AMAZON_LINUX2");
    // Platform of an image-based fleet follows its image, whatever the request says.
    const g = await update({ Name: "w", Platform: "WINDOWS_SERVER_2019" });
    expect(g.Platform).toBe("AMAZON_LINUX2");
  });
});

describe("capacity", () => {
  test("FLEET-23 ComputeCapacityStatus follows state and sessions (single-session)", async () => {
    const f = await create(fleetInput("cap", { ComputeCapacity: { DesiredInstances: 3 } }));
    expect(f.ComputeCapacityStatus).toEqual({ Desired: 3, Running: 0, InUse: 0, Available: 0 });
    await emulator().client.send(new StartFleetCommand({ Name: "cap" }));
    expect((await describeOne("cap")).ComputeCapacityStatus).toEqual({ Desired: 3, Running: 3, InUse: 0, Available: 3 });
    await emulator().client.send(new CreateStackCommand({ Name: "cs" }));
    await emulator().client.send(new AssociateFleetCommand({ StackName: "cs", FleetName: "cap" }));
    const r = await control(emulator().emu.url, "POST", "sessions", { stackName: "cs", fleetName: "cap", count: 2 });
    expect(r.status).toBe(200);
    expect((await describeOne("cap")).ComputeCapacityStatus).toEqual({ Desired: 3, Running: 3, InUse: 2, Available: 1 });
  });

  test("FLEET-23 multi-session and ELASTIC counters", async () => {
    await create(fleetInput("ms", { MaxSessionsPerInstance: 4, ComputeCapacity: { DesiredSessions: 8 } }));
    await emulator().client.send(new StartFleetCommand({ Name: "ms" }));
    await emulator().client.send(new CreateStackCommand({ Name: "s1" }));
    await emulator().client.send(new AssociateFleetCommand({ StackName: "s1", FleetName: "ms" }));
    await control(emulator().emu.url, "POST", "sessions", { stackName: "s1", fleetName: "ms", count: 5 });
    expect((await describeOne("ms")).ComputeCapacityStatus).toEqual({
      Desired: 2,
      Running: 2,
      InUse: 2,
      Available: 0,
      DesiredUserSessions: 8,
      ActualUserSessions: 8,
      ActiveUserSessions: 5,
      AvailableUserSessions: 3,
    });
    await create(elasticInput("el"));
    await emulator().client.send(new StartFleetCommand({ Name: "el" }));
    await emulator().client.send(new CreateStackCommand({ Name: "s2" }));
    await emulator().client.send(new AssociateFleetCommand({ StackName: "s2", FleetName: "el" }));
    await control(emulator().emu.url, "POST", "sessions", { stackName: "s2", fleetName: "el", count: 3 });
    expect((await describeOne("el")).ComputeCapacityStatus).toEqual({ Desired: 3, Running: 3, InUse: 3, Available: 0 });
  });
});

describe("waiters and quotas", () => {
  test("FLEET-17 FLEET-18 the SDK's FleetStarted/FleetStopped waiters succeed against the emulator", async () => {
    await emulator.restart({ timeScale: 0.01 });
    await create(fleetInput("w"));
    await emulator().client.send(new StartFleetCommand({ Name: "w" }));
    const started = await waitUntilFleetStarted({ client: emulator().client, maxWaitTime: 20, minDelay: 0.05, maxDelay: 0.2 }, { Names: ["w"] });
    expect(started.state).toBe("SUCCESS");
    await emulator().client.send(new StopFleetCommand({ Name: "w" }));
    const stopped = await waitUntilFleetStopped({ client: emulator().client, maxWaitTime: 20, minDelay: 0.05, maxDelay: 0.2 }, { Names: ["w"] });
    expect(stopped.state).toBe("SUCCESS");
    expect((await describeOne("w")).State).toBe("STOPPED");
  });

  test("QUOTA-02 per-instance-type quota on StartFleet and on a RUNNING UpdateFleet; other types unlimited", async () => {
    await emulator.restart({ quotas: { instances: { "stream.standard.medium": 5 } } });
    await create(fleetInput("a", { ComputeCapacity: { DesiredInstances: 3 } }));
    await create(fleetInput("b", { ComputeCapacity: { DesiredInstances: 3 } }));
    await create(fleetInput("c", { InstanceType: "stream.standard.large", ComputeCapacity: { DesiredInstances: 50 } }));
    await emulator().client.send(new StartFleetCommand({ Name: "a" }));
    const err = await errorOf(() => emulator().client.send(new StartFleetCommand({ Name: "b" })));
    expect(err.name).toBe("LimitExceededException");
    expect((await describeOne("b")).State).toBe("STOPPED");
    await update({ Name: "b", ComputeCapacity: { DesiredInstances: 2 } });
    await emulator().client.send(new StartFleetCommand({ Name: "b" }));
    const err2 = await errorOf(() => update({ Name: "a", ComputeCapacity: { DesiredInstances: 4 } }));
    expect(err2.name).toBe("LimitExceededException");
    expect((await describeOne("a")).ComputeCapacityStatus?.Desired).toBe(3);
    await emulator().client.send(new StartFleetCommand({ Name: "c" }));
    expect((await describeOne("c")).State).toBe("RUNNING");
  });
});

describe("timeouts", () => {
  test.each([0, 60, 70, 89, 90, 1000, 35999])("FLEET-26 IdleDisconnectTimeoutInSeconds %i is stored as sent", async (given) => {
    const f = await create(fleetInput(`idle${given}`, { IdleDisconnectTimeoutInSeconds: given, MaxUserDurationInSeconds: 1001 }));
    expect([f.IdleDisconnectTimeoutInSeconds, f.MaxUserDurationInSeconds]).toEqual([given, 1001]);
    const next = given === 0 ? 61 : given + 1;
    const g = await update({ Name: `idle${given}`, IdleDisconnectTimeoutInSeconds: next });
    expect(g.IdleDisconnectTimeoutInSeconds).toBe(next);
    expect((await describeOne(`idle${given}`)).IdleDisconnectTimeoutInSeconds).toBe(next);
  });
});
