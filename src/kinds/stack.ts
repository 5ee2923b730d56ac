/**
 * Stack (reference §4). Stacks have no run state, so every field but the name updates live. Removing a
 * field maps to the UpdateStack `AttributesToDelete` value of §4.3 — the Terraform provider's perpetual
 * diffs on storage connectors and embed domains come from never sending those.
 */
import type { CreateStackCommandInput, DeleteStackCommandInput, Stack, UpdateStackCommandInput, UserSetting } from "@aws-sdk/client-appstream";
import { collect } from "../aws/paginate.js";
import { agentAccessRules, tagRules } from "./common-rules.js";
import { stackConnect } from "./connect.js";
import type { DesiredResource, FieldChange, FieldTable, LiveResource, ManifestView, RuleViolation, StepDraft } from "./contract.js";
import { defineKind, type OpCtx, type OpFn } from "./kind.js";
import { createOrRaced, deleteOrGone, found, param } from "./op-helpers.js";
import { apiFieldNames, apiFields, attributesToDelete, chain, specFromApi, withDefaults } from "./steps.js";
import { accessEndpoints, bool, ignoreChanges, int, list, name, obj, oneOfEnum, protect, str, tags } from "./schema-dsl.js";
import { limitRange } from "./api-limits.js";
import { entitlementAssociation, entitlementRules, entitlementsSchema, type EntitlementEntry } from "./entitlement.js";
import { themeAssociation, themeRules, themeSchema, type ThemeDecl } from "./theme.js";

/** The user-setting actions of the current API (§0.1: 8 values). */
export const USER_SETTING_ACTIONS = [
  "CLIPBOARD_COPY_FROM_LOCAL_DEVICE", "CLIPBOARD_COPY_TO_LOCAL_DEVICE", "FILE_UPLOAD", "FILE_DOWNLOAD",
  "PRINTING_TO_LOCAL_DEVICE", "DOMAIN_PASSWORD_SIGNIN", "DOMAIN_SMART_CARD_SIGNIN", "AUTO_TIME_ZONE_REDIRECTION",
] as const;
export type UserSettingAction = (typeof USER_SETTING_ACTIONS)[number];
/** Only the clipboard actions take a maximum length (§4.2). */
export const CLIPBOARD_ACTIONS: readonly string[] = ["CLIPBOARD_COPY_FROM_LOCAL_DEVICE", "CLIPBOARD_COPY_TO_LOCAL_DEVICE"];

export type Permission = "ENABLED" | "DISABLED";
export type UserSettingValue = Permission | { permission: Permission; maximumLength?: number };

export interface StorageConnector {
  connectorType: "HOMEFOLDERS" | "GOOGLE_DRIVE" | "ONE_DRIVE";
  resourceIdentifier?: string;
  domains?: string[];
  domainsRequireAdminConsent?: string[];
}

export interface StackSpec {
  name: string;
  displayName?: string;
  description?: string;
  fleet?: string;
  entitlements?: EntitlementEntry[];
  theme?: ThemeDecl | "none";
  storageConnectors?: StorageConnector[];
  redirectURL?: string;
  feedbackURL?: string;
  userSettings?: Partial<Record<UserSettingAction, UserSettingValue>>;
  applicationSettings?: { enabled: boolean; settingsGroup?: string };
  accessEndpoints?: { endpointType: "STREAMING"; vpceId?: string }[];
  embedHostDomains?: string[];
  streamingExperienceSettings?: { preferredProtocol?: "TCP" | "UDP" };
  contentRedirection?: { hostToClient?: { enabled: boolean; allowedUrls?: string[]; deniedUrls?: string[] } };
  agentAccessConfig?: {
    settings: { agentAction: "COMPUTER_VISION" | "COMPUTER_INPUT"; permission: Permission }[];
    s3BucketArn?: string;
    screenshotsUploadEnabled?: boolean;
    screenResolution: "W_1280xH_720";
    screenImageFormat: "PNG" | "JPEG";
  };
  tags?: Record<string, string>;
  protect?: boolean;
  ignoreChanges?: string[];
}

/**
 * What the service reports for a stack whose settings were never set: every action ENABLED except
 * AUTO_TIME_ZONE_REDIRECTION (reference §4.2; the Terraform provider's drift on it, TF #39754).
 */
