/**
 * The records of the application areas and the reads one area makes of another's (applications, their fleet
 * associations, entitlements; DeleteFleet and DeleteApplication check what still refers to them). A leaf
 * module, so that those areas and fleets.ts do not import each other.
 */
import type { OpContext } from "./context.js";
import { parseArn, type BaseRecord, type Table } from "./store.js";

export interface S3Location {
  S3Bucket: string;
  S3Key?: string;
}

/** A stored application: the API `Application` members except CreatedTime and IconURL, derived on output. */
export interface ApplicationRecord extends BaseRecord {
  Name: string;
  Arn: string;
  DisplayName?: string;
  Description?: string;
  IconS3Location: S3Location;
  LaunchPath: string;
  WorkingDirectory?: string;
  LaunchParameters?: string;
  Platforms: string[];
  InstanceFamilies: string[];
  AppBlockArn: string;
  Enabled: boolean;
}

/** The applications of the request's region, keyed by name. */
export function applicationsOf(ctx: Pick<OpContext, "store" | "region">): Table<ApplicationRecord> {
  return ctx.store.table<ApplicationRecord>(ctx.region, "applications");
}

/** The application an ARN of this account and region names, visible or not (mutations see through consistency). */
export function applicationByArn(ctx: OpContext, arn: unknown): ApplicationRecord | undefined {
  if (typeof arn !== "string") return undefined;
  const p = parseArn(arn);
  if (!p || p.type !== "application" || p.region !== ctx.region || p.account !== ctx.account) return undefined;
  const rec = applicationsOf(ctx)[p.name];
  return rec?.Arn === arn ? rec : undefined;
}

/** One association. */
export interface ApplicationFleetRecord extends BaseRecord {
  FleetName: string;
  ApplicationArn: string;
}

/** The application–fleet associations of the request's region, keyed by {@link applicationFleetKey}. */
export function applicationFleetsOf(ctx: Pick<OpContext, "store" | "region">): Table<ApplicationFleetRecord> {
  return ctx.store.table<ApplicationFleetRecord>(ctx.region, "applicationFleets");
}

export const applicationFleetKey = (fleet: string, arn: string): string => `${fleet}|${arn}`;

/** Names of the fleets an application is associated with, sorted (DeleteApplication refuses while any). */
export function fleetsOfApplication(ctx: Pick<OpContext, "store" | "region">, applicationArn: string): string[] {
  return Object.values(applicationFleetsOf(ctx))
    .filter((a) => a.ApplicationArn === applicationArn)
    .map((a) => a.FleetName)
    .sort();
}

/** ARNs of the applications associated with a fleet, sorted (DeleteFleet refuses while any, APPFLEET-08). */
export function applicationsOfFleet(ctx: Pick<OpContext, "store" | "region">, fleetName: string): string[] {
  return Object.values(applicationFleetsOf(ctx))
    .filter((a) => a.FleetName === fleetName)
    .map((a) => a.ApplicationArn)
    .sort();
}

export interface Attribute {
  Name: string;
  Value: string;
}

/** A stored entitlement. */
export interface EntitlementRecord extends BaseRecord {
  Name: string;
  StackName: string;
  Description?: string;
  AppVisibility: string;
  Attributes: Attribute[];
  /** Epoch ms of the last Update (API `LastModifiedTime`). */
  modifiedAt: number;
  /** ApplicationIdentifiers associated with the entitlement, in association order. */
  applications: string[];
}

/** The entitlements of the request's region, keyed by {@link entitlementKey}. */
export function entitlementsOf(ctx: Pick<OpContext, "store" | "region">): Table<EntitlementRecord> {
  return ctx.store.table<EntitlementRecord>(ctx.region, "entitlements");
}

export const entitlementKey = (stack: string, name: string): string => `${stack}/${name}`;

/** Names (`STACK/NAME`) of the entitlements an application is associated with (DeleteApplication refuses while any). */
export function entitlementsOfApplication(ctx: Pick<OpContext, "store" | "region">, applicationName: string): string[] {
  return Object.values(entitlementsOf(ctx))
    .filter((e) => e.applications.includes(applicationName))
    .map((e) => entitlementKey(e.StackName, e.Name))
    .sort();
}
