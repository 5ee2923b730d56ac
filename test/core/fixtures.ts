/**
 * Live resources as AppStream returns them (with the service's defaults filled in), normalized through
 * the kinds — so planner tests exercise normalize and the false-diff rules too.
 */
import type { Fleet, Stack } from "@aws-sdk/client-appstream";
import type { LiveResource, ManifestDoc } from "../../src/kinds/contract.js";
import { normalizeFleet } from "../../src/kinds/fleet.js";
import { normalizeStack } from "../../src/kinds/stack.js";

export const SET = "t";
export const OWNED = { "appstreamctl:set": SET };
const ARN = "arn:aws:appstream:us-east-1:123456789012";

export function awsFleet(name: string, over: Partial<Fleet> = {}): Fleet {
  return {
    Name: name, Arn: `${ARN}:fleet/${name}`, InstanceType: "stream.standard.medium", FleetType: "ON_DEMAND",
    ImageName: "AppStream-WinServer2022-11-12-2025", ImageArn: `arn:aws:appstream:us-east-1::image/AppStream-WinServer2022-11-12-2025`,
    ComputeCapacityStatus: { Desired: 2, Running: 2, InUse: 0, Available: 2 },
    MaxUserDurationInSeconds: 57600, DisconnectTimeoutInSeconds: 900, IdleDisconnectTimeoutInSeconds: 0,
    StreamView: "APP", EnableDefaultInternetAccess: false, Platform: "WINDOWS_SERVER_2022", State: "RUNNING",
    DisplayName: "Apps", CreatedTime: new Date(1_700_000_000_000), FleetErrors: [],
    ...over,
  };
}

export function liveFleet(name: string, over: Partial<Fleet> = {}, tags: Record<string, string> = OWNED): LiveResource {
  return { ...normalizeFleet(awsFleet(name, over)), tags };
}

export function liveStack(name: string, over: Partial<Stack> = {}, tags: Record<string, string> = OWNED): LiveResource {
  const st: Stack = {
    Name: name, Arn: `${ARN}:stack/${name}`, CreatedTime: new Date(1_700_000_000_000),
    UserSettings: [
      { Action: "CLIPBOARD_COPY_FROM_LOCAL_DEVICE", Permission: "ENABLED" },
      { Action: "CLIPBOARD_COPY_TO_LOCAL_DEVICE", Permission: "ENABLED" },
      { Action: "FILE_UPLOAD", Permission: "ENABLED" },
      { Action: "FILE_DOWNLOAD", Permission: "ENABLED" },
      { Action: "PRINTING_TO_LOCAL_DEVICE", Permission: "ENABLED" },
      { Action: "DOMAIN_PASSWORD_SIGNIN", Permission: "ENABLED" },
      { Action: "DOMAIN_SMART_CARD_SIGNIN", Permission: "ENABLED" },
      { Action: "AUTO_TIME_ZONE_REDIRECTION", Permission: "DISABLED" },
    ],
    ApplicationSettings: { Enabled: false },
    StackErrors: [],
    ...over,
  };
  return { ...normalizeStack(st), tags };
}

export function fleetAssoc(stack: string, fleet: string): LiveResource {
  return { kind: "FleetAssociation", name: `${stack}/${fleet}`, address: `FleetAssociation/${stack}/${fleet}`, spec: { stack, fleet } };
}

/** The manifest fleet that matches `awsFleet` exactly. */
export const FLEET = {
  name: "apps", instanceType: "stream.standard.medium", imageName: "AppStream-WinServer2022-11-12-2025",
  computeCapacity: { desiredInstances: 2 }, displayName: "Apps",
};

export function manifest(over: Partial<ManifestDoc> = {}): ManifestDoc {
  return { apiVersion: "appstreamctl/v1", metadata: { name: SET }, ...over };
}
