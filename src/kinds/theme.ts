/**
 * Theme (reference §4, model CreateThemeForStack…): a stack's `theme`, the branding of its catalog page,
 * one per stack and keyed `Theme/STACK`. Every member updates in place; FooterLinks are cleared with
 * AttributesToDelete FOOTER_LINKS.
 *
 * The logo and favicon are given as S3 locations, which the service copies; Describe answers only the
 * URLs it serves the copies from, so what was sent can never be read back. A theme has no ARN and no
 * tags, so there is nowhere of its own to remember a digest of the locations (the stack's tags are the
 * stack's: its tag comparison would remove a foreign one). The locations are therefore write-only, like
 * the directory password: sent at create, never compared, and sent again with `--rotate Theme/STACK`
 * (the plan shows them masked, as it cannot show what was sent before). Left out, an existing theme's
 * logo and favicon stay as they are (an export cannot know them); a new theme needs both.
 */
import type {
  CreateThemeForStackCommandInput, DeleteThemeForStackCommandInput, Theme, UpdateThemeForStackCommandInput,
} from "@aws-sdk/client-appstream";
import type { AppStreamApi } from "../aws/api.js";
import { kindOf } from "../aws/errors.js";
import { AppError } from "../core/errors.js";
import type { DesiredResource, FieldTable, LiveResource, RuleViolation } from "./contract.js";
import { defineDerivedKind, type AssociationFacts, type OpFn } from "./kind.js";
import { createOrRaced, deleteOrGone, param, referring } from "./op-helpers.js";
import { list, obj, oneOfEnum, str, type JsonSchema } from "./schema-dsl.js";
import { attributesToDelete, chain, withDefaults } from "./steps.js";

/** The stylings of the current API; the service may add colours, so others only warn. */
export const THEME_STYLINGS = ["LIGHT_BLUE", "BLUE", "PINK", "RED"] as const;

interface S3Location {
  s3Bucket: string;
  s3Key: string;
}

/** A stack's `theme` as the manifest writes it. */
export interface ThemeDecl {
  titleText: string;
  styling: string;
  footerLinks?: { displayName?: string; footerLinkURL?: string }[];
  organizationLogoS3Location?: S3Location;
  faviconS3Location?: S3Location;
  state?: "ENABLED" | "DISABLED";
}

/** The Theme resource's spec: the declaration and the stack it belongs to. */
type ThemeSpec = ThemeDecl & { stack: string };

/** The model's `^[-@./#&+\w\s]*$` with Java's meaning: `\w` and `\s` are ASCII only. */
const TEXT = "^[-@./#&+A-Za-z0-9_ \\t\\n\\x0B\\f\\r]*$";

const s3Location = (what: string): JsonSchema =>
  obj(
    {
      s3Bucket: str({ min: 3, max: 63, pattern: "^[0-9a-z\\.\\-]*(?<!\\.)$" }),
      s3Key: str({ min: 1, max: 1024 }),
    },
    ["s3Bucket", "s3Key"],
    `S3 object of the ${what}, needed to create the theme; write-only (Describe returns only the URL it is served from): ` +
      "sent at create and with --rotate Theme/STACK; left out, an existing theme keeps its own",
  );

const WRITE_ONLY = {
  role: "api", mode: "write-only", sensitive: true,
  removal: { keep: "a theme always has a logo and a favicon; only another S3 object can replace them" },
} as const;

const fields: FieldTable<Omit<ThemeSpec, "stack">> = {
  titleText: { role: "api", mode: "live", schema: str({ min: 1, max: 300, pattern: TEXT, description: "Title shown in the browser tab" }) },
  styling: {
    role: "api", mode: "live",
    schema: str({ pattern: "^[A-Z_]+$", description: `Colour of links, text and buttons: ${THEME_STYLINGS.join(" | ")}` }),
  },
  footerLinks: {
    role: "api", mode: "live", clear: "FOOTER_LINKS",
    schema: list(
      obj({
        displayName: str({ min: 1, max: 300, pattern: TEXT }),
        footerLinkURL: str({ min: 1, max: 1000 }),
      }),
      { description: "Links in the catalog page footer" },
    ),
  },
  organizationLogoS3Location: { ...WRITE_ONLY, schema: s3Location("organization logo") },
  faviconS3Location: { ...WRITE_ONLY, schema: s3Location("favicon") },
  state: {
    role: "api", mode: "live", awsDefault: "ENABLED",
    schema: oneOfEnum(["ENABLED", "DISABLED"], "Whether the branding is applied (default ENABLED)"),
  },
};

