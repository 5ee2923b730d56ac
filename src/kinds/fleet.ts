/**
 * Fleet (reference §3). Update modes follow the RUNNING-state whitelist of §3.5, which differs by fleet
 * type: for ALWAYS_ON/ON_DEMAND only displayName, computeCapacity, the image and the two disconnect
 * timeouts change live; for ELASTIC the image is absent and maxConcurrentSessions, the session script
 * and USB filters change live instead. Name and fleetType are immutable (§3.7).
 */
import type { Fleet } from "@aws-sdk/client-appstream";
import type { FieldTable, LiveResource, ManifestView, RuleViolation, StepDraft, UpdateMode } from "./contract.js";
import { nameFromArn } from "./convert.js";
import { activeSessions, describeFleets, fleetOps, fleetUpdate, fleetWaiter, isRunning } from "./fleet-steps.js";
import { defineKind } from "./kind.js";
import {
  directoryRef, domainJoinRules, idleTimeoutRules, imageFieldsOf, imageSoftRef, imageSourceRules, instanceTypeRules, isKnownInstanceType, STANDARD_INSTANCE_TYPES,
  tagRules,
} from "./common-rules.js";
import { apiFieldNames, apiFields, chain, specFromApi, waitStep } from "./steps.js";
import {
  acceptUnknownInstanceType, arn, bool, domainJoinInfo, ignoreChanges, imageSelector, int, JAVA_WHITESPACE, list, name, obj, oneOfEnum, openEnum, protect, str, tags, vpcConfig,
} from "./schema-dsl.js";
import { limitRange } from "./api-limits.js";
import { scheduleRules, scheduleSchema, type ScheduleSpec } from "./run-schedule.js";
import { maxOwnerName, scheduleAssociation, scheduledUpdate, scheduleMoves, stateAtCreate, withScheduledState } from "./schedule.js";
import { initialCapacityNote, scalingAssociation, unitOf } from "./scaling.js";
import { capacityOf, SCALING_NONE, scalingRules, scalingSchema, type ScaledFleet, type ScalingDecl } from "./scaling-spec.js";

export type FleetType = "ALWAYS_ON" | "ON_DEMAND" | "ELASTIC";

export interface FleetSpec {
  name: string;
  fleetType?: FleetType;
  instanceType: string;
  acceptUnknownInstanceType?: boolean;
  imageName?: string;
  imageArn?: string;
  imageSelector?: { nameRegex: string; newest?: boolean; type?: "PUBLIC" | "PRIVATE" | "SHARED" };
  computeCapacity?: { desiredInstances?: number; desiredSessions?: number };
  vpcConfig?: { subnetIds?: string[]; securityGroupIds?: string[] };
  maxUserDurationInSeconds?: number;
  disconnectTimeoutInSeconds?: number;
  idleDisconnectTimeoutInSeconds?: number;
  description?: string;
  displayName?: string;
  enableDefaultInternetAccess?: boolean;
  domainJoinInfo?: { directoryName?: string; organizationalUnitDistinguishedName?: string };
  iamRoleArn?: string;
  streamView?: "APP" | "DESKTOP";
  platform?: string;
  maxConcurrentSessions?: number;
  usbDeviceFilterStrings?: string[];
  sessionScriptS3Location?: { s3Bucket: string; s3Key?: string };
  maxSessionsPerInstance?: number;
  rootVolumeConfig?: { volumeSizeInGb?: number };
  disableIMDSV1?: boolean;
  state?: "running" | "stopped";
  schedule?: ScheduleSpec | "none";
  scaling?: ScalingDecl | typeof SCALING_NONE;
  tags?: Record<string, string>;
  protect?: boolean;
  ignoreChanges?: string[];
}

