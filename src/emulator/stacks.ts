/**
 * Stack operations (reference §4): CreateStack, DescribeStacks, UpdateStack (incl. the 14
 * AttributesToDelete values), DeleteStack. Rules are numbered STACK-xx in SPEC.md.
 */
import { createHash } from "node:crypto";
import type { CreateStackRequest, DeleteStackRequest, DescribeStacksRequest, UpdateStackRequest } from "@aws-sdk/client-appstream";
import { fleetOfStack } from "./associations.js";
import { op, visibleAtFor, type OpContext, type OpHandler } from "./context.js";
import { dropEntitlementsOfStack } from "./entitlements.js";
import { alreadyExists, badCombination, inUse, limitExceeded, notFound } from "./errors.js";
import { epoch } from "./out.js";
import { pageSizeOf, paginate } from "./paginate.js";
import { endSessionsOfStack } from "./sessions.js";
import { selectByNames } from "./select.js";
import { arnOf, type BaseRecord } from "./store.js";
import { dropTags, storeCreateTags } from "./tags.js";

/** The eight stack user-setting actions in model order, with the service default (reference §4.2). */
export const USER_SETTING_DEFAULTS = {
  CLIPBOARD_COPY_FROM_LOCAL_DEVICE: "ENABLED",
  CLIPBOARD_COPY_TO_LOCAL_DEVICE: "ENABLED",
  FILE_UPLOAD: "ENABLED",
  FILE_DOWNLOAD: "ENABLED",
  PRINTING_TO_LOCAL_DEVICE: "ENABLED",
  DOMAIN_PASSWORD_SIGNIN: "ENABLED",
  DOMAIN_SMART_CARD_SIGNIN: "ENABLED",
  AUTO_TIME_ZONE_REDIRECTION: "DISABLED",
} as const;
type Action = keyof typeof USER_SETTING_DEFAULTS;
const CLIPBOARD_ACTIONS: ReadonlySet<string> = new Set(["CLIPBOARD_COPY_FROM_LOCAL_DEVICE", "CLIPBOARD_COPY_TO_LOCAL_DEVICE"]);

/** StackAttribute (AttributesToDelete) → the request member it conflicts with (reference §4.3). */
const STACK_ATTRIBUTE_MEMBER: Record<string, string | undefined> = {
  STORAGE_CONNECTORS: "StorageConnectors",
  STORAGE_CONNECTOR_HOMEFOLDERS: "StorageConnectors:HOMEFOLDERS",
  STORAGE_CONNECTOR_GOOGLE_DRIVE: "StorageConnectors:GOOGLE_DRIVE",
  STORAGE_CONNECTOR_ONE_DRIVE: "StorageConnectors:ONE_DRIVE",
  REDIRECT_URL: "RedirectURL",
  FEEDBACK_URL: "FeedbackURL",
  THEME_NAME: undefined,
  USER_SETTINGS: "UserSettings",
  EMBED_HOST_DOMAINS: "EmbedHostDomains",
  IAM_ROLE_ARN: undefined,
  ACCESS_ENDPOINTS: "AccessEndpoints",
  STREAMING_EXPERIENCE_SETTINGS: "StreamingExperienceSettings",
  CONTENT_REDIRECTION: "ContentRedirection",
  AGENT_ACCESS_CONFIG: "AgentAccessConfig",
};

interface StorageConnector {
  ConnectorType: string;
  [k: string]: unknown;
}

/** The stored attributes of a stack (API members; UserSettings only as explicitly set). */
export interface StackAttrs {
  Name: string;
  Arn: string;
  Description?: string;
  DisplayName?: string;
  StorageConnectors?: StorageConnector[];
  RedirectURL?: string;
  FeedbackURL?: string;
  UserSettings: Partial<Record<Action, { Permission: string; MaximumLength?: number }>>;
  ApplicationSettings?: { Enabled: boolean; SettingsGroup?: string };
  AccessEndpoints?: unknown[];
  EmbedHostDomains?: string[];
  StreamingExperienceSettings?: Record<string, unknown>;
  ContentRedirection?: Record<string, unknown>;
  AgentAccessConfig?: Record<string, unknown>;
}