export const DEFAULT_USER_SETTINGS: Readonly<Record<UserSettingAction, Permission>> = {
  CLIPBOARD_COPY_FROM_LOCAL_DEVICE: "ENABLED", CLIPBOARD_COPY_TO_LOCAL_DEVICE: "ENABLED", FILE_UPLOAD: "ENABLED",
  FILE_DOWNLOAD: "ENABLED", PRINTING_TO_LOCAL_DEVICE: "ENABLED", DOMAIN_PASSWORD_SIGNIN: "ENABLED",
  DOMAIN_SMART_CARD_SIGNIN: "ENABLED", AUTO_TIME_ZONE_REDIRECTION: "DISABLED",
};

const permission = oneOfEnum(["ENABLED", "DISABLED"]);
const domainList = list(str({ min: 1, max: 64 }), { max: 50 });
const urlPatterns = list(str({ min: 1, max: 2048, pattern: "^(\\*|https?://[^ \\t\\n\\x0B\\f\\r,;]+)$" }), { max: 100 });

const userSettingValue = {
  oneOf: [
    permission,
    obj({ permission, maximumLength: int(...limitRange("UserSetting.MaximumLength"), "Clipboard actions only: bytes, 1–20971520") }, ["permission"]),
  ],
};

/**
 * A user setting in the one form the service holds it (an action, a permission, a maximum length):
 * `ENABLED` and `{permission: ENABLED}` are the same setting.
 */
export function canonicalUserSettings(v: unknown): Record<string, { permission: string; maximumLength?: number }> {
  const out: Record<string, { permission: string; maximumLength?: number }> = {};
  for (const [action, value] of Object.entries((v ?? {}) as Record<string, UserSettingValue>)) {
    out[action] = typeof value === "string"
      ? { permission: value }
      : { permission: value.permission, ...(value.maximumLength !== undefined ? { maximumLength: value.maximumLength } : {}) };
  }
  return out;
}

/**
 * UpdateStack's AgentAccessConfigForUpdate is partial and keeps the members it is not sent; the bucket has
 * no "none" value, so a config that drops it has to be deleted (AttributesToDelete) and set again.
 */
function dropsBucket(want: unknown, have: unknown): boolean {
  const w = want as { s3BucketArn?: string } | undefined;
  const h = have as { s3BucketArn?: string } | undefined;
  return w !== undefined && h?.s3BucketArn !== undefined && w.s3BucketArn === undefined;
}

/** Screenshot upload is off unless switched on (model: optional boolean), so leaving it out switches it off. */
function canonicalAgentAccess(v: unknown): unknown {
  return { screenshotsUploadEnabled: false, ...(v as Record<string, unknown>) };
}

/** What each user-setting action lets users do, for editors. */
const USER_SETTING_WORDS: Readonly<Record<UserSettingAction, string>> = {
  CLIPBOARD_COPY_FROM_LOCAL_DEVICE: "Paste from the local device into the session",
  CLIPBOARD_COPY_TO_LOCAL_DEVICE: "Copy from the session to the local device",
  FILE_UPLOAD: "Upload files into the session",
  FILE_DOWNLOAD: "Download files from the session",
  PRINTING_TO_LOCAL_DEVICE: "Print from the session to a local printer",
  DOMAIN_PASSWORD_SIGNIN: "Sign in to the domain with a password",
  DOMAIN_SMART_CARD_SIGNIN: "Sign in to the domain with a smart card",
  AUTO_TIME_ZONE_REDIRECTION: "Use the local device's time zone in the session",
};