export const FLEET_TYPES: readonly FleetType[] = ["ALWAYS_ON", "ON_DEMAND", "ELASTIC"];
export const PLATFORMS = [
  "WINDOWS", "WINDOWS_SERVER_2016", "WINDOWS_SERVER_2019", "WINDOWS_SERVER_2022", "WINDOWS_SERVER_2025",
  "AMAZON_LINUX2", "RHEL8", "ROCKY_LINUX8", "UBUNTU_PRO_2404",
] as const;
/** ELASTIC fleets run only these platforms (§3.2 Platform row; the SDK adds Ubuntu Pro 24.04). */
export const ELASTIC_PLATFORMS = ["WINDOWS_SERVER_2019", "AMAZON_LINUX2", "UBUNTU_PRO_2404"] as const;
/** ELASTIC fleets run only the standard family up to 2xlarge (§3.3). */
export const ELASTIC_INSTANCE_TYPES = STANDARD_INSTANCE_TYPES;

/**
 * The UsbDeviceFilterString pattern from the API model: its `\,` escapes dropped (invalid with the `u` flag) and
 * its `\s` spelled as Java means it, ASCII whitespace only.
 */
const USB_FILTER_PATTERN =
  "^((\\w*)\\s*(\\w*)\\s*,\\s*(\\w*)\\s*,\\s*\\*?(\\w*)\\s*,\\s*\\*?(\\w*)\\s*,\\s*\\*?\\d*\\s*,\\s*\\*?\\d*\\s*,\\s*[0-1]\\s*,\\s*[0-1]\\s*)$"
    .replaceAll("\\s", JAVA_WHITESPACE);

const ONE_IMAGE = { keep: "one of imageName, imageArn and imageSelector is always given (not on ELASTIC fleets)" } as const;

/**
 * No source documents the service's default for the two session timeouts (reference §3.2): sending a
 * guess on removal could restart a fleet onto an invented value, so left out they keep their live value.
 */
const UNDOCUMENTED_DEFAULT = { keep: "the service default is documented nowhere (reference §3.2); export writes the live value" } as const;

const isElastic = (s: FleetSpec): boolean => s.fleetType === "ELASTIC";
/** Live on a running ALWAYS_ON/ON_DEMAND fleet, stop required on ELASTIC. */
const liveUnlessElastic = (s: FleetSpec): UpdateMode => (isElastic(s) ? "requires-stop" : "live");
/** Live on a running ELASTIC fleet, stop required otherwise. */
const liveIfElastic = (s: FleetSpec): UpdateMode => (isElastic(s) ? "live" : "requires-stop");

