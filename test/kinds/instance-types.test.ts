/**
 * Instance types are settled at validate, before any fleet is stopped: unknown and retired types are
 * errors, and one entry can accept a type AWS released after this version.
 */
import { describe, expect, it } from "vitest";
import * as emulator from "../../src/emulator/fleet-rules.js";
import { INSTANCE_TYPES, instanceTypeRules } from "../../src/kinds/common-rules.js";
import { ELASTIC_INSTANCE_TYPES } from "../../src/kinds/fleet.js";
import { analyzeManifest, defaultChecks } from "../../src/manifest/index.js";

const HEAD = "apiVersion: appstreamctl/v1\nmetadata:\n  name: t\n";
const fleet = (instanceType: string, extra = "") =>
  `${HEAD}fleets:\n  - name: f\n    instanceType: ${instanceType}\n    imageName: AppStream-WinServer2022-11-12-2025\n    computeCapacity: { desiredInstances: 1 }\n${extra}`;
const found = (text: string) =>
  analyzeManifest([{ file: "m.yaml", text }], {}, defaultChecks()).diagnostics.map((d) => [d.code, d.severity, d.loc?.line, d.loc?.col, d.message, d.hint]);

describe("instance types at validate", () => {
  it("every type of the current list passes, for fleets and builders alike", () => {
    for (const t of INSTANCE_TYPES) expect(instanceTypeRules(t, undefined), t).toEqual([]);
  });

  it("validation and the emulator, each with its own copy of reference §3.6, know the same types", () => {
    expect([...INSTANCE_TYPES].sort()).toEqual([...emulator.INSTANCE_TYPES].sort());
    expect([...ELASTIC_INSTANCE_TYPES].sort()).toEqual([...emulator.ELASTIC_INSTANCE_TYPES].sort());
    expect(ELASTIC_INSTANCE_TYPES).toEqual(["stream.standard.small", "stream.standard.medium", "stream.standard.large", "stream.standard.xlarge", "stream.standard.2xlarge"]);
  });

  it("a typo is an error with the nearest known type and the way to accept a new one", () => {
    expect(found(fleet("stream.standard.meduim"))).toEqual([[
      "rule.instance-type", "error", 6, 19, "Fleet `f`: stream.standard.meduim is not an AppStream instance type this version knows",
      "did you mean `stream.standard.medium`? If AWS released stream.standard.meduim after this version, set acceptUnknownInstanceType: true on this entry",
    ]]);
  });

  it("an EC2 type is an error that says how AppStream types are written", () => {
    expect(found(fleet("m5.large"))[0]?.slice(0, 5)).toEqual([
      "rule.instance-type", "error", 6, 19, "Fleet `f`: m5.large is not an AppStream instance type this version knows (AppStream types are written stream.FAMILY.SIZE)",
    ]);
  });

  it("Graphics Pro and Graphics Design are retired: errors, even where unknown types are accepted", () => {
    expect(found(fleet("stream.graphics-pro.4xlarge")).map((d) => d.slice(0, 5))).toEqual([
      ["rule.instance-type", "error", 6, 19, "Fleet `f`: stream.graphics-pro.4xlarge is retired: AWS's graphics-pro family ended on 2025-10-31"],
    ]);
    expect(found(fleet("stream.graphics-design.xlarge", "    acceptUnknownInstanceType: true\n")).map((d) => d.slice(0, 5))).toEqual([
      ["rule.instance-type", "error", 6, 19, "Fleet `f`: stream.graphics-design.xlarge is retired: AWS's graphics-design family ended on 2025-12-31"],
    ]);
  });

  it("acceptUnknownInstanceType: true lets a family released later through, on that entry only", () => {
    const text = fleet("stream.graphics.g7.xlarge", "    acceptUnknownInstanceType: true\n  - name: g\n    instanceType: stream.graphics.g7.xlarge\n    imageName: x\n    computeCapacity: { desiredInstances: 1 }\n");
    expect(found(text).map((d) => d.slice(0, 4))).toEqual([["rule.instance-type", "error", 11, 19]]);
  });

  it("acceptUnknownInstanceType on a known type is a warning, so it does not linger to hide a later typo", () => {
    expect(found(fleet("stream.standard.small", "    acceptUnknownInstanceType: true\n")).map((d) => d.slice(0, 4))).toEqual([["rule.instance-type", "warning", 9, 32]]);
  });

  it("an accepted unknown type is left to AWS for ELASTIC fleets too; a known non-ELASTIC type is not", () => {
    const elastic = (t: string, accept: string) =>
      `${HEAD}fleets:\n  - name: e\n    fleetType: ELASTIC\n    instanceType: ${t}\n${accept}    platform: AMAZON_LINUX2\n    maxConcurrentSessions: 5\n` +
      "    vpcConfig: { subnetIds: [subnet-0000000a, subnet-0000000b] }\n";
    expect(found(elastic("stream.standard.3xlarge", "    acceptUnknownInstanceType: true\n"))).toEqual([]);
    expect(found(elastic("stream.compute.large", "")).map((d) => d.slice(0, 4))).toEqual([["rule.instance-type", "error", 7, 19]]);
  });

  it("image builders: the same rules, plus the standard sizes they are not offered in", () => {
    const builder = (t: string) => `${HEAD}imageBuilders:\n  - name: b\n    instanceType: ${t}\n    imageName: AppStream-WinServer2022-11-12-2025\n`;
    expect(found(builder("stream.standard.large"))).toEqual([]);
    expect(found(builder("stream.standrd.large")).map((d) => d.slice(0, 4))).toEqual([["rule.instance-type", "error", 6, 19]]);
    expect(found(builder("stream.standard.2xlarge")).map((d) => d.slice(0, 5))).toEqual([
      ["rule.instance-type", "error", 6, 19, "ImageBuilder `b`: stream.standard.2xlarge is not offered for image builders"],
    ]);
  });
});
