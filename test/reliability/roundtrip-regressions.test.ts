/**
 * Named regressions of the failure classes the round-trip suite (roundtrip.test.ts) found outside the
 * classes other work settles: each is the minimal manifest of its class, applied against the emulator,
 * then planned again (must be a no-op) and read back with raw SDK calls.
 */
import { DescribeDirectoryConfigsCommand, DescribeFleetsCommand, DescribeStacksCommand } from "@aws-sdk/client-appstream";
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
  it("fleetPlatformFromImage: a non-ELASTIC fleet declaring a platform is refused at validate, before any call", async () => {
    // Once seen as `platform: "WINDOWS_SERVER_2022" → "WINDOWS_SERVER_2019"  # requires stopped fleet` on every
    // plan: such a fleet runs its image's platform whatever the request says, so declaring one is an error.
    const file = writeManifest(`${HEAD}fleets:
  - name: f
    instanceType: stream.standard.small
    imageName: AppStream-WinServer2022-11-12-2025
    platform: WINDOWS_SERVER_2019
    computeCapacity: { desiredInstances: 1 }
`);
    const v = await cli(t.emu.url, ["-f", file, "validate"]);
    expect(v.code).toBe(1);
    expect(v.stderr).toContain(`${file}:7:15: error [rule.elastic] Fleet \`f\`: platform is only for ELASTIC fleets: other fleets take it from their image`);
    const a = await cli(t.emu.url, ["-f", file, "apply", "--auto-approve"]);
    expect(a.code).toBe(1);
    expect(await mutating()).toEqual([]);
  });

  it("fleetPlatformFromImage: an ELASTIC fleet's platform is still compared and changed", async () => {
    const elastic = (platform: string) => `fleets:
  - name: e
    fleetType: ELASTIC
    instanceType: stream.standard.small
    platform: ${platform}
    maxConcurrentSessions: 2
    vpcConfig: { subnetIds: [subnet-0a0a0a0a, subnet-0b0b0b0b] }
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
    // Seen as `agentAccessConfig.s3BucketArn: "arn:aws:s3:::agent-screens" → (absent)` on every plan:
    // UpdateStack's AgentAccessConfigForUpdate is partial and keeps the bucket it is not sent.
    expect((await apply(stack("      s3BucketArn: arn:aws:s3:::agent-screens\n"))).code).toBe(0);
    const before = (await calls(t.emu.url)).length;
    const r = await apply(stack(""));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('agentAccessConfig.s3BucketArn: "arn:aws:s3:::agent-screens" → (absent)');
    expect(r.stdout + r.stderr).toContain("agentAccessConfig.s3BucketArn cannot be removed by an update: the config is deleted and set again");
    const updates = (await calls(t.emu.url)).slice(before).filter((c) => c.operation === "UpdateStack");
    expect(updates.map((c) => c.outcome)).toEqual(["ok", "ok"]);
    expect(changesOf(await plan(r.file))).toEqual({});
    expect(await agentOf()).toEqual({
      Settings: [{ AgentAction: "COMPUTER_VISION", Permission: "ENABLED" }], ScreenshotsUploadEnabled: false,
      ScreenResolution: "W_1280xH_720", ScreenImageFormat: "PNG",
    });
  });

  it("certAuthRemoval: removing certificate-based auth switches it off", async () => {
    // Seen as `certificateBasedAuthProperties.status: "ENABLED" → "DISABLED"` on every plan: the update left
    // the removed member out, and UpdateDirectoryConfig keeps what it is not sent.
    const dir = (cba: string) => `directoryConfigs:
  - directoryName: corp.example.com
    organizationalUnitDistinguishedNames: ["OU=AppStream,DC=corp,DC=example,DC=com"]
${cba}`;
    const on = "    certificateBasedAuthProperties: { status: ENABLED, certificateAuthorityArn: \"arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/0a1b\" }\n";
    expect((await apply(dir(on))).code).toBe(0);
    const before = (await calls(t.emu.url)).length;
    const r = await apply(dir(""));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('certificateBasedAuthProperties.status: "ENABLED" → "DISABLED"');
    const updates = (await calls(t.emu.url)).slice(before).filter((c) => c.operation === "UpdateDirectoryConfig");
    expect(updates.map((c) => [c.resource, c.outcome])).toEqual([["corp.example.com", "ok"]]);
    expect(changesOf(await plan(r.file))).toEqual({});
    const live = (await t.client.send(new DescribeDirectoryConfigsCommand({ DirectoryNames: ["corp.example.com"] }))).DirectoryConfigs![0]!;
    expect(live.CertificateBasedAuthProperties?.Status).toBe("DISABLED");
  });

  it("imageReplaceInUse: replacing an image a fleet streams from is refused at plan, before any call", async () => {
    // Seen as an apply that deleted nothing and failed half way: the replace's DeleteImage answers
    // ResourceInUse while a fleet streams from the image.
    const estate = (description: string) => `images:
  - name: golden
    description: ${description}
    source: { importFromAmi: { sourceAmiId: ami-0a1b2c3d4e5f67890, iamRoleArn: "arn:aws:iam::123456789012:role/Import" } }
fleets:
  - name: f
    instanceType: stream.standard.medium
    imageName: golden
    computeCapacity: { desiredInstances: 1 }
`;
    expect((await apply(estate("first"))).code).toBe(0);
    const before = (await mutating()).length;
    const r = await apply(estate("second"));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("[plan.image-in-use] Image/golden is to be replaced (deleted, then created under the same name), but Fleet/f streams from it");
    expect((await mutating()).slice(before)).toEqual([]);
  });
});