const fields: FieldTable<FleetSpec> = {
  name: { role: "identity", mode: "replace", schema: name("Fleet name (immutable)") },
  fleetType: {
    role: "api", mode: "replace", awsDefault: "ON_DEMAND",
    schema: oneOfEnum(FLEET_TYPES, "ALWAYS_ON, ON_DEMAND (default) or ELASTIC; changing it replaces the fleet"),
  },
  instanceType: { role: "api", mode: "requires-stop", schema: str({ min: 1, description: "e.g. stream.standard.medium" }) },
  acceptUnknownInstanceType: { role: "meta", mode: "live", schema: acceptUnknownInstanceType() },
  imageName: { role: "api", mode: liveUnlessElastic, removal: ONE_IMAGE, schema: name("Image to stream from (one of imageName, imageArn, imageSelector)") },
  imageArn: { role: "api", mode: liveUnlessElastic, removal: ONE_IMAGE, schema: arn("Image ARN (one of imageName, imageArn, imageSelector)") },
  imageSelector: { role: "selector", mode: liveUnlessElastic, removal: ONE_IMAGE, schema: imageSelector() },
  computeCapacity: {
    role: "api", mode: liveUnlessElastic, removal: { keep: "every fleet but an ELASTIC one must give it" },
    schema: obj(
      {
        desiredInstances: int(...limitRange("ComputeCapacity.DesiredInstances"), "Instances for single-session fleets"),
        desiredSessions: int(...limitRange("ComputeCapacity.DesiredSessions"), "User sessions for multi-session fleets"),
      },
      [],
      "Desired capacity (not for ELASTIC fleets)",
    ),
  },
  vpcConfig: {
    role: "api", mode: "requires-stop", schema: vpcConfig(),
    clear: { "": "VPC_CONFIGURATION", securityGroupIds: "VPC_CONFIGURATION_SECURITY_GROUP_IDS" },
  },
  maxUserDurationInSeconds: { role: "api", mode: "requires-stop", removal: UNDOCUMENTED_DEFAULT, schema: int(...limitRange("CreateFleetRequest.MaxUserDurationInSeconds"), "Longest session, 600–432000 s") },
  disconnectTimeoutInSeconds: { role: "api", mode: "live", removal: UNDOCUMENTED_DEFAULT, schema: int(...limitRange("CreateFleetRequest.DisconnectTimeoutInSeconds"), "Session kept after disconnect, 60–36000 s") },
  idleDisconnectTimeoutInSeconds: {
    role: "api", mode: "live", awsDefault: 0,
    schema: int(...limitRange("CreateFleetRequest.IdleDisconnectTimeoutInSeconds"), "Idle time before disconnect: 0 (off) or 60–36000 s"),
  },
  description: { role: "api", mode: "requires-stop", awsDefault: "", schema: str({ max: 256 }) },
  displayName: { role: "api", mode: "live", awsDefault: "", schema: str({ max: 100 }) },
  enableDefaultInternetAccess: { role: "api", mode: "requires-stop", awsDefault: false, schema: bool() },
  domainJoinInfo: { role: "api", mode: "requires-stop", clear: "DOMAIN_JOIN_INFO", schema: domainJoinInfo() },
  iamRoleArn: { role: "api", mode: "requires-stop", clear: "IAM_ROLE_ARN", schema: arn("Role the fleet instances assume") },
  streamView: { role: "api", mode: "requires-stop", awsDefault: "APP", schema: openEnum(["APP", "DESKTOP"]) },
  platform: { role: "api", mode: "requires-stop", removal: { keep: "ELASTIC fleets must give it; others take it from their image" }, schema: openEnum(PLATFORMS, "Required for ELASTIC fleets") },
  maxConcurrentSessions: { role: "api", mode: liveIfElastic, removal: { keep: "ELASTIC fleets must give it; others refuse it" }, schema: int(...limitRange("CreateFleetRequest.MaxConcurrentSessions"), "ELASTIC fleets only (required there)") },
  usbDeviceFilterStrings: {
    role: "api", mode: liveIfElastic, clear: "USB_DEVICE_FILTER_STRINGS",
    schema: list(str({ max: 100, pattern: USB_FILTER_PATTERN }), { description: "USB devices redirected into sessions" }),
  },
  sessionScriptS3Location: {
    role: "api", mode: liveIfElastic, clear: "SESSION_SCRIPT_S3_LOCATION",
    schema: obj(
      { s3Bucket: str({ min: 3, max: 63, pattern: "^[0-9a-z\\.\\-]*(?<!\\.)$" }), s3Key: str({ min: 1, max: 1024 }) },
      ["s3Bucket"],
      "Session scripts configuration (ELASTIC fleets)",
    ),
  },
  maxSessionsPerInstance: {
    role: "api", mode: "requires-stop", clear: "MAX_SESSIONS_PER_INSTANCE",
    schema: int(...limitRange("CreateFleetRequest.MaxSessionsPerInstance"), "Makes the fleet multi-session"),
  },
  rootVolumeConfig: {
    role: "api", mode: "requires-stop", clear: "VOLUME_CONFIGURATION",
    schema: obj({ volumeSizeInGb: int(...limitRange("VolumeConfig.VolumeSizeInGb"), "200–500 GB (default 200)") }, [], "Root volume of streaming instances"),
  },
  disableIMDSV1: { role: "api", mode: "requires-stop", awsDefault: false, schema: bool("Require IMDSv2 on streaming instances") },
  state: {
    role: "state", mode: "live", awsDefault: "running",
    schema: oneOfEnum(["running", "stopped"], "Desired run state (default running); drift is reported"),
  },
  schedule: { role: "association", mode: "live", schema: scheduleSchema() },
  // Application Auto Scaling of the fleet, a resource of its own (Scaling/FLEET, scaling.ts).
  scaling: { role: "association", mode: "live", schema: scalingSchema },
  tags: { role: "tags", mode: "live", schema: tags() },
  protect: { role: "meta", mode: "live", schema: protect() },
  ignoreChanges: { role: "meta", mode: "live", schema: ignoreChanges() },
};