/** A stored stack. */
export interface StackRecord extends BaseRecord {
  attrs: StackAttrs;
}

/** The stacks table of the request's region. */
export function stacksOf(ctx: Pick<OpContext, "store" | "region">) {
  return ctx.store.table<StackRecord>(ctx.region, "stacks");
}

function requireStack(ctx: OpContext, name: unknown): StackRecord {
  const rec = typeof name === "string" ? stacksOf(ctx)[name] : undefined;
  if (!rec) throw notFound(`The stack ${String(name)} does not exist.`);
  return rec;
}

/** The per-account, per-region bucket the service creates for application settings (reference §4.2). */
function settingsBucket(ctx: OpContext): string {
  const suffix = createHash("sha256").update(`${ctx.account}|${ctx.region}`).digest("hex").slice(0, 10);
  return `appstream-app-settings-${ctx.region}-${ctx.account}-${suffix}`;
}

/** The API `Stack` shape: all eight user settings with defaults filled in (STACK-03). */
export function stackView(ctx: OpContext, rec: StackRecord): Record<string, unknown> {
  const { UserSettings, ApplicationSettings, ...rest } = rec.attrs;
  return {
    ...rest,
    CreatedTime: epoch(rec.createdAt),
    UserSettings: (Object.keys(USER_SETTING_DEFAULTS) as Action[]).map((action) => ({
      Action: action,
      Permission: UserSettings[action]?.Permission ?? USER_SETTING_DEFAULTS[action],
      MaximumLength: UserSettings[action]?.MaximumLength,
    })),
    ApplicationSettings: ApplicationSettings && {
      ...ApplicationSettings,
      S3BucketName: ApplicationSettings.Enabled ? settingsBucket(ctx) : undefined,
    },
  };
}

type UserSettingInput = { Action?: string; Permission?: string; MaximumLength?: number };

/** Merges requested user settings into `current`; MaximumLength only on ENABLED clipboard actions (STACK-05). */
function mergeUserSettings(current: StackAttrs["UserSettings"], requested: UserSettingInput[]): StackAttrs["UserSettings"] {
  const out = { ...current };
  const seen = new Set<string>();
  for (const s of requested) {
    const action = String(s.Action);
    if (seen.has(action)) throw badCombination(`The user setting ${action} is specified more than once.`);
    seen.add(action);
    if (s.MaximumLength !== undefined && (!CLIPBOARD_ACTIONS.has(action) || s.Permission !== "ENABLED")) {
      throw badCombination(`MaximumLength can only be specified for ENABLED clipboard actions, not for ${action} ${String(s.Permission)}.`);
    }
    out[action as Action] = { Permission: String(s.Permission), ...(s.MaximumLength !== undefined ? { MaximumLength: s.MaximumLength } : {}) };
  }
  return out;
}

/** The members the model requires of a stored `AgentAccessConfig` (UpdateStack's partial form has none). */
const AGENT_ACCESS_REQUIRED = ["Settings", "ScreenResolution", "ScreenImageFormat"] as const;

/**
 * The agent access a stack would hold after the request (STACK-13): a complete `AgentAccessConfig`, so an
 * UpdateStack that merges a partial config into a stack without one is refused, as are the model
 * documentation's cross-member rules.
 */