const fields: FieldTable<StackSpec> = {
  name: { role: "identity", mode: "replace", schema: name("Stack name (immutable)") },
  displayName: { role: "api", mode: "live", awsDefault: "", schema: str({ max: 100 }) },
  description: { role: "api", mode: "live", awsDefault: "", schema: str({ max: 256 }) },
  fleet: { role: "association", mode: "live", schema: name("The fleet this stack streams from (a stack holds at most one)") },
  entitlements: { role: "association", mode: "live", schema: entitlementsSchema() },
  // The stack's theme is a resource of its own (Theme/STACK, theme.ts), planned apart from the stack.
  theme: { role: "association", mode: "live", schema: themeSchema },
  storageConnectors: {
    role: "api", mode: "live", clear: "STORAGE_CONNECTORS",
    // One connector per type, so the list is compared as a set.
    schema: list(
      obj(
        {
          connectorType: oneOfEnum(["HOMEFOLDERS", "GOOGLE_DRIVE", "ONE_DRIVE"]),
          resourceIdentifier: str({ min: 1, max: 2048 }),
          domains: domainList,
          domainsRequireAdminConsent: domainList,
        },
        ["connectorType"],
      ),
      { unique: true, description: "Persistent storage offered in sessions" },
    ),
  },
  redirectURL: { role: "api", mode: "live", clear: "REDIRECT_URL", schema: str({ max: 1000, description: "Where users go when the session ends" }) },
  feedbackURL: { role: "api", mode: "live", clear: "FEEDBACK_URL", schema: str({ max: 1000 }) },
  userSettings: {
    role: "api", mode: "live", clear: "USER_SETTINGS", awsDefault: DEFAULT_USER_SETTINGS, canonical: canonicalUserSettings,
    // One property per action (not propertyNames), so that editors complete the action names.
    schema: {
      type: "object",
      description: "Action → ENABLED | DISABLED (or {permission, maximumLength}); only declared actions are compared",
      properties: Object.fromEntries(USER_SETTING_ACTIONS.map((a) => [a, { ...userSettingValue, description: USER_SETTING_WORDS[a] }])),
      additionalProperties: false,
      minProperties: 1,
    },
  },
  applicationSettings: {
    role: "api", mode: "live", awsDefault: { enabled: false },
    // Absent and disabled are the same; a disabled stack's settings group is not in effect.
    canonical: (v) => ((v as { enabled?: boolean }).enabled ? v : { enabled: false }),
    schema: obj({ enabled: bool(), settingsGroup: str({ max: 100 }) }, ["enabled"], "Persist application settings between sessions"),
  },
  accessEndpoints: { role: "api", mode: "live", clear: "ACCESS_ENDPOINTS", schema: accessEndpoints() },
  embedHostDomains: {
    role: "api", mode: "live", clear: "EMBED_HOST_DOMAINS",
    schema: list(str({ max: 128, pattern: "^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$" }), {
      min: 1, max: 20, unique: true, description: "Domains allowed to embed streaming sessions in an iframe",
    }),
  },
  streamingExperienceSettings: {
    role: "api", mode: "live", clear: "STREAMING_EXPERIENCE_SETTINGS",
    schema: obj({ preferredProtocol: oneOfEnum(["TCP", "UDP"]) }),
  },
  contentRedirection: {
    role: "api", mode: "live", clear: "CONTENT_REDIRECTION",
    schema: obj({
      hostToClient: obj({ enabled: bool(), allowedUrls: urlPatterns, deniedUrls: urlPatterns }, ["enabled"]),
    }, [], "URL redirection from the streaming host to the local browser"),
  },
  agentAccessConfig: {
    role: "api", mode: "live", clear: "AGENT_ACCESS_CONFIG", canonical: canonicalAgentAccess,
    schema: obj(
      {
        settings: list(obj({ agentAction: oneOfEnum(["COMPUTER_VISION", "COMPUTER_INPUT"]), permission }, ["agentAction", "permission"]), { min: 1 }),
        s3BucketArn: str({ pattern: "^arn:aws(?:-cn|-iso-b|-iso|-us-gov)?:s3:::[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]$" }),
        screenshotsUploadEnabled: bool(),
        screenResolution: oneOfEnum(["W_1280xH_720"]),
        screenImageFormat: oneOfEnum(["PNG", "JPEG"]),
      },
      ["settings", "screenResolution", "screenImageFormat"],
      "AI agent access to streaming sessions",
    ),
  },
  tags: { role: "tags", mode: "live", schema: tags() },
  protect: { role: "meta", mode: "live", schema: protect() },
  ignoreChanges: { role: "meta", mode: "live", schema: ignoreChanges() },
};

function rules(s: StackSpec, m: ManifestView): RuleViolation[] {
  const out: RuleViolation[] = [...tagRules(s, m), ...agentAccessRules(s.agentAccessConfig), ...entitlementRules(s.entitlements), ...themeRules(s.theme)];
  const app = s.applicationSettings;
  if (app && !app.enabled && app.settingsGroup !== undefined) {
    out.push({ code: "rule.settings-group", path: ["applicationSettings", "settingsGroup"], message: "settingsGroup needs applicationSettings.enabled: true" });
  }
  for (const [action, value] of Object.entries(s.userSettings ?? {})) {
    if (typeof value !== "object" || value.maximumLength === undefined) continue;
    if (!CLIPBOARD_ACTIONS.includes(action)) {
      out.push({ code: "rule.clipboard-length", path: ["userSettings", action, "maximumLength"], message: `maximumLength applies only to the clipboard actions, not ${action}` });
    } else if (value.permission !== "ENABLED") {
      out.push({ code: "rule.clipboard-length", path: ["userSettings", action, "maximumLength"], message: "maximumLength needs permission ENABLED" });
    }
  }
  const types = (s.storageConnectors ?? []).map((c) => c.connectorType);
  types.forEach((t, i) => {
    if (types.indexOf(t) !== i) out.push({ code: "rule.storage-connector", path: ["storageConnectors", i], message: `storage connector ${t} is listed twice` });
  });
  (s.storageConnectors ?? []).forEach((c, i) => {
    if (c.domainsRequireAdminConsent && c.connectorType !== "ONE_DRIVE") {
      out.push({ code: "rule.storage-connector", path: ["storageConnectors", i, "domainsRequireAdminConsent"], message: "domainsRequireAdminConsent applies only to ONE_DRIVE" });
    }
  });
  return out;
}