/** Cross-field rules of the API (§3.3), checked before any call. */
function rules(s: FleetSpec, m: ManifestView): RuleViolation[] {
  const out: RuleViolation[] = [
    ...tagRules(s, m), ...domainJoinRules(s, m), ...instanceTypeRules(s.instanceType, s.acceptUnknownInstanceType),
    ...idleTimeoutRules(s.idleDisconnectTimeoutInSeconds), ...scheduleRules(s, { name: s.name, limit: maxOwnerName("Fleet") }),
    ...scalingRules(s.scaling, s),
  ];
  const imageFields = imageFieldsOf(s);
  const cap = s.computeCapacity;
  if (isElastic(s)) {
    for (const f of imageFields) {
      out.push({ code: "rule.elastic", path: [f], message: `ELASTIC fleets take no image (${f}); applications come from app blocks` });
    }
    if (cap) out.push({ code: "rule.elastic", path: ["computeCapacity"], message: "ELASTIC fleets take no computeCapacity; use maxConcurrentSessions" });
    if (s.maxConcurrentSessions === undefined) {
      out.push({ code: "rule.elastic", path: [], message: "ELASTIC fleets require maxConcurrentSessions" });
    }
    if (s.platform === undefined) {
      out.push({ code: "rule.elastic", path: [], message: `ELASTIC fleets require platform (${ELASTIC_PLATFORMS.join(", ")})` });
    } else if (!(ELASTIC_PLATFORMS as readonly string[]).includes(s.platform) && (PLATFORMS as readonly string[]).includes(s.platform)) {
      // A platform this version does not know gets the unknown-value warning instead: AWS may have added it.
      out.push({ code: "rule.elastic", path: ["platform"], message: `ELASTIC fleets run ${ELASTIC_PLATFORMS.join(", ")}, not ${s.platform}` });
    }
    if ((s.vpcConfig?.subnetIds?.length ?? 0) < 2) {
      out.push({
        code: "rule.elastic", path: s.vpcConfig ? ["vpcConfig"] : [],
        message: "ELASTIC fleets require vpcConfig with at least 2 subnets in different Availability Zones",
      });
    }
    if (s.domainJoinInfo) out.push({ code: "rule.elastic", path: ["domainJoinInfo"], message: "ELASTIC fleets cannot be domain-joined" });
    if (s.maxSessionsPerInstance !== undefined) {
      out.push({ code: "rule.elastic", path: ["maxSessionsPerInstance"], message: "ELASTIC fleets cannot be multi-session" });
    }
    // A type this version does not know (accepted explicitly) may be a new ELASTIC one: AWS decides.
    if (isKnownInstanceType(s.instanceType) && !(ELASTIC_INSTANCE_TYPES as readonly string[]).includes(s.instanceType)) {
      out.push({
        code: "rule.instance-type", path: ["instanceType"],
        message: `ELASTIC fleets run ${ELASTIC_INSTANCE_TYPES.join(", ")}, not ${s.instanceType}`,
      });
    }
    return out;
  }
  out.push(...imageSourceRules(s));
  for (const f of ["maxConcurrentSessions", "sessionScriptS3Location"] as const) {
    if (s[f] !== undefined) out.push({ code: "rule.elastic", path: [f], message: `${f} is only for ELASTIC fleets` });
  }
  // Other fleets run their image's platform whatever the request says (§3.3 "Platform: from image").
  if (s.platform !== undefined) {
    out.push({ code: "rule.elastic", path: ["platform"], message: "platform is only for ELASTIC fleets: other fleets take it from their image", hint: "remove platform" });
  }
  const multi = s.maxSessionsPerInstance !== undefined;
  if (!cap) {
    out.push({ code: "rule.capacity", path: [], message: `computeCapacity.${multi ? "desiredSessions" : "desiredInstances"} is required` });
  } else if (multi) {
    if (cap.desiredInstances !== undefined) {
      out.push({ code: "rule.multi-session", path: ["computeCapacity", "desiredInstances"], message: "multi-session fleets (maxSessionsPerInstance) set desiredSessions, not desiredInstances" });
    }
    if (cap.desiredSessions === undefined) {
      out.push({ code: "rule.multi-session", path: ["computeCapacity"], message: "multi-session fleets require computeCapacity.desiredSessions" });
    }
  } else {
    if (cap.desiredSessions !== undefined) {
      out.push({ code: "rule.capacity", path: ["computeCapacity", "desiredSessions"], message: "desiredSessions needs maxSessionsPerInstance (multi-session); single-session fleets set desiredInstances" });
    }
    if (cap.desiredInstances === undefined) {
      out.push({ code: "rule.capacity", path: ["computeCapacity"], message: "single-session fleets require computeCapacity.desiredInstances" });
    }
  }
  return out;
}