function checkAgentAccess(config: Record<string, unknown>): void {
  const missing = AGENT_ACCESS_REQUIRED.filter((m) => config[m] === undefined || config[m] === null);
  if (missing.length > 0) {
    throw badCombination(`AgentAccessConfig needs ${missing.join(", ")}: the stack has no agent access to update, so give the whole configuration.`);
  }
  if (config.ScreenshotsUploadEnabled === true && config.S3BucketArn === undefined) {
    throw badCombination("AgentAccessConfig.S3BucketArn is required when ScreenshotsUploadEnabled is true.");
  }
  const settings = config.Settings as { AgentAction?: string; Permission?: string }[];
  const enabled = (action: string) => settings.some((x) => x.AgentAction === action && x.Permission === "ENABLED");
  if (enabled("COMPUTER_INPUT") && !enabled("COMPUTER_VISION")) {
    throw badCombination("The agent action COMPUTER_INPUT needs COMPUTER_VISION ENABLED as well.");
  }
}

const SIMPLE_MEMBERS = [
  "Description",
  "DisplayName",
  "StorageConnectors",
  "RedirectURL",
  "FeedbackURL",
  "ApplicationSettings",
  "AccessEndpoints",
  "EmbedHostDomains",
  "StreamingExperienceSettings",
  "ContentRedirection",
] as const;

function applySimple(attrs: StackAttrs, input: Record<string, unknown>): void {
  const t = attrs as unknown as Record<string, unknown>;
  for (const m of SIMPLE_MEMBERS) if (input[m] !== undefined) t[m] = structuredClone(input[m]);
}

const createStack = op<CreateStackRequest>((ctx, input, raw) => {
  const stacks = stacksOf(ctx);
  const name = String(input.Name);
  if (stacks[name]) throw alreadyExists(`The stack ${name} already exists.`);
  if (Object.keys(stacks).length >= ctx.config.quotas.stacks) {
    throw limitExceeded(`The requested limit exceeds the permitted limit for an account: stacks (${ctx.config.quotas.stacks}).`);
  }
  const attrs: StackAttrs = { Name: name, Arn: arnOf(ctx.region, ctx.account, "stack", name), UserSettings: {} };
  applySimple(attrs, raw);
  if (input.UserSettings) attrs.UserSettings = mergeUserSettings({}, input.UserSettings);
  if (raw.AgentAccessConfig) {
    attrs.AgentAccessConfig = structuredClone(raw.AgentAccessConfig) as Record<string, unknown>;
    checkAgentAccess(attrs.AgentAccessConfig);
  }
  const rec: StackRecord = { attrs, createdAt: ctx.now, visibleAt: visibleAtFor(ctx) };
  stacks[name] = rec;
  storeCreateTags(ctx, attrs.Arn, input.Tags);
  return { Stack: stackView(ctx, rec) };
});

const describeStacks = op<DescribeStacksRequest>((ctx, input) => {
  const list = selectByNames(stacksOf(ctx), input.Names, ctx.now, (n) => notFound(`The stack ${n} does not exist.`), (r) => r.attrs.Name);
  // DescribeStacks has no page-size member (reference §13): the server page size applies.
  const page = paginate(list, `DescribeStacks|${(input.Names ?? []).join(",")}`, input.NextToken, pageSizeOf(undefined, ctx.config.pageSize));
  return { Stacks: page.items.map((r) => stackView(ctx, r)), NextToken: page.nextToken };
});

/** Whether a request sets what `attribute` would delete (same attribute both set and deleted → STACK-08). */
function stackConflict(input: Record<string, unknown>, attribute: string): boolean {
  const member = STACK_ATTRIBUTE_MEMBER[attribute];
  if (member === undefined) return false;
  const [name, connectorType] = member.split(":") as [string, string | undefined];
  const value = input[name];
  if (value === undefined) return false;
  if (connectorType === undefined) return true;
  return Array.isArray(value) && value.some((c: StorageConnector) => c?.ConnectorType === connectorType);
}

