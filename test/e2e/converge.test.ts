/**
 * One apply, then no changes — for each class of non-convergence found: values written in two forms,
 * write-only fields that are partly read back, special values spelled otherwise than the API does,
 * removed fields whose service default must come back, and fields the service never returns. Each case
 * applies, checks the emulator's stored record directly (not the planner's read), and re-plans to nothing.
 */
import { DescribeDirectoryConfigsCommand } from "@aws-sdk/client-appstream";
import { beforeAll, describe, expect, it } from "vitest";
import { useEmulator } from "../emulator/helpers.js";
import { apply, changesOf, planOf, table } from "./apply-helpers.js";
import { cli, fakeAwsCredentials, writeManifest } from "./helpers.js";
import { applyLog } from "./issue6-helpers.js";

beforeAll(fakeAwsCredentials);

const BASE = "AppStream-WinServer2022-11-12-2025";
const doc = (body: string) => writeManifest(`apiVersion: appstreamctl/v1\nmetadata: { name: converge }\n${body}`);

describe("values in two forms compare as the service holds them", () => {
  const emulator = useEmulator({}, { scope: "all" });
  const stack = (settings: string) => doc(`stacks:\n  - name: s\n    userSettings:\n${settings}`);

  it("a user setting in object form converges, and the shorthand for the same setting plans nothing", async () => {
    expect(await applyLog(emulator().emu.url, stack("      CLIPBOARD_COPY_TO_LOCAL_DEVICE: { permission: DISABLED }\n"))).toEqual(["CreateStack s"]);
    expect(changesOf(await planOf(emulator().emu.url, stack("      CLIPBOARD_COPY_TO_LOCAL_DEVICE: DISABLED\n")))).toEqual({});
  });

  it("the object form with a maximum length is sent as such and then plans nothing; the shorthand plans nothing either", async () => {
    const file = stack("      CLIPBOARD_COPY_TO_LOCAL_DEVICE: { permission: ENABLED, maximumLength: 4096 }\n");
    expect(await applyLog(emulator().emu.url, file)).toEqual(["UpdateStack s"]);
    const stored = (await table(emulator().emu.url, "us-east-1", "stacks")).s!.attrs.UserSettings as Record<string, unknown>;
    expect(stored.CLIPBOARD_COPY_TO_LOCAL_DEVICE).toEqual({ Permission: "ENABLED", MaximumLength: 4096 });
    // A length the manifest does not set is not compared: ENABLED is ENABLED with any length.
    expect(changesOf(await planOf(emulator().emu.url, stack("      CLIPBOARD_COPY_TO_LOCAL_DEVICE: ENABLED\n")))).toEqual({});
  });
});

describe("a write-only field is compared by what is read back of it", () => {
  const emulator = useEmulator({}, { scope: "all" });
  const dir = (creds: string) => doc(`directoryConfigs:
  - directoryName: corp.example.com
    organizationalUnitDistinguishedNames: ["OU=AppStream,DC=corp,DC=example,DC=com"]
${creds}`);

  it("credentials added to a config created without them plan an update that sends them, then nothing", async () => {
    expect(await applyLog(emulator().emu.url, dir(""))).toEqual(["CreateDirectoryConfig corp.example.com"]);
    const file = dir("    serviceAccountCredentials: { accountName: svc-join, accountPassword: \"${env:APPSTREAM_AD_PASSWORD}\" }\n");
    const plan = await planOf(emulator().emu.url, file);
    expect(changesOf(plan)).toEqual({ "DirectoryConfig/corp.example.com": "update" });
    expect(plan.resourceChanges[0]!.diff).toEqual([
      { path: "serviceAccountCredentials.accountName", after: "svc-join", sensitive: false, why: "live" },
      { path: "serviceAccountCredentials.accountPassword", after: "(sensitive)", sensitive: true, why: "write-only" },
    ]);
    expect(await applyLog(emulator().emu.url, file)).toEqual(["UpdateDirectoryConfig corp.example.com"]);
    const out = await emulator().client.send(new DescribeDirectoryConfigsCommand({ DirectoryNames: ["corp.example.com"] }));
    expect(out.DirectoryConfigs?.[0]?.ServiceAccountCredentials?.AccountName).toBe("svc-join");
  });
});

describe("special values are checked as the API spells them", () => {
  const emulator = useEmulator({}, { scope: "all" });

  it("appstreamAgentVersion LATEST is refused with a hint to write [LATEST]", async () => {
    const file = doc(`imageBuilders:\n  - { name: ib, imageName: ${BASE}, instanceType: stream.standard.medium, appstreamAgentVersion: LATEST }\n`);
    const v = await cli(emulator().emu.url, ["-f", file, "validate"]);
    expect(v.code).toBe(1);
    expect(v.stdout + v.stderr).toContain("rule.image-builder");
    expect(v.stdout + v.stderr).toContain("the API's value for the latest agent is [LATEST]");
    expect(v.stdout + v.stderr).toContain('write "[LATEST]"');
  });

  it("[LATEST] converges", async () => {
    const file = doc(`imageBuilders:\n  - { name: ib, imageName: ${BASE}, instanceType: stream.standard.medium, appstreamAgentVersion: "[LATEST]" }\n`);
    expect(await applyLog(emulator().emu.url, file)).toEqual(["CreateImageBuilder ib"]);
  });

  it("platform on an ON_DEMAND fleet is refused: the fleet runs its image's platform whatever is sent", async () => {
    const file = doc(`fleets:\n  - { name: f, imageName: ${BASE}, instanceType: stream.standard.medium, computeCapacity: { desiredInstances: 1 }, platform: WINDOWS_SERVER_2019 }\n`);
    const v = await cli(emulator().emu.url, ["-f", file, "validate"]);
    expect(v.code).toBe(1);
    expect(v.stdout + v.stderr).toContain("platform is only for ELASTIC fleets");
  });
});

