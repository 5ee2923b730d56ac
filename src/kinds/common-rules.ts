/** Rules shared by several kinds, so each is written once. */
import { SELECTOR_FLAGS, selectorRegex } from "./selector-regex.js";
import { closest } from "../manifest/suggest.js";
import type { ManifestView, RefDef, RuleViolation } from "./contract.js";

type Joinable = { domainJoinInfo?: { directoryName?: string } };
type WithImage = { imageName?: string };

const IMAGE_FIELDS = ["imageName", "imageArn", "imageSelector"] as const;
type ImageChoice = { imageName?: unknown; imageArn?: unknown; imageSelector?: unknown };

/** The image fields an entry gives (fleets and builders take exactly one of them). */
export function imageFieldsOf(s: ImageChoice): (typeof IMAGE_FIELDS)[number][] {
  return IMAGE_FIELDS.filter((f) => s[f] !== undefined);
}

/** Exactly one of imageName, imageArn, imageSelector (reference §3.3, §6.1). */
export function imageSourceRules(s: ImageChoice): RuleViolation[] {
  const given = imageFieldsOf(s);
  const out: RuleViolation[] = given.length === 1 ? [] : [{
    code: "rule.image-source", path: given.length > 1 ? [given[1]!] : [],
    message: given.length ? `give only one of ${given.join(", ")}` : "give one of imageName, imageArn or imageSelector",
  }];
  const regex = (s.imageSelector as { nameRegex?: unknown } | undefined)?.nameRegex;
  if (typeof regex === "string") {
    // Compiled exactly as plan compiles it, so that no manifest validate accepts fails there.
    try {
      selectorRegex(regex);
    } catch (err) {
      out.push({
        code: "rule.image-selector", path: ["imageSelector", "nameRegex"],
        message: `nameRegex is not a valid regular expression (Unicode mode, flag ${SELECTOR_FLAGS}): ${err instanceof Error ? err.message : String(err)}`,
        hint: "in Unicode mode only syntax characters may be escaped: write - rather than \\-, and _ rather than \\_",
      });
    }
  }
  return out;
}

/** Fleets and image builders join a directory that a directoryConfigs entry (or `external`) declares. */
export function directoryRef<S extends Joinable>(): RefDef<S> {
  return {
    path: ["domainJoinInfo", "directoryName"], target: "directoryConfigs", code: "ref.unknown-directory",
    names: (s) => (s.domainJoinInfo?.directoryName ? [s.domainJoinInfo.directoryName] : []),
  };
}

/** An image named by the manifest is made first; a public image needs no entry, so this is no error. */
export function imageSoftRef<S extends WithImage>() {
  return { target: "images" as const, names: (s: S) => (s.imageName ? [s.imageName] : []) };
}

/** The ownership and protection tags appstreamctl adds itself (see src/core/desired.ts). */
export const RESERVED_TAG_PREFIX = "appstreamctl:";
const ADDED_TAGS = 1; // appstreamctl:set, always

/**
 * Tags: the API allows 50 per resource after merging (reference §10; `kindTags` more tags the kind adds,
 * such as the digest of fields never read back), and the `appstreamctl:` keys belong to the tool — a user value would fight the ownership tag on every apply.
 */
export function tagRules(spec: { tags?: Record<string, string>; protect?: boolean }, m: ManifestView, kindTags = 0): RuleViolation[] {
  const out: RuleViolation[] = [];
  for (const key of Object.keys(spec.tags ?? {})) {
    if (key.startsWith(RESERVED_TAG_PREFIX)) {
      out.push({ code: "rule.tags", path: ["tags", key], message: `tag keys starting with ${RESERVED_TAG_PREFIX} are set by appstreamctl itself` });
    }
  }
  const merged = new Set([...Object.keys(m.defaultTags()), ...Object.keys(spec.tags ?? {})]);
  // Keys that only differ in Unicode normalisation look like one tag but are two to AWS.
  const byForm = new Map<string, string>();
  for (const key of merged) {
    const form = key.normalize("NFC");
    const other = byForm.get(form);
    if (other === undefined) byForm.set(form, key);
    else {
      out.push({
        code: "rule.tags", path: spec.tags && Object.hasOwn(spec.tags, key) ? ["tags", key] : [],
        message: `tag keys \`${other}\` and \`${key}\` differ only in Unicode normalisation; AWS would keep both`,
      });
    }
  }
  const total = merged.size + ADDED_TAGS + kindTags + (spec.protect ? 1 : 0);
  if (total > 50) {
    out.push({
      code: "rule.tags", path: spec.tags ? ["tags"] : [],
      message: `${total} tags after merging defaults.tags and the ownership tag; AppStream allows 50 per resource`,
    });
  }
  return out;
}

