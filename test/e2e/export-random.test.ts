/**
 * Export round trip on a randomly generated estate (seeded, so a failure reproduces): an estate built
 * by hand through the SDK — every kind, optional fields on and off, run states, memberships, shares,
 * disabled users, tags — exports to a manifest that plans to ["no-op"] everywhere.
 */
import {
  AssociateFleetCommand, BatchAssociateUserStackCommand, CreateDirectoryConfigCommand, CreateFleetCommand, CreateImageBuilderCommand,
  CreateImportedImageCommand, CreateStackCommand, CreateUserCommand, DisableUserCommand, StartFleetCommand, StopImageBuilderCommand,
  UpdateImagePermissionsCommand, type AppStreamClient,
} from "@aws-sdk/client-appstream";
import { beforeAll, describe, expect, it } from "vitest";
import { prng } from "../../src/emulator/faults.js";
import { useEmulator } from "../emulator/helpers.js";
import type { Plan } from "../../src/core/plan-types.js";
import { changesOf } from "./apply-helpers.js";
import { cli, fakeAwsCredentials, PASSWORD, writeManifest } from "./helpers.js";

beforeAll(fakeAwsCredentials);

const IMAGES = ["AppStream-WinServer2022-11-12-2025", "AppStream-WinServer2019-11-12-2025", "AppStream-AmazonLinux2-11-12-2025"];

/** Builds a random estate through the SDK; returns how many resources of each kind it made. */
interface Made {
  fleets: number;
  stacks: number;
  users: number;
  images: number;
  builders: number;
  directories: number;
}

async function randomEstate(c: AppStreamClient, seed: number): Promise<Made> {
  const r = prng(seed);
  const chance = (p: number) => r() < p;
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const count: Made = { fleets: 0, stacks: 0, users: 0, images: 0, builders: 0, directories: 0 };
  const tags = () => (chance(0.5) ? { Tags: { team: pick(["euc", "ops", "dev"]), ...(chance(0.3) ? { "cost center": "4711" } : {}) } } : {});

  if (chance(0.7)) {
    await c.send(new CreateDirectoryConfigCommand({
      DirectoryName: "corp.example.com", OrganizationalUnitDistinguishedNames: ["OU=B,DC=corp", "OU=A,DC=corp"],
      ServiceAccountCredentials: { AccountName: "CORP\\svc", AccountPassword: PASSWORD },
    }));
    count.directories++;
  }
  const images: string[] = [];
  for (let i = 0; i < 1 + Math.floor(r() * 3); i++) {
    const name = `img-${seed}-${i}`;
    await c.send(new CreateImportedImageCommand({
      Name: name, SourceAmiId: "ami-0123456789abcdef0", IamRoleArn: "arn:aws:iam::123456789012:role/import",
      ...(chance(0.5) ? { Description: "golden image" } : {}), ...tags(),
    }));
    images.push(name);
    for (const account of ["210987654321", "111122223333"]) {
      if (chance(0.5)) {
        await c.send(new UpdateImagePermissionsCommand({ Name: name, SharedAccountId: account, ImagePermissions: { allowFleet: chance(0.7), allowImageBuilder: chance(0.3) } }));
      }
    }
    count.images++;
  }
  const fleets: string[] = [];
  for (let i = 0; i < 2 + Math.floor(r() * 4); i++) {
    const name = `fleet-${i}`;
    const type = pick(["ON_DEMAND", "ALWAYS_ON", "ELASTIC"] as const);
    const common = {
      Name: name, ...(chance(0.5) ? { DisplayName: `Fleet ${i}` } : {}), ...(chance(0.3) ? { Description: "made by hand" } : {}),
      ...(chance(0.5) ? { DisconnectTimeoutInSeconds: pick([60, 300, 900]) } : {}), ...(chance(0.4) ? { MaxUserDurationInSeconds: pick([3600, 28800]) } : {}),
      ...(chance(0.3) ? { EnableDefaultInternetAccess: true } : {}), ...(chance(0.3) ? { DisableIMDSV1: true } : {}), ...tags(),
    };
    if (type === "ELASTIC") {
      await c.send(new CreateFleetCommand({
        ...common, FleetType: "ELASTIC", InstanceType: "stream.standard.small", Platform: "WINDOWS_SERVER_2019", MaxConcurrentSessions: 1 + Math.floor(r() * 9),
        VpcConfig: { SubnetIds: ["subnet-0000000a", "subnet-0000000b"], ...(chance(0.5) ? { SecurityGroupIds: ["sg-00000001"] } : {}) },
      }));
    } else {
      const multi = chance(0.3);
      await c.send(new CreateFleetCommand({
        ...common, FleetType: type, InstanceType: pick(["stream.standard.small", "stream.standard.medium", "stream.standard.large"]),
        ImageName: pick([...IMAGES, ...images]),
        ...(multi ? { MaxSessionsPerInstance: 2 + Math.floor(r() * 3), ComputeCapacity: { DesiredSessions: 1 + Math.floor(r() * 6) } } : { ComputeCapacity: { DesiredInstances: Math.floor(r() * 4) } }),
        ...(chance(0.4) ? { IdleDisconnectTimeoutInSeconds: pick([0, 600, 900]) } : {}), ...(chance(0.3) ? { StreamView: "DESKTOP" as const } : {}),
        ...(chance(0.3) ? { VpcConfig: { SubnetIds: ["subnet-0000000c"], SecurityGroupIds: ["sg-00000002", "sg-00000001"] } } : {}),
        ...(chance(0.2) ? { RootVolumeConfig: { VolumeSizeInGb: 250 } } : {}),
      }));
    }
    if (chance(0.6)) await c.send(new StartFleetCommand({ Name: name }));
    fleets.push(name);
    count.fleets++;
  }
  const stacks: string[] = [];
  for (let i = 0; i < 1 + Math.floor(r() * 4); i++) {
    const name = `stack-${i}`;
    await c.send(new CreateStackCommand({
      Name: name, ...(chance(0.5) ? { DisplayName: `Stack ${i}` } : {}), ...(chance(0.3) ? { RedirectURL: "https://intranet.example.com/" } : {}),
      ...(chance(0.5) ? { StorageConnectors: [{ ConnectorType: "HOMEFOLDERS" as const }] } : {}),
      ...(chance(0.5) ? { UserSettings: [{ Action: "FILE_DOWNLOAD" as const, Permission: pick(["ENABLED", "DISABLED"] as const) }, { Action: "PRINTING_TO_LOCAL_DEVICE" as const, Permission: "DISABLED" as const }] } : {}),
      ...(chance(0.3) ? { EmbedHostDomains: ["b.example.com", "a.example.com"] } : {}),
      ...(chance(0.3) ? { ApplicationSettings: { Enabled: true, SettingsGroup: `group-${i}` } } : {}), ...tags(),
    }));
    if (fleets.length && chance(0.7)) await c.send(new AssociateFleetCommand({ StackName: name, FleetName: pick(fleets) }));
    stacks.push(name);
    count.stacks++;
  }
  for (let i = 0; i < Math.floor(r() * 6); i++) {
    const user = `user${i}@example.com`;
    await c.send(new CreateUserCommand({
      UserName: user, AuthenticationType: "USERPOOL", MessageAction: "SUPPRESS",
      ...(chance(0.6) ? { FirstName: `First${i}`, LastName: `Last${i}` } : {}),
    }));
    if (chance(0.3)) await c.send(new DisableUserCommand({ UserName: user, AuthenticationType: "USERPOOL" }));
    const mine = stacks.filter(() => chance(0.4));
    if (mine.length) {
      await c.send(new BatchAssociateUserStackCommand({
        UserStackAssociations: mine.map((s) => ({ StackName: s, UserName: user, AuthenticationType: "USERPOOL" as const, SendEmailNotification: false })),
      }));
    }
    count.users++;
  }
  if (chance(0.6)) {
    await c.send(new CreateImageBuilderCommand({
      Name: "builder", InstanceType: "stream.standard.medium", ImageName: IMAGES[0], ...(chance(0.5) ? { DisplayName: "Builder" } : {}), ...tags(),
    }));
    if (chance(0.5)) await c.send(new StopImageBuilderCommand({ Name: "builder" }));
    count.builders++;
  }
  return count;
}

