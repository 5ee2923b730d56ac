/**
 * Stack themes end to end, through the CLI against the emulator: a stack's `theme` is created with the
 * stack, every member updates in place (footer links cleared with AttributesToDelete), the write-only
 * logo and favicon are sent again only with `--rotate Theme/STACK`, an out-of-band change is planned
 * back; a stack that leaves `theme` out does not manage it (not read, left alone, unmanaged in drift),
 * `theme: none` and --prune delete it, and a stack removed with --prune loses its theme first.
 */
import { DescribeThemeForStackCommand, UpdateThemeForStackCommand } from "@aws-sdk/client-appstream";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { calls, clientOf, control, useEmulator } from "../emulator/helpers.js";
import { apply, changesOf, mutations, planOf } from "./apply-helpers.js";
import { cli, fakeAwsCredentials, writeManifest } from "./helpers.js";
import { applyLog } from "./issue6-helpers.js";

beforeAll(fakeAwsCredentials);

const LOGO = "{ s3Bucket: brand-assets, s3Key: logo.png }";
const FAVICON = "{ s3Bucket: brand-assets, s3Key: favicon.ico }";

const manifest = (theme: string, stacks = "") => writeManifest(`apiVersion: appstreamctl/v1
metadata: { name: themes }
stacks:
  - name: portal
${theme}${stacks}`);

const themed = (extra = "", title = "Corp Apps", logo = LOGO) => manifest(`    theme:
      titleText: ${title}
      styling: BLUE
      organizationLogoS3Location: ${logo}
      faviconS3Location: ${FAVICON}
${extra}`);

const LINKS = `      footerLinks:
        - { displayName: Help, footerLinkURL: "https://help.example.com" }
`;

