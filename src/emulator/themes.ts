/**
 * Stack themes (custom branding of the catalog page): Create, Update, Describe and DeleteThemeForStack.
 * One theme per stack, stored in `themes` under the stack name. The logo and favicon are given as S3
 * locations, which the service copies; Describe answers the URLs it serves them from, never the S3
 * locations (THEME-01), so a client cannot read back what it sent. Rules THEME-xx in SPEC.md.
 */
import { randomUUID } from "node:crypto";
import type {
  CreateThemeForStackRequest,
  DeleteThemeForStackRequest,
  DescribeThemeForStackRequest,
  UpdateThemeForStackRequest,
} from "@aws-sdk/client-appstream";
import { op, type OpContext, type OpHandler } from "./context.js";
import { alreadyExists, badCombination, notFound } from "./errors.js";
import { epoch } from "./out.js";
import { stacksOf } from "./stacks.js";
import type { BaseRecord } from "./store.js";

interface S3Location {
  S3Bucket: string;
  S3Key?: string;
}

/** An uploaded asset: where it came from (kept, never answered) and the URL the service serves it at. */
interface Asset {
  source: S3Location;
  url: string;
}

interface ThemeRecord extends BaseRecord {
  StackName: string;
  /** The creation time of the stack the theme belongs to: a theme outlives no stack (THEME-06). */
  stackCreatedAt: number;
  State: "ENABLED" | "DISABLED";
  TitleText: string;
  ThemeStyling: string;
  FooterLinks?: { DisplayName?: string; FooterLinkURL?: string }[];
  logo: Asset;
  favicon: Asset;
}

function themesOf(ctx: OpContext) {
  return ctx.store.table<ThemeRecord>(ctx.region, "themes");
}

/** The stack named in the request; RNFE when absent. Drops a theme left by a deleted stack of that name. */
function requireStack(ctx: OpContext, name: string) {
  const stack = stacksOf(ctx)[name];
  const themes = themesOf(ctx);
  const theme = themes[name];
  if (theme && (!stack || theme.stackCreatedAt !== stack.createdAt)) delete themes[name];
  if (!stack) throw notFound(`The stack ${name} does not exist.`);
  return stack;
}

function requireTheme(ctx: OpContext, name: string): ThemeRecord {
  requireStack(ctx, name);
  const theme = themesOf(ctx)[name];
  if (!theme) throw notFound(`The stack ${name} has no theme.`);
  return theme;
}

/** A new serving URL per upload, so a changed logo is a changed URL (guess: AWS's URL scheme is undocumented). */
function upload(ctx: OpContext, stack: string, kind: "logo" | "favicon", source: S3Location): Asset {
  const file = `${kind}-${randomUUID()}`;
  return {
    source: { S3Bucket: source.S3Bucket, S3Key: source.S3Key },
    url: `https://appstream2.${ctx.region}.aws.amazon.com/themes/${ctx.account}/${encodeURIComponent(stack)}/${file}`,
  };
}

/** The API `Theme` shape (THEME-01). */
function view(rec: ThemeRecord): Record<string, unknown> {
  return {
    StackName: rec.StackName,
    State: rec.State,
    ThemeTitleText: rec.TitleText,
    ThemeStyling: rec.ThemeStyling,
    ThemeFooterLinks: rec.FooterLinks,
    ThemeOrganizationLogoURL: rec.logo.url,
    ThemeFaviconURL: rec.favicon.url,
    CreatedTime: epoch(rec.createdAt),
  };
}

const createTheme = op<CreateThemeForStackRequest>((ctx, input) => {
  const name = String(input.StackName);
  const stack = requireStack(ctx, name);
  if (themesOf(ctx)[name]) throw alreadyExists(`The stack ${name} already has a theme.`);
  const rec: ThemeRecord = {
    StackName: name,
    stackCreatedAt: stack.createdAt,
    // Guess: a new theme is applied at once (State is settable only on update).
    State: "ENABLED",
    TitleText: String(input.TitleText),
    ThemeStyling: String(input.ThemeStyling),
    FooterLinks: input.FooterLinks,
    logo: upload(ctx, name, "logo", input.OrganizationLogoS3Location as S3Location),
    favicon: upload(ctx, name, "favicon", input.FaviconS3Location as S3Location),
    createdAt: ctx.now,
  };
  themesOf(ctx)[name] = rec;
  return { Theme: view(rec) };
});

const updateTheme = op<UpdateThemeForStackRequest>((ctx, input) => {
  const name = String(input.StackName);
  const rec = requireTheme(ctx, name);
  const deleteLinks = (input.AttributesToDelete ?? []).includes("FOOTER_LINKS");
  if (deleteLinks && input.FooterLinks !== undefined) {
    throw badCombination("FooterLinks cannot be set and listed in AttributesToDelete in the same request.");
  }
  if (input.TitleText !== undefined) rec.TitleText = input.TitleText;
  if (input.ThemeStyling !== undefined) rec.ThemeStyling = input.ThemeStyling;
  if (input.State !== undefined) rec.State = input.State;
  if (input.FooterLinks !== undefined) rec.FooterLinks = input.FooterLinks;
  if (deleteLinks) delete rec.FooterLinks;
  if (input.OrganizationLogoS3Location) rec.logo = upload(ctx, name, "logo", input.OrganizationLogoS3Location as S3Location);
  if (input.FaviconS3Location) rec.favicon = upload(ctx, name, "favicon", input.FaviconS3Location as S3Location);
  return { Theme: view(rec) };
});

const describeTheme = op<DescribeThemeForStackRequest>((ctx, input) => {
  const name = String(input.StackName);
  requireStack(ctx, name);
  const rec = themesOf(ctx)[name];
  // Guess (THEME-03): a stack without a theme answers no Theme rather than an error.
  return { Theme: rec ? view(rec) : undefined };
});

const deleteTheme = op<DeleteThemeForStackRequest>((ctx, input) => {
  const name = String(input.StackName);
  requireTheme(ctx, name);
  delete themesOf(ctx)[name];
  return {};
});

/** Theme operations for the registry in ops.ts. */
export const themeOps: Record<string, OpHandler> = {
  CreateThemeForStack: createTheme,
  UpdateThemeForStack: updateTheme,
  DescribeThemeForStack: describeTheme,
  DeleteThemeForStack: deleteTheme,
};
