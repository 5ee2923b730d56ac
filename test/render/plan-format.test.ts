import { describe, expect, it } from "vitest";
import { ABSENT, displayOrder, fieldBlock, formatValue, formatValueLines, impactNote, symbolFor, whyNote } from "../../src/cli/render/plan-format.js";
import { fleetReplace, fleetRestart, mixedPlan, stackDelete } from "./plan-fixtures.js";

describe("formatValue", () => {
  it("quotes strings, prints scalars bare and structures as flow JSON with sorted keys", () => {
    expect(formatValue("a\nb")).toBe('"a\\nb"');
    expect(formatValue(3)).toBe("3");
    expect(formatValue(false)).toBe("false");
    expect(formatValue(null)).toBe("null");
    expect(formatValue(undefined)).toBe(ABSENT);
    expect(formatValue({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe('{"a":[1,{"c":3,"d":2}],"b":1}');
  });

  it("never cuts a value: long strings stay whole, wide structures spread over indented lines", () => {
    expect(formatValue("x".repeat(200))).toBe(`"${"x".repeat(200)}"`);
    const subnets = Array.from({ length: 6 }, (_, i) => `subnet-0a1b2c3d4e5f6070${i}`);
    const vpc = { subnetIds: subnets, securityGroupIds: ["sg-0123456789abcdef0"] };
    expect(formatValueLines({ securityGroupIds: ["sg-1"] })).toEqual(['{"securityGroupIds":["sg-1"]}']);
    const lines = formatValueLines(vpc);
    expect(lines[0]).toBe("{");
    expect(lines[1]).toBe('  "securityGroupIds": [');
    for (const s of subnets) expect(lines).toContain(`    "${s}",`.replace(/,$/, s === subnets.at(-1) ? "" : ","));
    expect(lines.at(-1)).toBe("}");
  });

  it("lays out a wide change as before/after blocks under the path, a narrow one on one line", () => {
    expect(fieldBlock("streamView", [['"APP"'], ['"DESKTOP"']], "    ")).toEqual(['    streamView: "APP" → "DESKTOP"']);
    expect(fieldBlock("vpcConfig", [["{", '  "a": 1', "}"], ["{", '  "a": 2', "}"]], "  ")).toEqual([
      "  vpcConfig:",
      "    before: {",
      '              "a": 1',
      "            }",
      "    after:  {",
      '              "a": 2',
      "            }",
    ]);
    expect(fieldBlock("vpcConfig", [["{", '  "a": 1', "}"]], "  ")).toEqual(["  vpcConfig: {", '    "a": 1', "  }"]);
  });
});

describe("symbols, notes and order", () => {
  it("maps every action list to its Terraform symbol", () => {
    expect(symbolFor(["create"])).toBe("+");
    expect(symbolFor(["update"])).toBe("~");
    expect(symbolFor(["delete"])).toBe("-");
    expect(symbolFor(["delete", "create"])).toBe("-/+");
    expect(symbolFor(["read"])).toBe("<=");
    expect(symbolFor(["no-op"])).toBe("");
  });

  it("says which kind must be stopped", () => {
    expect(whyNote("requires-stop", "Fleet")).toBe("requires stopped fleet");
    expect(whyNote("requires-stop", "ImageBuilder")).toBe("requires stopped image builder");
    expect(whyNote("replace", "Stack")).toBe("immutable: forces replacement");
  });

  it("joins disruption, reason and sessions into one note", () => {
    expect(impactNote(fleetRestart)).toBe("fleet-restart: stops the running fleet; ends 3 active sessions");
    expect(impactNote({ ...fleetReplace, reason: "" })).toBe("replace; no active sessions");
    expect(impactNote({ ...stackDelete, activeSessions: 2 })).toBe("not in the manifest (--prune); ends 2 active sessions");
    expect(impactNote({ ...stackDelete, reason: "" })).toBe("");
    expect(impactNote({ ...fleetRestart, disruption: "none", reason: "" })).toBe("");
  });

  it("puts disruptive changes first, keeps plan order otherwise, and drops no-ops", () => {
    expect(displayOrder(mixedPlan().resourceChanges).map((rc) => rc.address)).toEqual([
      "Fleet/engineering",
      "Fleet/batch",
      "Stack/engineering",
      "Stack/sales",
      "Stack/old",
    ]);
  });
});
