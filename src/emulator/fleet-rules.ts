/**
 * Pure fleet rules: defaults, the fleet-type combination rules (reference §3.3), the RUNNING-state update
 * whitelist (§3.5), AttributesToDelete (§3.4) and the ComputeCapacityStatus simulation (§3.5 end).
 * No store access here; fleets.ts applies these to records.
 */

/** The stored attributes of a fleet: the API `Fleet` members that are not computed. */
export interface FleetAttrs {
  Name: string;
  Arn: string;
  InstanceType: string;
  FleetType: "ALWAYS_ON" | "ON_DEMAND" | "ELASTIC";
  DisplayName?: string;
  Description?: string;
  ImageName?: string;
  ImageArn?: string;
  ComputeCapacity?: { DesiredInstances?: number; DesiredSessions?: number };
  MaxUserDurationInSeconds: number;
  DisconnectTimeoutInSeconds: number;
  IdleDisconnectTimeoutInSeconds: number;
  VpcConfig?: { SubnetIds?: string[]; SecurityGroupIds?: string[] };
  EnableDefaultInternetAccess: boolean;
  DomainJoinInfo?: { DirectoryName?: string; OrganizationalUnitDistinguishedName?: string };
  IamRoleArn?: string;
  StreamView: "APP" | "DESKTOP";
  Platform?: string;
  MaxConcurrentSessions?: number;
  UsbDeviceFilterStrings?: string[];
  SessionScriptS3Location?: { S3Bucket: string; S3Key?: string };
  MaxSessionsPerInstance?: number;
  RootVolumeConfig?: { VolumeSizeInGb?: number };
  DisableIMDSV1?: boolean;
}

/** Service-filled defaults (reference §3.2, §20 q5: FleetType/durations undocumented, chosen here). */
export const FLEET_DEFAULTS = {
  FleetType: "ON_DEMAND",
  MaxUserDurationInSeconds: 57600,
  DisconnectTimeoutInSeconds: 900,
  IdleDisconnectTimeoutInSeconds: 0,
  StreamView: "APP",
  EnableDefaultInternetAccess: false,
} as const;

/** The members a request may set (CreateFleet and UpdateFleet), i.e. everything but Name/Tags/FleetType. */
export const SETTABLE_MEMBERS = [
  "ImageName",
  "ImageArn",
  "InstanceType",
  "ComputeCapacity",
  "VpcConfig",
  "MaxUserDurationInSeconds",
  "DisconnectTimeoutInSeconds",
  "Description",
  "DisplayName",
  "EnableDefaultInternetAccess",
  "DomainJoinInfo",
  "IdleDisconnectTimeoutInSeconds",
  "IamRoleArn",
  "StreamView",
  "Platform",
  "MaxConcurrentSessions",
  "UsbDeviceFilterStrings",
  "SessionScriptS3Location",
  "MaxSessionsPerInstance",
  "RootVolumeConfig",
  "DisableIMDSV1",
] as const;

/** Members UpdateFleet accepts while RUNNING, per fleet type (reference §3.5). */
export const RUNNING_WHITELIST: Record<FleetAttrs["FleetType"], ReadonlySet<string>> = {
  ALWAYS_ON: new Set(["DisplayName", "ComputeCapacity", "ImageArn", "ImageName", "IdleDisconnectTimeoutInSeconds", "DisconnectTimeoutInSeconds"]),
  ON_DEMAND: new Set(["DisplayName", "ComputeCapacity", "ImageArn", "ImageName", "IdleDisconnectTimeoutInSeconds", "DisconnectTimeoutInSeconds"]),
  ELASTIC: new Set([
    "DisplayName",
    "IdleDisconnectTimeoutInSeconds",
    "DisconnectTimeoutInSeconds",
    "MaxConcurrentSessions",
    "SessionScriptS3Location",
    "UsbDeviceFilterStrings",
  ]),
};

/** FleetAttribute (AttributesToDelete) → the member it clears (reference §3.4). */
export const FLEET_ATTRIBUTE_MEMBER = {
  VPC_CONFIGURATION: "VpcConfig",
  VPC_CONFIGURATION_SECURITY_GROUP_IDS: "VpcConfig.SecurityGroupIds",
  DOMAIN_JOIN_INFO: "DomainJoinInfo",
  IAM_ROLE_ARN: "IamRoleArn",
  USB_DEVICE_FILTER_STRINGS: "UsbDeviceFilterStrings",
  SESSION_SCRIPT_S3_LOCATION: "SessionScriptS3Location",
  MAX_SESSIONS_PER_INSTANCE: "MaxSessionsPerInstance",
  VOLUME_CONFIGURATION: "RootVolumeConfig",
} as const;
export type FleetAttribute = keyof typeof FLEET_ATTRIBUTE_MEMBER;