/** A domain join should use one of the OUs the directory config lists (reference §9, inferred). */
export function domainJoinRules(spec: { domainJoinInfo?: { directoryName?: string; organizationalUnitDistinguishedName?: string } }, m: ManifestView): RuleViolation[] {
  const join = spec.domainJoinInfo;
  if (!join?.directoryName || !join.organizationalUnitDistinguishedName) return [];
  const dc = m.find("directoryConfigs", join.directoryName);
  const ous = dc?.organizationalUnitDistinguishedNames;
  if (!Array.isArray(ous) || ous.includes(join.organizationalUnitDistinguishedName)) return [];
  return [{
    code: "rule.domain-join", severity: "warning", path: ["domainJoinInfo", "organizationalUnitDistinguishedName"],
    message: `${join.organizationalUnitDistinguishedName} is not one of the OUs of directory config ${join.directoryName}`,
  }];
}

/** The standard family (reference §3.6); ELASTIC fleets run only these (§3.3). */
export const STANDARD_INSTANCE_TYPES: readonly string[] = ["small", "medium", "large", "xlarge", "2xlarge"].map((s) => `stream.standard.${s}`);

/**
 * The instance types of reference §3.6 (current docs): the one list validation checks against. The
 * emulator keeps its own copy (emulator/fleet-rules.ts), so that it stays a model of AWS, not of this tool.
 */
export const INSTANCE_TYPES: ReadonlySet<string> = new Set([
  ...STANDARD_INSTANCE_TYPES,
  ...["large", "xlarge", "2xlarge", "4xlarge", "8xlarge"].map((s) => `stream.compute.${s}`),
  ...["large", "xlarge", "2xlarge", "4xlarge", "8xlarge"].map((s) => `stream.memory.${s}`),
  ...["large", "xlarge", "2xlarge", "3xlarge", "6xlarge", "12xlarge"].map((s) => `stream.memory.z1d.${s}`),
  ...["xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"].map((s) => `stream.graphics.g4dn.${s}`),
  ...["xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"].map((s) => `stream.graphics.g5.${s}`),
  ...["xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"].map((s) => `stream.graphics.g6.${s}`),
  "stream.graphics.gr6.4xlarge", "stream.graphics.gr6.8xlarge",
  ...["large", "xlarge", "2xlarge", "4xlarge"].map((s) => `stream.graphics.g6f.${s}`),
  "stream.graphics.gr6f.4xlarge",
]);

/**
 * Families AWS has retired (reference §3.6: Graphics Pro ended 2025-10-31, Graphics Design 2025-12-31;
 * Graphics Desktop left the list before them). A fleet on one can no longer start, so naming one is an
 * error even for a fleet that accepts unknown types.
 */
export const RETIRED_FAMILIES: readonly { prefix: string; ended: string }[] = [
  { prefix: "stream.graphics-pro.", ended: "ended on 2025-10-31" },
  { prefix: "stream.graphics-design.", ended: "ended on 2025-12-31" },
  { prefix: "stream.graphics-desktop.", ended: "is no longer offered" },
];

/** How AppStream instance types are written: `stream.`, a family, a size. */
const INSTANCE_TYPE_FORM = /^stream\.[a-z0-9-]+(\.[a-z0-9-]+)+$/;

/** The manifest field that lets one fleet or image builder use a type released after this version. */
export const ACCEPT_UNKNOWN = "acceptUnknownInstanceType";

/**
 * An unknown instance type is an error at validate, before anything is stopped: a typo would otherwise
 * stop a running fleet and fail at UpdateFleet. A type AWS released after this version is accepted per
 * resource with `acceptUnknownInstanceType: true`, which then only the API itself checks.
 */