/** The schema of a stack's `theme` field. */
export const themeSchema: JsonSchema = {
  oneOf: [
    obj(
      Object.fromEntries(Object.entries(fields).map(([f, def]) => [f, def.schema])),
      ["titleText", "styling"],
      "Branding of the stack's catalog page (one theme per stack, address Theme/STACK). Left out, the stack's theme is " +
        "not managed: an existing one stays (drift lists it as unmanaged; plan --prune deletes it)",
    ),
    { const: "none", description: "The stack has no theme: an existing one is deleted" },
  ],
};

/** The declared theme, or undefined for `none` and for a stack that does not manage its theme. */
const declaredTheme = (v: unknown): ThemeDecl | undefined => (typeof v === "object" && v !== null ? (v as ThemeDecl) : undefined);

/** The stack's rules for its theme: an unknown styling may be one the service added since. */
export function themeRules(value: ThemeDecl | "none" | undefined): RuleViolation[] {
  const theme = declaredTheme(value);
  if (!theme || (THEME_STYLINGS as readonly string[]).includes(theme.styling)) return [];
  return [{
    code: "rule.theme", severity: "warning", path: ["theme", "styling"],
    message: `styling ${theme.styling} is not one this version knows (${THEME_STYLINGS.join(", ")}); the service decides`,
  }];
}

export const themeAddress = (stack: string): string => `Theme/${stack}`;

export function normalizeTheme(stack: string, t: Theme): LiveResource {
  const spec: Record<string, unknown> = { stack, titleText: t.ThemeTitleText, styling: t.ThemeStyling, state: t.State };
  if (t.ThemeFooterLinks?.length) {
    spec.footerLinks = t.ThemeFooterLinks.map((l) => ({
      ...(l.DisplayName !== undefined ? { displayName: l.DisplayName } : {}),
      ...(l.FooterLinkURL !== undefined ? { footerLinkURL: l.FooterLinkURL } : {}),
    }));
  }
  return {
    kind: "Theme", name: stack, address: themeAddress(stack), spec,
    ...(t.CreatedTime ? { createdTime: t.CreatedTime.getTime() } : {}),
  };
}

/** A stack's theme, or undefined when it has none (or the stack went away since it was listed). */
async function themeOf(api: AppStreamApi, stack: string): Promise<LiveResource | undefined> {
  try {
    const t = (await api.call("DescribeThemeForStack", { StackName: stack })).Theme;
    return t ? normalizeTheme(stack, t) : undefined;
  } catch (err) {
    if (kindOf(err) === "not-found") return undefined;
    throw err;
  }
}

const location = (l: S3Location) => ({ S3Bucket: l.s3Bucket, S3Key: l.s3Key });
const links = (ls: NonNullable<ThemeDecl["footerLinks"]>) =>
  ls.map((l) => ({ ...(l.displayName !== undefined ? { DisplayName: l.displayName } : {}), ...(l.footerLinkURL !== undefined ? { FooterLinkURL: l.footerLinkURL } : {}) }));

/** UpdateThemeForStack members for the named manifest fields (absent ones are left out). */
function members(spec: Partial<ThemeSpec>, names: readonly string[]): Omit<UpdateThemeForStackCommandInput, "StackName"> {
  const has = (f: string) => names.includes(f);
  return {
    ...(has("titleText") && spec.titleText !== undefined ? { TitleText: spec.titleText } : {}),
    ...(has("styling") && spec.styling !== undefined ? { ThemeStyling: spec.styling as Theme["ThemeStyling"] } : {}),
    ...(has("footerLinks") && spec.footerLinks ? { FooterLinks: links(spec.footerLinks) } : {}),
    ...(has("organizationLogoS3Location") && spec.organizationLogoS3Location ? { OrganizationLogoS3Location: location(spec.organizationLogoS3Location) } : {}),
    ...(has("faviconS3Location") && spec.faviconS3Location ? { FaviconS3Location: location(spec.faviconS3Location) } : {}),
    ...(has("state") && spec.state !== undefined ? { State: spec.state } : {}),
  };
}

/** The members drift and export can know: the S3 locations are never read back, a missing state is ENABLED. */
function comparable(decl: Partial<ThemeDecl> | undefined): Record<string, unknown> | undefined {
  if (!decl) return undefined;
  const { organizationLogoS3Location: _logo, faviconS3Location: _favicon, footerLinks, state, ...rest } = decl;
  return { ...rest, ...(footerLinks?.length ? { footerLinks } : {}), state: state ?? "ENABLED" };
}

