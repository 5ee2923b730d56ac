/** The theme kind: a stack's `theme`, one per stack; members update live, the S3 locations are write-only. */
import { describe, expect, it } from "vitest";
import { compareFields } from "../../src/core/diff.js";
import { stack } from "../../src/kinds/stack.js";
import { AppError } from "../../src/core/errors.js";
import { normalizeTheme, theme, themeAssociation, themeRules } from "../../src/kinds/theme.js";
import type { ManifestDoc } from "../../src/model/resource.js";
import { change, desired, live, modeOf, REGION, shape, view } from "./helpers.js";

const LOGO = { s3Bucket: "brand", s3Key: "logo.png" };
const FAVICON = { s3Bucket: "brand", s3Key: "favicon.ico" };
const DECL = { titleText: "Corp Apps", styling: "BLUE", organizationLogoS3Location: LOGO, faviconS3Location: FAVICON };
const SPEC = { ...DECL, stack: "portal" };

describe("theme", () => {
  it("modes: every member changes live; the logo and favicon are write-only and masked (never read back)", () => {
    for (const f of ["titleText", "styling", "footerLinks", "state"]) expect(modeOf(theme, f)).toBe("live");
    for (const f of ["organizationLogoS3Location", "faviconS3Location"]) {
      expect(modeOf(theme, f)).toBe("write-only");
      expect(theme.fields[f]!.sensitive).toBe(true);
      expect(theme.fields[f]!.readBack).toBeUndefined();
    }
    expect([theme.taggable, theme.ownership, theme.ownerKind, theme.readPer]).toEqual([false, "owner", "Stack", "Stack"]);
  });

  it("compare: a new S3 location alone is no change (it cannot be read back); a new title is", () => {
    const l = { stack: "portal", titleText: "Corp Apps", styling: "BLUE", state: "ENABLED" };
    expect(compareFields(theme.fields, { ...SPEC, organizationLogoS3Location: { s3Bucket: "brand", s3Key: "new.png" } }, l).changes).toEqual([]);
    expect(compareFields(theme.fields, { ...SPEC, titleText: "New" }, l).changes.map((c) => c.field)).toEqual(["titleText"]);
    // state absent on the manifest side is the service's ENABLED.
    expect(compareFields(theme.fields, SPEC, { ...l, state: "DISABLED" }).changes.map((c) => c.field)).toEqual(["state"]);
  });

  it("rules: a known styling passes; an unknown one warns (the service may add colours), through the stack's rules", () => {
    expect(themeRules(DECL)).toEqual([]);
    expect(themeRules(undefined)).toEqual([]);
    const v = stack.rules({ name: "portal", theme: { ...DECL, styling: "GREEN" } }, view());
    expect(v).toEqual([{
      code: "rule.theme", severity: "warning", path: ["theme", "styling"],
      message: "styling GREEN is not one this version knows (LIGHT_BLUE, BLUE, PINK, RED); the service decides",
    }]);
  });

  it("derive: one Theme/STACK per stack that declares one, after its stack", () => {
    const m = { apiVersion: "appstreamctl/v1", metadata: { name: "t" }, stacks: [{ name: "plain" }, { name: "portal", theme: DECL }] } as unknown as ManifestDoc;
    expect(theme.derive(m)).toEqual([{
      kind: "Theme", name: "portal", address: "Theme/portal", spec: SPEC, pointer: "/stacks/1/theme", dependsOn: ["Stack/portal"],
    }]);
    expect(theme.parents(live("Theme", "portal", SPEC))).toEqual(["Stack/portal"]);
  });

  it("normalize: the URLs the service answers are not the S3 locations, so they are left out", () => {
    const l = normalizeTheme("portal", {
      StackName: "portal", State: "ENABLED", ThemeTitleText: "Corp Apps", ThemeStyling: "BLUE",
      ThemeFooterLinks: [{ DisplayName: "Help", FooterLinkURL: "https://help.example.com" }],
      ThemeOrganizationLogoURL: "https://x/logo", ThemeFaviconURL: "https://x/favicon",
    });
    expect(l).toEqual({
      kind: "Theme", name: "portal", address: "Theme/portal",
      spec: { stack: "portal", titleText: "Corp Apps", styling: "BLUE", state: "ENABLED", footerLinks: [{ displayName: "Help", footerLinkURL: "https://help.example.com" }] },
    });
  });

  it("create: CreateThemeForStack with both locations; a DISABLED theme is switched off after (Create takes no State)", () => {
    const params = {
      StackName: "portal", TitleText: "Corp Apps", ThemeStyling: "BLUE",
      OrganizationLogoS3Location: { S3Bucket: "brand", S3Key: "logo.png" }, FaviconS3Location: { S3Bucket: "brand", S3Key: "favicon.ico" },
    };
    expect(shape(theme.create(desired("Theme", "portal", SPEC), REGION))).toEqual([{ id: "create", op: "theme.create", params, after: [] }]);
    expect(shape(theme.create(desired("Theme", "portal", { ...SPEC, state: "DISABLED" }), REGION))).toEqual([
      { id: "create", op: "theme.create", params, after: [] },
      { id: "disable", op: "theme.update", params: { StackName: "portal", State: "DISABLED" }, after: ["create"] },
    ]);
  });

  it("update: only the changed members; removed footer links → AttributesToDelete FOOTER_LINKS; removed state → ENABLED", () => {
    const links = [{ displayName: "Help", footerLinkURL: "https://help.example.com" }];
    const l = live("Theme", "portal", { stack: "portal", titleText: "Corp Apps", styling: "BLUE", state: "DISABLED", footerLinks: links });
    const u = theme.update(desired("Theme", "portal", { ...SPEC, styling: "RED" }), l, [
      change(theme, "styling"), change(theme, "footerLinks", {}, true), change(theme, "state"),
    ], REGION);
    expect(shape(u.steps)).toEqual([{
      id: "update", op: "theme.update",
      params: { StackName: "portal", ThemeStyling: "RED", State: "ENABLED", AttributesToDelete: ["FOOTER_LINKS"] }, after: [],
    }]);
    expect(u.disruption).toBe("none");
  });

  it("update by --rotate: both S3 locations are sent again", () => {
    const u = theme.update(desired("Theme", "portal", SPEC), live("Theme", "portal", { stack: "portal" }), [
      change(theme, "organizationLogoS3Location"), change(theme, "faviconS3Location"),
    ], REGION);
    expect(shape(u.steps)).toEqual([{
      id: "update", op: "theme.update",
      params: { StackName: "portal", OrganizationLogoS3Location: { S3Bucket: "brand", S3Key: "logo.png" }, FaviconS3Location: { S3Bucket: "brand", S3Key: "favicon.ico" } },
      after: [],
    }]);
  });

  it("create without the S3 locations is refused (rule.theme): only an existing theme may leave them out", () => {
    let err: unknown;
    try {
      theme.create(desired("Theme", "portal", { stack: "portal", titleText: "T", styling: "RED" }), REGION);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("rule.theme");
  });

  it("association: drift compares what can be read (no S3 locations, state ENABLED by default); export leaves the default out", () => {
    const l = [live("Theme", "portal", { stack: "portal", titleText: "Corp Apps", styling: "BLUE", state: "ENABLED" })];
    expect(themeAssociation.declared({ name: "portal", theme: DECL })).toEqual({ titleText: "Corp Apps", styling: "BLUE", state: "ENABLED" });
    expect(themeAssociation.live("portal", l)).toEqual({ titleText: "Corp Apps", styling: "BLUE", state: "ENABLED" });
    expect(themeAssociation.live("other", l)).toBeUndefined();
    expect(themeAssociation.exported!("portal", l)).toEqual({ titleText: "Corp Apps", styling: "BLUE" });
    expect(stack.associations).toContain(themeAssociation);
  });

  it("remove: DeleteThemeForStack by stack name", () => {
    expect(shape(theme.remove(live("Theme", "portal", SPEC), REGION))).toEqual([
      { id: "delete", op: "theme.delete", params: { StackName: "portal" }, after: [] },
    ]);
  });
});