export function instanceTypeRules(instanceType: unknown, acceptUnknown: boolean | undefined): RuleViolation[] {
  if (typeof instanceType !== "string") return [];
  const retired = RETIRED_FAMILIES.find((f) => instanceType.startsWith(f.prefix));
  if (retired) {
    return [{
      code: "rule.instance-type", path: ["instanceType"],
      message: `${instanceType} is retired: AWS's ${retired.prefix.slice(7, -1)} family ${retired.ended}`,
      hint: "choose a current family, e.g. stream.graphics.g4dn.* or stream.graphics.g5.*",
    }];
  }
  if (INSTANCE_TYPES.has(instanceType)) {
    if (acceptUnknown !== true) return [];
    return [{
      code: "rule.instance-type", severity: "warning", path: [ACCEPT_UNKNOWN],
      message: `${ACCEPT_UNKNOWN} is not needed for ${instanceType}, a known type; remove it so that a later typo is caught`,
    }];
  }
  if (acceptUnknown === true) return [];
  const guess = closestInstanceType(instanceType);
  const form = INSTANCE_TYPE_FORM.test(instanceType) ? "" : " (AppStream types are written stream.FAMILY.SIZE)";
  return [{
    code: "rule.instance-type", path: ["instanceType"],
    message: `${instanceType} is not an AppStream instance type this version knows${form}`,
    hint: guess
      ? `did you mean \`${guess}\`? If AWS released ${instanceType} after this version, set ${ACCEPT_UNKNOWN}: true on this entry`
      : `if AWS released it after this version, set ${ACCEPT_UNKNOWN}: true on this entry`,
  }];
}

/**
 * IdleDisconnectTimeoutInSeconds is 0 (off) or 60–36000. The service stores any value in range as sent,
 * but disconnects idle users on whole minutes (nearest minute, ties up: 70 acts as 60, 90 as 120), so a
 * value that is not a multiple of 60 is accepted with a warning saying what it really does.
 */
export function idleTimeoutRules(idle: unknown): RuleViolation[] {
  if (typeof idle !== "number" || idle === 0) return [];
  const path = ["idleDisconnectTimeoutInSeconds"];
  if (idle > 0 && idle < 60) {
    return [{ code: "rule.timeout", path, message: "idleDisconnectTimeoutInSeconds is 0 (off) or 60–36000" }];
  }
  if (idle % 60 === 0) return [];
  const effective = Math.floor((idle + 30) / 60) * 60;
  return [{
    code: "rule.timeout", severity: "warning", path,
    message: `${idle} s behaves as ${effective} s: AppStream disconnects idle users on whole minutes (nearest minute, ties up)`,
  }];
}

type AgentAccess = { settings?: { agentAction?: string; permission?: string }[]; s3BucketArn?: string; screenshotsUploadEnabled?: boolean };

/**
 * Agent access rules the model documents in prose, refused by CreateStack/UpdateStack: screenshot uploads
 * need the bucket (S3BucketArn: "Required when ScreenshotsUploadEnabled is true"), and COMPUTER_INPUT
 * "Requires COMPUTER_VISION to also be enabled".
 */
export function agentAccessRules(config: AgentAccess | undefined): RuleViolation[] {
  if (!config) return [];
  const out: RuleViolation[] = [];
  if (config.screenshotsUploadEnabled === true && config.s3BucketArn === undefined) {
    out.push({ code: "rule.agent-access", path: ["agentAccessConfig", "screenshotsUploadEnabled"], message: "screenshot uploads need agentAccessConfig.s3BucketArn" });
  }
  const settings = config.settings ?? [];
  const enabled = (action: string) => settings.some((x) => x.agentAction === action && x.permission === "ENABLED");
  const input = settings.findIndex((x) => x.agentAction === "COMPUTER_INPUT" && x.permission === "ENABLED");
  if (input >= 0 && !enabled("COMPUTER_VISION")) {
    out.push({ code: "rule.agent-access", path: ["agentAccessConfig", "settings", input], message: "COMPUTER_INPUT needs COMPUTER_VISION ENABLED as well" });
  }
  return out;
}

/** True when the type is one this version knows (so that family-specific rules can be trusted). */
export function isKnownInstanceType(instanceType: string): boolean {
  return INSTANCE_TYPES.has(instanceType);
}

function closestInstanceType(t: string): string | undefined {
  // Edit distance is quadratic; nothing that long is a typo of an instance type.
  if (t.length > 64) return undefined;
  const lower = t.toLowerCase().trim();
  if (INSTANCE_TYPES.has(lower)) return lower;
  const prefixed = lower.startsWith("stream.") ? lower : `stream.${lower}`;
  if (INSTANCE_TYPES.has(prefixed)) return prefixed;
  return closest(t, [...INSTANCE_TYPES]);
}