describe("removing a field restores the service default", () => {
  const emulator = useEmulator({}, { scope: "all" });
  const fleet = (extra: string) => doc(`fleets:
  - name: f
    imageName: ${BASE}
    instanceType: stream.standard.medium
    computeCapacity: { desiredInstances: 1 }
    state: stopped
${extra}`);
  const stack = (extra: string) => doc(`stacks:\n  - name: s\n${extra}`);

  it("disableIMDSV1: true removed → the plan sends false, and the fleet has IMDSv1 again", async () => {
    await applyLog(emulator().emu.url, fleet("    disableIMDSV1: true\n"));
    const plan = await planOf(emulator().emu.url, fleet(""));
    expect(plan.resourceChanges.find((c) => c.address === "Fleet/f")!.diff).toEqual([
      { path: "disableIMDSV1", before: true, after: false, sensitive: false, why: "requires-stop" },
    ]);
    expect(await applyLog(emulator().emu.url, fleet(""))).toEqual(["UpdateFleet f"]);
    expect((await table(emulator().emu.url, "us-east-1", "fleets")).f!.attrs.DisableIMDSV1).toBe(false);
  });

  it("agentAccessConfig.screenshotsUploadEnabled removed → sent as false, and it sticks", async () => {
    const agent = (extra: string) => stack(`    agentAccessConfig:
      settings: [{ agentAction: COMPUTER_VISION, permission: ENABLED }]
      screenResolution: W_1280xH_720
      screenImageFormat: PNG
      s3BucketArn: arn:aws:s3:::agent-screenshots
${extra}`);
    await applyLog(emulator().emu.url, agent("      screenshotsUploadEnabled: true\n"));
    expect(changesOf(await planOf(emulator().emu.url, agent("")))).toEqual({ "Stack/s": "update" });
    expect(await applyLog(emulator().emu.url, agent(""))).toEqual(["UpdateStack s"]);
    const stored = (await table(emulator().emu.url, "us-east-1", "stacks")).s!.attrs.AgentAccessConfig as { ScreenshotsUploadEnabled?: boolean };
    expect(stored.ScreenshotsUploadEnabled).toBe(false);
  });
});

describe("fields the service never returns are remembered, so their edits are seen", () => {
  const emulator = useEmulator({}, { scope: "all" });
  const builder = (software: string) => doc(`imageBuilders:
  - name: ib
    imageName: ${BASE}
    instanceType: stream.standard.medium
${software}`);

  it("a builder's softwaresToInstall edit plans a replace naming the field; unchanged, it plans nothing", async () => {
    await applyLog(emulator().emu.url, builder("    softwaresToInstall: [Microsoft_Office_2021_LTSC_Standard_64Bit]\n"));
    const plan = await planOf(emulator().emu.url, builder("    softwaresToInstall: [Microsoft_Visio_2021_LTSC_Standard_64Bit]\n"));
    expect(changesOf(plan)).toEqual({ "ImageBuilder/ib": "delete,create" });
    const c = plan.resourceChanges.find((x) => x.address === "ImageBuilder/ib")!;
    expect(c.reason).toMatch(/^softwaresToInstall cannot be changed in place/);
    expect(c.diff).toMatchObject([{ path: "softwaresToInstall", after: ["Microsoft_Visio_2021_LTSC_Standard_64Bit"], why: "replace" }]);
    const r = await apply(emulator().emu.url, builder("    softwaresToInstall: [Microsoft_Visio_2021_LTSC_Standard_64Bit]\n"));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(changesOf(await planOf(emulator().emu.url, builder("    softwaresToInstall: [Microsoft_Visio_2021_LTSC_Standard_64Bit]\n")))).toEqual({});
  });
});

describe("plan never says converged while live differs", () => {
  const emulator = useEmulator({}, { scope: "all" });
  const imported = (text: string) => doc(`images:
  - name: imported
${text}    source: { importFromAmi: { sourceAmiId: ami-0123456789abcdef0, iamRoleArn: "arn:aws:iam::123456789012:role/import" } }
`);

  it("an imported image's description and displayName are compared: an edit re-produces the image", async () => {
    await applyLog(emulator().emu.url, imported("    description: first build\n    displayName: First\n"));
    const plan = await planOf(emulator().emu.url, imported("    description: second build\n    displayName: First\n"));
    expect(changesOf(plan)).toEqual({ "Image/imported": "delete,create" });
    expect(plan.resourceChanges.find((c) => c.address === "Image/imported")!.diff).toEqual([
      { path: "description", before: "first build", after: "second build", sensitive: false, why: "replace" },
    ]);
  });

  it("an image's source edit is seen through its remembered digest", async () => {
    const other = doc(`images:
  - name: imported
    description: first build
    displayName: First
    source: { importFromAmi: { sourceAmiId: ami-0fedcba9876543210, iamRoleArn: "arn:aws:iam::123456789012:role/import" } }
`);
    const plan = await planOf(emulator().emu.url, other);
    expect(changesOf(plan)).toEqual({ "Image/imported": "delete,create" });
    expect(plan.resourceChanges.find((c) => c.address === "Image/imported")!.reason).toMatch(/^source cannot be changed in place/);
  });

  it("an adopted image whose description differs from the manifest is an error, not 'No changes'", async () => {
    const adopted = doc(`images:\n  - name: imported\n    description: something else\n`);
    const r = await cli(emulator().emu.url, ["-f", adopted, "plan"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Image/imported declares no source to produce it from");
  });
});
