/**
 * Named regressions of the failure classes the round-trip suite (roundtrip.test.ts) found outside the
 * classes other work settles: each is the minimal manifest of its class, applied against the emulator,
 * then planned again (must be a no-op) and read back with raw SDK calls.
 */
import { DescribeFleetsCommand, DescribeStacksCommand } from "@aws-sdk/client-appstream";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Plan } from "../../src/core/plan-types.js";
import { calls, startTestEmulator, type TestEmulator } from "../emulator/helpers.js";
import { changesOf } from "../e2e/apply-helpers.js";
import { cli, fakeAwsCredentials, writeManifest } from "../e2e/helpers.js";

beforeAll(fakeAwsCredentials);

const HEAD = "apiVersion: appstreamctl/v1\nmetadata: { name: regressions }\n";

let t: TestEmulator;
beforeEach(async () => (t = await startTestEmulator()));
afterEach(async () => t.close());

async function apply(body: string): Promise<{ code: number; stdout: string; stderr: string; file: string }> {
  const file = writeManifest(HEAD + body);
  const r = await cli(t.emu.url, ["-f", file, "apply", "--auto-approve", "--allow-disruption"]);
  return { ...r, file };
}

async function plan(file: string): Promise<Plan> {
  const r = await cli(t.emu.url, ["-f", file, "-o", "json", "plan"]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Plan;
}

const mutating = async () => (await calls(t.emu.url)).filter((c) => c.mutating).map((c) => c.operation);

describe("round-trip regressions", () => {
  it("fleetPlatformFromImage: a non-ELASTIC fleet declaring another platform than its image's converges in one apply", async () => {
    // Seen as `platform: "WINDOWS_SERVER_2022" → "WINDOWS_SERVER_2019"  # requires stopped fleet` on every plan.
    const body = `fleets:
  - name: f
    instanceType: stream.standard.small
    imageName: AppStream-WinServer2022-11-12-2025
    platform: WINDOWS_SERVER_2019
    computeCapacity: { desiredInstances: 1 }
`;
    const r = await apply(body);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("warning [rule.elastic]");
    expect(r.stderr).toContain("ON_DEMAND fleets take their platform from the image");
    expect(changesOf(await plan(r.file))).toEqual({});
    const live = (await t.client.send(new DescribeFleetsCommand({ Names: ["f"] }))).Fleets![0]!;
    expect([live.Platform, live.State]).toEqual(["WINDOWS_SERVER_2022", "RUNNING"]);
    // The second apply changes nothing: no stop and restart of the fleet.
    const before = (await mutating()).length;
    const again = await apply(body);
    expect(again.code).toBe(0);
    expect((await mutating()).slice(before)).toEqual([]);
  });

  it("fleetPlatformFromImage: an ELASTIC fleet's platform is still compared and changed", async () => {
    const elastic = (platform: string) => `fleets:
  - name: e
    fleetType: ELASTIC
    instanceType: stream.standard.small
    platform: ${platform}
    maxConcurrentSessions: 2
    vpcConfig: { subnetIds: [subnet-0a, subnet-0b] }
    state: stopped
`;
    expect((await apply(elastic("WINDOWS_SERVER_2019"))).code).toBe(0);
    const r = await apply(elastic("AMAZON_LINUX2"));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('platform: "WINDOWS_SERVER_2019" → "AMAZON_LINUX2"');
    expect(changesOf(await plan(r.file))).toEqual({});
    const live = (await t.client.send(new DescribeFleetsCommand({ Names: ["e"] }))).Fleets![0]!;
    expect(live.Platform).toBe("AMAZON_LINUX2");
  });

  const stack = (agent: string) => `stacks:
  - name: s
    agentAccessConfig:
      settings: [{ agentAction: COMPUTER_VISION, permission: ENABLED }]
      screenResolution: W_1280xH_720
      screenImageFormat: PNG
${agent}`;
  const agentOf = async () => (await t.client.send(new DescribeStacksCommand({ Names: ["s"] }))).Stacks![0]!.AgentAccessConfig;

  it("agentAccessPartialUpdate: removing screenshotsUploadEnabled: true switches uploads off", async () => {
    // Seen as `agentAccessConfig.screenshotsUploadEnabled: true → (absent)` on every plan: UpdateStack's
    // AgentAccessConfigForUpdate is partial and keeps what it is not sent.
    expect((await apply(stack("      s3BucketArn: arn:aws:s3:::agent-screens\n      screenshotsUploadEnabled: true\n"))).code).toBe(0);
    const r = await apply(stack("      s3BucketArn: arn:aws:s3:::agent-screens\n"));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("agentAccessConfig.screenshotsUploadEnabled: true → false");
    expect(changesOf(await plan(r.file))).toEqual({});
    expect(await agentOf()).toEqual({
      Settings: [{ AgentAction: "COMPUTER_VISION", Permission: "ENABLED" }], S3BucketArn: "arn:aws:s3:::agent-screens",
      ScreenshotsUploadEnabled: false, ScreenResolution: "W_1280xH_720", ScreenImageFormat: "PNG",
    });
  });

  it("agentAccessPartialUpdate: removing s3BucketArn deletes the config and sets it again", async () => {
    expect((await apply(stack("      s3BucketArn: arn:aws:s3:::agent-screens\n"))).code).toBe(0);
    const before = (await calls(t.emu.url)).length;
    const r = await apply(stack(""));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("cannot be removed by an update");
    const updates = (await calls(t.emu.url)).slice(before).filter((c) => c.operation === "UpdateStack");
    expect(updates.length).toBe(2);
    expect(changesOf(await plan(r.file))).toEqual({});
    expect(await agentOf()).toEqual({
      Settings: [{ AgentAction: "COMPUTER_VISION", Permission: "ENABLED" }], ScreenshotsUploadEnabled: false,
      ScreenResolution: "W_1280xH_720", ScreenImageFormat: "PNG",
    });
  });
});
