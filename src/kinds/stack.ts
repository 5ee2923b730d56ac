/**
 * Stack (reference §4). Stacks have no run state, so every field but the name updates live. Removing a
 * field maps to the UpdateStack `AttributesToDelete` value of §4.3 — the Terraform provider's perpetual
 * diffs on storage connectors and embed domains come from never sending those.
 */
import type { FieldTable, ListedKind, RuleViolation } from "./contract.js";
import { accessEndpoints, bool, ignoreChanges, int, list, name, obj, oneOfEnum, protect, str, tags } from "./schema-dsl.js";

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

const permission = oneOfEnum(["ENABLED", "DISABLED"]);
const domainList = list(str({ min: 1, max: 64 }), { max: 50 });
const urlPatterns = list(str({ min: 1, max: 2048, pattern: "^(\\*|https?://[^\\s,;]+)$" }), { max: 100 });

const userSettingValue = {
  oneOf: [
    permission,
    obj({ permission, maximumLength: int(1, 20_971_520, "Clipboard actions only: bytes, 1–20971520") }, ["permission"]),
  ],
};

const fields: FieldTable<StackSpec> = {
  name: { role: "identity", mode: "replace", schema: name("Stack name (immutable)") },
  displayName: { role: "api", mode: "live", schema: str({ max: 100 }) },
  description: { role: "api", mode: "live", schema: str({ max: 256 }) },
  fleet: { role: "association", mode: "live", schema: name("The fleet this stack streams from (a stack holds at most one)") },
  storageConnectors: {
    role: "api", mode: "live", clear: "STORAGE_CONNECTORS",
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
      { description: "Persistent storage offered in sessions" },
    ),
  },
  redirectURL: { role: "api", mode: "live", clear: "REDIRECT_URL", schema: str({ max: 1000, description: "Where users go when the session ends" }) },
  feedbackURL: { role: "api", mode: "live", clear: "FEEDBACK_URL", schema: str({ max: 1000 }) },
  userSettings: {
    role: "api", mode: "live", clear: "USER_SETTINGS",
    schema: {
      type: "object",
      description: "Action → ENABLED | DISABLED (or {permission, maximumLength}); only declared actions are compared",
      propertyNames: { enum: [...USER_SETTING_ACTIONS] },
      additionalProperties: userSettingValue,
      minProperties: 1,
    },
  },
  applicationSettings: {
    role: "api", mode: "live",
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
    role: "api", mode: "live", clear: "AGENT_ACCESS_CONFIG",
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

function rules(s: StackSpec): RuleViolation[] {
  const out: RuleViolation[] = [];
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

export const stackKind: ListedKind<StackSpec> = {
  kind: "Stack",
  key: "stacks",
  identity: "name",
  required: ["name"],
  taggable: true,
  description: "A stack: the user-facing entry point with its settings, streaming from one fleet",
  fields,
  refs: [{ path: ["fleet"], target: "fleets", code: "ref.unknown-fleet", names: (s) => (s.fleet ? [s.fleet] : []) }],
  rules,
};
