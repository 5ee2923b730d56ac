/**
 * Enums the API may grow: the values this version knows are `examples` of an open enum schema, and every
 * kind's rules warn (rule.unknown-value, with the nearest known value) about any other value, which is then
 * sent as written. Enums that are closed by nature stay schema errors. The decisions are listed in
 * docs/SDK-COVERAGE.md; the test pins them.
 */
import { describe, expect, it } from "vitest";
import { MANIFEST_KINDS } from "../../src/kinds/index.js";
import { knownValuesOf, nearestKnown, unknownValueRules } from "../../src/kinds/known-values.js";
import type { JsonSchema } from "../../src/kinds/schema-dsl.js";
import { fleet } from "../../src/kinds/fleet.js";
import { stack } from "../../src/kinds/stack.js";
import { appBlockBuilder } from "../../src/kinds/app-block-builder.js";
import { analyzeManifest, defaultChecks } from "../../src/manifest/index.js";
import { view } from "./helpers.js";

/** Every open (`examples`) and closed (`enum`) string enum of a schema, by field path. */
function enums(schema: JsonSchema, path: string, out: { open: string[]; closed: string[] }): void {
  if (knownValuesOf(schema)) out.open.push(path);
  else if (schema.type === "string" && Array.isArray(schema.enum)) out.closed.push(path);
  for (const alt of (schema.oneOf ?? []) as JsonSchema[]) enums(alt, path, out);
  if (schema.items) enums(schema.items as JsonSchema, `${path}[]`, out);
  if (schema.propertyNames) enums(schema.propertyNames as JsonSchema, `${path}{key}`, out);
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  // Per-action properties of user settings repeat one value schema: one entry stands for them all.
  const entries = Object.entries(props);
  const same = entries.length > 1 && entries.every(([, v]) => JSON.stringify(v.oneOf) === JSON.stringify(entries[0]![1].oneOf) && v.oneOf);
  for (const [k, v] of same ? [["*", entries[0]![1]] as const] : entries) enums(v, `${path}.${k}`, out);
  if (schema.additionalProperties && typeof schema.additionalProperties === "object") enums(schema.additionalProperties as JsonSchema, `${path}.*`, out);
}

function allEnums(): { open: string[]; closed: string[] } {
  const out = { open: [] as string[], closed: [] as string[] };
  for (const k of MANIFEST_KINDS) for (const [f, d] of Object.entries(k.fields)) enums(d.schema, `${k.kind}.${f}`, out);
  out.open = [...new Set(out.open)].sort();
  out.closed = [...new Set(out.closed)].sort();
  return out;
}

describe("open and closed enums", () => {
  it("the enums the API may grow are open, exactly these", () => {
    expect(allEnums().open).toEqual([
      "AppBlock.packagingType",
      "AppBlockBuilder.accessEndpoints[].endpointType",
      "AppBlockBuilder.platform",
      "Application.platforms[]",
      "DirectoryConfig.certificateBasedAuthProperties.status",
      "Fleet.platform",
      "Fleet.streamView",
      "Image.source.importFromAmi.agentSoftwareVersion",
      "Image.source.importFromWorkSpaces.agentSoftwareVersion",
      "ImageBuilder.accessEndpoints[].endpointType",
      "Stack.accessEndpoints[].endpointType",
      "Stack.agentAccessConfig.screenImageFormat",
      "Stack.agentAccessConfig.screenResolution",
      "Stack.agentAccessConfig.settings[].agentAction",
      "Stack.agentAccessConfig.userControlMode",
      "Stack.storageConnectors[].connectorType",
      "Stack.streamingExperienceSettings.preferredProtocol",
      "Stack.userSettings{key}",
    ]);
  });

  it("the enums closed by nature stay schema errors, exactly these", () => {
    expect(allEnums().closed).toEqual([
      "AppBlockBuilder.state",
      "Fleet.fleetType",
      "Fleet.imageSelector.type",
      "Fleet.scaling.policies[].targetTracking.metric",
      "Fleet.state",
      "ImageBuilder.imageSelector.type",
      "ImageBuilder.state",
      "Stack.agentAccessConfig.settings[].permission",
      "Stack.entitlements[].appVisibility",
      "Stack.theme.state",
      "Stack.userSettings.*",
      "Stack.userSettings.*.permission",
      "User.authenticationType",
      "User.messageAction",
      "UserGroup.messageAction",
    ]);
  });

  it("the nearest known value is the closest by edit distance (ties: the first listed)", () => {
    expect(nearestKnown("DESKTOPS", ["APP", "DESKTOP"])).toBe("DESKTOP");
    expect(nearestKnown("desktop", ["APP", "DESKTOP"])).toBe("DESKTOP");
    expect(nearestKnown("W_1920xH_1080", ["W_1280xH_720"])).toBe("W_1280xH_720");
    expect(nearestKnown("x", [])).toBeUndefined();
  });
});