// ---------------------------------------------------------------------------------------------------
// Planning

/** Manifest fields sent in CreateFleet/UpdateFleet (the `api` role). */
const API_FIELDS = apiFieldNames(fields);
/** Fleet members echoed by DescribeFleets that map 1:1 onto manifest fields. */
const ECHOED = [
  "Name", "FleetType", "InstanceType", "ImageName", "ImageArn", "VpcConfig", "MaxUserDurationInSeconds",
  "DisconnectTimeoutInSeconds", "IdleDisconnectTimeoutInSeconds", "Description", "DisplayName",
  "EnableDefaultInternetAccess", "DomainJoinInfo", "IamRoleArn", "StreamView", "Platform", "MaxConcurrentSessions",
  "UsbDeviceFilterStrings", "SessionScriptS3Location", "MaxSessionsPerInstance", "RootVolumeConfig", "DisableIMDSV1",
] as const;

/** DescribeFleets output → manifest shape. Capacity comes back as ComputeCapacityStatus (§3.2). */
export function normalizeFleet(f: Fleet): LiveResource {
  const spec = specFromApi(f, ECHOED);
  const cap = f.ComputeCapacityStatus;
  if (f.FleetType !== "ELASTIC" && cap) {
    spec.computeCapacity = f.MaxSessionsPerInstance ? { desiredSessions: cap.DesiredUserSessions } : { desiredInstances: cap.Desired };
  }
  spec.state = isRunning(f.State) ? "running" : "stopped";
  const name = f.Name ?? "";
  return {
    kind: "Fleet", name, address: `Fleet/${name}`, spec,
    ...(f.Arn ? { arn: f.Arn } : {}),
    ...(f.State ? { state: f.State } : {}),
    errors: (f.FleetErrors ?? []).map((e) => ({ code: e.ErrorCode ?? "UNKNOWN", message: e.ErrorMessage ?? "" })),
    ...(f.CreatedTime ? { createdTime: f.CreatedTime.getTime() } : {}),
  };
}

/** The image a fleet or builder spec streams from, by name (ARNs end in `image/NAME`). */
export function imageOf(spec: Record<string, unknown>): string | undefined {
  return (spec.imageName as string | undefined) ?? nameFromArn(spec.imageArn as string | undefined);
}