function deleteStackAttribute(attrs: StackAttrs, attribute: string): void {
  switch (attribute) {
    case "STORAGE_CONNECTORS":
      delete attrs.StorageConnectors;
      return;
    case "STORAGE_CONNECTOR_HOMEFOLDERS":
    case "STORAGE_CONNECTOR_GOOGLE_DRIVE":
    case "STORAGE_CONNECTOR_ONE_DRIVE": {
      const type = attribute.slice("STORAGE_CONNECTOR_".length);
      const left = (attrs.StorageConnectors ?? []).filter((c) => c.ConnectorType !== type);
      if (left.length > 0) attrs.StorageConnectors = left;
      else delete attrs.StorageConnectors;
      return;
    }
    case "REDIRECT_URL":
      delete attrs.RedirectURL;
      return;
    case "FEEDBACK_URL":
      delete attrs.FeedbackURL;
      return;
    case "USER_SETTINGS":
      attrs.UserSettings = {};
      return;
    case "EMBED_HOST_DOMAINS":
      delete attrs.EmbedHostDomains;
      return;
    case "ACCESS_ENDPOINTS":
      delete attrs.AccessEndpoints;
      return;
    case "STREAMING_EXPERIENCE_SETTINGS":
      delete attrs.StreamingExperienceSettings;
      return;
    case "CONTENT_REDIRECTION":
      delete attrs.ContentRedirection;
      return;
    case "AGENT_ACCESS_CONFIG":
      delete attrs.AgentAccessConfig;
      return;
    // Themes and the legacy stack IAM role are not modeled by this emulator: deleting them is a no-op.
    case "THEME_NAME":
    case "IAM_ROLE_ARN":
      return;
    default:
      throw badCombination(`Unknown stack attribute ${attribute}.`);
  }
}

const updateStack = op<UpdateStackRequest>((ctx, input, raw) => {
  const rec = requireStack(ctx, input.Name);
  const toDelete = [...(input.AttributesToDelete ?? [])] as string[];
  if (input.DeleteStorageConnectors === true) {
    if (input.StorageConnectors !== undefined) throw badCombination("StorageConnectors cannot be both set and deleted (DeleteStorageConnectors) in the same request.");
    toDelete.push("STORAGE_CONNECTORS");
  }
  for (const a of toDelete) {
    if (stackConflict(raw, a)) throw badCombination(`The attribute ${a} cannot be both set and deleted in the same request.`);
  }
  const next: StackAttrs = structuredClone(rec.attrs);
  for (const a of toDelete) deleteStackAttribute(next, a);
  applySimple(next, raw);
  if (input.UserSettings) next.UserSettings = mergeUserSettings(next.UserSettings, input.UserSettings);
  if (raw.AgentAccessConfig) {
    next.AgentAccessConfig = { ...(next.AgentAccessConfig ?? {}), ...(raw.AgentAccessConfig as Record<string, unknown>) };
    checkAgentAccess(next.AgentAccessConfig);
  }
  rec.attrs = next;
  return { Stack: stackView(ctx, rec) };
});

const deleteStack = op<DeleteStackRequest>((ctx, input) => {
  const rec = requireStack(ctx, input.Name);
  const name = rec.attrs.Name;
  if (fleetOfStack(ctx, name) !== undefined) {
    throw inUse(`Cannot delete stack ${name}. This stack has fleets associated with it. Only stacks with no fleets associated with it can be deleted.`);
  }
  // Guess (reference §20 q8): user associations are removed silently with the stack.
  const users = ctx.store.table<{ StackName?: string }>(ctx.region, "userStackAssociations");
  for (const [key, a] of Object.entries(users)) if (a.StackName === name) delete users[key];
  // Guess (SPEC.md ENT-11): entitlements belong to their stack and go with it.
  dropEntitlementsOfStack(ctx, name);
  endSessionsOfStack(ctx, name);
  dropTags(ctx, rec.attrs.Arn);
  delete stacksOf(ctx)[name];
  return {};
});

/** Stack operations for the registry in ops.ts. */
export const stackOps: Record<string, OpHandler> = {
  CreateStack: createStack,
  DescribeStacks: describeStacks,
  UpdateStack: updateStack,
  DeleteStack: deleteStack,
};
