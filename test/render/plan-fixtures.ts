/** Plans built by hand for the renderer tests: each one a case the planner is expected to produce. */
import kleur from "kleur";
import { afterEach, beforeEach } from "vitest";
import type { Plan, ResourceChange } from "../../src/core/plan-types.js";

/** Sets kleur's global colour switch for each test of the calling file, restoring it afterwards. */
export function useColour(enabled: boolean): void {
  let saved: boolean;
  beforeEach(() => {
    saved = kleur.enabled;
    kleur.enabled = enabled;
  });
  afterEach(() => {
    kleur.enabled = saved;
  });
}

/** An empty plan against the emulator; tests spread their own parts over it. */
export function emptyPlan(over: Partial<Plan> = {}): Plan {
  return {
    formatVersion: 1,
    createdAt: "2026-11-21T05:00:00.000Z",
    target: { region: "us-east-1", endpoint: "http://127.0.0.1:4566" },
    set: "euc-prod",
    summary: { add: 0, change: 0, destroy: 0, disruptive: 0 },
    resourceChanges: [],
    reads: [],
    steps: [],
    fingerprints: {},
    warnings: [],
    ...over,
  };
}

export const stackCreate: ResourceChange = {
  address: "Stack/engineering",
  kind: "Stack",
  name: "engineering",
  actions: ["create"],
  disruption: "none",
  reason: "",
  diff: [
    { path: "name", after: "engineering", sensitive: false, why: "live" },
    { path: "storageConnectors", after: [{ connectorType: "HOMEFOLDERS" }], sensitive: false, why: "live" },
    { path: "userSettings", after: { FILE_DOWNLOAD: "DISABLED", CLIPBOARD_COPY_FROM_LOCAL_DEVICE: "ENABLED" }, sensitive: false, why: "live" },
  ],
};

export const stackLiveUpdate: ResourceChange = {
  address: "Stack/sales",
  kind: "Stack",
  name: "sales",
  actions: ["update"],
  disruption: "none",
  reason: "",
  diff: [
    { path: "displayName", before: "Sales", after: "Sales team", sensitive: false, why: "live" },
    { path: "embedHostDomains", before: ["a.example.com"], after: ["a.example.com", "b.example.com"], sensitive: false, why: "live" },
    { path: "feedbackURL", before: "https://feedback.example.com", sensitive: false, why: "clear" },
    { path: "tags.team", before: "euc", after: "sales", sensitive: false, why: "tags" },
  ],
};

export const fleetRestart: ResourceChange = {
  address: "Fleet/engineering",
  kind: "Fleet",
  name: "engineering",
  actions: ["update"],
  disruption: "fleet-restart",
  reason: "stops the running fleet",
  activeSessions: 3,
  diff: [
    { path: "instanceType", before: "stream.standard.medium", after: "stream.standard.large", sensitive: false, why: "requires-stop" },
    { path: "displayName", before: "Eng", after: "Engineering", sensitive: false, why: "live" },
    { path: "imageName", before: "corp-win-2025-10", after: "corp-win-2025-11", sensitive: false, why: "selector" },
  ],
  warnings: ["running sessions keep the old image until they end"],
};

export const fleetReplace: ResourceChange = {
  address: "Fleet/batch",
  kind: "Fleet",
  name: "batch",
  actions: ["delete", "create"],
  disruption: "replace",
  reason: "fleetType cannot be changed",
  activeSessions: 0,
  diff: [{ path: "fleetType", before: "ON_DEMAND", after: "ALWAYS_ON", sensitive: false, why: "replace" }],
};

export const stackDelete: ResourceChange = {
  address: "Stack/old",
  kind: "Stack",
  name: "old",
  actions: ["delete"],
  disruption: "none",
  reason: "not in the manifest (--prune)",
  diff: [],
};

export const noOp: ResourceChange = {
  address: "Fleet/quiet",
  kind: "Fleet",
  name: "quiet",
  actions: ["no-op"],
  disruption: "none",
  reason: "",
  diff: [],
};

/** The directory-config password as the environment would supply it. */
export const PASSWORD = "Tr0ub4dor&3-corp-AD";

/** A rotated password: the planner records only the marker, never the value. */
export const directoryPassword: ResourceChange = {
  address: "DirectoryConfig/corp.example.com",
  kind: "DirectoryConfig",
  name: "corp.example.com",
  actions: ["update"],
  disruption: "none",
  reason: "",
  diff: [
    { path: "serviceAccountCredentials.accountPassword", before: "(sensitive)", after: "(sensitive)", sensitive: true, why: "write-only" },
    { path: "serviceAccountCredentials.accountName", before: "CORP\\svc-old", after: "CORP\\svc-appstream", sensitive: false, why: "live" },
  ],
};

/** Everything at once, in the order a planner would list it (creates before the fleet it follows). */
export function mixedPlan(): Plan {
  return emptyPlan({
    summary: { add: 2, change: 2, destroy: 2, disruptive: 2 },
    resourceChanges: [stackCreate, noOp, stackLiveUpdate, fleetRestart, fleetReplace, stackDelete],
    reads: [{ address: "Fleet/engineering", description: 'imageSelector nameRegex "^corp-win-", newest', result: "corp-win-2025-11" }],
    steps: [
      { id: "stack-create:engineering", address: "Stack/engineering", op: "stack.create", params: { Name: "engineering" }, dependsOn: [] },
      { id: "fleet-stop:engineering", address: "Fleet/engineering", op: "fleet.stop", params: { Name: "engineering" }, dependsOn: [] },
      { id: "fleet-update:engineering", address: "Fleet/engineering", op: "fleet.update", params: { Name: "engineering", InstanceType: "stream.standard.large" }, dependsOn: ["fleet-stop:engineering"] },
      { id: "fleet-start:engineering", address: "Fleet/engineering", op: "fleet.start", params: { Name: "engineering" }, dependsOn: ["fleet-update:engineering"] },
    ],
    fingerprints: { "Fleet/engineering": "sha256:aa", "Stack/sales": "sha256:bb" },
    warnings: ["users Alice@example.com and alice@example.com differ only by case"],
  });
}