/**
 * Current fleet instance types (reference §3.6). Deliberately the emulator's own copy, not the one
 * validation uses (kinds/common-rules.ts): the emulator models AWS, so a type the CLI wrongly accepted or
 * refused shows up as a difference between the two instead of agreeing with itself.
 */
export const INSTANCE_TYPES: ReadonlySet<string> = new Set([
  ...["small", "medium", "large", "xlarge", "2xlarge"].map((s) => `stream.standard.${s}`),
  ...["large", "xlarge", "2xlarge", "4xlarge", "8xlarge"].map((s) => `stream.compute.${s}`),
  ...["large", "xlarge", "2xlarge", "4xlarge", "8xlarge"].map((s) => `stream.memory.${s}`),
  ...["large", "xlarge", "2xlarge", "3xlarge", "6xlarge", "12xlarge"].map((s) => `stream.memory.z1d.${s}`),
  ...["xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"].map((s) => `stream.graphics.g4dn.${s}`),
  ...["xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"].map((s) => `stream.graphics.g5.${s}`),
  ...["xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"].map((s) => `stream.graphics.g6.${s}`),
  ...["4xlarge", "8xlarge"].map((s) => `stream.graphics.gr6.${s}`),
  ...["large", "xlarge", "2xlarge", "4xlarge"].map((s) => `stream.graphics.g6f.${s}`),
  "stream.graphics.gr6f.4xlarge",
]);

/** ELASTIC fleets only run on the standard family up to 2xlarge (reference §3.3). */
export const ELASTIC_INSTANCE_TYPES: ReadonlySet<string> = new Set(
  ["small", "medium", "large", "xlarge", "2xlarge"].map((s) => `stream.standard.${s}`),
);

/** Platforms an ELASTIC fleet may declare (reference §3.2). */
export const ELASTIC_PLATFORMS: ReadonlySet<string> = new Set(["WINDOWS_SERVER_2019", "AMAZON_LINUX2", "UBUNTU_PRO_2404"]);

/**
 * The fleet-type combination rules of reference §3.3 on a complete (created or merged) fleet; returns the
 * InvalidParameterCombinationException message, or undefined when the fleet is consistent.
 */
export function combinationProblem(a: FleetAttrs): string | undefined {
  if (a.FleetType === "ELASTIC") {
    if (a.ImageName !== undefined || a.ImageArn !== undefined) return "Elastic fleets do not use an image; remove ImageName and ImageArn.";
    if (a.ComputeCapacity !== undefined) return "ComputeCapacity is not supported for Elastic fleets.";
    if (a.DomainJoinInfo !== undefined) return "DomainJoinInfo is not supported for Elastic fleets.";
    if (a.MaxSessionsPerInstance !== undefined) return "MaxSessionsPerInstance is not supported for Elastic fleets.";
    if (a.Platform === undefined) return "Platform is required for Elastic fleets.";
    if (!ELASTIC_PLATFORMS.has(a.Platform)) return `Platform ${a.Platform} is not supported for Elastic fleets.`;
    if (a.MaxConcurrentSessions === undefined) return "MaxConcurrentSessions is required for Elastic fleets.";
    if ((a.VpcConfig?.SubnetIds?.length ?? 0) < 2) return "Elastic fleets require a VpcConfig with at least two subnets in different Availability Zones.";
    if (!ELASTIC_INSTANCE_TYPES.has(a.InstanceType)) return `The instance type ${a.InstanceType} is not supported for Elastic fleets.`;
    return undefined;
  }
  if (a.ImageName === undefined && a.ImageArn === undefined) return "Either ImageName or ImageArn is required for Always-On and On-Demand fleets.";
  if (a.MaxConcurrentSessions !== undefined) return "MaxConcurrentSessions is only supported for Elastic fleets.";
  if (a.SessionScriptS3Location !== undefined) return "SessionScriptS3Location is only supported for Elastic fleets.";
  if (!INSTANCE_TYPES.has(a.InstanceType)) return `The instance type ${a.InstanceType} is not supported.`;
  const cc = a.ComputeCapacity;
  if (cc === undefined) return "ComputeCapacity is required for Always-On and On-Demand fleets.";
  if (a.MaxSessionsPerInstance !== undefined) {
    if (cc.DesiredInstances !== undefined) return "DesiredInstances cannot be specified for multi-session fleets; specify DesiredSessions.";
    if (cc.DesiredSessions === undefined) return "DesiredSessions is required for multi-session fleets.";
  } else {
    if (cc.DesiredSessions !== undefined) return "DesiredSessions can only be specified for multi-session fleets; specify DesiredInstances.";
    if (cc.DesiredInstances === undefined) return "DesiredInstances is required for single-session fleets.";
  }
  return undefined;
}