// ---------------------------------------------------------------------------------------------------
// Planning

const API_FIELDS = apiFieldNames(fields);
const ECHOED = [
  "Name", "Description", "DisplayName", "StorageConnectors", "RedirectURL", "FeedbackURL", "AccessEndpoints",
  "EmbedHostDomains", "StreamingExperienceSettings", "ContentRedirection", "AgentAccessConfig",
] as const;

/** The service's list of settings → the manifest's map (a maximum length keeps the object form). */
export function userSettingsMap(list: readonly UserSetting[]): Record<string, UserSettingValue> {
  const out: Record<string, UserSettingValue> = {};
  for (const u of list) {
    if (!u.Action || !u.Permission) continue;
    out[u.Action] = u.MaximumLength !== undefined ? { permission: u.Permission, maximumLength: u.MaximumLength } : u.Permission;
  }
  return out;
}

function userSettingsList(map: Record<string, UserSettingValue>): UserSetting[] {
  return Object.entries(map).map(([action, v]) =>
    typeof v === "string"
      ? { Action: action as UserSetting["Action"], Permission: v }
      : { Action: action as UserSetting["Action"], Permission: v.permission, ...(v.maximumLength !== undefined ? { MaximumLength: v.maximumLength } : {}) },
  );
}

export function normalizeStack(st: Stack): LiveResource {
  const spec = specFromApi(st, ECHOED);
  if (st.UserSettings?.length) spec.userSettings = userSettingsMap(st.UserSettings);
  if (st.ApplicationSettings) {
    // S3BucketName is the service's own bucket; only the two inputs are the stack's settings.
    spec.applicationSettings = { enabled: st.ApplicationSettings.Enabled ?? false, ...(st.ApplicationSettings.SettingsGroup ? { settingsGroup: st.ApplicationSettings.SettingsGroup } : {}) };
  }
  const name = st.Name ?? "";
  return {
    kind: "Stack", name, address: `Stack/${name}`, spec, ...(st.Arn ? { arn: st.Arn } : {}),
    errors: (st.StackErrors ?? []).map((e) => ({ code: e.ErrorCode ?? "UNKNOWN", message: e.ErrorMessage ?? "" })),
    ...(st.CreatedTime ? { createdTime: st.CreatedTime.getTime() } : {}),
  };
}

/** API request members for the given manifest fields; user settings become the service's list. */
function request(spec: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const out = apiFields(spec, names.filter((n) => n !== "userSettings"));
  if (names.includes("userSettings") && spec.userSettings) out.UserSettings = userSettingsList(spec.userSettings as Record<string, UserSettingValue>);
  return out;
}

function projectUserSettings(want: unknown, have: unknown): unknown {
  const declared = canonicalUserSettings(want ?? DEFAULT_USER_SETTINGS);
  const live = canonicalUserSettings(have);
  const out: Record<string, UserSettingValue> = {};
  // Only declared actions are compared (AWS adds actions over time: TF #39754), and a service-filled
  // maximum length counts only where the manifest sets one.
  for (const [action, v] of Object.entries(declared)) {
    const l = live[action];
    if (l === undefined) continue;
    out[action] = v.maximumLength === undefined ? { permission: l.permission as Permission } : (l as UserSettingValue);
  }
  return out;
}

const stackExists = (ctx: OpCtx, name: string) => found(async () => (await ctx.call("DescribeStacks", { Names: [name] })).Stacks);