/** A stack's `theme` in drift and export (the stack lists it among its associations). */
export const themeAssociation: AssociationFacts = {
  field: "theme",
  live(name, live) {
    const t = live.find((l) => l.kind === "Theme" && l.spec.stack === name);
    if (!t) return undefined;
    const { stack: _stack, ...decl } = t.spec;
    return comparable(decl as Partial<ThemeDecl>);
  },
  declared: (spec) => comparable(declaredTheme(spec.theme)),
  exported(name, live) {
    const decl = themeAssociation.live(name, live) as Record<string, unknown> | undefined;
    if (!decl) return undefined;
    // ENABLED is the default; the S3 locations cannot be read back, so the export leaves the theme's own.
    const { state, ...rest } = decl;
    return state === "ENABLED" ? rest : decl;
  },
};

export const theme = defineDerivedKind({
  kind: "Theme",
  rank: 55,
  noun: "theme",
  fields,
  taggable: false,
  ownership: "owner",
  parents: (l) => [`Stack/${String(l.spec.stack)}`],
  readPer: "Stack",
  ownerKind: "Stack",
  declaredBy: "theme",
  ops: {
    "theme.create": ((ctx, s) =>
      createOrRaced(
        () => ctx.call("CreateThemeForStack", s.params, referring(ctx, s.address)),
        async () => (await ctx.call("DescribeThemeForStack", { StackName: param(s, "StackName") })).Theme !== undefined,
      )) satisfies OpFn<CreateThemeForStackCommandInput>,
    "theme.update": (async (ctx, s) =>
      void (await ctx.call("UpdateThemeForStack", s.params, { resource: s.address }))) satisfies OpFn<UpdateThemeForStackCommandInput>,
    "theme.delete": ((ctx, s) =>
      deleteOrGone(() => ctx.call("DeleteThemeForStack", s.params, { resource: s.address }))) satisfies OpFn<DeleteThemeForStackCommandInput>,
  },
  async read(ctx, prior) {
    const found = await ctx.map(prior.of("Stack"), (s) => themeOf(ctx.api, s.name));
    return found.filter((t): t is LiveResource => t !== undefined);
  },
  readOne: (ctx, name) => themeOf(ctx.api, name),
  derive(m) {
    const out: DesiredResource[] = [];
    (m.stacks ?? []).forEach((s, i) => {
      const decl = declaredTheme(s.theme);
      if (!decl) return;
      const stack = s.name as string;
      out.push({
        kind: "Theme", name: stack, address: themeAddress(stack), spec: { ...decl, stack },
        pointer: `/stacks/${i}/theme`, dependsOn: [`Stack/${stack}`],
      });
    });
    return out;
  },
  create(d) {
    const spec = d.spec as unknown as ThemeSpec;
    if (!spec.organizationLogoS3Location || !spec.faviconS3Location) {
      throw new AppError(
        "rule.theme",
        `${d.address}: a new theme needs organizationLogoS3Location and faviconS3Location (CreateThemeForStack requires both); ` +
          "they may be left out only for a theme that exists",
        { source: "user" },
      );
    }
    const create = {
      id: "create", op: "theme.create",
      params: {
        StackName: spec.stack, TitleText: spec.titleText, ThemeStyling: spec.styling,
        ...(spec.footerLinks?.length ? { FooterLinks: links(spec.footerLinks) } : {}),
        OrganizationLogoS3Location: location(spec.organizationLogoS3Location), FaviconS3Location: location(spec.faviconS3Location),
      },
    };
    // CreateThemeForStack takes no State: a theme starts ENABLED, so a disabled one is switched off after.
    if (spec.state !== "DISABLED") return [create];
    return chain([create, { id: "disable", op: "theme.update", params: { StackName: spec.stack, State: "DISABLED" } }]);
  },
  update(d, l, changes) {
    const api = changes.filter((c) => c.role === "api");
    const spec = withDefaults(d.spec, api, fields) as Partial<ThemeSpec>;
    const clear = attributesToDelete(api, d.spec, l.spec, fields);
    const params = {
      StackName: String(d.spec.stack),
      ...members(spec, api.filter((c) => !c.clear).map((c) => c.field)),
      ...(clear.length ? { AttributesToDelete: clear as UpdateThemeForStackCommandInput["AttributesToDelete"] } : {}),
    };
    return { steps: [{ id: "update", op: "theme.update", params }], disruption: "none", reason: "" };
  },
  remove: (l) => [{ id: "delete", op: "theme.delete", params: { StackName: String(l.spec.stack) } }],
});