describe("export round trip on seeded random estates", () => {
  const emulator = useEmulator({});

  for (const seed of [1, 7, 42, 2026]) {
    it(`seed ${seed}: export --adopt, then plan is all no-op`, async () => {
      const made = await randomEstate(emulator().client, seed);
      expect(made.fleets + made.stacks).toBeGreaterThan(2);
      const out = await cli(emulator().emu.url, ["export", "--set", `random-${seed}`, "--adopt"]);
      expect(out.code, out.stderr).toBe(0);
      const total = Object.values(made).reduce((a, b) => a + b, 0);
      expect(out.stderr).toContain(`exported ${total} resource(s)`);
      const file = writeManifest(out.stdout);
      const env: Record<string, string> = made.directories ? { APPSTREAM_DIRECTORY_PASSWORD_1: PASSWORD } : {};
      const plan = await cli(emulator().emu.url, ["-f", file, "-o", "json", "plan"], { env });
      expect(plan.code, `${plan.stderr}\n${out.stdout}`).toBe(0);
      expect(changesOf(JSON.parse(plan.stdout)), out.stdout).toEqual({});
      // And drift agrees: nothing changed, missing or unmanaged.
      const drift = await cli(emulator().emu.url, ["-f", file, "drift"], { env });
      expect(drift.stdout.trimEnd().split("\n").at(-1)).toBe("Drift: 0 changed, 0 missing, 0 unmanaged.");
      expect(drift.code).toBe(0);
    });
  }

  it("without --adopt, the plan only adds the ownership tag", async () => {
    const made = await randomEstate(emulator().client, 99);
    const out = await cli(emulator().emu.url, ["export", "--set", "random-99"]);
    const file = writeManifest(out.stdout);
    const env: Record<string, string> = made.directories ? { APPSTREAM_DIRECTORY_PASSWORD_1: PASSWORD } : {};
    const planned = await cli(emulator().emu.url, ["-f", file, "-o", "json", "plan"], { env });
    expect(planned.code, planned.stderr).toBe(0);
    const plan = JSON.parse(planned.stdout) as Plan;
    const taggable = made.fleets + made.stacks + made.images + made.builders;
    expect(Object.values(changesOf(plan))).toEqual(Array(taggable).fill("update"));
    for (const c of plan.resourceChanges.filter((c) => c.actions[0] === "update")) {
      expect(c.diff).toEqual([{ path: "tags.appstreamctl:set", after: "random-99", sensitive: false, why: "tags" }]);
    }
  });
});