describe("unknown values warn, on every kind's rules", () => {
  const ELASTIC = {
    name: "el", fleetType: "ELASTIC", instanceType: "stream.standard.small", maxConcurrentSessions: 2,
    vpcConfig: { subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"] },
  };

  it("a fleet: an unknown platform is a warning at the field with the nearest value, and no ELASTIC error", () => {
    const found = fleet.rules({ ...ELASTIC, platform: "WINDOWS_SERVER_2025_ARM" } as never, view());
    expect(found.map((v) => [v.code, v.severity, v.path, v.hint])).toEqual([[
      "rule.unknown-value", "warning", ["platform"], "the nearest known value is `WINDOWS_SERVER_2025`; keep WINDOWS_SERVER_2025_ARM if AWS added it after this version",
    ]]);
    // A known platform an ELASTIC fleet cannot run is still the error it was.
    expect(fleet.rules({ ...ELASTIC, platform: "WINDOWS_SERVER_2022" } as never, view()).map((v) => [v.code, v.severity ?? "error"])).toEqual([["rule.elastic", "error"]]);
  });

  it("a stack: values in lists and nested objects, and an unknown user-setting action (a key)", () => {
    const found = stack.rules({
      name: "s",
      storageConnectors: [{ connectorType: "HOMEFOLDERS" }, { connectorType: "DROPBOX" }],
      userSettings: { FILE_UPLOAD: "DISABLED", CLIPBOARD_PASTE: { permission: "ENABLED" } },
      streamingExperienceSettings: { preferredProtocol: "QUIC" },
      agentAccessConfig: {
        settings: [{ agentAction: "COMPUTER_VISION", permission: "ENABLED" }, { agentAction: "FORWARD_MCP_TOOLS", permission: "ENABLED" }, { agentAction: "COMPUTER_AUDIO", permission: "DISABLED" }],
        screenResolution: "W_1920xH_1080", screenImageFormat: "PNG", userControlMode: "VIEW_ONLY",
      },
    } as never, view());
    expect(found.map((v) => [v.code, v.severity, v.path.join("/")])).toEqual([
      ["rule.unknown-value", "warning", "storageConnectors/1/connectorType"],
      ["rule.unknown-value", "warning", "userSettings/CLIPBOARD_PASTE"],
      ["rule.unknown-value", "warning", "streamingExperienceSettings/preferredProtocol"],
      ["rule.unknown-value", "warning", "agentAccessConfig/settings/2/agentAction"],
      ["rule.unknown-value", "warning", "agentAccessConfig/screenResolution"],
    ]);
    expect(found[1]!.message).toContain("CLIPBOARD_PASTE is not a userSettings key this version knows");
    expect(found[4]!.hint).toContain("`W_1280xH_720`");
  });

  it("an app block builder: an unknown platform warns once (the generic warning, not also the builder's)", () => {
    const found = appBlockBuilder.rules({
      name: "b", platform: "WINDOWS_SERVER_2030", instanceType: "stream.standard.small",
      vpcConfig: { subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"] },
    } as never, view());
    expect(found.map((v) => [v.code, v.path])).toEqual([["rule.unknown-value", ["platform"]]]);
  });

  it("unknownValueRules alone: known values and absent fields say nothing", () => {
    expect(unknownValueRules(fleet.fields, { name: "f", streamView: "DESKTOP", platform: "RHEL8" })).toEqual([]);
    expect(unknownValueRules(stack.fields, { name: "s" })).toEqual([]);
  });

  it("through validate: the manifest is valid with the warning at its line; a closed enum is still a schema error", () => {
    const text = (extra: string) => `apiVersion: appstreamctl/v1
metadata: { name: t }
fleets:
  - name: f
    instanceType: stream.standard.small
    imageName: AppStream-AmazonLinux2-11-12-2025
    computeCapacity: { desiredInstances: 1 }
${extra}`;
    const open = analyzeManifest([{ file: "m.yaml", text: text("    streamView: KIOSK\n") }], {}, defaultChecks());
    expect(open.diagnostics.map((d) => [d.code, d.severity, d.loc?.line])).toEqual([["rule.unknown-value", "warning", 8]]);
    const closed = analyzeManifest([{ file: "m.yaml", text: text("    fleetType: SPOT\n") }], {}, defaultChecks());
    expect(closed.diagnostics.map((d) => [d.code, d.severity])).toEqual([["schema.enum", "error"]]);
  });
});