describe("stack themes", () => {
  const emulator = useEmulator({}, { scope: "all" });
  const url = () => emulator().emu.url;
  const describeTheme = async () => (await clientOf(url()).send(new DescribeThemeForStackCommand({ StackName: "portal" }))).Theme;

  it("created after its stack, then the plan has no changes", async () => {
    const file = themed(LINKS);
    const plan = await planOf(url(), file);
    expect(changesOf(plan)).toEqual({ "Stack/portal": "create", "Theme/portal": "create" });
    const c = plan.resourceChanges.find((r) => r.address === "Theme/portal")!;
    // The S3 locations are write-only: shown masked, as they can never be compared.
    expect(c.diff.filter((d) => d.path.endsWith("S3Location"))).toMatchObject([
      { path: "organizationLogoS3Location", sensitive: true },
      { path: "faviconS3Location", sensitive: true },
    ]);
    expect(await applyLog(url(), file)).toEqual(["CreateStack portal", "CreateThemeForStack portal"]);
    expect(await describeTheme()).toMatchObject({
      ThemeTitleText: "Corp Apps", ThemeStyling: "BLUE", State: "ENABLED",
      ThemeFooterLinks: [{ DisplayName: "Help", FooterLinkURL: "https://help.example.com" }],
    });
  });

  it("a live member (the title) is one UpdateThemeForStack", async () => {
    const file = themed(LINKS, "Corp Desktop");
    const plan = await planOf(url(), file);
    expect(changesOf(plan)).toEqual({ "Theme/portal": "update" });
    expect(plan.resourceChanges.find((r) => r.address === "Theme/portal")!.diff).toMatchObject([
      { path: "titleText", before: "Corp Apps", after: "Corp Desktop" },
    ]);
    expect(await applyLog(url(), file)).toEqual(["UpdateThemeForStack portal"]);
    expect((await describeTheme())?.ThemeTitleText).toBe("Corp Desktop");
  });

  it("footer links removed from the manifest are cleared (AttributesToDelete FOOTER_LINKS)", async () => {
    const file = themed("", "Corp Desktop");
    const step = (await planOf(url(), file)).steps.find((s) => s.address === "Theme/portal");
    expect(step).toMatchObject({ op: "theme.update", params: { StackName: "portal", AttributesToDelete: ["FOOTER_LINKS"] } });
    expect(await applyLog(url(), file)).toEqual(["UpdateThemeForStack portal"]);
    expect((await describeTheme())?.ThemeFooterLinks).toBeUndefined();
  });

  it("a new logo location alone plans nothing (write-only); --rotate Theme/portal sends both locations again", async () => {
    const file = themed("", "Corp Desktop", "{ s3Bucket: brand-assets, s3Key: logo-2026.png }");
    expect(changesOf(await planOf(url(), file))).toEqual({});
    const before = await describeTheme();
    const plan = await planOf(url(), file, ["--rotate", "Theme/portal"]);
    expect(plan.steps.find((s) => s.address === "Theme/portal")).toMatchObject({
      op: "theme.update",
      params: {
        StackName: "portal",
        OrganizationLogoS3Location: { S3Bucket: "brand-assets", S3Key: "logo-2026.png" },
        FaviconS3Location: { S3Bucket: "brand-assets", S3Key: "favicon.ico" },
      },
    });
    await control(url(), "DELETE", "calls");
    const r = await apply(url(), file, ["--rotate", "Theme/portal"]);
    expect(r.code, r.stderr).toBe(0);
    expect(await mutations(url())).toEqual(["UpdateThemeForStack portal"]);
    const after = await describeTheme();
    expect(after?.ThemeOrganizationLogoURL).not.toBe(before?.ThemeOrganizationLogoURL);
    expect(after?.ThemeTitleText).toBe("Corp Desktop");
  });

  it("state: DISABLED switches the branding off in place", async () => {
    const file = themed("      state: DISABLED\n", "Corp Desktop");
    expect(await applyLog(url(), file)).toEqual(["UpdateThemeForStack portal"]);
    expect((await describeTheme())?.State).toBe("DISABLED");
  });

  it("an out-of-band change: drift reports it on the stack's theme, plan sets it back", async () => {
    await clientOf(url()).send(new UpdateThemeForStackCommand({ StackName: "portal", ThemeStyling: "PINK" }));
    const file = themed("      state: DISABLED\n", "Corp Desktop");
    const r = await cli(url(), ["-f", file, "-o", "json", "drift"]);
    expect(r.code, r.stderr).toBe(2);
    const report = JSON.parse(r.stdout) as { changed: { address: string; diff: { path: string; before?: unknown; after?: unknown }[] }[] };
    expect(report.changed.map((c) => [c.address, c.diff.map((d) => [d.path, d.before, d.after])])).toEqual([
      ["Stack/portal", [["theme", { titleText: "Corp Desktop", styling: "BLUE", state: "DISABLED" }, { titleText: "Corp Desktop", styling: "PINK", state: "DISABLED" }]]],
    ]);
    const plan = await planOf(url(), file);
    expect(plan.resourceChanges.find((r) => r.address === "Theme/portal")!.diff).toMatchObject([{ path: "styling", before: "PINK", after: "BLUE" }]);
    expect(await applyLog(url(), file)).toEqual(["UpdateThemeForStack portal"]);
    expect((await describeTheme())?.ThemeStyling).toBe("BLUE");
  });

  it("export writes the theme back on its stack (without the S3 locations, which cannot be read), and plans no changes", async () => {
    const r = await cli(url(), ["export"]);
    expect(r.code, r.stderr).toBe(0);
    const doc = parse(r.stdout) as { stacks: { name: string; theme?: unknown }[] };
    expect(doc.stacks.find((s) => s.name === "portal")?.theme).toEqual({ titleText: "Corp Desktop", styling: "BLUE", state: "DISABLED" });
    const exported = writeManifest(r.stdout);
    await control(url(), "DELETE", "calls");
    expect(changesOf(await planOf(url(), exported))).toEqual({});
    expect(await mutations(url())).toEqual([]);
  });

  it("a stack that leaves `theme` out does not manage it: no call reads it, the theme stays, drift lists it as unmanaged", async () => {
    const file = manifest("");
    await control(url(), "DELETE", "calls");
    expect(changesOf(await planOf(url(), file))).toEqual({});
    expect((await calls(url())).map((c) => c.operation)).not.toContain("DescribeThemeForStack");
    expect(await applyLog(url(), file)).toEqual([]);
    expect((await describeTheme())?.ThemeTitleText).toBe("Corp Desktop");
    const r = await cli(url(), ["-f", file, "-o", "json", "drift"]);
    expect(r.code, r.stderr).toBe(2);
    const report = JSON.parse(r.stdout) as { changed: unknown[]; unmanaged: { address: string; note: string }[] };
    expect(report.changed).toEqual([]);
    expect(report.unmanaged.map((u) => u.address)).toEqual(["Theme/portal"]);
    expect(report.unmanaged[0]!.note).toContain("does not declare `theme`");
  });

  it("`theme: none` deletes it (the stack owns it)", async () => {
    expect(await applyLog(url(), manifest("    theme: none\n"))).toEqual(["DeleteThemeForStack portal"]);
    expect(await describeTheme()).toBeUndefined();
  });

  it("--prune deletes a theme its declared stack leaves out", async () => {
    expect(await applyLog(url(), themed())).toEqual(["CreateThemeForStack portal"]);
    expect(changesOf(await planOf(url(), manifest(""), ["--prune"]))).toEqual({ "Theme/portal": "delete" });
    await control(url(), "DELETE", "calls");
    const r = await apply(url(), manifest(""), ["--prune"]);
    expect(r.code, r.stderr).toBe(0);
    expect(await mutations(url())).toEqual(["DeleteThemeForStack portal"]);
  });

  it("a themed stack removed with --prune: the theme goes first, then the stack", async () => {
    expect(await applyLog(url(), themed())).toEqual(["CreateThemeForStack portal"]);
    const file = writeManifest("apiVersion: appstreamctl/v1\nmetadata: { name: themes }\n");
    expect(changesOf(await planOf(url(), file, ["--prune"]))).toEqual({ "Stack/portal": "delete", "Theme/portal": "delete" });
    await control(url(), "DELETE", "calls");
    const r = await apply(url(), file, ["--prune"]);
    expect(r.code, r.stderr).toBe(0);
    expect(await mutations(url())).toEqual(["DeleteThemeForStack portal", "DeleteStack portal"]);
  });

  it("a new theme without its S3 locations is refused at plan time (CreateThemeForStack needs both)", async () => {
    const file = manifest(`    theme: { titleText: Corp Apps, styling: RED }
`);
    const r = await cli(url(), ["-f", file, "plan"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Theme/portal: a new theme needs organizationLogoS3Location and faviconS3Location");
  });

  it("a theme created disabled is switched off right after its create", async () => {
    const file = manifest(`    theme:
      titleText: Corp Apps
      styling: RED
      organizationLogoS3Location: ${LOGO}
      faviconS3Location: ${FAVICON}
      state: DISABLED
`);
    expect(await applyLog(url(), file)).toEqual(["CreateStack portal", "CreateThemeForStack portal", "UpdateThemeForStack portal"]);
    expect((await describeTheme())?.State).toBe("DISABLED");
    const text = await cli(url(), ["-f", file, "plan"]);
    expect(text.stdout).toContain("No changes");
  });
});