export const fleet = defineKind<FleetSpec>()({
  kind: "Fleet",
  rank: 40,
  noun: "fleet",
  key: "fleets",
  identity: "name",
  required: ["name", "instanceType"],
  taggable: true,
  ownership: "tag",
  description: "A fleet of streaming instances",
  external: "Fleets managed elsewhere that stacks of this manifest may name",
  fields,
  modeCases: [
    { when: "ALWAYS_ON and ON_DEMAND fleets", spec: { fleetType: "ON_DEMAND" } },
    { when: "ELASTIC fleets", spec: { fleetType: "ELASTIC" } },
  ],
  refs: [directoryRef()],
  softRefs: [imageSoftRef()],
  rules,
  runState: "fleet",
  waiter: fleetWaiter,
  ops: fleetOps,
  async read(ctx) {
    return (await describeFleets(ctx.api)).map(normalizeFleet);
  },
  async readOne(ctx, name) {
    const fleet = (await ctx.api.call("DescribeFleets", { Names: [name] })).Fleets?.[0];
    return fleet && normalizeFleet(fleet);
  },
  arn: async (ctx, name, opts) => (await ctx.call("DescribeFleets", { Names: [name] }, opts)).Fleets?.[0]?.Arn,
  project(desired, live) {
    const l = { ...live };
    // Compare the image on the member the manifest uses; the service echoes both (§18.4).
    if (desired.imageName !== undefined) delete l.imageArn;
    else if (desired.imageArn !== undefined) delete l.imageName;
    // With `scaling`, the capacity is Application Auto Scaling's: computeCapacity is the initial one only.
    if (typeof desired.scaling === "object" && desired.computeCapacity !== undefined) l.computeCapacity = desired.computeCapacity;
    return { desired: withScheduledState(desired, l), live: l };
  },
  // The capacity project() leaves out of the comparison is still said once, so a difference is not hidden.
  driftNote(d, l) {
    if (typeof d.spec.scaling !== "object" || d.spec.scaling === null) return undefined;
    const initial = capacityOf(d.spec as ScaledFleet);
    const cap = l.spec.computeCapacity as FleetSpec["computeCapacity"];
    const live = cap?.desiredSessions ?? cap?.desiredInstances;
    if (initial === undefined || live === undefined || live === initial) return undefined;
    return { path: "computeCapacity", note: initialCapacityNote(d.name, unitOf(d.spec), initial, live, "not drift") };
  },
  export: {
    entry(spec) {
      const out = { ...spec };
      if (out.imageName !== undefined) delete out.imageArn;
      // A non-ELASTIC fleet's platform follows its image (reference §3.2): writing it would pin it.
      if (out.fleetType !== "ELASTIC") delete out.platform;
      return out;
    },
    // With a schedule, the run state is the schedule's (declaring both is refused).
    finish: (entry) => (entry.schedule === undefined ? entry : (({ state: _state, ...rest }) => rest)(entry)),
  },
  associations: [scheduleAssociation("FleetSchedule"), scalingAssociation],
  holdsKind: "Image",
  holds(spec) {
    const image = imageOf(spec);
    return image === undefined ? undefined : { kind: "Image", name: image };
  },
  // Only a stop or a delete ends sessions; they are counted over every stack the fleet serves.
  async impact(ctx, l, live) {
    if (l.state !== "RUNNING" && l.state !== "STARTING") return undefined;
    const stacks = live.filter((r) => r.kind === "FleetAssociation" && r.spec.fleet === l.name).map((r) => String(r.spec.stack));
    return activeSessions(ctx.api, l.name, stacks);
  },
  create(d) {
    const steps: StepDraft[] = [
      { id: "create", op: "fleet.create", params: { Name: d.name, ...apiFields(d.spec, API_FIELDS), ...(d.tags ? { Tags: d.tags } : {}) } },
    ];
    // Fleets are created STOPPED (§3.5); `state` defaults to running, a schedule says it for now.
    if ((stateAtCreate(d.spec) ?? "running") === "running") {
      steps.push({ id: "start", op: "fleet.start", params: { Name: d.name } }, waitStep("running", "fleet", d.name, "RUNNING", []));
    }
    return chain(steps);
  },
  update: (d, l, changes, ctx) => scheduledUpdate(d, l, changes, (sd) => fleetUpdate(fields, sd, l, changes, ctx)),
  // A fleet in transition accepts no update (§3.5) and is not converged: the plan waits for it to settle.
  settle(l, d) {
    const until = l.state === "STARTING" ? "RUNNING" : l.state === "STOPPING" ? "STOPPED" : undefined;
    if (!until || scheduleMoves(d)) return undefined;
    return {
      steps: [waitStep("settle", "fleet", l.name, until, [])],
      diff: { path: "state", before: l.state, after: until, sensitive: false, why: "state" },
    };
  },
  remove(l) {
    const steps: StepDraft[] = [];
    if (isRunning(l.state)) steps.push({ id: "stop", op: "fleet.stop", params: { Name: l.name } });
    if (l.state !== "STOPPED") steps.push(waitStep("stopped", "fleet", l.name, "STOPPED", []));
    steps.push({ id: "delete", op: "fleet.delete", params: { Name: l.name } }, waitStep("gone", "fleet", l.name, "GONE", []));
    return chain(steps);
  },
});
