import {
  CreateStackCommand,
  CreateThemeForStackCommand,
  DeleteStackCommand,
  DeleteThemeForStackCommand,
  DescribeThemeForStackCommand,
  UpdateThemeForStackCommand,
} from "@aws-sdk/client-appstream";
import { describe, expect, test } from "vitest";
import { errorOf, useEmulator } from "./helpers.js";

const LOGO = { S3Bucket: "brand-assets", S3Key: "logo.png" };
const FAVICON = { S3Bucket: "brand-assets", S3Key: "favicon.ico" };
const URL_RE = /^https:\/\/appstream2\.us-east-1\.aws\.amazon\.com\/themes\/123456789012\/s\/(logo|favicon)-[0-9a-f-]{36}$/;

function themeInput(extra: Record<string, unknown> = {}) {
  return {
    StackName: "s",
    TitleText: "Example Corp apps",
    ThemeStyling: "BLUE" as const,
    OrganizationLogoS3Location: LOGO,
    FaviconS3Location: FAVICON,
    FooterLinks: [{ DisplayName: "IT support", FooterLinkURL: "https://support.example.com" }],
    ...extra,
  };
}

describe("stack themes", () => {
  const emu = useEmulator({}, { setUp: async (t) => void (await t.client.send(new CreateStackCommand({ Name: "s" }))) });
  /** Sends any AppStream command; the theme outputs are read loosely. */
  const send = (cmd: object): Promise<any> => emu().client.send(cmd as never);

  test("THEME-01 Create returns the theme with URLs for the logo and favicon, never the S3 locations", async () => {
    const before = Date.now();
    const { Theme } = await send(new CreateThemeForStackCommand(themeInput()));
    expect(Theme).toMatchObject({
      StackName: "s",
      State: "ENABLED",
      ThemeTitleText: "Example Corp apps",
      ThemeStyling: "BLUE",
      ThemeFooterLinks: [{ DisplayName: "IT support", FooterLinkURL: "https://support.example.com" }],
    });
    expect(Theme.ThemeOrganizationLogoURL).toMatch(URL_RE);
    expect(Theme.ThemeOrganizationLogoURL).toContain("/logo-");
    expect(Theme.ThemeFaviconURL).toMatch(URL_RE);
    expect(Theme.ThemeFaviconURL).toContain("/favicon-");
    expect(Theme.CreatedTime.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const described = (await send(new DescribeThemeForStackCommand({ StackName: "s" }))).Theme;
    expect(described).toEqual(Theme);
    expect(JSON.stringify(described)).not.toContain("brand-assets");
    expect(Object.keys(described).sort()).toEqual(
      ["CreatedTime", "StackName", "State", "ThemeFaviconURL", "ThemeFooterLinks", "ThemeOrganizationLogoURL", "ThemeStyling", "ThemeTitleText"],
    );
  });

  test("THEME-02 an unknown stack → ResourceNotFoundException for every operation; a second Create → ResourceAlreadyExistsException", async () => {
    for (const cmd of [
      new CreateThemeForStackCommand(themeInput({ StackName: "ghost" })),
      new UpdateThemeForStackCommand({ StackName: "ghost", TitleText: "x" }),
      new DescribeThemeForStackCommand({ StackName: "ghost" }),
      new DeleteThemeForStackCommand({ StackName: "ghost" }),
    ]) {
      expect((await errorOf(() => send(cmd))).name).toBe("ResourceNotFoundException");
    }
    await send(new CreateThemeForStackCommand(themeInput()));
    expect((await errorOf(() => send(new CreateThemeForStackCommand(themeInput())))).name).toBe("ResourceAlreadyExistsException");
  });

  test("THEME-03 Describe of a stack without a theme answers no Theme", async () => {
    const out = await send(new DescribeThemeForStackCommand({ StackName: "s" }));
    expect(out.Theme).toBeUndefined();
  });

  test("THEME-04 Update changes only the members given, deletes footer links, and gives a new logo a new URL", async () => {
    const created = (await send(new CreateThemeForStackCommand(themeInput()))).Theme;
    const u1 = (await send(new UpdateThemeForStackCommand({ StackName: "s", ThemeStyling: "RED", State: "DISABLED" }))).Theme;
    expect(u1).toEqual({ ...created, ThemeStyling: "RED", State: "DISABLED" });
    const u2 = (await send(new UpdateThemeForStackCommand({ StackName: "s", OrganizationLogoS3Location: { S3Bucket: "brand-assets", S3Key: "logo2.png" } }))).Theme;
    expect(u2.ThemeOrganizationLogoURL).toMatch(URL_RE);
    expect(u2.ThemeOrganizationLogoURL).not.toBe(created.ThemeOrganizationLogoURL);
    expect(u2.ThemeFaviconURL).toBe(created.ThemeFaviconURL);
    const u3 = (await send(new UpdateThemeForStackCommand({ StackName: "s", AttributesToDelete: ["FOOTER_LINKS"], TitleText: "New title" }))).Theme;
    expect(u3.ThemeFooterLinks).toBeUndefined();
    expect(u3.ThemeTitleText).toBe("New title");
    expect((await send(new DescribeThemeForStackCommand({ StackName: "s" }))).Theme).toEqual(u3);
    const both = await errorOf(() =>
      send(new UpdateThemeForStackCommand({ StackName: "s", AttributesToDelete: ["FOOTER_LINKS"], FooterLinks: [{ DisplayName: "a", FooterLinkURL: "https://a" }] })),
    );
    expect(both.name).toBe("InvalidParameterCombinationException");
    await emu().client.send(new CreateStackCommand({ Name: "bare" }));
    expect((await errorOf(() => send(new UpdateThemeForStackCommand({ StackName: "bare", TitleText: "x" })))).name).toBe("ResourceNotFoundException");
  });

  test("THEME-05 Delete removes the theme and Create works again; Delete without a theme → ResourceNotFoundException", async () => {
    await send(new CreateThemeForStackCommand(themeInput()));
    expect(await send(new DeleteThemeForStackCommand({ StackName: "s" }))).toMatchObject({});
    expect((await send(new DescribeThemeForStackCommand({ StackName: "s" }))).Theme).toBeUndefined();
    expect((await errorOf(() => send(new DeleteThemeForStackCommand({ StackName: "s" })))).name).toBe("ResourceNotFoundException");
    expect((await send(new CreateThemeForStackCommand(themeInput({ ThemeStyling: "PINK" })))).Theme.ThemeStyling).toBe("PINK");
  });

  test("THEME-06 deleting a stack deletes its theme: a new stack of that name has none", async () => {
    await send(new CreateThemeForStackCommand(themeInput()));
    await send(new DeleteStackCommand({ Name: "s" }));
    await send(new CreateStackCommand({ Name: "s" }));
    expect((await send(new DescribeThemeForStackCommand({ StackName: "s" }))).Theme).toBeUndefined();
    expect((await send(new CreateThemeForStackCommand(themeInput()))).Theme.StackName).toBe("s");
    expect(Object.keys(emu().emu.store.table("us-east-1", "themes"))).toEqual(["s"]);
  });
});