/** Whether `member` of a request conflicts with `attribute` listed in AttributesToDelete (reference §3.4). */
export function setAndDeleted(input: Record<string, unknown>, attribute: FleetAttribute): boolean {
  const member = FLEET_ATTRIBUTE_MEMBER[attribute];
  if (member === "VpcConfig.SecurityGroupIds") {
    const vpc = input.VpcConfig as { SecurityGroupIds?: unknown } | undefined;
    return vpc?.SecurityGroupIds !== undefined;
  }
  return input[member] !== undefined;
}

/** Removes what `attribute` clears from `a` (mutates the working copy). */
export function clearAttribute(a: FleetAttrs, attribute: FleetAttribute): void {
  switch (attribute) {
    case "VPC_CONFIGURATION":
      delete a.VpcConfig;
      return;
    case "VPC_CONFIGURATION_SECURITY_GROUP_IDS":
      if (a.VpcConfig) {
        const { SecurityGroupIds: _dropped, ...rest } = a.VpcConfig;
        a.VpcConfig = rest;
      }
      return;
    case "DOMAIN_JOIN_INFO":
      delete a.DomainJoinInfo;
      return;
    case "IAM_ROLE_ARN":
      delete a.IamRoleArn;
      return;
    case "USB_DEVICE_FILTER_STRINGS":
      delete a.UsbDeviceFilterStrings;
      return;
    case "SESSION_SCRIPT_S3_LOCATION":
      delete a.SessionScriptS3Location;
      return;
    case "MAX_SESSIONS_PER_INSTANCE":
      delete a.MaxSessionsPerInstance;
      return;
    case "VOLUME_CONFIGURATION":
      delete a.RootVolumeConfig;
      return;
  }
}

/** The API `ComputeCapacityStatus` for a fleet in `state` with `active` ACTIVE sessions (reference §3.5 end). */
export function capacityStatus(a: FleetAttrs, state: string, active: number): Record<string, number> {
  const running = state === "RUNNING";
  if (a.FleetType === "ELASTIC") {
    // Elastic fleets have no provisioned capacity: every streaming instance is a session.
    return { Desired: active, Running: active, InUse: active, Available: 0 };
  }
  const perInstance = a.MaxSessionsPerInstance;
  if (perInstance !== undefined) {
    const desiredSessions = a.ComputeCapacity?.DesiredSessions ?? 0;
    const desired = Math.ceil(desiredSessions / perInstance);
    const actual = running ? desiredSessions : 0;
    const runningInstances = running ? desired : 0;
    const inUse = Math.min(runningInstances, Math.ceil(active / perInstance));
    return {
      Desired: desired,
      Running: runningInstances,
      InUse: inUse,
      Available: runningInstances - inUse,
      DesiredUserSessions: desiredSessions,
      ActualUserSessions: actual,
      ActiveUserSessions: active,
      AvailableUserSessions: Math.max(0, actual - active),
    };
  }
  const desired = a.ComputeCapacity?.DesiredInstances ?? 0;
  const runningInstances = running ? desired : 0;
  const inUse = Math.min(runningInstances, active);
  return { Desired: desired, Running: runningInstances, InUse: inUse, Available: runningInstances - inUse };
}

/** Streaming instances a started fleet occupies (ELASTIC fleets have none of their own). */
export function instancesOf(a: FleetAttrs): number {
  if (a.FleetType === "ELASTIC") return 0;
  if (a.MaxSessionsPerInstance !== undefined) return Math.ceil((a.ComputeCapacity?.DesiredSessions ?? 0) / a.MaxSessionsPerInstance);
  return a.ComputeCapacity?.DesiredInstances ?? 0;
}

/** How many sessions a RUNNING fleet can host at once (control API session creation). */
export function sessionCapacity(a: FleetAttrs): number {
  if (a.FleetType === "ELASTIC") return a.MaxConcurrentSessions ?? 0;
  if (a.MaxSessionsPerInstance !== undefined) return a.ComputeCapacity?.DesiredSessions ?? 0;
  return a.ComputeCapacity?.DesiredInstances ?? 0;
}