export const stack = defineKind<StackSpec>()({
  connect: stackConnect,
  kind: "Stack",
  rank: 50,
  noun: "stack",
  key: "stacks",
  identity: "name",
  required: ["name"],
  taggable: true,
  ownership: "tag",
  description: "A stack: the user-facing entry point with its settings, streaming from one fleet",
  external: "Stacks managed elsewhere that users of this manifest may name",
  fields,
  refs: [{ path: ["fleet"], target: "fleets", code: "ref.unknown-fleet", names: (s) => (s.fleet ? [s.fleet] : []) }],
  rules,
  association: {
    field: "fleet",
    live(name, live) {
      const fleets = live.filter((l) => l.kind === "FleetAssociation" && l.spec.stack === name).map((l) => String(l.spec.fleet)).sort();
      // A stack holds one fleet (§5); show a list only if the service ever reports more.
      return fleets.length > 1 ? fleets : fleets[0];
    },
    declared: (spec) => spec.fleet,
    exported(name, live) {
      const fleet = live.find((l) => l.kind === "FleetAssociation" && l.spec.stack === name);
      return fleet ? String(fleet.spec.fleet) : undefined;
    },
  },
  associations: [entitlementAssociation, themeAssociation],
  export: {
    // Only declared actions are compared (the projection), so actions at their default stay out.
    entry(spec) {
      if (!spec.userSettings) return spec;
      const defaults = DEFAULT_USER_SETTINGS as Readonly<Record<string, unknown>>;
      return { ...spec, userSettings: Object.fromEntries(Object.entries(spec.userSettings as object).filter(([a, v]) => defaults[a] !== v)) };
    },
  },
  ops: {
    "stack.create": ((ctx, s) =>
      createOrRaced(() => ctx.call("CreateStack", s.params, { resource: s.address }), () => stackExists(ctx, param(s, "Name")))) satisfies OpFn<CreateStackCommandInput>,
    "stack.update": (async (ctx, s) => void (await ctx.call("UpdateStack", s.params, { resource: s.address }))) satisfies OpFn<UpdateStackCommandInput>,
    "stack.delete": ((ctx, s) => deleteOrGone(() => ctx.call("DeleteStack", s.params, { resource: s.address }))) satisfies OpFn<DeleteStackCommandInput>,
  },
  arn: async (ctx, name, opts) => (await ctx.call("DescribeStacks", { Names: [name] }, opts)).Stacks?.[0]?.Arn,
  async read(ctx) {
    const stacks = await collect(async (token) => {
      const out = await ctx.api.call("DescribeStacks", token ? { NextToken: token } : {});
      return { items: out.Stacks ?? [], next: out.NextToken };
    }, { label: "DescribeStacks" });
    return stacks.map(normalizeStack);
  },
  async readOne(ctx, name) {
    const stack = (await ctx.api.call("DescribeStacks", { Names: [name] })).Stacks?.[0];
    return stack && normalizeStack(stack);
  },
  project(desired, live) {
    return { desired, live: { ...live, userSettings: projectUserSettings(desired.userSettings, live.userSettings) } };
  },
  create(d: DesiredResource) {
    return [{ id: "create", op: "stack.create", params: { Name: d.name, ...request(d.spec, API_FIELDS), ...(d.tags ? { Tags: d.tags } : {}) } }];
  },
  update(d: DesiredResource, l: LiveResource, changes: FieldChange[]) {
    const api = changes.filter((c) => c.role === "api");
    // ApplicationSettings has no AttributesToDelete value: it is switched off with Enabled=false (§4.3).
    const spec = withDefaults(d.spec, api, fields);
    const del = attributesToDelete(api, d.spec, l.spec, fields);
    const steps: StepDraft[] = api.length
      ? [{ id: "update", op: "stack.update", params: { Name: d.name, ...request(spec, api.filter((c) => !c.clear).map((c) => c.field)), ...(del.length ? { AttributesToDelete: del } : {}) } }]
      : [];
    if (!api.some((c) => c.field === "agentAccessConfig" && !c.clear) || !dropsBucket(d.spec.agentAccessConfig, l.spec.agentAccessConfig)) {
      return { steps, disruption: "none", reason: "" };
    }
    const clear: StepDraft = { id: "clear-agent-access", op: "stack.update", params: { Name: d.name, AttributesToDelete: ["AGENT_ACCESS_CONFIG"] } };
    return {
      steps: chain([clear, ...steps]), disruption: "none", reason: "",
      warnings: ["agentAccessConfig.s3BucketArn cannot be removed by an update: the config is deleted and set again, with no agent access in between"],
    };
  },
  remove(l: LiveResource) {
    return [{ id: "delete", op: "stack.delete", params: { Name: l.name } }];
  },
});
